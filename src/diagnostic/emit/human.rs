//! rustc-style text, rendered by annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;

/// Render findings for a terminal (`color`) or a log (plain), followed by a one-line summary.
#[must_use]
pub fn render(source: &Source, diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&report(source, d)));
        out.push_str("\n\n");
    }
    out
}

/// `2 errors, 1 warning` style summary, or `no findings`.
#[must_use]
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Info), "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| {
        if n == 1 || what == "info" {
            format!("{n} {what}")
        } else {
            format!("{n} {what}s")
        }
    })
    .collect();
    if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn report<'a>(source: &'a Source, d: &'a Diagnostic) -> Vec<Group<'a>> {
    let clamp = |span: crate::source::Span| {
        let start = source.clamp(span.start);
        start..source.clamp(span.end).max(start)
    };
    let mut snippet = Snippet::source(source.text.as_str())
        .path(source.path.as_str())
        .fold(true)
        .annotation(
            AnnotationKind::Primary
                .span(clamp(d.primary.span))
                .label(d.primary.message.as_str()),
        );
    for label in &d.secondary {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(clamp(label.span))
                .label(label.message.as_str()),
        );
    }
    let title = format!("{} [{}]", d.message, d.name);
    let mut group = level(d.severity)
        .primary_title(title)
        .id(d.code)
        .element(snippet);
    for note in &d.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    vec![group]
}
