use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, code};
use crate::model::ComponentId;
use crate::source::Span;

const DOC: &str = r"# dependency-cycle (A003)

## What it checks
The `dependsOn` relations between the containers of a task have no cycle (a container that
waits, directly or through others, for itself).

## Why
ECS starts a container only when the containers it depends on reached their condition. In a
cycle, none of them can go first: the task never starts (ECS also rejects cyclic `links`).

## Example
```yaml
- name: api
  dependsOn: [{containerName: db, condition: START}]
- name: db
  dependsOn: [{containerName: api, condition: START}]
```

## How to fix
Decide which container really has to start first and remove the other direction. A database
rarely needs to wait for its clients.

## References
- AWS ECS API reference, `ContainerDependency`.
- ECS task definition validation: 'Container links should not have a cycle'.
";

pub(crate) const RULE: Rule = Rule::new(&code::A003, DOC, check);

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    for cycle in cx.graph.dependency_cycles() {
        let Some(first) = cycle.first() else { continue };
        let name = |id| cx.model.reference_name(id);
        let mut names: Vec<&str> = cycle.iter().map(name).collect();
        names.push(name(first));
        let path = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" → ");
        // Point at the `dependsOn` entry that closes the cycle, and label the others.
        let hops: Vec<(Span, &str)> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .filter_map(|(from, to)| dependency_span(cx, from, to).map(|s| (s, name(from))))
            .collect();
        let Some((&(primary, owner), rest)) = hops.split_last() else {
            continue;
        };
        let mut d = CheckContext::diagnostic(
            &RULE,
            format!("containers depend on each other in a cycle: {path}"),
            Label::new(primary, "this dependency closes the cycle"),
        )
        .with_help(
            "remove one `dependsOn` entry of the cycle; ECS cannot start any container in it",
        )
        .about(owner);
        for &(span, _) in rest {
            d = d.with_secondary(Label::new(span, "part of the cycle"));
        }
        out.push(d);
    }
}

fn dependency_span(cx: &CheckContext<'_>, from: &ComponentId, to: &ComponentId) -> Option<Span> {
    let (_, c) = cx.model.container(from)?;
    let to = &cx.model.components.get(to)?.short;
    c.depends_on
        .iter()
        .find(|d| &d.container_name.value == to)
        .map(|d| Span::of(&d.container_name))
}
