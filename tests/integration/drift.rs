//! `archflow drift`: each kind of difference, no drift, output formats, exit codes, bad input.

use archflow::interop::ecs::drift::{Difference, compare};
use serde_json::{Value, json};

use crate::support::{archflow, fixture, text};

/// The deployed fixture and the model imported from it, as exported JSON.
fn base() -> (Value, Value) {
    let text = std::fs::read_to_string(fixture("ecs/goals-describe.json")).unwrap();
    let deployed =
        archflow::interop::ecs::export::comparable(&serde_json::from_str(&text).unwrap());
    let imported =
        archflow::interop::ecs::import::import(&archflow::interop::ecs::import::Inputs {
            task_definitions: vec![archflow::interop::ecs::import::InputFile::new(
                "g.json", text,
            )],
            ..Default::default()
        })
        .unwrap();
    let model = archflow::analyze(&archflow::source::Source::new("m.yaml", imported.yaml))
        .model
        .unwrap();
    let exported = archflow::interop::ecs::export::ecs(&model.doc)[0]
        .json
        .to_value();
    (exported, deployed)
}

/// The differences after changing the deployed side.
fn drift_after(change: impl FnOnce(&mut Value)) -> Vec<Difference> {
    let (model, mut deployed) = base();
    change(&mut deployed);
    compare("goals", &model, &deployed)
}

fn one(diffs: &[Difference]) -> String {
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    diffs[0].line()
}

#[test]
fn no_drift_between_a_definition_and_its_import() {
    assert_eq!(drift_after(|_| {}), []);
}

#[test]
fn image() {
    let d =
        drift_after(|v| v["containerDefinitions"][0]["image"] = json!("academind/goals-node:1.3"));
    assert_eq!(
        one(&d),
        "goals/goals-backend: image: model academind/goals-node:1.2, deployed academind/goals-node:1.3"
    );
}

#[test]
fn container_added_and_removed() {
    let d = drift_after(|v| {
        v["containerDefinitions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "xray", "image": "amazon/aws-xray-daemon"}));
    });
    assert_eq!(
        one(&d),
        "goals/xray: container: model none, deployed amazon/aws-xray-daemon"
    );
    let d = drift_after(|v| {
        v["containerDefinitions"].as_array_mut().unwrap().remove(0);
    });
    assert_eq!(
        d[0].line(),
        "goals/goals-backend: container: model academind/goals-node:1.2, deployed none"
    );
}

#[test]
fn ports() {
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["portMappings"][0]["containerPort"] = json!(8080);
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: ports: model 80/tcp, deployed 8080/tcp (host 80)"
    );
}

#[test]
fn mounts() {
    let d =
        drift_after(|v| v["containerDefinitions"][1]["mountPoints"][0]["readOnly"] = json!(true));
    assert_eq!(
        one(&d),
        "goals/mongodb: mounts: model data:/data/db, deployed data:/data/db:ro"
    );
}

#[test]
fn volumes() {
    let d = drift_after(|v| {
        v["volumes"][0]["efsVolumeConfiguration"]["transitEncryption"] = json!("DISABLED");
    });
    assert_eq!(
        one(&d),
        "goals: volumes: model data (EFS, transit encryption ENABLED, access point, IAM ENABLED), \
         deployed data (EFS, transit encryption DISABLED, access point, IAM ENABLED)"
    );
    let d = drift_after(|v| v["volumes"] = json!([{"name": "data"}]));
    assert!(one(&d).ends_with("deployed data (task storage)"));
}

#[test]
fn dependencies() {
    let d =
        drift_after(|v| v["containerDefinitions"][0]["dependsOn"][0]["condition"] = json!("START"));
    assert_eq!(
        one(&d),
        "goals/goals-backend: dependsOn: model mongodb HEALTHY, deployed mongodb START"
    );
}

#[test]
fn health_checks() {
    let d = drift_after(|v| v["containerDefinitions"][1]["healthCheck"]["retries"] = json!(5));
    assert!(one(&d).starts_with("goals/mongodb: healthCheck: model [\"CMD-SHELL\""));
    assert!(d[0].deployed.as_ref().unwrap().contains("retries=5"));
    let d = drift_after(|v| {
        v["containerDefinitions"][1]
            .as_object_mut()
            .unwrap()
            .remove("healthCheck");
    });
    assert!(one(&d).ends_with("deployed none"));
}

#[test]
fn environment_names_not_values() {
    // A changed value is not drift (values may be per environment, and are not printed).
    assert_eq!(
        drift_after(
            |v| v["containerDefinitions"][0]["environment"][0]["value"] = json!("db.internal")
        ),
        []
    );
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["environment"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "DEBUG", "value": "1"}));
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: environment names: model MONGODB_URL, deployed DEBUG, MONGODB_URL"
    );
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["secrets"] =
            json!([{"name": "TOKEN", "valueFrom": "arn:aws:ssm:x"}]);
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: secret names: model none, deployed TOKEN"
    );
}

#[test]
fn essential() {
    let d = drift_after(|v| v["containerDefinitions"][1]["essential"] = json!(false));
    assert_eq!(
        one(&d),
        "goals/mongodb: essential: model true, deployed false"
    );
    // Left out means true.
    assert_eq!(
        drift_after(|v| {
            v["containerDefinitions"][1]
                .as_object_mut()
                .unwrap()
                .remove("essential");
        }),
        []
    );
}

#[test]
fn task_size_and_network_mode() {
    let d = drift_after(|v| v["memory"] = json!("2048"));
    assert_eq!(one(&d), "goals: memory: model 1024, deployed 2048");
}

fn write_deployed(dir: &std::path::Path, change: impl FnOnce(&mut Value)) -> String {
    let text = std::fs::read_to_string(fixture("ecs/goals-describe.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    change(&mut v["taskDefinition"]);
    std::fs::write(dir.join("deployed.json"), v.to_string()).unwrap();
    "deployed.json".to_owned()
}

/// Import the fixture into `dir/architecture.yaml`.
fn model_in(dir: &std::path::Path) {
    let out = archflow(
        dir,
        &[
            "import",
            "ecs",
            fixture("ecs/goals-describe.json").to_str().unwrap(),
            "-o",
            "architecture.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
}

#[test]
fn cli_exit_codes_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    model_in(dir.path());
    let same = write_deployed(dir.path(), |_| {});
    let out = archflow(dir.path(), &["drift", "--task-definition", &same]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(text(&out).0, "no drift\n");

    let changed = write_deployed(dir.path(), |v| {
        v["containerDefinitions"][0]["image"] = json!("academind/goals-node:2");
        v["containerDefinitions"][1]["essential"] = json!(false);
    });
    let out = archflow(dir.path(), &["drift", "--task-definition", &changed]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out).0,
        "goals/goals-backend: image: model academind/goals-node:1.2, deployed academind/goals-node:2\n\
         goals/mongodb: essential: model true, deployed false\n\
         2 difference(s)\n"
    );
    let out = archflow(
        dir.path(),
        &["drift", "--task-definition", &changed, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("drift_json", text(&out).0);
    let v: Value = serde_json::from_str(&text(&out).0).unwrap();
    assert_eq!(v["drifted"], true);
    assert_eq!(v["differences"][0]["field"], "image");
}

#[test]
fn a_family_missing_from_the_model_is_drift() {
    let dir = tempfile::tempdir().unwrap();
    model_in(dir.path());
    let out = archflow(
        dir.path(),
        &[
            "drift",
            "--task-definition",
            fixture("ecs/web-bridge.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out)
            .0
            .starts_with("web: task definition: model none, deployed ")
    );
    assert!(
        text(&out)
            .1
            .contains("note: goals: no deployed task definition given")
    );
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    model_in(dir.path());
    let out = archflow(
        dir.path(),
        &[
            "drift",
            "--task-definition",
            fixture("ecs/bad/invalid.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("invalid.json:4:32: error: invalid JSON"),
        "{:?}",
        text(&out)
    );
    let out = archflow(
        dir.path(),
        &[
            "drift",
            "--task-definition",
            fixture("ecs/bad/missing-family.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("missing required field `family`"));
    let out = archflow(
        dir.path(),
        &[
            "drift",
            "missing.yaml",
            "--task-definition",
            fixture("ecs/goals-describe.json").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}
