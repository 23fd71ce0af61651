//! archflow's findings as LSP diagnostics: the same code, severity, range and related
//! locations as `archflow check`, with help and notes in the message and the code linked to
//! its explanation.

use std::fmt::Write as _;
use std::str::FromStr as _;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Uri,
};

use super::snapshot::Snapshot;
use super::text::Encoding;
use crate::diagnostic::{Diagnostic, Severity, code};

/// The URI scheme of explanations: `archflow:/explain/A001.md`. Clients that cannot open it
/// ask for the text with the `archflow/explain` request (the VS Code extension does it for
/// this scheme).
pub const EXPLAIN_PREFIX: &str = "archflow:/explain/";

/// The `source` of every diagnostic.
pub const SOURCE: &str = "archflow";

/// The link to a code's explanation.
#[must_use]
pub fn explain_uri(code: &str) -> Option<Uri> {
    Uri::from_str(&format!("{EXPLAIN_PREFIX}{code}.md")).ok()
}

/// The code an explanation link names.
#[must_use]
pub fn code_of_explain_uri(uri: &str) -> Option<&str> {
    uri.strip_prefix(EXPLAIN_PREFIX)?.strip_suffix(".md")
}

/// Every finding of a snapshot, positioned in its text.
#[must_use]
pub fn convert(snapshot: &Snapshot, uri: &Uri, encoding: Encoding) -> Vec<lsp_types::Diagnostic> {
    snapshot
        .analysis
        .diagnostics
        .iter()
        .map(|d| one(snapshot, uri, d, encoding))
        .collect()
}

/// The LSP severity of a finding.
#[must_use]
pub const fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// One finding, positioned in the snapshot's text.
#[must_use]
pub fn one(
    snapshot: &Snapshot,
    uri: &Uri,
    d: &Diagnostic,
    encoding: Encoding,
) -> lsp_types::Diagnostic {
    let text = snapshot.text();
    let range = |span| snapshot.lines.range(text, span, encoding);
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        let _ = write!(message, " ({})", d.primary.message);
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range(label.span),
            },
            message: label.message.clone(),
        })
        .collect();
    let tags = (d.code == code::C003.id).then(|| vec![DiagnosticTag::UNNECESSARY]);
    lsp_types::Diagnostic {
        range: range(d.primary.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_owned())),
        code_description: explain_uri(d.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: Some(serde_json::json!({ "name": d.name })),
    }
}
