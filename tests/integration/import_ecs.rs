//! `archflow import ecs` and `archflow export ecs`: fixtures written from the documented AWS
//! formats, snapshots of the YAML, the model → JSON → model round trip, bad input, and the
//! end-to-end path import → check → build. The JSON → model → JSON round trip of every fixture
//! is in `ecs_round_trip.rs`.

use std::fmt::Write as _;
use std::path::Path;

use archflow::interop::ecs::import::{self as ecs, InputFile, Inputs};
use serde_json::Value;

use crate::support::{archflow, fixture, root, text};

const TASK_DEFINITIONS: &[&str] = &[
    "goals-describe",
    "web-bridge",
    "batch-deps",
    "secrets-api",
    "extras",
    "efs-shared",
];

fn input(rel: &str) -> InputFile {
    let text = std::fs::read_to_string(fixture(&format!("ecs/{rel}"))).unwrap();
    InputFile::new(rel, text)
}

fn import_one(name: &str) -> ecs::Imported {
    ecs::import(&Inputs {
        task_definitions: vec![input(&format!("{name}.json"))],
        ..Inputs::default()
    })
    .unwrap()
}

fn import_full() -> ecs::Imported {
    ecs::import(&Inputs {
        task_definitions: vec![input("goals-describe.json")],
        services: vec![input("services.json")],
        target_groups: vec![input("target-groups.json")],
        load_balancers: vec![input("load-balancers.json")],
        ..Inputs::default()
    })
    .unwrap()
}

fn analyze(yaml: &str) -> archflow::Analysis {
    archflow::analyze(&archflow::source::Source::new("imported.yaml", yaml))
}

/// The codes of the findings, sorted.
fn codes(a: &archflow::Analysis) -> Vec<&'static str> {
    let mut c: Vec<_> = a.diagnostics.iter().map(|d| d.code).collect();
    c.sort_unstable();
    c
}

#[test]
fn every_fixture_imports_into_a_model_that_loads() {
    for name in TASK_DEFINITIONS {
        let imported = import_one(name);
        insta::assert_snapshot!(format!("import_ecs_{name}"), imported.yaml);
        let a = analyze(&imported.yaml);
        assert!(
            !a.failed_to_load(),
            "{name}: {:?}\n{}",
            a.diagnostics,
            imported.yaml
        );
        assert!(
            a.diagnostics.iter().all(|d| !d.code.starts_with('L')),
            "{name}: load findings {:?}",
            codes(&a)
        );
    }
}

/// The findings of each imported fixture, pinned (what the checker says about real task
/// definitions without their services).
#[test]
fn findings_of_imported_fixtures() {
    let mut report = String::new();
    for name in TASK_DEFINITIONS {
        let a = analyze(&import_one(name).yaml);
        let _ = writeln!(report, "{name}: {}", codes(&a).join(" "));
    }
    let a = analyze(&import_full().yaml);
    let _ = writeln!(report, "goals+service+tg+lb: {}", codes(&a).join(" "));
    insta::assert_snapshot!("import_ecs_findings", report);
}

#[test]
fn services_target_groups_and_load_balancers_import() {
    let imported = import_full();
    insta::assert_snapshot!("import_ecs_goals_full", imported.yaml);
    let y = &imported.yaml;
    // References use names; the identities are kept on the named items.
    assert!(y.contains("      - targetGroup: goals-tg\n"));
    assert!(y.contains("  - name: goals-tg\n    targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/goals-tg/0123456789abcdef\n"));
    assert!(y.contains("cluster:\n  name: goals-cluster\n  clusterArn: arn:aws:ecs:eu-west-1:123456789012:cluster/goals-cluster\n"));
    assert!(y.contains("desiredCount: 2"));
    assert!(
        y.contains("role: api"),
        "api guessed from the load balancer"
    );
    assert!(y.contains("role: database"));
    let a = analyze(y);
    assert!(!a.failed_to_load());
    let model = a.model.unwrap();
    assert_eq!(model.doc.services.len(), 1);
    assert_eq!(model.doc.target_groups[0].name.value, "goals-tg");
    assert_eq!(model.doc.load_balancers[0].listeners.len(), 1);
    // Service fields archflow does not model are carried in `aws:`.
    assert!(y.contains("    healthCheckGracePeriodSeconds: 60\n"));
    assert!(y.contains("    aws:\n      schedulingStrategy: REPLICA\n      enableECSManagedTags: true\n      propagateTags: NONE\n"));
    // What the model cannot keep (target groups have no `aws:`) is listed, in the YAML too.
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.ends_with("TargetGroups[0].VpcId"))
    );
    assert!(y.contains("# - target-groups.json: TargetGroups[0].VpcId"));
}

#[test]
fn both_task_definition_shapes_are_accepted() {
    // describe-task-definition (wrapped, with read-only fields) and register-task-definition
    // (bare) of the same task give the same model.
    let wrapped = std::fs::read_to_string(fixture("ecs/goals-describe.json")).unwrap();
    let v: archflow::interop::ecs::wire::DescribeTaskDefinition =
        serde_json::from_str(&wrapped).unwrap();
    let bare = archflow::interop::ecs::wire::to_value(&v.input().unwrap());
    let a = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("t.json", wrapped)],
        ..Inputs::default()
    })
    .unwrap();
    let b = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("t.json", bare.to_string())],
        ..Inputs::default()
    })
    .unwrap();
    assert_eq!(a.yaml, b.yaml);
    // Read-only fields are ignored, not listed.
    assert!(a.not_imported.is_empty(), "{:?}", a.not_imported);
}

#[test]
fn fields_archflow_does_not_model_are_carried_not_dropped() {
    let imported = import_one("extras");
    assert!(
        imported.not_imported.is_empty(),
        "{:?}",
        imported.not_imported
    );
    for kept in [
        "          aws:\n            ulimits:\n              - name: nofile\n                softLimit: 65536\n                hardLimit: 65536\n",
        "        - name: cache\n          aws:\n            dockerVolumeConfiguration:\n              scope: task\n              driver: local\n",
        "      aws:\n        tags:\n          - key: team\n            value: reports\n",
    ] {
        assert!(imported.yaml.contains(kept), "{kept}\n{}", imported.yaml);
    }
}

/// A field archflow models is refused inside `aws:`, at the key, saying where it goes.
#[test]
fn a_modelled_field_inside_aws_is_a_load_error() {
    let yaml = "version: 1\nname: x\nservices:\n  - serviceName: web\n    taskDefinition:\n      \
                family: web\n      containerDefinitions:\n        - name: web\n          image: nginx\n          \
                aws:\n            ulimits: []\n            memory: 512\n";
    let a = analyze(yaml);
    assert!(a.failed_to_load());
    let d = &a.diagnostics[0];
    assert_eq!(d.code, "L002", "{d:?}");
    assert!(
        d.message.contains("archflow models `memory` here"),
        "{}",
        d.message
    );
    assert!(d.message.contains("beside `aws:`"), "{}", d.message);
    let at = a.source.line_col(d.primary.span.start);
    assert_eq!((at.line, at.column), (12, 13));
    // Also a name archflow models under another name (the target group's ARN is on the target
    // group), and archflow's own keys.
    for (aws, key) in [
        (
            "loadBalancers:\n      - targetGroup: tg\n        containerName: web\n        containerPort: 80\n        aws: {targetGroupArn: arn}\n",
            "targetGroupArn",
        ),
        ("aws: {cluster: c}\n", "cluster"),
    ] {
        let yaml = format!(
            "version: 1\nname: x\nservices:\n  - serviceName: web\n    {aws}    taskDefinition:\n      \
             family: web\n      containerDefinitions:\n        - {{name: web, image: nginx}}\n"
        );
        let a = analyze(&yaml);
        assert!(
            a.diagnostics
                .iter()
                .any(|d| d.message.contains(&format!("archflow models `{key}`"))),
            "{yaml}\n{:?}",
            a.diagnostics
        );
    }
}

#[test]
fn efs_ids_and_access_points_get_readable_names() {
    let imported = import_one("efs-shared");
    let a = analyze(&imported.yaml);
    let doc = &a.model.unwrap().doc;
    assert_eq!(
        doc.file_systems.len(),
        1,
        "one file system used by three volumes"
    );
    let fs = &doc.file_systems[0];
    assert_eq!(fs.name.value, "cms-uploads");
    let aps: Vec<&str> = fs
        .access_points
        .iter()
        .map(|a| a.name.value.as_str())
        .collect();
    assert_eq!(aps, ["cms-uploads-ap", "cms-uploads-ap-2"]);
    assert_eq!(
        fs.file_system_id.as_ref().map(|i| i.value.as_str()),
        Some("fs-0aaaabbbbccccdddd")
    );
    let ap_ids: Vec<_> = fs
        .access_points
        .iter()
        .map(|a| a.access_point_id.as_ref().map(|i| i.value.as_str()))
        .collect();
    assert_eq!(
        ap_ids,
        [
            Some("fsap-01111111111111111"),
            Some("fsap-02222222222222222")
        ]
    );
    assert!(
        imported
            .renamed
            .contains(&("fs-0aaaabbbbccccdddd".to_owned(), "cms-uploads".to_owned()))
    );
}

/// A task definition does not say how its file systems are set up: import marks those settings
/// unknown, and the rules say so instead of assuming AWS's defaults.
#[test]
fn efs_settings_a_task_definition_cannot_show_are_unknown() {
    let imported = import_one("efs-shared");
    assert!(
        imported.yaml.contains(
            "    # not in task definitions: check them with `aws efs describe-file-systems \
             --file-system-id fs-0aaaabbbbccccdddd`, write them here and remove them from \
             `unknown`\n    unknown: [encrypted, performanceMode, throughputMode]\n"
        ),
        "{}",
        imported.yaml
    );
    let a = analyze(&imported.yaml);
    assert_eq!(
        a.model.as_ref().unwrap().doc.file_systems[0].unknown.len(),
        3
    );
    let a012: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "A012")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        a012,
        ["whether file system `cms-uploads` is encrypted at rest is unknown"]
    );
    // No finding about the throughput mode, which nobody has seen.
    assert!(!codes(&a).contains(&"A031"), "{:?}", codes(&a));
}

#[test]
fn several_task_definitions_become_several_services() {
    let imported = ecs::import(&Inputs {
        task_definitions: TASK_DEFINITIONS
            .iter()
            .map(|n| input(&format!("{n}.json")))
            .collect(),
        ..Inputs::default()
    })
    .unwrap();
    let a = analyze(&imported.yaml);
    let doc = &a.model.unwrap().doc;
    let names: Vec<&str> = doc
        .services
        .iter()
        .map(|s| s.service_name.value.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "goals",
            "web",
            "batch",
            "payments",
            "reports-service",
            "cms-service"
        ]
    );
    for s in &doc.services {
        assert_eq!(s.desired_count.as_ref().unwrap().value, 1);
    }
    assert!(
        imported
            .yaml
            .contains("# guessed: the running count is in describe-services output")
    );
}

#[test]
fn model_to_json_to_model_round_trip() {
    for model_path in ["architecture.yaml"] {
        let text = std::fs::read_to_string(root().join(model_path)).unwrap();
        let first = analyze(&text).model.unwrap();
        let exported = archflow::interop::ecs::export::export(&first.doc).task_definitions;
        let imported = ecs::import(&Inputs {
            task_definitions: exported
                .iter()
                .map(|e| InputFile::new(format!("{}.json", e.family), e.json.pretty()))
                .collect(),
            ..Inputs::default()
        })
        .unwrap();
        assert!(imported.not_imported.is_empty());
        assert!(
            imported.renamed.is_empty(),
            "names stay names: {:?}",
            imported.renamed
        );
        let second = analyze(&imported.yaml).model.unwrap();
        let again = archflow::interop::ecs::export::export(&second.doc).task_definitions;
        assert_eq!(again.len(), exported.len());
        for (a, b) in exported.iter().zip(&again) {
            assert_eq!(a.json, b.json, "{model_path}: {}", a.family);
            assert_eq!(a.json.pretty(), b.json.pretty());
        }
        // The same file systems are referenced, by the same names.
        let fs: Vec<_> = second
            .doc
            .file_systems
            .iter()
            .map(|f| &f.name.value)
            .collect();
        assert_eq!(fs, ["goals-data"]);
    }
}

#[test]
fn export_is_deterministic_and_in_aws_key_order() {
    let text = std::fs::read_to_string(root().join("architecture.yaml")).unwrap();
    let model = analyze(&text).model.unwrap();
    let json = archflow::interop::ecs::export::export(&model.doc).task_definitions[0]
        .json
        .pretty();
    insta::assert_snapshot!("export_ecs_reference", json);
    for dropped in ["role", "label", "description", "connectsTo", "dataPath"] {
        assert!(!json.contains(&format!("\"{dropped}\"")), "{dropped}");
    }
    let pos = |k: &str| json.find(&format!("\"{k}\"")).unwrap();
    assert!(pos("family") < pos("networkMode"));
    assert!(pos("containerDefinitions") < pos("volumes"));
    assert!(pos("volumes") < pos("requiresCompatibilities"));
    assert!(pos("requiresCompatibilities") < pos("cpu"));
}

#[test]
fn export_cli_writes_one_file_per_family() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(
        dir.path(),
        &[
            "export",
            "ecs",
            root().join("architecture.yaml").to_str().unwrap(),
            "-o",
            "ecs",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let written = std::fs::read_to_string(dir.path().join("ecs/goals.json")).unwrap();
    let v: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["family"], "goals");
    let written = std::fs::read_to_string(dir.path().join("ecs/goals.service.json")).unwrap();
    let v: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["serviceName"], "goals");
    assert_eq!(v["taskDefinition"], "goals");
    assert_eq!(v["cluster"], "goals-cluster");
    // The reference model has names, not AWS ids: export says which.
    let err = text(&out).1;
    assert!(
        err.contains(
            "note: `fileSystemId` of volume `data` is the file system's name `goals-data`"
        ),
        "{err}"
    );
    assert!(
        err.contains("note: `targetGroupArn` of service `goals`"),
        "{err}"
    );
}

/// ECS refuses a task definition without memory at either level: export refuses it first,
/// naming the container, and writes nothing.
#[test]
fn export_refuses_a_task_definition_without_memory() {
    let dir = tempfile::tempdir().unwrap();
    let model = "version: 1\nname: x\nservices:\n  - serviceName: web\n    desiredCount: 1\n    taskDefinition:\n      \
                 family: web\n      requiresCompatibilities: [EC2]\n      containerDefinitions:\n        \
                 - {name: app, image: nginx, memoryReservation: 128}\n        - {name: sidecar, image: busybox}\n";
    std::fs::write(dir.path().join("m.yaml"), model).unwrap();
    let out = archflow(dir.path(), &["export", "ecs", "m.yaml", "-o", "ecs"]);
    let (_, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("m.yaml:11:18: error: container `sidecar` of task definition `web` has no `memory` or `memoryReservation`"),
        "{err}"
    );
    assert!(err.contains("help: give the task `memory`"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!err.contains("`app` of task"), "{err}");
    assert!(!dir.path().join("ecs").exists());
    // With the task's memory it is exported.
    std::fs::write(
        dir.path().join("m.yaml"),
        model.replace(
            "requiresCompatibilities: [EC2]",
            "requiresCompatibilities: [EC2]\n      memory: \"512\"",
        ),
    )
    .unwrap();
    let out = archflow(dir.path(), &["export", "ecs", "m.yaml", "-o", "ecs"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
}

/// An `aws:` value AWS does not take there (a string where it wants a list) is refused too.
#[test]
fn export_refuses_an_aws_value_of_the_wrong_type() {
    let dir = tempfile::tempdir().unwrap();
    let model = "version: 1\nname: x\nservices:\n  - serviceName: web\n    desiredCount: 1\n    taskDefinition:\n      \
                 family: web\n      memory: \"512\"\n      containerDefinitions:\n        \
                 - name: app\n          image: nginx\n          aws: {ulimits: nofile, stopTimeout: 30}\n";
    std::fs::write(dir.path().join("m.yaml"), model).unwrap();
    let out = archflow(dir.path(), &["export", "ecs", "m.yaml"]);
    let (stdout, err) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(stdout.is_empty());
    assert!(
        err.contains("m.yaml:10:17: error: `aws.ulimits` of container `app` of `web` is not what AWS takes there: invalid type: string \"nofile\", expected a sequence"),
        "{err}"
    );
}

fn run_import(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["import", "ecs"];
    all.extend_from_slice(args);
    let out = archflow(dir, &all);
    let (o, e) = text(&out);
    (out.status.code(), o, e)
}

#[test]
fn import_then_check_and_build_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| fixture(&format!("ecs/{n}")).display().to_string();
    let (code, _, err) = run_import(dir.path(), &[&f("secrets-api.json"), "-o", "out.yaml"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("wrote out.yaml"));
    let check = archflow(dir.path(), &["check", "out.yaml"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
    let build = archflow(dir.path(), &["build", "out.yaml", "--out-dir", "docs"]);
    assert_eq!(build.status.code(), Some(0), "{:?}", text(&build));
    assert!(dir.path().join("docs/architecture.svg").exists());

    // With services, target groups and load balancers: the import reports the checker's error
    // (a second mongod on shared EFS during deployments) as a warning and exits 0; check fails.
    let (code, _, err) = run_import(
        dir.path(),
        &[
            &f("goals-describe.json"),
            "--service",
            &f("services.json"),
            "--target-groups",
            &f("target-groups.json"),
            "--load-balancers",
            &f("load-balancers.json"),
            "-o",
            "full.yaml",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("not imported"), "{err}");
    assert!(err.contains("warning: A009"), "{err}");
    let check = archflow(dir.path(), &["check", "full.yaml"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check).0.contains("A009"));
}

#[test]
fn import_without_output_prints_the_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run_import(
        dir.path(),
        &[&fixture("ecs/web-bridge.json").display().to_string()],
    );
    assert_eq!(code, Some(0));
    assert!(out.contains("networkMode: bridge"));
}

fn bad(name: &str) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_import(
        dir.path(),
        &[
            &fixture(&format!("ecs/bad/{name}")).display().to_string(),
            "-o",
            "out.yaml",
        ],
    );
    (code, err, dir.path().join("out.yaml").exists())
}

#[test]
fn invalid_json_names_file_line_and_column() {
    let (code, err, written) = bad("invalid.json");
    assert_eq!(code, Some(2));
    assert!(!written);
    assert!(
        err.contains(
            "invalid.json:4:32: error: invalid JSON: a comma before a closing bracket, which JSON \
             does not allow"
        ),
        "{err}"
    );
}

#[test]
fn a_compose_file_is_recognised() {
    let (code, err, written) = bad("compose.yaml");
    assert_eq!(code, Some(2));
    assert!(!written);
    assert!(
        err.contains("this looks like a docker-compose file; use `archflow import compose`"),
        "{err}"
    );
}

#[test]
fn an_archflow_model_is_not_ecs_json() {
    let dir = tempfile::tempdir().unwrap();
    let model = root().join("architecture.yaml").display().to_string();
    let (code, _, err) = run_import(dir.path(), &[&model, "-o", "out.yaml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("this looks like YAML"), "{err}");
    assert!(!dir.path().join("out.yaml").exists());
}

#[test]
fn missing_required_fields_are_named_with_their_place() {
    let (code, err, written) = bad("missing-family.json");
    assert_eq!((code, written), (Some(2), false));
    assert!(
        err.contains("missing-family.json:1:1: error: top level: missing required field `family`"),
        "{err}"
    );
    let (code, err, written) = bad("missing-image.json");
    assert_eq!((code, written), (Some(2), false));
    assert!(
        err.contains("missing-image.json:1:61: error: taskDefinition.containerDefinitions[0]: missing required field `image`"),
        "{err}"
    );
    let (code, err, written) = bad("missing-containers.json");
    assert_eq!((code, written), (Some(2), false));
    assert!(
        err.contains("missing required field `containerDefinitions`"),
        "{err}"
    );
    // A missing container name, found without the file system.
    let e = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new(
            "t.json",
            r#"{"family": "x", "containerDefinitions": [{"name": "a", "image": "i"}, {"image": "b"}]}"#,
        )],
        ..Inputs::default()
    })
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.json: error: containerDefinitions[1]: missing required field `name`\n"
    );
}

#[test]
fn wrong_types_and_wrong_files_are_explained() {
    let e = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new(
            "t.json",
            r#"{"family": "x", "containerDefinitions": [{"name": "a", "image": "i", "portMappings": [{"containerPort": "80"}]}]}"#,
        )],
        ..Inputs::default()
    })
    .unwrap_err();
    // The one `file:line:col: error: …` shape, with the JSON path of the value.
    assert_eq!(
        (e.path.as_str(), e.line, e.column),
        ("t.json", 1, 108),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(
            "t.json:1:108: error: containerDefinitions[0].portMappings[0].containerPort: \
             expected a whole number"
        ),
        "{e}"
    );
    // A task definition is not a service.
    let e = ecs::import(&Inputs {
        task_definitions: vec![input("web-bridge.json")],
        services: vec![input("goals-describe.json")],
        ..Inputs::default()
    })
    .unwrap_err();
    assert!(e.message.contains("this is a task definition"), "{e}");
    // elbv2 output is not ECS JSON.
    let e = ecs::import(&Inputs {
        task_definitions: vec![input("target-groups.json")],
        ..Inputs::default()
    })
    .unwrap_err();
    assert!(e.message.contains("pass it with --target-groups"), "{e}");
    let e = ecs::import(&Inputs {
        task_definitions: vec![input("web-bridge.json")],
        target_groups: vec![InputFile::new("tg.json", r#"{"targetGroups": []}"#)],
        ..Inputs::default()
    })
    .unwrap_err();
    assert!(e.message.contains("`TargetGroups` (PascalCase)"), "{e}");
}

#[test]
fn short_names_of_arns() {
    assert_eq!(
        ecs::short_name("arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/goals-tg/0123"),
        "goals-tg"
    );
    assert_eq!(
        ecs::short_name("arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/goals-alb/50dc"),
        "goals-alb"
    );
    assert_eq!(
        ecs::short_name("arn:aws:iam::1:role/ecsTaskExecutionRole"),
        "ecsTaskExecutionRole"
    );
    assert_eq!(
        ecs::short_name("arn:aws:ecs:eu-west-1:1:task-definition/goals:7"),
        "goals"
    );
    assert_eq!(
        ecs::short_name("arn:aws:ecs:eu-west-1:1:cluster/goals-cluster"),
        "goals-cluster"
    );
    assert_eq!(ecs::short_name("goals"), "goals");
}

/// What `register-task-definition` and `create-service` need, export does not add: it refuses.
#[test]
fn export_refuses_what_aws_needs_and_the_model_leaves_out() {
    let problems = |yaml: &str| -> Vec<String> {
        let a = analyze(yaml);
        let doc = &a.model.as_ref().unwrap().doc;
        archflow::interop::ecs::export::export(doc)
            .problems
            .into_iter()
            .map(|p| p.message)
            .collect()
    };
    let fargate = "version: 1\nname: x\nservices:\n  - serviceName: web\n    taskDefinition:\n      \
                   family: web\n      requiresCompatibilities: [FARGATE]\n      cpu: \"256\"\n      \
                   containerDefinitions:\n        - {name: app, image: nginx}\n";
    assert_eq!(
        problems(fargate),
        [
            "task definition `web` requires FARGATE but has no task-level `memory`: Fargate refuses it",
            "service `web` has no `desiredCount`, which `create-service` needs for a REPLICA service (the default)",
        ]
    );
    // A daemon service needs no count.
    let daemon = fargate
        .replace("cpu: \"256\"", "cpu: \"256\"\n      memory: \"512\"")
        .replace(
            "    taskDefinition:",
            "    aws: {schedulingStrategy: DAEMON}\n    taskDefinition:",
        );
    assert_eq!(problems(&daemon), Vec::<String>::new());
}

/// A service file given where a task definition goes is told by its content: the same model as
/// with `--service`.
#[test]
fn a_service_file_is_recognised_without_the_flag() {
    let positional = ecs::import(&Inputs {
        task_definitions: vec![input("goals-describe.json"), input("services.json")],
        ..Inputs::default()
    })
    .unwrap();
    let flagged = ecs::import(&Inputs {
        task_definitions: vec![input("goals-describe.json")],
        services: vec![input("services.json")],
        ..Inputs::default()
    })
    .unwrap();
    assert_eq!(positional.yaml, flagged.yaml);
}

/// A service whose task definition is not given gets one that says so (its family and nothing
/// else); its load balancers, which name a container of that task, stay under `aws:`: the model
/// loads, and nothing names nothing.
#[test]
fn a_service_without_its_task_definition_imports_without_broken_references() {
    let imported = ecs::import(&Inputs {
        task_definitions: vec![input("services.json")],
        ..Inputs::default()
    })
    .unwrap();
    let y = &imported.yaml;
    assert!(
        y.contains(
            "    taskDefinition:\n      # not given: pass this task definition's JSON too \
             (aws ecs describe-task-definition --task-definition goals)\n      family: goals\n"
        ),
        "{y}"
    );
    assert!(
        y.contains(
            "    aws:\n      # `loadBalancers` name containers of task definition `goals`, which \
             was not given: kept under `aws:`, not checked\n      loadBalancers:\n        - \
             targetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/goals-tg/0123456789abcdef\n"
        ),
        "{y}"
    );
    // No target group is made up for it.
    assert!(!y.contains("targetGroups:"), "{y}");
    assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
    let a = analyze(y);
    let c = codes(&a);
    assert!(!a.failed_to_load(), "{:?}", a.diagnostics);
    assert!(c.contains(&"A006"), "no container: {c:?}");
    assert!(!c.contains(&"A001"), "{c:?}");
    // Export writes the load balancers back, as they were.
    let doc = &a.model.as_ref().unwrap().doc;
    let exported = archflow::interop::ecs::export::export(doc);
    let service = archflow::interop::ecs::wire::to_value(&exported.services[0].json);
    assert_eq!(
        service["loadBalancers"][0]["containerName"],
        "goals-backend"
    );
}

/// A `create-service` input without `serviceName` is named after its file; without
/// `taskDefinition` it runs the one task definition given.
#[test]
fn a_create_service_input_without_name_or_task_definition() {
    let imported = ecs::import(&Inputs {
        task_definitions: vec![
            InputFile::new("deploy/ecs-service-def.json", r#"{"desiredCount": 2}"#),
            input("web-bridge.json"),
        ],
        ..Inputs::default()
    })
    .unwrap();
    let y = &imported.yaml;
    assert!(
        y.contains(
            "  # guessed from the file name: the service file has no serviceName\n  - \
             serviceName: ecs-service-def\n    desiredCount: 2\n"
        ),
        "{y}"
    );
    assert!(
        y.contains(
            "      # guessed: the service names no taskDefinition; `web` is the only one given\n      \
             family: web\n"
        ),
        "{y}"
    );
    let a = analyze(y);
    assert_eq!(a.model.unwrap().doc.services.len(), 1, "{y}");
}

/// Container definitions alone (an array, or one object) are a task definition named after the
/// file; what they name outside the file stays under `aws:`, what they name inside is modelled.
#[test]
fn container_definitions_alone_are_a_task_named_after_the_file() {
    let array = r#"[
        {"name": "app", "image": "nginx", "memory": 256,
         "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}],
         "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]},
        {"name": "init", "image": "busybox", "essential": false, "memory": 64,
         "links": ["proxy"]}
    ]"#;
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("infra/web app.json", array)],
        ..Inputs::default()
    })
    .unwrap();
    let y = &imported.yaml;
    assert!(
        y.contains(
            "      # guessed from the file name: the file holds container definitions only\n      \
             family: web-app\n"
        ),
        "{y}"
    );
    // Inside the file: modelled.
    assert!(
        y.contains("          dependsOn:\n            - containerName: init\n"),
        "{y}"
    );
    // Outside: carried, with a note.
    assert!(
        y.contains(
            "            # `mountPoints` names volumes that are not in this file (`data`): kept \
             under `aws:`, not checked\n            mountPoints:\n"
        ),
        "{y}"
    );
    assert!(
        y.contains("            # `links` names containers that are not in this file (`proxy`)"),
        "{y}"
    );
    assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
    let a = analyze(y);
    assert!(!codes(&a).contains(&"A001"), "{:?}", codes(&a));

    let one = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new(
            "container.json",
            r#"{"name": "app", "image": "nginx", "memory": 128}"#,
        )],
        ..Inputs::default()
    })
    .unwrap();
    assert!(
        one.yaml.contains("      family: container\n"),
        "{}",
        one.yaml
    );
    // A place in a message is the place in the file.
    let e = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("c.json", r#"[{"name": "a"}]"#)],
        ..Inputs::default()
    })
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "c.json: error: [0]: missing required field `image`\n"
    );
}

#[test]
fn json_that_is_no_ecs_shape_is_refused() {
    for (text, found) in [
        ("{}", "found an object with none of their fields (no keys)"),
        (
            r#"{"foo": 1}"#,
            "found an object with none of their fields (foo)",
        ),
        ("42", "found a number"),
    ] {
        let e = ecs::import(&Inputs {
            task_definitions: vec![InputFile::new("x.json", text)],
            ..Inputs::default()
        })
        .unwrap_err();
        assert!(e.message.starts_with("expected a task definition"), "{e}");
        assert!(e.message.ends_with(found), "{e}");
    }
}

/// A list of references may be under `aws:` (what it names is not in the model) or beside it,
/// not both: export refuses, naming the item.
#[test]
fn export_refuses_a_list_both_beside_and_inside_aws() {
    let yaml = "version: 1\nname: x\nservices:\n  - serviceName: web\n    desiredCount: 1\n    \
                taskDefinition:\n      family: web\n      memory: \"512\"\n      containerDefinitions:\n        \
                - name: app\n          image: nginx\n          dependsOn: [{containerName: side, condition: START}]\n          \
                aws: {dependsOn: [{containerName: other, condition: START}]}\n        \
                - {name: side, image: busybox}\n";
    let a = analyze(yaml);
    assert!(!a.failed_to_load(), "{:?}", a.diagnostics);
    let problems: Vec<String> =
        archflow::interop::ecs::export::export(&a.model.as_ref().unwrap().doc)
            .problems
            .into_iter()
            .map(|p| p.message)
            .collect();
    assert_eq!(
        problems,
        ["container `app` of `web` has `dependsOn` both beside `aws:` and inside it"]
    );
}

/// The actor's `connectsTo` names the load balancer: one named like a container would be an
/// ambiguous reference (L009, a model that does not load). Import names it `<name>-lb`.
#[test]
fn a_load_balancer_named_like_a_container_is_renamed() {
    let task = r#"{"family": "goals", "memory": "512", "containerDefinitions": [
        {"name": "goals-alb", "image": "nginx"},
        {"name": "goals-backend", "image": "node", "portMappings": [{"containerPort": 80}]}]}"#;
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("goals.json", task)],
        services: vec![input("services.json")],
        target_groups: vec![input("target-groups.json")],
        load_balancers: vec![input("load-balancers.json")],
        ..Inputs::default()
    })
    .unwrap();
    let y = &imported.yaml;
    assert!(y.contains("    connectsTo: [goals-alb-lb]\n"), "{y}");
    assert!(y.contains("  - name: goals-alb-lb\n"), "{y}");
    assert!(
        imported.renamed.contains(&(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/goals-alb/50dc6c495c0c9188"
                .to_owned(),
            "goals-alb-lb".to_owned()
        )),
        "{:?}",
        imported.renamed
    );
    let a = analyze(y);
    assert!(!a.failed_to_load(), "{:?}", a.diagnostics);
    assert!(!codes(&a).contains(&"A001"), "{:?}", codes(&a));
}
