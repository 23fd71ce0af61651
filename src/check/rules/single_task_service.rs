use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, Severity, code};
use crate::source::Span;
use crate::syntax::document::Role;

const DOC: &str = r"# single-task-service (A010)

## What it checks
A service that serves requests (it is behind a load balancer, or holds an `api` or `web`
container) runs at least two tasks. `desiredCount: 0` is reported as an error: nothing runs.

## Why
With one task, every crash, host failure or deployment is an outage: the load balancer has no
healthy target until the replacement starts. Two tasks (in two availability zones) keep serving.

## Example
```yaml
desiredCount: 1
```

## How to fix
Set `desiredCount: 2` or more. If the task also holds a database on EFS, first move the database
out (its own service or a managed database): two copies of it on one EFS directory is worse than
downtime (see `shared-database-storage`, A009).

## References
- AWS Well-Architected Framework, Reliability pillar (REL10: use fault isolation).
- AWS ECS API reference, `CreateService.desiredCount`.
";

pub(crate) const RULE: Rule = Rule::new(&code::A010, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let containers = &service.task_definition.container_definitions;
        let serves = !service.load_balancers.is_empty()
            || containers
                .iter()
                .any(|c| matches!(c.role(), Some(Role::Api | Role::Web)));
        let count = service.desired_count();
        if !serves || count >= 2 {
            continue;
        }
        let (span, written) = service.desired_count.as_ref().map_or_else(
            || (Span::of(&service.service_name), false),
            |c| (Span::of(c), true),
        );
        let name = &service.service_name.value;
        let holds_database = containers.iter().any(|c| c.role() == Some(Role::Database));
        let mut d = if count == 0 {
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!("service `{name}` runs no task"),
                Label::new(span, "nothing runs"),
            );
            d.severity = Severity::Error;
            d.with_help("set `desiredCount: 2` or more (1 runs, but without redundancy), or remove the service")
        } else {
            CheckContext::diagnostic(
                &RULE,
                format!("service `{name}` runs a single task: a single point of failure"),
                Label::new(
                    span,
                    if written { "one task" } else { "`desiredCount` defaults to 1" },
                ),
            )
            .with_note("a crash, a host failure or a deployment takes the service down until a new task is healthy")
        };
        if count > 0 {
            d.help = Some(if holds_database {
                "the task also runs a database: two copies on one EFS directory would corrupt it (A009). \
                 Move the database to its own service or a managed database, then set `desiredCount: 2`"
                    .to_owned()
            } else {
                "set `desiredCount: 2` or more, spread over two availability zones".to_owned()
            });
        }
        out.push(d.about(name));
    }
}
