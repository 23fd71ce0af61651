//! Security groups in templates: who may call whom.

use serde_json::Value;

use super::{Template, read};
use crate::interop::iac;

/// Two services behind security groups: `web` (behind a load balancer) may call `api` on 8080,
/// by an inline rule and by a standalone `AWS::EC2::SecurityGroupIngress`.
const TEMPLATE: &str = "Resources:
  ApiTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: api
          Image: example/api:1
          PortMappings: [{ContainerPort: 8080}]
        - Name: metrics
          Image: example/metrics:1
          PortMappings: [{ContainerPort: 9100}]
  WebTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: log-router
          Image: example/fluent-bit:1
          Essential: false
        - Name: web
          Image: example/web:1
          PortMappings: [{ContainerPort: 80}]
  Api:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: api
      TaskDefinition: !Ref ApiTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          SecurityGroups: [!Ref ApiSg]
  Web:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: web
      TaskDefinition: !Ref WebTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          SecurityGroups: [!GetAtt WebSg.GroupId]
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Name: edge
      SecurityGroups: [!Ref AlbSg]
  AlbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: the load balancer
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web tasks
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref AlbSg}
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/8}
  ApiSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: api tasks
      SecurityGroupIngress:
        - {IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}
";

const INLINE: &str = "
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !GetAtt WebSg.GroupId}
";

const STANDALONE: &str = "  ApiFromWeb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt ApiSg.GroupId
      IpProtocol: tcp
      FromPort: 8000
      ToPort: 8999
      SourceSecurityGroupId: !Ref WebSg
";

fn import(text: &str) -> (iac::Stack, crate::interop::ecs::import::Imported, Value) {
    let stack = read(
        &[Template {
            path: "app.yaml".to_owned(),
            text: text.to_owned(),
        }],
        &[],
    )
    .unwrap();
    let imported = iac::import(stack.clone(), "archflow import cloudformation").unwrap();
    let analysis = crate::analyze(&crate::source::Source::new("m.yaml", imported.yaml.clone()));
    assert!(
        !analysis.diagnostics.iter().any(|d| d.code.starts_with('L')),
        "{:?}\n{}",
        analysis.diagnostics,
        imported.yaml
    );
    let value: Value = serde_saphyr::from_str(&imported.yaml).unwrap();
    (stack, imported, value)
}

fn connects_to(model: &Value, service: usize, container: usize) -> Value {
    model["services"][service]["taskDefinition"]["containerDefinitions"][container]["connectsTo"]
        .clone()
}

#[test]
fn an_inline_rule_from_another_services_group_is_a_guessed_call() {
    let text = TEMPLATE.replacen(
        "        - {IpProtocol: icmp",
        &format!(
            "{}        - {{IpProtocol: icmp",
            INLINE.trim_start_matches('\n')
        ),
        1,
    );
    let (_, imported, m) = import(&text);
    // web's essential container with a port calls api's container that maps 8080, not metrics.
    assert_eq!(m["services"][1]["serviceName"], "web");
    assert_eq!(connects_to(&m, 1, 1), serde_json::json!(["api/api"]));
    assert_eq!(connects_to(&m, 1, 0), Value::Null);
    // Ingress from the load balancer's group is the target group path: no call of its own.
    assert_eq!(connects_to(&m, 0, 0), Value::Null);
    assert!(
        imported.yaml.contains(
            "# guessed: api/api allowed by security group ApiSg (app.yaml#ApiSg, from WebSg, port \
             8080); a permitted call, not necessarily a used one"
        ),
        "{}",
        imported.yaml
    );
    assert!(
        imported
            .guesses
            .iter()
            .any(|g| g.starts_with("web/web: connectsTo api/api (allowed by security group ApiSg")),
        "{:?}",
        imported.guesses
    );
    // A task reachable from an address range is said; the ICMP rule carries no calls.
    assert!(
        imported.notes.iter().any(|n| n
            == "service web: its tasks are reachable from 10.0.0.0/8 on port 80 (security group \
                WebSg, app.yaml#WebSg)"),
        "{:?}",
        imported.notes
    );
    assert!(
        imported
            .yaml
            .contains("# - service web: its tasks are reachable from 10.0.0.0/8"),
        "{}",
        imported.yaml
    );
    assert!(!imported.yaml.contains("0.0.0.0/0"), "{}", imported.yaml);
    // Security groups are read, not listed as not imported.
    assert!(
        !imported
            .not_imported
            .iter()
            .any(|n| n.contains("SecurityGroup")),
        "{:?}",
        imported.not_imported
    );
}

#[test]
fn a_standalone_ingress_resource_is_read_like_an_inline_rule() {
    let text = format!("{TEMPLATE}{STANDALONE}");
    let (stack, imported, m) = import(&text);
    assert_eq!(connects_to(&m, 1, 1), serde_json::json!(["api/api"]));
    assert!(
        imported
            .yaml
            .contains("(app.yaml#ApiFromWeb, from WebSg, ports 8000-8999)"),
        "{}",
        imported.yaml
    );
    assert_eq!(
        stack.security_groups.services,
        [
            ("api".to_owned(), vec!["ApiSg".to_owned()]),
            ("web".to_owned(), vec!["WebSg".to_owned()])
        ]
    );
    assert_eq!(
        stack.security_groups.load_balancers,
        [("edge".to_owned(), vec!["AlbSg".to_owned()])]
    );
    // A port no container of api maps gives no call.
    let (_, _, m) = import(&text.replace("ToPort: 8999", "ToPort: 8001"));
    assert_eq!(connects_to(&m, 1, 1), Value::Null);
}

#[test]
fn an_unresolvable_group_stays_symbolic_and_is_said() {
    let text = format!(
        "{TEMPLATE}  ApiFromBastion:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref ApiSg
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !ImportValue shared:BastionSg
  Elsewhere:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !ImportValue shared:DatabaseSg
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      SourceSecurityGroupId: !Ref ApiSg
"
    );
    let (_, imported, m) = import(&text);
    assert_eq!(connects_to(&m, 1, 1), Value::Null);
    assert!(
        imported.notes.iter().any(|n| n
            == "app.yaml#ApiFromBastion: security group `ApiSg` admits `!ImportValue \
                shared:BastionSg` on port 8080, a group the code does not declare (kept \
                symbolic; no call read from it)"),
        "{:?}",
        imported.notes
    );
    assert!(
        imported.notes.iter().any(|n| n.starts_with(
            "app.yaml#Elsewhere: a rule of security group `!ImportValue shared:DatabaseSg`"
        )),
        "{:?}",
        imported.notes
    );
    assert!(
        imported
            .yaml
            .contains("# - app.yaml#ApiFromBastion: security group `ApiSg` admits"),
        "{}",
        imported.yaml
    );
}

/// Templates in memory, for nested stacks.
struct Mem(Vec<(&'static str, String)>);

impl super::Files for Mem {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| "no such file".to_owned())
    }
}

fn nesting(url: &str) -> String {
    format!(
        "Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: {url}
      Parameters:
        Family: !Sub '${{AWS::StackName}}-x'
"
    )
}

const LEAF: &str = "Parameters:
  Family:
    Type: String
    Default: leaf
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Ref Family
      ContainerDefinitions:
        - {Name: app, Image: example/app:1, Memory: 128}
";

fn read_nested(files: &Mem, root: &str) -> iac::Stack {
    let text = files.0.iter().find(|(p, _)| *p == root).unwrap().1.clone();
    super::read_with(
        &[Template {
            path: root.to_owned(),
            text,
        }],
        &[("AWS::StackName".to_owned(), "top".to_owned())],
        files,
    )
    .unwrap()
}

#[test]
fn a_local_nested_template_is_read_with_the_parameters_it_is_given() {
    let files = Mem(vec![
        ("infra/parent.yaml", nesting("./stacks/../stacks/leaf.yaml")),
        ("infra/stacks/leaf.yaml", LEAF.to_owned()),
    ]);
    let stack = read_nested(&files, "infra/parent.yaml");
    assert_eq!(stack.task_definitions.len(), 1);
    // The parent's parameter, resolved in the parent (its stack name), not the default.
    assert_eq!(stack.task_definitions[0].name, "top-x");
    assert_eq!(
        stack.task_definitions[0].origin,
        "infra/stacks/leaf.yaml#Task"
    );
    assert!(
        stack.notes.contains(
            &"infra/parent.yaml#Child: nested stack, read from infra/stacks/leaf.yaml (its \
              resources' origins name that file)"
                .to_owned()
        ),
        "{:?}",
        stack.notes
    );
    // Without files, and for a remote or missing template, it is listed as not imported.
    let stack = super::read(
        &[Template {
            path: "p.yaml".to_owned(),
            text: nesting("https://example.com/leaf.yaml"),
        }],
        &[],
    )
    .unwrap();
    assert!(stack.task_definitions.is_empty());
    assert_eq!(stack.not_imported.len(), 1, "{:?}", stack.not_imported);
    assert!(
        stack.not_imported[0].starts_with(
            "p.yaml#Child: nested stack https://example.com/leaf.yaml (a remote template"
        ),
        "{:?}",
        stack.not_imported
    );
    let files = Mem(vec![("p.yaml", nesting("missing.yaml"))]);
    let stack = read_nested(&files, "p.yaml");
    assert_eq!(
        stack.not_imported,
        ["p.yaml#Child: nested stack missing.yaml not read (no such file)"]
    );
}

#[test]
fn nested_stacks_in_a_cycle_or_too_deep_are_not_read_again() {
    // a.yaml → b.yaml → a.yaml: each is read once.
    let files = Mem(vec![
        ("a.yaml", format!("{}{}", nesting("b.yaml"), task("a"))),
        ("b.yaml", format!("{}{}", nesting("a.yaml"), task("b"))),
    ]);
    let stack = read_nested(&files, "a.yaml");
    let names: Vec<&str> = stack
        .task_definitions
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(
        stack.not_imported,
        ["b.yaml#Child: nested stack a.yaml not read (a cycle: a.yaml is already being read)"]
    );
    // A template nesting itself.
    let files = Mem(vec![("self.yaml", nesting("self.yaml"))]);
    let stack = read_nested(&files, "self.yaml");
    assert_eq!(stack.not_imported.len(), 1, "{:?}", stack.not_imported);
    // A chain of eight: the first six levels are read (the root and five nested), no further.
    let mut files = Vec::new();
    let names = [
        "l0.yaml", "l1.yaml", "l2.yaml", "l3.yaml", "l4.yaml", "l5.yaml", "l6.yaml", "l7.yaml",
    ];
    for (i, name) in names.iter().enumerate() {
        let next = names.get(i + 1).copied().unwrap_or("none.yaml");
        files.push((
            *name,
            format!("{}{}", nesting(next), task(&format!("f{i}"))),
        ));
    }
    let stack = read_nested(&Mem(files), "l0.yaml");
    assert_eq!(stack.task_definitions.len(), super::MAX_NESTING + 1);
    assert_eq!(
        stack.not_imported,
        ["l5.yaml#Child: nested stack l6.yaml not read (nested deeper than 5 levels)"]
    );
}

/// A task definition resource named `family`, to add to a template's resources.
fn task(family: &str) -> String {
    format!(
        "  Task{family}:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: {family}
      ContainerDefinitions:
        - {{Name: app, Image: example/app:1, Memory: 128}}
"
    )
}
