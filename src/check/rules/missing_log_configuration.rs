use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{ContainerDefinition, LaunchType};

const DOC: &str = r"# missing-log-configuration (A019)

## What it checks
Every container has a `logConfiguration` with a `logDriver`. One finding per task definition
names all of its containers that have none.

## Why
Without one, what the container writes to standard output and standard error (requests, stack
traces, the database's own log) goes nowhere you can read it: on Fargate it is discarded, on EC2
it stays in a file on the instance and disappears with it. When a task crashes or a request
fails, the logs are the first thing to look at, and they are also the audit trail after a
security incident.

The finding is informational: a model may leave logging out on purpose, to keep a diagram small.

## Example
```yaml
- name: goals-backend
  image: academind/goals-node      # no logConfiguration
```

## How to fix
Send the output to CloudWatch Logs with the `awslogs` driver (the task's execution role needs
`logs:CreateLogStream` and `logs:PutLogEvents`):
```yaml
logConfiguration:
  logDriver: awslogs
  options:
    awslogs-group: /ecs/goals
    awslogs-region: eu-central-1
    awslogs-stream-prefix: goals
```
Or route it through a FireLens log router (`logDriver: awsfirelens`) to another destination.

## References
- AWS Security Hub `ECS.9` (ECS task definitions should have a logging configuration)
- AWS Config rule `ecs-task-definition-log-configuration`
- Send Amazon ECS logs to CloudWatch: <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html>
";

pub(crate) const RULE: Rule = Rule::new(&code::A019, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let task = &service.task_definition;
        let unlogged: Vec<&ContainerDefinition> = task
            .container_definitions
            .iter()
            .filter(|c| c.log_configuration.is_none())
            .collect();
        let Some((first, rest)) = unlogged.split_first() else {
            continue;
        };
        let family = &task.family.value;
        let message = if rest.is_empty() {
            format!(
                "container `{}` of task `{family}` has no `logConfiguration`: its logs are lost",
                first.name.value
            )
        } else {
            format!(
                "{} containers of task `{family}` have no `logConfiguration`: their logs are lost",
                unlogged.len()
            )
        };
        let fargate = service.launch_type() == Some(LaunchType::Fargate)
            || task
                .requires_compatibilities
                .iter()
                .any(|l| l.value == LaunchType::Fargate);
        let lost = if fargate {
            "on Fargate, standard output and error of a container without a log driver are discarded"
        } else {
            "without a log driver, standard output and error stay on the instance, and go with it"
        };
        let mut d = CheckContext::diagnostic(
            &RULE,
            message,
            Label::new(Span::of(&first.name), "no `logConfiguration`"),
        );
        for c in rest {
            d = d.with_secondary(Label::new(
                Span::of(&c.name),
                "no `logConfiguration` either",
            ));
        }
        out.push(
            d.with_note(lost)
                .with_help(format!(
                    "add `logConfiguration: {{logDriver: awslogs, options: {{awslogs-group: /ecs/{family}, \
                     awslogs-region: <region>, awslogs-stream-prefix: {family}}}}}` to {}",
                    if rest.is_empty() { "the container" } else { "each of them" }
                ))
                .about(&service.service_name.value),
        );
    }
}
