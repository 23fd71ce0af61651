//! Generated blocks in Markdown files (`archflow inject`): pure text in, text out. The command
//! (`cli::inject`) reads and writes the files.
//!
//! A block is the lines between a begin marker and an end marker, each on a line of its own:
//!
//! ```text
//! <!-- archflow:begin KIND [ARGUMENT] -->
//! …generated; replaced on every run…
//! <!-- archflow:end -->
//! ```
//!
//! Kinds: `flowchart` (the Mermaid flowchart, fenced), `sequence FLOW` (a flow's Mermaid
//! sequence diagram, fenced), `components` (the components table) and `findings` (the check's
//! findings). The argument is the rest of the comment, trimmed, so a flow name may hold spaces.
//!
//! The rules, chosen so that the text around the blocks never changes:
//!
//! - A marker is a whole line: optional indentation, `<!--`, the words, `-->`, optional trailing
//!   spaces. Anything else (text before or after the comment, a comment left open) is ordinary
//!   text. A complete comment whose first word starts with `archflow:` but is neither
//!   `archflow:begin` nor `archflow:end` is an error, as it is surely a typo.
//! - A marker is one only where `CommonMark` (as GitHub renders it) sees an HTML comment of its
//!   own: outside any block, a marker-like line in a code block (fenced, or indented by four
//!   spaces), in an HTML comment opened on an earlier line, or in raw HTML that began on an
//!   earlier line (`<pre>`, `<script>`, `<style>`, `<textarea>`, `<?…?>`, `<!…>`, CDATA) is
//!   text, so a README that documents the markers keeps its examples. The file is parsed with
//!   `pulldown-cmark` to find these; between a begin and an end marker everything but markers is
//!   content to be replaced, so an unclosed fence in an old block cannot hide its end.
//! - Everything outside the blocks, the marker lines included, is kept byte for byte.
//! - Generated lines end like the begin marker's line (`\r\n` or `\n`) and carry its
//!   indentation, so a block works in a CRLF file and inside a list item.
//! - Generating twice gives the same text.
//!
//! A diagram block (`flowchart`, `sequence`) ends with a hidden line, an HTML comment
//! `<!-- archflow-view {…} -->` holding a summary of what the block shows (see
//! [`summary::ViewSummary`]), so that the next run can say what changed in the architecture
//! without reading the diagram back.

mod commonmark;
pub mod diff;
pub mod summary;

use std::fmt;
use std::ops::Range;

use crate::diagnostic::did_you_mean;
use crate::error::Located;
use crate::render::{RenderError, markdown, mermaid};
use crate::view::View;
use commonmark::{Hider, hidden_outside};
use summary::ViewSummary;

/// The kinds a begin marker can name, as documented (for messages).
pub const KINDS: &str = "flowchart, sequence FLOW, components, findings";

/// What a block holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The Mermaid flowchart of the whole model, in a ```` ```mermaid ```` fence.
    Flowchart,
    /// The Mermaid sequence diagram of the flow with this name, in a fence.
    Sequence { flow: String },
    /// The components table of the Markdown page.
    Components,
    /// The findings of the Markdown page: a summary line and a list, or "No findings.".
    Findings,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flowchart => f.write_str("flowchart"),
            Self::Sequence { flow } => write!(f, "sequence {flow}"),
            Self::Components => f.write_str("components"),
            Self::Findings => f.write_str("findings"),
        }
    }
}

/// A 1-based line and character column in a Markdown file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A problem with the markers of a file, or with what a marker asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerError {
    pub at: Position,
    pub message: String,
    pub help: Option<String>,
}

impl MarkerError {
    fn new(at: Position, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// This error at its place in `path`.
    #[must_use]
    pub fn located(&self, path: &str) -> Located {
        let mut problem = Located::new(path, self.at.line, self.at.column, &self.message);
        problem.help.clone_from(&self.help);
        problem
    }

    /// `path:line:col: error: message`, then `  help: …` (see [`Located`]).
    #[must_use]
    pub fn render(&self, path: &str) -> String {
        self.located(path).to_string()
    }
}

/// One block found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: Kind,
    /// Where the begin marker's comment starts.
    pub begin: Position,
    /// Where the marker's argument (a flow name) starts, or would start.
    pub argument: Position,
    /// The byte range of the block's current content: from the line after the begin marker to
    /// the start of the end marker's line.
    pub content: Range<usize>,
    /// The begin marker's indentation, given to every generated line that is not empty.
    pub indent: String,
    /// The begin marker's line ending, used for every generated line.
    pub eol: &'static str,
}

/// One line of a text: where it starts, its text without the line ending, and the ending.
struct Line<'a> {
    start: usize,
    number: usize,
    text: &'a str,
    eol: &'static str,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    let mut number = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let rest = &text[start..];
        let (len, eol) = match rest.find('\n') {
            Some(i) if i > 0 && rest.as_bytes()[i - 1] == b'\r' => (i - 1, "\r\n"),
            Some(i) => (i, "\n"),
            None => (rest.len(), ""),
        };
        number += 1;
        let line = Line {
            start,
            number,
            text: &rest[..len],
            eol,
        };
        start += len + eol.len();
        Some(line)
    })
}

/// The 1-based character column of byte `at` of `line`.
fn column(line: &str, at: usize) -> usize {
    line[..at].chars().count() + 1
}

/// A line that is one whole `<!-- archflow:… -->` comment.
enum Marker<'a> {
    /// `archflow:begin`, with the rest of the comment (trimmed) and its byte offset in the line.
    Begin { rest: &'a str, rest_at: usize },
    /// `archflow:end`, with anything after it (trimmed) and its byte offset.
    End { rest: &'a str, rest_at: usize },
    /// Another `archflow:` word.
    Unknown { word: &'a str },
}

/// The marker on a line, its indentation and where its comment starts (bytes).
fn marker(line: &str) -> Option<(Marker<'_>, usize)> {
    let body = line.trim_start_matches([' ', '\t']);
    let at = line.len() - body.len();
    let inner = body
        .trim_end_matches([' ', '\t'])
        .strip_prefix("<!--")?
        .strip_suffix("-->")?;
    let inner_at = at + 4;
    let words = inner.trim_start();
    let words_at = inner_at + (inner.len() - words.len());
    let word_len = words.find(char::is_whitespace).unwrap_or(words.len());
    let directive = words[..word_len].strip_prefix("archflow:")?;
    let after = &words[word_len..];
    let rest = after.trim();
    let rest_at = words_at + word_len + (after.len() - after.trim_start().len());
    let marker = match directive {
        "begin" => Marker::Begin { rest, rest_at },
        "end" => Marker::End { rest, rest_at },
        _ => Marker::Unknown {
            word: &words[..word_len],
        },
    };
    Some((marker, at))
}

/// The kind a begin marker names; `rest` is the comment after `archflow:begin`.
fn kind(rest: &str, at: Position, argument_at: Position) -> Result<Kind, MarkerError> {
    let name_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (name, argument) = (&rest[..name_len], rest[name_len..].trim());
    let no_argument = |kind: Kind| {
        if argument.is_empty() {
            Ok(kind)
        } else {
            Err(MarkerError::new(
                argument_at,
                format!("`{name}` takes no argument, found `{argument}`"),
            )
            .help(format!("write `<!-- archflow:begin {name} -->`")))
        }
    };
    match name {
        "" => Err(
            MarkerError::new(at, "the begin marker names no kind").help(format!(
                "write `<!-- archflow:begin KIND -->`; kinds: {KINDS}"
            )),
        ),
        "flowchart" => no_argument(Kind::Flowchart),
        "components" => no_argument(Kind::Components),
        "findings" => no_argument(Kind::Findings),
        "sequence" if argument.is_empty() => Err(MarkerError::new(
            argument_at,
            "`sequence` needs the name of a flow",
        )
        .help("write `<!-- archflow:begin sequence FLOW -->`")),
        "sequence" => Ok(Kind::Sequence {
            flow: argument.to_owned(),
        }),
        _ => {
            let names = ["flowchart", "sequence", "components", "findings"];
            let suggestion = if name.eq_ignore_ascii_case("mermaid") {
                Some("flowchart")
            } else {
                did_you_mean(name, names)
            };
            let hint = suggestion
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Err(MarkerError::new(at, format!("unknown kind `{name}`{hint}"))
                .help(format!("kinds: {KINDS}")))
        }
    }
}

/// A begin marker whose end has not been seen yet.
struct Open {
    kind: Option<Kind>,
    begin: Position,
    argument: Position,
    content_start: usize,
    indent: String,
    eol: &'static str,
}

/// Every block of `text`, in order.
///
/// # Errors
/// Every marker problem found: an end marker without a begin, a begin inside a block, a begin
/// without an end, an unknown kind or `archflow:` word, a kind given a wrong argument; and a
/// text with no marker at all (surely a mistake: inject would do nothing).
pub fn parse(text: &str) -> Result<Vec<Block>, Vec<MarkerError>> {
    // A block's content is content, whatever it holds (an unclosed fence in an old block must
    // not hide its end marker, nor the markers after it): each round reads the Markdown without
    // the contents of the blocks the last round found, until the blocks found stay the same.
    let mut masked: Vec<Range<usize>> = Vec::new();
    let mut rounds = 0;
    loop {
        let hidden = hidden_outside(text, &masked);
        let scan = scan(text, &hidden);
        rounds += 1;
        if scan.contents == masked || rounds == 4 {
            return scan.finish(&hidden);
        }
        masked = scan.contents;
    }
}

/// What one reading of the markers found.
struct Scan {
    blocks: Vec<Block>,
    /// The content of every block that ended, also those with a marker error.
    contents: Vec<Range<usize>>,
    errors: Vec<MarkerError>,
    markers: usize,
    /// The first marker-like line that is text, and why.
    first_hidden: Option<(usize, Hider)>,
}

impl Scan {
    /// The blocks, or every marker problem (a file without a marker is one).
    fn finish(mut self, hidden: &[(Range<usize>, Hider)]) -> Result<Vec<Block>, Vec<MarkerError>> {
        if self.markers == 0 {
            let unclosed = hidden
                .iter()
                .find(|(_, h)| matches!(h, Hider::Fence { closed: false, .. }));
            let help = match (unclosed, self.first_hidden) {
                (Some((_, fence)), _) => fence.why(0),
                (None, Some((line, hider))) => hider.why(line),
                (None, None) => "put `<!-- archflow:begin flowchart -->` and `<!-- archflow:end \
                                 -->`, each on a line of its own, where the diagram goes"
                    .to_owned(),
            };
            self.errors.push(
                MarkerError::new(
                    Position { line: 1, column: 1 },
                    "no archflow markers in this file",
                )
                .help(help),
            );
        }
        if self.errors.is_empty() {
            Ok(self.blocks)
        } else {
            self.errors.sort_by_key(|e| e.at);
            Err(self.errors)
        }
    }
}

/// Read the markers of `text`, line by line; outside blocks, lines that start in a `hidden` range
/// are text.
fn scan(text: &str, hidden: &[(Range<usize>, Hider)]) -> Scan {
    let mut blocks = Vec::new();
    let mut contents = Vec::new();
    let mut errors = Vec::new();
    let mut open: Option<Open> = None;
    let mut markers = 0;
    let mut first_hidden = None;
    for line in lines(text) {
        // A byte order mark is not part of the first line's text.
        let (content, shift) = match line.text.strip_prefix('\u{feff}') {
            Some(rest) if line.start == 0 => (rest, 1),
            _ => (line.text, 0),
        };
        let pos = |at: usize| Position {
            line: line.number,
            column: column(content, at) + shift,
        };
        let Some((marker, at)) = marker(content) else {
            continue;
        };
        if open.is_none() {
            let probe = line.start + (line.text.len() - content.len()) + at;
            if let Some((_, hider)) = hidden.iter().find(|(r, _)| r.contains(&probe)) {
                first_hidden.get_or_insert((line.number, *hider));
                continue;
            }
        }
        markers += 1;
        match marker {
            // Inside a block anything but begin and end is content, to be replaced.
            Marker::Unknown { word } if open.is_none() => {
                let suggestion = did_you_mean(word, ["archflow:begin", "archflow:end"])
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                errors.push(
                    MarkerError::new(pos(at), format!("unknown marker `{word}`{suggestion}")).help(
                        "markers are `<!-- archflow:begin KIND -->` and `<!-- archflow:end -->`",
                    ),
                );
            }
            Marker::Unknown { .. } => {}
            Marker::Begin { rest, rest_at } => {
                if let Some(outer) = &open {
                    errors.push(
                        MarkerError::new(
                            pos(at),
                            format!(
                                "begin marker inside the block opened at line {}; blocks do not nest",
                                outer.begin.line
                            ),
                        )
                        .help(format!(
                            "end the block of line {} with `<!-- archflow:end -->` before this line",
                            outer.begin.line
                        )),
                    );
                }
                let argument_at = rest_at + rest.find(char::is_whitespace).unwrap_or(rest.len());
                let argument_at = argument_at
                    + (content[argument_at..].len() - content[argument_at..].trim_start().len());
                let kind = kind(rest, pos(rest_at), pos(argument_at))
                    .map_err(|e| errors.push(e))
                    .ok();
                open = Some(Open {
                    kind,
                    begin: pos(at),
                    argument: pos(argument_at),
                    content_start: line.start + line.text.len() + line.eol.len(),
                    indent: content
                        [..content.len() - content.trim_start_matches([' ', '\t']).len()]
                        .to_owned(),
                    eol: if line.eol.is_empty() { "\n" } else { line.eol },
                });
            }
            Marker::End { rest, rest_at } => {
                if !rest.is_empty() {
                    errors.push(
                        MarkerError::new(
                            pos(rest_at),
                            format!("the end marker takes nothing, found `{rest}`"),
                        )
                        .help("write `<!-- archflow:end -->`"),
                    );
                }
                match open.take() {
                    None => errors.push(
                        MarkerError::new(pos(at), "end marker without a begin marker")
                            .help("add `<!-- archflow:begin KIND -->` above it, or delete it"),
                    ),
                    Some(o) => {
                        contents.push(o.content_start..line.start);
                        if let Some(kind) = o.kind {
                            blocks.push(Block {
                                kind,
                                begin: o.begin,
                                argument: o.argument,
                                content: o.content_start..line.start,
                                indent: o.indent,
                                eol: o.eol,
                            });
                        }
                    }
                }
            }
        }
    }
    if let Some(o) = open {
        errors.push(
            MarkerError::new(o.begin, "begin marker without an end marker").help(
                "add `<!-- archflow:end -->` on a line of its own where the generated text ends",
            ),
        );
    }
    Scan {
        blocks,
        contents,
        errors,
        markers,
        first_hidden,
    }
}

/// What a block of `kind` holds for `view`, with `\n` line endings and no indentation. Ends
/// with a newline. Diagrams are fenced (```` ```mermaid ````) and followed by their hidden
/// summary line; tables and lists have a blank line before and after.
///
/// # Errors
/// When a `sequence` names no flow of the model.
pub fn render(view: &View, kind: &Kind) -> Result<String, RenderError> {
    render_summarised(view, kind).map(|(body, _)| body)
}

/// [`render`], and the summary that the block's hidden line records (diagrams only).
fn render_summarised(
    view: &View,
    kind: &Kind,
) -> Result<(String, Option<ViewSummary>), RenderError> {
    let body = match kind {
        Kind::Flowchart => format!("```mermaid\n{}```\n", mermaid::flowchart(view)),
        Kind::Sequence { flow } => {
            let found = crate::render::find_flow(view, flow)?;
            format!("```mermaid\n{}```\n", mermaid::sequence(view, found))
        }
        // Blank lines around Markdown blocks, so that no renderer reads a marker into them.
        Kind::Components => format!("\n{}\n\n", markdown::components(view)),
        Kind::Findings => format!("\n{}\n\n", markdown::findings(view)),
    };
    Ok(match ViewSummary::of(view, kind) {
        Some(summary) => (format!("{body}{}\n", summary.line()), Some(summary)),
        None => (body, None),
    })
}

/// `body` (with `\n` endings) with `eol` endings and every non-empty line indented.
fn reshape(body: &str, indent: &str, eol: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 16);
    for line in body.split_inclusive('\n') {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, eol),
            None => (line, ""),
        };
        if !text.is_empty() {
            out.push_str(indent);
            out.push_str(text);
        }
        out.push_str(newline);
    }
    out
}

/// One block, before and after.
#[derive(Clone, Debug)]
pub struct Injection {
    pub block: Block,
    /// The byte range of the block's new content in [`Injected::text`].
    pub new: Range<usize>,
    /// What the new content shows, for a diagram block (its hidden line records it).
    pub summary: Option<ViewSummary>,
}

/// A text with every block regenerated.
#[derive(Clone, Debug)]
pub struct Injected<'a> {
    /// The text as it was.
    pub original: &'a str,
    /// The text with every block's content replaced.
    pub text: String,
    pub blocks: Vec<Injection>,
}

impl Injected<'_> {
    /// A block's content as it was.
    #[must_use]
    pub fn old_content(&self, block: &Injection) -> &str {
        &self.original[block.block.content.clone()]
    }

    /// A block's content as generated.
    #[must_use]
    pub fn new_content(&self, block: &Injection) -> &str {
        &self.text[block.new.clone()]
    }

    /// The blocks whose content changes.
    pub fn stale(&self) -> impl Iterator<Item = &Injection> {
        self.blocks
            .iter()
            .filter(|b| self.old_content(b) != self.new_content(b))
    }

    /// Whether the text changes.
    #[must_use]
    pub fn changed(&self) -> bool {
        self.text != self.original
    }

    /// A unified diff from the original text to the new one (empty when nothing changes).
    #[must_use]
    pub fn diff(&self, old_name: &str, new_name: &str) -> String {
        let mut chunks = Vec::with_capacity(self.blocks.len() * 2 + 1);
        let (mut old_at, mut new_at) = (0, 0);
        for b in &self.blocks {
            chunks.push((
                &self.original[old_at..b.block.content.start],
                &self.text[new_at..b.new.start],
            ));
            chunks.push((self.old_content(b), self.new_content(b)));
            (old_at, new_at) = (b.block.content.end, b.new.end);
        }
        chunks.push((&self.original[old_at..], &self.text[new_at..]));
        diff::unified(&chunks, old_name, new_name, 3)
    }

    /// What changed in a block, in plain words (see [`summary::describe`]); empty when nothing
    /// is known of what the block showed before.
    #[must_use]
    pub fn summary(&self, block: &Injection) -> Vec<String> {
        summary::describe(
            &block.block.kind,
            self.old_content(block),
            self.new_content(block),
            block.summary.as_ref(),
        )
    }
}

/// Regenerate every block of `text` from `view`.
///
/// # Errors
/// The marker problems of [`parse`], or else every block whose `sequence` names no flow.
pub fn inject<'a>(text: &'a str, view: &View) -> Result<Injected<'a>, Vec<MarkerError>> {
    let blocks = parse(text)?;
    let mut errors = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut injections = Vec::with_capacity(blocks.len());
    let mut at = 0;
    for block in blocks {
        let (body, summary) = match render_summarised(view, &block.kind) {
            Ok(rendered) => rendered,
            Err(e) => {
                errors.push(MarkerError::new(block.argument, e.to_string()));
                continue;
            }
        };
        out.push_str(&text[at..block.content.start]);
        let start = out.len();
        out.push_str(&reshape(&body, &block.indent, block.eol));
        at = block.content.end;
        injections.push(Injection {
            new: start..out.len(),
            block,
            summary,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.push_str(&text[at..]);
    Ok(Injected {
        original: text,
        text: out,
        blocks: injections,
    })
}

#[cfg(test)]
mod tests {
    use super::{Kind, Position, marker, parse, reshape};

    fn errors(text: &str) -> Vec<(usize, usize, String)> {
        parse(text)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.at.line, e.at.column, e.message))
            .collect()
    }

    #[test]
    fn markers_are_whole_comment_lines() {
        assert!(marker("<!-- archflow:begin flowchart -->").is_some());
        assert!(marker("  <!--archflow:end-->  ").is_some());
        assert!(marker("x <!-- archflow:end -->").is_none());
        assert!(marker("<!-- archflow:end --> x").is_none());
        assert!(marker("<!-- archflow:begin flowchart").is_none());
        assert!(marker("<!-- security rules A011–A019 -->").is_none());
        assert!(marker("<!-- archflow:begin flowchart --").is_none());
    }

    #[test]
    fn blocks_hold_kind_position_indent_and_line_ending() {
        let text = "# T\r\n\r\n  <!-- archflow:begin sequence  my flow  -->\r\n  old\r\n  \
                    <!-- archflow:end -->\r\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 1);
        let b = &blocks[0];
        assert_eq!(
            b.kind,
            Kind::Sequence {
                flow: "my flow".to_owned()
            }
        );
        assert_eq!(b.begin, Position { line: 3, column: 3 });
        assert_eq!(
            b.argument,
            Position {
                line: 3,
                column: 33
            }
        );
        assert_eq!(&text[b.content.clone()], "  old\r\n");
        assert_eq!((b.indent.as_str(), b.eol), ("  ", "\r\n"));
    }

    #[test]
    fn markers_in_code_fences_are_text() {
        let text = "```md\n<!-- archflow:begin flowchart -->\n```\n\
                    <!-- archflow:begin components -->\n<!-- archflow:end -->\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].kind, Kind::Components);
    }

    #[test]
    fn marker_errors_say_where() {
        assert_eq!(
            errors("a\n<!-- archflow:begin flowchart -->\n"),
            [(2, 1, "begin marker without an end marker".to_owned())]
        );
        assert_eq!(
            errors("<!-- archflow:end -->"),
            [(1, 1, "end marker without a begin marker".to_owned())]
        );
        assert_eq!(
            errors("<!-- archflow:begin flowchat -->\n<!-- archflow:end -->\n"),
            [(
                1,
                21,
                "unknown kind `flowchat`; did you mean `flowchart`?".to_owned()
            )]
        );
        assert_eq!(
            errors("<!-- archflow:begn flowchart -->\n"),
            [(
                1,
                1,
                "unknown marker `archflow:begn`; did you mean `archflow:begin`?".to_owned()
            )]
        );
        assert_eq!(
            errors("no markers\n")[0].2,
            "no archflow markers in this file"
        );
        let unclosed = parse("```\n<!-- archflow:begin flowchart -->\n<!-- archflow:end -->\n");
        let help = unclosed.unwrap_err()[0].help.clone().unwrap();
        assert!(
            help.starts_with("the code fence opened at line 1"),
            "{help}"
        );
        let nested = errors(
            "<!-- archflow:begin flowchart -->\n<!-- archflow:begin components -->\n\
             <!-- archflow:end -->\n",
        );
        assert_eq!(nested.len(), 1);
        assert_eq!((nested[0].0, nested[0].1), (2, 1));
        assert_eq!(
            errors("<!-- archflow:begin flowchart TB -->\n<!-- archflow:end -->\n")[0].1,
            31
        );
    }

    #[test]
    fn reshaping_keeps_empty_lines_empty() {
        assert_eq!(reshape("a\n\nb\n", "  ", "\r\n"), "  a\r\n\r\n  b\r\n");
    }
}
