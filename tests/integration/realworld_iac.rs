//! Tests: every CloudFormation template of the infrastructure-as-code corpus
//! (`tests/fixtures/iac/`, listed in its MANIFEST.tsv, copied byte for byte from public
//! repositories: see SOURCES.md) imports through the binary with exit 0 into a model that loads
//! with no load error, builds with exit 0, and has the services, load balancers, target groups
//! and file systems the template declares (counted from the template's text, not by the
//! importer); each model shows no drift against its own template, and a changed port does.

use std::path::Path;

use archflow::source::Source;
use serde_json::Value;

use crate::support::{archflow, root, text};

/// The corpus files of some kinds, from MANIFEST.tsv.
fn manifest(kinds: &[&str]) -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("tests/fixtures/iac/MANIFEST.tsv"))
        .expect("the corpus has a manifest");
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let path = cols.next()?;
            kinds.contains(&cols.next()?).then(|| path.to_owned())
        })
        .collect()
}

/// How many resources of type `AWS::<kind>` the template's text declares (a `Type` line, the
/// type plain or quoted).
fn declared(text: &str, kind: &str) -> usize {
    let ty = format!("AWS::{kind}");
    text.lines()
        .filter(|l| {
            let l = l.trim().trim_end_matches(',');
            l.strip_prefix("Type:")
                .or_else(|| l.strip_prefix("\"Type\":"))
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == ty)
        })
        .count()
}

fn count(model: &Value, key: &str) -> usize {
    model.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

fn import(file: &str, out: &Path) -> Result<(std::path::PathBuf, Value), String> {
    import_with("cloudformation", file, out)
}

/// `archflow import KIND` of a corpus file or folder into `out`: the model's path and content,
/// or why the import failed or its model does not load.
fn import_with(kind: &str, file: &str, out: &Path) -> Result<(std::path::PathBuf, Value), String> {
    let path = root().join("tests/fixtures/iac").join(file);
    let model = out.join(format!("{}.yaml", file.replace('/', "_")));
    let run = archflow(
        out,
        &[
            "import",
            kind,
            &path.display().to_string(),
            "-o",
            &model.display().to_string(),
        ],
    );
    if run.status.code() != Some(0) {
        return Err(format!(
            "{file}: import exit {:?}: {}",
            run.status.code(),
            text(&run).1
        ));
    }
    let yaml = std::fs::read_to_string(&model).unwrap();
    let analysis = archflow::analyze(&Source::new(model.display().to_string(), yaml.clone()));
    if let Some(d) = analysis
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with('L'))
    {
        return Err(format!(
            "{file}: the model does not load: {} {}",
            d.code, d.message
        ));
    }
    Ok((model, serde_saphyr::from_str(&yaml).unwrap()))
}

/// Every component of the imported model that the code declares records where (`origin:`);
/// `declares(origin)` says whether the origin names a resource the code really declares. The
/// services the importer makes for a task definition with no service have no origin of their
/// own; their task definitions do.
fn provenance(
    name: &str,
    model: &Value,
    expected_services: usize,
    declares: &dyn Fn(&str) -> bool,
    problems: &mut Vec<String>,
) {
    let origin = |item: &Value| {
        item.get("origin")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut check = |what: &str, items: Vec<&Value>, expected: usize| {
        let origins: Vec<String> = items.iter().filter_map(|i| origin(i)).collect();
        if origins.len() != expected {
            problems.push(format!(
                "{name}: {what}: {} of {} have an origin, expected {expected}",
                origins.len(),
                items.len()
            ));
        }
        for o in origins {
            if !declares(&o) {
                problems.push(format!(
                    "{name}: {what}: origin `{o}` names nothing declared"
                ));
            }
        }
    };
    let list = |key: &str| -> Vec<&Value> {
        model
            .get(key)
            .and_then(Value::as_array)
            .map(|v| v.iter().collect())
            .unwrap_or_default()
    };
    for key in ["loadBalancers", "targetGroups", "fileSystems"] {
        let n = list(key).len();
        check(key, list(key), n);
    }
    check("services", list("services"), expected_services);
    let tasks: Vec<&Value> = list("services")
        .into_iter()
        .filter_map(|s| s.get("taskDefinition"))
        .filter(|t| t.get("containerDefinitions").is_some())
        .collect();
    let n = tasks.len();
    check("task definitions", tasks, n);
}

#[test]
fn every_cloudformation_template_imports_loads_builds_and_has_its_resources() {
    let files = manifest(&["cloudformation-yaml", "cloudformation-json", "cdk-json"]);
    assert!(files.len() >= 11, "the corpus shrank: {files:?}");
    let out = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for file in &files {
        let (model, value) = match import(file, out.path()) {
            Ok(m) => m,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let template =
            std::fs::read_to_string(root().join("tests/fixtures/iac").join(file)).unwrap();
        let services = declared(&template, "ECS::Service");
        let tasks = declared(&template, "ECS::TaskDefinition");
        for (key, expected) in [
            ("services", services.max(tasks)),
            (
                "loadBalancers",
                declared(&template, "ElasticLoadBalancingV2::LoadBalancer"),
            ),
            (
                "targetGroups",
                declared(&template, "ElasticLoadBalancingV2::TargetGroup"),
            ),
            ("fileSystems", declared(&template, "EFS::FileSystem")),
        ] {
            if count(&value, key) != expected {
                problems.push(format!(
                    "{file}: {key}: the model has {}, the template declares {expected}",
                    count(&value, key)
                ));
            }
        }
        let declares = |origin: &str| {
            origin.rsplit_once('#').is_some_and(|(path, id)| {
                path.ends_with(file.as_str())
                    && template.lines().any(|l| {
                        let l = l.trim();
                        l.strip_prefix(id)
                            .is_some_and(|rest| rest.trim_end() == ":")
                            || l.starts_with(&format!("\"{id}\": {{"))
                    })
            })
        };
        provenance(file, &value, services, &declares, &mut problems);
        let built = out.path().join(format!("{}-out", file.replace('/', "_")));
        let run = archflow(
            out.path(),
            &[
                "build",
                &model.display().to_string(),
                "--out-dir",
                &built.display().to_string(),
            ],
        );
        if run.status.code() != Some(0) {
            problems.push(format!(
                "{file}: build exit {:?}: {}",
                run.status.code(),
                text(&run).1
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn containers(model: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for s in model["services"].as_array().into_iter().flatten() {
        for c in s["taskDefinition"]["containerDefinitions"]
            .as_array()
            .into_iter()
            .flatten()
        {
            names.push(format!(
                "{}/{}",
                s["serviceName"].as_str().unwrap(),
                c["name"].as_str().unwrap()
            ));
        }
    }
    names
}

#[test]
fn the_templates_resources_are_mapped_with_their_names_and_values() {
    let out = tempfile::tempdir().unwrap();
    let (_, m) = import(
        "cloudformation/cfn-templates-ECS_Schedule_Example.yaml",
        out.path(),
    )
    .unwrap();
    assert_eq!(containers(&m), ["Service/simple-app", "Service/busybox"]);
    let simple = &m["services"][0]["taskDefinition"]["containerDefinitions"][0];
    // String-typed numbers and booleans become the API's types.
    assert_eq!(simple["cpu"], 10);
    assert_eq!(simple["essential"], true);
    assert_eq!(simple["portMappings"][0]["containerPort"], 80);
    // The target group's load balancer is found through the listener.
    assert_eq!(
        m["loadBalancers"][0]["listeners"][0]["defaultActions"][0]["targetGroup"],
        "ECSTG"
    );
    assert_eq!(m["services"][0]["loadBalancers"][0]["targetGroup"], "ECSTG");
    // A reference the template cannot resolve stays symbolic.
    assert_eq!(
        simple["logConfiguration"]["options"]["awslogs-region"],
        "!Ref AWS::Region"
    );

    let (_, m) = import(
        "cloudformation/cdk/aws-cdk-integ-runtime.template.json",
        out.path(),
    )
    .unwrap();
    assert_eq!(
        containers(&m),
        [
            "FargateServiceGraviton2RuntimeService2BDDD2C2/webarm64",
            "FargateServiceWindowsRuntimeServiceBBDEC2BF/windowsservercore"
        ]
    );
    assert_eq!(m["cluster"]["name"], "FargateCluster7CCD5F93");

    let (_, m) = import(
        "cloudformation/cfn-templates-EFSAccessPoint.yaml",
        out.path(),
    )
    .unwrap();
    assert_eq!(m["fileSystems"][0]["name"], "EFSFileSystem");
    assert_eq!(m["fileSystems"][0]["encrypted"], true);
    assert_eq!(
        m["fileSystems"][0]["accessPoints"][0]["name"],
        "EFSAccessPoint"
    );

    // A parameter given on the command line wins over its default.
    let path = root().join("tests/fixtures/iac/cloudformation/ecs-refarch-website-service.yaml");
    let run = archflow(
        out.path(),
        &[
            "import",
            "cloudformation",
            &path.display().to_string(),
            "--parameter",
            "DesiredCount=5",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
    let m: Value = serde_saphyr::from_str(&text(&run).0).unwrap();
    assert_eq!(m["services"][0]["desiredCount"], 5);
}

#[test]
fn an_imported_template_shows_no_drift_and_a_changed_port_does() {
    let out = tempfile::tempdir().unwrap();
    for file in manifest(&["cloudformation-yaml", "cloudformation-json", "cdk-json"]) {
        let (model, _) = import(&file, out.path()).unwrap();
        let template = root().join("tests/fixtures/iac").join(&file);
        let run = archflow(
            out.path(),
            &[
                "drift",
                &model.display().to_string(),
                "--cloudformation",
                &template.display().to_string(),
            ],
        );
        assert_eq!(run.status.code(), Some(0), "{file}: {}", text(&run).0);
    }
    let file = "cloudformation/cfn-templates-ECS_Schedule_Example.yaml";
    let (model, _) = import(file, out.path()).unwrap();
    let template = std::fs::read_to_string(root().join("tests/fixtures/iac").join(file)).unwrap();
    assert_eq!(template.matches("ContainerPort: 80").count(), 1);
    // Same file name: AWS::StackName is taken from it.
    std::fs::create_dir(out.path().join("changed")).unwrap();
    let changed = out
        .path()
        .join("changed/cfn-templates-ECS_Schedule_Example.yaml");
    std::fs::write(
        &changed,
        template.replace("ContainerPort: 80", "ContainerPort: 8080"),
    )
    .unwrap();
    let run = archflow(
        out.path(),
        &[
            "drift",
            &model.display().to_string(),
            "--cloudformation",
            &changed.display().to_string(),
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run).0);
    assert!(
        text(&run)
            .0
            .contains("simple-app: portMappings[0].containerPort: model 80, deployed 8080"),
        "{}",
        text(&run).0
    );
}

/// How many `resource "<kind>"` blocks the configuration's text declares, for any of `kinds`.
fn declared_tf(dir: &Path, kinds: &[&str]) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).unwrap();
            n += text
                .lines()
                .filter(|l| {
                    kinds
                        .iter()
                        .any(|k| l.trim_start().starts_with(&format!("resource \"{k}\"")))
                })
                .count();
        }
    }
    n
}

fn import_tf(dir: &str, out: &Path) -> Result<(std::path::PathBuf, Value), String> {
    import_with("terraform", dir, out)
}

#[test]
fn every_terraform_configuration_imports_loads_builds_and_has_its_resources() {
    let dirs = manifest(&["terraform-dir"]);
    assert!(dirs.len() >= 6, "the corpus shrank: {dirs:?}");
    let out = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for dir in &dirs {
        let dir = dir.trim_end_matches('/');
        let (model, value) = match import_tf(dir, out.path()) {
            Ok(m) => m,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let folder = root().join("tests/fixtures/iac").join(dir);
        for (key, kinds) in [
            ("services", &["aws_ecs_service"][..]),
            ("loadBalancers", &["aws_lb", "aws_alb"][..]),
            (
                "targetGroups",
                &["aws_lb_target_group", "aws_alb_target_group"][..],
            ),
            ("fileSystems", &["aws_efs_file_system"][..]),
        ] {
            let expected = declared_tf(&folder, kinds);
            if count(&value, key) != expected {
                problems.push(format!(
                    "{dir}: {key}: the model has {}, the configuration declares {expected}",
                    count(&value, key)
                ));
            }
        }
        let declares = |origin: &str| {
            origin.rsplit_once(':').is_some_and(|(file, address)| {
                let mut parts = address.rsplit('.');
                let (Some(name), Some(kind)) = (parts.next(), parts.next()) else {
                    return false;
                };
                let name = name.split('[').next().unwrap_or(name);
                std::fs::read_to_string(file)
                    .is_ok_and(|text| text.contains(&format!("resource \"{kind}\" \"{name}\"")))
            })
        };
        provenance(
            dir,
            &value,
            declared_tf(&folder, &["aws_ecs_service"]),
            &declares,
            &mut problems,
        );
        let built = out.path().join(format!("{}-out", dir.replace('/', "_")));
        let run = archflow(
            out.path(),
            &[
                "build",
                &model.display().to_string(),
                "--out-dir",
                &built.display().to_string(),
            ],
        );
        if run.status.code() != Some(0) {
            problems.push(format!(
                "{dir}: build exit {:?}: {}",
                run.status.code(),
                text(&run).1
            ));
        }
        // No drift against its own configuration.
        let run = archflow(
            out.path(),
            &[
                "drift",
                &model.display().to_string(),
                "--terraform",
                &folder.display().to_string(),
            ],
        );
        if run.status.code() != Some(0) {
            problems.push(format!(
                "{dir}: drift exit {:?}: {}",
                run.status.code(),
                text(&run).0
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_terraform_configuration_maps_its_template_and_a_changed_port_drifts() {
    let out = tempfile::tempdir().unwrap();
    let dir = "terraform/bradford-hamilton-ecs-fargate";
    let (model, m) = import_tf(dir, out.path()).unwrap();
    // container_definitions rendered from templates/ecs/cb_app.json.tpl with the variables'
    // defaults.
    assert_eq!(containers(&m), ["cb-service/cb-app"]);
    let app = &m["services"][0]["taskDefinition"]["containerDefinitions"][0];
    assert_eq!(app["portMappings"][0]["containerPort"], 3000);
    assert_eq!(
        m["services"][0]["loadBalancers"][0]["targetGroup"],
        "cb-target-group"
    );
    assert_eq!(
        m["loadBalancers"][0]["listeners"][0]["defaultActions"][0]["targetGroup"],
        "cb-target-group"
    );
    // A changed default port in a copy of the configuration is drift.
    let from = root().join("tests/fixtures/iac").join(dir);
    let copy = out.path().join("copy");
    std::fs::create_dir_all(copy.join("templates/ecs")).unwrap();
    for f in std::fs::read_dir(&from).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(
        from.join("templates/ecs/cb_app.json.tpl"),
        copy.join("templates/ecs/cb_app.json.tpl"),
    )
    .unwrap();
    let variables = std::fs::read_to_string(copy.join("variables.tf")).unwrap();
    assert_eq!(
        variables.matches("default     = 3000").count(),
        1,
        "{variables}"
    );
    std::fs::write(
        copy.join("variables.tf"),
        variables.replace("default     = 3000", "default     = 3001"),
    )
    .unwrap();
    let run = archflow(
        &copy,
        &["drift", &model.display().to_string(), "--terraform", "."],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run).0);
    assert!(
        text(&run)
            .0
            .contains("cb-app: portMappings[0].containerPort: model 3000, deployed 3001"),
        "{}",
        text(&run).0
    );
}

#[test]
fn an_imported_component_names_its_origin_in_findings_and_on_its_card() {
    let out = tempfile::tempdir().unwrap();
    let file = "cloudformation/ecs-refarch-product-service.yaml";
    let (model, _) = import(file, out.path()).unwrap();
    let origin = |id: &str| {
        format!(
            "{}#{id}",
            root().join("tests/fixtures/iac").join(file).display()
        )
    };
    // `check`: the finding about the target group no listener forwards to says where it is.
    let run = archflow(out.path(), &["check", &model.display().to_string()]);
    let (stdout, stderr) = text(&run);
    let printed = format!("{stdout}{stderr}");
    assert!(
        printed.contains(&format!("= note: imported from {}", origin("TargetGroup"))),
        "{printed}"
    );
    let run = archflow(
        out.path(),
        &["check", &model.display().to_string(), "--format", "json"],
    );
    assert!(
        text(&run)
            .0
            .contains(&format!("imported from {}", origin("TargetGroup"))),
        "{}",
        text(&run).0
    );
    // The HTML explainer's cards.
    let built = out.path().join("site");
    let run = archflow(
        out.path(),
        &[
            "build",
            &model.display().to_string(),
            "--out-dir",
            &built.display().to_string(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
    let html = std::fs::read_to_string(built.join("architecture.html")).unwrap();
    for id in ["Service", "TaskDefinition", "TargetGroup"] {
        assert!(
            html.contains(&format!("imported from <code>{}</code>", origin(id))),
            "no card names {id}"
        );
    }
}

/// A template's listeners give the model's ports and protocols; a target group only a rule
/// forwards to gets a listener of its own on a guessed port; a port the template cannot say is
/// guessed, and each guess is commented.
const LISTENERS_TEMPLATE: &str = "Parameters:
  AdminPort:
    Type: Number
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: edge
  Web:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: web
      Port: 8080
      Protocol: HTTP
      TargetType: ip
  Api:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: api
      Port: 3000
      Protocol: HTTP
      TargetType: ip
  Admin:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: admin
      Port: 9000
      Protocol: HTTP
      TargetType: ip
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 8443
      Protocol: HTTPS
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Web
  ApiRule:
    Type: AWS::ElasticLoadBalancingV2::ListenerRule
    Properties:
      ListenerArn: !Ref Https
      Priority: 1
      Conditions:
        - Field: path-pattern
          Values: [/api/*]
      Actions:
        - Type: forward
          TargetGroupArn: !Ref Api
  AdminListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: !Ref AdminPort
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref Admin
";

fn listeners_of(yaml: &str) -> Vec<(u64, String, String)> {
    let value: Value = serde_saphyr::from_str(yaml).unwrap();
    value["loadBalancers"][0]["listeners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["port"].as_u64().unwrap(),
                l["protocol"].as_str().unwrap().to_owned(),
                l["defaultActions"][0]["targetGroup"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn listener_ports_and_protocols_come_from_the_template() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("edge.yaml"), LISTENERS_TEMPLATE).unwrap();
    let run = archflow(
        dir.path(),
        &["import", "cloudformation", "edge.yaml", "-o", "m.yaml"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
    let yaml = std::fs::read_to_string(dir.path().join("m.yaml")).unwrap();
    let tuple = |port, protocol: &str, tg: &str| (port, protocol.to_owned(), tg.to_owned());
    assert_eq!(
        listeners_of(&yaml),
        [
            tuple(80, "HTTP", "admin"),
            tuple(8443, "HTTPS", "web"),
            tuple(8080, "HTTPS", "api"),
        ],
        "{yaml}"
    );
    assert!(
        yaml.contains("# guessed: edge.yaml#AdminListener does not say the port"),
        "{yaml}"
    );
    assert!(
        yaml.contains("# guessed: a rule of edge.yaml#Https forwards to api"),
        "{yaml}"
    );
    assert!(
        !yaml.contains("describe-load-balancers lists no listeners"),
        "{yaml}"
    );
    let analysis = archflow::analyze(&Source::new("m.yaml", yaml.clone()));
    assert!(analysis.model.is_some(), "{:?}", analysis.diagnostics);
}

#[test]
fn listener_ports_and_protocols_come_from_the_terraform_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    std::fs::write(
        dir.path().join("infra/main.tf"),
        r#"
resource "aws_lb" "edge" {
  name = "edge"
}
resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
}
resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.edge.arn
  port              = 8443
  protocol          = "HTTPS"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
resource "aws_lb_listener_rule" "api" {
  listener_arn = aws_lb_listener.https.arn
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}
"#,
    )
    .unwrap();
    let run = archflow(
        dir.path(),
        &["import", "terraform", "infra", "-o", "m.yaml"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
    let yaml = std::fs::read_to_string(dir.path().join("m.yaml")).unwrap();
    let tuple = |port, protocol: &str, tg: &str| (port, protocol.to_owned(), tg.to_owned());
    assert_eq!(
        listeners_of(&yaml),
        [tuple(8443, "HTTPS", "web"), tuple(8080, "HTTPS", "api")],
        "{yaml}"
    );
}

#[test]
fn a_malformed_tf_file_exits_2_at_its_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    std::fs::write(
        dir.path().join("infra/main.tf"),
        "resource \"aws_ecs_cluster\" \"c\" {\n  name = \"c\"\n}\n\nlocals {\n  port = 80\n  = 81\n}\n",
    )
    .unwrap();
    let run = archflow(
        dir.path(),
        &["import", "terraform", "infra", "-o", "m.yaml"],
    );
    assert_eq!(run.status.code(), Some(2), "{}", text(&run).1);
    assert!(text(&run).1.contains("main.tf:7:3: "), "{}", text(&run).1);
    assert!(!dir.path().join("m.yaml").exists());
}

#[test]
fn a_templates_security_groups_give_the_calls_they_permit() {
    let out = tempfile::tempdir().unwrap();
    let file = "cloudformation/synr-compose-ecs-template.cfn.yaml";
    let (model, m) = import(file, out.path()).unwrap();
    // Both services are in one group that admits itself on every port: each may call the other.
    let calls = |service: usize| {
        m["services"][service]["taskDefinition"]["containerDefinitions"][0]["connectsTo"].clone()
    };
    assert_eq!(m["services"][0]["serviceName"], "ConsumerService");
    assert_eq!(calls(0), serde_json::json!(["ProducerService/producer"]));
    assert_eq!(calls(1), serde_json::json!(["ConsumerService/consumer"]));
    let yaml = std::fs::read_to_string(&model).unwrap();
    assert!(
        yaml.contains(
            "# guessed: ProducerService/producer allowed by security group \
             DockercomposeTestnetworkNetwork ("
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("a permitted call, not necessarily a used one\n          connectsTo:"),
        "{yaml}"
    );
    // The group's rules from 0.0.0.0/0 are said, not drawn.
    assert!(
        yaml.contains(
            "# - service ConsumerService: its tasks are reachable from 0.0.0.0/0 on port 8082"
        ),
        "{yaml}"
    );
    assert!(!yaml.contains("SecurityGroup (who may call whom"), "{yaml}");
}

/// `tests/fixtures/nested-stacks/`: a parent template and the local template its nested stack
/// names, written for these tests.
#[test]
fn a_nested_stacks_local_template_is_imported_and_drift_checked() {
    let out = tempfile::tempdir().unwrap();
    let parent = root().join("tests/fixtures/nested-stacks/parent.yaml");
    let model = out.path().join("m.yaml");
    let run = archflow(
        out.path(),
        &[
            "import",
            "cloudformation",
            &parent.display().to_string(),
            "-o",
            &model.display().to_string(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).1);
    let yaml = std::fs::read_to_string(&model).unwrap();
    let m: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(containers(&m), ["api/api"]);
    // The parameters the parent passes, not the nested template's defaults.
    assert_eq!(m["services"][0]["desiredCount"], 3);
    let api = &m["services"][0]["taskDefinition"]["containerDefinitions"][0];
    assert_eq!(api["image"], "example/api:1.4");
    // Origins name the nested template's file.
    let origin = m["services"][0]["origin"].as_str().unwrap();
    assert!(
        origin.ends_with("nested-stacks/services/api.yaml#Service"),
        "{origin}"
    );
    // The remote nested stack is listed as not imported.
    assert!(
        yaml.contains(
            "parent.yaml#Monitoring: nested stack \
             https://s3.amazonaws.com/example-bucket/monitoring.yaml (a remote template"
        ),
        "{yaml}"
    );
    let run = archflow(
        out.path(),
        &[
            "drift",
            &model.display().to_string(),
            "--cloudformation",
            &parent.display().to_string(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run).0);
    // Another image tag for the nested stack is drift.
    let run = archflow(
        out.path(),
        &[
            "drift",
            &model.display().to_string(),
            "--cloudformation",
            &parent.display().to_string(),
            "--parameter",
            "Tag=2.0",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run).0);
    assert!(text(&run).0.contains("example/api:2.0"), "{}", text(&run).0);
}
