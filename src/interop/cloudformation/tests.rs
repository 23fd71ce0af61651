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
