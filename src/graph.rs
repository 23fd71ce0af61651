//! Graph stage: the model's components as nodes, what connects them as edges.
//!
//! Containment (service ⊃ task ⊃ container) is not an edge; it lives in `Component::parent`.
//! Broken references make no edge: the `unknown-reference` rule reports them.

use std::collections::BTreeMap;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::Serialize;

use crate::model::{ComponentId, Kind, Model, listener_name};
use crate::source::Span;
use crate::syntax::document::{
    ActionType, AppProtocol, ContainerDefinition, ListenerProtocol, Service, TransportProtocol,
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
    by_id: BTreeMap<ComponentId, NodeIndex>,
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
                graph.connect(model, &from, &target.value, Span::of(target));
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
        let in_task = |name: &str| {
            task.container_definitions
                .iter()
                .find(|c| c.name.value == name)
        };
        for lb in &service.load_balancers {
            let tg_id = ComponentId::new(Kind::TargetGroup, lb.target_group.value.clone());
            let container = ComponentId::new(Kind::Container, lb.container_name.value.clone());
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
            let from = ComponentId::new(Kind::Container, container.name.value.clone());
            for target in container.connects_to.iter().chain(&container.links) {
                self.connect(model, &from, &target.value, Span::of(target));
            }
            for dep in &container.depends_on {
                if in_task(&dep.container_name.value).is_some() {
                    let to = ComponentId::new(Kind::Container, dep.container_name.value.clone());
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
                    let to = ComponentId::new(Kind::Volume, mount.source_volume.value.clone());
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
                let from = ComponentId::new(Kind::Volume, volume.name.value.clone());
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

    /// A `connectsTo`/`links` edge, labelled with what the target listens on.
    fn connect(&mut self, model: &Model, from: &ComponentId, target: &str, span: Span) {
        let Some(to) = model.resolve(target) else {
            return;
        };
        let label = match to.id.kind {
            Kind::LoadBalancer => model
                .load_balancer(target)
                .and_then(|lb| lb.listeners.first())
                .map(|l| {
                    let p = l
                        .protocol
                        .as_ref()
                        .map_or("HTTP", |p| protocol_name(p.value));
                    format!("{p}:{}", l.port.value)
                }),
            Kind::Container => model
                .container(target)
                .and_then(|(_, c)| container_port_label(c)),
            _ => None,
        };
        let to = to.id.clone();
        self.add(from, &to, EdgeKind::Connect, label, span);
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

    /// Whether `a` and `b` are joined by configuration, in either direction, through nothing but
    /// components of the `through` kinds (e.g. listeners and target groups between a load
    /// balancer and a container). `DependsOn` edges do not carry traffic and are ignored.
    #[must_use]
    pub fn connected_via(&self, a: &ComponentId, b: &ComponentId, through: &[Kind]) -> bool {
        let (Some(&start), Some(&goal)) = (self.by_id.get(a), self.by_id.get(b)) else {
            return false;
        };
        let mut seen = vec![start];
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            let neighbours = self
                .g
                .edges_directed(n, petgraph::Direction::Outgoing)
                .map(|e| (e.target(), e.weight()))
                .chain(
                    self.g
                        .edges_directed(n, petgraph::Direction::Incoming)
                        .map(|e| (e.source(), e.weight())),
                );
            for (m, relation) in neighbours {
                if relation.kind == EdgeKind::DependsOn || seen.contains(&m) {
                    continue;
                }
                if m == goal {
                    return true;
                }
                if through.contains(&self.g[m].kind) {
                    seen.push(m);
                    stack.push(m);
                }
            }
        }
        false
    }
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
