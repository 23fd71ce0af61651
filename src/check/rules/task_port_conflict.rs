use std::collections::BTreeMap;

use super::fargate_incompatible_task::network_mode_name;
use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::{NetworkMode, TransportProtocol};

const DOC: &str = r"# task-port-conflict (A025)

## What it checks
In a task with `networkMode: awsvpc` (Fargate) or `host`, no two containers map the same
`containerPort` with the same protocol.

## Why
The containers of such a task share one network namespace: there is one port 8080 for all of
them, as on a single machine. The second container to bind the port fails with “address already
in use” and exits; if it is essential, the task stops. Docker Compose, where every service has
its own address, hides this until the services are moved into one task.

## Example
```yaml
networkMode: awsvpc
containerDefinitions:
  - {name: api, portMappings: [{containerPort: 8080}]}
  - {name: admin, portMappings: [{containerPort: 8080}]}
```

## How to fix
Let one of the containers listen on another port (most images take it from an environment
variable such as `PORT`) and update its `portMappings` and callers, or move it to a task of its
own.

## References
- AWS, Amazon ECS developer guide: “Amazon ECS task networking options for Fargate” (containers
  of an awsvpc task share the task's network interface and communicate over localhost).
- AWS, `PortMapping` (in awsvpc and host mode, `hostPort` equals `containerPort`).
";

pub(crate) const RULE: Rule = Rule::new(&code::A025, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        let mode = service.network_mode();
        if !matches!(mode, NetworkMode::Awsvpc | NetworkMode::Host) {
            continue;
        }
        // (port, udp?) → (first container, its mapping's span)
        let mut first: BTreeMap<(u16, bool), (&str, Span)> = BTreeMap::new();
        for c in &service.task_definition.container_definitions {
            let name = c.name.value.as_str();
            for pm in &c.port_mappings {
                let udp = pm
                    .protocol
                    .as_ref()
                    .is_some_and(|p| p.value == TransportProtocol::Udp);
                let port = pm.container_port.value;
                let span = Span::of(&pm.container_port);
                match first.get(&(port, udp)) {
                    None => {
                        first.insert((port, udp), (name, span));
                    }
                    Some(&(owner, _)) if owner == name => {}
                    Some(&(owner, owner_span)) => {
                        let proto = if udp { "udp" } else { "tcp" };
                        out.push(
                            CheckContext::diagnostic(
                                &RULE,
                                format!(
                                    "`{name}` and `{owner}` both listen on {proto} port {port} in one {} task",
                                    network_mode_name(mode)
                                ),
                                Label::new(span, "port already taken in this task"),
                            )
                            .with_secondary(Label::new(owner_span, format!("`{owner}` maps it first")))
                            .with_note(
                                "the containers share one network namespace: the second to bind the port fails",
                            )
                            .with_help(format!(
                                "let `{name}` listen on another port (and map that one), or move it to a task of its own"
                            ))
                            .about(name),
                        );
                    }
                }
            }
        }
    }
}
