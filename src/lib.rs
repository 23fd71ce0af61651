//! archflow: a YAML model of a containerised deployment in, checked architecture docs out.
//!
//! Stages, with plain data between them:
//! `syntax::parse` (text → `Document`) → `model::lower` (→ `Model`) → `graph::ArchGraph::build`
//! → `check::run` (→ diagnostics) → `view::View::build` → `render::*` (→ text).
//! Only [`cli`] touches the file system or prints. [`text`] holds the escaping every output
//! format needs.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod graph;
pub mod inject;
pub mod interop;
pub mod layout;
pub mod model;
pub mod render;
pub mod source;
pub mod syntax;
pub mod synth;
pub mod text;
pub mod view;

use diagnostic::{Diagnostic, Severity};
use graph::ArchGraph;
use model::Model;
use source::Source;

/// The result of loading and checking one model.
#[derive(Debug)]
pub struct Analysis {
    /// `None` when the text could not be loaded (see the `L0xx` diagnostics).
    pub model: Option<Model>,
    pub graph: Option<ArchGraph>,
    /// Load or rule findings, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether the input could not be loaded at all.
    #[must_use]
    pub fn failed_to_load(&self) -> bool {
        self.model.is_none()
    }
}

/// Parse, lower, build the graph and run every rule.
#[must_use]
pub fn analyze(source: &Source) -> Analysis {
    match syntax::parse(source) {
        Err(diagnostics) => Analysis {
            model: None,
            graph: None,
            diagnostics,
        },
        Ok(doc) => {
            let model = model::lower(doc);
            let graph = ArchGraph::build(&model);
            let diagnostics = check::run(&model, &graph);
            Analysis {
                model: Some(model),
                graph: Some(graph),
                diagnostics,
            }
        }
    }
}
