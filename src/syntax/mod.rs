//! Load stage: text → [`Document`], or load diagnostics (codes `L0xx`).
//!
//! YAML and shape errors come from serde, which stops at the first one; every later stage
//! collects all findings.

pub mod aws;
pub mod document;
pub mod flow;
pub mod load_error;
pub mod schema;
pub mod spanned;
mod split;
pub(crate) use split::service_items;
pub mod yaml_error;

pub use document::Document;
pub use load_error::{not_utf8, too_large};

use crate::diagnostic::{Diagnostic, Label, code};
use crate::source::{Source, Span};

/// Largest input archflow reads, in bytes (16 MiB). Larger files are refused before parsing.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// How a model's YAML is read, by [`parse`] and by everything else that reads a model's text
/// (the diff's records): room for models of 10,000+ services (the default stops at 250,000
/// nodes); the alias, anchor and depth limits that stop alias bombs and deep nesting keep their
/// defaults.
#[must_use]
pub fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 40_000_000;
    budget.max_nodes = 20_000_000;
    options.budget = Some(budget);
    options
}

/// Parse a model. On failure the diagnostics say why (at least one, all errors).
///
/// # Errors
/// Returns load diagnostics when the text is not a valid archflow model.
pub fn parse(source: &Source) -> Result<Document, Vec<Diagnostic>> {
    parse_beside(source, None)
}

/// [`parse`] `source`, given an earlier version of it that read as a document (a diff's other
/// side): the items of its top-level lists it has unchanged are copied from that document
/// rather than read again (see [`split::beside`]). The result is the same as [`parse`]'s, values, spans and
/// errors alike.
///
/// # Errors
/// Returns load diagnostics when the text is not a valid archflow model.
pub fn parse_beside(
    source: &Source,
    base: Option<(&str, &Document)>,
) -> Result<Document, Vec<Diagnostic>> {
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
    let read = base
        .and_then(|(text, doc)| split::beside(&source.text, text, doc, split::MIN_ITEMS))
        .or_else(|| split::parse(&source.text, split::MIN_ITEMS));
    let mut doc = match read {
        Some(doc) => doc,
        None => serde_saphyr::from_str_with_options::<Document>(&source.text, yaml_options())
            .map_err(|err| {
                // A value of the wrong kind may be the work of a syntax error further on (a `{`
                // never closed reads as a mapping where a list belongs): the syntax error is the
                // real cause.
                let syntax = (!yaml_error::is_syntax(&err))
                    .then(|| yaml_error::syntax_error(source))
                    .flatten();
                vec![syntax.unwrap_or_else(|| yaml_error::diagnostic_of(source, &err))]
            })?,
    };
    // Flow items are steps or groups of steps: one struct for both, told apart here.
    let malformed = flow::open_groups(source, &mut doc);
    if malformed.is_empty() {
        Ok(doc)
    } else {
        Err(malformed)
    }
}

/// Whether a text holds no YAML content: only blank lines, comments and document markers (lines
/// end at `\n`, `\r\n` or a lone `\r`, as in YAML).
fn is_blank(text: &str) -> bool {
    text.split(['\n', '\r']).all(|l| {
        let t = l.trim().trim_start_matches('\u{feff}');
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}
