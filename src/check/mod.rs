//! Check stage: run every rule over the model and graph, collect every finding.

pub mod config;
pub mod registry;
mod rules;

pub use registry::{RULES, Rule, rule};

use crate::diagnostic::code::Kind;
use crate::diagnostic::{self, Code, Diagnostic, Label};
use crate::graph::ArchGraph;
use crate::model::Model;

/// What a rule sees.
pub struct CheckContext<'a> {
    pub model: &'a Model,
    pub graph: &'a ArchGraph,
}

impl CheckContext<'_> {
    /// A finding of `rule`, at its default severity.
    #[must_use]
    pub fn diagnostic(rule: &Rule, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic::new(rule.code, message, primary)
    }
}

/// The long explanation of any code (what `archflow explain` prints and SARIF's `help`): a
/// rule's doc from its file, a configuration finding's from [`config`], a load error's from
/// [`crate::syntax::load_error`].
#[must_use]
pub fn explanation(code: &Code) -> &'static str {
    let doc = match code.kind {
        Kind::Rule => RULES.iter().find(|r| r.code.id == code.id).map(|r| r.doc),
        Kind::Config => config::explanation(code),
        Kind::Load => crate::syntax::load_error::explanation(code),
    };
    // Every code has one (a test walks the table); the summary is the fallback.
    doc.unwrap_or(code.summary)
}

/// Run every rule, then apply the model's `checks:` and `suppress:` settings (see [`config`]).
/// The result is sorted by position, then code.
#[must_use]
pub fn run(model: &Model, graph: &ArchGraph) -> Vec<Diagnostic> {
    let cx = CheckContext { model, graph };
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(&cx, &mut out);
    }
    config::apply(model, &mut out);
    diagnostic::sort(&mut out);
    out
}
