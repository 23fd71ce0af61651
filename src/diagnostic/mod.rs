//! Findings about the user's model: data, never printed here (see `emit`).

pub mod code;
pub mod emit;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use code::Code;

use crate::source::Span;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// A span with a message attached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    #[must_use]
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
        }
    }
}

/// One finding: a stable code, a severity, a message, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `A001` (rules) or `L003` (loading).
    pub code: &'static str,
    /// Kebab-case name of the rule or load error, e.g. `unknown-reference`.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The name of the component the finding is about (a service, container, load balancer, …),
    /// where a suppression on that component can silence it. `None` for load errors.
    pub subject: Option<String>,
}

impl Diagnostic {
    /// A finding of `code`, at the code's default severity.
    #[must_use]
    pub fn new(code: &Code, message: impl Into<String>, primary: Label) -> Self {
        Self {
            code: code.id,
            name: code.name,
            severity: code.severity,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            subject: None,
        }
    }

    /// The table entry of this finding's code.
    #[must_use]
    pub fn info(&self) -> Option<&'static Code> {
        Code::find(self.code)
    }

    /// Say which component the finding is about (see [`Diagnostic::subject`]).
    #[must_use]
    pub fn about(mut self, component: impl Into<String>) -> Self {
        self.subject = Some(component.into());
        self
    }

    #[must_use]
    pub fn with_secondary(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Sort findings by position, then code, so output order never depends on rule order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.code, &a.message).cmp(&(b.primary.span.start, b.code, &b.message))
    });
}

/// The closest candidate to `name` by Jaro–Winkler similarity, if close enough to suggest.
#[must_use]
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["goals-backend", "mongodb", "goals-alb"];
        assert_eq!(did_you_mean("mongdb", names), Some("mongodb"));
        assert_eq!(did_you_mean("goals-backnd", names), Some("goals-backend"));
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
