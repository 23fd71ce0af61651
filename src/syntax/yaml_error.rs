//! YAML errors in archflow's words: every error of the YAML reader (serde-saphyr and its parser)
//! becomes a load diagnostic (`L001`–`L004`, `L008`) whose message says what is wrong in terms of
//! the file, never of the library, and whose place is the real cause: the unclosed bracket, not
//! the value it swallowed; the mis-indented key, not the mapping it left.
//!
//! Used for the model and for the compose files `archflow import compose` reads.

use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;

use crate::diagnostic::{Diagnostic, Label, code, did_you_mean};
use crate::source::{Source, Span};

/// The error inside the wrappers that only add context.
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

/// Whether the error is about the YAML text itself (its syntax), not about the values' types.
#[must_use]
pub fn is_syntax(err: &YamlError) -> bool {
    matches!(
        innermost(err),
        YamlError::ExternalMessage { .. }
            | YamlError::Eof { .. }
            | YamlError::UnknownAnchor { .. }
            | YamlError::MultipleDocuments { .. }
            | YamlError::DuplicateMappingKey { .. }
            | YamlError::RecursiveReferencesRequireWeakTypes { .. }
    )
}

/// The first syntax error of `source`, found by the YAML parser alone: no value is built and no
/// alias repeated, so it takes time in proportion to the text, whatever the text holds. Nesting
/// deeper than the parser's limit is not reported here.
#[must_use]
pub fn syntax_error(source: &Source) -> Option<Diagnostic> {
    let parser = serde_saphyr::granit_parser::Parser::new_from_str(&source.text);
    for event in parser {
        if let Err(scan) = event {
            // A limit is no syntax error: the value's own error stays the cause.
            if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded) {
                return None;
            }
            let mark = scan.marker();
            let start = mark
                .byte_offset()
                .unwrap_or_else(|| source.offset_of(mark.line(), mark.col() + 1));
            let start = source.clamp(start.min(source.text.len()));
            let end = source.clamp((start + 1).min(source.text.len())).max(start);
            let lines = lines(&source.text);
            return Some(syntax(
                source,
                &lines,
                Span::new(start, end),
                scan.kind(),
                &scan.info(),
            ));
        }
    }
    None
}

/// The span of the error in `source`: from its byte offset, or its line and column.
fn location(source: &Source, err: &YamlError) -> Span {
    let span = err
        .location()
        .map(|loc| {
            let span = Span::from_location(&loc);
            if loc.span().byte_offset().is_some() || loc.line() == 0 {
                span
            } else {
                // Syntax errors from the parser carry line and column but no byte offset.
                let line = usize::try_from(loc.line()).unwrap_or(usize::MAX);
                let column = usize::try_from(loc.column()).unwrap_or(usize::MAX);
                let start = source.offset_of(line, column);
                Span::new(start, start + 1)
            }
        })
        .unwrap_or_default();
    // Keep the caret inside the text: an error at end of input points at the last character.
    let len = source.text.len();
    let start = source.clamp(span.start.min(len));
    let end = source.clamp(span.end.min(len)).max(start);
    Span::new(start, end)
}

/// One line of the source: its start, its text (without the line break), its indentation.
struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// Blank, or only a comment.
    fn is_blank(&self) -> bool {
        let t = self.text.trim();
        t.is_empty() || t.starts_with('#')
    }

    /// The key this line starts with (`key:` or `- key:`), and its byte offset in the line.
    fn key(&self) -> Option<(&str, usize)> {
        let body = self.text.trim_start_matches(' ');
        let (body, at) = match body.strip_prefix("- ") {
            Some(rest) => (rest.trim_start(), self.text.len() - rest.trim_start().len()),
            None => (body, self.text.len() - body.len()),
        };
        let colon = body.find(':')?;
        let key = body[..colon].trim_end();
        let after = &body[colon + 1..];
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''));
        (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some((key, at))
    }
}

/// The lines of `text`, split at `\n`, `\r\n` or a lone `\r` (YAML's line breaks).
fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(Line {
                    start,
                    text: &text[start..i],
                });
                start = i + 1;
            }
            b'\r' => {
                out.push(Line {
                    start,
                    text: &text[start..i],
                });
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(Line {
            start,
            text: &text[start..],
        });
    }
    out
}

/// The index of the line holding byte `at`.
fn line_index(lines: &[Line<'_>], at: usize) -> usize {
    lines.partition_point(|l| l.start <= at).saturating_sub(1)
}

/// A diagnostic of `code` at `span`, with its label and help.
fn diagnostic(
    code: &crate::diagnostic::Code,
    message: impl Into<String>,
    span: Span,
    label: &str,
    help: Option<String>,
) -> Diagnostic {
    let mut d = Diagnostic::new(code, message, Label::new(span, label));
    d.help = help;
    d
}

/// The load diagnostic for an error of the YAML reader.
#[must_use]
pub fn diagnostic_of(source: &Source, err: &YamlError) -> Diagnostic {
    use serde_saphyr::MessageFormatter as _;
    let span = location(source, err);
    let inner = innermost(err);
    let lines = lines(&source.text);
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let field = printable(field);
            let help = match did_you_mean(&field, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            };
            diagnostic(
                &code::L003,
                format!("unknown key `{field}`"),
                span,
                "not a key archflow knows here",
                Some(help),
            )
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let variant = printable(variant);
            let help = match did_you_mean(&variant, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? allowed: {}", expected.join(", ")),
                None => format!("allowed: {}", expected.join(", ")),
            };
            diagnostic(
                &code::L002,
                format!("unknown value `{variant}`"),
                span,
                "not one of the allowed values",
                Some(help),
            )
        }
        YamlError::SerdeMissingField { field, .. } => missing_key(source, &lines, span, field),
        YamlError::Unexpected { expected, .. } => diagnostic(
            &code::L002,
            format!("wrong kind of value: expected {}", article(expected)),
            span,
            "not the expected shape",
            Some(shape_help(expected)),
        ),
        YamlError::NullIntoString { .. } => {
            let what = key_before(source, &lines, span)
                .map_or_else(|| "this value".to_owned(), |k| format!("`{k}`"));
            diagnostic(
                &code::L002,
                format!("{what} needs a text value, and is empty"),
                span,
                "empty (`~`, `null` or nothing)",
                Some("write the value, or leave the key out if it is optional".to_owned()),
            )
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => diagnostic(
            &code::L002,
            format!(
                "wrong kind of value: expected {}, found {}",
                serde_words(expected),
                serde_words(unexpected)
            ),
            span,
            "wrong type or value",
            None,
        ),
        YamlError::SerdeInvalidLength { len, expected, .. } => diagnostic(
            &code::L002,
            format!(
                "wrong number of items: expected {}, found {len}",
                serde_words(expected)
            ),
            span,
            "wrong number of items",
            None,
        ),
        YamlError::InvalidScalar { ty, .. } => diagnostic(
            &code::L002,
            match word_at(source, span) {
                Some(found) => format!("invalid value `{found}`: expected {}", serde_words(ty)),
                None => format!("invalid value: expected {}", serde_words(ty)),
            },
            span,
            "wrong type or value",
            None,
        ),
        YamlError::InvalidBooleanStrict { .. } => diagnostic(
            &code::L002,
            "invalid value: expected `true` or `false`",
            span,
            "wrong type or value",
            None,
        ),
        YamlError::NonFiniteFloat { .. } => diagnostic(
            &code::L002,
            "invalid value: expected a finite number (not `.nan` or `.inf`)",
            span,
            "wrong type or value",
            None,
        ),
        YamlError::TaggedScalarCannotDeserializeIntoString { .. } => diagnostic(
            &code::L002,
            "a value with a YAML tag (`!!int`, `!custom`, …) cannot be read as text",
            span,
            "tagged value",
            Some("write the value without its tag; quote it if it must stay text".to_owned()),
        ),
        YamlError::Budget { breach, .. } => limit(span, &budget_words(breach)),
        YamlError::AliasReplayCounterOverflow { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => limit(
            span,
            "the aliases (`*name`) here repeat more of the file than archflow reads (an alias \
             bomb?)",
        ),
        YamlError::UnknownAnchor { .. } => {
            let name = word_at(source, span).unwrap_or_default();
            let name = name.trim_start_matches('*');
            diagnostic(
                &code::L001,
                format!("the alias `*{name}` names no anchor"),
                span,
                "no anchor of this name",
                Some(format!(
                    "an alias repeats a value marked with an anchor written before it: \
                     `&{name} value`, then `*{name}`"
                )),
            )
        }
        YamlError::RecursiveReferencesRequireWeakTypes { .. } => {
            let name = word_at(source, span).unwrap_or_default();
            let name = name.trim_start_matches('*');
            diagnostic(
                &code::L001,
                format!(
                    "the alias `*{name}` is inside the value its anchor `&{name}` marks, so it \
                     would repeat itself forever"
                ),
                span,
                "refers to a value it is part of",
                Some("write the value out, or point the alias at another anchor".to_owned()),
            )
        }
        YamlError::MultipleDocuments { .. } => {
            // Point at the `---` that starts the second document.
            let at = line_index(&lines, span.start);
            let marker = lines[..=at.min(lines.len().saturating_sub(1))]
                .iter()
                .rev()
                .find(|l| l.text.starts_with("---"))
                .map_or(span, |l| Span::new(l.start, l.start + 3));
            diagnostic(
                &code::L001,
                "a second YAML document starts here: archflow reads one document per file",
                marker,
                "`---` starts another document",
                Some(
                    "remove this `---` line; if what follows belongs to another file, move it \
                     there"
                        .to_owned(),
                ),
            )
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            duplicate_key(source, &lines, span, key.as_deref())
        }
        YamlError::Eof { .. } => diagnostic(
            &code::L001,
            "the file ends in the middle of a value",
            span,
            "the file ends here",
            Some("look for an unclosed quote or bracket above".to_owned()),
        ),
        YamlError::ExternalMessage {
            source: ext, msg, ..
        } => match ext.as_ref() {
            serde_saphyr::localizer::ExternalMessageSource::Parser(error) => {
                syntax(source, &lines, span, error.kind(), msg)
            }
            _ => diagnostic(&code::L001, printable(msg), span, "here", None),
        },
        other => {
            let text = printable(&serde_saphyr::DefaultMessageFormatter.format_message(other));
            diagnostic(
                &code::L001,
                format!("invalid YAML: {text}"),
                span,
                "here",
                None,
            )
        }
    }
}

/// An L008 finding: a limit that keeps archflow safe was reached.
fn limit(span: Span, what: &str) -> Diagnostic {
    diagnostic(
        &code::L008,
        format!("the YAML exceeds archflow's safety limits: {what}"),
        span,
        "limit reached here",
        Some("models do not need deep nesting or aliases that expand to huge documents".to_owned()),
    )
}

/// What a budget limit means, in a model's terms.
fn budget_words(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Depth { .. } => "it nests deeper than 64 levels".to_owned(),
        BudgetBreach::ScalarBytes { .. } => {
            "its values, with every alias repeated, come to more than 64 MiB".to_owned()
        }
        BudgetBreach::Aliases { .. } => "it holds more than 50,000 aliases (`*name`)".to_owned(),
        BudgetBreach::Anchors { .. } => "it holds more than 50,000 anchors (`&name`)".to_owned(),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => {
            "it holds more values than a model of 10,000 services".to_owned()
        }
        BudgetBreach::Documents { .. } => "it holds too many YAML documents".to_owned(),
        BudgetBreach::MergeKeys { .. } => "it holds more than 10,000 merge keys (`<<`)".to_owned(),
        _ => "its aliases repeat more of the file than archflow reads (an alias bomb?)".to_owned(),
    }
}

/// A syntax error of the YAML parser, in archflow's words.
fn syntax(
    source: &Source,
    lines: &[Line<'_>],
    span: Span,
    kind: &ErrorKind,
    raw: &str,
) -> Diagnostic {
    let l001 = |message: String, label: &str, help: Option<String>| {
        diagnostic(&code::L001, message, span, label, help)
    };
    let line = lines.get(line_index(lines, span.start));
    match kind {
        ErrorKind::MappingValueNotAllowed => mapping_value(lines, span),
        ErrorKind::UnclosedQuotedScalar => l001(
            "this quoted value is never closed".to_owned(),
            "the quote opens here",
            Some("add the closing quote, the same kind as the opening one".to_owned()),
        ),
        ErrorKind::UnclosedFlowCollection { open } => l001(
            format!("this `{open}` is never closed"),
            "opened here",
            Some(format!(
                "add the `{}` that ends it, after its last item",
                if *open == '[' { ']' } else { '}' }
            )),
        ),
        ErrorKind::UnexpectedEofFlowSequence => l001(
            "the file ends inside a `[…]` list".to_owned(),
            "the file ends here",
            Some("add the `]` that closes the list".to_owned()),
        ),
        ErrorKind::UnexpectedEofFlowMapping | ErrorKind::UnexpectedEofImplicitFlowMapping => l001(
            "the file ends inside a `{…}` mapping".to_owned(),
            "the file ends here",
            Some("add the `}` that closes the mapping".to_owned()),
        ),
        ErrorKind::MisplacedFlowCollectionEnd => l001(
            "this bracket closes nothing".to_owned(),
            "no `[` or `{` is open here",
            Some("remove it, or add the bracket it should close".to_owned()),
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => l001(
            format!("a `{open}` is closed by `{close}`"),
            "the wrong bracket",
            Some(format!(
                "close it with `{}`",
                if *open == '[' { ']' } else { '}' }
            )),
        ),
        ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::TabInPlainScalar => l001(
            "a tab indents this line; YAML indents with spaces only".to_owned(),
            "a tab",
            Some(
                "replace the tab with spaces (editors can insert spaces for the Tab key)"
                    .to_owned(),
            ),
        ),
        ErrorKind::ExpectedBlockSequenceEntry => match line {
            Some(l)
                if l.text.trim_start().starts_with('-')
                    && !l.text.trim_start().starts_with("- ") =>
            {
                l001(
                    format!(
                        "`{}` is not a list item: `-` starts one only when a space follows",
                        l.text.trim().split(':').next().unwrap_or_default()
                    ),
                    "no space after `-`",
                    Some("write `- ` (a dash and a space) before the item".to_owned()),
                )
            }
            _ => not_an_item(lines, span),
        },
        ErrorKind::ExpectedBlockMappingKey | ErrorKind::SimpleKeyExpected => l001(
            "this line does not fit the mapping it is in: a `key: value` is expected".to_owned(),
            "not a `key: value` here",
            Some("check this line's indentation against the keys above it".to_owned()),
        ),
        ErrorKind::UnexpectedCharacter { character } => {
            let shown = if *character == '`' {
                "`` ` ``".to_owned()
            } else {
                format!("`{}`", printable(&character.to_string()))
            };
            l001(
                format!("{shown} cannot start a value that is not quoted"),
                "reserved character",
                Some("quote the value (YAML reserves `@` and `` ` `` for future use)".to_owned()),
            )
        }
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate
        | ErrorKind::InvalidUnicodeEscape => l001(
            "an escape that YAML does not know, in a double-quoted value".to_owned(),
            "unknown escape",
            Some(
                "write `\\\\` for a backslash, or quote the value with single quotes, where a \
                 backslash is plain text"
                    .to_owned(),
            ),
        ),
        ErrorKind::InvalidBlockScalarIndent | ErrorKind::InvalidIndentation => l001(
            "this line is indented less than the text block (`|` or `>`) it belongs to".to_owned(),
            "indented too little",
            Some("indent every line of the block at least as much as its first line".to_owned()),
        ),
        ErrorKind::MissingDocumentEndBeforeDirective => l001(
            "a `%` directive after the content starts: directives come first".to_owned(),
            "directive",
            Some("remove the line, or move it to the top of the file".to_owned()),
        ),
        ErrorKind::DuplicateVersionDirective => l001(
            "`%YAML` is given twice".to_owned(),
            "again",
            Some("keep one `%YAML` line".to_owned()),
        ),
        ErrorKind::CommentNotSeparated => l001(
            "a `#` that starts a comment needs a space before it".to_owned(),
            "comment",
            Some("put a space before the `#`, or quote the value if `#` is part of it".to_owned()),
        ),
        ErrorKind::BomInsideDocument => l001(
            "a byte order mark (U+FEFF) inside the file: only its first character may be one"
                .to_owned(),
            "byte order mark",
            Some("delete the invisible character here".to_owned()),
        ),
        ErrorKind::InvalidMappingValueWhitespace | ErrorKind::ExpectedWhitespace => l001(
            "a `:` after a key needs a space after it".to_owned(),
            "no space after `:`",
            Some("write `key: value`".to_owned()),
        ),
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::BlockEntryInFlowCollection => l001(
            "a `- ` list item cannot start here".to_owned(),
            "not a place for a list item",
            Some(
                "put the item on a line of its own, indented under its key, or write the list \
                 as `[a, b]`"
                    .to_owned(),
            ),
        ),
        ErrorKind::RecursionLimitExceeded => limit(span, "it nests deeper than 128 levels"),
        ErrorKind::UnknownAnchor => {
            let name = word_at(source, span).unwrap_or_default();
            let name = name.trim_start_matches('*');
            l001(
                format!("the alias `*{name}` names no anchor"),
                "no anchor of this name",
                Some(format!(
                    "an alias repeats a value marked with an anchor written before it: \
                     `&{name} value`, then `*{name}`"
                )),
            )
        }
        _ => l001(
            format!("invalid YAML: {}", printable(raw)),
            "here",
            Some("look at this line and the one before it".to_owned()),
        ),
    }
}

/// A line inside a block list that is not one of its `- ` items: indented like the items, or
/// between an item's `-` and its keys.
fn not_an_item(lines: &[Line<'_>], span: Span) -> Diagnostic {
    let at = line_index(lines, span.start);
    let indent = lines.get(at).map_or(0, Line::indent);
    let item = lines[..at.min(lines.len())]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| {
            !l.is_blank() && l.text.trim_start().starts_with("- ") && l.indent() <= indent
        });
    let (message, help) = match item {
        Some((n, l)) if l.indent() < indent && l.key().is_some_and(|(_, k)| indent < k) => {
            let keys = l.key().map_or(0, |(_, k)| k);
            (
                format!(
                    "this line is indented {indent} spaces: more than the `-` of the list item on \
                     line {}, less than its keys",
                    n + 1
                ),
                format!("indent it by {keys} spaces to make it a key of that item"),
            )
        }
        Some((n, _)) => (
            format!(
                "this line is indented like the `- ` items of the list on line {}, but is not one",
                n + 1
            ),
            "if it belongs to the item above, indent it like that item's keys; else start it \
             with `- `"
                .to_owned(),
        ),
        None => (
            "this line is not an item of the list it is in".to_owned(),
            "start it with `- `, or check its indentation".to_owned(),
        ),
    };
    diagnostic(&code::L001, message, span, "not a list item", Some(help))
}

/// "mapping values are not allowed in this context": a key indented more than the key above it
/// (so it reads as more of that key's value), or a `: ` inside a value that is not quoted.
fn mapping_value(lines: &[Line<'_>], span: Span) -> Diagnostic {
    let at = line_index(lines, span.start);
    if let Some(line) = lines.get(at)
        && let Some((key, key_at)) = line.key()
        && line.start + key_at + key.len() <= span.start
        && span.start <= line.start + key_at + key.len() + 1
        && let Some(above) = lines[..at].iter().rev().find(|l| !l.is_blank())
        && let Some((above_key, above_at)) = above.key()
        && key_at > above_at
    {
        let key_span = Span::new(line.start + key_at, line.start + key_at + key.len());
        return diagnostic(
            &code::L001,
            format!(
                "`{key}:` is indented more than `{above_key}:` above it, so YAML reads it as more \
                 of `{above_key}`'s value"
            ),
            key_span,
            "indented too far",
            Some(format!(
                "indent `{key}:` by {above_at} spaces, like `{above_key}:`, if it is its sibling"
            )),
        );
    }
    diagnostic(
        &code::L001,
        "a `: ` inside a value that is not quoted reads as a second key",
        span,
        "a second `: `",
        Some("quote the value: `key: \"a: b\"`".to_owned()),
    )
}

/// A required key `field` is missing from the mapping at `span`, found after reading (a flow
/// item's `from` or `to`): reported as the reader reports its own missing keys.
pub(super) fn missing_key_in(source: &Source, span: Span, field: &str) -> Diagnostic {
    missing_key(source, &lines(&source.text), span, field)
}

/// A required key is missing. When the line that ends the mapping holds that very key, indented
/// less than the mapping's keys, the real cause is that line's indentation: it is reported there.
fn missing_key(source: &Source, lines: &[Line<'_>], span: Span, field: &str) -> Diagnostic {
    let plain = || {
        diagnostic(
            &code::L004,
            format!("missing required key `{field}`"),
            span,
            &format!("this mapping needs `{field}`"),
            None,
        )
    };
    if source.text[span.start..].starts_with('{') {
        return plain();
    }
    let at = line_index(lines, span.start);
    let Some(first) = lines.get(at) else {
        return plain();
    };
    let column = span.start - first.start;
    let after = lines[at + 1..].iter().filter(|l| !l.is_blank());
    let Some(end) = after.into_iter().find(|l| l.indent() < column) else {
        return plain();
    };
    match end.key() {
        Some((key, key_at)) if key.trim_matches(['"', '\'']) == field => {
            let key_span = Span::new(end.start + key_at, end.start + key_at + key.len());
            diagnostic(
                &code::L004,
                format!("`{field}` is indented less than the mapping that needs it"),
                key_span,
                &format!("indented {key_at} spaces; the mapping's keys {column}"),
                Some(format!(
                    "indent `{field}:` by {column} spaces, like the other keys of its mapping"
                )),
            )
            .with_secondary(Label::new(span, format!("this mapping needs `{field}`")))
        }
        _ => plain(),
    }
}

/// A key given twice in one mapping; the first is found by looking back for the same key at the
/// same indentation.
fn duplicate_key(source: &Source, lines: &[Line<'_>], span: Span, key: Option<&str>) -> Diagnostic {
    let key = key
        .map(printable)
        .or_else(|| word_at(source, span))
        .unwrap_or_default();
    let at = line_index(lines, span.start);
    let column = span.start - lines.get(at).map_or(0, |l| l.start);
    let first = lines[..at].iter().rev().find_map(|l| {
        let (k, k_at) = l.key()?;
        (k == key && k_at == column).then(|| Span::new(l.start + k_at, l.start + k_at + k.len()))
    });
    let d = diagnostic(
        &code::L001,
        format!("the key `{key}` is given twice in one mapping"),
        span,
        "given again here",
        Some(
            "keep one of them: a key holds one value, and archflow does not guess which".to_owned(),
        ),
    );
    match first {
        Some(first) => d.with_secondary(Label::new(first, "first given here")),
        None => d,
    }
}

/// The key whose value starts at `span`, on the same line (`name: ~` → `name`; an empty value
/// may be placed at the key's `:`).
fn key_before(source: &Source, lines: &[Line<'_>], span: Span) -> Option<String> {
    let line = lines.get(line_index(lines, span.start))?;
    let upto = if source.text[span.start..].starts_with(':') {
        span.start + 1
    } else {
        span.start
    };
    let before = source.text.get(line.start..upto)?.trim_end();
    let before = before.strip_suffix(':')?;
    let key = before
        .trim_start()
        .trim_start_matches("- ")
        .trim()
        .trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains([' ', '{', '['])).then(|| printable(key))
}

/// The word (an alias or key) at `span`.
fn word_at(source: &Source, span: Span) -> Option<String> {
    let rest = source.text.get(span.start..)?;
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':'))
        .unwrap_or(rest.len());
    (len > 0).then(|| printable(&rest[..len]))
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

/// serde's words for a type or value (`u16`, `a string`, `struct Volume`) in a model's terms.
fn serde_words(serde: &str) -> String {
    let serde = serde.trim();
    let words = match serde {
        "u8" | "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "usize" | "i64" | "i32" | "integer" => "a whole number",
        "f32" | "f64" | "floating point" => "a number",
        "bool" | "boolean" | "a boolean" => "`true` or `false`",
        "a string" | "string" | "str" => "a text value",
        "a sequence" | "sequence" => "a list",
        "a map" | "map" | "mapping" => "a mapping (`key: value` lines)",
        "unit value" | "null" => "nothing (null)",
        other if other.starts_with("struct ") => "a mapping (`key: value` lines)",
        other if other.starts_with("string ") => return format!("the text {}", &other[7..]),
        other if other.starts_with("integer ") => return format!("the number {}", &other[8..]),
        other => return other.to_owned(),
    };
    words.to_owned()
}
