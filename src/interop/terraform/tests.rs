use std::collections::BTreeMap;

use serde_json::json;

use super::{Files, join, read};

struct Mem(BTreeMap<String, String>);

impl Files for Mem {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file".to_owned())
    }
    fn tf_files(&self, path: &str) -> Option<Vec<String>> {
        let prefix = format!("{path}/");
        let names: Vec<String> = self
            .0
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|k| {
                !k.contains('/')
                    && std::path::Path::new(k)
                        .extension()
                        .is_some_and(|e| e == "tf")
            })
            .map(str::to_owned)
            .collect();
        (!names.is_empty() || self.0.keys().any(|k| k.starts_with(&prefix))).then_some(names)
    }
}

fn mem(files: &[(&str, &str)]) -> Mem {
    Mem(files
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect())
}

#[test]
fn paths_join_without_dots() {
    assert_eq!(join("a/b", "./c.tf"), "a/b/c.tf");
    assert_eq!(join("a/b", "../m"), "a/m");
    assert_eq!(join("a", "/abs"), "/abs");
}

const MAIN: &str = r#"
variable "app" { default = "web" }
variable "port" { default = 8080 }
variable "role" {}
locals {
  name  = "${var.app}-svc"
  image = "nginx:${local.tag}"
  tag   = "1.25"
}
resource "aws_ecs_task_definition" "app" {
  family = var.app
  cpu    = 256
  memory = "512"
  execution_role_arn = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name  = var.app
    image = local.image
    portMappings = [{ containerPort = var.port }]
    environment = [{ name = "ROLE", value = var.role }]
  }])
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.data.id
      transit_encryption = "ENABLED"
    }
  }
}
resource "aws_ecs_task_definition" "side" {
  family                = "side"
  container_definitions = file("${path.module}/side.json")
}
resource "aws_ecs_task_definition" "tpl" {
  family                = "tpl"
  container_definitions = templatefile("tpl.json", { image = "busybox", cpu = 64 })
}
resource "aws_ecs_service" "app" {
  name            = local.name
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = var.app
    container_port   = var.port
  }
}
resource "aws_lb" "main" { name = "main-lb" }
resource "aws_lb_target_group" "app" {
  name = "app-tg"
  port = var.port
  health_check { path = "/health" }
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
resource "aws_efs_file_system" "data" { encrypted = true }
resource "aws_efs_access_point" "ap" { file_system_id = aws_efs_file_system.data.id }
resource "aws_iam_role" "exec" { name = "exec" }
resource "aws_ecs_cluster" "many" {
  count = 2
  name  = "c-${count.index}"
}
module "local" {
  source = "./mod"
  size   = 3
}
module "remote" { source = "terraform-aws-modules/ecs/aws" }
"#;

#[test]
fn a_configuration_evaluates_variables_locals_functions_and_references() {
    let files = mem(&[
        ("cfg/main.tf", MAIN),
        ("cfg/side.json", r#"[{"name": "side", "image": "side:1"}]"#),
        (
            "cfg/tpl.json",
            r#"[{"name": "t", "image": "${image}", "cpu": ${cpu}}]"#,
        ),
        (
            "cfg/mod/m.tf",
            "variable \"size\" {}\nresource \"aws_ecs_service\" \"s\" {\n  desired_count = var.size\n}\n",
        ),
    ]);
    let stack = read("cfg", &files).unwrap();
    let td = &stack.task_definitions[0];
    assert_eq!(td.origin, "cfg/main.tf:aws_ecs_task_definition.app");
    assert_eq!(
        td.json["containerDefinitions"],
        json!([{"name": "web", "image": "nginx:1.25", "portMappings": [{"containerPort": 8080}],
                "environment": [{"name": "ROLE", "value": "${var.role}"}]}])
    );
    assert_eq!(td.json["cpu"], "256");
    assert_eq!(td.json["executionRoleArn"], "${aws_iam_role.exec.arn}");
    assert_eq!(
        td.json["volumes"][0]["efsVolumeConfiguration"]["fileSystemId"],
        "data"
    );
    assert_eq!(
        stack.task_definitions[1].json["containerDefinitions"][0]["image"],
        "side:1"
    );
    assert_eq!(
        stack.task_definitions[2].json["containerDefinitions"],
        json!([{"name": "t", "image": "busybox", "cpu": 64}])
    );
    let svc = &stack.services[0];
    assert_eq!(svc.name, "web-svc");
    assert_eq!(svc.json["taskDefinition"], "web");
    assert_eq!(svc.json["loadBalancers"][0]["targetGroupArn"], "app-tg");
    assert_eq!(svc.json["loadBalancers"][0]["containerPort"], 8080);
    // The local module, with its argument; the remote one is listed.
    assert_eq!(
        stack.services[1].origin,
        "cfg/mod/m.tf:module.local.aws_ecs_service.s"
    );
    assert_eq!(stack.services[1].json["desiredCount"], 3);
    assert!(
        stack
            .not_imported
            .iter()
            .any(|n| n.contains("module.remote"))
    );
    assert_eq!(
        stack.target_groups[0].json["LoadBalancerArns"],
        json!(["main-lb"])
    );
    assert_eq!(stack.file_systems[0].1.access_points, ["ap"]);
    assert_eq!(stack.file_systems[0].1.encrypted, Some(true));
    // count over a number: one resource each.
    assert_eq!(
        stack
            .notes
            .iter()
            .filter(|n| n.contains("cluster `c-"))
            .count(),
        2
    );
    assert!(
        stack
            .symbolic
            .iter()
            .any(|s| s.contains("${aws_iam_role.exec.arn}"))
    );
    assert!(
        stack
            .not_imported
            .iter()
            .any(|s| s.contains("aws_iam_role"))
    );
}

#[test]
fn for_each_makes_one_resource_per_key_and_bad_hcl_is_an_error() {
    let files = mem(&[(
        "c/main.tf",
        "resource \"aws_lb_target_group\" \"tg\" {\n  for_each = { a = 80, b = 81 }\n  port = each.value\n}\n",
    )]);
    let stack = read("c", &files).unwrap();
    let names: Vec<&str> = stack
        .target_groups
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["tg-a", "tg-b"]);
    assert_eq!(stack.target_groups[1].json["Port"], 81);
    let files = mem(&[("c/main.tf", "resource \"x\" {\n")]);
    let e = read("c", &files).unwrap_err();
    assert_eq!(e.path, "c/main.tf");
    assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
    // Where the parser stopped: the third line's `=` has no attribute name before it.
    let files = mem(&[("c/main.tf", "locals {\n  a = 1\n  = 2\n}\n")]);
    let e = read("c", &files).unwrap_err();
    assert_eq!((e.line, e.column), (3, 3), "{e:?}");
    assert!(!e.message.contains('\n'), "{}", e.message);
}

#[test]
fn terraform_show_json_is_read_with_its_arns() {
    let state = json!({"values": {"root_module": {"resources": [
        {"address": "aws_ecs_task_definition.t", "mode": "managed", "type": "aws_ecs_task_definition", "name": "t",
         "values": {"family": "fam", "arn": "arn:aws:ecs:r:1:task-definition/fam:3",
                    "container_definitions": "[{\"name\":\"c\",\"image\":\"i\"}]"}},
        {"address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service", "name": "s",
         "values": {"name": "svc", "task_definition": "arn:aws:ecs:r:1:task-definition/fam:3"}},
        {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v", "values": {}}
    ]}}});
    let files = mem(&[("state.json", &state.to_string())]);
    let stack = read("state.json", &files).unwrap();
    assert_eq!(stack.task_definitions[0].name, "fam");
    assert_eq!(stack.services[0].name, "svc");
    assert_eq!(stack.not_imported, ["state.json: 1 × aws_vpc"]);
    let files = mem(&[("x.json", "{}")]);
    assert!(read("x.json", &files).is_err());
}

/// Two services and a load balancer behind security groups, for who may call whom.
const GROUPS: &str = r#"
resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    { name = "api", image = "example/api:1", portMappings = [{ containerPort = 8080 }] },
  ])
}
resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    { name = "web", image = "example/web:1", portMappings = [{ containerPort = 80 }] },
    { name = "sidecar", image = "example/envoy:1", essential = false },
  ])
}
resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = [aws_security_group.api.id]
  }
}
resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = aws_ecs_task_definition.web.arn
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = [aws_security_group.web.id]
  }
}
resource "aws_lb" "edge" {
  name            = "edge"
  security_groups = [aws_security_group.lb.id]
}
resource "aws_security_group" "lb" {
  name = "lb"
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    protocol        = "tcp"
    from_port       = 80
    to_port         = 80
    security_groups = [aws_security_group.lb.id]
  }
}
"#;

fn import_groups(extra: &str) -> (crate::interop::ecs::import::Imported, serde_json::Value) {
    let main = format!("{GROUPS}{extra}");
    let files = mem(&[("c/main.tf", &main)]);
    let stack = read("c", &files).unwrap();
    let imported = crate::interop::iac::import(stack, "archflow import terraform").unwrap();
    let analysis = crate::analyze(&crate::source::Source::new("m.yaml", imported.yaml.clone()));
    assert!(
        !analysis.diagnostics.iter().any(|d| d.code.starts_with('L')),
        "{:?}",
        analysis.diagnostics
    );
    let value = serde_saphyr::from_str(&imported.yaml).unwrap();
    (imported, value)
}

fn web_calls(m: &serde_json::Value) -> serde_json::Value {
    assert_eq!(m["services"][1]["serviceName"], "web");
    m["services"][1]["taskDefinition"]["containerDefinitions"][0]["connectsTo"].clone()
}

#[test]
fn an_inline_ingress_block_from_another_services_group_is_a_guessed_call() {
    let (imported, m) = import_groups(
        r#"
resource "aws_security_group" "api" {
  name = "api"
  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [aws_security_group.web.id]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = ["10.1.0.0/16"]
  }
}
"#,
    );
    assert_eq!(web_calls(&m), json!(["api/api"]));
    // From the load balancer's group: the target group path, no call of its own.
    assert_eq!(
        m["services"][0]["taskDefinition"]["containerDefinitions"][0]["connectsTo"],
        serde_json::Value::Null
    );
    assert!(
        imported.yaml.contains(
            "# guessed: api/api allowed by security group aws_security_group.api \
             (c/main.tf:aws_security_group.api, from aws_security_group.web, port 8080)"
        ),
        "{}",
        imported.yaml
    );
    assert!(
        imported.notes.iter().any(|n| n
            == "service api: its tasks are reachable from 10.1.0.0/16 on every port (security \
                group aws_security_group.api, c/main.tf:aws_security_group.api)"),
        "{:?}",
        imported.notes
    );
    assert!(
        !imported
            .not_imported
            .iter()
            .any(|n| n.contains("security_group")),
        "{:?}",
        imported.not_imported
    );
}

#[test]
fn a_security_group_rule_and_a_vpc_ingress_rule_are_read() {
    let api = r#"
resource "aws_security_group" "api" {
  name = "api"
}
"#;
    let (imported, m) = import_groups(&format!(
        r#"{api}
resource "aws_security_group_rule" "web_to_api" {{
  type                     = "ingress"
  security_group_id        = aws_security_group.api.id
  source_security_group_id = aws_security_group.web.id
  protocol                 = "tcp"
  from_port                = 8000
  to_port                  = 8100
}}
resource "aws_security_group_rule" "out" {{
  type              = "egress"
  security_group_id = aws_security_group.api.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}}
"#
    ));
    assert_eq!(web_calls(&m), json!(["api/api"]));
    assert!(
        imported
            .guesses
            .iter()
            .any(|g| g.contains("(c/main.tf:aws_security_group_rule.web_to_api,")),
        "{:?}",
        imported.guesses
    );
    assert!(
        imported
            .not_imported
            .iter()
            .any(|n| n.starts_with("c/main.tf:aws_security_group_rule.out: an egress rule")),
        "{:?}",
        imported.not_imported
    );
    let (_, m) = import_groups(&format!(
        r#"{api}
resource "aws_vpc_security_group_ingress_rule" "web_to_api" {{
  security_group_id            = aws_security_group.api.id
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}}
"#
    ));
    assert_eq!(web_calls(&m), json!(["api/api"]));
    // A port api does not map gives no call.
    let (_, m) = import_groups(&format!(
        r#"{api}
resource "aws_vpc_security_group_ingress_rule" "web_to_api" {{
  security_group_id            = aws_security_group.api.id
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 9090
  to_port                      = 9090
}}
"#
    ));
    assert_eq!(web_calls(&m), serde_json::Value::Null);
}

#[test]
fn an_unresolvable_source_group_stays_symbolic_and_is_said() {
    let (imported, m) = import_groups(
        r#"
variable "bastion_sg" {}
resource "aws_security_group" "api" {
  name = "api"
  ingress {
    protocol        = "tcp"
    from_port       = 8080
    to_port         = 8080
    security_groups = [var.bastion_sg]
  }
}
"#,
    );
    assert_eq!(web_calls(&m), serde_json::Value::Null);
    assert!(
        imported.notes.iter().any(|n| n
            == "c/main.tf:aws_security_group.api: security group `aws_security_group.api` admits \
                `${var.bastion_sg}` on port 8080, a group the code does not declare (kept \
                symbolic; no call read from it)"),
        "{:?}",
        imported.notes
    );
}

#[test]
fn security_groups_in_terraform_show_json_are_named_by_their_ids() {
    let task = |family: &str, port: u16| {
        json!({"address": format!("aws_ecs_task_definition.{family}"), "mode": "managed",
               "type": "aws_ecs_task_definition", "name": family,
               "values": {"family": family,
                          "arn": format!("arn:aws:ecs:r:1:task-definition/{family}:1"),
                          "container_definitions": format!(
                              "[{{\"name\":\"{family}\",\"image\":\"i\",\"portMappings\":[{{\"containerPort\":{port}}}]}}]")}})
    };
    let service = |name: &str, sg: &str| {
        json!({"address": format!("aws_ecs_service.{name}"), "mode": "managed",
               "type": "aws_ecs_service", "name": name,
               "values": {"name": name,
                          "task_definition": format!("arn:aws:ecs:r:1:task-definition/{name}:1"),
                          "network_configuration": [{"subnets": ["subnet-1"], "security_groups": [sg]}]}})
    };
    let state = json!({"values": {"root_module": {"resources": [
        task("api", 8080), task("web", 80),
        service("api", "sg-0a"), service("web", "sg-0b"),
        {"address": "aws_security_group.api", "mode": "managed", "type": "aws_security_group",
         "name": "api", "values": {"id": "sg-0a", "arn": "arn:aws:ec2:r:1:security-group/sg-0a",
                                   "name": "api", "ingress": []}},
        {"address": "aws_security_group_rule.web_to_api", "mode": "managed",
         "type": "aws_security_group_rule", "name": "web_to_api",
         "values": {"type": "ingress", "security_group_id": "sg-0a",
                    "source_security_group_id": "sg-0b", "protocol": "tcp",
                    "from_port": 8080, "to_port": 8080}}
    ]}}});
    let files = mem(&[("state.json", &state.to_string())]);
    let stack = read("state.json", &files).unwrap();
    assert_eq!(
        stack.security_groups.groups,
        [(
            "sg-0a".to_owned(),
            "state.json:aws_security_group.api".to_owned()
        )]
    );
    let (access, _) = crate::interop::iac::connections(&stack.security_groups);
    assert_eq!(access.len(), 1, "{access:?}");
    assert_eq!(
        (access[0].from.as_str(), access[0].to.as_str()),
        ("web", "api")
    );
    assert_eq!(access[0].ports, Some((8080, 8080)));
}
