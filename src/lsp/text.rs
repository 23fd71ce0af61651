//! Positions: byte offsets (what spans hold) to and from LSP positions, in the encoding the
//! client and server agreed on; edits of an open document; and the mapping of offsets between
//! two versions of a text that differ in one region (to answer from an older analysis while the
//! newest text is being analysed or does not load).

use lsp_types::{Position, Range};

use crate::source::Span;

/// How an LSP position counts characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8 (negotiated when the client offers `utf-8`).
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
}

/// The start of every line of one text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr_newlines(text).map(|i| i + 1))
            .collect();
        Self { starts }
    }

    /// How many lines the text has (a final line without a newline counts).
    #[must_use]
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The 0-based line holding `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of line `line` without its line break (`\n` or `\r\n`).
    #[must_use]
    pub fn line_range(&self, text: &str, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).map_or(text.len(), |&s| s - 1);
        end = end.max(start).min(text.len());
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some((start, end))
    }

    /// The text of line `line`, without its line break.
    #[must_use]
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        self.line_range(text, line)
            .and_then(|(s, e)| text.get(s..e))
            .unwrap_or("")
    }

    /// The LSP position of a byte offset (clamped to the text and to a character boundary).
    #[must_use]
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let before = text.get(start..offset).unwrap_or("");
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(character).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of an LSP position. A line past the end is the end of the text; a
    /// character past the end of its line is the line's end; a position inside a character (a
    /// UTF-8 byte or UTF-16 unit within it) is that character's start.
    #[must_use]
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some((start, end)) = self.line_range(text, position.line as usize) else {
            return text.len();
        };
        let line = text.get(start..end).unwrap_or("");
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units + width > wanted {
                return start + i;
            }
            units += width;
        }
        end
    }

    /// The LSP range of a span.
    #[must_use]
    pub fn range(&self, text: &str, span: Span, encoding: Encoding) -> Range {
        Range {
            start: self.position(text, span.start, encoding),
            end: self.position(text, span.end.max(span.start), encoding),
        }
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter_map(|(i, b)| (b == b'\n').then_some(i))
}

/// The nearest character boundary at or before `offset`, within the text.
#[must_use]
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Replace `range` of `text` (an incremental `didChange`), whose line index is `lines`; a range
/// that is out of order is taken in order.
pub fn apply_change(
    text: &mut String,
    lines: &LineIndex,
    range: Range,
    new: &str,
    encoding: Encoding,
) {
    let a = lines.offset(text, range.start, encoding);
    let b = lines.offset(text, range.end, encoding);
    let (start, end) = (a.min(b), a.max(b));
    text.replace_range(start..end, new);
}

/// How offsets of an older text (`old`, the one an analysis is of) map to a newer one (`new`,
/// the editor's) when they differ in one run of whole lines: the lines before it and after it
/// are the same in both, the lines in it have no counterpart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    /// Bytes before the first changed line (the same in both).
    prefix: usize,
    /// Where the unchanged lines after the change start, in each text.
    old_suffix: usize,
    new_suffix: usize,
}

impl Shift {
    /// The identity, for a text and itself.
    #[must_use]
    pub const fn identity(len: usize) -> Self {
        Self {
            prefix: len,
            old_suffix: len,
            new_suffix: len,
        }
    }

    /// The mapping between two texts.
    #[must_use]
    pub fn between(old: &str, new: &str) -> Self {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        if a == b {
            return Self::identity(a.len());
        }
        let common = common_prefix(a, b);
        // Back to the start of the line the first difference is on.
        let prefix = a[..common]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let max_suffix = a.len().min(b.len()) - prefix;
        let mut suffix = common_suffix(a, b).min(max_suffix);
        // Forward to the start of a line: after the first line break in the common tail (the
        // line the last difference is on is changed).
        let tail = &a[a.len() - suffix..];
        match tail.iter().position(|&c| c == b'\n') {
            Some(i) => suffix -= i + 1,
            None => suffix = 0,
        }
        Self {
            prefix,
            old_suffix: a.len() - suffix,
            new_suffix: b.len() - suffix,
        }
    }

    /// The offset in the newer text of an offset in the older one, when its line is unchanged.
    #[must_use]
    pub const fn to_new(&self, old: usize) -> Option<usize> {
        if old < self.prefix {
            Some(old)
        } else if old >= self.old_suffix {
            Some(old - self.old_suffix + self.new_suffix)
        } else {
            None
        }
    }

    /// The offset in the older text of an offset in the newer one, when its line is unchanged.
    #[must_use]
    pub const fn to_old(&self, new: usize) -> Option<usize> {
        if new < self.prefix {
            Some(new)
        } else if new >= self.new_suffix {
            Some(new - self.new_suffix + self.old_suffix)
        } else {
            None
        }
    }

    /// A span of the older text in the newer one, when its lines are unchanged.
    #[must_use]
    pub fn span_to_new(&self, span: Span) -> Option<Span> {
        if span.end <= self.prefix {
            Some(span)
        } else if span.start >= self.old_suffix {
            let start = self.to_new(span.start)?;
            Some(Span::new(start, start + (span.end - span.start)))
        } else {
            None
        }
    }
}

/// The length of the longest common prefix, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .position(|(x, y)| x != y)
        .unwrap_or(n - i)
}

/// The length of the longest common suffix, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[la - i - BLOCK..la - i] == b[lb - i - BLOCK..lb - i] {
        i += BLOCK;
    }
    i + a[..la - i]
        .iter()
        .rev()
        .zip(b[..lb - i].iter().rev())
        .take(n - i)
        .position(|(x, y)| x != y)
        .unwrap_or(n - i)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_and_utf8_columns() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let text = "a: é𝄞x\r\nb: y\n";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(text, x, Encoding::Utf16), pos(0, 6));
        assert_eq!(lines.position(text, x, Encoding::Utf8), pos(0, 9));
        assert_eq!(lines.offset(text, pos(0, 6), Encoding::Utf16), x);
        assert_eq!(lines.offset(text, pos(0, 9), Encoding::Utf8), x);
        // Inside the surrogate pair: the character's start.
        assert_eq!(lines.offset(text, pos(0, 5), Encoding::Utf16), x - 4);
        // Past the line's end: the end, before `\r\n`.
        assert_eq!(lines.offset(text, pos(0, 99), Encoding::Utf16), x + 1);
        assert_eq!(lines.offset(text, pos(9, 0), Encoding::Utf16), text.len());
        assert_eq!(lines.line(text, 1), "b: y");
        // An offset inside a character is that character's.
        assert_eq!(lines.position(text, x - 1, Encoding::Utf16), pos(0, 4));
    }

    #[test]
    fn edits_apply_in_either_encoding() {
        let mut text = "name: é\nx: 1\n".to_owned();
        apply_change(
            &mut text,
            &LineIndex::new("name: é\nx: 1\n"),
            Range::new(pos(0, 6), pos(0, 7)),
            "ü",
            Encoding::Utf16,
        );
        assert_eq!(text, "name: ü\nx: 1\n");
        apply_change(
            &mut text,
            &LineIndex::new("name: ü\nx: 1\n"),
            Range::new(pos(1, 3), pos(1, 4)),
            "2",
            Encoding::Utf8,
        );
        assert_eq!(text, "name: ü\nx: 2\n");
    }

    #[test]
    fn shift_maps_unchanged_lines_only() {
        let old = "a: 1\nb: 2\nc: 3\n";
        let new = "a: 1\nb: 22\nx\nc: 3\n";
        let shift = Shift::between(old, new);
        assert_eq!(shift.to_new(2), Some(2));
        assert_eq!(shift.to_new(old.find("b:").unwrap()), None);
        assert_eq!(
            shift.to_new(old.find("c:").unwrap()),
            Some(new.find("c:").unwrap())
        );
        assert_eq!(
            shift.to_old(new.find("c:").unwrap()),
            Some(old.find("c:").unwrap())
        );
        assert_eq!(shift.to_old(new.find('x').unwrap()), None);
        let same = Shift::between(old, old);
        assert_eq!(same.to_old(old.len()), Some(old.len()));
        assert_eq!(same.span_to_new(Span::new(5, 6)), Some(Span::new(5, 6)));
        // Appending at the end keeps every earlier line.
        let longer = format!("{old}d: 4\n");
        let shift = Shift::between(old, &longer);
        assert_eq!(shift.to_new(3), Some(3));
        // A long common run on both sides, compared by blocks.
        let big = (0..3000).fold(String::new(), |mut s, i| {
            let _ = writeln!(s, "k{i}: v");
            s
        });
        let edited = big.replacen("k1500: v", "k1500: w", 1);
        let shift = Shift::between(&big, &edited);
        let at = big.find("k2999").unwrap();
        assert_eq!(shift.to_new(at), Some(at));
        assert_eq!(shift.to_new(big.find("k1500").unwrap()), None);
        assert_eq!(
            shift.to_new(big.find("k1499").unwrap()),
            Some(big.find("k1499").unwrap())
        );
    }
}
