//! Check stage: run every rule over the model and graph, collect every finding.

pub mod config;
mod provenance;
pub mod registry;
mod rules;

pub use registry::{RULES, Rule, rule};
pub use rules::output_file_name::{
    MAX_NAME_BYTES, family_file, family_files as family_file_findings, flow_file,
    flow_files as flow_file_findings,
};

use crate::diagnostic::code::{self, Kind};
use crate::diagnostic::{self, Code, Diagnostic, Label};
use crate::graph::ArchGraph;
use crate::model::Model;
use crate::syntax::load_error;

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

/// The explanations of the codes that are not rules (a rule's is in its [`Rule`]): settings
/// findings, written in [`config`], and load errors, in [`crate::syntax::load_error`].
static EXPLANATIONS: &[(&Code, &str)] = &[
    (&code::C001, config::C001_DOC),
    (&code::C002, config::C002_DOC),
    (&code::C003, config::C003_DOC),
    (&code::C004, config::C004_DOC),
    (&code::L001, load_error::L001_DOC),
    (&code::L002, load_error::L002_DOC),
    (&code::L003, load_error::L003_DOC),
    (&code::L004, load_error::L004_DOC),
    (&code::L005, load_error::L005_DOC),
    (&code::L006, load_error::L006_DOC),
    (&code::L007, load_error::L007_DOC),
    (&code::L008, load_error::L008_DOC),
    (&code::L009, load_error::L009_DOC),
];

/// The long explanation of any code (what `archflow explain` prints and SARIF's `help`): a
/// rule's doc from its file, a configuration finding's from [`config`], a load error's from
/// [`crate::syntax::load_error`].
#[must_use]
pub fn explanation(code: &Code) -> &'static str {
    let doc = match code.kind {
        Kind::Rule => RULES.iter().find(|r| r.code.id == code.id).map(|r| r.doc),
        Kind::Config | Kind::Load => EXPLANATIONS
            .iter()
            .find(|(known, _)| known.id == code.id)
            .map(|(_, doc)| *doc),
    };
    // Every code has one (a test walks the table); the summary is the fallback.
    doc.unwrap_or(code.summary)
}

/// Models with at least this many services are checked on two threads.
const PARALLEL_RULES_FROM: usize = 200;

/// Run every rule, then apply the model's `checks:` and `suppress:` settings (see [`config`]).
/// The result is sorted by position, then code.
#[must_use]
pub fn run(model: &Model, graph: &ArchGraph) -> Vec<Diagnostic> {
    let cx = CheckContext { model, graph };
    let run = |rules: &[Rule]| {
        let mut out = Vec::new();
        for rule in rules {
            (rule.check)(&cx, &mut out);
        }
        out
    };
    // Half the rules on a second thread when the model is large enough to pay for it; the
    // findings are joined in the rules' order, so the result is the same either way.
    let mut out = if model.doc.services.len() >= PARALLEL_RULES_FROM {
        let (first, second) = RULES.split_at(RULES.len() / 2);
        let (mut out, later) = crate::parallel::join(|| run(first), || run(second));
        out.extend(later);
        out
    } else {
        run(RULES)
    };
    config::apply(model, &mut out);
    provenance::annotate(model, &mut out);
    diagnostic::sort(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use crate::source::Source;

    /// A model checked on two threads gets the findings one thread gives, in the same order.
    #[test]
    fn two_threads_find_what_one_finds() {
        let text = crate::synth::generate(super::PARALLEL_RULES_FROM + 10, 3)
            .replace("encrypted: true", "encrypted: false")
            .replacen("targetType: ip", "targetType: instance", 3);
        let analysis = crate::analyze(&Source::new("m.yaml", text));
        let (model, graph) = (analysis.model.unwrap(), analysis.graph.unwrap());
        let cx = super::CheckContext {
            model: &model,
            graph: &graph,
        };
        let mut one = Vec::new();
        for rule in super::RULES {
            (rule.check)(&cx, &mut one);
        }
        super::config::apply(&model, &mut one);
        super::provenance::annotate(&model, &mut one);
        crate::diagnostic::sort(&mut one);
        let two = super::run(&model, &graph);
        let codes: std::collections::BTreeSet<_> = two.iter().map(|d| d.code).collect();
        assert!(codes.len() > 1, "{codes:?}");
        assert_eq!(format!("{two:?}"), format!("{one:?}"));
    }
}
