//! Input text, byte spans and the offset → line:column mapping.

use serde::{Deserialize, Serialize};

/// A byte range into one [`Source`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The span of a value read by serde-saphyr.
    #[must_use]
    pub fn from_location(loc: &serde_saphyr::Location) -> Self {
        let span = loc.span();
        match (span.byte_offset(), span.byte_len()) {
            (Some(start), Some(len)) => {
                let start = usize::try_from(start).unwrap_or(usize::MAX);
                let len = usize::try_from(len).unwrap_or(0);
                Self::new(start, start.saturating_add(len))
            }
            _ => Self::default(),
        }
    }

    /// The span of a value read from the model.
    #[must_use]
    pub const fn of<T>(spanned: &crate::syntax::spanned::Spanned<T>) -> Self {
        spanned.span
    }
}

/// One input file: its display path and its text.
#[derive(Clone, Debug)]
pub struct Source {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Source {
    #[must_use]
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        // Lines end at `\n`, `\r\n` or a lone `\r` (as YAML counts them).
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(bytes.iter().enumerate().filter_map(|(i, &b)| {
                (b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).then_some(i + 1)
            }))
            .collect();
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column (clamped to the text).
    #[must_use]
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line_len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        rest[..line_len]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(start + line_len, |(i, _)| start + i)
    }

    /// The nearest char boundary at or before `offset`.
    #[must_use]
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let src = Source::new("a.yaml", "ab\nçd: x\n");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        // 'ç' is two bytes; the ':' after "çd" is the third character.
        assert_eq!(src.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(src.line_col(999), LineCol { line: 3, column: 1 });
        assert_eq!(src.offset_of(2, 3), 6);
        assert_eq!(src.offset_of(2, 99), 9);
        assert_eq!(src.offset_of(9, 1), src.text.len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let src = Source::new("a.yaml", "a: 1\rb: [\r\nc");
        assert_eq!(src.line_col(5), LineCol { line: 2, column: 1 });
        assert_eq!(src.line_col(11), LineCol { line: 3, column: 1 });
        assert_eq!(src.offset_of(2, 4), 8);
    }
}
