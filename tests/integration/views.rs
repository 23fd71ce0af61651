//! Tests: views of one model. The overview collapses services into boxes and aggregates their
//! edges; a service view shows one task with its callers and callees; a flow view numbers its
//! hops; the model's own views select by name, kind, tag and service. `render --view`,
//! `archflow views`, `build`'s `views/` folder, the default view of big models, and that every
//! view lays out with the layout's invariants.

use archflow::source::Source;
use archflow::view::{EdgeKind, NodeKind, View, ViewKind, Views};

use crate::support::{archflow, read, text};

const MULTI: &str = "tests/fixtures/models/multi-service/model.yaml";

fn whole(path: &str) -> View {
    archflow::analyze(&Source::new(path, read(path)))
        .view()
        .unwrap()
}

fn ids(view: &View) -> Vec<&str> {
    view.nodes.iter().map(|n| n.id.as_str()).collect()
}

fn edge<'v>(view: &'v View, from: &str, to: &str) -> Option<&'v archflow::view::EdgeView> {
    view.edges.iter().find(|e| e.from == from && e.to == to)
}

#[test]
fn the_overview_collapses_services_and_aggregates_their_edges() {
    let whole = whole(MULTI);
    let overview = Views::new(&whole).overview();
    assert_eq!(
        ids(&overview),
        [
            "customer",
            "public-alb",
            "internal-alb",
            "service:web",
            "service:api",
            "service:database",
            "shop-fs"
        ]
    );
    // No container, listener, target group or volume is left; each service is one box.
    assert!(overview.nodes.iter().all(|n| !matches!(
        n.kind,
        NodeKind::Container
            | NodeKind::Database
            | NodeKind::Volume
            | NodeKind::Listener
            | NodeKind::TargetGroup
    )));
    assert_eq!(overview.nodes[3].kind, NodeKind::Service);
    assert_eq!(
        overview.nodes[3].detail.as_deref(),
        Some("service · FARGATE · 2 tasks")
    );
    // Routes through a listener and target group become one edge from the load balancer.
    let route = edge(&overview, "public-alb", "service:web").expect("public-alb → web");
    assert_eq!(route.kind, EdgeKind::Route);
    // The ECS cluster box stays, the service and task boxes go.
    assert_eq!(overview.clusters.len(), 1);
    // No edge from a box to itself; every edge joins two nodes of the overview.
    for e in &overview.edges {
        assert_ne!(e.from, e.to);
        assert!(
            ids(&overview).contains(&e.from.as_str()) && ids(&overview).contains(&e.to.as_str())
        );
    }
    // Flows stay, their steps between the boxes.
    assert_eq!(overview.flows.len(), whole.flows.len());
    let step = &overview.flows[0].steps[2];
    assert!(
        step.from.starts_with("service:") || step.to.starts_with("service:"),
        "{step:?}"
    );
}

#[test]
fn parallel_edges_are_counted() {
    // Two containers of `web` call the API's load balancer: one edge, `2×`.
    let text = read(MULTI).replace(
        "      containerDefinitions:\n        - name: web-app",
        "      containerDefinitions:\n        - name: web-worker\n          role: worker\n          image: shop/worker\n          connectsTo: [internal-alb]\n        - name: web-app",
    );
    let whole = archflow::analyze(&Source::new("m.yaml", text))
        .view()
        .unwrap();
    let overview = Views::new(&whole).overview();
    let e = edge(&overview, "service:web", "internal-alb").expect("web → internal-alb");
    assert_eq!(e.label.as_deref(), Some("2× HTTP:8080"));
}

#[test]
fn a_service_view_shows_its_task_and_what_it_talks_to() {
    let whole = whole(MULTI);
    let views = Views::new(&whole);
    let web = views.service("web").unwrap();
    let names = ids(&web);
    // Its containers and volumes, whole.
    for own in ["web-app", "log-router", "web-uploads"] {
        assert!(names.contains(&own), "{own} in {names:?}");
    }
    // Its caller's route (load balancer, listener, target group) and its callee, the API's
    // load balancer; the file system its volume mounts.
    for other in [
        "public-alb",
        "public-alb:443",
        "web-tg",
        "internal-alb",
        "shop-fs",
    ] {
        assert!(names.contains(&other), "{other} in {names:?}");
    }
    // Nothing of another service.
    assert!(
        !names.contains(&"api-app") && !names.contains(&"orders-db"),
        "{names:?}"
    );
    // The API's view: the database service is collapsed into one box.
    let api = views.service("api").unwrap();
    assert!(ids(&api).contains(&"service:database"), "{:?}", ids(&api));
    assert!(!ids(&api).contains(&"orders-db"));
    assert!(views.service("nope").is_none());
}

#[test]
fn a_flow_view_numbers_its_hops() {
    let whole = whole("architecture.yaml");
    let flow = Views::new(&whole).flow("store-goal").unwrap();
    assert_eq!(flow.flows.len(), 1);
    let label = |from: &str, to: &str| edge(&flow, from, to).and_then(|e| e.label.clone());
    // Step 1 and its answer (step 7) take the same edge.
    assert_eq!(
        label("user", "goals-alb").as_deref(),
        Some("1, 7 · HTTP:80")
    );
    assert_eq!(
        label("goals-backend", "mongodb").as_deref(),
        Some("3, 5 · localhost:27017")
    );
    // Only what the flow passes.
    assert!(
        ids(&flow)
            .iter()
            .all(|id| whole.nodes.iter().any(|n| n.id == *id))
    );
}

#[test]
fn custom_views_select_by_kind_tag_service_and_name() {
    let analysis = archflow::analyze(&Source::new(MULTI, read(MULTI)));
    let views = analysis.views().unwrap();
    let storage = views.iter().find(|v| v.name == "storage").unwrap();
    assert_eq!(storage.kind, ViewKind::Custom);
    assert_eq!(storage.title, "Where the data lives");
    assert_eq!(
        storage.direction,
        Some(archflow::syntax::document::ViewDirection::TB)
    );
    // Databases, volumes and file systems, but not the web service's volume.
    assert_eq!(
        ids(&storage.view),
        ["api-uploads", "orders-db", "pgdata", "shop-fs"]
    );
    let front = views.iter().find(|v| v.name == "front").unwrap();
    // Actors, load balancers, and what is tagged `front` (the web service's containers).
    for want in [
        "customer",
        "public-alb",
        "internal-alb",
        "web-app",
        "log-router",
        "web-uploads",
    ] {
        assert!(
            ids(&front.view).contains(&want),
            "{want} in {:?}",
            ids(&front.view)
        );
    }
    // Boxes come along with what they hold.
    assert!(front.view.clusters.iter().any(|c| c.id == "service:web"));
}

#[test]
fn view_definitions_are_checked() {
    let text = read(MULTI)
        .replace("      - service: web\n", "      - service: wbe\n")
        .replace("  - name: front\n", "  - name: overview\n")
        .replace("      - kind: actor\n", "      - name: custmer\n");
    let analysis = archflow::analyze(&Source::new("m.yaml", text));
    let messages: Vec<(&str, &str)> = analysis
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert!(
        messages.contains(&("A001", "unknown service `wbe`")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&("A001", "unknown component `custmer`")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&("A002", "the view name `overview` is a built-in view's")),
        "{messages:?}"
    );
}

#[test]
fn the_command_line_lists_renders_and_builds_views() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("architecture.yaml"), read(MULTI)).unwrap();
    let out = archflow(dir.path(), &["views"]);
    assert_eq!(out.status.code(), Some(0));
    let (listing, _) = text(&out);
    let names: Vec<&str> = listing
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "all",
            "overview",
            "service:web",
            "service:api",
            "service:database",
            "flow:place-order",
            "flow:view-upload",
            "storage",
            "front"
        ]
    );
    assert!(
        listing.lines().next().unwrap().ends_with("(default)"),
        "{listing}"
    );
    // One view, in every format.
    for format in ["svg", "mermaid", "dot", "html", "md"] {
        let out = archflow(
            dir.path(),
            &["render", "--view", "overview", "--format", format],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {:?}", text(&out));
    }
    let out = archflow(
        dir.path(),
        &["render", "--view", "overview", "--format", "mermaid"],
    );
    assert!(text(&out).0.contains("n_service_web["), "{}", text(&out).0);
    // A mistyped name: the closest view.
    let out = archflow(dir.path(), &["render", "--view", "overvew"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("no view named `overvew`; did you mean `overview`?"),
        "{:?}",
        text(&out)
    );
    // build writes every view.
    let out = archflow(dir.path(), &["build", "--out-dir", "out"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    for file in [
        "overview.svg",
        "service-web.svg",
        "flow-place-order.mmd",
        "storage.svg",
        "front.mmd",
    ] {
        assert!(dir.path().join("out/views").join(file).is_file(), "{file}");
    }
}

#[test]
fn above_fifteen_services_the_default_view_is_the_overview() {
    for (services, default) in [(15, ViewKind::All), (16, ViewKind::Overview)] {
        let text = archflow::synth::generate(services, 1);
        let analysis = archflow::analyze(&Source::new("big.yaml", text));
        let named = analysis.named_view(None).unwrap();
        assert_eq!(named.kind, default, "{services} services");
    }
}

#[test]
fn every_view_of_synthetic_models_lays_out_with_the_invariants() {
    for (services, seed) in [(5, 1), (12, 2), (30, 3)] {
        let text = archflow::synth::generate(services, seed);
        let analysis = archflow::analyze(&Source::new("synth.yaml", text));
        for named in analysis.views().unwrap() {
            for direction in [
                archflow::layout::Direction::LR,
                archflow::layout::Direction::TB,
            ] {
                let layout = archflow::layout::layout(
                    &named.view,
                    archflow::layout::LayoutOptions { direction },
                );
                // Panics with what broke.
                crate::fuzz_smoke::targets::check_invariants(&named.view, &layout);
            }
        }
    }
}
