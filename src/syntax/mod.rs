//! Load stage: text → [`Document`], or load diagnostics (codes `L0xx`).
//!
//! YAML and shape errors come from serde, which stops at the first one; every later stage
//! collects all findings.

pub mod aws;
pub mod document;
pub mod load_error;
pub mod schema;

pub use document::Document;
pub use load_error::{not_utf8, too_large};

use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::{Source, Span};

/// Largest input archflow reads, in bytes (16 MiB). Larger files are refused before parsing.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Parse a model. On failure the diagnostics say why (at least one, all errors).
///
/// # Errors
/// Returns load diagnostics when the text is not a valid archflow model.
pub fn parse(source: &Source) -> Result<Document, Vec<Diagnostic>> {
    if is_blank(&source.text) {
        return Err(vec![
            Diagnostic::new(
                &code::L005,
                "the model is empty",
                Label::new(Span::default(), "no YAML content in this file"),
            )
            .with_help("a model needs at least `name:` and one of `services`, `loadBalancers` or `actors`; see the README's quick start"),
        ]);
    }
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    // Room for models of 10,000+ services (the default stops at 250,000 nodes); the alias,
    // anchor and depth limits that stop alias bombs and deep nesting keep their defaults.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 40_000_000;
    budget.max_nodes = 20_000_000;
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options::<Document>(&source.text, options)
        .map_err(|err| vec![load_error::from_yaml_error(source, &err)])
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}
