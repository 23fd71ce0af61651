use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt::Write as _;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::check::{CheckContext, Rule};
use crate::diagnostic::{Diagnostic, Label, Severity, code};
use crate::graph::EdgeKind;
use crate::model::{ComponentId, Kind};
use crate::source::Span;

const DOC: &str = r"# call-cycle (A034)

## What it checks
Containers do not call each other in a circle: following `connectsTo` and `links` from a
container (through a load balancer when it routes to exactly one container) never leads back to
it. A cycle made only of `links` is an error; any other cycle is reported as information.

## Why
ECS rejects a task definition whose `links` form a cycle (“Container links should not have a
cycle”): Docker must start a linked container before the one that links to it. A cycle of calls
between services is legal but fragile: a request can bounce between them, a slow service slows
all of them, none can be deployed, tested or started alone, and a failure in one spreads to the
others (a “distributed monolith”). Sometimes it is deliberate (a callback); then the finding is
a reminder to guard the loop with timeouts.

## Example
```yaml
- name: orders
  connectsTo: [billing]
- name: billing
  connectsTo: [orders]      # billing calls orders back
```

## How to fix
Break the cycle: let the callee answer with the data the caller needs, move the shared logic into
a third service both call, or replace the call back with an event (a queue or a topic that the
other side consumes). For `links`, remove the link in one direction: in bridge mode the
container that only answers does not need to link to its caller.

## References
- AWS, `ContainerDefinition.links` and the ECS `RegisterTaskDefinition` validation (“Container
  links should not have a cycle”).
- The Acyclic Dependencies Principle (Robert C. Martin), applied to services: calls between them
  should form no cycle.
";

pub(crate) const RULE: Rule = Rule::new(&code::A034, DOC, check);

/// One call between two containers.
#[derive(Clone, Debug)]
struct Call {
    /// The `connectsTo` or `links` entry.
    span: Span,
    /// Written under `links`.
    link: bool,
    /// The load balancer (or target group, listener) the call goes through.
    via: Option<String>,
}

fn check(cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let mut g: DiGraph<&str, Call> = DiGraph::new();
    let nodes = cx.graph.node_count();
    // Containers by id (`service/container`); a node's weight is the name messages use.
    let mut node: HashMap<&str, NodeIndex> = HashMap::with_capacity(nodes);
    for c in model.components.values() {
        if c.id.kind == Kind::Container {
            node.entry(c.id.name.as_str())
                .or_insert_with(|| g.add_node(model.reference_name(&c.id)));
        }
    }
    let mut routes: HashMap<&ComponentId, Vec<&ComponentId>> = HashMap::with_capacity(nodes);
    for (from, to, r) in cx.graph.edges() {
        if r.kind == EdgeKind::Route {
            routes.entry(from).or_default().push(to);
        }
    }
    // The one container a component routes to, if exactly one (memoised per component).
    let mut single: HashMap<&ComponentId, Option<&ComponentId>> = HashMap::new();
    for (from, to, r) in cx.graph.edges() {
        if r.kind != EdgeKind::Connect || from.kind != Kind::Container {
            continue;
        }
        let (target, via) = if to.kind == Kind::Container {
            (Some(to), None)
        } else {
            let target = *single
                .entry(to)
                .or_insert_with(|| only_container(&routes, to));
            (target, Some(to.name.clone()))
        };
        let Some(target) = target else { continue };
        let (Some(&a), Some(&b)) = (node.get(from.name.as_str()), node.get(target.name.as_str()))
        else {
            continue;
        };
        let link = model
            .container(from)
            .is_some_and(|(_, c)| c.links.iter().any(|l| Span::of(l) == r.span));
        g.add_edge(
            a,
            b,
            Call {
                span: r.span,
                link,
                via,
            },
        );
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
        let Some(&start) = members.first() else {
            continue;
        };
        let Some(cycle) = shortest_cycle(&g, start, &members) else {
            continue;
        };
        out.push(report(&g, &cycle));
    }
}

/// The containers reachable from `from` through routing only, when there is exactly one.
fn only_container<'a>(
    routes: &HashMap<&'a ComponentId, Vec<&'a ComponentId>>,
    from: &'a ComponentId,
) -> Option<&'a ComponentId> {
    let mut found: Option<&ComponentId> = None;
    let mut seen = vec![from];
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        for &to in routes.get(id).into_iter().flatten() {
            if seen.contains(&to) {
                continue;
            }
            seen.push(to);
            if to.kind == Kind::Container {
                if found.is_some_and(|f| f != to) {
                    return None;
                }
                found = Some(to);
            } else {
                stack.push(to);
            }
        }
    }
    found
}

/// The edges of a shortest cycle through `start` inside `members`, in order; `None` if there is
/// none (a component of one node without a self-loop).
fn shortest_cycle(
    g: &DiGraph<&str, Call>,
    start: NodeIndex,
    members: &BTreeSet<NodeIndex>,
) -> Option<Vec<petgraph::graph::EdgeIndex>> {
    let mut back: HashMap<NodeIndex, petgraph::graph::EdgeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let mut edges: Vec<_> = g.edges(n).collect();
        edges.sort_by_key(|e| (e.target().index(), e.id().index()));
        for e in edges {
            let to = e.target();
            if to == start {
                let mut path = vec![e.id()];
                let mut at = n;
                while at != start {
                    let prev = back[&at];
                    path.push(prev);
                    at = g.edge_endpoints(prev)?.0;
                }
                path.reverse();
                return Some(path);
            }
            if members.contains(&to) && !back.contains_key(&to) && to != start {
                back.insert(to, e.id());
                queue.push_back(to);
            }
        }
    }
    None
}

fn report(g: &DiGraph<&str, Call>, cycle: &[petgraph::graph::EdgeIndex]) -> Diagnostic {
    let calls: Vec<(&str, &Call)> = cycle
        .iter()
        .filter_map(|&e| Some((g[g.edge_endpoints(e)?.0], &g[e])))
        .collect();
    let first = calls.first().map_or("", |c| c.0);
    let mut path = String::new();
    for (from, call) in &calls {
        let _ = write!(path, "`{from}` → ");
        if let Some(via) = &call.via {
            let _ = write!(path, "`{via}` → ");
        }
    }
    let _ = write!(path, "`{first}`");
    let only_links = calls.iter().all(|(_, c)| c.link);
    let (closing, rest) = calls
        .split_last()
        .map_or((None, &[][..]), |(l, r)| (Some(l), r));
    let (owner, closing_span) = closing.map_or((first, Span::default()), |(o, c)| (*o, c.span));
    let mut d = if only_links {
        let mut d = CheckContext::diagnostic(
            &RULE,
            format!("containers link to each other in a cycle: {path}"),
            Label::new(closing_span, "this link closes the cycle"),
        )
        .with_note("ECS rejects a task definition whose links form a cycle")
        .with_help("remove the link in one direction: the container that only answers does not need to link to its caller");
        d.severity = Severity::Error;
        d
    } else if calls.len() == 1 {
        CheckContext::diagnostic(
            &RULE,
            format!("`{owner}` calls itself: {path}"),
            Label::new(closing_span, "calls back into the same container"),
        )
        .with_help("handle the work inside the container instead of calling itself, or guard the loop with a timeout and a depth limit")
    } else {
        CheckContext::diagnostic(
            &RULE,
            format!("containers call each other in a cycle: {path}"),
            Label::new(closing_span, "this call closes the cycle"),
        )
        .with_note("a request can bounce between them, and a failure of one spreads to all")
        .with_help(
            "break the cycle: return the data the caller needs, move shared logic into a service both call, \
             or replace the call back with an event (a queue or a topic)",
        )
    };
    for (_, call) in rest {
        d = d.with_secondary(Label::new(call.span, "part of the cycle"));
    }
    d.about(owner)
}
