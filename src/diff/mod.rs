//! Diff stage: what changed between two analyses of a model, as plain data ([`ModelDiff`]).
//!
//! Components are matched by id; those left over on each side are matched by moving (the same
//! name and kind in another service), then by identity (an AWS ARN, or a container's image and
//! ports), then by identical content: those are moved or renamed, not removed and added.
//! Connections and flow steps are compared after renaming the old side's names to the new
//! ones. [`picture`] draws both sides as one view; [`report`] writes the text formats.

pub mod history;
pub mod picture;
mod records;
pub mod report;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::model::Kind;
use crate::pipeline::Analysis;
use crate::view::View;
use records::Record;

/// What happened to a component, connection, flow or step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Added,
    Removed,
    /// Fields changed, nothing else.
    Changed,
    /// Now in another service (or listener of another load balancer); fields may have changed.
    Moved,
    /// Found under another name by its identity; it may also have moved or changed.
    Renamed,
}

impl Change {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
            Self::Moved => "moved",
            Self::Renamed => "renamed",
        }
    }
}

/// One field of a component, with its value on each side (`None`: not set), as compact JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A component that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComponentChange {
    pub change: Change,
    /// `container`, `service`, … (see [`Kind::as_str`]).
    pub kind: Kind,
    /// Its id on the new side (the old side's when removed): `service/container` for containers
    /// and volumes.
    pub name: String,
    /// Its id on the old side, when renamed or moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_name: Option<String>,
    /// The service (or load balancer) it was in, when moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    /// The service (or load balancer) it is in now, when moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// The fields that differ (for `changed`, `moved` and `renamed`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Its id in the side's view (node id, or `service:NAME` / `task:FAMILY`).
    #[serde(skip)]
    pub view_id: String,
    /// Its id in the old side's view, when it is on both sides.
    #[serde(skip)]
    pub old_view_id: Option<String>,
}

/// A connection drawn between two components (a call, a route, a mount, a dependency).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ConnectionChange {
    pub change: Change,
    pub from: String,
    pub to: String,
    pub kind: crate::view::EdgeKind,
    pub label: Option<String>,
}

/// A flow step added, removed or changed, as `from → to: message` (the new message when
/// changed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepChange {
    pub change: Change,
    pub from: String,
    pub to: String,
    pub message: String,
    /// For a changed step (the same hop in the same place): `action`, `protocol`, `port` and
    /// `note` where they differ, strings as JSON.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// A flow added, removed, or whose steps changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowChange {
    pub change: Change,
    pub name: String,
    pub steps: Vec<StepChange>,
}

/// Whether a finding is new with the change, or gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingChangeKind {
    Introduced,
    Fixed,
}

/// A finding introduced or fixed by the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    pub change: FindingChangeKind,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Where it is (on the new side when introduced, the old when fixed).
    pub line: usize,
}

/// Everything that differs between two versions of a model. Every list is in a fixed order.
#[derive(Clone, Debug, Serialize)]
pub struct ModelDiff {
    /// The format of this JSON: 1.
    pub version: u32,
    /// The sides as given (`architecture.yaml`, `main:architecture.yaml`).
    pub old: String,
    pub new: String,
    /// The model's own fields (`name`, `description`, `cluster`, `version`).
    pub model: Vec<FieldChange>,
    /// By kind (in tier order), then name.
    pub components: Vec<ComponentChange>,
    pub connections: Vec<ConnectionChange>,
    /// In the new side's order, removed flows last.
    pub flows: Vec<FlowChange>,
    pub findings: Vec<FindingChange>,
}

/// How many of each kind of change, for summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub moved: usize,
    pub renamed: usize,
    pub connections: usize,
    pub flows: usize,
    pub introduced: usize,
    pub fixed: usize,
}

impl ModelDiff {
    /// Whether the two sides are the same model.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.model.is_empty()
            && self.components.is_empty()
            && self.connections.is_empty()
            && self.flows.is_empty()
            && self.findings.is_empty()
    }

    /// Whether the change brings a finding the old side did not have.
    #[must_use]
    pub fn introduces_findings(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.change == FindingChangeKind::Introduced)
    }

    #[must_use]
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            connections: self.connections.len(),
            flows: self.flows.len(),
            ..Counts::default()
        };
        for component in &self.components {
            match component.change {
                Change::Added => c.added += 1,
                Change::Removed => c.removed += 1,
                Change::Changed => c.changed += 1,
                Change::Moved => c.moved += 1,
                Change::Renamed => c.renamed += 1,
            }
        }
        for f in &self.findings {
            match f.change {
                FindingChangeKind::Introduced => c.introduced += 1,
                FindingChangeKind::Fixed => c.fixed += 1,
            }
        }
        c
    }
}

/// Both sides' views, for [`picture::union`].
pub struct Sides {
    pub old: View,
    pub new: View,
}

/// Compare two analyses. `old_name` and `new_name` are how the sides are shown.
///
/// # Errors
/// When a side did not load.
pub fn compare(old: &Analysis, new: &Analysis) -> Result<(ModelDiff, Sides), Error> {
    let (old_same, new_same) = unchanged_services(old, new);
    let load = |a: &Analysis, same: &HashSet<usize>| -> Result<(records::Side, View), Error> {
        let not_loaded = || Error::NotLoaded {
            path: a.source.path.clone(),
        };
        let model = a.model.as_ref().ok_or_else(not_loaded)?;
        let view = a.view().ok_or_else(not_loaded)?;
        Ok((records::side(model, same)?, view))
    };
    // The two sides on two threads: for a large model, each takes as long as the rest.
    let (old_loaded, new_loaded) =
        crate::parallel::join(|| load(old, &old_same), || load(new, &new_same));
    let (old_side, old_view) = old_loaded?;
    let (new_side, new_view) = new_loaded?;
    let model = field_changes(&old_side.model, &new_side.model);
    let (components, renames) = components(&old_side.records, &new_side.records);
    let rename = |name: &str| {
        renames
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    };
    let connections = connections(&old_view, &new_view, &renames);
    let flows = flows(&old_view, &new_view, &rename);
    let findings = findings(old, new);
    Ok((
        ModelDiff {
            version: 1,
            old: old.source.path.clone(),
            new: new.source.path.clone(),
            model,
            components,
            connections,
            flows,
            findings,
        },
        Sides {
            old: old_view,
            new: new_view,
        },
    ))
}

/// The services that are the same on both sides, by index on each side: those whose item in
/// the `services:` list has the same text on both sides, whose name and task family no other
/// service shares on either side, and whose containers and volumes keep their ids in the view
/// (a short name shared on one side only is qualified there). Their records would match one to
/// one with no change, so they are not made: at thousands of services, making records is most
/// of a comparison's time. Empty when either text has an anchor (an item's value could then
/// come from elsewhere) or no block list.
fn unchanged_services(old: &Analysis, new: &Analysis) -> (HashSet<usize>, HashSet<usize>) {
    let none = || (HashSet::new(), HashSet::new());
    let (Some(om), Some(nm)) = (old.model.as_ref(), new.model.as_ref()) else {
        return none();
    };
    let (ot, nt) = (&old.source.text, &new.source.text);
    if ot.contains('&') || nt.contains('&') {
        return none();
    }
    let (Some(oi), Some(ni)) = (
        crate::syntax::service_items(ot),
        crate::syntax::service_items(nt),
    ) else {
        return none();
    };
    let (os, ns) = (&om.doc.services, &nm.doc.services);
    if oi.len() != os.len() || ni.len() != ns.len() {
        return none();
    }
    // How many services use each name and each family, on either side.
    let mut uses: HashMap<(bool, &str), usize> = HashMap::new();
    for s in os.iter().chain(ns) {
        *uses.entry((true, &s.service_name.value)).or_default() += 1;
        *uses
            .entry((false, &s.task_definition.family.value))
            .or_default() += 1;
    }
    let new_at: HashMap<&str, usize> = ns
        .iter()
        .enumerate()
        .map(|(j, s)| (s.service_name.value.as_str(), j))
        .collect();
    // The same text gives the same containers and volumes: their view ids differ only where a
    // short name is shared on one side and not on the other.
    let same_ids = |s: &crate::syntax::document::Service| {
        let task = &s.task_definition;
        task.container_definitions
            .iter()
            .map(|c| &c.name.value)
            .chain(task.volumes.iter().map(|v| &v.name.value))
            .all(|short| om.is_shared(short) == nm.is_shared(short))
    };
    let mut same = none();
    for (i, s) in os.iter().enumerate() {
        let name = s.service_name.value.as_str();
        let Some(&j) = new_at.get(name) else {
            continue;
        };
        let family = s.task_definition.family.value.as_str();
        if uses.get(&(true, name)) == Some(&2)
            && uses.get(&(false, family)) == Some(&2)
            && oi[i] == ni[j]
            && same_ids(s)
        {
            same.0.insert(i);
            same.1.insert(j);
        }
    }
    same
}

fn field_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (field, value) in old {
        match new.get(field) {
            Some(v) if v == value => {}
            other => out.push(FieldChange {
                field: field.clone(),
                old: Some(value.clone()),
                new: other.cloned(),
            }),
        }
    }
    for (field, value) in new {
        if !old.contains_key(field) {
            out.push(FieldChange {
                field: field.clone(),
                old: None,
                new: Some(value.clone()),
            });
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// The component changes, and the renames of view ids (old → new) for connections and steps.
fn components(old: &[Record], new: &[Record]) -> (Vec<ComponentChange>, HashMap<String, String>) {
    let by_id = |records: &[Record]| -> HashMap<(Kind, String), usize> {
        let mut map = HashMap::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            map.entry((r.kind, r.id.clone())).or_insert(i);
        }
        map
    };
    let new_ids = by_id(new);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_left = Vec::new();
    let mut new_used = vec![false; new.len()];
    let mut old_seen = HashSet::new();
    for (i, r) in old.iter().enumerate() {
        if !old_seen.insert((r.kind, r.id.as_str())) {
            continue;
        }
        match new_ids.get(&(r.kind, r.id.clone())) {
            Some(&j) if !new_used[j] => {
                new_used[j] = true;
                pairs.push((i, j));
            }
            _ => old_left.push(i),
        }
    }
    let mut new_left: Vec<usize> = (0..new.len()).filter(|&j| !new_used[j]).collect();
    // Left over on both sides: matched when exactly one on each side shares the key.
    let keys: [&MatchKey; 3] = [
        &|r| (r.kind.is_scoped() || r.kind == Kind::Listener).then(|| r.short.clone()),
        &|r| r.identity.clone(),
        &|r| (!r.fields.is_empty()).then(|| format!("{:?}", r.fields)),
    ];
    for key in keys {
        let group = |left: &[usize], records: &[Record]| {
            let mut map: BTreeMap<(Kind, String), Vec<usize>> = BTreeMap::new();
            for &i in left {
                if let Some(k) = key(&records[i]) {
                    map.entry((records[i].kind, k)).or_default().push(i);
                }
            }
            map
        };
        let (o, n) = (group(&old_left, old), group(&new_left, new));
        let mut matched = Vec::new();
        for (k, is) in &o {
            if let (&[i], Some(&[j])) = (is.as_slice(), n.get(k).map(Vec::as_slice)) {
                matched.push((i, j));
            }
        }
        matched.sort_unstable();
        for &(i, j) in &matched {
            pairs.push((i, j));
        }
        old_left.retain(|i| !matched.iter().any(|m| m.0 == *i));
        new_left.retain(|j| !matched.iter().any(|m| m.1 == *j));
    }
    let mut renames = HashMap::new();
    let mut out = Vec::new();
    for (i, j) in pairs {
        let (a, b) = (&old[i], &new[j]);
        let fields = field_changes(&a.fields, &b.fields);
        let moved = a.parent != b.parent;
        let new_name = a.short != b.short;
        if a.view_id != b.view_id {
            renames.insert(a.view_id.clone(), b.view_id.clone());
        }
        let change = if new_name {
            Change::Renamed
        } else if moved {
            Change::Moved
        } else if !fields.is_empty() {
            Change::Changed
        } else {
            continue;
        };
        out.push(ComponentChange {
            change,
            kind: b.kind,
            name: b.id.clone(),
            old_name: (a.id != b.id).then(|| a.id.clone()),
            moved_from: if moved { a.parent.clone() } else { None },
            moved_to: if moved { b.parent.clone() } else { None },
            fields,
            view_id: b.view_id.clone(),
            old_view_id: Some(a.view_id.clone()),
        });
    }
    let plain = |r: &Record, change| ComponentChange {
        change,
        kind: r.kind,
        name: r.id.clone(),
        old_name: None,
        moved_from: None,
        moved_to: None,
        fields: Vec::new(),
        view_id: r.view_id.clone(),
        old_view_id: None,
    };
    out.extend(old_left.iter().map(|&i| plain(&old[i], Change::Removed)));
    out.extend(new_left.iter().map(|&j| plain(&new[j], Change::Added)));
    out.sort_by(|a, b| (a.kind, &a.name, a.change).cmp(&(b.kind, &b.name, b.change)));
    (out, renames)
}

/// What two left-over records must share to be one component.
type MatchKey = dyn Fn(&Record) -> Option<String>;

/// An edge as its ends, kind and label, borrowed from its view.
pub(crate) type EdgeKey<'v> = (&'v str, &'v str, crate::view::EdgeKind, Option<&'v str>);

/// The edges of a view as keys, in order, the ends renamed by `renames` (old → new view id)
/// when given. Borrowed: a large model has hundreds of thousands of edges.
pub(crate) fn edge_keys<'v>(
    view: &'v View,
    renames: Option<&'v HashMap<String, String>>,
) -> impl Iterator<Item = EdgeKey<'v>> {
    let name = move |n: &'v String| -> &'v str {
        renames
            .and_then(|r| r.get(n))
            .map_or(n.as_str(), String::as_str)
    };
    view.edges
        .iter()
        .map(move |e| (name(&e.from), name(&e.to), e.kind, e.label.as_deref()))
}

fn connections(old: &View, new: &View, renames: &HashMap<String, String>) -> Vec<ConnectionChange> {
    let keys = |view, renames| edge_keys(view, renames).collect::<HashSet<_>>();
    let (before, after) = (keys(old, Some(renames)), keys(new, None));
    let mut out: Vec<ConnectionChange> = before
        .difference(&after)
        .map(|e| (Change::Removed, e))
        .chain(after.difference(&before).map(|e| (Change::Added, e)))
        .map(|(change, &(from, to, kind, label))| ConnectionChange {
            change,
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            label: label.map(str::to_owned),
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.from, &a.to, a.kind, &a.label, a.change)
            .cmp(&(&b.from, &b.to, b.kind, &b.label, b.change))
    });
    out
}

/// A step's fields that a diff compares besides its ends: action, protocol, port, note, and
/// the groups it is in (`in`: "Alternative — goal cached › Repeated — each page").
fn step_fields(
    flow: &crate::view::FlowView,
    step: &crate::view::StepView,
) -> BTreeMap<String, String> {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| s.to_owned());
    let mut out = BTreeMap::new();
    if !step.groups.is_empty() {
        let within: Vec<String> = step
            .groups
            .iter()
            .map(|g| flow.branch_heading(g.group, g.branch))
            .collect();
        out.insert("in".to_owned(), json(&within.join(" › ")));
    }
    if let Some(action) = &step.action {
        out.insert("action".to_owned(), json(action));
    }
    if let Some(via) = &step.via {
        // `protocol:port`, `protocol` or `:port` (see `View::build`).
        let (protocol, port) = match via.rsplit_once(':') {
            Some((p, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => (p, Some(n)),
            _ => (via.as_str(), None),
        };
        if !protocol.is_empty() {
            out.insert("protocol".to_owned(), json(protocol));
        }
        if let Some(port) = port {
            out.insert("port".to_owned(), port.to_owned());
        }
    }
    if let Some(note) = &step.note {
        out.insert("note".to_owned(), json(note));
    }
    out
}

/// The flows' changes. Steps are aligned by their hops (`from → to`, after renames): a hop in
/// the same place whose action, protocol, port or note differ is a changed step; the rest are
/// added or removed.
fn flows(old: &View, new: &View, rename: &dyn Fn(&str) -> String) -> Vec<FlowChange> {
    type Hop = (String, String);
    let hops = |f: &crate::view::FlowView, rename: &dyn Fn(&str) -> String| -> Vec<Hop> {
        f.steps
            .iter()
            .map(|s| (rename(&s.from), rename(&s.to)))
            .collect()
    };
    let plain = |hop: &Hop, step: &crate::view::StepView, change| StepChange {
        change,
        from: hop.0.clone(),
        to: hop.1.clone(),
        message: step.message(),
        fields: Vec::new(),
    };
    let same = |s: &str| s.to_owned();
    let mut out = Vec::new();
    for flow in &new.flows {
        let after = hops(flow, &same);
        let Some(old_flow) = old.flow(&flow.name) else {
            out.push(FlowChange {
                change: Change::Added,
                name: flow.name.clone(),
                steps: after
                    .iter()
                    .zip(&flow.steps)
                    .map(|(h, s)| plain(h, s, Change::Added))
                    .collect(),
            });
            continue;
        };
        let before = hops(old_flow, rename);
        let mut changed = Vec::new();
        let removed = |range: std::ops::Range<usize>, changed: &mut Vec<StepChange>| {
            for i in range {
                changed.push(plain(&before[i], &old_flow.steps[i], Change::Removed));
            }
        };
        let added = |range: std::ops::Range<usize>, changed: &mut Vec<StepChange>| {
            for i in range {
                changed.push(plain(&after[i], &flow.steps[i], Change::Added));
            }
        };
        for op in similar::capture_diff_slices(similar::Algorithm::Myers, &before, &after) {
            match op {
                similar::DiffOp::Delete {
                    old_index, old_len, ..
                } => removed(old_index..old_index + old_len, &mut changed),
                similar::DiffOp::Insert {
                    new_index, new_len, ..
                } => added(new_index..new_index + new_len, &mut changed),
                similar::DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    removed(old_index..old_index + old_len, &mut changed);
                    added(new_index..new_index + new_len, &mut changed);
                }
                similar::DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let (a, b) = (&old_flow.steps[old_index + k], &flow.steps[new_index + k]);
                        let fields =
                            field_changes(&step_fields(old_flow, a), &step_fields(flow, b));
                        if !fields.is_empty() {
                            changed.push(StepChange {
                                fields,
                                ..plain(&after[new_index + k], b, Change::Changed)
                            });
                        }
                    }
                }
            }
        }
        if !changed.is_empty() {
            out.push(FlowChange {
                change: Change::Changed,
                name: flow.name.clone(),
                steps: changed,
            });
        }
    }
    for flow in &old.flows {
        if new.flow(&flow.name).is_none() {
            out.push(FlowChange {
                change: Change::Removed,
                name: flow.name.clone(),
                steps: hops(flow, rename)
                    .iter()
                    .zip(&flow.steps)
                    .map(|(h, s)| plain(h, s, Change::Removed))
                    .collect(),
            });
        }
    }
    out
}

fn findings(old: &Analysis, new: &Analysis) -> Vec<FindingChange> {
    type Key<'a> = (&'a str, Severity, &'a str);
    let count = |a: &'_ Analysis| {
        let mut map: HashMap<(String, Severity, String), usize> = HashMap::new();
        for d in &a.diagnostics {
            *map.entry((d.code.to_owned(), d.severity, d.message.clone()))
                .or_default() += 1;
        }
        map
    };
    let (before, after) = (count(old), count(new));
    let mut out = Vec::new();
    let mut left = |a: &Analysis, other: &HashMap<(String, Severity, String), usize>, change| {
        let mut seen: HashMap<Key<'_>, usize> = HashMap::new();
        for d in &a.diagnostics {
            let k = (d.code, d.severity, d.message.as_str());
            let n = seen.entry(k).or_default();
            *n += 1;
            let there = other
                .get(&(d.code.to_owned(), d.severity, d.message.clone()))
                .copied()
                .unwrap_or(0);
            if *n > there {
                out.push(FindingChange {
                    change,
                    code: d.code.to_owned(),
                    severity: d.severity,
                    message: d.message.clone(),
                    line: a.source.line_col(d.primary.span.start).line,
                });
            }
        }
    };
    left(new, &before, FindingChangeKind::Introduced);
    left(old, &after, FindingChangeKind::Fixed);
    out
}
