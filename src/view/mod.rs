//! View stage: a renderer-neutral picture of the model. Renderers see only this.
//! [`views`] derives the other views (overview, per service, per flow, custom) from the whole;
//! [`why`] explains the design: the model's decisions and the trade-offs of its configuration.

mod groups;
mod views;
mod why;

pub use groups::{FlowEvent, GroupFrame, GroupKind, GroupView, Heading};
pub use views::{NamedView, OVERVIEW_ABOVE, ViewKind, Views};
pub use why::{DecisionView, TradeoffView};

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{ArchGraph, FLOW_TRANSPARENT, container_port_label};
use crate::model::{ComponentId, Kind, Model};
use crate::source::Source;
use crate::syntax::document::{LaunchType, Role, S};

/// Why two components are joined: the graph's edge kinds, which renderers draw differently.
pub use crate::graph::EdgeKind;

/// Everything a renderer needs, owned and serializable.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub title: String,
    pub description: Option<String>,
    pub clusters: Vec<ClusterView>,
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
    pub flows: Vec<FlowView>,
    /// The model's `decisions:`, as written. Shared (like `tradeoffs` and `findings`) by every
    /// view derived from this one: a model of 10,000 services has 10,000 service views, and a
    /// copy each would make them cost the size of the whole model each.
    pub decisions: Arc<Vec<DecisionView>>,
    /// The trade-offs of the configuration, explained (see [`why`]).
    pub tradeoffs: Arc<Vec<TradeoffView>>,
    /// Check findings, with positions resolved (see [`View::with_findings`]). Empty by default.
    pub findings: Arc<Vec<FindingView>>,
}

/// A check finding as renderers show it.
#[derive(Clone, Debug, Serialize)]
pub struct FindingView {
    pub code: String,
    /// The rule's kebab-case name.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The rule's one-line summary, when the finding comes from a rule.
    pub summary: Option<String>,
    /// The rule's Markdown documentation, when the finding comes from a rule.
    pub doc: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClusterKind {
    /// The ECS cluster.
    Cluster,
    Service,
    Task,
}

/// A box that holds nodes or other boxes.
#[derive(Clone, Debug, Serialize)]
pub struct ClusterView {
    /// Unique among clusters: `cluster:NAME`, `service:NAME`, `task:FAMILY`.
    pub id: String,
    pub kind: ClusterKind,
    pub label: String,
    /// A second line, e.g. `FARGATE · 1 task`.
    pub detail: Option<String>,
    /// Markdown, as written.
    pub description: Option<String>,
    /// Where it was imported from (`template.yaml#LogicalId`, `path:resource.address`): the
    /// model's `origin:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    pub parent: Option<String>,
    /// Where the model asks the layout to put it (a service's box).
    #[serde(skip_serializing_if = "Hint::is_none")]
    pub hint: Hint,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Actor,
    LoadBalancer,
    Listener,
    TargetGroup,
    Container,
    Database,
    Volume,
    FileSystem,
    /// A service drawn as one box, its task's containers inside it (the overview, and the
    /// callers and callees of a service view).
    Service,
}

impl NodeKind {
    /// What a component of this kind is called in prose: `load balancer`, `EFS file system`.
    #[must_use]
    pub const fn noun(self) -> &'static str {
        match self {
            Self::Actor => "actor",
            Self::LoadBalancer => "load balancer",
            Self::Listener => "listener",
            Self::TargetGroup => "target group",
            Self::Container => "container",
            Self::Database => "database",
            Self::Volume => "volume",
            Self::FileSystem => "EFS file system",
            Self::Service => "service",
        }
    }
}

/// Where the model asks a node or a cluster box to go (`layout:`): only the layout reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// Lower tiers come first along the direction the tiers run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// Lower first among what shares a column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i32>,
}

impl Hint {
    /// Whether the model gave no hint.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.tier.is_none() && self.order.is_none()
    }

    fn of(hint: Option<&crate::syntax::document::LayoutHint>) -> Self {
        hint.map_or_else(Self::default, |h| Self {
            tier: h.tier,
            order: h.order,
        })
    }
}

/// A component drawn as a shape.
#[derive(Clone, Debug, Serialize)]
pub struct NodeView {
    /// The component's name (unique among nodes).
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// A second line: image, `protocol:port`, …
    pub detail: Option<String>,
    /// Markdown, as written.
    pub description: Option<String>,
    /// Where it was imported from (`template.yaml#LogicalId`, `path:resource.address`): the
    /// model's `origin:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The enclosing cluster's id.
    pub parent: Option<String>,
    /// Tags to select it by in views (a container's and volume's include its service's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Where the model asks the layout to put it.
    #[serde(skip_serializing_if = "Hint::is_none")]
    pub hint: Hint,
}

#[derive(Clone, Debug, Serialize)]
pub struct EdgeView {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FlowView {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub steps: Vec<StepView>,
    /// The flow's groups of steps (`alt`, `opt`, `par`, `loop`), outer before inner;
    /// [`GroupFrame::group`] indexes it.
    pub groups: Vec<GroupView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepView {
    pub from: String,
    pub to: String,
    pub action: Option<String>,
    /// `protocol:port`, `protocol` or `:port`, when given.
    pub via: Option<String>,
    /// Markdown, as written.
    pub note: Option<String>,
    /// Fire and forget (`async: true`): no answer is expected.
    #[serde(rename = "async")]
    pub is_async: bool,
    /// The groups the step is in, outermost first (see [`FlowView::events`]).
    pub groups: Vec<GroupFrame>,
    /// Indices into `View::nodes` of the components this hop touches: its ends and any listener,
    /// target group or volume the traffic passes through. Empty when an end is unknown.
    pub nodes: Vec<usize>,
    /// Indices into `View::edges` that carry this hop (the configured route between its ends).
    /// Empty when no configuration connects them.
    pub edges: Vec<usize>,
}

impl FlowView {
    /// The names the steps join, in order of first appearance: a sequence diagram's
    /// participants.
    #[must_use]
    pub fn participants(&self) -> Vec<&str> {
        let mut order: Vec<&str> = Vec::new();
        for step in &self.steps {
            for name in [step.from.as_str(), step.to.as_str()] {
                if !order.contains(&name) {
                    order.push(name);
                }
            }
        }
        order
    }
}

impl StepView {
    /// What the step says: the action with `(via)` after it, the via alone, or `…`.
    #[must_use]
    pub fn message(&self) -> String {
        let mut message = self.action.clone().unwrap_or_default();
        if let Some(via) = &self.via {
            if message.is_empty() {
                message.clone_from(via);
            } else {
                message = format!("{message} ({via})");
            }
        }
        if message.is_empty() {
            message.push('…');
        }
        message
    }
}

/// Position by id (the first, when ids repeat).
fn first_positions<'v>(ids: impl Iterator<Item = &'v str>) -> HashMap<&'v str, usize> {
    let mut at = HashMap::new();
    for (i, id) in ids.enumerate() {
        at.entry(id).or_insert(i);
    }
    at
}

impl View {
    /// Each node's position in `nodes`, by id.
    #[must_use]
    pub fn node_positions(&self) -> HashMap<&str, usize> {
        first_positions(self.nodes.iter().map(|n| n.id.as_str()))
    }

    /// Each cluster's position in `clusters`, by id.
    #[must_use]
    pub fn cluster_positions(&self) -> HashMap<&str, usize> {
        first_positions(self.clusters.iter().map(|c| c.id.as_str()))
    }

    /// The flow called `name`.
    #[must_use]
    pub fn flow(&self, name: &str) -> Option<&FlowView> {
        self.flows.iter().find(|f| f.name == name)
    }

    /// Build the view of a model. Only components that exist become nodes; edges whose ends are
    /// not both nodes (e.g. into a broken reference) are left out.
    #[must_use]
    pub fn build(model: &Model, graph: &ArchGraph) -> Self {
        let doc = &model.doc;
        // AWS tags (`aws: {tags: [{key, value}]}`) as `key` and `key=value`.
        let tags = |fields: &[&crate::syntax::aws::AwsFields]| {
            let mut all: Vec<String> = Vec::new();
            let found = fields
                .iter()
                .filter_map(|f| f.get("tags")?.as_array())
                .flatten();
            for tag in found {
                let Some(key) = tag.get("key").and_then(|k| k.as_str()) else {
                    continue;
                };
                let value = tag
                    .get("value")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                for t in [key.to_owned(), format!("{key}={value}")] {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
            }
            all
        };
        let text = |s: &Option<S<String>>| s.as_ref().map(|s| s.value.clone());
        let label_or = |label: &Option<S<String>>, name: &str| {
            label
                .as_ref()
                .map_or_else(|| name.to_owned(), |l| l.value.clone())
        };
        let mut clusters = Vec::new();
        let mut nodes = Vec::new();
        let top = doc.cluster.as_ref().map(|c| {
            let id = format!("cluster:{}", c.name.value);
            clusters.push(ClusterView {
                id: id.clone(),
                kind: ClusterKind::Cluster,
                label: label_or(&c.label, &c.name.value),
                detail: Some("ECS cluster".to_owned()),
                description: text(&c.description),
                origin: None,
                parent: None,
                hint: Hint::default(),
            });
            id
        });
        for actor in &doc.actors {
            nodes.push(NodeView {
                id: actor.name.value.clone(),
                kind: NodeKind::Actor,
                label: label_or(&actor.label, &actor.name.value),
                detail: None,
                description: text(&actor.description),
                origin: None,
                parent: None,
                tags: Vec::new(),
                hint: Hint::of(actor.layout.as_ref()),
            });
        }
        for lb in &doc.load_balancers {
            let scheme = lb.scheme.as_ref().map(|s| match s.value {
                crate::syntax::document::Scheme::InternetFacing => "internet-facing",
                crate::syntax::document::Scheme::Internal => "internal",
            });
            nodes.push(NodeView {
                id: lb.name.value.clone(),
                kind: NodeKind::LoadBalancer,
                label: label_or(&lb.label, &lb.name.value),
                detail: Some(match scheme {
                    Some(s) => format!("load balancer · {s}"),
                    None => "load balancer".to_owned(),
                }),
                description: text(&lb.description),
                origin: text(&lb.origin),
                parent: None,
                tags: Vec::new(),
                hint: Hint::of(lb.layout.as_ref()),
            });
        }
        for (lb, listener) in model.listeners() {
            let protocol = listener
                .protocol
                .as_ref()
                .map_or("HTTP", |p| crate::graph::protocol_name(p.value));
            nodes.push(NodeView {
                id: crate::model::listener_name(lb, listener),
                kind: NodeKind::Listener,
                label: format!("{protocol} :{}", listener.port.value),
                detail: Some("listener".to_owned()),
                description: None,
                origin: None,
                parent: None,
                tags: Vec::new(),
                hint: Hint::default(),
            });
        }
        for tg in &doc.target_groups {
            nodes.push(NodeView {
                id: tg.name.value.clone(),
                kind: NodeKind::TargetGroup,
                label: label_or(&tg.label, &tg.name.value),
                detail: Some("target group".to_owned()),
                description: text(&tg.description),
                origin: text(&tg.origin),
                parent: None,
                tags: Vec::new(),
                hint: Hint::of(tg.layout.as_ref()),
            });
        }
        for service in &doc.services {
            let service_id = format!("service:{}", service.service_name.value);
            let launch = service.launch_type().map(|l| match l {
                LaunchType::Ec2 => "EC2",
                LaunchType::Fargate => "FARGATE",
                LaunchType::External => "EXTERNAL",
            });
            let count = service.desired_count();
            let tasks = if count == 1 {
                "1 task".to_owned()
            } else {
                format!("{count} tasks")
            };
            clusters.push(ClusterView {
                id: service_id.clone(),
                kind: ClusterKind::Service,
                label: label_or(&service.label, &service.service_name.value),
                detail: Some(match launch {
                    Some(l) => format!("service · {l} · {tasks}"),
                    None => format!("service · {tasks}"),
                }),
                description: text(&service.description),
                origin: text(&service.origin),
                parent: top.clone(),
                hint: Hint::of(service.layout.as_ref()),
            });
            let task = &service.task_definition;
            let task_id = format!("task:{}", task.family.value);
            clusters.push(ClusterView {
                id: task_id.clone(),
                kind: ClusterKind::Task,
                label: label_or(&task.label, &task.family.value),
                detail: Some("task definition".to_owned()),
                description: text(&task.description),
                origin: text(&task.origin).or_else(|| text(&service.origin)),
                parent: Some(service_id),
                hint: Hint::default(),
            });
            let in_task = |kind, name: &str| {
                let id = ComponentId::scoped(kind, &service.service_name.value, name);
                model.reference_name(&id).to_owned()
            };
            for c in &task.container_definitions {
                let kind = if c.role() == Some(Role::Database) {
                    NodeKind::Database
                } else {
                    NodeKind::Container
                };
                let mut detail = c.image.value.clone();
                if let Some(port) = container_port_label(c) {
                    detail = format!("{detail} · {port}");
                }
                nodes.push(NodeView {
                    id: in_task(Kind::Container, &c.name.value),
                    kind,
                    label: label_or(&c.label, &c.name.value),
                    detail: Some(detail),
                    description: text(&c.description),
                    origin: None,
                    parent: Some(task_id.clone()),
                    tags: tags(&[&service.aws, &task.aws]),
                    hint: Hint::of(c.layout.as_ref()),
                });
            }
            for v in &task.volumes {
                let detail = if v.efs_volume_configuration.is_some() {
                    "volume · EFS"
                } else {
                    "volume · task storage"
                };
                nodes.push(NodeView {
                    id: in_task(Kind::Volume, &v.name.value),
                    kind: NodeKind::Volume,
                    label: label_or(&v.label, &v.name.value),
                    detail: Some(detail.to_owned()),
                    description: text(&v.description),
                    origin: None,
                    parent: Some(task_id.clone()),
                    tags: tags(&[&service.aws, &task.aws]),
                    hint: Hint::default(),
                });
            }
        }
        for fs in &doc.file_systems {
            nodes.push(NodeView {
                id: fs.name.value.clone(),
                kind: NodeKind::FileSystem,
                label: label_or(&fs.label, &fs.name.value),
                detail: Some("EFS file system".to_owned()),
                description: text(&fs.description),
                origin: text(&fs.origin),
                parent: None,
                tags: Vec::new(),
                hint: Hint::of(fs.layout.as_ref()),
            });
        }
        // A duplicate name is an error finding; keep the first so ids stay unique.
        let mut seen = HashSet::with_capacity(nodes.len());
        let keep: Vec<bool> = nodes.iter().map(|n| seen.insert(n.id.as_str())).collect();
        drop(seen);
        let mut keep = keep.into_iter();
        nodes.retain(|_| keep.next().unwrap_or(false));
        let seen: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let is_node = |name: &str| seen.contains(name);
        let mut edges = Vec::new();
        // For each edge of the graph, its index in `edges` when it is shown.
        let mut shown_as = Vec::new();
        for (a, b, r) in graph.edges() {
            let (from, to) = (model.reference_name(a), model.reference_name(b));
            let shown =
                a.kind != Kind::Task && b.kind != Kind::Task && is_node(from) && is_node(to);
            shown_as.push(shown.then_some(edges.len()));
            if shown {
                edges.push(EdgeView {
                    from: from.to_owned(),
                    to: to.to_owned(),
                    kind: r.kind,
                    label: edge_label(model, a, b, r),
                });
            }
        }
        let flows = doc
            .flows
            .iter()
            .map(|f| FlowView {
                name: f.name.value.clone(),
                title: label_or(&f.title, &f.name.value),
                description: text(&f.description),
                steps: f
                    .steps
                    .iter()
                    .map(|s| StepView {
                        from: step_end(model, &s.from.value),
                        to: step_end(model, &s.to.value),
                        action: text(&s.action),
                        via: match (&s.protocol, &s.port) {
                            (Some(p), Some(n)) => Some(format!("{}:{}", p.value, n.value)),
                            (Some(p), None) => Some(p.value.clone()),
                            (None, Some(n)) => Some(format!(":{}", n.value)),
                            (None, None) => None,
                        },
                        note: text(&s.note),
                        is_async: s.is_async.as_ref().is_some_and(|a| a.value),
                        groups: s
                            .groups
                            .iter()
                            .map(|g| GroupFrame {
                                group: g.group,
                                branch: g.branch,
                            })
                            .collect(),
                        nodes: Vec::new(),
                        edges: Vec::new(),
                    })
                    .collect(),
                groups: f
                    .groups
                    .iter()
                    .map(|g| GroupView {
                        kind: g.kind,
                        branches: g.branches.iter().map(|b| text(&b.when)).collect(),
                    })
                    .collect(),
            })
            .collect();
        let mut flows: Vec<FlowView> = flows;
        route_hops(model, graph, &nodes, &shown_as, &mut flows);
        Self {
            title: doc
                .name
                .as_ref()
                .map_or_else(|| "Architecture".to_owned(), |n| n.value.clone()),
            description: text(&doc.description),
            clusters,
            nodes,
            edges,
            flows,
            decisions: Arc::new(why::decisions(model)),
            tradeoffs: Arc::new(why::tradeoffs(model)),
            findings: Arc::default(),
        }
    }

    /// This view with the findings of `source` attached, positions resolved to line and column.
    #[must_use]
    pub fn with_findings(mut self, source: &Source, diagnostics: &[Diagnostic]) -> Self {
        self.findings = Arc::new(
            diagnostics
                .iter()
                .map(|d| {
                    let at = source.line_col(d.primary.span.start);
                    let rule = crate::check::rule(d.code);
                    FindingView {
                        code: d.code.to_owned(),
                        rule: d.name.to_owned(),
                        severity: d.severity,
                        message: d.message.clone(),
                        file: source.path.clone(),
                        line: at.line,
                        column: at.column,
                        help: d.help.clone(),
                        notes: d.notes.clone(),
                        summary: rule.map(|r| r.code.summary.to_owned()),
                        doc: rule.map(|r| r.doc.to_owned()),
                    }
                })
                .collect(),
        );
        self
    }
}

/// What an edge says, in the words the reader needs: a call between containers that share a
/// task's network (`awsvpc` or `host`) is made to `localhost:PORT`, which is what the caller
/// configures; a `dependsOn` edge is start order, not traffic: `starts after` (the condition
/// `START`), `starts after healthy`, `starts after exit`, `starts after success`.
fn edge_label(
    model: &Model,
    a: &ComponentId,
    b: &ComponentId,
    r: &crate::graph::Relation,
) -> Option<String> {
    match r.kind {
        EdgeKind::DependsOn => Some(match r.label.as_deref() {
            Some("HEALTHY") => "starts after healthy".to_owned(),
            Some("COMPLETE") => "starts after exit".to_owned(),
            Some("SUCCESS") => "starts after success".to_owned(),
            _ => "starts after".to_owned(),
        }),
        EdgeKind::Connect if a.kind == Kind::Container && b.kind == Kind::Container => {
            let (Some((sa, _)), Some((sb, c))) = (model.container(a), model.container(b)) else {
                return r.label.clone();
            };
            let shared = std::ptr::eq(sa, sb)
                && matches!(
                    sa.network_mode(),
                    crate::syntax::document::NetworkMode::Awsvpc
                        | crate::syntax::document::NetworkMode::Host
                );
            match c.port_mappings.first() {
                Some(pm) if shared => Some(format!("localhost:{}", pm.container_port.value)),
                _ => r.label.clone(),
            }
        }
        _ => r.label.clone(),
    }
}

/// The node id a flow step's end names: the component's reference name (short when that is
/// unambiguous), or the text as written when it names nothing.
fn step_end(model: &Model, reference: &str) -> String {
    model.resolve(reference).map_or_else(
        || reference.to_owned(),
        |c| model.reference_name(&c.id).to_owned(),
    )
}

/// Fill each step's `nodes` and `edges` with the route [`ArchGraph::route`] finds between its
/// ends: the shortest, in either direction, through listeners, target groups and volumes only
/// (the parts a flow does not name). `shown_as` maps the graph's edges to the view's.
fn route_hops(
    model: &Model,
    graph: &ArchGraph,
    nodes: &[NodeView],
    shown_as: &[Option<usize>],
    flows: &mut [FlowView],
) {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for step in flows.iter_mut().flat_map(|f| f.steps.iter_mut()) {
        let (Some(&from), Some(&to)) = (index.get(step.from.as_str()), index.get(step.to.as_str()))
        else {
            continue;
        };
        step.nodes = vec![from, to];
        if from == to {
            step.nodes.truncate(1);
            continue;
        }
        let (Some(a), Some(b)) = (model.resolve(&step.from), model.resolve(&step.to)) else {
            continue;
        };
        let Some(hops) = graph.route(&a.id, &b.id, FLOW_TRANSPARENT) else {
            continue;
        };
        // Each hop as (view edge, view node); a route through anything the view leaves out is
        // not shown.
        let shown: Option<Vec<(usize, usize)>> = hops
            .iter()
            .map(|hop| {
                let edge = shown_as.get(hop.edge).copied().flatten()?;
                Some((edge, *index.get(model.reference_name(hop.to))?))
            })
            .collect();
        let Some(shown) = shown else {
            continue;
        };
        let Some((_, between)) = shown.split_last() else {
            continue;
        };
        step.edges = shown.iter().map(|&(edge, _)| edge).collect();
        // The ends first, then the components between them from the far end back.
        step.nodes
            .extend(between.iter().rev().map(|&(_, node)| node));
    }
}

#[cfg(test)]
mod tests {
    use super::View;
    use crate::graph::FLOW_TRANSPARENT;
    use crate::source::Source;

    /// The reference flow with a first step that nothing backs: the user calling the API.
    fn model() -> String {
        let reference = include_str!("../../architecture.yaml");
        let first = "    steps:\n      - from: user\n";
        assert!(reference.contains(first));
        reference.replacen(
            first,
            "    steps:\n      - from: user\n        to: goals-backend\n      - from: user\n",
            1,
        )
    }

    #[test]
    fn steps_light_up_the_graph_route_that_a007_accepts() {
        let source = Source::new("architecture.yaml", model());
        let analysis = crate::analyze(&source);
        let (model, graph) = (analysis.model.unwrap(), analysis.graph.unwrap());
        let view = View::build(&model, &graph);
        let flow = view.flow("store-goal").unwrap();
        let name = |i: usize| view.nodes[i].id.as_str();
        // The unbacked step: no route to light up, and A007 reports it (once: the only one).
        let unbacked: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == "A007")
            .collect();
        assert_eq!(unbacked.len(), 1, "{unbacked:?}");
        assert!(unbacked[0].message.contains("`user` to `goals-backend`"));
        assert!(flow.steps[0].edges.is_empty());
        assert_eq!(
            flow.steps[0]
                .nodes
                .iter()
                .map(|&i| name(i))
                .collect::<Vec<_>>(),
            ["user", "goals-backend"]
        );
        // Load balancer to API: the ends, then what lies between from the far end back.
        let step = &flow.steps[2];
        let nodes: Vec<&str> = step.nodes.iter().map(|&i| name(i)).collect();
        assert_eq!(
            nodes,
            ["goals-alb", "goals-backend", "goals-tg", "goals-alb:80"]
        );
        // Every step's edges are the graph's route between its ends, as the view numbers edges.
        for step in &flow.steps {
            let (a, b) = (
                model.resolve(&step.from).unwrap(),
                model.resolve(&step.to).unwrap(),
            );
            let route = graph.route(&a.id, &b.id, FLOW_TRANSPARENT);
            let hops: Vec<(String, String)> = step
                .edges
                .iter()
                .map(|&e| (view.edges[e].from.clone(), view.edges[e].to.clone()))
                .collect();
            let want: Vec<(String, String)> = route
                .unwrap_or_default()
                .iter()
                .map(|hop| {
                    let (from, to, _) = graph.edges().nth(hop.edge).unwrap();
                    let name = |id| model.reference_name(id).to_owned();
                    (name(from), name(to))
                })
                .collect();
            assert_eq!(hops, want, "{} → {}", step.from, step.to);
        }
    }
}
