//! rustc-style text, rendered by annotate-snippets.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use crate::text::display_safe;

/// Render findings for a terminal (`color`) or a log (plain). See [`summary`] for the closing line.
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
    // Hand annotate-snippets only the lines the labels touch, not the whole file: rendering
    // stays proportional to the finding, not to the model's size.
    let spans = || {
        std::iter::once(&d.primary)
            .chain(&d.secondary)
            .map(|l| l.span)
    };
    let first = spans().map(|s| source.clamp(s.start)).min().unwrap_or(0);
    let last = spans().map(|s| source.clamp(s.end)).max().unwrap_or(0);
    // Lines end at `\n`, `\r\n` or a lone `\r`, as in `Source`.
    let window_start = source.text[..first]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let window_end = source.text[last..]
        .find(['\n', '\r'])
        .map_or(source.text.len(), |i| last + i);
    let window = &source.text[window_start..window_end];
    let local = |span: crate::source::Span| {
        let start = source.clamp(span.start).clamp(window_start, window_end) - window_start;
        let end = source.clamp(span.end).clamp(window_start, window_end) - window_start;
        start..end.max(start)
    };
    let mut snippet = Snippet::source(window)
        .line_start(source.line_col(window_start).line)
        .path(source.path.as_str())
        .fold(true)
        .annotation(
            AnnotationKind::Primary
                .span(local(d.primary.span))
                .label(display_safe(&d.primary.message)),
        );
    for label in &d.secondary {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(local(label.span))
                .label(display_safe(&label.message)),
        );
    }
    let title = format!("{} [{}]", display_safe(&d.message), d.name);
    let mut group = level(d.severity)
        .primary_title(title)
        .id(d.code)
        .element(snippet);
    for note in &d.notes {
        group = group.element(Level::NOTE.message(display_safe(note)));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(display_safe(help)));
    }
    vec![group]
}
