//! `archflow drift`: each kind of difference, no drift, output formats, exit codes, bad input.

use archflow::interop::ecs::drift::{Difference, compare};
use serde_json::{Value, json};

use crate::support::{archflow, fixture, text};

/// A deployed fixture and the model imported from it, as exported JSON.
fn base(name: &str) -> (Value, Value) {
    let text = std::fs::read_to_string(fixture(&format!("ecs/{name}"))).unwrap();
    let deployed: Value = serde_json::from_str(&text).unwrap();
    let imported =
        archflow::interop::ecs::import::import(&archflow::interop::ecs::import::Inputs {
            task_definitions: vec![archflow::interop::ecs::import::InputFile::new(name, text)],
            ..Default::default()
        })
        .unwrap();
    let model = archflow::analyze(&archflow::source::Source::new("m.yaml", imported.yaml))
        .model
        .unwrap();
    let exported = archflow::interop::ecs::export::export(&model.doc).task_definitions[0]
        .json
        .to_value();
    (exported, deployed)
}

/// The differences after changing the deployed side of `goals-describe.json`.
fn drift_after(change: impl FnOnce(&mut Value)) -> Vec<Difference> {
    drift_of("goals-describe.json", change)
}

/// The differences after changing the deployed side of a fixture.
fn drift_of(name: &str, change: impl FnOnce(&mut Value)) -> Vec<Difference> {
    let (model, mut deployed) = base(name);
    match deployed.get_mut("taskDefinition") {
        Some(td) => change(td),
        None => change(&mut deployed),
    }
    let family = model["family"].as_str().unwrap().to_owned();
    compare(&family, &model, &deployed)
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
        "goals/goals-backend: portMappings[0].containerPort: model 80, deployed 8080"
    );
}

#[test]
fn mounts() {
    let d =
        drift_after(|v| v["containerDefinitions"][1]["mountPoints"][0]["readOnly"] = json!(true));
    assert_eq!(
        one(&d),
        "goals/mongodb: mountPoints[0].readOnly: model false, deployed true"
    );
}

#[test]
fn volumes() {
    let d = drift_after(|v| {
        v["volumes"][0]["efsVolumeConfiguration"]["transitEncryption"] = json!("DISABLED");
    });
    assert_eq!(
        one(&d),
        "goals: volumes[data].efsVolumeConfiguration.transitEncryption: model ENABLED, deployed \
         DISABLED"
    );
    let d = drift_after(|v| v["volumes"] = json!([{"name": "data"}]));
    assert!(
        one(&d).starts_with(
            "goals: volumes[data].efsVolumeConfiguration: model {\"authorizationConfig\":"
        ),
        "{}",
        d[0].line()
    );
    assert!(one(&d).ends_with("deployed none"));
}

#[test]
fn dependencies() {
    let d =
        drift_after(|v| v["containerDefinitions"][0]["dependsOn"][0]["condition"] = json!("START"));
    assert_eq!(
        one(&d),
        "goals/goals-backend: dependsOn[0].condition: model HEALTHY, deployed START"
    );
}

#[test]
fn health_checks() {
    let d = drift_after(|v| v["containerDefinitions"][1]["healthCheck"]["retries"] = json!(5));
    assert_eq!(
        one(&d),
        "goals/mongodb: healthCheck.retries: model 3, deployed 5"
    );
    let d = drift_after(|v| {
        v["containerDefinitions"][1]
            .as_object_mut()
            .unwrap()
            .remove("healthCheck");
    });
    assert!(one(&d).starts_with("goals/mongodb: healthCheck: model {\"command\":"));
    assert!(one(&d).ends_with("deployed none"));
}

#[test]
fn environment_values() {
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["environment"][0]["value"] = json!("db.internal");
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: environment[MONGODB_URL].value: model localhost, deployed db.internal"
    );
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["environment"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "DEBUG", "value": "1"}));
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: environment[DEBUG]: model none, deployed {\"name\":\"DEBUG\",\"value\":\"1\"}"
    );
    let d = drift_after(|v| {
        v["containerDefinitions"][0]["secrets"] =
            json!([{"name": "TOKEN", "valueFrom": "arn:aws:ssm:x"}]);
    });
    assert_eq!(
        one(&d),
        "goals/goals-backend: secrets[TOKEN]: model none, deployed {\"name\":\"TOKEN\",\"valueFrom\":\"arn:aws:ssm:x\"}"
    );
}

/// A value under a name that says it holds a secret, or one that looks like a secret whatever
/// its name, is shown as `****`, in both outputs.
#[test]
fn secret_looking_values_are_masked() {
    let d = drift_of("appmesh-ec2.json", |v| {
        v["containerDefinitions"][0]["environment"][1]["value"] = json!("tr0ub4dor&3");
    });
    assert_eq!(
        one(&d),
        "catalog/catalog: environment[SESSION_SECRET].value: model ****, deployed ****"
    );
    let d = drift_of("appmesh-ec2.json", |v| {
        v["containerDefinitions"][0]["environment"][0]["value"] =
            json!("postgres://app:hunter2@db:5432/catalog");
    });
    assert_eq!(
        one(&d),
        "catalog/catalog: environment[CATALOG_PAGE_SIZE].value: model 50, deployed ****"
    );
    let d = drift_of("appmesh-ec2.json", |v| {
        v["containerDefinitions"][0]["environment"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "API_TOKEN", "value": "abc123"}));
    });
    assert_eq!(
        one(&d),
        "catalog/catalog: environment[API_TOKEN]: model none, deployed {\"name\":\"API_TOKEN\",\"value\":\"****\"}"
    );
    let json = archflow::interop::ecs::drift::to_json(&d, &[]);
    assert!(!json.contains("abc123"), "{json}");
    assert!(json.contains("****"), "{json}");
}

#[test]
fn container_sizes() {
    let d = drift_of("appmesh-ec2.json", |v| {
        v["containerDefinitions"][0]["memory"] = json!(1024);
    });
    assert_eq!(one(&d), "catalog/catalog: memory: model 512, deployed 1024");
    let d = drift_of("arm64-firelens.json", |v| {
        v["containerDefinitions"][1]["memoryReservation"] = json!(64);
    });
    assert_eq!(
        one(&d),
        "orders/log-router: memoryReservation: model 50, deployed 64"
    );
    // A size written as a string is the same size.
    assert_eq!(
        drift_of("appmesh-ec2.json", |v| {
            v["containerDefinitions"][0]["memory"] = json!("512");
        }),
        []
    );
}

#[test]
fn fields_in_aws_are_compared() {
    let d = drift_of("appmesh-ec2.json", |v| {
        v["containerDefinitions"][0]["ulimits"][0]["softLimit"] = json!(8192);
    });
    assert_eq!(
        one(&d),
        "catalog/catalog: ulimits[nofile].softLimit: model 16384, deployed 8192"
    );
    let d = drift_of("arm64-firelens.json", |v| {
        v["containerDefinitions"][0]["linuxParameters"]["initProcessEnabled"] = json!(false);
    });
    assert_eq!(
        one(&d),
        "orders/orders: linuxParameters.initProcessEnabled: model true, deployed false"
    );
    let d = drift_of("appmesh-ec2.json", |v| {
        v["proxyConfiguration"]["properties"][3]["value"] = json!("9080,9090");
    });
    assert_eq!(
        one(&d),
        "catalog: proxyConfiguration.properties[AppPorts].value: model 9080, deployed 9080,9090"
    );
    let d = drift_of("arm64-firelens.json", |v| {
        v["runtimePlatform"]["cpuArchitecture"] = json!("X86_64");
    });
    assert_eq!(
        one(&d),
        "orders: runtimePlatform.cpuArchitecture: model ARM64, deployed X86_64"
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
    let d = drift_after(|v| v["networkMode"] = json!("bridge"));
    assert_eq!(one(&d), "goals: networkMode: model awsvpc, deployed bridge");
}

/// Describe output writes out what AWS assumes: that is no difference from a model that
/// leaves it out.
#[test]
fn defaults_aws_writes_out_are_no_drift() {
    let d = drift_of("web-bridge.json", |v| {
        let c = &mut v["containerDefinitions"][1];
        c["cpu"] = json!(0);
        c["environment"] = json!([]);
        c["volumesFrom"] = json!([]);
        c["portMappings"][0]["protocol"] = json!("tcp");
        c["healthCheck"]["timeout"] = json!(5);
    });
    assert_eq!(d, []);
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

/// Import goals with its service, target group and load balancer into `dir/architecture.yaml`.
fn model_with_service_in(dir: &std::path::Path) {
    let f = |n: &str| fixture(&format!("ecs/{n}")).display().to_string();
    let out = archflow(
        dir,
        &[
            "import",
            "ecs",
            &f("goals-describe.json"),
            "--service",
            &f("services.json"),
            "--target-groups",
            &f("target-groups.json"),
            "-o",
            "architecture.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
}

fn write_services(dir: &std::path::Path, change: impl FnOnce(&mut Value)) -> String {
    let text = std::fs::read_to_string(fixture("ecs/services.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    change(&mut v["services"][0]);
    std::fs::write(dir.join("services.json"), v.to_string()).unwrap();
    "services.json".to_owned()
}

#[test]
fn services_are_compared_with_describe_services_output() {
    let dir = tempfile::tempdir().unwrap();
    model_with_service_in(dir.path());
    let td = fixture("ecs/goals-describe.json").display().to_string();
    let same = write_services(dir.path(), |_| {});
    let out = archflow(
        dir.path(),
        &["drift", "--task-definition", &td, "--service", &same],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(text(&out).0, "no drift\n");
    // The revision is not compared: the service runs its family's latest.
    assert!(
        text(&out)
            .1
            .contains("note: service goals: taskDefinition: compared by family"),
        "{:?}",
        text(&out)
    );

    let changed = write_services(dir.path(), |s| {
        s["desiredCount"] = json!(3);
        s["deploymentConfiguration"]["deploymentCircuitBreaker"]["rollback"] = json!(false);
    });
    let out = archflow(dir.path(), &["drift", "--service", &changed]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    assert_eq!(
        text(&out).0,
        "service goals: deploymentConfiguration.deploymentCircuitBreaker.rollback: model true, \
         deployed false\n\
         service goals: desiredCount: model 2, deployed 3\n\
         2 difference(s)\n"
    );
    assert!(
        text(&out)
            .1
            .contains("note: goals: no deployed task definition given, not compared")
    );

    // Fields the model carries in `aws:` too, and a service the model does not have.
    let changed = write_services(dir.path(), |s| {
        s["enableExecuteCommand"] = json!(true);
        s["serviceName"] = json!("other");
    });
    let out = archflow(dir.path(), &["drift", "--service", &changed]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out)
            .0
            .starts_with("service other: service: model none, deployed services.json\n"),
        "{:?}",
        text(&out)
    );
    let changed = write_services(dir.path(), |s| s["propagateTags"] = json!("SERVICE"));
    let out = archflow(dir.path(), &["drift", "--service", &changed]);
    assert_eq!(
        text(&out).0,
        "service goals: propagateTags: model NONE, deployed SERVICE\n1 difference(s)\n"
    );

    // Nothing deployed given: bad input.
    let out = archflow(dir.path(), &["drift"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A name the model gives where AWS has an identity (a file system without `fileSystemId`)
/// is not compared, and the note says so.
#[test]
fn names_standing_in_for_identities_are_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    model_in(dir.path());
    let path = dir.path().join("architecture.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let without: String = yaml
        .split_inclusive('\n')
        .filter(|l| !l.trim_start().starts_with("fileSystemId: fs-"))
        .collect();
    assert_ne!(without, yaml);
    std::fs::write(&path, without).unwrap();
    let same = write_deployed(dir.path(), |_| {});
    let out = archflow(dir.path(), &["drift", "--task-definition", &same]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(
        text(&out).1.contains(
            "note: goals: volumes[data].efsVolumeConfiguration.fileSystemId: not compared: the \
             model gives the name `goals-data` where AWS has an identity (deployed \
             fs-0123456789abcdef0)"
        ),
        "{:?}",
        text(&out)
    );
}

/// The partial shapes import reads: container definitions alone (the family is the file's name,
/// as import gives it) and a `create-service` input without `serviceName` or `taskDefinition`
/// (the service named after the file; its task definition not compared, and a note says so).
#[test]
fn partial_files_are_compared_as_import_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let containers = r#"[{"name": "app", "image": "nginx:1.27", "memory": 256}]"#;
    std::fs::write(dir.path().join("web.json"), containers).unwrap();
    std::fs::write(
        dir.path().join("web-service.json"),
        r#"{"desiredCount": 2, "launchType": "EC2"}"#,
    )
    .unwrap();
    let out = archflow(
        dir.path(),
        &[
            "import",
            "ecs",
            "web.json",
            "web-service.json",
            "-o",
            "m.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let drift = |args: &[&str]| {
        let mut all = vec!["drift", "m.yaml"];
        all.extend_from_slice(args);
        let out = archflow(dir.path(), &all);
        let (o, e) = text(&out);
        (out.status.code(), o, e)
    };
    let (code, out, err) = drift(&[
        "--task-definition",
        "web.json",
        "--service",
        "web-service.json",
    ]);
    assert_eq!((code, out.as_str()), (Some(0), "no drift\n"), "{err}");
    assert!(
        err.contains(
            "note: service web-service: taskDefinition: not compared: web-service.json names none"
        ),
        "{err}"
    );
    std::fs::create_dir(dir.path().join("deployed")).unwrap();
    std::fs::write(
        dir.path().join("deployed/web.json"),
        containers.replace("1.27", "1.28"),
    )
    .unwrap();
    let (code, out, _) = drift(&["--task-definition", "deployed/web.json"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "web/app: image: model nginx:1.27, deployed nginx:1.28\n1 difference(s)\n"
    );
    // A service given as a task definition, and the other way round, is refused.
    let (code, _, err) = drift(&["--task-definition", "web-service.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("pass it with --service"), "{err}");
    let (code, _, err) = drift(&["--service", "web.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("this is a task definition"), "{err}");
}
