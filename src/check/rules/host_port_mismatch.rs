use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::NetworkMode;

const DOC: &str = r"# host-port-mismatch (A005)

## What it checks
Under `networkMode: awsvpc` (and `host`), a port mapping's `hostPort` is omitted or equal to its
`containerPort`.

## Why
In these modes the task has its own network interface (or uses the host's) and there is no port
translation: ECS rejects a task definition whose `hostPort` differs from `containerPort`
(cfn-lint E3053). Fargate always uses `awsvpc`.

## Example
```yaml
networkMode: awsvpc
...
portMappings: [{containerPort: 3000, hostPort: 80}]
```

## How to fix
Drop `hostPort`. To expose the service on port 80, let the load balancer's listener use port 80
and forward to the container port.

## References
- cfn-lint E3053 (awsvpc/host port mappings).
- AWS ECS API reference, `PortMapping.hostPort`.
";

pub(crate) const RULE: Rule = Rule::new(&code::A005, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for (service, container) in cx.model.containers() {
        let mode = service.network_mode();
        if !matches!(mode, NetworkMode::Awsvpc | NetworkMode::Host) {
            continue;
        }
        let mode = if mode == NetworkMode::Awsvpc {
            "awsvpc"
        } else {
            "host"
        };
        for pm in &container.port_mappings {
            let Some(host) = &pm.host_port else { continue };
            if host.value == pm.container_port.value {
                continue;
            }
            out.push(
                CheckContext::diagnostic(
                    &RULE,
                    format!(
                        "`hostPort` {} differs from `containerPort` {} in {mode} network mode",
                        host.value, pm.container_port.value
                    ),
                    Label::new(Span::of(host), "no port translation in this mode"),
                )
                .with_secondary(Label::new(Span::of(&pm.container_port), "container port"))
                .with_help(format!(
                    "remove `hostPort` (or set it to {}); let a load balancer listener expose another port",
                    pm.container_port.value
                ))
                .about(&container.name.value),
            );
        }
    }
}
