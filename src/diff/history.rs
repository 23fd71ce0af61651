//! Evolution: several versions of a model as one picture that steps from each version to the
//! next (`archflow build --history`).
//!
//! Each pair of neighbouring versions is compared with [`compare`]; the union of every
//! version's view (the newest, plus what only earlier versions had, renamed components kept as
//! one element) is laid out once, so a component keeps its place in every version. For each
//! version, every element of the union has a [`State`]: absent, the same as before, added,
//! removed (there in the version before, shown faded) or changed. [`page`] draws the union and
//! writes the page with [`crate::render::html::history`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{Change, ModelDiff, compare, report};
use crate::error::Error;
use crate::layout::{self, Direction, Layout, LayoutOptions};
use crate::pipeline::Analysis;
use crate::render::html::history::{
    self as history_page, DecisionEntry, HistoryPage, Label, VersionPage, VersionStates,
};
use crate::render::{self, RenderError};
use crate::view::{DecisionView, View};

/// What an element of the union is in one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not in this version nor in the one before.
    Absent,
    Same,
    Added,
    /// In the version before, not in this one.
    Removed,
    /// Changed, moved or renamed.
    Changed,
}

impl State {
    /// One letter per state, for the page's script: `x s a r c`.
    #[must_use]
    pub const fn letter(self) -> char {
        match self {
            Self::Absent => 'x',
            Self::Same => 's',
            Self::Added => 'a',
            Self::Removed => 'r',
            Self::Changed => 'c',
        }
    }
}

/// One version of the model, and how it differs from the one before.
#[derive(Clone, Debug)]
pub struct Version {
    /// As given (`architecture.yaml`, `HEAD~1`).
    pub source: String,
    /// The model's name (the view's title).
    pub title: String,
    pub description: Option<String>,
    pub decisions: Vec<DecisionView>,
    /// The titles of the decisions that are new since the version before.
    pub new_decisions: Vec<String>,
    /// The titles of the decisions the version before had with other words.
    pub changed_decisions: Vec<String>,
    /// The titles of the version before's decisions this one no longer has.
    pub dropped_decisions: Vec<String>,
    /// From the version before (`None` for the first).
    pub diff: Option<ModelDiff>,
    /// Parallel to the union's clusters, nodes and edges.
    pub clusters: Vec<State>,
    pub nodes: Vec<State>,
    pub edges: Vec<State>,
    /// Labels and details of this version where they differ from the union's: `(index, label,
    /// detail)` for nodes and clusters.
    pub node_labels: Vec<(usize, String, Option<String>)>,
    pub cluster_labels: Vec<(usize, String, Option<String>)>,
}

/// Every version over one view.
#[derive(Clone, Debug)]
pub struct Evolution {
    /// The union of every version's view (findings and flows left out).
    pub view: View,
    /// Oldest first.
    pub versions: Vec<Version>,
}

type EdgeKey = (String, String, crate::view::EdgeKind, Option<String>);

/// Step through `analyses`, oldest first.
///
/// # Errors
/// Fewer than two versions, or a version that did not load.
pub fn evolve(analyses: &[Analysis]) -> Result<Evolution, Error> {
    if analyses.len() < 2 {
        return Err(Error::Invalid(
            "a history needs at least two versions of the model".to_owned(),
        ));
    }
    let mut diffs = Vec::with_capacity(analyses.len() - 1);
    let mut views: Vec<View> = Vec::with_capacity(analyses.len());
    for pair in analyses.windows(2) {
        let (d, sides) = compare(&pair[0], &pair[1])?;
        if views.is_empty() {
            views.push(sides.old);
        }
        views.push(sides.new);
        diffs.push(d);
    }
    // The view ids each version's components have in the next version (renamed ones).
    let renames: Vec<HashMap<&str, &str>> = diffs
        .iter()
        .map(|d| {
            d.components
                .iter()
                .filter_map(|c| {
                    let old = c.old_view_id.as_deref()?;
                    (old != c.view_id).then_some((old, c.view_id.as_str()))
                })
                .collect()
        })
        .collect();
    let to_union = |k: usize, id: &str| -> String {
        let mut id = id;
        for r in &renames[k..] {
            if let Some(next) = r.get(id) {
                id = next;
            }
        }
        id.to_owned()
    };
    let union = union(&views, &to_union);
    let cluster_at = union.cluster_positions();
    let node_at = union.node_positions();
    let edge_at: HashMap<EdgeKey, usize> = union
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.from.clone(), e.to.clone(), e.kind, e.label.clone()), i))
        .collect();
    // Which elements each version has.
    let present: Vec<[HashSet<usize>; 3]> = views
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let clusters = v
                .clusters
                .iter()
                .filter_map(|c| cluster_at.get(to_union(k, &c.id).as_str()).copied())
                .collect();
            let nodes = v
                .nodes
                .iter()
                .filter_map(|n| node_at.get(to_union(k, &n.id).as_str()).copied())
                .collect();
            let edges = v
                .edges
                .iter()
                .filter_map(|e| {
                    let key = (
                        to_union(k, &e.from),
                        to_union(k, &e.to),
                        e.kind,
                        e.label.clone(),
                    );
                    edge_at.get(&key).copied()
                })
                .collect();
            [clusters, nodes, edges]
        })
        .collect();
    let mut versions = Vec::with_capacity(views.len());
    for (k, view) in views.iter().enumerate() {
        let diff = k.checked_sub(1).map(|j| &diffs[j]);
        // The union elements the diff calls changed, moved or renamed.
        let mut changed: [HashSet<usize>; 3] = Default::default();
        for c in diff.map_or(&[][..], |d| d.components.as_slice()) {
            if matches!(c.change, Change::Added | Change::Removed) {
                continue;
            }
            let id = to_union(k, &c.view_id);
            if let Some(&i) = cluster_at.get(id.as_str()) {
                changed[0].insert(i);
            }
            if let Some(&i) = node_at.get(id.as_str()) {
                changed[1].insert(i);
            }
        }
        let states = |which: usize, count: usize| -> Vec<State> {
            (0..count)
                .map(|i| {
                    let now = present[k][which].contains(&i);
                    let before = k > 0 && present[k - 1][which].contains(&i);
                    match (k, before, now) {
                        (0, _, true) => State::Same,
                        (_, false, false) => State::Absent,
                        (_, true, false) => State::Removed,
                        (_, false, true) => State::Added,
                        (_, true, true) if changed[which].contains(&i) => State::Changed,
                        (_, true, true) => State::Same,
                    }
                })
                .collect()
        };
        let node_labels = view
            .nodes
            .iter()
            .filter_map(|n| {
                let i = *node_at.get(to_union(k, &n.id).as_str())?;
                let u = &union.nodes[i];
                (u.label != n.label || u.detail != n.detail)
                    .then(|| (i, n.label.clone(), n.detail.clone()))
            })
            .collect();
        let cluster_labels = view
            .clusters
            .iter()
            .filter_map(|c| {
                let i = *cluster_at.get(to_union(k, &c.id).as_str())?;
                let u = &union.clusters[i];
                (u.label != c.label || u.detail != c.detail)
                    .then(|| (i, c.label.clone(), c.detail.clone()))
            })
            .collect();
        let before = k
            .checked_sub(1)
            .map_or(&[][..], |j| views[j].decisions.as_slice());
        let same = |a: &DecisionView, b: &DecisionView| {
            (&a.title, &a.context, &a.decision, &a.consequences)
                == (&b.title, &b.context, &b.decision, &b.consequences)
        };
        let (mut new_decisions, mut changed_decisions) = (Vec::new(), Vec::new());
        for d in view.decisions.iter().filter(|_| k > 0) {
            match before.iter().find(|b| b.title == d.title) {
                None => new_decisions.push(d.title.clone()),
                Some(b) if !same(b, d) => changed_decisions.push(d.title.clone()),
                Some(_) => {}
            }
        }
        let dropped_decisions = before
            .iter()
            .filter(|b| !view.decisions.iter().any(|d| d.title == b.title))
            .map(|b| b.title.clone())
            .collect();
        versions.push(Version {
            source: analyses[k].source.path.clone(),
            title: view.title.clone(),
            description: view.description.clone(),
            decisions: view.decisions.as_ref().clone(),
            new_decisions,
            changed_decisions,
            dropped_decisions,
            diff: diff.cloned(),
            clusters: states(0, union.clusters.len()),
            nodes: states(1, union.nodes.len()),
            edges: states(2, union.edges.len()),
            node_labels,
            cluster_labels,
        });
    }
    Ok(Evolution {
        view: union,
        versions,
    })
}

/// The newest view, plus the clusters, nodes and edges only earlier versions had (newest
/// first), their ids as the newest version names them.
fn union(views: &[View], to_union: &dyn Fn(usize, &str) -> String) -> View {
    let last = views.len() - 1;
    let mut view = views[last].clone();
    view.findings = std::sync::Arc::default();
    view.flows.clear();
    view.title = format!("{} (every version)", view.title);
    let mut clusters: HashSet<String> = view.clusters.iter().map(|c| c.id.clone()).collect();
    let mut nodes: HashSet<String> = view.nodes.iter().map(|n| n.id.clone()).collect();
    let mut edges: HashSet<EdgeKey> = view
        .edges
        .iter()
        .map(|e| (e.from.clone(), e.to.clone(), e.kind, e.label.clone()))
        .collect();
    for k in (0..last).rev() {
        for c in &views[k].clusters {
            let id = to_union(k, &c.id);
            if clusters.contains(&id) {
                continue;
            }
            let mut c = c.clone();
            c.parent = c
                .parent
                .map(|p| to_union(k, &p))
                .filter(|p| clusters.contains(p));
            c.id.clone_from(&id);
            clusters.insert(id);
            view.clusters.push(c);
        }
        for n in &views[k].nodes {
            let id = to_union(k, &n.id);
            if nodes.contains(&id) {
                continue;
            }
            let mut n = n.clone();
            n.parent = n
                .parent
                .map(|p| to_union(k, &p))
                .filter(|p| clusters.contains(p));
            n.id.clone_from(&id);
            nodes.insert(id);
            view.nodes.push(n);
        }
        for e in &views[k].edges {
            let (from, to) = (to_union(k, &e.from), to_union(k, &e.to));
            let key = (from.clone(), to.clone(), e.kind, e.label.clone());
            if !nodes.contains(&from) || !nodes.contains(&to) || edges.contains(&key) {
                continue;
            }
            let mut e = e.clone();
            e.from = from;
            e.to = to;
            edges.insert(key);
            view.edges.push(e);
        }
    }
    view
}

/// The evolution page: the union laid out once and drawn, every version's text and states.
///
/// # Errors
/// When a template (an override from `overrides`) fails.
pub fn page(
    evolution: &Evolution,
    direction: Direction,
    overrides: &std::collections::BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let laid_out = layout::layout(&evolution.view, LayoutOptions { direction });
    let svg = badges(
        &tag_titles(&render::svg::render(&evolution.view, &laid_out), evolution),
        &laid_out,
    );
    let count = evolution.versions.len();
    let first = evolution
        .versions
        .first()
        .map_or_else(String::new, |v| v.title.clone());
    let last = evolution
        .versions
        .last()
        .map_or_else(String::new, |v| v.title.clone());
    let versions = evolution
        .versions
        .iter()
        .enumerate()
        .map(|(k, v)| VersionPage {
            number: k + 1,
            anchor: format!("version-{}", k + 1),
            source: v.source.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            summary: v.diff.as_ref().map(report::summary),
            changes: v
                .diff
                .as_ref()
                .map(|d| {
                    report::lines(d)
                        .into_iter()
                        .map(|l| history_page::ChangeLine {
                            class: l.class,
                            nested: l.text.starts_with("    "),
                            text: l.text.trim_start().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            decisions: v
                .decisions
                .iter()
                .map(|d| DecisionEntry {
                    title: d.title.clone(),
                    context: d.context.clone(),
                    decision: d.decision.clone(),
                    consequences: d.consequences.clone(),
                    change: if v.new_decisions.contains(&d.title) {
                        Some("new")
                    } else if v.changed_decisions.contains(&d.title) {
                        Some("changed")
                    } else {
                        None
                    },
                })
                .collect(),
            dropped_decisions: v.dropped_decisions.clone(),
            counts: [State::Added, State::Removed, State::Changed].map(|s| {
                v.nodes
                    .iter()
                    .chain(&v.clusters)
                    .filter(|&&x| x == s)
                    .count()
            }),
        })
        .collect();
    let letters = |states: &[State]| states.iter().map(|s| s.letter()).collect::<String>();
    let label = |(index, label, detail): &(usize, String, Option<String>)| Label {
        index: *index,
        label: label.clone(),
        detail: detail.clone(),
    };
    let states = evolution
        .versions
        .iter()
        .map(|v| VersionStates {
            clusters: letters(&v.clusters),
            nodes: letters(&v.nodes),
            edges: letters(&v.edges),
            node_labels: v.node_labels.iter().map(label).collect(),
            cluster_labels: v.cluster_labels.iter().map(label).collect(),
        })
        .collect();
    let title = if first == last {
        first
    } else {
        format!("{first} → {last}")
    };
    history_page::render(
        &HistoryPage {
            title,
            count,
            svg,
            versions,
            states,
        },
        overrides,
    )
}

/// The SVG with each cluster's title (and detail) marked `data-c="{index}"`, so the page can
/// fade it with its box. The renderer writes them in cluster order inside `<g class="titles">`.
fn tag_titles(svg: &str, evolution: &Evolution) -> String {
    const OPEN: &str = "<g class=\"titles\">";
    let Some(start) = svg.find(OPEN).map(|s| s + OPEN.len()) else {
        return svg.to_owned();
    };
    let end = svg[start..].find("</g>").map_or(svg.len(), |e| start + e);
    let mut out = String::with_capacity(svg.len() + 16 * evolution.view.clusters.len());
    out.push_str(&svg[..start]);
    let mut rest = &svg[start..end];
    let mut cluster: Option<usize> = None;
    while let Some(at) = rest.find("<text class=\"") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("<text class=\"title\"") {
            cluster = Some(cluster.map_or(0, |c| c + 1));
        }
        let head = "<text";
        out.push_str(head);
        if let Some(c) = cluster {
            let _ = write!(out, " data-c=\"{c}\"");
        }
        rest = &tail[head.len()..];
    }
    out.push_str(rest);
    out.push_str(&svg[end..]);
    out
}

/// The SVG with an empty badge (`<text>`) by every node, box and edge, which the page fills
/// with `+`, `−` or `~` for each version: the second cue besides colour.
fn badges(svg: &str, laid_out: &Layout) -> String {
    let mut g = String::from("<g class=\"hx-badges\" aria-hidden=\"true\">");
    let num = |v: f64| format!("{v:.1}");
    for (i, r) in laid_out.nodes.iter().enumerate() {
        let _ = write!(
            g,
            "<text class=\"hx-badge\" id=\"hx-bn{i}\" x=\"{}\" y=\"{}\"></text>",
            num(r.x + 4.0),
            num(r.y + 13.0)
        );
    }
    for (i, r) in laid_out.clusters.iter().enumerate() {
        let _ = write!(
            g,
            "<text class=\"hx-badge\" id=\"hx-bc{i}\" x=\"{}\" y=\"{}\" text-anchor=\"end\"></text>",
            num(r.x + r.w - 6.0),
            num(r.y + 17.0)
        );
    }
    for (i, route) in laid_out.edges.iter().enumerate() {
        let Some(p) = route.points.get(route.points.len() / 2) else {
            continue;
        };
        let _ = write!(
            g,
            "<text class=\"hx-badge hx-edge-badge\" id=\"hx-be{i}\" x=\"{}\" y=\"{}\"></text>",
            num(p.x + 4.0),
            num(p.y - 4.0)
        );
    }
    g.push_str("</g>\n");
    match svg.rfind("</svg>") {
        Some(at) => format!("{}{g}{}", &svg[..at], &svg[at..]),
        None => svg.to_owned(),
    }
}
