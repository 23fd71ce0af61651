//! Findings as JSON: one object per finding with file, line and column resolved.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineCol, Source};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    file: &'a str,
    summary: Summary,
    diagnostics: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Item<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    start: LineCol,
    end: LineCol,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    primary: bool,
    message: &'a str,
    start: LineCol,
    end: LineCol,
    offset: usize,
    length: usize,
}

/// A pretty-printed JSON report, ending with a newline.
#[must_use]
pub fn render(source: &Source, diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let report = Report {
        version: 1,
        file: &source.path,
        summary: Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        },
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let labels = std::iter::once((true, &d.primary))
                    .chain(d.secondary.iter().map(|l| (false, l)))
                    .map(|(primary, l)| JsonLabel {
                        primary,
                        message: &l.message,
                        start: source.line_col(l.span.start),
                        end: source.line_col(l.span.end),
                        offset: l.span.start,
                        length: l.span.end.saturating_sub(l.span.start),
                    })
                    .collect();
                Item {
                    code: d.code,
                    rule: d.name,
                    severity: d.severity,
                    message: &d.message,
                    file: &source.path,
                    start: source.line_col(d.primary.span.start),
                    end: source.line_col(d.primary.span.end),
                    labels,
                    notes: &d.notes,
                    help: d.help.as_deref(),
                }
            })
            .collect(),
    };
    // Serializing plain structs of strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
