//! The Markdown page (GitHub-flavoured): title and description, the Mermaid flowchart, a table
//! of components, each flow as a sequence diagram with numbered steps, why it is built this way
//! (decisions, trade-offs, where it runs), and the check findings.
//!
//! User text reaches the page in one of three ways, and only through the helpers at the bottom:
//!
//! - **Plain text** (names, labels, details, actions, titles, rule names): `inline`. Markdown
//!   punctuation is backslash-escaped, `<`, `>` and `&` become entities and whitespace (newlines
//!   included) collapses to one space, so the text reads literally wherever it lands: in a
//!   heading, in bold, in a table cell. Identifiers and `protocol:port` go in code spans
//!   (`code`), where nothing is interpreted.
//! - **Markdown as written** (the model's, a flow's and a step's `description`/`note`): kept, as
//!   a block (`block`), with two repairs. Raw HTML is made inert: every `<` outside code spans,
//!   code blocks and autolinks becomes `&lt;`, so no tag, comment or HTML block survives. And a
//!   block that would not end where it should (an unclosed code fence swallowing the rest of the
//!   page) is shown as a fenced text block instead. Headings inside a description are kept as
//!   written: an author who writes `## Section` adds to the page's outline. That is deliberate,
//!   to keep descriptions plain Markdown (no fencing or indenting them away).
//! - **Markdown in a table cell** (component descriptions): `cell_markdown`, the same HTML
//!   repair on the text flattened to one line, with `|` escaped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag};

use crate::diagnostic::Severity;
use crate::render::html::{is_remote_url, is_safe_url};
use crate::render::mermaid::{self, Notes};
use crate::text::{Control, markdown_escape, markdown_inline, one_line, visible};
use crate::view::{ClusterKind, ClusterView, FindingView, FlowView, NodeView, View};

/// A Markdown page of the view. Deterministic; ends with exactly one newline.
#[must_use]
pub fn page(view: &View) -> String {
    page_with(view, None)
}

/// [`page`] written beside the view's SVG, whose file name is `picture` (`build` writes
/// `architecture.svg` next to `architecture.md`): the diagram is that picture, with the Mermaid
/// flowchart folded below it.
#[must_use]
pub fn page_beside_svg(view: &View, picture: &str) -> String {
    page_with(view, Some(picture))
}

fn page_with(view: &View, picture: Option<&str>) -> String {
    // Top-level blocks, joined by blank lines.
    let mut blocks: Vec<String> = vec![format!("# {}", markdown_inline(&view.title))];
    if let Some(description) = nonblank(view.description.as_deref()) {
        blocks.push(block(description));
    }
    blocks.push("## Diagram".to_owned());
    match picture {
        Some(file) => {
            blocks.push(format!(
                "![The architecture of {}]({})",
                markdown_inline(&view.title),
                file.replace(['(', ')', ' ', '<', '>'], "")
            ));
            blocks.push("<details><summary>The same diagram in Mermaid</summary>".to_owned());
            blocks.push(fenced("mermaid", &mermaid::flowchart(view)));
            blocks.push("</details>".to_owned());
        }
        None => blocks.push(fenced("mermaid", &mermaid::flowchart(view))),
    }
    blocks.push("## Components".to_owned());
    blocks.push(components(view));
    blocks.push("## Flows".to_owned());
    if view.flows.is_empty() {
        blocks.push("No flows.".to_owned());
    }
    for flow in &view.flows {
        flow_blocks(view, flow, &mut blocks);
    }
    why_blocks(view, &mut blocks);
    blocks.push("## Findings".to_owned());
    findings_blocks(&view.findings, &mut blocks);
    let mut out = blocks.join("\n\n");
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The components table: one row per node, in the view's order ("No components." when there
/// is none). No trailing newline.
#[must_use]
pub fn components(view: &View) -> String {
    if view.nodes.is_empty() {
        return "No components.".to_owned();
    }
    let mut out = String::from("| Name | Kind | Details | Description |\n|---|---|---|---|");
    let clusters: std::collections::BTreeMap<&str, &ClusterView> =
        view.clusters.iter().map(|c| (c.id.as_str(), c)).collect();
    for node in &view.nodes {
        let name = if node.label == node.id {
            code(&node.id, true)
        } else {
            format!(
                "**{}**<br>{}",
                markdown_inline(&node.label),
                code(&node.id, true)
            )
        };
        let kind = node.kind.noun();
        let mut details: Vec<String> = Vec::new();
        if let Some(detail) = node_detail(node) {
            details.push(markdown_inline(detail));
        }
        if let Some(place) = membership(&clusters, node) {
            details.push(place);
        }
        let description = node
            .description
            .as_deref()
            .map(cell_markdown)
            .unwrap_or_default();
        let _ = write!(
            out,
            "\n| {name} | {kind} | {} | {description} |",
            details.join("<br>")
        );
    }
    out
}

/// The node's second line without the kind it repeats (the diagram's shapes need the kind in
/// the detail, e.g. `load balancer · internet-facing`; the table has a Kind column).
fn node_detail(node: &NodeView) -> Option<&str> {
    let detail = node.detail.as_deref()?;
    let kind = node.kind.noun();
    let rest = if detail == kind {
        ""
    } else {
        detail
            .strip_prefix(kind)
            .and_then(|r| r.strip_prefix(" · "))
            .unwrap_or(detail)
    };
    nonblank(Some(rest))
}

/// `in task definition **goals** of service **goals**`: the task and service holding a node.
/// The ECS cluster is left out: there is one, and every service is in it.
fn membership(
    clusters: &std::collections::BTreeMap<&str, &ClusterView>,
    node: &NodeView,
) -> Option<String> {
    let mut parts = Vec::new();
    let mut at = node.parent.as_deref();
    // Bounded, in case parents ever form a loop.
    for _ in 0..=clusters.len() {
        let Some(id) = at else { break };
        let Some(&cluster) = clusters.get(id) else {
            parts.push(code(id, true));
            break;
        };
        let kind = match cluster.kind {
            ClusterKind::Task => Some("task definition"),
            ClusterKind::Service => Some("service"),
            ClusterKind::Cluster => None,
        };
        if let Some(kind) = kind {
            parts.push(format!("{kind} **{}**", markdown_inline(&cluster.label)));
        }
        at = cluster.parent.as_deref();
    }
    (!parts.is_empty()).then(|| format!("in {}", parts.join(" of ")))
}

/// "Why it is built this way": the model's decisions, the trade-offs of its configuration, and
/// the cluster's, services' and task definitions' descriptions. Nothing when there is none.
fn why_blocks(view: &View, blocks: &mut Vec<String>) {
    let places: Vec<&ClusterView> = view
        .clusters
        .iter()
        .filter(|c| nonblank(c.description.as_deref()).is_some())
        .collect();
    if view.decisions.is_empty() && view.tradeoffs.is_empty() && places.is_empty() {
        return;
    }
    blocks.push("## Why it is built this way".to_owned());
    // Labels by id: a node's, else a cluster's (ids are unique among nodes; the first wins, as
    // a search from the start would find it).
    let mut labels: HashMap<&str, &str> = HashMap::new();
    for (id, label) in view
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .chain(
            view.clusters
                .iter()
                .map(|c| (c.id.as_str(), c.label.as_str())),
        )
    {
        labels.entry(id).or_insert(label);
    }
    let label = |id: &str| markdown_inline(labels.get(id).copied().unwrap_or(id));
    if !view.decisions.is_empty() {
        blocks.push("### Decisions".to_owned());
    }
    for (i, d) in view.decisions.iter().enumerate() {
        blocks.push(format!(
            "#### Decision {}: {}",
            i + 1,
            markdown_inline(&d.title)
        ));
        for (name, text) in [
            ("Context", &d.context),
            ("Decision", &d.decision),
            ("Consequences", &d.consequences),
        ] {
            if let Some(text) = nonblank(text.as_deref()) {
                blocks.push(format!("**{name}.**"));
                blocks.push(block(text));
            }
        }
        if !d.concerns.is_empty() {
            let names: Vec<String> = d.concerns.iter().map(|c| label(c)).collect();
            blocks.push(format!("Concerns {}.", names.join(", ")));
        }
    }
    if !view.tradeoffs.is_empty() {
        blocks.push("### Trade-offs in the configuration".to_owned());
        let items: Vec<String> = view
            .tradeoffs
            .iter()
            .map(|t| {
                let names: Vec<String> = t.concerns.iter().map(|c| label(c)).collect();
                let mut item = format!(
                    "- **{}.** {} Concerns {}.",
                    markdown_inline(&t.title),
                    one_line(&t.text),
                    names.join(", ")
                );
                if let Some(rule) = t.rule.and_then(crate::check::rule) {
                    let _ = write!(
                        item,
                        " Rule {} {} (`archflow explain {}`).",
                        rule.code.id, rule.code.name, rule.code.id
                    );
                }
                item
            })
            .collect();
        blocks.push(items.join("\n"));
    }
    if !places.is_empty() {
        blocks.push("### Where it runs".to_owned());
        let items: Vec<String> = places
            .iter()
            .map(|c| {
                let kind = match c.kind {
                    ClusterKind::Cluster => "ECS cluster",
                    ClusterKind::Service => "service",
                    ClusterKind::Task => "task definition",
                };
                format!(
                    "- **{}** ({kind}): {}",
                    markdown_inline(&c.label),
                    c.description
                        .as_deref()
                        .map(cell_markdown)
                        .unwrap_or_default()
                )
            })
            .collect();
        blocks.push(items.join("\n"));
    }
}

/// A flow: heading, description, sequence diagram, numbered steps.
fn flow_blocks(view: &View, flow: &FlowView, blocks: &mut Vec<String>) {
    blocks.push(format!("### {}", markdown_inline(&flow.title)));
    if let Some(description) = nonblank(flow.description.as_deref()) {
        blocks.push(block(description));
    }
    blocks.push(fenced(
        "mermaid",
        &mermaid::sequence_with(view, flow, Notes::Short),
    ));
    if flow.steps.is_empty() {
        blocks.push("This flow has no steps.".to_owned());
        return;
    }
    // The label of each step's ends (the first node of that name): one pass over the nodes.
    let mut labels: HashMap<&str, Option<&str>> = flow
        .steps
        .iter()
        .flat_map(|s| [(s.from.as_str(), None), (s.to.as_str(), None)])
        .collect();
    for n in &view.nodes {
        if let Some(slot @ None) = labels.get_mut(n.id.as_str()) {
            *slot = Some(n.label.as_str());
        }
    }
    let label = |name: &str| {
        labels
            .get(name)
            .copied()
            .flatten()
            .unwrap_or(name)
            .to_owned()
    };
    // Steps in groups (`alt`, `opt`, `par`, `loop`): each heading is a paragraph of its own
    // between the numbered items (an ordered list starts again at the number its first item
    // has), marked `›` once for each block around it.
    let headings = flow.headings();
    let grouped = !flow.groups.is_empty();
    let mut items = Vec::new();
    for (i, step) in flow.steps.iter().enumerate() {
        for heading in headings.get(i).into_iter().flatten() {
            let text = format!(
                "{}*{}*",
                "› ".repeat(heading.depth),
                markdown_inline(&heading.text)
            );
            items.push(text);
        }
        let marker = format!("{}.", i + 1);
        let mut item = format!(
            "{marker} **{} → {}**",
            markdown_inline(&label(&step.from)),
            markdown_inline(&label(&step.to))
        );
        if let Some(action) = nonblank(step.action.as_deref()) {
            let _ = write!(item, ": {}", markdown_inline(action));
        }
        if let Some(via) = nonblank(step.via.as_deref()) {
            let _ = write!(item, " ({})", code(via, false));
        }
        if step.is_async {
            item.push_str(", asynchronous: no answer expected");
        }
        if !step.groups.is_empty() {
            item.insert_str(marker.len() + 1, &"› ".repeat(step.groups.len()));
        }
        if let Some(note) = listed_note(step.note.as_deref()) {
            // The note is the author's Markdown, indented into the list item: whatever it
            // holds (an unclosed fence included) ends with the item.
            item.push_str("\n\n");
            item.push_str(&indent(
                &inert_html(&normalize(note), false),
                marker.len() + 1,
            ));
        }
        items.push(item);
    }
    let loose = grouped
        || flow
            .steps
            .iter()
            .any(|s| listed_note(s.note.as_deref()).is_some());
    blocks.push(items.join(if loose { "\n\n" } else { "\n" }));
}

/// The note a step's list item repeats: one the sequence diagram shortened (the list has it in
/// full) or one with links (which the diagram shows as plain text). A note the diagram shows
/// whole is not repeated.
fn listed_note(note: Option<&str>) -> Option<&str> {
    let note = nonblank(note)?;
    let has_link = Parser::new_ext(note, gfm())
        .any(|e| matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. })));
    (has_link || !mermaid::note_lines(note, Notes::Short).complete).then_some(note)
}

/// The findings section's body: a summary line and a list, or "No findings.". No trailing
/// newline.
#[must_use]
pub fn findings(view: &View) -> String {
    let mut blocks = Vec::new();
    findings_blocks(&view.findings, &mut blocks);
    blocks.join("\n\n")
}

/// The findings: a summary line and a list, or "No findings.".
fn findings_blocks(findings: &[FindingView], blocks: &mut Vec<String>) {
    if findings.is_empty() {
        blocks.push("No findings.".to_owned());
        return;
    }
    let count = |severity: Severity, one: &str, many: &str| {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
    };
    let counts: Vec<String> = [
        count(Severity::Error, "error", "errors"),
        count(Severity::Warning, "warning", "warnings"),
        count(Severity::Info, "info", "infos"),
    ]
    .into_iter()
    .flatten()
    .collect();
    blocks.push(format!("The check reports {}.", counts.join(", ")));
    // Errors first, then warnings, then infos; each by position.
    let mut sorted: Vec<&FindingView> = findings.iter().collect();
    sorted.sort_by(|a, b| {
        (std::cmp::Reverse(a.severity), &a.file, a.line, a.column).cmp(&(
            std::cmp::Reverse(b.severity),
            &b.file,
            b.line,
            b.column,
        ))
    });
    let mut items = Vec::new();
    for f in sorted {
        let mut item = format!(
            "- **{}** {} {} at {}: {}",
            f.severity,
            code(&f.code, false),
            markdown_inline(&f.rule),
            code(&format!("{}:{}:{}", f.file, f.line, f.column), false),
            with_code_spans(&f.message)
        );
        for note in &f.notes {
            let _ = write!(item, "\n\n  Note: {}", with_code_spans(note));
        }
        if let Some(help) = nonblank(f.help.as_deref()) {
            let _ = write!(item, "\n\n  Help: {}", with_code_spans(help));
        }
        items.push(item);
    }
    blocks.push(items.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Escaping. Every piece of user text goes through one of these, or through
// `text::markdown_inline` and `text::markdown_escape`.

/// A code span showing `s` literally (on one line). `in_cell`: inside a table row, where GitHub
/// splits cells at `|` before it sees code spans, so `|` is written `\|` even here.
fn code(s: &str, in_cell: bool) -> String {
    let s = one_line(s);
    if s.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    let body = if in_cell { s.replace('|', "\\|") } else { s };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Plain text in which `` `backquoted` `` parts become code spans (as in check messages, which
/// quote names that way). Every part is escaped, so a name holding a backquote only spoils the
/// pairing, never the page.
fn with_code_spans(s: &str) -> String {
    let s = one_line(s);
    let s = s.trim();
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return markdown_escape(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                markdown_escape(part)
            } else {
                code(part, false)
            }
        })
        .collect()
}

/// The author's Markdown as a top-level block: HTML made inert, and shown as a text block
/// instead when it would not end before the next block (an unclosed code fence).
fn block(markdown: &str) -> String {
    let text = normalize(markdown);
    let inert = inert_html(&text, false);
    if ends_cleanly(&inert) {
        inert
    } else {
        fenced("text", &text)
    }
}

/// The author's Markdown in a table cell: flattened to one line, HTML made inert, `|` escaped.
/// Bold, links and code spans still work; a list or fence in the text reads as one line.
fn cell_markdown(markdown: &str) -> String {
    let line = one_line(&normalize(markdown));
    inert_html(line.trim(), true).replace('|', "\\|")
}

/// Author Markdown, tidied: `\n` line ends, tabs expanded (so indenting it into a list item
/// keeps its meaning), other control characters as spaces, bidi controls shown as `<U+202E>`,
/// no leading blank lines or trailing whitespace.
fn normalize(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len());
    let mut column = 0;
    for ch in visible(&s, &['\n', '\t'], Control::Space).chars() {
        match ch {
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let n = 4 - column % 4;
                out.push_str(&" ".repeat(n));
                column += n;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    let start = out
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(out.len(), |(i, _)| {
            out[..i].rfind('\n').map_or(0, |n| n + 1)
        });
    out[start..].trim_end().to_owned()
}

fn gfm() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// `markdown` made safe to show: every `<` outside code and safe autolinks written `&lt;`, so it
/// holds no raw HTML; links and images whose target is not `http:`, `https:`, `mailto:` or
/// relative made text (their `[` escaped, or the reference definition removed); images on other
/// sites made links (their `!` removed), so reading the page loads nothing from elsewhere.
/// Repeated until stable, because each change can make new constructs (removing a tag can
/// re-pair backquotes into new code spans). `inline`: the text is one line of a table cell
/// (parsed as a paragraph, never as a block).
fn inert_html(markdown: &str, inline: bool) -> String {
    const PREFIX: &str = "x ";
    let mut text = markdown.to_owned();
    loop {
        let (source, offset) = if inline {
            (format!("{PREFIX}{text}"), PREFIX.len())
        } else {
            (text.clone(), 0)
        };
        // A reference that names no definition here is reported as one of the `…Unknown` link
        // types: on the page, a definition in another description could complete it.
        let unresolved = |_: pulldown_cmark::BrokenLink<'_>| Some(("".into(), "".into()));
        let parser = Parser::new_with_broken_link_callback(&source, gfm(), Some(unresolved));
        // A reference definition with an unsafe target goes (it is not shown anyway; the links
        // that use it then read as text). Alone in its round: other changes may fall inside it.
        let mut unsafe_definitions: Vec<Range<usize>> = parser
            .reference_definitions()
            .iter()
            .filter(|(_, def)| !is_safe_url(&def.dest) && def.span.start >= offset)
            .map(|(_, def)| def.span.clone())
            .collect();
        if !unsafe_definitions.is_empty() {
            unsafe_definitions.sort_by_key(|r| std::cmp::Reverse(r.start));
            for r in unsafe_definitions {
                text.replace_range(r.start - offset..r.end - offset, "");
            }
            continue;
        }
        // What to change, by byte offset in `source`.
        let mut edits: Vec<(usize, Edit)> = Vec::new();
        let mut safe: Vec<Range<usize>> = Vec::new();
        for (event, range) in parser.into_offset_iter() {
            match event {
                Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => safe.push(range),
                // An autolink to an unsafe target is not safe: its `<` becomes `&lt;`.
                Event::Start(Tag::Link {
                    link_type: LinkType::Autolink | LinkType::Email,
                    dest_url,
                    ..
                }) if is_safe_url(&dest_url) => safe.push(range),
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url,
                    ..
                }) if !is_safe_url(&dest_url) => edits.push((range.start, Edit::Escape)),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    let elsewhere = matches!(
                        link_type,
                        LinkType::ReferenceUnknown
                            | LinkType::CollapsedUnknown
                            | LinkType::ShortcutUnknown
                    );
                    if !is_safe_url(&dest_url) {
                        if link_type == LinkType::Inline {
                            edits.push((range.start + 1, Edit::Escape));
                        }
                    } else if elsewhere || is_remote_url(&dest_url) {
                        // An image defined elsewhere may be remote: a link either way.
                        edits.push((range.start, Edit::Remove));
                    }
                }
                _ => {}
            }
        }
        edits.extend(
            source
                .match_indices('<')
                .map(|(i, _)| i)
                .filter(|&i| !safe.iter().any(|r| r.contains(&i)))
                .map(|i| (i, Edit::Entity)),
        );
        edits.retain(|&(i, _)| i >= offset);
        if edits.is_empty() {
            return text;
        }
        edits.sort_by_key(|&(i, _)| std::cmp::Reverse(i));
        edits.dedup_by_key(|(i, _)| *i);
        for (i, edit) in edits {
            let i = i - offset;
            match edit {
                Edit::Entity => text.replace_range(i..=i, "&lt;"),
                Edit::Escape => text.insert(i, '\\'),
                Edit::Remove => {
                    text.remove(i);
                }
            }
        }
    }
}

/// A change [`inert_html`] makes at one place.
#[derive(Clone, Copy)]
enum Edit {
    /// `<` becomes `&lt;`.
    Entity,
    /// A backslash goes before the character (a link's `[`).
    Escape,
    /// The character goes (an image's `!`).
    Remove,
}

/// Whether a heading right after `markdown` (and a blank line) starts a new top-level block.
fn ends_cleanly(markdown: &str) -> bool {
    const SENTINEL: &str = "archflow-end-of-block";
    let source = format!("{markdown}\n\n## {SENTINEL}\n");
    let at = markdown.len() + 2;
    Parser::new_ext(&source, gfm())
        .into_offset_iter()
        .any(|(event, range)| {
            matches!(
                event,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    ..
                })
            ) && range.start == at
        })
}

/// A fenced code block around `body`, with a fence longer than any backquote run in it.
fn fenced(info: &str, body: &str) -> String {
    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{body}{newline}{fence}")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// `text` with every non-empty line indented by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn nonblank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::{block, cell_markdown, code, ends_cleanly, inert_html, with_code_spans};

    #[test]
    fn code_spans_hold_backquotes_and_pipes() {
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`a", false), "`` `a ``");
        assert_eq!(code("a|b", true), "`a\\|b`");
        assert_eq!(code("a|b", false), "`a|b`");
    }

    #[test]
    fn messages_keep_their_code_spans() {
        assert_eq!(
            with_code_spans("service `goals` runs *one*"),
            "service `goals` runs \\*one\\*"
        );
        assert_eq!(with_code_spans("odd ` quote"), "odd \\` quote");
    }

    #[test]
    fn html_is_made_inert_outside_code() {
        assert_eq!(
            inert_html("<b>x</b> `<b>` <https://a.b/>", false),
            "&lt;b>x&lt;/b> `<b>` <https://a.b/>"
        );
        // Removing the tag re-pairs the backquotes: the `<img>` is no longer in a code span.
        let tricky = "<a title=\"`\"> `<img src=x>` `";
        let inert = inert_html(tricky, false);
        assert!(!inert.contains("<img"), "{inert}");
        // In a cell a leading fence is not a code block.
        assert_eq!(inert_html("```x <b>", true), "```x &lt;b>");
        assert_eq!(cell_markdown("a | b\n\nc"), "a \\| b c");
    }

    #[test]
    fn unsafe_links_become_text_and_remote_images_links() {
        assert_eq!(
            inert_html(
                "[a](javascript:x) ![b](data:y) ![c](https://t/p.gif) ![d](d.png)",
                false
            ),
            "\\[a](javascript:x) !\\[b](data:y) [c](https://t/p.gif) ![d](d.png)"
        );
        assert_eq!(
            inert_html(
                "[a][r] ![b][s]\n\n[r]: vbscript:x\n[s]: https://t/p.gif",
                false
            ),
            "[a][r] [b][s]\n\n\n[s]: https://t/p.gif"
        );
        assert_eq!(inert_html("![a][elsewhere]", true), "[a][elsewhere]");
    }

    #[test]
    fn an_unclosed_fence_becomes_a_text_block() {
        assert!(ends_cleanly("text\n\n```sh\nls\n```"));
        assert!(!ends_cleanly("text\n\n```sh\nls"));
        assert_eq!(block("```sh\nls"), "````text\n```sh\nls\n````");
        assert_eq!(block("\n\n  **bold** <!-- x\n"), "  **bold** &lt;!-- x");
    }
}
