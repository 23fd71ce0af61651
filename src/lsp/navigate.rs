//! Go to definition, find references and rename, over the [`Index`]. Everything here works in
//! the analysed text's byte spans; the caller maps them to the editor's text.

use super::complete::plain_or_quoted;
use super::index::{Index, Target, Token};
use crate::model::{Kind, Model};
use crate::source::Span;

/// Where the thing at `offset` is defined.
#[must_use]
pub fn definition(index: &Index, offset: usize) -> Vec<Span> {
    let Some(entry) = index.at(offset) else {
        return Vec::new();
    };
    index
        .target_of(entry.token)
        .map(|t| index.definitions(t).to_vec())
        .unwrap_or_default()
}

/// Every reference to the thing at `offset` (and its definitions, with `declaration`).
#[must_use]
pub fn references(index: &Index, offset: usize, declaration: bool) -> Vec<Span> {
    let Some(target) = index.at(offset).and_then(|e| index.target_of(e.token)) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = if declaration {
        index.definitions(target).to_vec()
    } else {
        Vec::new()
    };
    spans.extend(index.uses(target).map(|r| r.span));
    spans.sort();
    spans
}

/// Why a rename cannot be done.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// The name that a rename at `offset` would change, and its span.
///
/// # Errors
/// When nothing renameable is there.
pub fn prepare_rename(
    model: &Model,
    index: &Index,
    text: &str,
    offset: usize,
) -> Result<(Span, String), Refused> {
    let entry = index
        .at(offset)
        .ok_or_else(|| Refused("there is no name of a component here".to_owned()))?;
    let target = match entry.token {
        Token::Rule(_) => {
            return Err(Refused("rule codes cannot be renamed".to_owned()));
        }
        token => index.target_of(token).ok_or_else(|| {
            Refused("this name refers to nothing defined; fix the reference first".to_owned())
        })?,
    };
    let name = short_name(model, target);
    // An unnamed listener is defined by its port; its name is `<load balancer>:<port>`.
    let Some(def) = index.definitions(target).first() else {
        return Err(Refused("no definition found".to_owned()));
    };
    if unquote(text.get(def.start..def.end).unwrap_or("")) != name {
        return Err(Refused(
            "this listener has no `name:` of its own; add one to rename it".to_owned(),
        ));
    }
    // The span of the part under the cursor that the rename changes.
    let span = match entry.token {
        Token::Reference(i) => {
            let r = &index.refs[i];
            written_name_span(text, r.span, &name).unwrap_or(r.span)
        }
        _ => entry.span,
    };
    Ok((span, name))
}

fn short_name(model: &Model, target: &Target) -> String {
    match target {
        Target::Component(id) => model
            .components
            .get(id)
            .map_or_else(|| id.name.clone(), |c| c.short.clone()),
        Target::AccessPoint { name, .. } => name.clone(),
    }
}

/// Within a reference written as `service/name`, the span of `name`.
fn written_name_span(text: &str, span: Span, name: &str) -> Option<Span> {
    let written = text.get(span.start..span.end)?;
    let at = written.rfind(name)?;
    Some(Span::new(span.start + at, span.start + at + name.len()))
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The edits that rename the thing at `offset` to `new`: its definitions, every reference to
/// it, and the qualified names that spell it (`service/container` when a service is renamed,
/// `<load balancer>:<port>` of its unnamed listeners when a load balancer is).
///
/// # Errors
/// When nothing renameable is there, or `new` is not a valid name or is taken.
pub fn rename(
    model: &Model,
    index: &Index,
    text: &str,
    offset: usize,
    new: &str,
) -> Result<Vec<(Span, String)>, Refused> {
    let (_, old) = prepare_rename(model, index, text, offset)?;
    let target = index
        .at(offset)
        .and_then(|e| index.target_of(e.token))
        .ok_or_else(|| Refused("nothing to rename here".to_owned()))?
        .clone();
    let new = new.trim();
    if new.is_empty() || new.contains('/') || new.contains(|c: char| c.is_control()) {
        return Err(Refused(format!(
            "`{new}` is not a valid name (no `/`, no control characters, not empty)"
        )));
    }
    if new == old {
        return Ok(Vec::new());
    }
    if taken(model, &target, new) {
        return Err(Refused(format!(
            "`{new}` is already the name of another component here"
        )));
    }
    let mut edits = Vec::new();
    let mut replace = |span: Span, value: String| {
        let written = text.get(span.start..span.end).unwrap_or("");
        let quoted = written.starts_with(['"', '\'']);
        let scalar = if quoted {
            serde_json::to_string(&value).unwrap_or_else(|_| format!("\"{value}\""))
        } else {
            plain_or_quoted(&value)
        };
        edits.push((span, scalar));
    };
    for &span in index.definitions(&target) {
        replace(span, new.to_owned());
    }
    for r in index.uses(&target) {
        let value = match r.text.rsplit_once('/') {
            Some((service, _)) => format!("{service}/{new}"),
            None => new.to_owned(),
        };
        replace(r.span, value);
    }
    if let Target::Component(id) = &target {
        let prefix = match id.kind {
            Kind::Service => Some('/'),
            Kind::LoadBalancer => Some(':'),
            _ => None,
        };
        if let Some(sep) = prefix {
            let old_prefix = format!("{old}{sep}");
            for r in &index.refs {
                let Some(Target::Component(t)) = index.target_of_ref(r) else {
                    continue;
                };
                let spelled = match id.kind {
                    Kind::Service => t.kind.is_scoped() && t.name.starts_with(&old_prefix),
                    _ => t.kind == Kind::Listener && t.name.starts_with(&old_prefix),
                };
                if let (true, Some(rest)) = (spelled, r.text.strip_prefix(&old_prefix)) {
                    replace(r.span, format!("{new}{sep}{rest}"));
                }
            }
        }
    }
    edits.sort_by_key(|(span, _)| span.start);
    edits.dedup_by_key(|(span, _)| span.start);
    Ok(edits)
}

/// Whether another component that `new` would clash with already has it: one of the same kind
/// in the same task for containers and volumes, any service for a service, any task for a
/// task, any other referenceable component otherwise.
fn taken(model: &Model, target: &Target, new: &str) -> bool {
    match target {
        Target::AccessPoint { file_system, .. } => model
            .file_system(file_system)
            .is_some_and(|fs| fs.access_points.iter().any(|a| a.name.value == new)),
        Target::Component(id) => {
            let service = model.components.get(id).and_then(|c| c.service.as_deref());
            model.components.values().any(|c| {
                c.short == new
                    && c.id != *id
                    && match id.kind {
                        Kind::Container | Kind::Volume => {
                            c.id.kind == id.kind && c.service.as_deref() == service
                        }
                        Kind::Service | Kind::Task => c.id.kind == id.kind,
                        _ => c.id.kind.is_referenceable() && !c.id.kind.is_scoped(),
                    }
            })
        }
    }
}
