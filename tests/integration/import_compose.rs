//! Tests: `archflow import compose`. Fixtures under `tests/fixtures/compose/` are written from
//! the compose specification; each import is snapshotted, loaded and checked, and bad input is
//! refused with its place and nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use archflow::interop::compose::{
    self, FileError, Files, Imported, Layout, MemoryFiles, Options, Project,
};
use archflow::source::Source;
use serde_json::Value;

use crate::support::{archflow, fixture, read, root, text};

const FIXTURES: [&str; 7] = [
    "reference",
    "multi-service",
    "ports-volumes",
    "secrets-env",
    "readonly-replicas",
    "bind-build",
    "safe-mappings",
];

fn options(name: &str, layout: Layout) -> Options {
    Options {
        layout,
        source_name: format!("{name}.yml"),
        default_name: name.to_owned(),
    }
}

fn import(name: &str, layout: Layout) -> Imported {
    let text = read(format!("tests/fixtures/compose/{name}.yml"));
    compose::import(&text, &options(name, layout)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The rule codes of the imported model's findings, sorted; panics when it does not load.
fn findings(name: &str, yaml: &str) -> Vec<String> {
    let analysis = archflow::analyze(&Source::new(format!("{name}.yaml"), yaml));
    assert!(
        !analysis.failed_to_load(),
        "{name}: {:?}\n{yaml}",
        analysis.diagnostics
    );
    assert!(
        analysis
            .diagnostics
            .iter()
            .all(|d| !d.code.starts_with('L')),
        "{name}: {:?}",
        analysis.diagnostics
    );
    let mut codes: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}", d.code, d.severity))
        .collect();
    codes.sort();
    codes
}

fn parsed(yaml: &str) -> Value {
    serde_saphyr::from_str::<Value>(yaml).unwrap()
}

/// The container `name` of the imported model.
fn container<'a>(model: &'a Value, name: &str) -> &'a Value {
    model["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["taskDefinition"]["containerDefinitions"]
                .as_array()
                .unwrap()
        })
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name}"))
}

#[test]
fn snapshots_of_every_fixture_in_both_layouts() {
    for name in FIXTURES {
        for layout in [Layout::OneTask, Layout::OneServiceEach] {
            // One-service-each only differs for files with more than one service.
            if layout == Layout::OneServiceEach && matches!(name, "ports-volumes") {
                continue;
            }
            let imported = import(name, layout);
            let suffix = match layout {
                Layout::OneTask => "one-task",
                Layout::OneServiceEach => "one-service-each",
            };
            insta::assert_snapshot!(format!("{name}__{suffix}"), imported.yaml);
        }
    }
}

/// Every import loads and its findings are the expected hints: no errors, only the warnings a
/// reviewer should see (single task, compose host names in one-task mode).
#[test]
fn every_import_loads_and_its_findings_are_known() {
    let expected: [(&str, Layout, &[&str]); 10] = [
        (
            "reference",
            Layout::OneTask,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A026:warning",
                "A030:info",
            ],
        ),
        (
            "reference",
            Layout::OneServiceEach,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A019:info",
                "A030:info",
            ],
        ),
        (
            "multi-service",
            Layout::OneServiceEach,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A019:info",
                "A019:info",
                "A019:info",
                "A019:info",
                "A029:info",
                "A029:info",
                "A030:info",
            ],
        ),
        (
            "multi-service",
            Layout::OneTask,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A026:warning",
                "A026:warning",
                "A029:info",
                "A030:info",
            ],
        ),
        (
            "ports-volumes",
            Layout::OneTask,
            &[
                "A010:warning",
                "A013:info",
                "A013:info",
                "A019:info",
                "A030:info",
                "A030:info",
            ],
        ),
        (
            "secrets-env",
            Layout::OneTask,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A029:info",
                "A030:info",
            ],
        ),
        (
            "readonly-replicas",
            Layout::OneTask,
            &["A013:info", "A019:info", "A029:info", "A030:info"],
        ),
        (
            "bind-build",
            Layout::OneTask,
            &["A010:warning", "A013:info", "A019:info", "A030:info"],
        ),
        (
            "safe-mappings",
            Layout::OneTask,
            &[
                "A010:warning",
                "A013:info",
                "A019:info",
                "A026:warning",
                "A026:warning",
                "A029:info",
                "A029:info",
                "A029:info",
                "A029:info",
                "A030:info",
                "A033:warning",
            ],
        ),
        (
            "bind-build",
            Layout::OneServiceEach,
            &["A010:warning", "A013:info", "A019:info", "A030:info"],
        ),
    ];
    for (name, layout, codes) in expected {
        let imported = import(name, layout);
        assert_eq!(
            findings(name, &imported.yaml),
            codes,
            "{name} {layout:?}:\n{}",
            imported.yaml
        );
    }
    // Every fixture in every layout loads, whatever its findings; none has an error.
    for name in FIXTURES {
        for layout in [Layout::OneTask, Layout::OneServiceEach] {
            let codes = findings(name, &import(name, layout).yaml);
            assert!(
                codes.iter().all(|c| !c.ends_with(":error")),
                "{name} {layout:?}: {codes:?}"
            );
        }
    }
}

#[test]
fn reference_system_maps_like_architecture_yaml() {
    let imported = import("reference", Layout::OneTask);
    let m = parsed(&imported.yaml);
    assert_eq!(m["name"], "goals");
    assert_eq!(m["services"].as_array().unwrap().len(), 1);
    let svc = &m["services"][0];
    assert_eq!(svc["serviceName"], "goals");
    assert_eq!(svc["taskDefinition"]["networkMode"], "awsvpc");
    assert_eq!(svc["deploymentConfiguration"]["maximumPercent"], 100);
    assert_eq!(svc["loadBalancers"][0]["containerName"], "goals-backend");
    assert_eq!(svc["loadBalancers"][0]["containerPort"], 80);
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 80);
    assert_eq!(m["targetGroups"][0]["targetType"], "ip");
    assert_eq!(m["actors"][0]["connectsTo"][0], "goals-alb");
    // The named volume on the database becomes EFS.
    assert_eq!(m["fileSystems"][0]["name"], "goals-data");
    let volume = &svc["taskDefinition"]["volumes"][0];
    assert_eq!(volume["name"], "data");
    assert_eq!(
        volume["efsVolumeConfiguration"]["fileSystemId"],
        "goals-data"
    );
    assert!(
        imported
            .yaml
            .contains("# compose volume `data`; EFS so data survives task replacement")
    );
    let mongo = container(&m, "mongodb");
    assert_eq!(mongo["role"], "database");
    assert_eq!(mongo["mountPoints"][0]["containerPath"], "/data/db");
    assert_eq!(mongo["healthCheck"]["interval"], 30);
    assert_eq!(mongo["healthCheck"]["startPeriod"], 30);
    let api = container(&m, "goals-backend");
    assert_eq!(api["role"], "api");
    assert_eq!(api["portMappings"][0]["containerPort"], 80);
    assert_eq!(api["dependsOn"][0]["containerName"], "mongodb");
    assert_eq!(api["dependsOn"][0]["condition"], "START");
    assert_eq!(api["connectsTo"][0], "mongodb");
    // The host name is flagged, with localhost suggested.
    assert!(
        imported
            .yaml
            .contains("# `mongodb` is a compose service name, which does not resolve here"),
        "{}",
        imported.yaml
    );
    assert!(imported.yaml.contains("use `localhost`"));
    assert!(imported.yaml.contains("# Layout one-task:"));
    assert!(
        imported.not_imported.is_empty(),
        "{:?}",
        imported.not_imported
    );
}

#[test]
fn one_service_each_splits_services_and_lists_lost_depends_on() {
    let imported = import("multi-service", Layout::OneServiceEach);
    let m = parsed(&imported.yaml);
    let names: Vec<&str> = m["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["serviceName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "web-service",
            "api-service",
            "migrate-service",
            "db-service",
            "cache-service"
        ]
    );
    assert!(m["services"].as_array().unwrap().iter().all(|s| {
        s["taskDefinition"]["containerDefinitions"]
            .as_array()
            .unwrap()
            .len()
            == 1
    }));
    assert!(container(&m, "api").get("dependsOn").is_none());
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.contains("services.api.depends_on.db") && n.contains("service_healthy")),
        "{:?}",
        imported.not_imported
    );
    assert!(imported.yaml.contains("# Layout one-service-each:"));
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.contains("`services.migrate`") && n.contains("run-task")),
        "{:?}",
        imported.not_imported
    );
    assert!(container(&m, "migrate").get("essential").is_none());
    assert!(imported.yaml.contains("Service Connect or Cloud Map"));
    // Only the database's service needs the stop-before-start deployment.
    let db = m["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["serviceName"] == "db-service")
        .unwrap();
    assert_eq!(db["deploymentConfiguration"]["maximumPercent"], 100);
    let web = &m["services"][0];
    assert!(web.get("deploymentConfiguration").is_none());
}

#[test]
fn depends_on_conditions_and_health_checks() {
    let imported = import("multi-service", Layout::OneTask);
    let m = parsed(&imported.yaml);
    let api = container(&m, "api");
    let deps: Vec<(&str, &str)> = api["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["containerName"].as_str().unwrap(),
                d["condition"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            ("db", "HEALTHY"),
            ("cache", "START"),
            ("migrate", "SUCCESS")
        ]
    );
    assert_eq!(container(&m, "web")["dependsOn"][0]["condition"], "HEALTHY");
    // A string test becomes CMD-SHELL; 1m30s is 90 seconds.
    let hc = &api["healthCheck"];
    assert_eq!(hc["command"][0], "CMD-SHELL");
    assert_eq!(
        hc["command"][1],
        "curl -f http://localhost:3000/health || exit 1"
    );
    assert_eq!(hc["interval"], 90);
    assert_eq!(hc["timeout"], 10);
    assert_eq!(hc["retries"], 5);
    assert_eq!(hc["startPeriod"], 40);
    let db = container(&m, "db");
    assert_eq!(db["role"], "database");
    assert_eq!(db["healthCheck"]["command"][0], "CMD");
    assert_eq!(container(&m, "cache")["role"], "cache");
    assert_eq!(container(&m, "web")["role"], "web");
    // The one-off job waited for with SUCCESS is not essential (else ECS never starts `api`).
    let migrate = container(&m, "migrate");
    assert_eq!(migrate["essential"], false);
    assert_eq!(migrate["command"][2], "migrate");
    // `expose` ports are mapped, not published.
    assert_eq!(api["portMappings"][0]["containerPort"], 3000);
    assert!(api.get("connectsTo").is_some());
    assert!(
        imported
            .yaml
            .contains("postgres://shop@localhost:5432/shop")
    );
}

#[test]
fn short_and_long_port_and_volume_syntax() {
    let imported = import("ports-volumes", Layout::OneTask);
    let m = parsed(&imported.yaml);
    let app = container(&m, "app");
    let ports: Vec<(i64, &str)> = app["portMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["containerPort"].as_i64().unwrap(),
                p["protocol"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ports,
        [
            (3000, "tcp"),
            (8000, "tcp"),
            (9091, "tcp"),
            (5353, "udp"),
            (4000, "tcp")
        ]
    );
    assert_eq!(app["portMappings"][4]["appProtocol"], "http");
    // awsvpc: no hostPort is written.
    assert!(!imported.yaml.contains("hostPort"));
    // Published HTTP ports become listeners on the published port; the one bound to 127.0.0.1
    // stays inside the task; the UDP one is behind a network load balancer.
    let listeners = |lb: usize| -> Vec<(i64, String)> {
        m["loadBalancers"][lb]["listeners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["port"].as_i64().unwrap(),
                    l["protocol"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        listeners(0),
        [(8000, "HTTP".to_owned()), (443, "HTTP".to_owned())]
    );
    assert_eq!(m["loadBalancers"][1]["type"], "network");
    assert_eq!(listeners(1), [(5353, "UDP".to_owned())]);
    assert!(imported.yaml.contains("HTTPS needs a certificate"));
    assert!(
        imported
            .yaml
            .contains("behind the network load balancer, which forwards UDP as it is")
    );
    let mounts: Vec<(&str, &str, bool)> = app["mountPoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["sourceVolume"].as_str().unwrap(),
                p["containerPath"].as_str().unwrap(),
                p.get("readOnly").is_some_and(|r| r == true),
            )
        })
        .collect();
    assert_eq!(
        mounts,
        [
            ("cache", "/var/cache/app", false),
            ("cache", "/srv/cache-ro", true),
            ("uploads", "/srv/uploads", true),
            ("uploads", "/srv/uploads-rw", false)
        ]
    );
    let volumes = m["services"][0]["taskDefinition"]["volumes"]
        .as_array()
        .unwrap();
    assert_eq!(volumes.len(), 2);
    assert!(
        imported
            .yaml
            .contains("task storage, deleted with the task")
    );
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.contains("127.0.0.1:9090:9091")),
        "{:?}",
        imported.not_imported
    );
}

#[test]
fn secrets_and_environment_forms() {
    let imported = import("secrets-env", Layout::OneTask);
    let m = parsed(&imported.yaml);
    let worker = container(&m, "worker");
    let env = |c: &Value| -> Vec<(String, String)> {
        c["environment"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_owned(),
                    e["value"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        env(worker),
        [
            ("QUEUE".to_owned(), "jobs".to_owned()),
            ("CONCURRENCY".to_owned(), "4".to_owned())
        ]
    );
    let api = container(&m, "api");
    assert_eq!(
        env(api),
        [
            ("LOG_LEVEL".to_owned(), "info".to_owned()),
            ("DEBUG".to_owned(), "false".to_owned()),
            ("WORKERS".to_owned(), "3".to_owned())
        ]
    );
    assert_eq!(worker["secrets"][0]["name"], "api_key");
    assert_eq!(worker["secrets"][0]["valueFrom"], "api_key");
    assert_eq!(worker["secrets"][1]["name"], "DB_PASSWORD");
    assert_eq!(worker["secrets"][1]["valueFrom"], "db_password");
    assert!(imported.yaml.contains("# compose secret `db_password`"));
    for lost in [
        "services.worker.environment: FROM_SHELL",
        "services.api.environment.UNSET",
        "secrets.api_key",
        "services.worker.secrets.mode",
    ] {
        assert!(
            imported.not_imported.iter().any(|n| n.contains(lost)),
            "{lost}: {:?}",
            imported.not_imported
        );
    }
}

#[test]
fn read_only_replicas_user_and_commands() {
    let imported = import("readonly-replicas", Layout::OneTask);
    let m = parsed(&imported.yaml);
    assert_eq!(m["services"][0]["desiredCount"], 3);
    let api = container(&m, "api");
    assert_eq!(api["readonlyRootFilesystem"], true);
    assert_eq!(api["user"], "1000:1000");
    assert_eq!(api["entryPoint"][0], "/bin/api");
    assert_eq!(api["command"][1], "8080");
    assert_eq!(api["portMappings"][0]["containerPort"], 8080);
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 80);
    let sidecar = container(&m, "sidecar");
    assert_eq!(sidecar["readonlyRootFilesystem"], false);
    assert_eq!(sidecar["privileged"], false);
    assert_eq!(sidecar["entryPoint"][1], "--verbose");
    // `deploy.resources` become the container's size (CPU units and MiB), no longer a note.
    assert_eq!(api["cpu"], 512);
    assert_eq!(api["memory"], 512);
    assert!(
        !imported
            .not_imported
            .iter()
            .any(|n| n.contains("deploy.resources"))
    );
    // One service each: replicas go to the api's own service only.
    let each = parsed(&import("readonly-replicas", Layout::OneServiceEach).yaml);
    assert_eq!(each["services"][0]["desiredCount"], 3);
    assert_eq!(each["services"][1]["desiredCount"], 1);
}

#[test]
fn bind_mounts_build_and_extras_are_listed_not_dropped() {
    let imported = import("bind-build", Layout::OneTask);
    let m = parsed(&imported.yaml);
    let frontend = container(&m, "frontend");
    assert_eq!(frontend["image"], "frontend:latest");
    assert!(
        imported
            .yaml
            .contains("placeholder: compose builds this image")
    );
    for lost in [
        "`version`",
        "`x-common`",
        "`networks.front`",
        "services.frontend.build",
        "services.frontend.volumes: ./frontend/src:/app/src",
        "services.frontend.restart",
        // `backend` is in profile `dev`, which is not active: compose leaves it out too.
        "`services.backend`: only in profile `dev`, which is not active",
    ] {
        assert!(
            imported.not_imported.iter().any(|n| n.contains(lost)),
            "{lost}: {:?}",
            imported.not_imported
        );
        assert!(
            imported.yaml.contains(lost),
            "{lost} not in the YAML header"
        );
    }
    assert!(imported.yaml.contains("# Not imported:"));
    // The anonymous volume is task storage.
    assert_eq!(
        frontend["mountPoints"][0]["containerPath"],
        "/app/node_modules"
    );

    // With its profile, `backend` is imported, its `env_file` read, and its extras listed.
    let path = PathBuf::from("bind-build.yml");
    let files = MemoryFiles(
        [
            (path.clone(), read("tests/fixtures/compose/bind-build.yml")),
            (PathBuf::from(".env"), "BACKEND_MODE=dev\n".to_owned()),
        ]
        .into_iter()
        .collect(),
    );
    let project = Project {
        files: vec![path],
        profiles: vec!["dev".to_owned()],
        ..Project::default()
    };
    let imported =
        compose::import_project(&project, &files, &options("bind-build", Layout::OneTask))
            .unwrap_or_else(|e| panic!("{e:?}"));
    let m = parsed(&imported.yaml);
    assert_eq!(
        container(&m, "backend")["environment"][0]["name"],
        "BACKEND_MODE"
    );
    for lost in [
        "services.backend.container_name",
        "services.backend.logging",
        "services.backend.tmpfs",
        "services.backend.volumes: ./config:/etc/backend",
    ] {
        assert!(
            imported.not_imported.iter().any(|n| n.contains(lost)),
            "{lost}: {:?}",
            imported.not_imported
        );
    }
    for resolved in ["services.backend.env_file", "services.backend.profiles"] {
        assert!(
            !imported.not_imported.iter().any(|n| n.contains(resolved)),
            "{resolved}: {:?}",
            imported.not_imported
        );
    }
}

#[test]
fn safe_mappings_of_what_compose_allows() {
    let imported = import("safe-mappings", Layout::OneTask);
    let m = parsed(&imported.yaml);
    // Debugger ports bound to loopback stay inside the task.
    let api = container(&m, "api");
    assert_eq!(api["portMappings"].as_array().unwrap().len(), 3);
    let alb = &m["loadBalancers"][0];
    assert_eq!(alb["type"], "application");
    assert_eq!(alb["listeners"].as_array().unwrap().len(), 1);
    assert_eq!(alb["listeners"][0]["port"], 8080);
    // DNS and Beats are not HTTP: a network load balancer, said in the notes.
    let nlb = &m["loadBalancers"][1];
    assert_eq!(nlb["type"], "network");
    let nlb_ports: Vec<(i64, &str)> = nlb["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["port"].as_i64().unwrap(), l["protocol"].as_str().unwrap()))
        .collect();
    assert_eq!(nlb_ports, [(53, "UDP"), (5044, "TCP")]);
    for note in [
        "`services.dns.ports: 53:53/udp`: UDP, not HTTP",
        "`services.logstash.ports: 5044:5044`: Beats, not HTTP",
        "port 5432 is PostgreSQL's",
    ] {
        assert!(
            imported.notes.iter().any(|n| n.contains(note)),
            "{note}: {:?}",
            imported.notes
        );
    }
    // One listener per port: 53/tcp would need TCP_UDP.
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.contains("53:53/tcp") && n.contains("TCP_UDP"))
    );
    // One-shot jobs are not essential.
    assert_eq!(container(&m, "seed")["essential"], false);
    assert_eq!(container(&m, "cleanup")["essential"], false);
    assert!(container(&m, "worker").get("essential").is_none());
    // Health check values are brought into ECS's ranges, with the original in a comment.
    let hc = &api["healthCheck"];
    assert_eq!(
        [
            &hc["interval"],
            &hc["timeout"],
            &hc["retries"],
            &hc["startPeriod"]
        ],
        [5, 60, 10, 300]
    );
    assert!(
        imported
            .yaml
            .contains("# compose: 90s; ECS allows 2–60 seconds, so 60")
    );
    // `MODE: worker` is no call to `worker`; the host-shaped values are.
    assert_eq!(api["connectsTo"], serde_json::json!(["cache", "payments"]));
    assert!(!imported.yaml.contains("`worker` is a compose service name"));
    // Every import of it loads and has no error.
    for layout in [Layout::OneTask, Layout::OneServiceEach] {
        let codes = findings("safe-mappings", &import("safe-mappings", layout).yaml);
        assert!(codes.iter().all(|c| !c.ends_with(":error")), "{codes:?}");
    }
}

/// The fixture files of `tests/fixtures/compose/`, read from disk by their path under it.
struct Fixtures;

impl Files for Fixtures {
    fn read(&self, path: &Path) -> Result<String, FileError> {
        std::fs::read_to_string(root().join("tests/fixtures/compose").join(path))
            .map_err(|_| FileError::NotFound)
    }
}

fn project(files: &[&str]) -> Project {
    Project {
        files: files.iter().map(PathBuf::from).collect(),
        ..Project::default()
    }
}

#[test]
fn a_project_with_env_extends_include_profiles_and_env_files() {
    let imported = compose::import_project(
        &project(&["project/compose.yml"]),
        &Fixtures,
        &Options {
            layout: Layout::OneTask,
            source_name: "compose.yml".to_owned(),
            default_name: "project".to_owned(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    insta::assert_snapshot!("project__one-task", imported.yaml);
    let m = parsed(&imported.yaml);
    assert_eq!(m["name"], "shop");
    // `.env` of the project directory.
    assert_eq!(container(&m, "api")["image"], "example/shop-api:1.4");
    assert_eq!(container(&m, "db")["image"], "postgres:15");
    // `extends` of another file, `env_file`, and `$$`.
    let api = container(&m, "api");
    assert_eq!(api["healthCheck"]["command"][2], "healthcheck.js");
    let env: Vec<&str> = api["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        env,
        [
            "SESSION_TTL",
            "CACHE_HOST",
            "GREETING",
            "NODE_ENV",
            "LOG_LEVEL",
            "DATABASE_URL",
            "PRICE_LABEL"
        ]
    );
    assert!(imported.yaml.contains("value: $5 a month"));
    // `extends` of a service of the same file, with `!reset`.
    let worker = container(&m, "worker");
    assert!(worker.get("portMappings").is_none());
    assert_eq!(worker["command"][1], "worker.js");
    // `include`, with the included project's own `.env`.
    assert_eq!(container(&m, "payments")["image"], "example/payments:3.1");
    // Profiles.
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.contains("`services.debug`: only in profile `debug`"))
    );
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(
        findings("project", &imported.yaml)
            .iter()
            .filter(|c| c.ends_with(":error"))
            .count(),
        0
    );
}

/// Run the binary in `dir` with exactly the environment `env`.
fn archflow_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archflow"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("archflow runs")
}

#[test]
fn cli_merges_files_with_env_files_and_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("prod.yaml");
    let dir = fixture("compose/project");
    let run = archflow_env(
        &dir,
        &[
            "import",
            "compose",
            "-f",
            "compose.yml",
            "--file",
            "compose.prod.yml",
            "--env-file",
            "prod.env",
            "--profile",
            "debug",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    let m = parsed(&written);
    // prod.env instead of .env: its name, tag and port.
    assert_eq!(m["name"], "shop-prod");
    assert_eq!(container(&m, "api")["image"], "example/shop-api:2.0");
    assert!(written.contains("Imported from compose.yml + compose.prod.yml"));
    // compose.prod.yml: `!override` of the port list, environment merged, command replaced.
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 443);
    assert_eq!(
        m["loadBalancers"][0]["listeners"].as_array().unwrap().len(),
        1
    );
    let api = container(&m, "api");
    assert_eq!(api["command"][1], "--max-old-space-size=512");
    let env: Vec<String> = api["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}={}",
                e["name"].as_str().unwrap(),
                e["value"].as_str().unwrap()
            )
        })
        .collect();
    assert!(env.contains(&"LOG_LEVEL=warn".to_owned()), "{env:?}");
    assert!(env.contains(&"REPLICA_SET=rs0".to_owned()), "{env:?}");
    assert!(env.contains(&"NODE_ENV=production".to_owned()), "{env:?}");
    // --profile debug: the debugger, its loopback port kept inside the task.
    assert!(container(&m, "debug").get("image").is_some());
    assert!(
        stderr.contains("published on the host's loopback address only"),
        "{stderr}"
    );
    // The environment wins over the env file.
    let run = archflow_env(
        &dir,
        &["import", "compose", "--env-file", "prod.env"],
        &[("API_TAG", "from-shell")],
    );
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(
        container(&parsed(&stdout), "api")["image"],
        "example/shop-api:from-shell"
    );
}

#[test]
fn cli_project_directory_and_default_override_file() {
    // --project-directory: `.env` there, relative -f paths from the current folder.
    let run = archflow_env(
        &fixture("compose"),
        &[
            "import",
            "compose",
            "-f",
            "project/compose.yml",
            "--project-directory",
            "project",
        ],
        &[],
    );
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("example/shop-api:1.4"), "{stdout}");
    // With no file named, the override file beside the default one is merged too.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "services:\n  api:\n    image: api:1\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("compose.override.yml"),
        "services:\n  api:\n    image: api:dev\n",
    )
    .unwrap();
    let run = archflow_env(tmp.path(), &["import", "compose"], &[]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(container(&parsed(&stdout), "api")["image"], "api:dev");
    assert!(
        stdout.contains("compose.yaml + compose.override.yml"),
        "{stdout}"
    );
}

#[test]
fn cli_variable_errors_and_warnings() {
    let dir = fixture("compose/project");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.yaml");
    // A required variable that no file sets: its place, nothing written.
    let run = archflow_env(
        &dir,
        &[
            "import",
            "compose",
            "--env-file",
            "api.env",
            "-o",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("compose.yml:20:12: error: `services.api.image`: required variable `API_TAG` is missing a value: set API_TAG in .env"),
        "{stderr}"
    );
    assert!(stderr.contains("help: set `API_TAG`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out.exists());
    // An unset variable is a warning, and an empty string.
    std::fs::write(
        tmp.path().join("compose.yml"),
        "services:\n  api:\n    image: \"api:${TAG}\"\n    ports: [\"${PORT:-8080}:80\"]\n",
    )
    .unwrap();
    let run = archflow_env(tmp.path(), &["import", "compose", "-o", "m.yaml"], &[]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "warning: compose.yml:3:12: the `TAG` variable is not set: an empty string was used"
        ),
        "{stderr}"
    );
    let m = parsed(&std::fs::read_to_string(tmp.path().join("m.yaml")).unwrap());
    assert_eq!(m["loadBalancers"][0]["listeners"][0]["port"], 8080);
    // Standard input, as `-` or `-f -`, with the current folder's `.env`.
    std::fs::write(tmp.path().join(".env"), "TAG=2\n").unwrap();
    for args in [
        &["import", "compose", "-"][..],
        &["import", "compose", "-f", "-"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archflow"))
            .args(args)
            .current_dir(tmp.path())
            .env_clear()
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(b"services:\n  api:\n    image: api:${TAG}\n")
                .unwrap();
        }
        let run = child.wait_with_output().unwrap();
        let (stdout, stderr) = text(&run);
        assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
        assert_eq!(container(&parsed(&stdout), "api")["image"], "api:2");
    }
    // An error in an included file names that file.
    std::fs::create_dir(tmp.path().join("sub")).unwrap();
    std::fs::write(
        tmp.path().join("sub/compose.yml"),
        "services:\n  x:\n    ports: 80\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("main.yml"),
        "include: [sub/compose.yml]\nservices:\n  api:\n    image: api\n",
    )
    .unwrap();
    let run = archflow_env(tmp.path(), &["import", "compose", "main.yml"], &[]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("sub/compose.yml:3:12: error: `services.x.ports` must be a list of ports"),
        "{stderr}"
    );
    // A missing env file named on the command line.
    let run = archflow_env(
        tmp.path(),
        &["import", "compose", "main.yml", "--env-file", "nope.env"],
        &[],
    );
    let (_, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("nope.env: error: cannot read `nope.env`: no such file"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// The command line.

#[test]
fn cli_import_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("compose/reference.yml"),
        tmp.path().join("docker-compose.yml"),
    )
    .unwrap();
    let out = archflow(
        tmp.path(),
        &["import", "compose", "docker-compose.yml", "-o", "out.yaml"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("wrote out.yaml"), "{stderr}");
    assert!(stderr.contains("hint: out.yaml:"), "{stderr}");
    assert!(stderr.contains("A026"), "{stderr}");
    let written = std::fs::read_to_string(tmp.path().join("out.yaml")).unwrap();
    assert_eq!(
        written,
        import("reference", Layout::OneTask)
            .yaml
            .replace("reference.yml", "docker-compose.yml")
    );
    let check = archflow(tmp.path(), &["check", "out.yaml"]);
    let (stdout, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("warning[A010]"), "{stdout}");

    // Default file name, standard output, the other layout.
    let out = archflow(
        tmp.path(),
        &["import", "compose", "--layout", "one-service-each"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("serviceName: goals-backend-service"),
        "{stdout}"
    );
    assert!(stdout.contains("layout one-service-each"), "{stdout}");
}

#[test]
fn cli_lists_what_is_not_imported_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(
        tmp.path(),
        &[
            "import",
            "compose",
            fixture("compose/bind-build.yml").to_str().unwrap(),
            "-o",
            "m.yaml",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("not imported:"), "{stderr}");
    assert!(stderr.contains("services.frontend.build"), "{stderr}");
    assert!(stderr.contains("bind mount"), "{stderr}");
    let check = archflow(tmp.path(), &["check", "m.yaml"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

#[test]
fn cli_help_explains_the_layouts() {
    let out = archflow(Path::new("."), &["import", "compose", "--help"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    for s in [
        "--layout",
        "one-task",
        "one-service-each",
        "localhost",
        "not imported",
    ] {
        assert!(stdout.contains(s), "{s}: {stdout}");
    }
}

/// Run `import compose` on `text` (as `compose.yml`) with `-o out.yaml`: exit 2, nothing
/// written, and standard error returned.
fn refused(text_in: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("compose.yml"), text_in).unwrap();
    let out = archflow(
        tmp.path(),
        &["import", "compose", "compose.yml", "-o", "out.yaml"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!tmp.path().join("out.yaml").exists());
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_input_is_refused_with_its_place() {
    let e = refused("services:\n  api:\n    image: [x\n");
    assert!(e.contains("compose.yml:"), "{e}");
    assert!(e.contains("invalid YAML"), "{e}");
    assert!(
        e.lines().any(|l| l.starts_with("compose.yml:")
            && l.split(':')
                .nth(1)
                .is_some_and(|n| n.parse::<usize>().is_ok())),
        "{e}"
    );

    let e =
        refused(r#"{"family": "goals", "containerDefinitions": [{"name": "api", "image": "x"}]}"#);
    assert!(e.contains("looks like an ECS task definition"), "{e}");
    assert!(e.contains("archflow import ecs"), "{e}");

    let e = refused("name: x\nvolumes:\n  data: {}\n");
    assert!(e.contains("no `services:`"), "{e}");

    // A service with neither `image` nor `build` (a fragment for `extends`) is imported with a
    // placeholder image and a note, not refused.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yml"),
        "services:\n  api:\n    ports: [\"80:80\"]\n",
    )
    .unwrap();
    let out = archflow(
        tmp.path(),
        &["import", "compose", "compose.yml", "-o", "out.yaml"],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("neither `image` nor `build`"), "{stderr}");

    let e = refused("services:\n  api:\n    image: x\nservice:\n  db: {}\nbogus: 1\n");
    assert!(
        e.contains("compose.yml:4:1: error: unknown top-level keys"),
        "{e}"
    );
    assert!(e.contains("`service` (line 4)"), "{e}");
    assert!(e.contains("`bogus` (line 6)"), "{e}");

    let e = refused("services:\n  api:\n    image: x\n    ports: 80\n");
    assert!(
        e.contains("compose.yml:4:12: error: `services.api.ports` must be a list of ports, but it is a number"),
        "{e}"
    );

    let e = refused("services:\n  api:\n    image: x\n    environment: 5\n");
    assert!(
        e.contains("compose.yml:4:18: error: `services.api.environment`"),
        "{e}"
    );

    let e = refused(
        "services:\n  api:\n    image: x\n    healthcheck:\n      test: [CMD, true]\n      interval: soon\n",
    );
    assert!(
        e.contains(
            "compose.yml:6:17: error: `services.api.healthcheck.interval` is not a duration"
        ),
        "{e}"
    );

    let e = refused("services:\n  api:\n    image: x\n    ports: [\"99999:80\"]\n");
    assert!(e.contains("is not a port"), "{e}");

    let e = refused("services:\n  api:\n    image: x\n    depends_on: [db]\n");
    assert!(e.contains("`db` is not another service"), "{e}");

    // An undeclared named volume is imported, with a note (compose would refuse it).
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("compose.yml"),
        "services:\n  api:\n    image: x\n    volumes: [data:/data]\n",
    )
    .unwrap();
    let out = archflow(
        tmp.path(),
        &["import", "compose", "compose.yml", "-o", "out.yaml"],
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("a volume not declared under the top-level `volumes:`"),
        "{stderr}"
    );

    let e = refused("- just\n- a list\n");
    assert!(e.contains("a compose file is a mapping"), "{e}");

    let e = refused("");
    assert!(e.contains("empty"), "{e}");

    // Several bad services are all reported.
    let e = refused("services:\n  a:\n    user: [1]\n  b:\n    image: x\n    user: [1]\n");
    assert!(e.contains("`services.a.user` must be a string"), "{e}");
    assert!(e.contains("`services.b.user` must be a string"), "{e}");
}
