//! Quick fixes: the fixes the findings already spell out in their help, as edits.
//!
//! - "did you mean `x`?" (unknown references, keys, values, rules, access points): replace the
//!   name the finding points at;
//! - an ambiguous name (L009): one fix per qualified name it could mean;
//! - "set `key: value`" (and "write", "use"; scalar values only): change that key's value in the
//!   mapping the finding points into, or add the key to it.
//!
//! Everything is read from the finding and the text, so a new rule whose help follows these
//! shapes gets its fix for free. `tests/integration/lsp.rs` applies every fix offered for every
//! rule fixture and checks that the model still loads and the finding is gone.

use super::text::LineIndex;
use crate::diagnostic::{Diagnostic, code};
use crate::source::Span;

/// One fix: a title and the edits (spans of the analysed text and their replacements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
    /// Whether it is the one obvious fix (a single suggestion).
    pub preferred: bool,
}

/// The fixes for one finding.
#[must_use]
pub fn fixes(text: &str, lines: &LineIndex, d: &Diagnostic) -> Vec<Fix> {
    let Some(help) = d.help.as_deref() else {
        return Vec::new();
    };
    let span = d.primary.span;
    if let Some(rest) = help.strip_prefix("did you mean ") {
        let names = backticked(rest.split('?').next().unwrap_or(""));
        let preferred = names.len() == 1;
        return names
            .into_iter()
            .filter_map(|name| replace_name(text, span, name, preferred))
            .collect();
    }
    if d.code == code::L009.id
        && let Some((_, rest)) = help.split_once("the one you mean:")
    {
        return backticked(rest)
            .into_iter()
            .filter_map(|name| replace_name(text, span, name, false))
            .collect();
    }
    for verb in ["set ", "write ", "use "] {
        let Some(at) = help.find(&format!("{verb}`")) else {
            continue;
        };
        if at > 0 && !help[..at].ends_with(". ") && !help[..at].ends_with(", ") {
            continue;
        }
        let rest = &help[at + verb.len()..];
        let Some(setting) = backticked(rest).into_iter().next() else {
            continue;
        };
        // "set `k: v` in the volume's `efsVolumeConfiguration`": in that mapping, under the
        // one the finding points into.
        let after = rest.get(setting.len() + 2..).unwrap_or("");
        let span = match after.strip_prefix(" in the ") {
            Some(within) => match backticked(within).first() {
                Some(&key) => match child_mapping(text, lines, span, key) {
                    Some(child) => child,
                    None => continue,
                },
                None => span,
            },
            None => span,
        };
        if let Some(fix) = set_key(text, lines, span, setting) {
            return vec![fix];
        }
    }
    Vec::new()
}

/// The `…` parts of a text.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Replace the scalar at `span` (a name, key or value) with `name`, keeping its quotes.
fn replace_name(text: &str, span: Span, name: &str, preferred: bool) -> Option<Fix> {
    let written = text.get(span.start..span.end)?;
    if written.is_empty() || written.contains('\n') || written == name {
        return None;
    }
    let replacement = if written.starts_with(['"', '\'']) {
        serde_json::to_string(name).ok()?
    } else {
        super::complete::plain_or_quoted(name)
    };
    Some(Fix {
        title: format!("Replace with `{name}`"),
        edits: vec![(span, replacement)],
        preferred,
    })
}

/// A line split at its key: `(indent of the key, key, value range)`.
fn key_line(line: &str) -> Option<(usize, &str, (usize, usize))> {
    let trimmed = line.trim_start();
    let mut col = line.len() - trimmed.len();
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix("- ") {
        let after = r.trim_start();
        col += 2 + (r.len() - after.len());
        rest = after;
    }
    let colon = rest.find(':')?;
    let key = &rest[..colon];
    if key.is_empty() || key.contains([' ', '{', '[', '"', '\'', '#']) {
        return None;
    }
    let after = &rest[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let value_start = col + colon + 1 + (after.len() - after.trim_start().len());
    let mut value = after.trim_start();
    if let Some(hash) = value.find(" #") {
        value = &value[..hash];
    }
    if value.starts_with('#') {
        value = "";
    }
    let value = value.trim_end();
    Some((col, key, (value_start, value_start + value.len())))
}

fn is_item_start(line: &str) -> bool {
    line.trim_start().starts_with("- ")
}

fn is_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// A key's line and the byte range of its value within the line.
type Found = (usize, (usize, usize));

/// The line and value range of `key` in the mapping whose keys sit at column `col` and which
/// holds line `line_no`.
fn find_key(text: &str, lines: &LineIndex, line_no: usize, col: usize, key: &str) -> Option<Found> {
    let here = lines.line(text, line_no);
    if let Some((c, k, v)) = key_line(here)
        && c == col
        && k == key
    {
        return Some((line_no, v));
    }
    // Is this line a key of the mapping, a line inside one of its values, or past its end?
    let step = |n: usize, upwards: bool| -> Result<Option<Found>, ()> {
        let l = lines.line(text, n);
        if is_blank(l) {
            return Ok(None);
        }
        let indent = l.len() - l.trim_start().len();
        match key_line(l) {
            Some((c, k, v)) if c == col && (upwards || !is_item_start(l)) => {
                if k == key {
                    Ok(Some((n, v)))
                } else if is_item_start(l) {
                    Err(())
                } else {
                    Ok(None)
                }
            }
            _ if indent > col || (indent == col && is_item_start(l)) => Ok(None),
            _ => Err(()),
        }
    };
    if !is_item_start(here) {
        for n in (0..line_no).rev() {
            match step(n, true) {
                Ok(Some(found)) => return Some(found),
                Ok(None) => {}
                Err(()) => break,
            }
        }
    }
    for n in line_no + 1..lines.len() {
        match step(n, false) {
            Ok(Some(found)) => return Some(found),
            Ok(None) => {}
            Err(()) => break,
        }
    }
    None
}

/// The first key of the mapping that is the value of `key` in the mapping `span` is in.
fn child_mapping(text: &str, lines: &LineIndex, span: Span, key: &str) -> Option<Span> {
    let line_no = lines.line_of(span.start);
    let (col, _, _) = key_line(lines.line(text, line_no))?;
    let (parent, (vs, ve)) = find_key(text, lines, line_no, col, key)?;
    if ve > vs {
        return None; // a flow mapping or a scalar: not a block to add to
    }
    let child = (parent + 1..lines.len()).find(|&n| !is_blank(lines.line(text, n)))?;
    let (child_col, _, _) = key_line(lines.line(text, child))?;
    if child_col <= col {
        return None;
    }
    let start = lines.line_range(text, child)?.0 + child_col;
    Some(Span::new(start, start))
}

/// `key: value` in the mapping that `span` is in: its value replaced when the key is there,
/// the key added otherwise.
fn set_key(text: &str, lines: &LineIndex, span: Span, setting: &str) -> Option<Fix> {
    let (key, value) = setting.split_once(": ")?;
    let (key, value) = (key.trim(), value.trim());
    if key.is_empty() || value.is_empty() || value.starts_with(['{', '[']) || key.contains(' ') {
        return None;
    }
    let title = format!("Set `{key}: {value}`");
    let line_no = lines.line_of(span.start);
    let line = lines.line(text, line_no);
    let line_start = lines.line_range(text, line_no)?.0;
    if line.contains(['{', '[']) {
        return None;
    }
    let (col, _, _) = key_line(line)?;
    let found = find_key(text, lines, line_no, col, key);
    if let Some((n, (start, end))) = found {
        let base = lines.line_range(text, n)?.0;
        let current = text.get(base + start..base + end)?;
        if current.is_empty() || current == value || current.starts_with(['|', '>']) {
            return None;
        }
        return Some(Fix {
            title,
            edits: vec![(Span::new(base + start, base + end), value.to_owned())],
            preferred: true,
        });
    }
    // Add it next to the line the finding points at, at its mapping's indentation.
    let (_, _, (vs, ve)) = key_line(line)?;
    let inline = ve > vs && !line[vs..ve].starts_with(['|', '>', '&', '*', '!']);
    let indent = " ".repeat(col);
    let insert_at = if inline {
        let (_, end) = lines.line_range(text, line_no)?;
        Span::new(end, end)
    } else if !line.trim_start().starts_with("- ") {
        Span::new(line_start, line_start)
    } else {
        return None;
    };
    let new_text = if inline {
        format!("\n{indent}{key}: {value}")
    } else {
        format!("{indent}{key}: {value}\n")
    };
    Some(Fix {
        title,
        edits: vec![(insert_at, new_text)],
        preferred: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;

    fn finding(text: &str, at: &str, help: &str) -> (LineIndex, Diagnostic) {
        let start = text.find(at).unwrap();
        let d = Diagnostic::new(
            &code::A012,
            "m",
            Label::new(Span::new(start, start + at.len()), "l"),
        )
        .with_help(help);
        (LineIndex::new(text), d)
    }

    fn apply(text: &str, fix: &Fix) -> String {
        let mut out = text.to_owned();
        for (span, new) in fix.edits.iter().rev() {
            out.replace_range(span.start..span.end, new);
        }
        out
    }

    #[test]
    fn set_adds_or_replaces_a_key() {
        let text = "fileSystems:\n  - name: data\n    throughputMode: bursting\n  - name: other\n";
        let (lines, d) = finding(text, "data", "set `encrypted: true`; or else");
        let fixes = fixes(text, &lines, &d);
        assert_eq!(
            apply(text, &fixes[0]),
            "fileSystems:\n  - name: data\n    encrypted: true\n    throughputMode: bursting\n  - name: other\n"
        );
        let (lines, d) = finding(text, "data", "set `throughputMode: elastic` (no credits)");
        assert_eq!(
            apply(text, &fixes_of(text, &lines, &d)),
            "fileSystems:\n  - name: data\n    throughputMode: elastic\n  - name: other\n"
        );
    }

    fn fixes_of(text: &str, lines: &LineIndex, d: &Diagnostic) -> Fix {
        fixes(text, lines, d).remove(0)
    }

    #[test]
    fn did_you_mean_keeps_quotes() {
        let text = "x:\n  sourceVolume: \"dta\"\n";
        let (lines, d) = finding(text, "\"dta\"", "did you mean `data`?");
        assert_eq!(
            apply(text, &fixes_of(text, &lines, &d)),
            "x:\n  sourceVolume: \"data\"\n"
        );
    }
}
