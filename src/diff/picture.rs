//! The diff as one picture: the union of both sides' views, laid out once, with each node, box
//! and edge marked added, removed or changed. Renderers style the marks with colour; the marks
//! also put a badge in the label (`+`, `−`, `~`), so the picture reads without colour.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{Change, ModelDiff, Sides, edge_keys};
use crate::layout::{self, Direction, LayoutOptions};
use crate::render;
use crate::render::mermaid::Styles;
use crate::text::{escape_xml, xml_text};
use crate::view::View;

/// How an element of the picture changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Same,
    Added,
    Removed,
    Changed,
}

impl Mark {
    const fn badge(self) -> &'static str {
        match self {
            Self::Same => "",
            Self::Added => "+ ",
            Self::Removed => "− ",
            Self::Changed => "~ ",
        }
    }

    /// The CSS and Mermaid class name.
    #[must_use]
    pub const fn class(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// The union view and its marks (parallel to the view's clusters, nodes and edges).
#[derive(Clone, Debug)]
pub struct Picture {
    pub view: View,
    pub clusters: Vec<Mark>,
    pub nodes: Vec<Mark>,
    pub edges: Vec<Mark>,
}

/// Both sides as one view: the new side, plus what the old side had and the new does not.
#[must_use]
pub fn union(diff: &ModelDiff, sides: &Sides) -> Picture {
    let mut view = sides.new.clone();
    view.findings = std::sync::Arc::default();
    view.title = format!("{} (changes)", view.title);
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut removed: HashSet<&str> = HashSet::new();
    for c in &diff.components {
        let mark = match c.change {
            Change::Added => Mark::Added,
            Change::Removed => {
                removed.insert(c.view_id.as_str());
                continue;
            }
            Change::Changed | Change::Moved | Change::Renamed => Mark::Changed,
        };
        marks.insert(c.view_id.as_str(), mark);
    }
    // Old view ids of renamed components, to map the old side's edges.
    for c in &diff.components {
        if let Some(old) = c.old_view_id.as_ref().filter(|old| **old != c.view_id) {
            renamed.insert(old.clone(), c.view_id.clone());
        }
    }
    let mut clusters: Vec<Mark> = view
        .clusters
        .iter()
        .map(|c| marks.get(c.id.as_str()).copied().unwrap_or(Mark::Same))
        .collect();
    let mut nodes: Vec<Mark> = view
        .nodes
        .iter()
        .map(|n| marks.get(n.id.as_str()).copied().unwrap_or(Mark::Same))
        .collect();
    let mut cluster_ids: HashSet<String> = view.clusters.iter().map(|c| c.id.clone()).collect();
    for c in &sides.old.clusters {
        if cluster_ids.contains(&c.id) || renamed.contains_key(&c.id) {
            continue;
        }
        let mut c = c.clone();
        c.parent = c.parent.filter(|p| cluster_ids.contains(p));
        cluster_ids.insert(c.id.clone());
        view.clusters.push(c);
        clusters.push(Mark::Removed);
    }
    let mut node_ids: HashSet<String> = view.nodes.iter().map(|n| n.id.clone()).collect();
    for n in &sides.old.nodes {
        if node_ids.contains(&n.id) || renamed.contains_key(&n.id) {
            continue;
        }
        let mut n = n.clone();
        n.parent = n.parent.filter(|p| cluster_ids.contains(p));
        node_ids.insert(n.id.clone());
        view.nodes.push(n);
        nodes.push(Mark::Removed);
    }
    let before: HashSet<_> = edge_keys(&sides.old, Some(&renamed)).collect();
    let after: Vec<_> = edge_keys(&sides.new, None).collect();
    let mut edges: Vec<Mark> = after
        .iter()
        .map(|e| {
            if before.contains(e) {
                Mark::Same
            } else {
                Mark::Added
            }
        })
        .collect();
    let after: HashSet<_> = after.into_iter().collect();
    for (e, key) in sides
        .old
        .edges
        .iter()
        .zip(edge_keys(&sides.old, Some(&renamed)))
    {
        let (from, to, _, _) = key;
        if after.contains(&key) || !node_ids.contains(from) || !node_ids.contains(to) {
            continue;
        }
        let mut e = e.clone();
        from.clone_into(&mut e.from);
        to.clone_into(&mut e.to);
        view.edges.push(e);
        edges.push(Mark::Removed);
    }
    // Badges: the second cue besides colour.
    for (c, mark) in view.clusters.iter_mut().zip(&clusters) {
        c.label = format!("{}{}", mark.badge(), c.label);
    }
    for (n, mark) in view.nodes.iter_mut().zip(&nodes) {
        n.label = format!("{}{}", mark.badge(), n.label);
    }
    for (e, mark) in view.edges.iter_mut().zip(&edges) {
        if matches!(mark, Mark::Added | Mark::Removed) {
            let badge = mark.badge().trim_end();
            e.label = Some(match &e.label {
                Some(l) => format!("{badge} {l}"),
                None => badge.to_owned(),
            });
        }
    }
    // Flows step over the new side's nodes; the picture shows no flow.
    view.flows.clear();
    Picture {
        view,
        clusters,
        nodes,
        edges,
    }
}

const COLOURS: [(Mark, &str, &str); 3] = [
    (Mark::Added, "#1a7f37", "stroke-width:3px"),
    (
        Mark::Removed,
        "#cf222e",
        "stroke-width:2px;stroke-dasharray:6 4",
    ),
    (
        Mark::Changed,
        "#9a6700",
        "stroke-width:3px;stroke-dasharray:2 3",
    ),
];

/// The picture as SVG: archflow's diagram, with a style sheet for the marks.
#[must_use]
pub fn svg(picture: &Picture, direction: Direction) -> String {
    let laid_out = layout::layout(&picture.view, LayoutOptions { direction });
    let drawn = render::svg::render(&picture.view, &laid_out);
    let mut style = String::from("<style>");
    let group = |prefix: &str, marks: &[Mark], wanted: Mark, suffix: &str| -> Vec<String> {
        marks
            .iter()
            .enumerate()
            .filter(|&(_, m)| *m == wanted)
            .map(|(i, _)| format!(".archflow #af-{prefix}{i} {suffix}"))
            .collect()
    };
    for (mark, colour, line) in COLOURS {
        let mut shapes = group("n", &picture.nodes, mark, ".shape");
        shapes.extend(group("c", &picture.clusters, mark, "rect"));
        shapes.extend(group("e", &picture.edges, mark, "path"));
        if !shapes.is_empty() {
            let _ = write!(style, "{}{{stroke:{colour};{}}}", shapes.join(","), line);
        }
        let texts = group("n", &picture.nodes, mark, "text.name");
        if !texts.is_empty() {
            let _ = write!(style, "{}{{fill:{colour}}}", texts.join(","));
        }
    }
    let removed = group("n", &picture.nodes, Mark::Removed, "");
    if !removed.is_empty() {
        let _ = write!(style, "{}{{opacity:.7}}", removed.join(","));
    }
    style.push_str("</style>\n");
    let legend = format!(
        "<desc>{}</desc>\n",
        xml_text(
            "Changes: + added (green, solid), − removed (red, dashed), ~ changed, moved or renamed (amber, dotted)"
        )
    );
    // After the diagram's own style sheet, so the marks win.
    match drawn.find("</style>") {
        Some(at) => {
            let at = at + "</style>".len();
            format!("{}\n{legend}{style}{}", &drawn[..at], &drawn[at..])
        }
        None => drawn,
    }
}

/// The picture as a Mermaid flowchart with a `classDef` per mark (renders on GitHub).
#[must_use]
pub fn mermaid(picture: &Picture) -> String {
    let mut styles = Styles::default();
    for (mark, colour, line) in COLOURS {
        styles.class_defs.push((
            mark.class().to_owned(),
            format!("stroke:{colour},{}", line.replace(';', ",")),
        ));
    }
    for (c, mark) in picture.view.clusters.iter().zip(&picture.clusters) {
        if *mark != Mark::Same {
            styles.classes.push((c.id.clone(), mark.class().to_owned()));
        }
    }
    for (n, mark) in picture.view.nodes.iter().zip(&picture.nodes) {
        if *mark != Mark::Same {
            styles.classes.push((n.id.clone(), mark.class().to_owned()));
        }
    }
    for (i, mark) in picture.edges.iter().enumerate() {
        if let Some((_, colour, line)) = COLOURS.iter().find(|(m, _, _)| m == mark) {
            styles
                .link_styles
                .push((i, format!("stroke:{colour},{}", line.replace(';', ","))));
        }
    }
    render::mermaid::flowchart_styled(&picture.view, &styles)
}

/// One self-contained HTML page: the summary and the picture.
#[must_use]
pub fn html(diff: &ModelDiff, picture: &Picture, direction: Direction) -> String {
    let mut out = String::new();
    let title = format!("{} → {}", diff.old, diff.new);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}}\
.added{{color:#1a7f37}}.removed{{color:#cf222e}}.changed,.moved,.renamed{{color:#9a6700}}\
figure{{margin:1rem 0;overflow:auto}}figure svg{{max-width:100%;height:auto}}code{{font-size:.9em}}</style>\n</head>\n<body>\n<main>\n<h1>Architecture changes</h1>\n<p><code>{}</code> → <code>{}</code></p>\n",
        escape_xml(&crate::text::one_line(&title)),
        xml_text(&diff.old),
        xml_text(&diff.new)
    );
    out.push_str("<p>Legend: <span class=\"added\">+ added (solid green)</span>, <span class=\"removed\">− removed (dashed red)</span>, <span class=\"changed\">~ changed, moved or renamed (dotted amber)</span>.</p>\n");
    let _ = write!(out, "<figure>\n{}</figure>\n", svg(picture, direction));
    out.push_str("<h2>What changed</h2>\n<ul>\n");
    for line in super::report::lines(diff) {
        let _ = writeln!(
            out,
            "<li class=\"{}\">{}</li>",
            line.class,
            xml_text(&crate::text::one_line(&line.text))
        );
    }
    if diff.is_empty() {
        out.push_str("<li>No difference.</li>\n");
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    out
}
