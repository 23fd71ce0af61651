//! What changed in a block, in plain words, for `inject` and `inject --check`: components,
//! services and connections added, removed or changed.
//!
//! Diagrams are compared as architecture, never read back as Mermaid: each `flowchart` and
//! `sequence` block ends with a hidden line, `<!-- archflow-view {…} -->`, holding a
//! [`ViewSummary`] of what the block shows, made from the view it was drawn from. The summary in
//! the block as it was is compared with the summary of the view now. A diagram block without
//! that line (written by an older archflow, or edited by hand) gets no details. The components
//! table and the findings are compared as the Markdown archflow writes them.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::Kind;
use crate::text::json_in_script;
use crate::view::{ClusterKind, EdgeKind, View};

/// How the hidden line starts and ends.
const OPEN: &str = "<!-- archflow-view ";
const CLOSE: &str = " -->";

/// The version of the summary's format. A line of another version is not read.
const VERSION: u32 = 1;

/// A flowchart box: id, kind, name, detail.
type BoxEntry = (String, String, String, String);
/// A flowchart shape: id, kind, name, detail.
type ShapeEntry = (String, String, String, Option<String>);
/// A flowchart arrow: from id, to id, whether it is a start-order dependency, label.
type ArrowEntry = (String, String, bool, String);

/// What a diagram block shows, as recorded in its hidden line: compact JSON, with the names as
/// the model has them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSummary {
    /// The format's version: [`VERSION`].
    v: u32,
    /// The block's kind, as its begin marker names it (`flowchart`, `sequence FLOW`).
    block: String,
    /// Flowchart boxes (the ECS cluster, services, task definitions): id, kind, name, detail.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    boxes: Vec<BoxEntry>,
    /// Flowchart shapes (components): id, kind, name, detail.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    shapes: Vec<ShapeEntry>,
    /// Flowchart arrows: from id, to id, whether it is a start-order dependency, label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    arrows: Vec<ArrowEntry>,
    /// Sequence participants in order: name, label.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    participants: Vec<(String, String)>,
    /// Sequence steps: from, to, message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<(String, String, String)>,
    /// Sequence notes in order, each as a short digest of the text the diagram shows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

impl ViewSummary {
    /// The summary of what a block of `kind` shows for `view`; `None` for the kinds that carry
    /// none (the components table, the findings) and for a flow the view lacks.
    #[must_use]
    pub fn of(view: &View, kind: &Kind) -> Option<Self> {
        let mut summary = Self {
            v: VERSION,
            block: kind.to_string(),
            ..Self::default()
        };
        match kind {
            Kind::Flowchart => {
                summary.boxes = view
                    .clusters
                    .iter()
                    .map(|c| {
                        let kind = match c.kind {
                            ClusterKind::Cluster => "ECS cluster",
                            ClusterKind::Service => "service",
                            ClusterKind::Task => "task definition",
                        };
                        let detail = c.detail.clone().unwrap_or_default();
                        (c.id.clone(), kind.to_owned(), c.label.clone(), detail)
                    })
                    .collect();
                summary.shapes = view
                    .nodes
                    .iter()
                    .map(|n| {
                        let kind = n.kind.noun().to_owned();
                        (n.id.clone(), kind, n.label.clone(), n.detail.clone())
                    })
                    .collect();
                summary.arrows = view
                    .edges
                    .iter()
                    .map(|e| {
                        let label = e.label.clone().unwrap_or_default();
                        let dependency = e.kind == EdgeKind::DependsOn;
                        (e.from.clone(), e.to.clone(), dependency, label)
                    })
                    .collect();
            }
            Kind::Sequence { flow } => {
                let flow = view.flow(flow)?;
                // A participant's label is its node's (the last of that name, as drawn).
                let labels: HashMap<&str, &str> = view
                    .nodes
                    .iter()
                    .map(|n| (n.id.as_str(), n.label.as_str()))
                    .collect();
                summary.participants = flow
                    .participants()
                    .into_iter()
                    .map(|name| {
                        let label = labels.get(name).copied().unwrap_or(name);
                        (name.to_owned(), label.to_owned())
                    })
                    .collect();
                summary.steps = flow
                    .steps
                    .iter()
                    .map(|s| (s.from.clone(), s.to.clone(), s.message()))
                    .collect();
                summary.notes = flow
                    .steps
                    .iter()
                    .filter_map(|s| s.note.as_deref())
                    .map(digest)
                    .collect();
            }
            Kind::Components | Kind::Findings => return None,
        }
        Some(summary)
    }

    /// The hidden line that records this summary in a block: an HTML comment on one line, its
    /// JSON with `<`, `>` and `&` escaped, so that nothing in a name can end the comment.
    #[must_use]
    pub fn line(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{OPEN}{}{CLOSE}", json_in_script(&json))
    }

    /// The summary recorded in a block's content, if it holds a readable one.
    #[must_use]
    pub fn read(content: &str) -> Option<Self> {
        let json = content
            .lines()
            .rev()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(OPEN)?.strip_suffix(CLOSE))?;
        serde_json::from_str::<Self>(json)
            .ok()
            .filter(|s| s.v == VERSION)
    }
}

/// A note as the diagram shows it (on one line), as 16 hexadecimal digits of its SHA-256.
fn digest(note: &str) -> String {
    use sha2::Digest as _;
    let shown = note.split_whitespace().collect::<Vec<_>>().join(" ");
    let hash = sha2::Sha256::digest(shown.as_bytes());
    let mut first = [0; 8];
    first.copy_from_slice(&hash[..8]);
    format!("{:016x}", u64::from_be_bytes(first))
}

/// What changed from `old` to `new`, the contents of a block of `kind`, one phrase each, such as
/// ``added container `redis` `` or ``removed connection `Node.js REST API → MongoDB` (localhost:27017)``.
/// `now` is the summary of what the block shows now ([`ViewSummary::of`]). Empty when the texts
/// are equal, and when a diagram block held no summary of the same kind to compare with;
/// otherwise never empty.
#[must_use]
pub fn describe(kind: &Kind, old: &str, new: &str, now: Option<&ViewSummary>) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    if old.trim().is_empty() {
        return vec!["the block was empty".to_owned()];
    }
    let changes = match kind {
        Kind::Flowchart | Kind::Sequence { .. } => {
            let before = ViewSummary::read(old).filter(|s| s.block == kind.to_string());
            let (Some(before), Some(now)) = (before, now) else {
                return Vec::new();
            };
            if *kind == Kind::Flowchart {
                flowchart_changes(&before, now)
            } else {
                sequence_changes(&before, now)
            }
        }
        Kind::Components => table_changes(old, new),
        Kind::Findings => findings_changes(old, new),
    };
    if changes.is_empty() {
        let (a, b) = (old.lines().count(), new.lines().count());
        let what = match kind {
            Kind::Flowchart | Kind::Sequence { .. } => "the diagram's order or wording",
            Kind::Components | Kind::Findings => "the wording",
        };
        vec![format!(
            "{what} changed, nothing was added or removed ({a} lines before, {b} after)"
        )]
    } else {
        changes
    }
}

/// Boxes, shapes and arrows added, then removed, then changed.
fn flowchart_changes(old: &ViewSummary, new: &ViewSummary) -> Vec<String> {
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    let (old_boxes, new_boxes) = (boxes_by_id(&old.boxes), boxes_by_id(&new.boxes));
    for (id, &(kind, name, detail)) in &new_boxes {
        match old_boxes.get(id) {
            None => added.push(format!("added {kind} `{name}`")),
            Some(&(_, old_name, _)) if old_name != name => {
                changed.push(format!("renamed {kind} `{old_name}` to `{name}`"));
            }
            Some(&(_, _, old_detail)) if old_detail != detail => {
                changed.push(format!(
                    "changed {kind} `{name}`: `{old_detail}` → `{detail}`"
                ));
            }
            Some(_) => {}
        }
    }
    for (id, &(kind, name, _)) in &old_boxes {
        if !new_boxes.contains_key(id) {
            removed.push(format!("removed {kind} `{name}`"));
        }
    }
    let (old_shapes, new_shapes) = (shapes_by_id(&old.shapes), shapes_by_id(&new.shapes));
    for (id, &(kind, name, detail)) in &new_shapes {
        let Some(&(old_kind, old_name, old_detail)) = old_shapes.get(id) else {
            added.push(format!("added {kind} `{name}`"));
            continue;
        };
        if old_name != name {
            changed.push(format!("renamed {kind} `{old_name}` to `{name}`"));
        }
        if old_kind != kind {
            changed.push(format!(
                "`{name}` is now {} (was {})",
                with_article(kind),
                with_article(old_kind)
            ));
        }
        if old_detail != detail {
            let show = |d: Option<&str>| d.unwrap_or("nothing").to_owned();
            changed.push(format!(
                "changed {kind} `{name}`: `{}` → `{}`",
                show(old_detail),
                show(detail)
            ));
        }
    }
    for (id, &(kind, name, _)) in &old_shapes {
        if !new_shapes.contains_key(id) {
            removed.push(format!("removed {kind} `{name}`"));
        }
    }
    // Arrows between the same ends, of the same sort, compared by their labels.
    let (old_arrows, new_arrows) = (arrows_by_ends(&old.arrows), arrows_by_ends(&new.arrows));
    let name = |id: &'_ str| -> String {
        new_shapes
            .get(id)
            .or_else(|| old_shapes.get(id))
            .map_or(id, |&(_, name, _)| name)
            .to_owned()
    };
    let sort = |dependency: bool| {
        if dependency {
            "dependency"
        } else {
            "connection"
        }
    };
    let via = |label: &str| {
        if label.is_empty() {
            String::new()
        } else {
            format!(" ({label})")
        }
    };
    let mut keys: Vec<&(&str, &str, bool)> = new_arrows.keys().collect();
    keys.extend(old_arrows.keys().filter(|k| !new_arrows.contains_key(*k)));
    for key @ &(from, to, dependency) in keys {
        let ends = format!("{} → {}", name(from), name(to));
        let before = old_arrows.get(key).map_or(&[][..], Vec::as_slice);
        let after = new_arrows.get(key).map_or(&[][..], Vec::as_slice);
        if let ([a], [b]) = (before, after) {
            if a != b {
                changed.push(format!(
                    "changed {} `{ends}`: `{a}` → `{b}`",
                    sort(dependency)
                ));
            }
            continue;
        }
        for label in after.iter().filter(|l| !before.contains(l)) {
            added.push(format!("added {} `{ends}`{}", sort(dependency), via(label)));
        }
        for label in before.iter().filter(|l| !after.contains(l)) {
            removed.push(format!(
                "removed {} `{ends}`{}",
                sort(dependency),
                via(label)
            ));
        }
    }
    added.extend(removed);
    added.extend(changed);
    added
}

/// Boxes by id: (kind, name, detail).
fn boxes_by_id(boxes: &[BoxEntry]) -> IndexMap<&str, (&str, &str, &str)> {
    boxes
        .iter()
        .map(|(id, kind, name, detail)| {
            (id.as_str(), (kind.as_str(), name.as_str(), detail.as_str()))
        })
        .collect()
}

/// Shapes by id: (kind, name, detail).
fn shapes_by_id(shapes: &[ShapeEntry]) -> IndexMap<&str, (&str, &str, Option<&str>)> {
    shapes
        .iter()
        .map(|(id, kind, name, detail)| {
            (
                id.as_str(),
                (kind.as_str(), name.as_str(), detail.as_deref()),
            )
        })
        .collect()
}

/// The labels of the arrows between the same ends, of the same sort (from, to, dependency).
fn arrows_by_ends(arrows: &[ArrowEntry]) -> IndexMap<(&str, &str, bool), Vec<&str>> {
    let mut map: IndexMap<(&str, &str, bool), Vec<&str>> = IndexMap::new();
    for (from, to, dependency, label) in arrows {
        map.entry((from.as_str(), to.as_str(), *dependency))
            .or_default()
            .push(label.as_str());
    }
    map
}

/// Participants added or removed, steps added or removed (else reordered), notes changed.
fn sequence_changes(old: &ViewSummary, new: &ViewSummary) -> Vec<String> {
    let mut out = Vec::new();
    let labels = |s: &ViewSummary| -> Vec<String> {
        s.participants
            .iter()
            .map(|(_, label)| label.clone())
            .collect()
    };
    let (old_labels, new_labels) = (labels(old), labels(new));
    for l in new_labels.iter().filter(|l| !old_labels.contains(l)) {
        out.push(format!("added participant `{l}`"));
    }
    for l in old_labels.iter().filter(|l| !new_labels.contains(l)) {
        out.push(format!("removed participant `{l}`"));
    }
    let steps = |s: &ViewSummary| -> Vec<String> {
        let label = |name: &str| {
            s.participants
                .iter()
                .find(|(n, _)| n == name)
                .map_or_else(|| name.to_owned(), |(_, label)| label.clone())
        };
        s.steps
            .iter()
            .map(|(from, to, message)| format!("{} → {}: {message}", label(from), label(to)))
            .collect()
    };
    let (old_steps, new_steps) = (steps(old), steps(new));
    for s in multiset_minus(&new_steps, &old_steps) {
        out.push(format!("added step `{s}`"));
    }
    for s in multiset_minus(&old_steps, &new_steps) {
        out.push(format!("removed step `{s}`"));
    }
    if out.is_empty() && old_steps != new_steps {
        out.push("reordered the steps".to_owned());
    }
    if old.notes != new.notes {
        let changed = old
            .notes
            .iter()
            .zip(&new.notes)
            .filter(|(a, b)| a != b)
            .count()
            + old.notes.len().abs_diff(new.notes.len());
        out.push(format!(
            "changed {changed} note{}",
            if changed == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The items of `a` not matched one for one by items of `b`, in `a`'s order.
fn multiset_minus<'a>(a: &'a [String], b: &[String]) -> Vec<&'a str> {
    let mut left: Vec<Option<&String>> = b.iter().map(Some).collect();
    a.iter()
        .filter(
            |x| match left.iter_mut().find(|y| y.is_some_and(|y| y == *x)) {
                Some(slot) => {
                    *slot = None;
                    false
                }
                None => true,
            },
        )
        .map(String::as_str)
        .collect()
}

/// Markdown as `markdown::inline` escapes it, back to plain text.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A components table's rows by component name: the name is the last code span of the first
/// cell (`` **Label**<br>`name` `` or `` `name` ``).
fn table_changes(old: &str, new: &str) -> Vec<String> {
    fn rows(text: &str) -> BTreeMap<String, &str> {
        text.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Name |"))
            .map(|row| {
                let first = row[2..].split(" | ").next().unwrap_or_default();
                let name = first.rsplit("<br>").next().unwrap_or(first);
                let name = name.trim().trim_matches('`').trim().replace("\\|", "|");
                (name, row)
            })
            .collect()
    }
    let (old, new) = (rows(old), rows(new));
    let mut out = Vec::new();
    for (name, row) in &new {
        match old.get(name) {
            None => out.push(format!("added component `{name}`")),
            Some(before) if before != row => out.push(format!("changed component `{name}`")),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        out.push(format!("removed component `{name}`"));
    }
    out
}

/// Findings by severity, code, rule and message; where they are found is left out, so that a
/// finding that only moved is no change.
fn findings_changes(old: &str, new: &str) -> Vec<String> {
    fn items(text: &str) -> Vec<String> {
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("- **"))
            .map(|item| {
                let (severity, rest) = item.split_once("** ").unwrap_or(("", item));
                let (head, message) = match rest.find(" at `") {
                    Some(at) => {
                        let after = &rest[at + 5..];
                        let message = after.split_once("`: ").map_or(after, |(_, m)| m);
                        (&rest[..at], message)
                    }
                    None => (rest, ""),
                };
                format!("{severity} {}: {}", unescape(head), unescape(message))
            })
            .collect()
    }
    let (old, new) = (items(old), items(new));
    let mut out: Vec<String> = multiset_minus(&new, &old)
        .into_iter()
        .map(|f| format!("new {f}"))
        .collect();
    out.extend(
        multiset_minus(&old, &new)
            .into_iter()
            .map(|f| format!("gone {f}")),
    );
    if out.is_empty() {
        out.push("findings moved or were reordered".to_owned());
    }
    out
}

/// `a load balancer`, `an EFS file system`.
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

#[cfg(test)]
mod tests {
    use super::{Kind, ViewSummary, describe};
    use crate::source::Source;
    use crate::view::View;

    const REFERENCE: &str = include_str!("../../architecture.yaml");

    fn view(text: &str) -> View {
        let analysis = crate::analyze(&Source::new("architecture.yaml", text));
        View::build(&analysis.model.unwrap(), &analysis.graph.unwrap())
    }

    /// A block as `inject` writes it for `view`: some drawing, then the hidden line.
    fn block(view: &View, kind: &Kind, drawing: &str) -> (String, ViewSummary) {
        let summary = ViewSummary::of(view, kind).unwrap();
        (format!("{drawing}\n{}\n", summary.line()), summary)
    }

    fn sequence(
        participants: &[(&str, &str)],
        steps: &[(&str, &str, &str)],
        notes: &[&str],
    ) -> ViewSummary {
        ViewSummary {
            v: 1,
            block: "sequence f".to_owned(),
            participants: participants
                .iter()
                .map(|&(n, l)| (n.to_owned(), l.to_owned()))
                .collect(),
            steps: steps
                .iter()
                .map(|&(a, b, m)| (a.to_owned(), b.to_owned(), m.to_owned()))
                .collect(),
            notes: notes.iter().map(|&n| n.to_owned()).collect(),
            ..ViewSummary::default()
        }
    }

    #[test]
    fn the_hidden_line_holds_the_summary_safely() {
        let hostile = REFERENCE.replacen("label: MongoDB", "label: \"M-->o <b>&\\u202e\\n\"", 1);
        let view = view(&hostile);
        let summary = ViewSummary::of(&view, &Kind::Flowchart).unwrap();
        let line = summary.line();
        assert!(
            line.starts_with("<!-- archflow-view {\"v\":1,\"block\":\"flowchart\",\"boxes\":[")
        );
        assert!(line.ends_with("]} -->"));
        assert_eq!(line.matches("-->").count(), 1, "{line}");
        assert!(
            !line[4..].contains('<') && !line.contains(['\n', '\u{202e}']),
            "{line}"
        );
        // Read back from an indented CRLF block, the last such line counting.
        let content = format!("  ```mermaid\r\n  x\r\n  ```\r\n  {line}\r\n");
        assert_eq!(ViewSummary::read(&content), Some(summary.clone()));
        assert_eq!(ViewSummary::read("  ```\r\n  x\r\n"), None);
        let future = line.replacen("{\"v\":1", "{\"v\":2", 1);
        assert_eq!(ViewSummary::read(&future), None);
        assert_eq!(ViewSummary::of(&view, &Kind::Components), None);
    }

    #[test]
    fn flowchart_changes_name_components_and_connections() {
        let redis = "        - name: redis\n          image: redis:7\n          essential: false\n          \
                     portMappings:\n            - containerPort: 6379\n";
        let at = REFERENCE.find("        - name: mongodb\n").unwrap();
        let mut changed = REFERENCE.to_owned();
        changed.insert_str(at, redis);
        let changed = changed
            .replacen("desiredCount: 1", "desiredCount: 2", 1)
            .replacen("connectsTo: [mongodb]", "connectsTo: [redis]", 1)
            .replacen("image: mongo\n", "image: mongo:7\n", 1);
        let (old, _) = block(&view(REFERENCE), &Kind::Flowchart, "old");
        let (new, now) = block(&view(&changed), &Kind::Flowchart, "new");
        assert_eq!(
            describe(&Kind::Flowchart, &old, &new, Some(&now)),
            [
                "added container `redis`",
                "added connection `Node.js REST API → redis` (localhost:6379)",
                "removed connection `Node.js REST API → MongoDB` (localhost:27017)",
                "changed service `goals`: `service · FARGATE · 1 task` → `service · FARGATE · 2 tasks`",
                "changed database `MongoDB`: `mongo · TCP:27017` → `mongo:7 · TCP:27017`",
            ]
        );
    }

    #[test]
    fn an_unchanged_architecture_says_so() {
        let view = view(REFERENCE);
        let (old, now) = block(&view, &Kind::Flowchart, "one drawing");
        let new = old.replace("one drawing", "another\ndrawing");
        let said = describe(&Kind::Flowchart, &old, &new, Some(&now));
        assert_eq!(said.len(), 1);
        assert!(
            said[0].contains("nothing was added or removed (2 lines before, 3 after)"),
            "{said:?}"
        );
        assert!(describe(&Kind::Flowchart, &old, &old, Some(&now)).is_empty());
        assert_eq!(
            describe(&Kind::Flowchart, "\n", &old, Some(&now)),
            ["the block was empty"]
        );
    }

    #[test]
    fn a_block_without_a_summary_gets_no_details() {
        let view = view(REFERENCE);
        let (new, now) = block(&view, &Kind::Flowchart, "drawing");
        // Written by an older archflow: the drawing alone.
        assert!(describe(&Kind::Flowchart, "```mermaid\nold\n```\n", &new, Some(&now)).is_empty());
        // The summary of another block (the marker was changed by hand).
        let flow = Kind::Sequence {
            flow: "store-goal".to_owned(),
        };
        let (sequence, _) = block(&view, &flow, "drawing");
        assert!(describe(&Kind::Flowchart, &sequence, &new, Some(&now)).is_empty());
    }

    #[test]
    fn sequence_changes_name_steps() {
        let old = sequence(
            &[("u", "User"), ("a", "API")],
            &[("u", "a", "GET /x (HTTP:80)")],
            &["1"],
        );
        let new = sequence(
            &[("u", "User"), ("a", "API"), ("c", "Cache")],
            &[("u", "a", "GET /x (HTTP:80)"), ("a", "c", "get")],
            &["2"],
        );
        let kind = Kind::Sequence {
            flow: "f".to_owned(),
        };
        let text = |s: &ViewSummary| format!("drawing\n{}\n", s.line());
        assert_eq!(
            describe(&kind, &text(&old), &text(&new), Some(&new)),
            [
                "added participant `Cache`",
                "added step `API → Cache: get`",
                "changed 1 note"
            ]
        );
        let swapped = sequence(
            &[("u", "User"), ("a", "API")],
            &[("a", "u", "x"), ("u", "a", "y")],
            &[],
        );
        let straight = sequence(
            &[("u", "User"), ("a", "API")],
            &[("u", "a", "y"), ("a", "u", "x")],
            &[],
        );
        assert_eq!(
            describe(&kind, &text(&straight), &text(&swapped), Some(&swapped)),
            ["reordered the steps"]
        );
    }

    #[test]
    fn sequence_summaries_come_from_the_flow() {
        let view = view(REFERENCE);
        let kind = Kind::Sequence {
            flow: "store-goal".to_owned(),
        };
        let summary = ViewSummary::of(&view, &kind).unwrap();
        assert_eq!(
            summary.participants[0],
            ("user".to_owned(), "API client".to_owned())
        );
        assert_eq!(
            summary.steps[0],
            (
                "user".to_owned(),
                "goals-alb".to_owned(),
                "POST /goals (HTTP:80)".to_owned()
            )
        );
        assert_eq!(summary.notes.len(), summary.steps.len());
        assert!(summary.notes.iter().all(|n| n.len() == 16));
        let unknown = Kind::Sequence {
            flow: "nope".to_owned(),
        };
        assert_eq!(ViewSummary::of(&view, &unknown), None);
    }

    #[test]
    fn table_and_findings_changes() {
        let old = "| Name | Kind |\n|---|---|\n| `a` | container |\n| **B**<br>`b` | database |\n";
        let new = "| Name | Kind |\n|---|---|\n| `a` | database |\n| `c` | volume |\n";
        assert_eq!(
            describe(&Kind::Components, old, new, None),
            [
                "changed component `a`",
                "added component `c`",
                "removed component `b`"
            ]
        );
        let old = "The check reports 1 warning.\n\n- **warning** `A010` single\\-task at \
                   `m.yaml:3:4`: service `x` runs one task\n";
        let moved = old.replace(":3:4", ":5:4");
        assert_eq!(
            describe(&Kind::Findings, old, &moved, None),
            ["findings moved or were reordered"]
        );
        assert_eq!(
            describe(&Kind::Findings, old, "No findings.\n", None),
            ["gone warning `A010` single-task: service `x` runs one task"]
        );
    }
}
