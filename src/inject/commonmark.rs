//! Where a marker-like line is text, as `CommonMark` (and so GitHub) reads the file: inside a code
//! block (fenced, or indented by four spaces), inside an HTML comment opened on an earlier line,
//! inside raw HTML that began on an earlier line (`<pre>`, `<script>`, `<style>`, `<textarea>`,
//! `<?…?>`, `<!…>`, CDATA). `pulldown-cmark` finds the blocks; this module turns them into byte
//! ranges of the file, with the reason for messages.

use std::ops::Range;

/// A code fence opener outside blocks: (fence character, length).
fn fence_open(line: &str) -> Option<(char, usize)> {
    let body = line.trim_start_matches(' ');
    if line.len() - body.len() > 3 {
        return None;
    }
    let ch = body.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = body.len() - body.trim_start_matches(ch).len();
    if len < 3 || (ch == '`' && body[len..].contains('`')) {
        return None;
    }
    Some((ch, len))
}

fn fence_closes(line: &str, (ch, len): (char, usize)) -> bool {
    let body = line.trim_start_matches(' ');
    let run = body.len() - body.trim_start_matches(ch).len();
    line.len() - body.len() <= 3 && run >= len && body[run..].trim().is_empty()
}

/// Why a marker-like line is text: the `CommonMark` construct around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Hider {
    /// A fenced code block opened at this line; `closed` when its closing fence exists.
    Fence { line: usize, closed: bool },
    /// A code block indented by four spaces, starting at this line.
    Indented { line: usize },
    /// An HTML comment, raw HTML block or the like, opened at this line.
    Html { line: usize },
}

impl Hider {
    /// Why a marker at line `at` is text, for a message.
    pub(super) fn why(self, at: usize) -> String {
        match self {
            Self::Fence {
                line,
                closed: false,
            } => format!(
                "the code fence opened at line {line} is never closed, so every line after it is \
                 code, markers included"
            ),
            Self::Fence { line, closed: true } => format!(
                "the marker-like line {at} is inside the code fence opened at line {line}, where \
                 it is text"
            ),
            Self::Indented { line } => format!(
                "the marker-like line {at} is inside a code block (indented by four spaces or \
                 more, from line {line}), where it is text"
            ),
            Self::Html { line } => format!(
                "the marker-like line {at} is inside the HTML comment or raw HTML opened at line \
                 {line}, where it is text"
            ),
        }
    }
}

/// The byte ranges of `text` in which a marker-like line is text, per `CommonMark`, and why.
fn hidden_ranges(text: &str) -> Vec<(Range<usize>, Hider)> {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut hidden = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                let block = &text[range.clone()];
                let mut block_lines = block.lines().map(str::trim_end);
                let closed = match (
                    block_lines.next().and_then(fence_open),
                    block_lines.next_back(),
                ) {
                    (Some(fence), Some(last)) => fence_closes(last, fence),
                    _ => false,
                };
                let line = line_of(range.start);
                hidden.push((range, Hider::Fence { line, closed }));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                let line = line_of(range.start);
                hidden.push((range, Hider::Indented { line }));
            }
            Event::Start(Tag::HtmlBlock) => {
                let line = line_of(range.start);
                let block = &text[range.clone()];
                let first_end = block.find('\n').map_or(block.len(), |i| i + 1);
                if raw_until_its_end(block) {
                    // Everything after the line it starts on.
                    hidden.push((range.start + first_end..range.end, Hider::Html { line }));
                } else {
                    // A block of tags (`<details>`…): only the lines that start inside a comment
                    // opened on an earlier line.
                    let mut open: Option<usize> = None;
                    let mut at = range.start;
                    for block_line in block.split_inclusive('\n') {
                        if let Some(opened) = open {
                            hidden.push((at..at + block_line.len(), Hider::Html { line: opened }));
                        }
                        let reopened = open.is_none() || block_line.contains("-->");
                        open = match comment_open_after(block_line, open.is_some()) {
                            true if reopened => Some(line_of(at)),
                            true => open,
                            false => None,
                        };
                        at += block_line.len();
                    }
                }
            }
            _ => {}
        }
    }
    hidden
}

/// Whether an HTML block (by its first line) is one whose lines are raw until its end: a
/// comment, processing instruction, declaration, CDATA section, or `<pre>`, `<script>`,
/// `<style>`, `<textarea>` (`CommonMark`'s HTML blocks of types 1 to 5).
fn raw_until_its_end(block: &str) -> bool {
    let first = block.trim_start_matches([' ', '\t']);
    if ["<!--", "<?", "<![CDATA["]
        .iter()
        .any(|p| first.starts_with(p))
    {
        return true;
    }
    if first
        .strip_prefix("<!")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        return true;
    }
    let Some(rest) = first.strip_prefix('<') else {
        return false;
    };
    let len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (tag, after) = rest.split_at(len);
    ["pre", "script", "style", "textarea"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tag))
        && (after.is_empty() || after.starts_with([' ', '\t', '>', '\r', '\n']))
}

/// Whether an HTML comment is open at the end of `line`, given whether one was at its start.
fn comment_open_after(line: &str, mut open: bool) -> bool {
    let mut rest = line;
    loop {
        let (token, then) = if open { ("-->", false) } else { ("<!--", true) };
        match rest.find(token) {
            Some(i) => {
                rest = &rest[i + token.len()..];
                open = then;
            }
            None => return open,
        }
    }
}

/// [`hidden_ranges`] of `text` read without a leading byte order mark and without the `masked`
/// ranges (block contents), as ranges of `text`.
pub(super) fn hidden_outside(text: &str, masked: &[Range<usize>]) -> Vec<(Range<usize>, Hider)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // The pieces kept, as (start in `text`, start in the reduced text).
    let mut pieces: Vec<(usize, usize)> = Vec::with_capacity(masked.len() + 1);
    let mut reduced = String::with_capacity(text.len());
    let mut at = start;
    for m in masked.iter().filter(|m| m.start >= start) {
        pieces.push((at, reduced.len()));
        reduced.push_str(&text[at..m.start]);
        at = m.end;
    }
    pieces.push((at, reduced.len()));
    reduced.push_str(&text[at..]);
    let original = |offset: usize| {
        let i = pieces
            .partition_point(|&(_, r)| r <= offset)
            .saturating_sub(1);
        let (t, r) = pieces[i];
        t + (offset - r)
    };
    hidden_ranges(&reduced)
        .into_iter()
        .map(|(range, hider)| (original(range.start)..original(range.end), hider))
        .collect()
}
