//! Check stage: run every rule over the model and graph, collect every finding.

pub mod config;
pub mod registry;
mod rules;

pub use config::{CONFIG_RULES, config_rule};
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

/// A rule (`A…`) or a configuration finding (`C…`), by code or name: what `archflow explain`
/// looks up.
#[must_use]
pub fn any_rule(code_or_name: &str) -> Option<&'static RuleInfo> {
    rule(code_or_name).or_else(|| config_rule(code_or_name))
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
