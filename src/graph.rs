//! Graph stage: the model's components as nodes, what connects them as edges.
//!
//! Containment (service ⊃ task ⊃ container) is not an edge; it lives in `Component::parent`.
//! Broken references make no edge: the `unknown-reference` rule reports them.

use std::collections::{HashMap, VecDeque};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::Serialize;

use crate::model::{ComponentId, Kind, Model, listener_name};
use crate::source::Span;
use crate::syntax::document::{
    ActionType, AppProtocol, ContainerDefinition, ListenerProtocol, S, Service, TransportProtocol,
};

/// Why two components are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Traffic routing: load balancer → listener → target group → container.
    Route,
    /// A declared call: `connectsTo` or `links`.
    Connect,
    /// Storage: container → volume → file system.
    Mount,
    /// Start order: `dependsOn`.
    DependsOn,
}

/// An edge's payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub kind: EdgeKind,
    /// `protocol:port`, a mount path or a dependency condition.
    pub label: Option<String>,
    /// Where the configuration that makes this edge is written.
    pub span: Span,
}

/// The architecture as a directed graph. Node indices never leave this module.
#[derive(Debug, Default)]
pub struct ArchGraph {
    g: StableDiGraph<ComponentId, Relation>,
    by_id: rustc_hash::FxHashMap<ComponentId, NodeIndex>,
}

impl ArchGraph {
    /// Build the graph of a model, in document order.
    #[must_use]
    pub fn build(model: &Model) -> Self {
        let mut graph = Self::default();
        for id in model.components.keys() {
            let index = graph.g.add_node(id.clone());
            graph.by_id.insert(id.clone(), index);
        }
        for actor in &model.doc.actors {
            let from = ComponentId::new(Kind::Actor, actor.name.value.clone());
            for target in &actor.connects_to {
                graph.connect(model, &from, target, None);
            }
        }
        for lb in &model.doc.load_balancers {
            let lb_id = ComponentId::new(Kind::LoadBalancer, lb.name.value.clone());
            for listener in &lb.listeners {
                let listener_id = ComponentId::new(Kind::Listener, listener_name(lb, listener));
                let protocol = listener
                    .protocol
                    .as_ref()
                    .map_or("HTTP", |p| protocol_name(p.value));
                graph.add(
                    &lb_id,
                    &listener_id,
                    EdgeKind::Route,
                    Some(format!("{protocol}:{}", listener.port.value)),
                    Span::of(&listener.port),
                );
                for action in &listener.default_actions {
                    if action.action_type.value != ActionType::Forward {
                        continue;
                    }
                    if let Some(tg) = &action.target_group {
                        let tg_id = ComponentId::new(Kind::TargetGroup, tg.value.clone());
                        graph.add(&listener_id, &tg_id, EdgeKind::Route, None, Span::of(tg));
                    }
                }
            }
        }
        for service in &model.doc.services {
            graph.add_service(model, service);
        }
        graph
    }

    fn add_service(&mut self, model: &Model, service: &Service) {
        let task = &service.task_definition;
        let scope = service.service_name.value.as_str();
        let in_task = |name: &str| {
            task.container_definitions
                .iter()
                .find(|c| c.name.value == name)
        };
        for lb in &service.load_balancers {
            let tg_id = ComponentId::new(Kind::TargetGroup, lb.target_group.value.clone());
            let container = ComponentId::scoped(Kind::Container, scope, &lb.container_name.value);
            if in_task(&lb.container_name.value).is_none() {
                continue;
            }
            let protocol = model
                .target_group(&lb.target_group.value)
                .and_then(|tg| tg.protocol.as_ref())
                .map_or("HTTP", |p| protocol_name(p.value));
            self.add(
                &tg_id,
                &container,
                EdgeKind::Route,
                Some(format!("{protocol}:{}", lb.container_port.value)),
                Span::of(&lb.container_port),
            );
        }
        for container in &task.container_definitions {
            let from = ComponentId::scoped(Kind::Container, scope, &container.name.value);
            for target in container.connects_to.iter().chain(&container.links) {
                self.connect(model, &from, target, Some(scope));
            }
            for dep in &container.depends_on {
                if in_task(&dep.container_name.value).is_some() {
                    let to = ComponentId::scoped(Kind::Container, scope, &dep.container_name.value);
                    let condition = format!("{:?}", dep.condition.value).to_uppercase();
                    self.add(
                        &from,
                        &to,
                        EdgeKind::DependsOn,
                        Some(condition),
                        Span::of(&dep.container_name),
                    );
                }
            }
            for mount in &container.mount_points {
                if task
                    .volumes
                    .iter()
                    .any(|v| v.name.value == mount.source_volume.value)
                {
                    let to = ComponentId::scoped(Kind::Volume, scope, &mount.source_volume.value);
                    let mut label = mount.container_path.value.clone();
                    if mount.is_read_only() {
                        label.push_str(" (ro)");
                    }
                    self.add(
                        &from,
                        &to,
                        EdgeKind::Mount,
                        Some(label),
                        Span::of(&mount.source_volume),
                    );
                }
            }
        }
        for volume in &task.volumes {
            if let Some(efs) = &volume.efs_volume_configuration {
                let from = ComponentId::scoped(Kind::Volume, scope, &volume.name.value);
                let to = ComponentId::new(Kind::FileSystem, efs.file_system_id.value.clone());
                let port = efs
                    .transit_encryption_port
                    .as_ref()
                    .map_or(2049, |p| p.value);
                self.add(
                    &from,
                    &to,
                    EdgeKind::Mount,
                    Some(format!("NFS:{port}")),
                    Span::of(&efs.file_system_id),
                );
            }
        }
    }

    /// A `connectsTo`/`links` edge, labelled with what the target listens on; `scope` is the
    /// service of the task the reference is written in.
    fn connect(
        &mut self,
        model: &Model,
        from: &ComponentId,
        target: &S<String>,
        scope: Option<&str>,
    ) {
        let Some(to) = model.resolve_in(&target.value, scope) else {
            return;
        };
        let label = match to.id.kind {
            Kind::LoadBalancer => model
                .load_balancer(&to.id.name)
                .and_then(|lb| lb.listeners.first())
                .map(|l| {
                    let p = l
                        .protocol
                        .as_ref()
                        .map_or("HTTP", |p| protocol_name(p.value));
                    format!("{p}:{}", l.port.value)
                }),
            Kind::Container => model
                .container(&to.id)
                .and_then(|(_, c)| container_port_label(c)),
            _ => None,
        };
        let to = to.id.clone();
        self.add(from, &to, EdgeKind::Connect, label, Span::of(target));
    }

    fn add(
        &mut self,
        from: &ComponentId,
        to: &ComponentId,
        kind: EdgeKind,
        label: Option<String>,
        span: Span,
    ) {
        if let (Some(&a), Some(&b)) = (self.by_id.get(from), self.by_id.get(to)) {
            self.g.add_edge(a, b, Relation { kind, label, span });
        }
    }

    /// Every edge in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = (&ComponentId, &ComponentId, &Relation)> {
        (&self.g)
            .edge_references()
            .map(|e| (&self.g[e.source()], &self.g[e.target()], e.weight()))
    }

    /// Node count (every component).
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    /// Every cycle of `dependsOn` edges, each as the list of containers in order, starting at the
    /// first in document order. Deterministic.
    #[must_use]
    pub fn dependency_cycles(&self) -> Vec<Vec<ComponentId>> {
        let deps = self.g.filter_map(
            |_, id| Some(id.clone()),
            |_, r| (r.kind == EdgeKind::DependsOn).then_some(()),
        );
        let mut cycles = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&deps) {
            let self_loop = scc.len() == 1 && deps.contains_edge(scc[0], scc[0]);
            if scc.len() < 2 && !self_loop {
                continue;
            }
            let mut members = scc.clone();
            members.sort_by_key(|n| n.index());
            // Walk from the first member along edges inside the component until we return.
            let start = members[0];
            let mut path = vec![start];
            let mut current = start;
            loop {
                let next = deps
                    .neighbors(current)
                    .filter(|n| members.contains(n))
                    .min_by_key(|n| {
                        // Prefer closing the cycle, then unvisited nodes in document order.
                        (
                            usize::from(*n != start),
                            usize::from(path.contains(n)),
                            n.index(),
                        )
                    });
                match next {
                    Some(n) if n == start || path.contains(&n) => break,
                    Some(n) => {
                        path.push(n);
                        current = n;
                    }
                    None => break,
                }
            }
            cycles.push(path.into_iter().map(|n| deps[n].clone()).collect());
        }
        cycles.sort();
        cycles
    }

    /// The shortest route from `a` to `b` along configuration, each edge taken in either
    /// direction (a response travels back along the request's path), through nothing but
    /// components of the `through` kinds (e.g. listeners and target groups between a load
    /// balancer and a container). `DependsOn` edges do not carry traffic and are not taken.
    /// Among routes of one length, the one whose edges were added first wins. `None` when no
    /// route joins them; an empty route when `a` is `b`.
    ///
    /// The one route search: rule A007 asks whether a flow step has a route, the view lights up
    /// the route of each step.
    #[must_use]
    pub fn route(
        &self,
        a: &ComponentId,
        b: &ComponentId,
        through: &[Kind],
    ) -> Option<Vec<Hop<'_>>> {
        let (&start, &goal) = (self.by_id.get(a)?, self.by_id.get(b)?);
        // Breadth-first; `came` holds, for each component reached, the one before it and the edge.
        let mut came: HashMap<NodeIndex, (NodeIndex, EdgeIndex)> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            if n == goal {
                break;
            }
            if n != start && !through.contains(&self.g[n].kind) {
                continue;
            }
            for (e, m) in self.traffic_neighbours(n) {
                if m != start && !came.contains_key(&m) {
                    came.insert(m, (n, e));
                    queue.push_back(m);
                }
            }
        }
        let mut hops = Vec::new();
        let mut at = goal;
        while at != start {
            let &(previous, edge) = came.get(&at)?;
            hops.push(Hop {
                edge: edge.index(),
                to: &self.g[at],
            });
            at = previous;
        }
        hops.reverse();
        Some(hops)
    }

    /// The components joined to `n` by an edge that carries traffic (not `DependsOn`), in either
    /// direction, with the edge, in the order the edges were added.
    fn traffic_neighbours(&self, n: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        let outgoing = self
            .g
            .edges_directed(n, Direction::Outgoing)
            .map(|e| (e.id(), e.target(), e.weight()));
        let incoming = self
            .g
            .edges_directed(n, Direction::Incoming)
            .map(|e| (e.id(), e.source(), e.weight()));
        let mut out: Vec<(EdgeIndex, NodeIndex)> = outgoing
            .chain(incoming)
            .filter(|(_, _, relation)| relation.kind != EdgeKind::DependsOn)
            .map(|(e, m, _)| (e, m))
            .collect();
        out.sort_by_key(|&(e, _)| e);
        out
    }
}

/// The components a flow step passes through without naming them: a step from a load balancer
/// to a container goes through a listener and a target group, one from a container to a file
/// system through a volume.
pub const FLOW_TRANSPARENT: &[Kind] = &[Kind::Listener, Kind::TargetGroup, Kind::Volume];

/// One edge of a route found by [`ArchGraph::route`], and the component it leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop<'g> {
    /// The edge's position in [`ArchGraph::edges`] (edges are never removed, so positions are
    /// stable).
    pub edge: usize,
    pub to: &'g ComponentId,
}

/// `HTTP`, `HTTPS`, … as AWS writes them.
#[must_use]
pub const fn protocol_name(p: ListenerProtocol) -> &'static str {
    match p {
        ListenerProtocol::Http => "HTTP",
        ListenerProtocol::Https => "HTTPS",
        ListenerProtocol::Tcp => "TCP",
        ListenerProtocol::Tls => "TLS",
        ListenerProtocol::Udp => "UDP",
    }
}

/// `protocol:port` of a container's first port mapping.
#[must_use]
pub fn container_port_label(c: &ContainerDefinition) -> Option<String> {
    let pm = c.port_mappings.first()?;
    let protocol = match (&pm.app_protocol, &pm.protocol) {
        (Some(a), _) => match a.value {
            AppProtocol::Http => "HTTP",
            AppProtocol::Http2 => "HTTP2",
            AppProtocol::Grpc => "GRPC",
        },
        (None, Some(t)) if t.value == TransportProtocol::Udp => "UDP",
        _ => "TCP",
    };
    Some(format!("{protocol}:{}", pm.container_port.value))
}

#[cfg(test)]
mod tests {
    use super::{ArchGraph, FLOW_TRANSPARENT, Hop};
    use crate::model::{ComponentId, Kind};
    use crate::source::Source;

    const REFERENCE: &str = include_str!("../architecture.yaml");

    fn graph(text: &str) -> ArchGraph {
        let analysis = crate::analyze(&Source::new("architecture.yaml", text));
        analysis.graph.expect("the model parses")
    }

    /// A component of the reference model; containers and volumes are in service `goals`.
    fn id(kind: Kind, name: &str) -> ComponentId {
        if kind.is_scoped() {
            ComponentId::scoped(kind, "goals", name)
        } else {
            ComponentId::new(kind, name)
        }
    }

    /// A component's name without its service.
    fn short(id: &ComponentId) -> String {
        id.name.rsplit('/').next().unwrap_or_default().to_owned()
    }

    /// A route as (edge position, name of the component reached).
    fn route(g: &ArchGraph, a: &ComponentId, b: &ComponentId) -> Option<Vec<(usize, String)>> {
        let hops = g.route(a, b, FLOW_TRANSPARENT)?;
        Some(
            hops.iter()
                .map(|&Hop { edge, to }| (edge, short(to)))
                .collect(),
        )
    }

    fn hops(list: &[(usize, &str)]) -> Vec<(usize, String)> {
        list.iter().map(|&(e, n)| (e, n.to_owned())).collect()
    }

    #[test]
    fn routes_pass_through_listeners_target_groups_and_volumes() {
        let g = graph(REFERENCE);
        let edges: Vec<(String, String)> =
            g.edges().map(|(a, b, _)| (short(a), short(b))).collect();
        let alb = id(Kind::LoadBalancer, "goals-alb");
        let api = id(Kind::Container, "goals-backend");
        let want = Some(hops(&[
            (1, "goals-alb:80"),
            (2, "goals-tg"),
            (3, "goals-backend"),
        ]));
        assert_eq!(route(&g, &alb, &api), want);
        // Each hop's edge joins the component before it to the one it reaches.
        assert_eq!(edges[2], ("goals-alb:80".to_owned(), "goals-tg".to_owned()));
        let db = id(Kind::Container, "mongodb");
        let efs = id(Kind::FileSystem, "goals-data");
        assert_eq!(
            route(&g, &db, &efs),
            Some(hops(&[(6, "data"), (7, "goals-data")]))
        );
    }

    #[test]
    fn routes_run_against_the_edges_too() {
        let g = graph(REFERENCE);
        let alb = id(Kind::LoadBalancer, "goals-alb");
        let api = id(Kind::Container, "goals-backend");
        let want = Some(hops(&[
            (3, "goals-tg"),
            (2, "goals-alb:80"),
            (1, "goals-alb"),
        ]));
        assert_eq!(route(&g, &api, &alb), want);
    }

    #[test]
    fn a_named_component_on_the_way_is_no_route() {
        let g = graph(REFERENCE);
        let user = id(Kind::Actor, "user");
        // The load balancer stands between them, and a flow names it.
        assert_eq!(
            route(&g, &user, &id(Kind::Container, "goals-backend")),
            None
        );
        assert_eq!(route(&g, &user, &id(Kind::Actor, "nobody")), None);
        assert_eq!(route(&g, &user, &user), Some(Vec::new()));
    }

    #[test]
    fn start_order_carries_no_traffic() {
        let api = id(Kind::Container, "goals-backend");
        let db = id(Kind::Container, "mongodb");
        let g = graph(REFERENCE);
        // The call (edge 4), not the dependency (edge 5).
        assert_eq!(route(&g, &api, &db), Some(hops(&[(4, "mongodb")])));
        let g = graph(&REFERENCE.replacen("connectsTo: [mongodb]", "connectsTo: []", 1));
        assert_eq!(route(&g, &api, &db), None);
    }

    #[test]
    fn the_shortest_route_wins_and_ties_go_to_the_first_edge() {
        // A second listener that forwards to the same target group: two routes of one length.
        let second = "      - port: 8080\n        protocol: HTTP\n        defaultActions:\n          \
                      - type: forward\n            targetGroup: goals-tg\n";
        let at = REFERENCE.find("\ntargetGroups:").expect("reference model");
        let mut text = REFERENCE.to_owned();
        text.insert_str(at, &format!("\n{}", second.trim_end_matches('\n')));
        let g = graph(&text);
        let alb = id(Kind::LoadBalancer, "goals-alb");
        let tg = id(Kind::TargetGroup, "goals-tg");
        let via: Vec<String> = g
            .route(&alb, &tg, FLOW_TRANSPARENT)
            .expect("a route")
            .iter()
            .map(|h| h.to.name.clone())
            .collect();
        assert_eq!(via, ["goals-alb:80", "goals-tg"]);
        let back: Vec<String> = g
            .route(&tg, &alb, FLOW_TRANSPARENT)
            .expect("a route")
            .iter()
            .map(|h| h.to.name.clone())
            .collect();
        assert_eq!(back, ["goals-alb:80", "goals-alb"]);
    }
}
