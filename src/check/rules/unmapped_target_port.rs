use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;

const DOC: &str = r#"# unmapped-target-port (A004)

## What it checks
A service's `loadBalancers[].containerPort` is one of the `portMappings` of the container it
names.

## Why
ECS registers the task in the target group on that container port. If the container does not
map the port, the service fails to start ("The container … did not have a container port …"), or
the load balancer sends traffic to a port nothing listens on and every health check fails.

## Example
```yaml
loadBalancers: [{targetGroup: web-tg, containerName: api, containerPort: 8080}]
...
- name: api
  portMappings: [{containerPort: 80}]
```

## How to fix
Make `containerPort` match the port the application listens on, and map that port in the
container's `portMappings`.

## References
- AWS ECS developer guide, "Use load balancing to distribute Amazon ECS service traffic":
  the `containerPort` must appear in the container's `portMappings`.
"#;

pub(crate) const RULE: Rule = Rule::new(&code::A004, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.doc.services {
        for lb in &service.load_balancers {
            let Some(container) = service
                .task_definition
                .container_definitions
                .iter()
                .find(|c| c.name.value == lb.container_name.value)
            else {
                continue; // unknown-reference reports it
            };
            let port = lb.container_port.value;
            if container
                .port_mappings
                .iter()
                .any(|p| p.container_port.value == port)
            {
                continue;
            }
            let mapped: Vec<String> = container
                .port_mappings
                .iter()
                .map(|p| p.container_port.value.to_string())
                .collect();
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!(
                    "container `{}` does not map port {port}, so the target group can never reach it",
                    container.name.value
                ),
                Label::new(Span::of(&lb.container_port), "targets this port"),
            )
            .with_secondary(Label::new(Span::of(&container.name), "container defined here"))
            .about(&container.name.value);
            d.help = Some(if mapped.is_empty() {
                format!(
                    "add `portMappings: [{{containerPort: {port}}}]` to `{}`",
                    container.name.value
                )
            } else if let [only] = mapped.as_slice() {
                format!(
                    "`{}` maps only {only}: target {only}, or add {port} to its `portMappings`",
                    container.name.value
                )
            } else {
                format!(
                    "`{}` maps {}: target one of those, or add {port} to its `portMappings`",
                    container.name.value,
                    mapped.join(", ")
                )
            });
            out.push(d);
        }
    }
}
