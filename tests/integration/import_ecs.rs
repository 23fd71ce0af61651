//! `archflow import ecs` and `archflow export ecs`: fixtures written from the documented AWS
//! formats, snapshots of the YAML, round trips both ways, bad input, and the end-to-end path
//! import → check → build.
//!
//! "Equivalent" in the round trips means: equal as `serde_json::Value` after removing the
//! read-only fields of `describe-task-definition` output from the original and replacing every
//! ARN or AWS id in it by the short name the import gave it (`Imported::renamed`); for models,
//! equal exports (the same task definitions, field by field).

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
    // ARNs became short names with a comment saying what they were.
    assert!(y.contains("# was arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/goals-tg/0123456789abcdef\n      - targetGroup: goals-tg"));
    assert!(y.contains("name: goals-cluster"));
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
    // What is not modelled is listed, in the YAML too.
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.ends_with("services[0].healthCheckGracePeriodSeconds"))
    );
    assert!(y.contains("# - services.json: services[0].healthCheckGracePeriodSeconds"));
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.ends_with("TargetGroups[0].VpcId"))
    );
}

#[test]
fn both_task_definition_shapes_are_accepted() {
    // describe-task-definition (wrapped, with read-only fields) and register-task-definition
    // (bare) of the same task give the same model.
    let wrapped = std::fs::read_to_string(fixture("ecs/goals-describe.json")).unwrap();
    let v: Value = serde_json::from_str(&wrapped).unwrap();
    let bare = archflow::interop::ecs::export::comparable(&v);
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
fn unknown_fields_are_listed_not_dropped() {
    let imported = import_one("extras");
    let expected = [
        "extras.json: tags",
        "extras.json: taskDefinition.runtimePlatform",
        "extras.json: taskDefinition.ephemeralStorage",
        "extras.json: taskDefinition.containerDefinitions[0].memoryReservation",
        "extras.json: taskDefinition.containerDefinitions[0].ulimits",
        "extras.json: taskDefinition.containerDefinitions[0].logConfiguration.secretOptions",
        "extras.json: taskDefinition.volumes[1].dockerVolumeConfiguration",
    ];
    for e in expected {
        assert!(
            imported.not_imported.iter().any(|n| n == e),
            "{e} missing from {:?}",
            imported.not_imported
        );
        assert!(
            imported.yaml.contains(&format!("# - {e}\n")),
            "{e} not in the YAML"
        );
    }
    assert_eq!(imported.not_imported.len(), expected.len());
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
    assert!(imported.yaml.contains("# was fs-0aaaabbbbccccdddd"));
    assert!(imported.yaml.contains("# fsap-02222222222222222 in AWS"));
    assert!(
        imported
            .renamed
            .contains(&("fs-0aaaabbbbccccdddd".to_owned(), "cms-uploads".to_owned()))
    );
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

/// Apply the import's renames to every string of a JSON value.
fn rename(v: &mut Value, renamed: &[(String, String)]) {
    match v {
        Value::String(s) => {
            if let Some((_, to)) = renamed.iter().find(|(from, _)| from == s) {
                *s = to.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rename(i, renamed)),
        Value::Object(m) => m.values_mut().for_each(|i| rename(i, renamed)),
        _ => {}
    }
}

#[test]
fn json_to_model_to_json_round_trip() {
    for name in TASK_DEFINITIONS.iter().filter(|n| **n != "extras") {
        let original: Value = serde_json::from_str(&input(&format!("{name}.json")).text).unwrap();
        let imported = import_one(name);
        assert!(
            imported.not_imported.is_empty(),
            "{name}: {:?}",
            imported.not_imported
        );
        let model = analyze(&imported.yaml).model.unwrap();
        let exported = archflow::interop::ecs::export::ecs(&model.doc);
        assert_eq!(exported.len(), 1);
        let mut expected = archflow::interop::ecs::export::comparable(&original);
        rename(&mut expected, &imported.renamed);
        let got = exported[0].json.to_value();
        assert_eq!(got, expected, "{name}");
        // Pretty output parses back to the same value.
        let reparsed: Value = serde_json::from_str(&exported[0].json.pretty()).unwrap();
        assert_eq!(reparsed, got);
    }
}

#[test]
fn json_with_unmodelled_fields_round_trips_without_them() {
    let original: Value = serde_json::from_str(&input("extras.json").text).unwrap();
    let imported = import_one("extras");
    let model = analyze(&imported.yaml).model.unwrap();
    let got = archflow::interop::ecs::export::ecs(&model.doc)[0]
        .json
        .to_value();
    let mut expected = archflow::interop::ecs::export::comparable(&original);
    // The listed fields are the whole difference.
    let m = expected.as_object_mut().unwrap();
    m.remove("runtimePlatform");
    m.remove("ephemeralStorage");
    let c = &mut m["containerDefinitions"][0];
    c.as_object_mut().unwrap().remove("memoryReservation");
    c.as_object_mut().unwrap().remove("ulimits");
    c["logConfiguration"]
        .as_object_mut()
        .unwrap()
        .remove("secretOptions");
    m["volumes"][1]
        .as_object_mut()
        .unwrap()
        .remove("dockerVolumeConfiguration");
    assert_eq!(got, expected);
}

#[test]
fn model_to_json_to_model_round_trip() {
    for model_path in ["architecture.yaml"] {
        let text = std::fs::read_to_string(root().join(model_path)).unwrap();
        let first = analyze(&text).model.unwrap();
        let exported = archflow::interop::ecs::export::ecs(&first.doc);
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
        let again = archflow::interop::ecs::export::ecs(&second.doc);
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
    let json = archflow::interop::ecs::export::ecs(&model.doc)[0]
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
    let e = ecs::import(&Inputs {
        task_definitions: vec![input("services.json")],
        ..Inputs::default()
    })
    .unwrap_err();
    assert!(e.message.contains("pass it with --service"), "{e}");
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
