use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, Severity, code};
use crate::source::Span;
use crate::syntax::document::{LaunchType, NetworkMode};

const DOC: &str = r"# privileged-container (A015)

## What it checks
No container sets `privileged: true` (an error), and no task definition uses
`networkMode: host` (a warning).

## Why
A privileged container has every Linux capability and access to all host devices: whoever
compromises it (through a bug in the application or a poisoned image) is root on the EC2 instance,
and from there reaches every other task on it and the instance role's credentials. Fargate
rejects privileged containers outright.

`networkMode: host` is milder but related: the containers share the instance's network stack,
so the task gets no security group of its own, can bind any port of the instance and reach
everything the instance can.

## Example
```yaml
containerDefinitions:
  - name: agent
    image: example/agent
    privileged: true
```

## How to fix
Remove `privileged: true`. If the container needs one specific capability (say `NET_ADMIN`),
grant only that one in the task definition (`linuxParameters.capabilities.add`, EC2 only; archflow
does not model it). For the network, use `networkMode: awsvpc`: each task gets its own network
interface and security group.

## References
- checkov `CKV_AWS_334` (ECS containers should run as non-privileged)
- AWS Security Hub `ECS.4` (ECS containers should run as non-privileged), `ECS.1` (task
  definitions should have secure networking modes and user definitions)
- ECS task definition parameters, `privileged` and `networkMode`: <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A015, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let task = &service.task_definition;
        let fargate = service.launch_type() == Some(LaunchType::Fargate)
            || task
                .requires_compatibilities
                .iter()
                .any(|c| c.value == LaunchType::Fargate);
        if let Some(mode) = task
            .network_mode
            .as_ref()
            .filter(|m| m.value == NetworkMode::Host)
        {
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!(
                    "task definition `{}` shares the host's network (`networkMode: host`)",
                    task.family.value
                ),
                Label::new(Span::of(mode), "the instance's network stack"),
            )
            .with_note(
                "the task gets no security group of its own and can bind or reach anything the instance can",
            )
            .with_help("use `networkMode: awsvpc`: each task gets its own network interface and security group");
            d.severity = Severity::Warning;
            out.push(d.about(&service.service_name.value));
        }
        for c in &task.container_definitions {
            let Some(privileged) = c.privileged.as_ref().filter(|p| p.value) else {
                continue;
            };
            let name = &c.name.value;
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!("container `{name}` runs privileged: root on the host"),
                Label::new(Span::of(privileged), "all capabilities and host devices"),
            )
            .with_note(
                "whoever compromises the container controls the instance, every task on it and the instance role",
            );
            if fargate {
                d = d.with_note("Fargate does not support privileged containers: ECS rejects the task definition");
            }
            out.push(
                d.with_help(
                    "remove `privileged: true`; a container that needs one Linux capability should be granted only that one",
                )
                .about(name),
            );
        }
    }
}
