//! Views of one model. The whole picture ([`View::build`]) is where every other view comes
//! from: the `overview` (services as single boxes, load balancers, actors, file systems; edges
//! between them aggregated, with counts), one view per service (its task's containers and
//! volumes, with its direct callers and callees, other services collapsed into boxes), one per
//! flow (the components and hops of that flow, numbered) and the model's own `views:`. Each is
//! a plain [`View`], so every renderer and the layout draw it as they draw the whole.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{
    ClusterKind, ClusterView, EdgeKind, EdgeView, FlowView, Hint, NodeKind, NodeView, View,
};
use crate::syntax::document::{Selector, SelectorKind, ViewDefinition, ViewDirection};

/// What kind of view a [`NamedView`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewKind {
    /// Every component: what `archflow render` draws for models of up to about 15 services.
    All,
    Overview,
    Service,
    Flow,
    /// One of the model's `views:`.
    Custom,
}

impl ViewKind {
    /// Every kind, in declaration order.
    pub const ALL: [ViewKind; 5] = [
        ViewKind::All,
        ViewKind::Overview,
        ViewKind::Service,
        ViewKind::Flow,
        ViewKind::Custom,
    ];
}

/// One view with its name and the words that introduce it.
#[derive(Clone, Debug, Serialize)]
pub struct NamedView {
    /// `all`, `overview`, `service:NAME`, `flow:NAME` or a custom view's name.
    pub name: String,
    pub kind: ViewKind,
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
    /// The view's own direction, when it has one (custom views).
    pub direction: Option<ViewDirection>,
    pub view: View,
}

/// Above this many services, the default view is the overview.
pub const OVERVIEW_ABOVE: usize = 15;

/// The whole view with the indexes the derived views need, built once: a model of 10,000
/// services has 10,000 service views, and each must cost only its own size.
pub struct Views<'v> {
    whole: &'v View,
    by_id: HashMap<&'v str, usize>,
    /// Per node, the service it belongs to.
    service: Vec<Option<&'v str>>,
    /// Per service, its nodes, in order.
    members: HashMap<&'v str, Vec<usize>>,
    /// Per edge, its ends (`None` when an end is not a node).
    ends: Vec<Option<(usize, usize)>>,
    /// Per node, the edges that touch it.
    touching: Vec<Vec<usize>>,
    /// Each cluster's position, by id.
    cluster_at: HashMap<&'v str, usize>,
    /// Per cluster id, the positions of the clusters directly inside it.
    children: HashMap<&'v str, Vec<usize>>,
    /// The ECS clusters (boxes of kind [`ClusterKind::Cluster`]), which every view draws.
    ecs_clusters: Vec<ClusterView>,
}

impl<'v> Views<'v> {
    /// Index the whole view.
    #[must_use]
    pub fn new(whole: &'v View) -> Self {
        let by_id = whole.node_positions();
        let cluster_at = whole.cluster_positions();
        let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in whole.clusters.iter().enumerate() {
            if let Some(parent) = c.parent.as_deref() {
                children.entry(parent).or_default().push(i);
            }
        }
        let service: Vec<Option<&str>> = whole
            .nodes
            .iter()
            .map(|n| {
                let mut at = n.parent.as_deref();
                let mut hops = 0;
                while let Some(id) = at {
                    let cluster = &whole.clusters[*cluster_at.get(id)?];
                    if cluster.kind == ClusterKind::Service {
                        return cluster.id.strip_prefix("service:");
                    }
                    at = cluster.parent.as_deref();
                    hops += 1;
                    if hops > whole.clusters.len() {
                        return None;
                    }
                }
                None
            })
            .collect();
        let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in service.iter().enumerate() {
            if let Some(s) = s {
                members.entry(s).or_default().push(i);
            }
        }
        let ends: Vec<Option<(usize, usize)>> = whole
            .edges
            .iter()
            .map(|e| Some((*by_id.get(e.from.as_str())?, *by_id.get(e.to.as_str())?)))
            .collect();
        let mut touching = vec![Vec::new(); whole.nodes.len()];
        for (e, ends) in ends.iter().enumerate() {
            if let Some((a, b)) = *ends {
                touching[a].push(e);
                if b != a {
                    touching[b].push(e);
                }
            }
        }
        Self {
            whole,
            by_id,
            service,
            members,
            ends,
            touching,
            cluster_at,
            children,
            ecs_clusters: clusters_of_kind(whole, ClusterKind::Cluster),
        }
    }

    /// The load balancer whose routes reach a listener or target group, when there is one.
    fn load_balancer_of(&self, index: usize) -> Option<usize> {
        let mut found: Option<usize> = None;
        let mut stack = vec![index];
        let mut seen = vec![index];
        while let Some(at) = stack.pop() {
            for &e in &self.touching[at] {
                let Some((from, to)) = self.ends[e] else {
                    continue;
                };
                if to != at || self.whole.edges[e].kind != EdgeKind::Route || seen.contains(&from) {
                    continue;
                }
                seen.push(from);
                match self.whole.nodes[from].kind {
                    NodeKind::LoadBalancer => match found {
                        None => found = Some(from),
                        Some(lb) if lb != from => return None,
                        Some(_) => {}
                    },
                    NodeKind::Listener => stack.push(from),
                    _ => {}
                }
            }
        }
        found
    }

    /// The overview: services as single boxes, load balancers (with their listeners and target
    /// groups), actors and file systems; edges between them aggregated, with counts.
    #[must_use]
    pub fn overview(&self) -> View {
        let whole = self.whole;
        let mut b = Derived::new(whole, &self.cluster_at);
        for (i, node) in whole.nodes.iter().enumerate() {
            let rep = match node.kind {
                NodeKind::Listener | NodeKind::TargetGroup => {
                    self.load_balancer_of(i).map_or(Rep::Keep, Rep::Node)
                }
                _ => self.service[i].map_or(Rep::Keep, |s| Rep::Service(s.to_owned())),
            };
            b.place(i, rep);
        }
        b.finish(0..whole.edges.len(), &self.ends, self.ecs_clusters.clone())
    }

    /// The view of one service: its task's containers and volumes, what calls them and what
    /// they call (other services collapsed into single boxes), and the routes from load
    /// balancers into its target groups. `None` when there is no such service.
    #[must_use]
    pub fn service(&self, service: &str) -> Option<View> {
        let whole = self.whole;
        let box_id = format!("service:{service}");
        let service_box = *self.cluster_at.get(box_id.as_str())?;
        let members = self.members.get(service).map_or(&[][..], Vec::as_slice);
        let mut wanted: Vec<usize> = members.to_vec();
        let mut edges: Vec<usize> = Vec::new();
        for &m in members {
            for &e in &self.touching[m] {
                if let Some((a, b)) = self.ends[e] {
                    edges.push(e);
                    for end in [a, b] {
                        if !wanted.contains(&end) {
                            wanted.push(end);
                        }
                    }
                }
            }
        }
        // Routes into the target groups (and listeners) that reach the service.
        let mut at = 0;
        while at < wanted.len() {
            let node = wanted[at];
            at += 1;
            if !matches!(
                whole.nodes[node].kind,
                NodeKind::TargetGroup | NodeKind::Listener
            ) {
                continue;
            }
            for &e in &self.touching[node] {
                let Some((from, to)) = self.ends[e] else {
                    continue;
                };
                let routing = matches!(
                    whole.nodes[from].kind,
                    NodeKind::LoadBalancer | NodeKind::Listener
                );
                if to == node && whole.edges[e].kind == EdgeKind::Route && routing {
                    edges.push(e);
                    if !wanted.contains(&from) {
                        wanted.push(from);
                    }
                }
            }
        }
        wanted.sort_unstable();
        edges.sort_unstable();
        edges.dedup();
        let mut b = Derived::new(whole, &self.cluster_at);
        b.flows = false;
        for &i in &wanted {
            let rep = match self.service[i] {
                Some(s) if s != service => Rep::Service(s.to_owned()),
                _ => Rep::Keep,
            };
            b.place(i, rep);
        }
        // The service's box and the boxes directly inside it, in the whole view's order.
        let mut inside = self
            .children
            .get(box_id.as_str())
            .cloned()
            .unwrap_or_default();
        inside.push(service_box);
        inside.sort_unstable();
        inside.dedup();
        let mut clusters = self.ecs_clusters.clone();
        clusters.extend(inside.into_iter().map(|i| whole.clusters[i].clone()));
        Some(b.finish(edges.into_iter(), &self.ends, clusters))
    }

    /// The view of one flow: the components and hops it passes, edges labelled with the numbers
    /// of the steps that take them. `None` when there is no such flow.
    #[must_use]
    pub fn flow(&self, name: &str) -> Option<View> {
        let whole = self.whole;
        let flow = whole.flow(name)?;
        let mut keep: Vec<usize> = flow
            .steps
            .iter()
            .flat_map(|s| s.nodes.iter().copied())
            .collect();
        keep.sort_unstable();
        keep.dedup();
        let mut edges: Vec<usize> = flow
            .steps
            .iter()
            .flat_map(|s| s.edges.iter().copied())
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let mut b = Derived::new(whole, &self.cluster_at);
        for &i in &keep {
            b.place(i, Rep::Keep);
        }
        b.only_flow = Some(name.to_owned());
        b.number_steps = true;
        let clusters = clusters_holding(whole, &self.cluster_at, &keep);
        Some(b.finish(edges.into_iter(), &self.ends, clusters))
    }

    /// A view of the model's own: what its selectors choose.
    #[must_use]
    pub fn custom(&self, definition: &ViewDefinition) -> View {
        let whole = self.whole;
        let matches = |i: usize, s: &Selector| {
            let n = &whole.nodes[i];
            s.name
                .as_ref()
                .is_none_or(|name| n.id == name.value || short(&n.id) == name.value)
                && s.kind
                    .as_ref()
                    .is_none_or(|k| kind_matches(k.value, n.kind))
                && s.tag.as_ref().is_none_or(|t| n.tags.contains(&t.value))
                && s.service
                    .as_ref()
                    .is_none_or(|svc| self.service[i] == Some(svc.value.as_str()))
        };
        let keep: Vec<usize> = (0..whole.nodes.len())
            .filter(|&i| {
                (definition.include.is_empty() || definition.include.iter().any(|s| matches(i, s)))
                    && !definition.exclude.iter().any(|s| matches(i, s))
            })
            .collect();
        let mut b = Derived::new(whole, &self.cluster_at);
        for &i in &keep {
            b.place(i, Rep::Keep);
        }
        let clusters = clusters_holding(whole, &self.cluster_at, &keep);
        b.finish(0..whole.edges.len(), &self.ends, clusters)
    }

    /// The node of the whole view called `id`.
    #[must_use]
    pub fn node(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Every view of the model: `all`, `overview`, one per service, one per flow, then the
    /// model's own, in that order.
    #[must_use]
    pub fn all(&self, custom: &[ViewDefinition]) -> Vec<NamedView> {
        let whole = self.whole;
        let named = |name: String, kind, title: String, description, view| NamedView {
            name,
            kind,
            title,
            description,
            direction: None,
            view,
        };
        let mut views = vec![
            named(
                "all".to_owned(),
                ViewKind::All,
                whole.title.clone(),
                whole.description.clone(),
                whole.clone(),
            ),
            named(
                "overview".to_owned(),
                ViewKind::Overview,
                format!("{}: overview", whole.title),
                None,
                self.overview(),
            ),
        ];
        for cluster in whole
            .clusters
            .iter()
            .filter(|c| c.kind == ClusterKind::Service)
        {
            let Some(service) = cluster.id.strip_prefix("service:") else {
                continue;
            };
            if let Some(view) = self.service(service) {
                views.push(named(
                    cluster.id.clone(),
                    ViewKind::Service,
                    format!("Service {}", cluster.label),
                    cluster.description.clone(),
                    view,
                ));
            }
        }
        for flow in &whole.flows {
            if let Some(view) = self.flow(&flow.name) {
                views.push(named(
                    format!("flow:{}", flow.name),
                    ViewKind::Flow,
                    flow.title.clone(),
                    flow.description.clone(),
                    view,
                ));
            }
        }
        views.extend(custom.iter().map(|d| self.named_custom(d)));
        views
    }

    /// A view of the model's own, with its name, title and direction.
    #[must_use]
    pub fn named_custom(&self, definition: &ViewDefinition) -> NamedView {
        let mut view = self.custom(definition);
        let title = definition
            .title
            .as_ref()
            .map_or_else(|| definition.name.value.clone(), |t| t.value.clone());
        view.title.clone_from(&title);
        NamedView {
            name: definition.name.value.clone(),
            kind: ViewKind::Custom,
            title,
            description: definition.description.as_ref().map(|d| d.value.clone()),
            direction: definition.direction.as_ref().map(|d| d.value),
            view,
        }
    }
}

impl View {
    /// The number of services.
    #[must_use]
    pub fn service_count(&self) -> usize {
        self.clusters
            .iter()
            .filter(|c| c.kind == ClusterKind::Service)
            .count()
    }
}

fn clusters_of_kind(whole: &View, kind: ClusterKind) -> Vec<ClusterView> {
    whole
        .clusters
        .iter()
        .filter(|c| c.kind == kind)
        .cloned()
        .collect()
}

/// The clusters that hold one of the `kept` nodes, with the clusters around them.
fn clusters_holding(
    whole: &View,
    cluster_at: &HashMap<&str, usize>,
    kept: &[usize],
) -> Vec<ClusterView> {
    let mut wanted = vec![false; whole.clusters.len()];
    for &i in kept {
        let mut at = whole.nodes[i].parent.as_deref();
        while let Some(&k) = at.and_then(|id| cluster_at.get(id)) {
            if std::mem::replace(&mut wanted[k], true) {
                break;
            }
            at = whole.clusters[k].parent.as_deref();
        }
    }
    whole
        .clusters
        .iter()
        .zip(wanted)
        .filter(|(_, wanted)| *wanted)
        .map(|(c, _)| c.clone())
        .collect()
}

/// A node's name without its service (`app` of `web/app`).
fn short(id: &str) -> &str {
    id.rsplit_once('/').map_or(id, |(_, name)| name)
}

fn kind_matches(selector: SelectorKind, kind: NodeKind) -> bool {
    match selector {
        SelectorKind::Actor => kind == NodeKind::Actor,
        SelectorKind::LoadBalancer => kind == NodeKind::LoadBalancer,
        SelectorKind::Listener => kind == NodeKind::Listener,
        SelectorKind::TargetGroup => kind == NodeKind::TargetGroup,
        SelectorKind::Container => matches!(kind, NodeKind::Container | NodeKind::Database),
        SelectorKind::Database => kind == NodeKind::Database,
        SelectorKind::Volume => kind == NodeKind::Volume,
        SelectorKind::FileSystem => kind == NodeKind::FileSystem,
    }
}

/// Where a node of the whole view goes in a derived view.
enum Rep {
    /// Shown as it is.
    Keep,
    /// Drawn as another node of the whole view (a listener as its load balancer).
    Node(usize),
    /// Drawn as the box of this service.
    Service(String),
}

/// A derived view under construction: which node of the new view each node of the whole view
/// became, and the edges between them, aggregated.
struct Derived<'v> {
    whole: &'v View,
    /// The whole view's clusters' positions, by id.
    cluster_at: &'v HashMap<&'v str, usize>,
    /// Node of the whole view → its node in the new view.
    to_new: HashMap<usize, usize>,
    nodes: Vec<NodeView>,
    by_id: HashMap<String, usize>,
    /// Keep the flows (remapped), or only this one, or none.
    flows: bool,
    only_flow: Option<String>,
    number_steps: bool,
}

impl<'v> Derived<'v> {
    fn new(whole: &'v View, cluster_at: &'v HashMap<&'v str, usize>) -> Self {
        Self {
            whole,
            cluster_at,
            to_new: HashMap::new(),
            nodes: Vec::new(),
            by_id: HashMap::new(),
            flows: true,
            only_flow: None,
            number_steps: false,
        }
    }

    fn add(&mut self, node: NodeView) -> usize {
        if let Some(&i) = self.by_id.get(&node.id) {
            return i;
        }
        self.by_id.insert(node.id.clone(), self.nodes.len());
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Place node `i` of the whole view (in order: a node kept as it is takes its place in the
    /// order; a service box takes the place of its first member).
    fn place(&mut self, i: usize, rep: Rep) {
        let whole = self.whole;
        let new = match rep {
            Rep::Keep => Some(self.add(whole.nodes[i].clone())),
            Rep::Node(other) => Some(self.add(whole.nodes[other].clone())),
            Rep::Service(name) => {
                let id = format!("service:{name}");
                let cluster_of = |id: &str| self.cluster_at.get(id).map(|&i| &whole.clusters[i]);
                let cluster = cluster_of(&id);
                let parent = cluster
                    .and_then(|c| c.parent.clone())
                    .filter(|p| cluster_of(p).is_some_and(|c| c.kind == ClusterKind::Cluster));
                Some(self.add(NodeView {
                    id,
                    kind: NodeKind::Service,
                    label: cluster.map_or_else(|| name.clone(), |c| c.label.clone()),
                    detail: cluster.and_then(|c| c.detail.clone()),
                    description: cluster.and_then(|c| c.description.clone()),
                    origin: None,
                    parent,
                    tags: Vec::new(),
                    hint: cluster.map_or_else(Hint::default, |c| c.hint),
                }))
            }
        };
        if let Some(new) = new {
            self.to_new.insert(i, new);
        }
    }

    /// The view: the candidate edges of the whole view (in increasing order) whose ends were
    /// placed, aggregated by (from, to, kind) in order of first appearance.
    fn finish(
        self,
        candidates: impl Iterator<Item = usize>,
        ends: &[Option<(usize, usize)>],
        clusters: Vec<ClusterView>,
    ) -> View {
        let whole = self.whole;
        let mut edges: Vec<EdgeView> = Vec::new();
        let mut counts: Vec<(usize, bool)> = Vec::new(); // (count, all labels equal)
        let mut key_of: HashMap<(usize, usize, EdgeKind), usize> = HashMap::new();
        let mut edge_to_new: HashMap<usize, usize> = HashMap::new();
        for i in candidates {
            let e = &whole.edges[i];
            let placed =
                ends[i].and_then(|(a, b)| Some((*self.to_new.get(&a)?, *self.to_new.get(&b)?)));
            let Some((a, b)) = placed.filter(|(a, b)| a != b) else {
                continue;
            };
            let key = (a, b, e.kind);
            if let Some(&k) = key_of.get(&key) {
                let (count, same) = &mut counts[k];
                *count += 1;
                *same &= edges[k].label == e.label;
                edge_to_new.insert(i, k);
            } else {
                key_of.insert(key, edges.len());
                edge_to_new.insert(i, edges.len());
                counts.push((1, true));
                edges.push(EdgeView {
                    from: self.nodes[a].id.clone(),
                    to: self.nodes[b].id.clone(),
                    kind: e.kind,
                    label: e.label.clone(),
                });
            }
        }
        for (edge, &(count, same)) in edges.iter_mut().zip(&counts) {
            if count > 1 {
                edge.label = Some(match (&edge.label, same) {
                    (Some(label), true) => format!("{count}× {label}"),
                    _ => format!("{count} {}", plural(edge.kind)),
                });
            }
        }
        let mut flows: Vec<FlowView> = Vec::new();
        if self.flows {
            for flow in &whole.flows {
                if self
                    .only_flow
                    .as_ref()
                    .is_some_and(|only| *only != flow.name)
                {
                    continue;
                }
                let mut f = flow.clone();
                for step in &mut f.steps {
                    let ends = [step.nodes.first().copied(), step.nodes.get(1).copied()];
                    step.nodes = dedup(
                        step.nodes
                            .iter()
                            .filter_map(|n| self.to_new.get(n).copied()),
                    );
                    step.edges = dedup(
                        step.edges
                            .iter()
                            .filter_map(|e| edge_to_new.get(e).copied()),
                    );
                    // The ends as the nodes they became (a container as its service's box).
                    let name = |id: &str, end: Option<usize>| {
                        end.and_then(|i| self.to_new.get(&i))
                            .map_or_else(|| id.to_owned(), |&n| self.nodes[n].id.clone())
                    };
                    let (from, to) = (ends[0], ends[1].or(ends[0]));
                    step.from = name(&step.from, from);
                    step.to = name(&step.to, to);
                }
                flows.push(f);
            }
        }
        if self.number_steps
            && let Some(flow) = flows.first_mut()
        {
            number_steps(flow, &mut edges, &self.nodes);
        }
        View {
            title: whole.title.clone(),
            description: whole.description.clone(),
            clusters,
            nodes: self.nodes,
            edges,
            flows,
            decisions: Arc::clone(&whole.decisions),
            tradeoffs: Arc::clone(&whole.tradeoffs),
            findings: Arc::clone(&whole.findings),
        }
    }
}

/// Label each edge of a flow view with the numbers of the steps that take it; a step that no
/// edge carries gets an edge of its own.
fn number_steps(flow: &mut FlowView, edges: &mut Vec<EdgeView>, nodes: &[NodeView]) {
    let mut numbers: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    for (i, step) in flow.steps.iter_mut().enumerate() {
        if step.edges.is_empty()
            && let [from, to] = step.nodes[..]
        {
            step.edges.push(edges.len());
            edges.push(EdgeView {
                from: nodes[from].id.clone(),
                to: nodes[to].id.clone(),
                kind: EdgeKind::Connect,
                label: step.action.clone(),
            });
            numbers.push(Vec::new());
        }
        for &e in &step.edges {
            numbers[e].push(i + 1);
        }
    }
    for (edge, numbers) in edges.iter_mut().zip(numbers) {
        if numbers.is_empty() {
            continue;
        }
        let list = numbers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        edge.label = Some(match &edge.label {
            Some(label) => format!("{list} · {label}"),
            None => list,
        });
    }
}

fn plural(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Route => "routes",
        EdgeKind::Connect => "calls",
        EdgeKind::Mount => "mounts",
        EdgeKind::DependsOn => "dependencies",
    }
}

fn dedup(items: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
