use std::collections::{HashMap, HashSet};

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::graph::EdgeKind;
use crate::model::{ComponentId, Kind};
use crate::source::Span;
use crate::syntax::document::{ContainerDefinition, Role, Scheme};

const DOC: &str = r"# unreachable-component (A033)

## What it checks
Every part of the model that serves requests can be reached, following `connectsTo`, `links`
and load balancer routing (listener → target group → container) from an actor or an
internet-facing load balancer. Reported are the places where a path should start but none does:
- an internal load balancer that nothing lists in `connectsTo`;
- a target group that no listener forwards to;
- a service, or a container, that listens on a port but that no load balancer routes to and no
  component calls.

Containers that do not serve requests are left alone: `essential: false` helpers,
`role: sidecar` and `role: worker` containers, and containers without `portMappings`.

## Why
Something nobody can reach is either dead configuration that still costs money (a load balancer
is billed by the hour), or, more often, a missing piece: a listener rule that was never added, a
caller whose `connectsTo` is missing, so the diagram does not show how requests get there. In a
real deployment the first case is an outage waiting to be noticed: the service runs, healthy,
and never receives a request.

## Example
```yaml
targetGroups:
  - name: admin-tg          # no listener forwards here
services:
  - serviceName: admin
    loadBalancers: [{targetGroup: admin-tg, containerName: admin, containerPort: 8080}]
```

## How to fix
Connect it: add a listener (or a `forward` action) for the target group, `connectsTo` on the
caller of an internal load balancer or container, or `loadBalancers` on the service. If a
container only works in the background (queue consumers, batch jobs), say so with
`role: worker`. If the component is really unused, remove it.

## References
- AWS, Elastic Load Balancing: “Listeners for your Application Load Balancers” (a target group
  receives traffic only through a listener rule or default action).
- AWS, Amazon ECS developer guide: “Use a load balancer to distribute Amazon ECS service
  traffic”.
";

pub(crate) const RULE: Rule = Rule::new(&code::A033, DOC, check);

/// Whether a container serves requests, so that something should reach it.
fn serves(c: &ContainerDefinition) -> bool {
    c.is_essential()
        && !matches!(c.role(), Some(Role::Sidecar | Role::Worker))
        && !c.port_mappings.is_empty()
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let nodes = cx.graph.node_count();
    let mut next: HashMap<&ComponentId, Vec<&ComponentId>> = HashMap::with_capacity(nodes);
    let mut called: HashSet<&ComponentId> = HashSet::with_capacity(nodes);
    for (from, to, relation) in cx.graph.edges() {
        if matches!(relation.kind, EdgeKind::Route | EdgeKind::Connect) {
            next.entry(from).or_default().push(to);
            if from != to {
                called.insert(to);
            }
        }
    }
    // Entry points: actors, and load balancers the internet reaches (the AWS default scheme).
    let mut stack: Vec<&ComponentId> = model
        .components
        .keys()
        .filter(|id| match id.kind {
            Kind::Actor => true,
            Kind::LoadBalancer => model.load_balancer(&id.name).is_some_and(|lb| {
                lb.scheme
                    .as_ref()
                    .is_none_or(|s| s.value == Scheme::InternetFacing)
            }),
            _ => false,
        })
        .collect();
    let mut reached: HashSet<&ComponentId> = HashSet::with_capacity(nodes);
    reached.extend(stack.iter().copied());
    while let Some(id) = stack.pop() {
        for &to in next.get(id).into_iter().flatten() {
            if reached.insert(to) {
                stack.push(to);
            }
        }
    }
    let stranded = |id: &ComponentId| !reached.contains(id) && !called.contains(id);

    for lb in &model.doc.load_balancers {
        let id = ComponentId::new(Kind::LoadBalancer, lb.name.value.clone());
        if !stranded(&id) {
            continue;
        }
        let name = &lb.name.value;
        let span = lb
            .scheme
            .as_ref()
            .map_or_else(|| Span::of(&lb.name), Span::of);
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!("internal load balancer `{name}` has no caller"),
                Label::new(span, "internal: only components in the VPC reach it"),
            )
            .with_secondary(Label::new(Span::of(&lb.name), "nothing lists it in `connectsTo`"))
            .with_help(format!(
                "add `connectsTo: [{name}]` to the container or actor that calls it, or remove the load balancer"
            ))
            .about(name),
        );
    }
    for tg in &model.doc.target_groups {
        let id = ComponentId::new(Kind::TargetGroup, tg.name.value.clone());
        if !stranded(&id) {
            continue;
        }
        let name = &tg.name.value;
        out.push(
            CheckContext::diagnostic(
                &RULE,
                format!("no listener forwards to target group `{name}`"),
                Label::new(Span::of(&tg.name), "receives no traffic"),
            )
            .with_help(format!(
                "add `{{type: forward, targetGroup: {name}}}` to a listener's `defaultActions`, or remove the target group"
            ))
            .about(name),
        );
    }
    for service in &model.doc.services {
        let serving: Vec<&ContainerDefinition> = service
            .task_definition
            .container_definitions
            .iter()
            .filter(|c| serves(c))
            .collect();
        let lost: Vec<&ContainerDefinition> = serving
            .iter()
            .copied()
            .filter(|c| {
                stranded(&ComponentId::scoped(
                    Kind::Container,
                    &service.service_name.value,
                    &c.name.value,
                ))
            })
            .collect();
        if lost.is_empty() {
            continue;
        }
        let port = |c: &ContainerDefinition| {
            c.port_mappings
                .first()
                .map_or(0, |p| p.container_port.value)
        };
        if lost.len() == serving.len() {
            let name = &service.service_name.value;
            let names: Vec<String> = lost.iter().map(|c| format!("`{}`", c.name.value)).collect();
            let mut d = CheckContext::diagnostic(
                &RULE,
                format!(
                    "service `{name}` receives no requests: no load balancer routes to {} and nothing calls {}",
                    names.join(", "),
                    if lost.len() == 1 { "it" } else { "them" }
                ),
                Label::new(Span::of(&service.service_name), "unreachable"),
            )
            .with_help(
                "add `loadBalancers:` to the service or `connectsTo:` to its callers; mark containers that only \
                 work in the background `role: worker`",
            )
            .about(name);
            for c in lost {
                d = d.with_secondary(Label::new(
                    Span::of(&c.name),
                    format!("listens on {}", port(c)),
                ));
            }
            out.push(d);
        } else {
            for c in lost {
                let name = &c.name.value;
                out.push(
                    CheckContext::diagnostic(
                        &RULE,
                        format!(
                            "container `{name}` listens on {} but nothing calls it",
                            port(c)
                        ),
                        Label::new(Span::of(&c.name), "no load balancer or `connectsTo` reaches it"),
                    )
                    .with_help(format!(
                        "add `connectsTo: [{name}]` to its caller, route a target group to it, or mark it \
                         `role: worker` if it only works in the background"
                    ))
                    .about(name),
                );
            }
        }
    }
}
