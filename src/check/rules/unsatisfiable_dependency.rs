use super::missing_health_check::suggested_health_check;
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{DependencyCondition, Role};

const DOC: &str = r"# unsatisfiable-dependency (A023)

## What it checks
Each `dependsOn` condition can be met by the container it waits for:
- `COMPLETE` and `SUCCESS` wait for a container to exit, so they must not name an essential
  container (`essential: true` is the default);
- `HEALTHY` waits for a container's health check, so the container must have a `healthCheck`.

## Why
The ECS API documents both restrictions: `COMPLETE` and `SUCCESS` “can't be set on an essential
container”, and `HEALTHY` “requires that the dependent container has health checks configured”.
Either the task definition is rejected, or the condition is never met: an essential container
that exits stops the whole task, and a container without a health check never becomes healthy,
so the waiting container never starts.

## Example
```yaml
- name: api
  dependsOn:
    - {containerName: migrate, condition: SUCCESS}   # migrate is essential (the default)
    - {containerName: db, condition: HEALTHY}        # db has no healthCheck
- name: migrate
  image: flyway/flyway
- name: db
  image: postgres
```

## How to fix
For a one-off job (migrations, setup scripts) mark it `essential: false` and keep `SUCCESS`.
For a long-running server, wait for `START`, or give it a `healthCheck` and wait for `HEALTHY`.

## References
- AWS, `ContainerDependency` API reference (conditions `START`, `COMPLETE`, `SUCCESS`,
  `HEALTHY`, and their restrictions).
- AWS, Amazon ECS developer guide: “Container dependency”; amazon-ecs-agent issue #2579 (a
  dependency that never resolves leaves the task pending).
";

pub(crate) const RULE: Rule = Rule::new(&code::A023, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let containers = &service.task_definition.container_definitions;
        for c in containers {
            for dep in &c.depends_on {
                let Some(target) = containers
                    .iter()
                    .find(|t| t.name.value == dep.container_name.value)
                else {
                    continue; // unknown-reference reports it
                };
                let (name, t) = (&c.name.value, &target.name.value);
                let condition = &dep.condition;
                match condition.value {
                    DependencyCondition::Complete | DependencyCondition::Success
                        if target.is_essential() =>
                    {
                        let verb = if condition.value == DependencyCondition::Complete {
                            "COMPLETE"
                        } else {
                            "SUCCESS"
                        };
                        let essential = target.essential.as_ref().map_or_else(
                            || Label::new(Span::of(&target.name), "essential by default"),
                            |e| Label::new(Span::of(e), "essential"),
                        );
                        let server = matches!(
                            target.role(),
                            Some(Role::Api | Role::Web | Role::Database | Role::Cache)
                        );
                        let help = if server {
                            format!(
                                "`{t}` keeps running: wait for it with `condition: START`, or give it a \
                                 `healthCheck` and use `condition: HEALTHY`"
                            )
                        } else {
                            format!(
                                "if `{t}` is a one-off job, mark it `essential: false`; if it keeps running, \
                                 wait for `START` (or `HEALTHY`, with a `healthCheck`) instead"
                            )
                        };
                        out.push(
                            CheckContext::diagnostic(
                                &RULE,
                                format!(
                                    "`{name}` waits for essential container `{t}` to exit ({verb}), which ECS does not allow"
                                ),
                                Label::new(Span::of(condition), format!("{verb} needs a non-essential container")),
                            )
                            .with_secondary(essential)
                            .with_note(format!(
                                "an essential container that exits stops the task, so `{name}` could never run"
                            ))
                            .with_help(help)
                            .about(name),
                        );
                    }
                    DependencyCondition::Healthy if target.health_check.is_none() => {
                        let help = suggested_health_check(target).map_or_else(
                            || format!("give `{t}` a `healthCheck`, or wait for it with `condition: START`"),
                            |h| format!("give `{t}` {h}, or wait for it with `condition: START`"),
                        );
                        out.push(
                            CheckContext::diagnostic(
                                &RULE,
                                format!(
                                    "`{name}` waits for `{t}` to be HEALTHY, but `{t}` has no `healthCheck`"
                                ),
                                Label::new(Span::of(condition), "needs a health check"),
                            )
                            .with_secondary(Label::new(
                                Span::of(&target.name),
                                "no `healthCheck`",
                            ))
                            .with_note(format!("`{t}` can never become healthy, so `{name}` never starts"))
                            .with_help(help)
                            .about(name),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}
