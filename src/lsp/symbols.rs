//! The document's outline: actors, load balancers (their listeners), target groups, file
//! systems (their access points), services (their task, its containers and volumes) and flows
//! (their steps).

use lsp_types::SymbolKind;

use super::text::LineIndex;
use crate::model::{Model, listener_name};
use crate::source::Span;
use crate::syntax::document::S;

/// One entry of the outline, in the analysed text's spans.
#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole item (its lines).
    pub range: Span,
    /// Its name.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// The outline of a loaded model.
#[must_use]
pub fn outline(model: &Model, text: &str, lines: &LineIndex) -> Vec<Symbol> {
    let doc = &model.doc;
    let item = |name: &S<String>, detail: Option<String>, kind, children| {
        node(
            text,
            lines,
            name.value.clone(),
            Span::of(name),
            detail,
            kind,
            children,
        )
    };
    let mut out = Vec::new();
    for a in &doc.actors {
        out.push(item(
            &a.name,
            Some("actor".into()),
            SymbolKind::OBJECT,
            Vec::new(),
        ));
    }
    for lb in &doc.load_balancers {
        let listeners = lb
            .listeners
            .iter()
            .map(|l| {
                let span = l.name.as_ref().map_or_else(|| Span::of(&l.port), Span::of);
                node(
                    text,
                    lines,
                    listener_name(lb, l),
                    span,
                    Some(format!("listener on port {}", l.port.value)),
                    SymbolKind::INTERFACE,
                    Vec::new(),
                )
            })
            .collect();
        out.push(item(
            &lb.name,
            Some("load balancer".into()),
            SymbolKind::CLASS,
            listeners,
        ));
    }
    for tg in &doc.target_groups {
        out.push(item(
            &tg.name,
            Some("target group".into()),
            SymbolKind::ENUM,
            Vec::new(),
        ));
    }
    for fs in &doc.file_systems {
        let aps = fs
            .access_points
            .iter()
            .map(|ap| {
                item(
                    &ap.name,
                    Some("access point".into()),
                    SymbolKind::KEY,
                    Vec::new(),
                )
            })
            .collect();
        out.push(item(
            &fs.name,
            Some("EFS file system".into()),
            SymbolKind::PACKAGE,
            aps,
        ));
    }
    for s in &doc.services {
        let task = &s.task_definition;
        let mut parts: Vec<Symbol> = task
            .container_definitions
            .iter()
            .map(|c| {
                item(
                    &c.name,
                    Some(format!("container · {}", c.image.value)),
                    SymbolKind::STRUCT,
                    Vec::new(),
                )
            })
            .collect();
        parts.extend(
            task.volumes
                .iter()
                .map(|v| item(&v.name, Some("volume".into()), SymbolKind::FILE, Vec::new())),
        );
        let task = item(
            &task.family,
            Some("task definition".into()),
            SymbolKind::NAMESPACE,
            parts,
        );
        out.push(item(
            &s.service_name,
            Some("service".into()),
            SymbolKind::MODULE,
            vec![task],
        ));
    }
    for f in &doc.flows {
        let steps = f
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let span = Span::of(&step.from);
                node(
                    text,
                    lines,
                    format!("{}. {} → {}", i + 1, step.from.value, step.to.value),
                    span,
                    step.action.as_ref().map(|a| a.value.clone()),
                    SymbolKind::FUNCTION,
                    Vec::new(),
                )
            })
            .collect();
        out.push(item(
            &f.name,
            f.title.as_ref().map(|t| t.value.clone()),
            SymbolKind::EVENT,
            steps,
        ));
    }
    out
}

/// A symbol whose range runs from its name's line to the end of its mapping, and covers its
/// children.
fn node(
    text: &str,
    lines: &LineIndex,
    name: String,
    selection: Span,
    detail: Option<String>,
    kind: SymbolKind,
    children: Vec<Symbol>,
) -> Symbol {
    let mut range = block(text, lines, selection);
    for c in &children {
        range.start = range.start.min(c.range.start);
        range.end = range.end.max(c.range.end);
    }
    Symbol {
        name: if name.is_empty() {
            "(unnamed)".into()
        } else {
            name
        },
        detail,
        kind,
        range,
        selection,
        children,
    }
}

/// From the start of the line holding `name` to the end of the last line of its mapping (the
/// lines below that are not indented less than the name's key).
fn block(text: &str, lines: &LineIndex, name: Span) -> Span {
    let line_no = lines.line_of(name.start);
    let Some((start, mut end)) = lines.line_range(text, line_no) else {
        return name;
    };
    let here = lines.line(text, line_no);
    let col = key_column(here);
    for n in line_no + 1..lines.len() {
        let l = lines.line(text, n);
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indent = l.len() - t.len();
        if indent < col {
            break;
        }
        if let Some((_, e)) = lines.line_range(text, n) {
            end = e;
        }
    }
    Span::new(start.min(name.start), end.max(name.end))
}

/// The column of a line's key, after any `- ` list markers.
fn key_column(line: &str) -> usize {
    let mut rest = line;
    let mut col = 0;
    loop {
        let t = rest.trim_start_matches(' ');
        col += rest.len() - t.len();
        match t.strip_prefix("- ") {
            Some(r) => {
                col += 2;
                rest = r;
            }
            None => return col,
        }
    }
}
