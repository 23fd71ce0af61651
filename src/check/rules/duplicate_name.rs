use std::collections::HashMap;

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};

const DOC: &str = r"# duplicate-name (A002)

## What it checks
No two components share a name: actors, load balancers, listeners, target groups, services,
containers, volumes and file systems live in one namespace. (A task definition's `family` may
repeat its service's name, since nothing refers to a task by name.)

## Why
Flows and references use bare names. With two components called `api`, a flow step `to: api` is
ambiguous, and the diagram would merge two things into one box.

## Example
```yaml
containerDefinitions:
  - name: app
  - name: app        # second definition
```

## How to fix
Rename one of them. Volume names must be unique across the whole model too, not only within
their task: call them after what they hold (`orders-data`, `users-data`).

## References
- archflow's model: references and flows use bare names (README, 'The model').
- AWS ECS API reference: container names must be unique within a task definition.
";

pub(crate) const RULE: Rule = Rule::new(&code::A002, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut first = HashMap::with_capacity(cx.model.definitions.len());
    for c in &cx.model.definitions {
        match first.get(c.id.name.as_str()) {
            None => {
                first.insert(c.id.name.as_str(), c);
            }
            Some(original) => {
                let d = CheckContext::diagnostic(
                    &RULE,
                    format!("the name `{}` is defined more than once", c.id.name),
                    Label::new(c.span, format!("{} defined again here", c.id.kind.as_str())),
                )
                .with_secondary(Label::new(
                    original.span,
                    format!("first defined here as a {}", original.id.kind.as_str()),
                ))
                .with_help("rename one of them: every name in a model is unique, so flows can use bare names")
                .about(&c.id.name);
                out.push(d);
            }
        }
    }
}
