use super::fargate_incompatible_task::{fargate_marker, network_mode_name};
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::NetworkMode;

const DOC: &str = r"# links-outside-bridge (A024)

## What it checks
Containers use `links` only in a task with `networkMode: bridge` (the EC2 default when
`networkMode` is left out; Fargate tasks are always awsvpc).

## Why
`links` is a Docker bridge-network feature: it adds the linked container's name to
`/etc/hosts`. ECS supports it only in bridge mode and rejects a task definition that links
containers under `awsvpc`, `host` or `none`. A model carried over from Docker Compose often keeps
its links (or expects service names to resolve) after moving to Fargate.

## Example
```yaml
networkMode: awsvpc
containerDefinitions:
  - name: api
    links: [mongodb]          # not supported in awsvpc mode
```

## How to fix
Remove `links`. In `awsvpc` and `host` mode the containers of a task share one network
namespace: the API reaches MongoDB at `localhost:27017`. Keep the call visible in the diagram
with `connectsTo: [mongodb]`, and use `dependsOn` if the start order matters.

## References
- AWS, `ContainerDefinition.links` (“only supported if the network mode of a task definition is
  bridge”).
- AWS, Amazon ECS developer guide: “Amazon ECS task networking options” (awsvpc: containers
  communicate over localhost).
";

pub(crate) const RULE: Rule = Rule::new(&code::A024, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let mode = service.network_mode();
        if mode == NetworkMode::Bridge {
            continue;
        }
        let task = &service.task_definition;
        let mode_name = network_mode_name(mode);
        let why = match (&task.network_mode, fargate_marker(service)) {
            (Some(m), _) => Label::new(Span::of(m), format!("network mode {mode_name}")),
            (None, Some(fargate)) => Label::new(fargate.span, "Fargate tasks use awsvpc"),
            (None, None) => Label::new(Span::of(&task.family), format!("network mode {mode_name}")),
        };
        for c in &task.container_definitions {
            let Some((first, rest)) = c.links.split_first() else {
                continue;
            };
            let name = &c.name.value;
            let linked: Vec<&str> = c.links.iter().map(|l| l.value.as_str()).collect();
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!(
                    "`{name}` uses `links`, which work only in bridge network mode, not {mode_name}"
                ),
                Label::new(
                    Span::of(first),
                    format!("not supported in {mode_name} mode"),
                ),
            )
            .with_secondary(why.clone())
            .about(name);
            for l in rest {
                d = d.with_secondary(Label::new(Span::of(l), "also a link"));
            }
            d = if mode == NetworkMode::None {
                d.with_help("remove `links`: a task with `networkMode: none` has no network at all")
            } else {
                let addresses: Vec<String> = linked
                    .iter()
                    .map(|l| {
                        task.container_definitions
                            .iter()
                            .find(|t| t.name.value == *l)
                            .and_then(|t| t.port_mappings.first())
                            .map_or_else(
                                || format!("`{l}` at localhost"),
                                |p| format!("`{l}` at localhost:{}", p.container_port.value),
                            )
                    })
                    .collect();
                d.with_help(format!(
                    "remove `links` (keep the call as `connectsTo: [{}]`): the task's containers share \
                     localhost, so `{name}` reaches {}",
                    linked.join(", "),
                    addresses.join(", ")
                ))
            };
            out.push(d);
        }
    }
}
