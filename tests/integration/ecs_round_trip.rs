//! The lossless ECS round trip: `import ecs X` then `export ecs` gives X back, compared as
//! `serde_json::Value` (key order aside) in the form drift compares
//! (`wire::comparable_task_definition`, `wire::comparable_service`): without the fields AWS sets
//! in describe output (`wire::TASK_DEFINITION_READ_ONLY`, `wire::SERVICE_READ_ONLY`), `null`
//! and `[]` as no value, sizes in the API's types, a service's task definition by family.
//! Export → import → export is stable, byte for byte.
//!
//! [`round_trip_folder`] runs over every file of a folder: `tests/fixtures/ecs/` here; the
//! real-world corpus uses the same helpers (`realworld.rs`).

use std::path::{Path, PathBuf};

use archflow::interop::ecs::export::{self, Export};
use archflow::interop::ecs::import::{self as ecs, InputFile, Inputs};
use archflow::interop::ecs::wire::{
    self, CreateService, DescribeServices, DescribeTaskDefinition, TaskDefinition,
    comparable_service, comparable_task_definition, short_name,
};
use serde_json::{Value, json};

use crate::support::fixture;

/// Every JSON file under `dir` and its folders, except `bad/`, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != "bad" {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// The every-field skeletons write `""` for every string; the names a model needs (`family`,
/// `name`, `image`, …) cannot be blank, so each blank string becomes its key's name.
fn fill_blanks(value: &mut Value, key: &str) {
    match value {
        Value::String(s) if s.is_empty() => key.clone_into(s),
        Value::Array(items) => items.iter_mut().for_each(|v| fill_blanks(v, key)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| fill_blanks(v, k)),
        _ => {}
    }
}

fn analyze(yaml: &str) -> archflow::Analysis {
    archflow::analyze(&archflow::source::Source::new("imported.yaml", yaml))
}

/// Import, check that the model loads, export.
pub fn import_export(name: &str, inputs: &Inputs) -> (ecs::Imported, Export) {
    let imported = ecs::import(inputs).unwrap_or_else(|e| panic!("{name}: {e}"));
    let a = analyze(&imported.yaml);
    let doc = &a
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: {:?}\n{}", a.diagnostics, imported.yaml))
        .doc;
    (imported.clone(), export::export(doc))
}

/// What one file is.
enum Shape {
    TaskDefinition(Box<TaskDefinition>),
    Services(DescribeServices),
    Other,
}

fn shape(value: &Value) -> Shape {
    if value.get("services").is_some() {
        Shape::Services(serde_json::from_value(value.clone()).unwrap())
    } else if value.get("taskDefinition").is_some_and(Value::is_object)
        || (value.get("family").is_some() && value.get("containerDefinitions").is_some())
    {
        Shape::TaskDefinition(Box::new(register_input(value)))
    } else {
        Shape::Other
    }
}

/// A task definition file (`describe-task-definition` output or `register-task-definition`
/// input) as the `register-task-definition` input it stands for: what import → export must give.
pub fn register_input(value: &Value) -> TaskDefinition {
    if value.get("taskDefinition").is_some_and(Value::is_object) {
        let d: DescribeTaskDefinition = serde_json::from_value(value.clone()).unwrap();
        d.input().unwrap()
    } else {
        let mut td = TaskDefinition::from_value(value).unwrap();
        td.remove_read_only();
        td
    }
}

/// The round trip of one task definition file: import → export gives `original`, nothing but
/// keys of a describe output's wrapper is listed as not imported, and export → import → export
/// is stable.
pub fn task_definition_round_trip(name: &str, value: &Value, original: &TaskDefinition) {
    let file = InputFile::new(name, value.to_string());
    let (imported, exported) = import_export(
        name,
        &Inputs {
            task_definitions: vec![file],
            ..Inputs::default()
        },
    );
    // Only keys of a describe output's wrapper are left out (nothing of the task definition).
    for n in &imported.not_imported {
        let key = n.split_once(": ").map_or("", |(_, k)| k);
        assert!(
            value.get("taskDefinition").is_some() && !key.contains(['.', '[', ' ']),
            "{name}: not imported: {n}"
        );
    }
    assert_eq!(exported.task_definitions.len(), 1, "{name}");
    assert!(
        exported.problems.is_empty(),
        "{name}: {:?}",
        exported.problems
    );
    let first = &exported.task_definitions[0].json;
    assert_eq!(
        comparable_task_definition(first),
        comparable_task_definition(original),
        "{name}: import → export differs from the original\n{}",
        imported.yaml
    );
    // Export → import → export: the same JSON, byte for byte.
    let again = InputFile::new(format!("{name} exported"), first.pretty());
    let (_, second) = import_export(
        name,
        &Inputs {
            task_definitions: vec![again],
            ..Inputs::default()
        },
    );
    assert_eq!(
        second.task_definitions[0].json.pretty(),
        first.pretty(),
        "{name}: export → import → export"
    );
}

/// The round trip of one `describe-services` file, with the task definitions its services run
/// (from `task_definitions`, else a small one of that family).
fn services_round_trip(
    name: &str,
    value: &Value,
    described: &DescribeServices,
    task_definitions: &[(String, Value)],
) {
    let services = described.services.clone().unwrap_or_default();
    let mut families: Vec<String> = services
        .iter()
        .filter_map(|s| s.task_definition.as_deref().map(short_name))
        .collect();
    families.dedup();
    let tds: Vec<InputFile> = families
        .iter()
        .map(|f| {
            let found = task_definitions.iter().find(|(_, v)| match shape(v) {
                Shape::TaskDefinition(td) => td.family.as_deref() == Some(f),
                _ => false,
            });
            match found {
                Some((n, v)) => InputFile::new(n, v.to_string()),
                None => InputFile::new(
                    format!("{f}.json"),
                    json!({"family": f, "containerDefinitions": [{"name": "app", "image": "app", "memory": 512}]})
                        .to_string(),
                ),
            }
        })
        .collect();
    let (imported, exported) = import_export(
        name,
        &Inputs {
            task_definitions: tds.clone(),
            services: vec![InputFile::new(name, value.to_string())],
            ..Inputs::default()
        },
    );
    assert!(
        exported.problems.is_empty(),
        "{name}: {:?}",
        exported.problems
    );
    for s in &services {
        let service_name = s.service_name.clone().unwrap();
        let e = exported
            .services
            .iter()
            .find(|e| e.name == service_name)
            .unwrap_or_else(|| panic!("{name}: service {service_name} not exported"));
        assert_eq!(
            comparable_service(&e.json),
            comparable_service(&s.create_input()),
            "{name}: service {service_name}: import → export differs from the original\n{}",
            imported.yaml
        );
    }
    // Export → import → export, the services read back as create-service input.
    let again = Inputs {
        task_definitions: exported
            .task_definitions
            .iter()
            .map(|t| InputFile::new(format!("{}.json", t.family), t.json.pretty()))
            .collect(),
        services: exported
            .services
            .iter()
            .map(|s| InputFile::new(format!("{}.service.json", s.name), wire::pretty(&s.json)))
            .collect(),
        ..Inputs::default()
    };
    let (_, second) = import_export(name, &again);
    let text =
        |e: &Export| -> Vec<String> { e.services.iter().map(|s| wire::pretty(&s.json)).collect() };
    assert_eq!(
        text(&second),
        text(&exported),
        "{name}: export → import → export"
    );
}

/// Run the round trip over every task definition and `describe-services` file of a folder;
/// returns how many files were round-tripped.
pub fn round_trip_folder(dir: &Path) -> usize {
    let files: Vec<(String, Value)> = json_files(dir)
        .iter()
        .map(|p| {
            let name = p.strip_prefix(dir).unwrap_or(p).display().to_string();
            let mut value: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            fill_blanks(&mut value, "value");
            (name, value)
        })
        .collect();
    let mut count = 0;
    for (name, value) in &files {
        match shape(value) {
            Shape::TaskDefinition(original) => {
                task_definition_round_trip(name, value, &original);
                count += 1;
            }
            Shape::Services(described) => {
                services_round_trip(name, value, &described, &files);
                count += 1;
            }
            Shape::Other => {}
        }
    }
    count
}

#[test]
fn every_ecs_fixture_round_trips() {
    let n = round_trip_folder(&fixture("ecs"));
    // 11 task definitions (4 added for this: ARM64 with FireLens, Windows, App Mesh on EC2, and
    // the every-field ones) and 3 describe-services files.
    assert!(n >= 14, "only {n} files round-tripped");
}

#[test]
fn the_new_fixtures_keep_what_export_used_to_drop() {
    let yaml = |n: &str| {
        let text = std::fs::read_to_string(fixture(&format!("ecs/{n}"))).unwrap();
        ecs::import(&Inputs {
            task_definitions: vec![InputFile::new(n, text)],
            ..Inputs::default()
        })
        .unwrap()
        .yaml
    };
    let arm = yaml("arm64-firelens.json");
    for part in [
        "runtimePlatform:\n        cpuArchitecture: ARM64\n        operatingSystemFamily: LINUX\n",
        "ephemeralStorage:\n        sizeInGiB: 40\n",
        "memoryReservation: 384\n",
        "secretOptions:\n",
        "firelensConfiguration:\n",
        "linuxParameters:\n",
        "ulimits:\n",
        "executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole\n",
    ] {
        assert!(arm.contains(part), "{part}\n{arm}");
    }
    let windows = yaml("windows-iis.json");
    assert!(windows.contains("operatingSystemFamily: WINDOWS_SERVER_2022_CORE"));
    let mesh = yaml("appmesh-ec2.json");
    for part in ["proxyConfiguration:\n", "memory: 512\n", "pidMode: task\n"] {
        assert!(mesh.contains(part), "{part}\n{mesh}");
    }
}

#[test]
fn identities_are_kept_beside_the_names() {
    let read = |n: &str| {
        InputFile::new(
            n,
            std::fs::read_to_string(fixture(&format!("ecs/{n}"))).unwrap(),
        )
    };
    let imported = ecs::import(&Inputs {
        task_definitions: vec![read("goals-describe.json")],
        services: vec![read("services.json")],
        target_groups: vec![read("target-groups.json")],
        load_balancers: vec![read("load-balancers.json")],
        ..Inputs::default()
    })
    .unwrap();
    let a = analyze(&imported.yaml);
    let doc = &a.model.as_ref().unwrap().doc;
    let id = |v: Option<&archflow::syntax::document::S<String>>| v.map(|v| v.value.clone());
    assert_eq!(
        id(doc.cluster.as_ref().unwrap().cluster_arn.as_ref()).as_deref(),
        Some("arn:aws:ecs:eu-west-1:123456789012:cluster/goals-cluster")
    );
    assert_eq!(
        id(doc.target_groups[0].target_group_arn.as_ref()).as_deref(),
        Some(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/goals-tg/0123456789abcdef"
        )
    );
    let fs = &doc.file_systems[0];
    assert_eq!(
        id(fs.file_system_id.as_ref()).as_deref(),
        Some("fs-0123456789abcdef0")
    );
    assert_eq!(
        id(fs.access_points[0].access_point_id.as_ref()).as_deref(),
        Some("fsap-0fedcba9876543210")
    );
    let td = &doc.services[0].task_definition;
    assert_eq!(
        id(td.execution_role_arn.as_ref()).as_deref(),
        Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
    );
    // Export writes the identities, and has no name standing in for one.
    let exported = export::export(doc);
    assert!(exported.task_definitions[0].stand_ins.is_empty());
    assert!(exported.services[0].stand_ins.is_empty());
    let service = wire::to_value(&exported.services[0].json);
    assert_eq!(
        service["cluster"],
        "arn:aws:ecs:eu-west-1:123456789012:cluster/goals-cluster"
    );
    assert_eq!(
        service["loadBalancers"][0]["targetGroupArn"],
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/goals-tg/0123456789abcdef"
    );
    assert_eq!(service["taskDefinition"], "goals");
}

#[test]
fn create_service_input_is_in_the_skeleton_order() {
    let text = |n: &str| std::fs::read_to_string(fixture(&format!("ecs/{n}"))).unwrap();
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("orders.json", text("arm64-firelens.json"))],
        services: vec![InputFile::new("services.json", text("services-spot.json"))],
        ..Inputs::default()
    })
    .unwrap();
    let a = analyze(&imported.yaml);
    let files = export::files(&a.model.as_ref().unwrap().doc);
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["orders.json", "orders.service.json"]);
    let json = &files[1].text;
    insta::assert_snapshot!("export_ecs_create_service", json);
    // What `create-service` takes, in its order: written back, the same text.
    let typed: CreateService = serde_json::from_str(json).unwrap();
    assert_eq!(&wire::pretty(&typed), json);
    let pos = |k: &str| json.find(&format!("\"{k}\"")).unwrap();
    assert!(pos("cluster") < pos("serviceName"));
    assert!(pos("serviceName") < pos("taskDefinition"));
    assert!(pos("loadBalancers") < pos("desiredCount"));
    assert!(pos("capacityProviderStrategy") < pos("deploymentConfiguration"));
    // Settings describe-services shows only in the primary deployment are kept.
    assert!(pos("networkConfiguration") < pos("serviceConnectConfiguration"));
}

/// What `aws:` cannot hold is listed, and the model still loads: a key archflow uses for its own
/// field, a value nested deeper than the YAML reader allows; odd keys and values are kept.
#[test]
fn what_aws_cannot_hold_is_listed_and_the_model_loads() {
    let mut deep = json!("bottom");
    for _ in 0..40 {
        deep = json!([deep]);
    }
    let task = json!({
        "family": "odd",
        "memory": "512",
        "containerDefinitions": [{
            "name": "app",
            "image": "app",
            "label": "mine",
            "deep": deep,
            "<<": {"": null, "yes": "no", "a: b": [1.5, -0.0, 18_446_744_073_709_551_615_u64]},
            "dockerLabels": {"com.example/odd key": "#not a comment", "x": "\u{7f}\n"}
        }]
    });
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("odd.json", task.to_string())],
        ..Inputs::default()
    })
    .unwrap();
    assert_eq!(
        imported.not_imported,
        [
            "odd.json: containerDefinitions[0].deep (nested deeper than 32 levels)",
            "odd.json: containerDefinitions[0].label (archflow's own field of that name is something else)",
        ]
    );
    let a = analyze(&imported.yaml);
    let doc = &a
        .model
        .as_ref()
        .unwrap_or_else(|| panic!("{:?}\n{}", a.diagnostics, imported.yaml))
        .doc;
    let exported = export::export(doc);
    let c = wire::to_value(&exported.task_definitions[0].json)["containerDefinitions"][0].clone();
    assert_eq!(c["<<"], task["containerDefinitions"][0]["<<"]);
    assert_eq!(
        c["dockerLabels"],
        task["containerDefinitions"][0]["dockerLabels"]
    );
}
