//! Check stage: run every rule over the model and graph, collect every finding.

pub mod registry;
mod rules;

pub use registry::{RULES, RuleInfo, rule};

use crate::diagnostic::{self, Diagnostic, Label};
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
    pub fn diagnostic(rule: &RuleInfo, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic::new(rule.code, rule.name, rule.severity, message, primary)
    }
}

/// Run every rule. The result is sorted by position, then code.
#[must_use]
pub fn run(model: &Model, graph: &ArchGraph) -> Vec<Diagnostic> {
    let cx = CheckContext { model, graph };
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(&cx, &mut out);
    }
    diagnostic::sort(&mut out);
    out
}
