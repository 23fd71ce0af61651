//! Mermaid: a flowchart of the whole view, and a sequence diagram per flow.
//!
//! Mermaid ids are derived from names (`[A-Za-z0-9_]` only, made unique); every label is
//! written with Mermaid entity codes (`#35;`) for anything but plain characters.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use crate::text::mermaid_text;
use crate::view::{EdgeKind, FlowEvent, FlowView, GroupKind, NodeKind, View};

/// A `flowchart` with a subgraph per ECS cluster, service and task.
#[must_use]
pub fn flowchart(view: &View) -> String {
    flowchart_styled(view, &Styles::default())
}

/// Extra styling of a flowchart: `classDef`s, the class of nodes and subgraphs (by their
/// view id) and `linkStyle`s of edges (by index in `View::edges`). Style text is archflow's
/// own, never the user's.
#[derive(Clone, Debug, Default)]
pub struct Styles {
    /// Class name and its style (`stroke:#1a7f37,stroke-width:3px`).
    pub class_defs: Vec<(String, String)>,
    /// View id of a node or cluster, and its class.
    pub classes: Vec<(String, String)>,
    /// Index of an edge, and its style.
    pub link_styles: Vec<(usize, String)>,
}

/// [`flowchart`] with `styles` applied.
#[must_use]
pub fn flowchart_styled(view: &View, styles: &Styles) -> String {
    let ids = Ids::new(
        view.clusters
            .iter()
            .map(|c| c.id.as_str())
            .chain(view.nodes.iter().map(|n| n.id.as_str())),
    );
    let mut out = String::from("flowchart LR\n");
    let mut child_clusters: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, c) in view.clusters.iter().enumerate() {
        child_clusters
            .entry(c.parent.as_deref())
            .or_default()
            .push(i);
    }
    let mut child_nodes: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        child_nodes.entry(n.parent.as_deref()).or_default().push(i);
    }
    write_level(view, &ids, &child_clusters, &child_nodes, &mut out, None, 1);
    for e in &view.edges {
        let arrow = match e.kind {
            EdgeKind::DependsOn => "-.->",
            EdgeKind::Route | EdgeKind::Connect | EdgeKind::Mount => "-->",
        };
        let (from, to) = (ids.get(&e.from), ids.get(&e.to));
        match &e.label {
            Some(label) => {
                let _ = writeln!(out, "  {from} {arrow}|\"{}\"| {to}", mermaid_text(label));
            }
            None => {
                let _ = writeln!(out, "  {from} {arrow} {to}");
            }
        }
    }
    for (name, style) in &styles.class_defs {
        let _ = writeln!(out, "  classDef {name} {style}");
    }
    for (id, class) in &styles.classes {
        let _ = writeln!(out, "  class {} {class}", ids.get(id));
    }
    for (edge, style) in &styles.link_styles {
        let _ = writeln!(out, "  linkStyle {edge} {style}");
    }
    out
}

fn write_level(
    view: &View,
    ids: &Ids,
    child_clusters: &HashMap<Option<&str>, Vec<usize>>,
    child_nodes: &HashMap<Option<&str>, Vec<usize>>,
    out: &mut String,
    parent: Option<&str>,
    depth: usize,
) {
    let pad = "  ".repeat(depth);
    for &i in child_nodes.get(&parent).map_or(&[][..], Vec::as_slice) {
        let n = &view.nodes[i];
        let label = match &n.detail {
            Some(d) => format!(
                "{}<br/><small>{}</small>",
                mermaid_text(&n.label),
                mermaid_text(d)
            ),
            None => mermaid_text(&n.label),
        };
        let (open, close) = match n.kind {
            NodeKind::Actor => ("([", "])"),
            NodeKind::LoadBalancer => ("{{", "}}"),
            NodeKind::Listener => (">", "]"),
            NodeKind::TargetGroup => ("[/", "/]"),
            NodeKind::Container => ("(", ")"),
            NodeKind::Database => ("[(", ")]"),
            NodeKind::Volume => ("[[", "]]"),
            NodeKind::FileSystem => ("[/", "\\]"),
            NodeKind::Service => ("[", "]"),
        };
        let _ = writeln!(out, "{pad}{}{open}\"{label}\"{close}", ids.get(&n.id));
    }
    for &i in child_clusters.get(&parent).map_or(&[][..], Vec::as_slice) {
        let c = &view.clusters[i];
        let label = match &c.detail {
            Some(d) => format!("{} · {}", mermaid_text(&c.label), mermaid_text(d)),
            None => mermaid_text(&c.label),
        };
        let _ = writeln!(out, "{pad}subgraph {}[\"{label}\"]", ids.get(&c.id));
        write_level(
            view,
            ids,
            child_clusters,
            child_nodes,
            out,
            Some(&c.id),
            depth + 1,
        );
        let _ = writeln!(out, "{pad}end");
    }
}

/// The widest line of a sequence note, in characters: wider notes are wrapped (Mermaid draws a
/// note on one line however long, and GitHub clips it at both edges).
pub const NOTE_WIDTH: usize = 60;

/// The most lines a shortened note ([`Notes::Short`]) takes.
pub const SHORT_NOTE_LINES: usize = 2;

/// How a sequence diagram shows the steps' notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notes {
    /// Every note in full, as plain text wrapped at [`NOTE_WIDTH`].
    Full,
    /// Each note's first sentence, in at most [`SHORT_NOTE_LINES`] lines, ending with `...`
    /// (plain dots: Mermaid would write `…` as an entity) when the note says more (the
    /// Markdown page lists such notes in full below the diagram).
    Short,
}

/// A step's note as a sequence diagram shows it: plain text lines of at most [`NOTE_WIDTH`]
/// characters, and whether they hold the whole note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteLines {
    pub lines: Vec<String>,
    pub complete: bool,
}

/// The note (the author's Markdown) as plain text, wrapped; with [`Notes::Short`] only its
/// first sentence (or as many of its words as fit) in [`SHORT_NOTE_LINES`] lines.
#[must_use]
pub fn note_lines(markdown: &str, notes: Notes) -> NoteLines {
    let text = plain_text(markdown);
    let fits = |s: &str| wrap(s, NOTE_WIDTH).len() <= SHORT_NOTE_LINES;
    let first_end = text
        .match_indices(['.', '!', '?'])
        .map(|(i, _)| i + 1)
        .find(|&end| text[end..].starts_with(' '));
    if notes == Notes::Full || (first_end.is_none() && fits(&text)) {
        return NoteLines {
            lines: wrap(&text, NOTE_WIDTH),
            complete: true,
        };
    }
    let sentence = first_end.map(|end| format!("{} ...", &text[..end]));
    let short = match sentence {
        Some(s) if fits(&s) => s,
        _ => {
            let mut kept = String::new();
            for word in text.split(' ') {
                let longer = if kept.is_empty() {
                    word.to_owned()
                } else {
                    format!("{kept} {word}")
                };
                if !fits(&format!("{longer} ...")) {
                    break;
                }
                kept = longer;
            }
            format!("{kept} ...").trim_start().to_owned()
        }
    };
    NoteLines {
        lines: wrap(&short, NOTE_WIDTH),
        complete: false,
    }
}

/// Markdown as the plain text it reads as: code spans without their backquotes, links as their
/// text, paragraphs and lines joined by single spaces. Stray backquotes become `'` (Mermaid
/// would write them as `#96;`).
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::Rule
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(' '),
            _ => {}
        }
    }
    out.replace('`', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` in lines of at most `width` characters, broken between words (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        if len > 0 && len + 1 + word.len() <= width {
            line.push(' ');
            line.extend(&word);
            len += 1 + word.len();
            continue;
        }
        if len > 0 {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        len = word.len();
        line = word.into_iter().collect();
    }
    if len > 0 {
        lines.push(line);
    }
    lines
}

/// A `sequenceDiagram` of one flow: participants in order of appearance, a message per step
/// (dashed when it answers an earlier caller, an open arrow when asynchronous), and each step's
/// note, wrapped.
#[must_use]
pub fn sequence(view: &View, flow: &FlowView) -> String {
    sequence_with(view, flow, Notes::Full)
}

/// [`sequence`], with the notes shown as `notes` says.
#[must_use]
pub fn sequence_with(view: &View, flow: &FlowView, notes: Notes) -> String {
    let order = flow.participants();
    let ids = Ids::new(order.iter().copied());
    // Kind and label of each participant that is a node (the last node of that name, as a map
    // of every node would hold): one pass over the nodes, keeping only the flow's names.
    let mut found: HashMap<&str, (NodeKind, &str)> = HashMap::with_capacity(order.len());
    let wanted: HashSet<&str> = order.iter().copied().collect();
    for n in &view.nodes {
        if let Some(&name) = wanted.get(n.id.as_str()) {
            found.insert(name, (n.kind, n.label.as_str()));
        }
    }
    let mut out = String::from("sequenceDiagram\n  autonumber\n");
    for name in &order {
        let node = found.get(name);
        let keyword = if node.is_some_and(|&(kind, _)| kind == NodeKind::Actor) {
            "actor"
        } else {
            "participant"
        };
        let label = node.map_or(*name, |&(_, label)| label);
        let _ = writeln!(
            out,
            "  {keyword} {} as {}",
            ids.get(name),
            mermaid_text(label)
        );
    }
    // A step answers when its target called, earlier in the flow, the step's source. In an
    // `alt`, only the calls before it and in the same branch count: the branches before did
    // not happen; after it, a call of any branch may have.
    let mut callers: Calls<'_> = BTreeSet::new();
    // For each open block: the callers when it opened, and those of its branches so far.
    let mut blocks: Vec<(Calls<'_>, Calls<'_>)> = Vec::new();
    for event in flow.events() {
        let step = match event {
            FlowEvent::Step { index, depth } => match flow.steps.get(index) {
                Some(step) => (step, depth),
                None => continue,
            },
            FlowEvent::Open {
                kind, when, depth, ..
            } => {
                blocks.push((callers.clone(), BTreeSet::new()));
                block_line(&mut out, depth, kind.key(), when);
                continue;
            }
            FlowEvent::Branch {
                kind, when, depth, ..
            } => {
                let keyword = if kind == GroupKind::Par {
                    "and"
                } else {
                    "else"
                };
                if kind == GroupKind::Alt
                    && let Some((before, seen)) = blocks.last_mut()
                {
                    seen.extend(std::mem::replace(&mut callers, before.clone()));
                }
                block_line(&mut out, depth, keyword, when);
                continue;
            }
            FlowEvent::Close { depth, .. } => {
                if let Some((_, seen)) = blocks.pop() {
                    callers.extend(seen);
                }
                block_line(&mut out, depth, "end", None);
                continue;
            }
        };
        let (step, depth) = step;
        let indent = "  ".repeat(depth + 1);
        // An asynchronous step expects no answer and answers nothing.
        let reply = !step.is_async && callers.contains(&(step.to.as_str(), step.from.as_str()));
        if !reply && !step.is_async {
            callers.insert((step.from.as_str(), step.to.as_str()));
        }
        let arrow = match (step.is_async, reply) {
            (true, _) => "-)",
            (false, true) => "-->>",
            (false, false) => "->>",
        };
        let message = step.message();
        let (from, to) = (ids.get(&step.from), ids.get(&step.to));
        let _ = writeln!(out, "{indent}{from}{arrow}{to}: {}", mermaid_text(&message));
        if let Some(note) = &step.note {
            let lines = note_lines(note, notes).lines;
            if lines.is_empty() {
                continue;
            }
            let over = if from == to {
                from.to_owned()
            } else {
                format!("{from},{to}")
            };
            let text: Vec<String> = lines.iter().map(|l| mermaid_text(l)).collect();
            let _ = writeln!(out, "{indent}Note over {over}: {}", text.join("<br/>"));
        }
    }
    out
}

/// Who called whom (sender, receiver), by name.
type Calls<'a> = BTreeSet<(&'a str, &'a str)>;

/// A block's line (`alt goal cached`, `else`, `end`), indented by its depth.
fn block_line(out: &mut String, depth: usize, keyword: &str, when: Option<&str>) {
    let indent = "  ".repeat(depth + 1);
    match when.map(mermaid_text).filter(|w| !w.trim().is_empty()) {
        Some(when) => {
            let _ = writeln!(out, "{indent}{keyword} {when}");
        }
        None => {
            let _ = writeln!(out, "{indent}{keyword}");
        }
    }
}

/// Unique Mermaid ids for names, stable for a given list of names.
struct Ids<'a> {
    map: HashMap<&'a str, String>,
}

impl<'a> Ids<'a> {
    fn new(names: impl Iterator<Item = &'a str>) -> Self {
        let mut map = HashMap::new();
        let mut used = HashSet::new();
        for name in names {
            if map.contains_key(name) {
                continue;
            }
            let base: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let base = format!("n_{base}");
            let mut id = base.clone();
            let mut k = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}_{k}");
                k += 1;
            }
            map.insert(name, id);
        }
        Self { map }
    }

    fn get(&self, name: &str) -> &str {
        self.map.get(name).map_or("n_unknown", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::{Ids, NOTE_WIDTH, Notes, note_lines, wrap};

    #[test]
    fn notes_wrap_at_the_width_and_long_words_are_cut() {
        let long = "x".repeat(NOTE_WIDTH + 5);
        let lines = wrap(&format!("a b {long} c"), NOTE_WIDTH);
        assert_eq!(lines, ["a b", &"x".repeat(NOTE_WIDTH), "xxxxx c"]);
        assert!(wrap("", NOTE_WIDTH).is_empty());
    }

    #[test]
    fn notes_read_as_plain_text_and_shorten_to_the_first_sentence() {
        let note = note_lines(
            "Uses `localhost:27017`, see [docs](https://x.y).",
            Notes::Short,
        );
        assert_eq!(note.lines, ["Uses localhost:27017, see docs."]);
        assert!(note.complete);
        let note = note_lines("One `a`.  Two.\n\nThree.", Notes::Short);
        assert_eq!(note.lines, ["One a. ..."]);
        assert!(!note.complete);
        let sentence = "This sentence has exactly enough words to fill a line.";
        let long = format!("{sentence} {sentence} {sentence} {sentence}");
        let full = note_lines(&long, Notes::Full);
        assert!(full.complete && full.lines.len() == 4, "{full:?}");
        // One sentence too long: whole words.
        let words = "word ".repeat(60);
        let short = note_lines(&words, Notes::Short);
        assert!(!short.complete);
        assert_eq!(short.lines.len(), 2);
        assert!(short.lines[1].ends_with("word ..."), "{short:?}");
        assert!(short.lines.iter().all(|l| l.chars().count() <= NOTE_WIDTH));
    }

    #[test]
    fn ids_stay_distinct_when_names_collide() {
        let ids = Ids::new(["a-b", "a_b", "a b", "end"].into_iter());
        let got: Vec<&str> = ["a-b", "a_b", "a b", "end"]
            .iter()
            .map(|n| ids.get(n))
            .collect();
        assert_eq!(got, ["n_a_b", "n_a_b_2", "n_a_b_3", "n_end"]);
    }
}
