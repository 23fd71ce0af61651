use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;

const DOC: &str = r"# no-essential-container (A006)

## What it checks
Every task definition has at least one container with `essential: true` (the default).

## Why
ECS requires one: the task lives as long as its essential containers run. A task definition
with none is rejected at registration (cfn-lint E3042).

## Example
```yaml
containerDefinitions:
  - {name: api, image: node, essential: false}
  - {name: log-router, image: fluent-bit, essential: false}
```

## How to fix
Mark the main container (usually the API or web server) `essential: true`, or drop the
`essential: false` line: true is the default.

## References
- cfn-lint E3042 (at least one essential container).
- AWS ECS API reference, `ContainerDefinition.essential`.
";

pub(crate) const RULE: Rule = Rule::new(&code::A006, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let task = &service.task_definition;
        if task.container_definitions.is_empty() {
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!("task definition `{}` has no containers", task.family.value),
                    Label::new(Span::of(&task.family), "no `containerDefinitions`"),
                )
                .with_help("add the containers the task runs under `containerDefinitions`")
                .about(&service.service_name.value),
            );
            continue;
        }
        if task
            .container_definitions
            .iter()
            .any(crate::syntax::document::ContainerDefinition::is_essential)
        {
            continue;
        }
        let mut d = CheckContext::diagnostic(
            &RULE,
            format!(
                "task definition `{}` has no essential container",
                task.family.value
            ),
            Label::new(Span::of(&task.family), "ECS requires at least one"),
        )
        .with_help("mark the main container `essential: true` (the default when omitted)")
        .about(&service.service_name.value);
        for c in &task.container_definitions {
            if let Some(e) = &c.essential {
                d = d.with_secondary(Label::new(
                    Span::of(e),
                    format!("`{}` is not essential", c.name.value),
                ));
            }
        }
        out.push(d);
    }
}
