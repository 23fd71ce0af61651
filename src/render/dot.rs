//! Graphviz DOT. Every user string goes through [`dot_string`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::text::dot_string;
use crate::view::{ClusterKind, EdgeKind, FlowView, NodeKind, View};

const FONT: &str = "Helvetica,Arial,sans-serif";
const HIGHLIGHT: &str = "#d9480f";

/// Render the whole view; with `flow`, that flow's steps are drawn as numbered, highlighted edges.
#[must_use]
pub fn render(view: &View, flow: Option<&FlowView>) -> String {
    let mut out = String::new();
    let title = match flow {
        Some(f) => format!("{} — {}", view.title, f.title),
        None => view.title.clone(),
    };
    out.push_str("digraph archflow {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, compound=true, newrank=true, nodesep=0.4, ranksep=0.7, fontname={}, fontsize=16, labelloc=t, label={}];",
        dot_string(FONT),
        dot_string(&title)
    );
    let _ = writeln!(
        out,
        "  node [fontname={}, fontsize=11, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#495057\"];",
        dot_string(FONT)
    );
    let _ = writeln!(
        out,
        "  edge [fontname={}, fontsize=9, color=\"#495057\", fontcolor=\"#343a40\"];",
        dot_string(FONT)
    );

    let lit: BTreeSet<&str> = flow
        .map(|f| {
            f.steps
                .iter()
                .flat_map(|s| [s.from.as_str(), s.to.as_str()])
                .collect()
        })
        .unwrap_or_default();

    // Children by parent cluster, in view order.
    let mut child_clusters: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, c) in view.clusters.iter().enumerate() {
        child_clusters
            .entry(c.parent.as_deref())
            .or_default()
            .push(i);
    }
    let mut child_nodes: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        child_nodes.entry(n.parent.as_deref()).or_default().push(i);
    }
    let ctx = Ctx {
        view,
        child_clusters: &child_clusters,
        child_nodes: &child_nodes,
        lit: &lit,
    };
    ctx.write_children(&mut out, None, 1);

    for e in &view.edges {
        let mut attrs = Vec::new();
        if let Some(label) = &e.label {
            attrs.push(format!("label={}", dot_string(label)));
        }
        match e.kind {
            EdgeKind::DependsOn => {
                attrs.push("style=dashed, arrowhead=empty, color=\"#868e96\"".to_owned());
            }
            EdgeKind::Mount => {
                attrs.push("arrowhead=none, style=bold, color=\"#2b8a3e\"".to_owned());
            }
            EdgeKind::Route | EdgeKind::Connect => {}
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            dot_string(&e.from),
            dot_string(&e.to),
            attrs.join(", ")
        );
    }
    if let Some(flow) = flow {
        let known: BTreeSet<&str> = view.nodes.iter().map(|n| n.id.as_str()).collect();
        for (i, step) in flow.steps.iter().enumerate() {
            if !known.contains(step.from.as_str()) || !known.contains(step.to.as_str()) {
                continue;
            }
            let mut label = format!("{}", i + 1);
            if let Some(action) = &step.action {
                let _ = write!(label, ". {action}");
            }
            let _ = writeln!(
                out,
                "  {} -> {} [label={}, color=\"{HIGHLIGHT}\", fontcolor=\"{HIGHLIGHT}\", penwidth=2, constraint=false];",
                dot_string(&step.from),
                dot_string(&step.to),
                dot_string(&label)
            );
        }
    }
    out.push_str("}\n");
    out
}

struct Ctx<'a> {
    view: &'a View,
    child_clusters: &'a BTreeMap<Option<&'a str>, Vec<usize>>,
    child_nodes: &'a BTreeMap<Option<&'a str>, Vec<usize>>,
    lit: &'a BTreeSet<&'a str>,
}

impl Ctx<'_> {
    fn write_children(&self, out: &mut String, parent: Option<&str>, depth: usize) {
        let pad = "  ".repeat(depth);
        for &i in self.child_nodes.get(&parent).map_or(&[][..], Vec::as_slice) {
            let n = &self.view.nodes[i];
            let (shape, fill) = match n.kind {
                NodeKind::Actor => ("oval", "#fff3bf"),
                NodeKind::LoadBalancer => ("hexagon", "#d0ebff"),
                NodeKind::Listener => ("cds", "#e7f5ff"),
                NodeKind::TargetGroup => ("tab", "#e7f5ff"),
                NodeKind::Container => ("box", "#ffffff"),
                NodeKind::Database => ("cylinder", "#d3f9d8"),
                NodeKind::Volume => ("box3d", "#ebfbee"),
                NodeKind::FileSystem => ("folder", "#d3f9d8"),
                NodeKind::Service => ("component", "#f8f9fa"),
            };
            let label = match &n.detail {
                Some(d) => format!("{}\n{d}", n.label),
                None => n.label.clone(),
            };
            let mut attrs = format!(
                "label={}, shape={shape}, fillcolor=\"{fill}\"",
                dot_string(&label)
            );
            if n.kind != NodeKind::Container {
                attrs.push_str(", style=filled");
            }
            if self.lit.contains(n.id.as_str()) {
                let _ = write!(attrs, ", color=\"{HIGHLIGHT}\", penwidth=2.5");
            }
            let _ = writeln!(out, "{pad}{} [{attrs}];", dot_string(&n.id));
        }
        for &i in self
            .child_clusters
            .get(&parent)
            .map_or(&[][..], Vec::as_slice)
        {
            let c = &self.view.clusters[i];
            let (style, fill) = match c.kind {
                ClusterKind::Cluster => ("rounded,dashed", "#ffffff"),
                ClusterKind::Service => ("rounded,filled", "#f8f9fa"),
                ClusterKind::Task => ("rounded,filled", "#f1f3f5"),
            };
            let label = match &c.detail {
                Some(d) => format!("{} · {d}", c.label),
                None => c.label.clone(),
            };
            let _ = writeln!(
                out,
                "{pad}subgraph {} {{",
                dot_string(&format!("cluster_{}", c.id))
            );
            let _ = writeln!(
                out,
                "{pad}  graph [label={}, style=\"{style}\", fillcolor=\"{fill}\", color=\"#adb5bd\", labeljust=l];",
                dot_string(&label)
            );
            self.write_children(out, Some(&c.id), depth + 1);
            let _ = writeln!(out, "{pad}}}");
        }
    }
}
