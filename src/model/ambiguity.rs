//! Ambiguous references (`L009`): a short name, written outside a task, that several
//! components have. They stop loading, like a YAML error: nothing can be checked or drawn
//! correctly while a reference could mean two things.

use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::Span;
use crate::syntax::document::S;

use super::{Component, Field, Lookup, Model};

/// Every reference of the model that names several components, in document order.
#[must_use]
pub fn ambiguities(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in super::references(model) {
        if !matches!(
            r.field,
            Field::ConnectsTo | Field::StepFrom | Field::StepTo | Field::Concerns
        ) {
            continue;
        }
        if let Lookup::Ambiguous(candidates) = model.lookup(&r.name.value, r.preferred_scope(), &[])
        {
            out.push(report(r.name, &candidates));
        }
    }
    out
}

fn report(r: &S<String>, candidates: &[&Component]) -> Diagnostic {
    let names: Vec<String> = candidates
        .iter()
        .map(|c| format!("{} `{}`", c.id.kind.as_str(), c.id.name))
        .collect();
    let mut d = Diagnostic::new(
        &code::L009,
        format!(
            "`{}` could mean {} components: {}",
            r.value,
            candidates.len(),
            names.join(", ")
        ),
        Label::new(Span::of(r), "ambiguous"),
    );
    for c in candidates {
        d = d.with_secondary(Label::new(
            c.span,
            format!("{} `{}`", c.id.kind.as_str(), c.id.name),
        ));
    }
    let qualified: Vec<String> = candidates
        .iter()
        .filter(|c| c.id.kind.is_scoped())
        .map(|c| format!("`{}`", c.id.name))
        .collect();
    d.help = Some(if qualified.is_empty() {
        "rename one of the components so that each name means one".to_owned()
    } else {
        format!(
            "write the qualified name of the one you mean: {}",
            qualified.join(" or ")
        )
    });
    d
}
