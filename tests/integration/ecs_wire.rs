//! The typed ECS and load balancer JSON (`archflow::interop::ecs::wire`): every ECS fixture
//! reads and writes back to the same JSON, unknown keys included; the every-field fixtures (every
//! member of the AWS API shapes, laid out as the AWS CLI's `--generate-cli-skeleton` does) have no
//! key the types do not know, and input is written in the skeleton's key order.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use archflow::interop::ecs::import::{self as ecs, InputFile, Inputs};
use archflow::interop::ecs::wire::{
    self, CreateService, DescribeServices, DescribeTaskDefinition, TaskDefinition, elbv2,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::support::fixture;

/// Every JSON file under `tests/fixtures/ecs/`, except the bad ones, sorted.
fn fixtures() -> Vec<PathBuf> {
    crate::ecs_round_trip::json_files(&fixture("ecs"))
}

/// Read `text` into `T`, write it and read it again: the written JSON is the original (nothing
/// lost, nothing added) and reads back to an equal value.
fn round_trip<T>(name: &str, text: &str) -> T
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let original: Value = serde_json::from_str(text).unwrap();
    let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let written = serde_json::to_value(&typed).unwrap();
    assert_eq!(written, original, "{name}: written back differs");
    let again: T = serde_json::from_value(written).unwrap();
    assert_eq!(again, typed, "{name}: read → write → read");
    let pretty: T = serde_json::from_str(&wire::pretty(&typed)).unwrap();
    assert_eq!(pretty, typed, "{name}: pretty text");
    typed
}

/// Every `extra` in the value is empty: the types know every key.
fn no_unknown_keys(name: &str, typed: &impl Debug) {
    let debug = format!("{typed:?}");
    assert!(
        !debug.contains("extra: {\""),
        "{name}: a key the types do not know:\n{debug}"
    );
}

/// Round-trip a file with the type its top-level keys call for; `Debug` of the typed value.
fn round_trip_file(path: &Path) -> String {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let top: Value = serde_json::from_str(&text).unwrap();
    let has = |k: &str| top.get(k).is_some();
    if top.get("taskDefinition").is_some_and(Value::is_object) {
        format!("{:?}", round_trip::<DescribeTaskDefinition>(&name, &text))
    } else if has("services") {
        format!("{:?}", round_trip::<DescribeServices>(&name, &text))
    } else if has("TargetGroups") {
        format!(
            "{:?}",
            round_trip::<elbv2::DescribeTargetGroups>(&name, &text)
        )
    } else if has("LoadBalancers") {
        format!(
            "{:?}",
            round_trip::<elbv2::DescribeLoadBalancers>(&name, &text)
        )
    } else if has("serviceName") {
        format!("{:?}", round_trip::<CreateService>(&name, &text))
    } else {
        format!("{:?}", round_trip::<TaskDefinition>(&name, &text))
    }
}

#[test]
fn every_ecs_fixture_round_trips_through_the_wire_types() {
    let files = fixtures();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "goals-describe.json",
        "services.json",
        "target-groups.json",
        "load-balancers.json",
        "unknown-keys.json",
        "create-service.json",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} not found");
    }
    for path in &files {
        round_trip_file(path);
    }
}

#[test]
fn the_types_know_every_field_of_the_aws_api() {
    for path in fixtures()
        .iter()
        .filter(|p| p.parent().unwrap().ends_with("every-field"))
    {
        no_unknown_keys(&path.display().to_string(), &round_trip_file(path));
    }
}

#[test]
fn input_is_written_in_the_skeleton_order() {
    // The every-field input files list every member in the API's order, as
    // `--generate-cli-skeleton` does: written back, they are the same text.
    let text =
        |file: &str| std::fs::read_to_string(fixture(&format!("ecs/every-field/{file}"))).unwrap();
    let register = text("register-task-definition.json");
    let typed: TaskDefinition = serde_json::from_str(&register).unwrap();
    assert_eq!(typed.pretty(), register);
    let create = text("create-service.json");
    let typed: CreateService = serde_json::from_str(&create).unwrap();
    assert_eq!(wire::pretty(&typed), create);
}

#[test]
fn unknown_keys_are_kept_at_every_level() {
    let text = std::fs::read_to_string(fixture("ecs/unknown-keys.json")).unwrap();
    let d: DescribeTaskDefinition = round_trip("unknown-keys.json", &text);
    // What `the_types_know_every_field_of_the_aws_api` looks for is there to find.
    assert!(format!("{d:?}").contains("extra: {\""));
    assert_eq!(
        d.extra["futureTopLevel"],
        json!([1, 2.5, null, {"nested": "kept"}])
    );
    assert_eq!(d.tags.as_ref().unwrap()[0].extra["futureTagFlag"], false);
    let td = d.task_definition.as_ref().unwrap();
    assert_eq!(
        td.extra["futureTaskSetting"],
        json!({"mode": "fast", "level": 2})
    );
    let c = &td.container_definitions.as_ref().unwrap()[0];
    assert_eq!(c.extra["futureContainerFlag"], true);
    assert_eq!(
        c.port_mappings.as_ref().unwrap()[0].extra["futurePortOption"],
        1
    );
    assert_eq!(
        c.health_check.as_ref().unwrap().extra["futureProbe"],
        "grpc"
    );
    assert_eq!(
        c.log_configuration.as_ref().unwrap().extra["futureLogMode"],
        "non-blocking"
    );
    let efs = td.volumes.as_ref().unwrap()[0]
        .efs_volume_configuration
        .as_ref()
        .unwrap();
    assert_eq!(efs.extra["futureEfsOption"], "x");
    let auth = efs.authorization_config.as_ref().unwrap();
    assert_eq!(auth.extra["futureAuthMode"], "sso");
    assert_eq!(auth.extra["futureAuthNote"], Value::Null);
    // Numbers stay as written: the task's `cpu` a number, the container's a string.
    assert_eq!(td.cpu, Some(wire::StringOrNumber::Number(256.into())));
    assert_eq!(c.cpu, Some(wire::StringOrNumber::String("128".to_owned())));
}

#[test]
fn unknown_keys_are_carried_in_aws() {
    let text = std::fs::read_to_string(fixture("ecs/unknown-keys.json")).unwrap();
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("unknown-keys.json", text)],
        ..Inputs::default()
    })
    .unwrap();
    // Only a key of the describe output's wrapper has no item to go with; the output's tags
    // are the task definition's.
    assert_eq!(imported.not_imported, ["unknown-keys.json: futureTopLevel"]);
    for kept in [
        "        futureTaskSetting:\n          level: 2\n          mode: fast\n",
        "          aws:\n            futureContainerFlag: true\n",
        "              aws:\n                futurePortOption: 1\n",
        "            aws:\n              futureProbe: grpc\n",
        "            aws:\n              futureLogMode: non-blocking\n",
        "            aws:\n              futureEfsOption: x\n",
        "              aws:\n                futureAuthMode: sso\n",
        "      aws:\n        tags:\n          - key: team\n            value: legacy\n            futureTagFlag: false\n",
        "          cpu: 128\n",
    ] {
        assert!(imported.yaml.contains(kept), "{kept}\n{}", imported.yaml);
    }
    let a = archflow::analyze(&archflow::source::Source::new("m.yaml", imported.yaml));
    assert!(!a.failed_to_load(), "{:?}", a.diagnostics);
}

#[test]
fn unknown_keys_of_services_are_carried_and_of_elbv2_output_listed() {
    let services = json!({
        "services": [{
            "serviceName": "web",
            "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/web:1",
            "futureServiceFlag": true,
            "deploymentConfiguration": {"maximumPercent": 200, "futureDeploymentKnob": 1},
            "loadBalancers": [{
                "targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/1",
                "containerName": "web",
                "containerPort": 80,
                "futureLbOption": "x"
            }]
        }],
        "failures": [],
        "futureRoot": 1
    });
    let tgs = json!({
        "TargetGroups": [{"TargetGroupName": "web-tg", "TargetType": "future-type", "FutureTg": 1}],
        "NextMarker": "abc"
    });
    let lbs = json!({
        "LoadBalancers": [{"LoadBalancerName": "web-lb", "State": {"Code": "active"}, "FutureLb": 1}],
        "FutureRoot": 2
    });
    let task = r#"{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]}"#;
    let imported = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new("web.json", task)],
        services: vec![InputFile::new("s.json", services.to_string())],
        target_groups: vec![InputFile::new("tg.json", tgs.to_string())],
        load_balancers: vec![InputFile::new("lb.json", lbs.to_string())],
        ..Inputs::default()
    })
    .unwrap();
    assert_eq!(
        imported.not_imported,
        [
            "tg.json: NextMarker",
            "tg.json: TargetGroups[0].FutureTg",
            "tg.json: TargetGroups[0].TargetType = \"future-type\" (archflow knows instance, ip, lambda, alb)",
            "lb.json: FutureRoot",
            "lb.json: LoadBalancers[0].FutureLb",
            "s.json: futureRoot",
        ]
    );
    for kept in [
        "futureServiceFlag: true",
        "futureDeploymentKnob: 1",
        "futureLbOption: x",
    ] {
        assert!(imported.yaml.contains(kept), "{kept}\n{}", imported.yaml);
    }
}

#[test]
fn a_wrong_type_names_its_place_and_position() {
    let e = ecs::import(&Inputs {
        task_definitions: vec![InputFile::new(
            "t.json",
            "{\"family\": \"x\",\n \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"i\", \"essential\": \"yes\"}]}",
        )],
        ..Inputs::default()
    })
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "t.json:2:72: error: containerDefinitions[0].essential: expected true or false, found \"yes\"\n"
    );
}

#[test]
fn drift_of_a_value_that_is_not_a_task_definition_says_why() {
    let model =
        json!({"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}]});
    let deployed = json!({"taskDefinition": {"family": "web", "containerDefinitions": "none"}});
    let d = archflow::interop::ecs::drift::compare("web", &model, &deployed);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].line().starts_with(
            "web: task definition: model web, deployed not a task definition (invalid type: string \"none\", expected a sequence"
        ),
        "{}",
        d[0].line()
    );
    // Readable on both sides: compared as typed task definitions.
    let same =
        archflow::interop::ecs::drift::compare("web", &model, &json!({"taskDefinition": model}));
    assert_eq!(same, []);
}
