//! Tests: names scoped as ECS scopes them. Containers and volumes are unique within their task,
//! services among services; `service/container` qualifies a name; an ambiguous short name is a
//! load error (L009) listing the candidates; inside a task a short name means that task's.

use archflow::model::{ComponentId, Kind};
use archflow::source::Source;

use crate::support::{archflow, read, text};

const MODEL: &str = "tests/fixtures/models/scoped-names/model.yaml";

fn analyze(text: &str) -> archflow::Analysis {
    archflow::analyze(&Source::new("model.yaml", text))
}

#[test]
fn two_services_may_each_have_a_container_called_app() {
    let analysis = analyze(&read(MODEL));
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == archflow::diagnostic::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let model = analysis.model.as_ref().unwrap();
    for service in ["web", "worker"] {
        for (kind, name) in [
            (Kind::Container, "app"),
            (Kind::Container, "log_router"),
            (Kind::Volume, "data"),
        ] {
            let id = ComponentId::scoped(kind, service, name);
            assert!(model.components.contains_key(&id), "{id:?}");
            // A name several tasks have is shown qualified; `api` (one container) is not.
            assert_eq!(model.reference_name(&id), format!("{service}/{name}"));
        }
    }
    let api = ComponentId::scoped(Kind::Container, "api", "api");
    assert_eq!(model.reference_name(&api), "api");
    // The diagram has one box per container, with distinct ids.
    let view = analysis.view().unwrap();
    let ids: Vec<&str> = view.nodes.iter().map(|n| n.id.as_str()).collect();
    for want in ["web/app", "worker/app", "web/data", "worker/data", "api"] {
        assert_eq!(
            ids.iter().filter(|i| **i == want).count(),
            1,
            "{want} in {ids:?}"
        );
    }
}

#[test]
fn a_short_name_inside_a_task_means_that_task() {
    let analysis = analyze(&read(MODEL));
    let graph = analysis.graph.as_ref().unwrap();
    let edges: Vec<(String, String)> = graph
        .edges()
        .map(|(a, b, _)| (a.name.clone(), b.name.clone()))
        .collect();
    for (from, to) in [
        ("worker/app", "worker/log_router"), // dependsOn
        ("worker/app", "worker/data"),       // mountPoints
        ("web/app", "web/data"),
        ("web", "web/app"),     // the service's loadBalancers containerName
        ("web/app", "api/api"), // connectsTo a container of another service
    ] {
        assert!(
            edges.contains(&(from.to_owned(), to.to_owned())),
            "{from} → {to} in {edges:?}"
        );
    }
    // A call to a sidecar of its own task: the local one, though another task has one too.
    let text = read(MODEL).replace(
        "          connectsTo: [api]\n          mountPoints: [{sourceVolume: data, containerPath: /cache}]",
        "          connectsTo: [api, log_router]\n          mountPoints: [{sourceVolume: data, containerPath: /cache}]",
    );
    let analysis = analyze(&text);
    assert!(!analysis.failed_to_load(), "{:#?}", analysis.diagnostics);
    let edges: Vec<(String, String)> = analysis
        .graph
        .unwrap()
        .edges()
        .map(|(a, b, _)| (a.name.clone(), b.name.clone()))
        .collect();
    assert!(
        edges.contains(&("web/app".to_owned(), "web/log_router".to_owned())),
        "{edges:?}"
    );
    assert!(!edges.contains(&("web/app".to_owned(), "worker/log_router".to_owned())));
}

#[test]
fn an_ambiguous_short_name_is_a_load_error_that_lists_the_candidates() {
    let text = read(MODEL).replace("{from: shop-alb, to: web/app}", "{from: shop-alb, to: app}");
    let analysis = analyze(&text);
    assert!(analysis.failed_to_load());
    let [d] = analysis.diagnostics.as_slice() else {
        panic!("{:#?}", analysis.diagnostics)
    };
    assert_eq!(d.code, "L009");
    assert_eq!(
        d.message,
        "`app` could mean 2 components: container `web/app`, container `worker/app`"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write the qualified name of the one you mean: `web/app` or `worker/app`")
    );
    assert_eq!(&text[d.primary.span.start..d.primary.span.end], "app");
    assert_eq!(d.secondary.len(), 2);
    // The command line: exit 2, the finding at its place.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("architecture.yaml"), &text).unwrap();
    let out = archflow(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, _) = text_of(&out);
    assert!(
        stdout.contains("error[L009]: `app` could mean 2 components"),
        "{stdout}"
    );
    let out = archflow(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("archflow-out").exists());
}

fn text_of(out: &std::process::Output) -> (String, String) {
    text(out)
}

#[test]
fn a_qualified_name_that_names_nothing_is_an_unknown_reference() {
    let text = read(MODEL).replace(
        "{from: shop-alb, to: web/app}",
        "{from: shop-alb, to: web/ap}",
    );
    let analysis = analyze(&text);
    let a001: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "A001")
        .collect();
    assert_eq!(a001.len(), 1, "{:#?}", analysis.diagnostics);
    assert_eq!(a001[0].message, "unknown component `web/ap`");
    assert_eq!(a001[0].help.as_deref(), Some("did you mean `web/app`?"));
}

#[test]
fn names_are_still_unique_within_their_scope() {
    // Two containers of one name in one task; two services of one name.
    let text = read(MODEL)
        .replace("        - name: log_router\n          role: sidecar\n          image: amazon/aws-for-fluent-bit\n          essential: false\n      volumes:\n        - name: data\n  - serviceName: worker",
                 "        - name: app\n          role: sidecar\n          image: amazon/aws-for-fluent-bit\n          essential: false\n      volumes:\n        - name: data\n  - serviceName: worker")
        .replace("  - serviceName: api\n", "  - serviceName: worker\n");
    let analysis = analyze(&text);
    let a002: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "A002")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        a002.contains(&"the name `app` is defined more than once"),
        "{a002:?}"
    );
    assert!(
        a002.contains(&"the name `worker` is defined more than once"),
        "{a002:?}"
    );
}
