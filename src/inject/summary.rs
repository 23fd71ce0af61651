//! What changed in a block, in plain words, for `inject --check`: the generated text is read
//! back (archflow's own Mermaid and Markdown, not Mermaid or Markdown in general) and compared
//! as architecture: components, services and connections added, removed or changed.

use std::collections::BTreeMap;

use super::Kind;

/// What changed from `old` to `new`, the contents of a block of `kind`, one phrase each, such as
/// ``added container `redis` `` or ``removed connection `Node.js REST API → MongoDB` (TCP:27017)``.
/// Never empty when the texts differ; empty when they are equal.
#[must_use]
pub fn describe(kind: &Kind, old: &str, new: &str) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    if old.trim().is_empty() {
        return vec!["the block was empty".to_owned()];
    }
    let changes = match kind {
        Kind::Flowchart => {
            let (old, new) = (Chart::parse(old), Chart::parse(new));
            if old.is_empty() {
                vec!["the block held no archflow flowchart".to_owned()]
            } else {
                old.changes(&new)
            }
        }
        Kind::Sequence { .. } => sequence_changes(old, new),
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

/// Text written with `mermaid::text`, back to what it was: `#NNN;` entity codes decoded.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let decoded = (digits > 0 && after[digits..].starts_with(';'))
            .then(|| after[..digits].parse::<u32>().ok().and_then(char::from_u32))
            .flatten();
        if let Some(ch) = decoded {
            out.push(ch);
            rest = &after[digits + 1..];
        } else {
            out.push('#');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A Mermaid id at the start of `s` (`n_…`), and the rest.
fn id(s: &str) -> Option<(&str, &str)> {
    if !s.starts_with("n_") {
        return None;
    }
    let len = s.len()
        - s.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .len();
    Some((&s[..len], &s[len..]))
}

/// The text between the first and the last `"` of `s`.
fn quoted(s: &str) -> Option<&str> {
    let (start, end) = (s.find('"')?, s.rfind('"')?);
    (end > start).then(|| &s[start + 1..end])
}

#[derive(Debug, PartialEq, Eq)]
struct Node {
    kind: &'static str,
    name: String,
    detail: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
struct Group {
    kind: String,
    name: String,
    detail: String,
}

/// A flowchart as `mermaid::flowchart` writes it.
#[derive(Debug, Default)]
struct Chart {
    groups: BTreeMap<String, Group>,
    nodes: BTreeMap<String, Node>,
    /// (from, to, dashed) → the labels of the edges between them.
    edges: BTreeMap<(String, String, bool), Vec<String>>,
}

impl Chart {
    fn parse(text: &str) -> Self {
        let mut chart = Self::default();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("subgraph ") {
                let (Some((id, _)), Some(label)) = (id(rest), quoted(rest)) else {
                    continue;
                };
                // `NAME · DETAIL`; a ` · ` in the name itself is written `#183;`.
                let (name, detail) = label.split_once(" · ").unwrap_or((label, ""));
                let detail = decode(detail);
                let kind = detail.split(" · ").next().unwrap_or_default().to_owned();
                chart.groups.insert(
                    id.to_owned(),
                    Group {
                        kind,
                        name: decode(name),
                        detail,
                    },
                );
                continue;
            }
            let Some((from, rest)) = id(line) else {
                continue;
            };
            if rest.starts_with(' ') {
                if let Some((key, label)) = edge(from, rest.trim_start()) {
                    chart.edges.entry(key).or_default().push(label);
                }
            } else if let Some(node) = node(rest) {
                chart.nodes.insert(from.to_owned(), node);
            }
        }
        chart
    }

    fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.nodes.is_empty() && self.edges.is_empty()
    }

    fn name<'a>(&'a self, other: &'a Self, id: &'a str) -> &'a str {
        self.nodes
            .get(id)
            .or_else(|| other.nodes.get(id))
            .map_or_else(|| id.trim_start_matches("n_"), |n| n.name.as_str())
    }

    /// The changes from `self` to `new`: what was added, then removed, then changed.
    fn changes(&self, new: &Self) -> Vec<String> {
        let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
        for (id, g) in &new.groups {
            match self.groups.get(id) {
                None => added.push(format!("added {} `{}`", g.kind, g.name)),
                Some(old) if old.name != g.name => {
                    changed.push(format!("renamed {} `{}` to `{}`", g.kind, old.name, g.name));
                }
                Some(old) if old.detail != g.detail => changed.push(format!(
                    "changed {} `{}`: `{}` → `{}`",
                    g.kind, g.name, old.detail, g.detail
                )),
                Some(_) => {}
            }
        }
        for (id, g) in &self.groups {
            if !new.groups.contains_key(id) {
                removed.push(format!("removed {} `{}`", g.kind, g.name));
            }
        }
        for (id, n) in &new.nodes {
            let Some(old) = self.nodes.get(id) else {
                added.push(format!("added {} `{}`", n.kind, n.name));
                continue;
            };
            if old.name != n.name {
                changed.push(format!("renamed {} `{}` to `{}`", n.kind, old.name, n.name));
            }
            if old.kind != n.kind {
                changed.push(format!(
                    "`{}` is now a {} (was a {})",
                    n.name, n.kind, old.kind
                ));
            }
            if old.detail != n.detail {
                let show = |d: &Option<String>| d.as_deref().unwrap_or("nothing").to_owned();
                changed.push(format!(
                    "changed {} `{}`: `{}` → `{}`",
                    n.kind,
                    n.name,
                    show(&old.detail),
                    show(&n.detail)
                ));
            }
        }
        for (id, n) in &self.nodes {
            if !new.nodes.contains_key(id) {
                removed.push(format!("removed {} `{}`", n.kind, n.name));
            }
        }
        let connection = |dashed: bool| if dashed { "dependency" } else { "connection" };
        let via = |label: &str| {
            if label.is_empty() {
                String::new()
            } else {
                format!(" ({label})")
            }
        };
        let empty = Vec::new();
        let mut keys: Vec<&(String, String, bool)> = new.edges.keys().collect();
        keys.extend(self.edges.keys().filter(|k| !new.edges.contains_key(*k)));
        for key in keys {
            let (from, to, dashed) = key;
            let ends = format!("{} → {}", new.name(self, from), new.name(self, to));
            let before = self.edges.get(key).unwrap_or(&empty);
            let after = new.edges.get(key).unwrap_or(&empty);
            if let ([a], [b]) = (before.as_slice(), after.as_slice()) {
                if a != b {
                    changed.push(format!(
                        "changed {} `{ends}`: `{a}` → `{b}`",
                        connection(*dashed)
                    ));
                }
                continue;
            }
            for label in after.iter().filter(|l| !before.contains(l)) {
                added.push(format!(
                    "added {} `{ends}`{}",
                    connection(*dashed),
                    via(label)
                ));
            }
            for label in before.iter().filter(|l| !after.contains(l)) {
                removed.push(format!(
                    "removed {} `{ends}`{}",
                    connection(*dashed),
                    via(label)
                ));
            }
        }
        added.extend(removed);
        added.extend(changed);
        added
    }
}

/// `-->|"LABEL"| n_to` or `-.-> n_to` after an edge's source.
fn edge(from: &str, rest: &str) -> Option<((String, String, bool), String)> {
    let (dashed, rest) = match rest.strip_prefix("-.->") {
        Some(rest) => (true, rest),
        None => (false, rest.strip_prefix("-->")?),
    };
    let (label, rest) = match rest.strip_prefix("|\"") {
        Some(labelled) => {
            let end = labelled.find("\"|")?;
            (decode(&labelled[..end]), &labelled[end + 2..])
        }
        None => (String::new(), rest),
    };
    let (to, after) = id(rest.trim_start())?;
    after
        .trim()
        .is_empty()
        .then(|| ((from.to_owned(), to.to_owned(), dashed), label))
}

/// A node's shape and `"NAME<br/><small>DETAIL</small>"` label, after its id.
fn node(rest: &str) -> Option<Node> {
    let label = quoted(rest)?;
    let close = &rest[rest.rfind('"')? + 1..];
    let kind = match (rest.split('"').next()?, close) {
        ("([", _) => "actor",
        ("{{", _) => "load balancer",
        (">", _) => "listener",
        ("[/", "\\]") => "file system",
        ("[/", _) => "target group",
        ("[(", _) => "database",
        ("[[", _) => "volume",
        ("(", _) => "container",
        _ => return None,
    };
    let (name, detail) = match label.split_once("<br/>") {
        Some((name, detail)) => {
            let detail = detail.trim_start_matches("<small>");
            let detail = detail.strip_suffix("</small>").unwrap_or(detail);
            (name, Some(decode(detail)))
        }
        None => (label, None),
    };
    Some(Node {
        kind,
        name: decode(name),
        detail,
    })
}

/// Participants added or removed, steps added or removed, else notes changed.
fn sequence_changes(old: &str, new: &str) -> Vec<String> {
    struct Diagram {
        names: BTreeMap<String, String>,
        steps: Vec<(String, String, String)>,
        notes: Vec<String>,
    }
    fn parse(text: &str) -> Diagram {
        let mut d = Diagram {
            names: BTreeMap::new(),
            steps: Vec::new(),
            notes: Vec::new(),
        };
        for line in text.lines().map(str::trim) {
            let declared = line
                .strip_prefix("participant ")
                .or_else(|| line.strip_prefix("actor "));
            if let Some(rest) = declared {
                if let Some((id, name)) = rest.split_once(" as ") {
                    d.names.insert(id.to_owned(), decode(name));
                }
            } else if line.starts_with("Note ") {
                d.notes.push(line.to_owned());
            } else if let Some((from, rest)) = id(line) {
                let rest = rest
                    .strip_prefix("-->>")
                    .or_else(|| rest.strip_prefix("->>"));
                if let Some((to, message)) = rest.and_then(|r| r.split_once(": ")) {
                    d.steps
                        .push((from.to_owned(), to.to_owned(), decode(message)));
                }
            }
        }
        d
    }
    let (old, new) = (parse(old), parse(new));
    if old.names.is_empty() && old.steps.is_empty() {
        return vec!["the block held no archflow sequence diagram".to_owned()];
    }
    let mut out = Vec::new();
    let name = |d: &Diagram, id: &str| {
        d.names
            .get(id)
            .map_or_else(|| id.trim_start_matches("n_").to_owned(), Clone::clone)
    };
    let old_names: Vec<&String> = old.names.values().collect();
    let new_names: Vec<&String> = new.names.values().collect();
    for n in new_names.iter().filter(|n| !old_names.contains(n)) {
        out.push(format!("added participant `{n}`"));
    }
    for n in old_names.iter().filter(|n| !new_names.contains(n)) {
        out.push(format!("removed participant `{n}`"));
    }
    let show = |d: &Diagram, (from, to, message): &(String, String, String)| {
        format!("{} → {}: {message}", name(d, from), name(d, to))
    };
    let old_steps: Vec<String> = old.steps.iter().map(|s| show(&old, s)).collect();
    let new_steps: Vec<String> = new.steps.iter().map(|s| show(&new, s)).collect();
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

#[cfg(test)]
mod tests {
    use super::{Kind, decode, describe};

    const OLD: &str = "```mermaid\nflowchart LR\n  n_user([\"API client\"])\n  \
        subgraph n_service_goals[\"goals · service #183; FARGATE #183; 1 task\"]\n    \
        n_api(\"API<br/><small>node #183; HTTP:80</small>\")\n    \
        n_db[(\"MongoDB<br/><small>mongo</small>\")]\n  end\n  \
        n_user -->|\"HTTP:80\"| n_api\n  n_api -->|\"TCP:27017\"| n_db\n  \
        n_api -.->|\"START\"| n_db\n```\n";

    #[test]
    fn entity_codes_decode() {
        assert_eq!(decode("a #183; b#35;#x; #"), "a · b##x; #");
    }

    #[test]
    fn flowchart_changes_name_components_and_connections() {
        let new = OLD
            .replace("1 task", "2 tasks")
            .replace("HTTP:80</small>", "HTTP:8080</small>")
            .replace("  n_api -->|\"TCP:27017\"| n_db\n", "  n_api --> n_cache\n")
            .replace(
                "  end\n",
                "    n_cache(\"redis<br/><small>redis:7</small>\")\n  end\n",
            );
        assert_eq!(
            describe(&Kind::Flowchart, OLD, &new),
            [
                "added container `redis`",
                "added connection `API → redis`",
                "removed connection `API → MongoDB` (TCP:27017)",
                "changed service `goals`: `service · FARGATE · 1 task` → `service · FARGATE · 2 tasks`",
                "changed container `API`: `node · HTTP:80` → `node · HTTP:8080`",
            ]
        );
    }

    #[test]
    fn an_unchanged_architecture_says_so() {
        let new =
            OLD.replace("  n_api -.->|\"START\"| n_db\n", "") + "  n_api -.->|\"START\"| n_db\n";
        let said = describe(&Kind::Flowchart, OLD, &new);
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("nothing was added or removed"), "{said:?}");
        assert!(describe(&Kind::Flowchart, OLD, OLD).is_empty());
        assert_eq!(
            describe(&Kind::Flowchart, "\n", OLD),
            ["the block was empty"]
        );
    }

    #[test]
    fn sequence_changes_name_steps() {
        let old = "sequenceDiagram\n  actor n_u as User\n  participant n_a as API\n  \
                   n_u->>n_a: GET /x (HTTP:80)\n  Note over n_u,n_a: hi\n";
        let new = "sequenceDiagram\n  actor n_u as User\n  participant n_a as API\n  \
                   participant n_c as Cache\n  n_u->>n_a: GET /x (HTTP:80)\n  \
                   n_a->>n_c: get\n  Note over n_u,n_a: hello\n";
        let kind = Kind::Sequence {
            flow: "f".to_owned(),
        };
        assert_eq!(
            describe(&kind, old, new),
            [
                "added participant `Cache`",
                "added step `API → Cache: get`",
                "changed 1 note"
            ]
        );
    }

    #[test]
    fn table_and_findings_changes() {
        let old = "| Name | Kind |\n|---|---|\n| `a` | container |\n| **B**<br>`b` | database |\n";
        let new = "| Name | Kind |\n|---|---|\n| `a` | database |\n| `c` | volume |\n";
        assert_eq!(
            describe(&Kind::Components, old, new),
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
            describe(&Kind::Findings, old, &moved),
            ["findings moved or were reordered"]
        );
        assert_eq!(
            describe(&Kind::Findings, old, "No findings.\n"),
            ["gone warning `A010` single-task: service `x` runs one task"]
        );
    }
}
