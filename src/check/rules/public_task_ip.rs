use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{EnabledDisabled, Role};

const DOC: &str = r"# public-task-ip (A017)

## What it checks
No service sets `networkConfiguration.awsvpcConfiguration.assignPublicIp: ENABLED`.

## Why
A public IP address makes each task reachable straight from the internet, around the load
balancer: only its security group decides what gets through, and one rule too broad (a port
opened to `0.0.0.0/0` while debugging) exposes the application, or a database in the same task,
to the whole internet. In private subnets, tasks are reachable only through the load balancer.

The finding is informational because a public IP is also the simplest way for Fargate tasks in
public subnets to reach the internet (to pull images from Docker Hub, or to call AWS APIs)
without a NAT gateway, and a security group that admits only the load balancer keeps such a
task closed. archflow cannot see security group rules, so it points out the exposure.

## Example
```yaml
networkConfiguration:
  awsvpcConfiguration:
    subnets: [subnet-a, subnet-b]
    assignPublicIp: ENABLED
```

## How to fix
Run the tasks in private subnets with `assignPublicIp: DISABLED` (the default), and give those
subnets a way out: a NAT gateway, or VPC endpoints for ECR, CloudWatch Logs, Secrets Manager and
S3 (images from Docker Hub need the NAT gateway, or a copy in ECR). Until then, make sure the
task's security group admits traffic only from the load balancer's security group.

## References
- checkov `CKV_AWS_333` (ECS services should not have public IP addresses assigned to them
  automatically)
- AWS Security Hub `ECS.2` (ECS services should not have public IP addresses assigned to them
  automatically)
- Amazon ECS task networking for Fargate: <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A017, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let Some(public) = service
            .network_configuration
            .as_ref()
            .and_then(|n| n.awsvpc_configuration.assign_public_ip.as_ref())
            .filter(|a| a.value == EnabledDisabled::Enabled)
        else {
            continue;
        };
        let name = &service.service_name.value;
        let mut d = CheckContext::diagnostic(
            &RULE,
            format!("service `{name}` gives its tasks public IP addresses"),
            Label::new(Span::of(public), "each task is reachable from the internet"),
        )
        .with_note("only the task's security group stands between the internet and every port the task listens on");
        let databases: Vec<&str> = service
            .task_definition
            .container_definitions
            .iter()
            .filter(|c| c.role() == Some(Role::Database))
            .map(|c| c.name.value.as_str())
            .collect();
        if !databases.is_empty() {
            let ports: Vec<String> = service
                .task_definition
                .container_definitions
                .iter()
                .filter(|c| c.role() == Some(Role::Database))
                .flat_map(|c| &c.port_mappings)
                .map(|p| p.container_port.value.to_string())
                .collect();
            let on = if ports.is_empty() {
                String::new()
            } else {
                format!(" (port {})", ports.join(", "))
            };
            d = d.with_note(format!(
                "the task also runs database `{}`{on}: it listens on that public address too",
                databases.join("`, `")
            ));
        }
        out.push(
            d.with_help(
                "run the tasks in private subnets with `assignPublicIp: DISABLED` and a NAT gateway or VPC endpoints for outbound traffic; \
                 until then, let the task's security group admit only the load balancer",
            )
            .about(name),
        );
    }
}
