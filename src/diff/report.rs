//! The diff as text: for a terminal (grouped by component, coloured on request), as JSON, and
//! as Markdown for a pull-request comment. Every name and value from the models goes through
//! the escaping of its format.

use std::fmt::Write as _;

use super::{Change, ComponentChange, FieldChange, FindingChangeKind, ModelDiff};
use crate::text::{display_safe, markdown_inline, one_line};

/// One line of the change list, with its class (`added`, `removed`, `changed`, …). Plain text,
/// not yet escaped.
pub struct Line {
    pub class: &'static str,
    pub text: String,
}

/// Values longer than this are cut (with `…`) in the terminal and Markdown.
const LONG: usize = 120;

fn short(value: Option<&String>) -> String {
    let Some(v) = value else {
        return "(unset)".to_owned();
    };
    let v = one_line(v);
    if v.chars().count() > LONG {
        let cut: String = v.chars().take(LONG).collect();
        format!("{cut}…")
    } else {
        v
    }
}

fn headline(c: &ComponentChange) -> String {
    let kind = c.kind.as_str();
    let mut text = format!("{kind} {}", c.name);
    match c.change {
        Change::Added => text.push_str(" added"),
        Change::Removed => text.push_str(" removed"),
        Change::Changed => text.push_str(" changed"),
        Change::Moved | Change::Renamed => {
            if let Some(old) = c.old_name.as_ref().filter(|_| c.change == Change::Renamed) {
                let _ = write!(text, " renamed from {old}");
            }
            if let (Some(from), Some(to)) = (&c.moved_from, &c.moved_to) {
                let _ = write!(text, " moved from {from} to {to}");
            }
        }
    }
    text
}

fn field(f: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        f.field,
        short(f.old.as_ref()),
        short(f.new.as_ref())
    )
}

const fn sign(change: Change) -> &'static str {
    match change {
        Change::Added => "+",
        Change::Removed => "-",
        Change::Changed | Change::Moved | Change::Renamed => "~",
    }
}

/// Every change as one line (components' fields as lines of their own after them).
#[must_use]
pub fn lines(diff: &ModelDiff) -> Vec<Line> {
    let mut out = Vec::new();
    for f in &diff.model {
        out.push(Line {
            class: "changed",
            text: format!("~ model {}", field(f)),
        });
    }
    for c in &diff.components {
        out.push(Line {
            class: c.change.as_str(),
            text: format!("{} {}", sign(c.change), headline(c)),
        });
        for f in &c.fields {
            out.push(Line {
                class: "changed",
                text: format!("    {}", field(f)),
            });
        }
    }
    for e in &diff.connections {
        out.push(Line {
            class: e.change.as_str(),
            text: format!(
                "{} connection {} → {} ({}{})",
                sign(e.change),
                e.from,
                e.to,
                edge_kind(e.kind),
                e.label
                    .as_ref()
                    .map(|l| format!(", {l}"))
                    .unwrap_or_default()
            ),
        });
    }
    for f in &diff.flows {
        out.push(Line {
            class: f.change.as_str(),
            text: format!("{} flow {} {}", sign(f.change), f.name, f.change.as_str()),
        });
        for s in &f.steps {
            let mut text = format!(
                "    {} step {} → {}: {}",
                sign(s.change),
                s.from,
                s.to,
                s.message
            );
            if !s.fields.is_empty() {
                let fields: Vec<String> = s.fields.iter().map(field).collect();
                let _ = write!(text, " ({})", fields.join("; "));
            }
            out.push(Line {
                class: s.change.as_str(),
                text,
            });
        }
    }
    for f in &diff.findings {
        let (class, verb) = match f.change {
            FindingChangeKind::Introduced => ("added", "+ introduced"),
            FindingChangeKind::Fixed => ("removed", "- fixed"),
        };
        out.push(Line {
            class,
            text: format!(
                "{verb} {} {} (line {}): {}",
                f.code, f.severity, f.line, f.message
            ),
        });
    }
    out
}

const fn edge_kind(kind: crate::view::EdgeKind) -> &'static str {
    match kind {
        crate::view::EdgeKind::Route => "route",
        crate::view::EdgeKind::Connect => "call",
        crate::view::EdgeKind::Mount => "mount",
        crate::view::EdgeKind::DependsOn => "depends on",
    }
}

/// One line summing the diff up: `2 added, 1 removed, …` or `no difference`.
#[must_use]
pub fn summary(diff: &ModelDiff) -> String {
    if diff.is_empty() {
        return "no difference".to_owned();
    }
    let c = diff.counts();
    let parts = [
        (c.added, "added"),
        (c.removed, "removed"),
        (c.changed, "changed"),
        (c.moved, "moved"),
        (c.renamed, "renamed"),
        (c.connections, "connection changes"),
        (c.flows, "flow changes"),
        (c.introduced, "findings introduced"),
        (c.fixed, "findings fixed"),
    ];
    let mut said: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if !diff.model.is_empty() {
        said.insert(0, format!("{} model fields changed", diff.model.len()));
    }
    said.join(", ")
}

/// For a terminal: a heading, one line per change, a summary. ANSI colours when `color`.
#[must_use]
pub fn human(diff: &ModelDiff, color: bool) -> String {
    let paint = |class: &str, text: &str| -> String {
        let text = display_safe(text);
        if !color {
            return text.into_owned();
        }
        let code = match class {
            "added" => "32",
            "removed" => "31",
            _ => "33",
        };
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    };
    let mut out = format!(
        "archflow diff {} → {}\n",
        display_safe(&one_line(&diff.old)),
        display_safe(&one_line(&diff.new))
    );
    for line in lines(diff) {
        let _ = writeln!(out, "{}", paint(line.class, &line.text));
    }
    let _ = writeln!(out, "{}", summary(diff));
    out
}

/// The diff as JSON (see the README's "JSON output of diff").
#[must_use]
pub fn json(diff: &ModelDiff) -> String {
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// Markdown for a pull-request comment: a summary, the picture as Mermaid, and the changes in
/// lists and a table of field changes.
#[must_use]
pub fn markdown(diff: &ModelDiff, mermaid: &str) -> String {
    let mut out = String::from("<!-- archflow-diff -->\n## Architecture changes\n\n");
    let _ = writeln!(
        out,
        "`{}` → `{}`: {}\n",
        code_span(&diff.old),
        code_span(&diff.new),
        markdown_inline(&summary(diff))
    );
    if diff.is_empty() {
        return out;
    }
    out.push_str("Legend: **+** added (green, solid), **−** removed (red, dashed), **~** changed, moved or renamed (amber, dotted).\n\n");
    let _ = write!(out, "```mermaid\n{mermaid}```\n\n");
    if !diff.model.is_empty() {
        out.push_str("### Model\n\n");
        fields_table(&mut out, &diff.model);
    }
    if !diff.components.is_empty() {
        out.push_str("### Components\n\n");
        for c in &diff.components {
            let _ = writeln!(
                out,
                "- **{}** {}",
                sign_md(c.change),
                markdown_inline(&headline(c))
            );
        }
        out.push('\n');
        for c in diff.components.iter().filter(|c| !c.fields.is_empty()) {
            let _ = writeln!(
                out,
                "<details><summary>{} {}: {} field{}</summary>\n",
                markdown_inline(c.kind.as_str()),
                markdown_inline(&c.name),
                c.fields.len(),
                if c.fields.len() == 1 { "" } else { "s" }
            );
            fields_table(&mut out, &c.fields);
            out.push_str("</details>\n\n");
        }
    }
    let rest = lines(&ModelDiff {
        model: Vec::new(),
        components: Vec::new(),
        ..diff.clone()
    });
    if !rest.is_empty() {
        out.push_str("### Connections, flows and findings\n\n");
        for line in rest {
            let text = line.text.trim_start();
            let (mark, text) = text.split_at(text.find(' ').unwrap_or(0));
            let indent = if line.text.starts_with("    ") {
                "  "
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{indent}- **{}** {}",
                markdown_inline(mark).replace('-', "−"),
                markdown_inline(text)
            );
        }
        out.push('\n');
    }
    out
}

const fn sign_md(change: Change) -> &'static str {
    match change {
        Change::Added => "+",
        Change::Removed => "−",
        Change::Changed | Change::Moved | Change::Renamed => "~",
    }
}

fn fields_table(out: &mut String, fields: &[FieldChange]) {
    out.push_str("| field | before | after |\n|---|---|---|\n");
    for f in fields {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            markdown_inline(&f.field),
            markdown_inline(&short(f.old.as_ref())),
            markdown_inline(&short(f.new.as_ref()))
        );
    }
    out.push('\n');
}

/// Text inside a code span: backticks and line breaks replaced (a code span cannot escape them).
fn code_span(s: &str) -> String {
    one_line(s).replace('`', "'")
}
