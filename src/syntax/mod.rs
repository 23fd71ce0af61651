//! Load stage: text → [`Document`], or load diagnostics (codes `L0xx`).
//!
//! YAML and shape errors come from serde, which stops at the first one; every later stage
//! collects all findings.

pub mod document;
pub mod schema;

pub use document::Document;

use serde_saphyr::Error as YamlError;

use crate::diagnostic::{Diagnostic, Label, Severity, did_you_mean};
use crate::source::{Source, Span};

/// Largest input archflow reads, in bytes (16 MiB). Larger files are refused before parsing.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Every load error archflow reports: (code, name, what it means), for reports that describe
/// their rules (SARIF).
pub const LOAD_ERRORS: &[(&str, &str, &str)] = &[
    ("L001", "invalid-yaml", "the file is not valid YAML"),
    (
        "L002",
        "invalid-value",
        "a value has the wrong type or is not an allowed value",
    ),
    ("L003", "unknown-key", "a key archflow does not know"),
    ("L004", "missing-key", "a required key is missing"),
    ("L005", "empty-model", "the file holds no YAML content"),
    ("L006", "not-utf8", "the file is not valid UTF-8"),
    ("L007", "input-too-large", "the file is larger than 16 MiB"),
    (
        "L008",
        "yaml-limit",
        "the YAML exceeds the safety limits (alias bombs, deep nesting)",
    ),
];

/// Parse a model. On failure the diagnostics say why (at least one, all errors).
///
/// # Errors
/// Returns load diagnostics when the text is not a valid archflow model.
pub fn parse(source: &Source) -> Result<Document, Vec<Diagnostic>> {
    if is_blank(&source.text) {
        return Err(vec![
            Diagnostic::new(
                "L005",
                "empty-model",
                Severity::Error,
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
        .map_err(|err| vec![from_yaml_error(source, &err)])
}

/// Diagnostic for a file that is not UTF-8 (the loader reads bytes first). Its span is the first
/// bad byte in the lossily decoded text (identical to the input up to that byte).
#[must_use]
pub fn not_utf8(bytes: &[u8]) -> Diagnostic {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    Diagnostic::new(
        "L006",
        "not-utf8",
        Severity::Error,
        format!("the file is not valid UTF-8 (first bad byte at offset {valid})"),
        Label::new(Span::new(valid, valid + 1), "not UTF-8"),
    )
    .with_help("save the file as UTF-8; YAML models are text")
}

/// Diagnostic for an input larger than [`MAX_INPUT_BYTES`].
#[must_use]
pub fn too_large(len: u64) -> Diagnostic {
    Diagnostic::new(
        "L007",
        "input-too-large",
        Severity::Error,
        format!(
            "the file is {} MiB; archflow reads models of at most {} MiB",
            len.div_ceil(1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
        Label::new(Span::default(), "refused before parsing"),
    )
    .with_help("split the model, or check that this is the file you meant")
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn innermost(mut err: &YamlError) -> &YamlError {
    loop {
        match err {
            YamlError::WithSnippet { error, .. } | YamlError::AliasError { error, .. } => {
                err = error;
            }
            other => return other,
        }
    }
}

fn from_yaml_error(source: &Source, err: &YamlError) -> Diagnostic {
    use serde_saphyr::MessageFormatter as _;

    // Syntax errors from the parser carry line and column but no byte offset.
    let span = err
        .location()
        .map(|loc| {
            let span = Span::from_location(&loc);
            if loc.span().byte_offset().is_some() || loc.line() == 0 {
                span
            } else {
                let line = usize::try_from(loc.line()).unwrap_or(usize::MAX);
                let column = usize::try_from(loc.column()).unwrap_or(usize::MAX);
                let start = source.offset_of(line, column);
                Span::new(start, start + 1)
            }
        })
        .unwrap_or_default();
    // Keep the caret inside the text: an error at end of input points at the last character.
    let span = clamp_span(source, span);
    let inner = innermost(err);
    let text = printable(&serde_saphyr::DefaultMessageFormatter.format_message(inner));
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let field = printable(field);
            let mut d = Diagnostic::new(
                "L003",
                "unknown-key",
                Severity::Error,
                format!("unknown key `{field}`"),
                Label::new(span, "not a key archflow knows here"),
            );
            d.help = Some(match did_you_mean(&field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            });
            d
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let variant = printable(variant);
            let mut d = Diagnostic::new(
                "L002",
                "invalid-value",
                Severity::Error,
                format!("unknown value `{variant}`"),
                Label::new(span, "not one of the allowed values"),
            );
            d.help = Some(match did_you_mean(&variant, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? allowed: {}", expected.join(", ")),
                None => format!("allowed: {}", expected.join(", ")),
            });
            d
        }
        YamlError::SerdeMissingField { field, .. } => Diagnostic::new(
            "L004",
            "missing-key",
            Severity::Error,
            format!("missing required key `{field}`"),
            Label::new(span, format!("this mapping needs `{field}`")),
        ),
        YamlError::Unexpected { expected, .. } => Diagnostic::new(
            "L002",
            "invalid-value",
            Severity::Error,
            format!("wrong kind of value: expected {}", article(expected)),
            Label::new(span, "not the expected shape"),
        )
        .with_help(shape_help(expected)),
        YamlError::SerdeInvalidType { .. }
        | YamlError::SerdeInvalidValue { .. }
        | YamlError::SerdeInvalidLength { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::InvalidBooleanStrict { .. }
        | YamlError::NullIntoString { .. }
        | YamlError::NonFiniteFloat { .. } => Diagnostic::new(
            "L002",
            "invalid-value",
            Severity::Error,
            friendly_value_message(&text),
            Label::new(span, "wrong type or value"),
        ),
        YamlError::Budget { .. }
        | YamlError::AliasReplayCounterOverflow { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => Diagnostic::new(
            "L008",
            "yaml-limit",
            Severity::Error,
            format!("the YAML exceeds archflow's safety limits: {text}"),
            Label::new(span, "limit reached here"),
        )
        .with_help("models do not need deep nesting or aliases that expand to huge documents"),
        _ if text.contains("recursion limit") => Diagnostic::new(
            "L008",
            "yaml-limit",
            Severity::Error,
            format!("the YAML nests deeper than archflow allows: {text}"),
            Label::new(span, "limit reached here"),
        )
        .with_help("models do not need deep nesting; check for unbalanced brackets"),
        _ => Diagnostic::new(
            "L001",
            "invalid-yaml",
            Severity::Error,
            text,
            Label::new(span, "YAML syntax error"),
        ),
    }
}

/// Message text with control characters made visible (quotes stay as they are).
fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// `expected mapping start` → `a mapping`.
fn article(expected: &str) -> String {
    let what = expected
        .trim_end_matches(" start")
        .trim_end_matches(" scalar")
        .trim();
    match what {
        "mapping" => "a mapping (`key: value` lines)".to_owned(),
        "sequence" => "a list (`- item` lines or `[a, b]`)".to_owned(),
        "string" => "a text value".to_owned(),
        other => other.to_owned(),
    }
}

fn shape_help(expected: &str) -> String {
    if expected.contains("mapping") {
        "write the item as `key: value` pairs, e.g. `- name: user` instead of `- user`".to_owned()
    } else if expected.contains("sequence") {
        "write a list: `[a, b]` or one `- item` per line".to_owned()
    } else {
        "check the value's type against the README's model reference".to_owned()
    }
}

/// serde's terse `invalid u32` → what a person should write.
fn friendly_value_message(text: &str) -> String {
    let expected = match text {
        "invalid u16" => "a whole number from 0 to 65535",
        "invalid u32" => "a whole number from 0 to 4294967295",
        "invalid u64" => "a whole number",
        "invalid bool" | "invalid boolean" => "`true` or `false`",
        _ => return text.to_owned(),
    };
    format!("invalid value: expected {expected}")
}

fn clamp_span(source: &Source, span: Span) -> Span {
    let len = source.text.len();
    let start = source.clamp(span.start.min(len));
    let end = source.clamp(span.end.min(len)).max(start);
    Span::new(start, end)
}
