//! Findings as JSON: one object per finding with file, line and column resolved.
//!
//! The report types are public and deserialize too, so tools written in Rust can read a report
//! back (`serde_json::from_str::<Report>`), and the tests check that it round-trips.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineCol, Source};

/// The whole report (`archflow check --format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The report format's version: 1.
    pub version: u32,
    /// The model's path as given on the command line (`<stdin>` for standard input).
    pub file: String,
    pub summary: Summary,
    pub diagnostics: Vec<Item>,
}

/// How many findings of each severity the report holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// `A001`, `C003`, `L002`, …
    pub code: String,
    /// The rule's name, e.g. `unknown-reference`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    /// Where the primary label starts and ends (1-based; columns in characters; end exclusive).
    pub start: LineCol,
    pub end: LineCol,
    /// The primary label first, then the secondary ones.
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The component the finding is about (where `suppress:` can silence it); `null` for load
    /// errors and settings that belong to no component.
    pub subject: Option<String>,
}

/// A span of the model with its message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonLabel {
    pub primary: bool,
    pub message: String,
    pub start: LineCol,
    pub end: LineCol,
    /// Byte offset and length in the file.
    pub offset: usize,
    pub length: usize,
}

/// The report of `diagnostics` on `source`.
#[must_use]
pub fn report(source: &Source, diagnostics: &[Diagnostic]) -> Report {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    Report {
        version: 1,
        file: source.path.clone(),
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
                        message: l.message.clone(),
                        start: source.line_col(l.span.start),
                        end: source.line_col(l.span.end),
                        offset: l.span.start,
                        length: l.span.end.saturating_sub(l.span.start),
                    })
                    .collect();
                Item {
                    code: d.code.to_owned(),
                    rule: d.name.to_owned(),
                    severity: d.severity,
                    message: d.message.clone(),
                    file: source.path.clone(),
                    start: source.line_col(d.primary.span.start),
                    end: source.line_col(d.primary.span.end),
                    labels,
                    notes: d.notes.clone(),
                    help: d.help.clone(),
                    subject: d.subject.clone(),
                }
            })
            .collect(),
    }
}

/// A pretty-printed JSON report, ending with a newline.
#[must_use]
pub fn render(source: &Source, diagnostics: &[Diagnostic]) -> String {
    // Serializing plain structs of strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&report(source, diagnostics)).unwrap_or_default();
    text.push('\n');
    text
}
