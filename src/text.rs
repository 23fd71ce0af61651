//! Text made safe for where it goes: control characters made visible, and the escaping of each
//! output format. Every renderer, and every printer of findings, writes the model's text through
//! these functions, so that a name can neither break the syntax around it nor make the output
//! read differently from the model.

use std::borrow::Cow;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------------------------
// Control characters.

/// Unicode controls that reorder text (bidi overrides, isolates, marks). Shown as `<U+202E>`
/// rather than obeyed, so a name cannot make a diagram read differently from the model.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What becomes of a control character (a `Cc` character such as `\u{1b}`) that is not kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Shown as `<U+001B>`.
    Show,
    /// Left out.
    Drop,
    /// Replaced by a space.
    Space,
}

/// `text` with Unicode bidi controls shown as `<U+202E>`, and every other control character but
/// those in `keep` handled as `control` says. Borrowed when nothing changes.
#[must_use]
pub fn visible<'a>(text: &'a str, keep: &[char], control: Control) -> Cow<'a, str> {
    let changes = |c: char| is_bidi_control(c) || (c.is_control() && !keep.contains(&c));
    if !text.chars().any(changes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !changes(c) {
            out.push(c);
        } else if is_bidi_control(c) || control == Control::Show {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else if control == Control::Space {
            out.push(' ');
        }
    }
    Cow::Owned(out)
}

/// A message made safe for a terminal or a log: control characters (but line breaks and tabs)
/// and Unicode bidi controls are shown as `<U+001B>`, `<U+202E>`, so a name in the model cannot
/// send escape sequences to the terminal or make a finding read differently from the model.
#[must_use]
pub fn display_safe(text: &str) -> Cow<'_, str> {
    visible(text, &['\n', '\t'], Control::Show)
}

/// `text` with Unicode bidi controls replaced by a visible `<U+XXXX>`, and other control
/// characters (but newline, tab and carriage return) removed, as the SVG renderer does.
#[must_use]
pub fn visible_controls(text: &str) -> Cow<'_, str> {
    visible(text, &['\n', '\t', '\r'], Control::Drop)
}

/// One line: bidi controls shown as `<U+202E>`, every run of whitespace or control characters
/// as one space (not trimmed).
#[must_use]
pub fn one_line(s: &str) -> String {
    let s = visible(s, &[], Control::Space);
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(ch);
            space = false;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Output formats.

/// Escape text for XML and HTML content and quoted attribute values (`&`, `<`, `>`, `"`, `'`).
/// Control characters pass: see [`xml_text`].
#[must_use]
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML content and attribute values where no control character may appear (SVG):
/// escaped, bidi controls shown (`&lt;U+202E&gt;`), other control characters dropped.
#[must_use]
pub fn xml_text(s: &str) -> String {
    escape_xml(&visible(s, &[], Control::Drop))
}

/// A DOT double-quoted string. Backslashes are doubled so that user text can never form a DOT
/// escape such as `\N` or `\l`; line breaks become `\n`; bidi controls are shown as `<U+202E>`;
/// other control characters are dropped.
#[must_use]
pub fn dot_string(s: &str) -> String {
    let s = visible(s, &['\n'], Control::Drop);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Mermaid-safe text: plain characters pass, control characters become spaces, bidi controls
/// are shown (`#60;U+202E#62;`), anything else becomes an entity code `#N;`.
#[must_use]
pub fn mermaid_text(s: &str) -> String {
    let s = visible(s, &[], Control::Space);
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric()
            || matches!(
                ch,
                ' ' | '-'
                    | '_'
                    | '.'
                    | ','
                    | ':'
                    | '/'
                    | '@'
                    | '+'
                    | '='
                    | '('
                    | ')'
                    | '?'
                    | '!'
                    | '*'
                    | '\''
            )
        {
            out.push(ch);
        } else {
            let _ = write!(out, "#{};", u32::from(ch));
        }
    }
    out
}

/// Markdown punctuation backslash-escaped, `<` `>` `&` as entities: the text reads literally
/// wherever inline Markdown is parsed. Line-start syntax (`-`, `+`, `1.`, `=`) is not escaped.
#[must_use]
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // Emphasis, code, links, tables, headings, strikethrough, GitHub math, escapes.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Plain text as inline Markdown that reads literally: [`one_line`], trimmed, then
/// [`markdown_escape`]. Safe in headings, emphasis and table cells.
#[must_use]
pub fn markdown_inline(s: &str) -> String {
    markdown_escape(one_line(s).trim())
}

/// JSON made safe inside an HTML `<script>`: `<`, `>` and `&` as JSON escapes, so no
/// `</script>` or `<!--` can appear; U+2028 and U+2029 escaped for older JavaScript; bidi
/// controls escaped too, so the page's source reads as the page shows.
#[must_use]
pub fn json_in_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if is_bidi_control(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    #[test]
    fn bidi_controls_are_the_reordering_ones() {
        for c in [
            '\u{200E}', '\u{200F}', '\u{061C}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            assert!(is_bidi_control(c), "{c:?}");
        }
        for c in ['a', '\u{200D}', '\u{2065}', '\u{202F}', '\n', '\u{1b}'] {
            assert!(!is_bidi_control(c), "{c:?}");
        }
    }

    #[test]
    fn visible_shows_drops_or_spaces_controls() {
        let s = "a\u{1b}b\u{202e}c\nd";
        assert_eq!(visible(s, &['\n'], Control::Show), "a<U+001B>b<U+202E>c\nd");
        assert_eq!(visible(s, &['\n'], Control::Drop), "ab<U+202E>c\nd");
        assert_eq!(visible(s, &[], Control::Space), "a b<U+202E>c d");
        assert!(matches!(
            visible("plain\n", &['\n'], Control::Drop),
            Cow::Borrowed("plain\n")
        ));
    }

    #[test]
    fn display_safe_keeps_line_breaks_and_tabs() {
        assert_eq!(display_safe("a\tb\nc\r\u{7}"), "a\tb\nc<U+000D><U+0007>");
        assert_eq!(display_safe("\u{2066}x"), "<U+2066>x");
        assert!(matches!(display_safe("ok"), Cow::Borrowed("ok")));
    }

    #[test]
    fn visible_controls_keeps_line_endings_and_tabs() {
        assert_eq!(
            visible_controls("x\u{7}y\r\n\tz\u{200f}"),
            "xy\r\n\tz<U+200F>"
        );
    }

    #[test]
    fn one_line_joins_whitespace_and_controls() {
        assert_eq!(one_line(" two\nlines\t\u{7} x "), " two lines x ");
        assert_eq!(one_line("a \u{202e} b"), "a <U+202E> b");
    }

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(
            escape_xml(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{7}"), "a\u{7}");
        assert_eq!(xml_text("a\u{7}<b>\u{202e}\n"), "a&lt;b&gt;&lt;U+202E&gt;");
    }

    #[test]
    fn dot_strings_neutralise_dot_syntax() {
        assert_eq!(dot_string("a\"b"), r#""a\"b""#);
        assert_eq!(dot_string(r"C:\N"), r#""C:\\N""#);
        assert_eq!(dot_string("x\ny\r\u{7}"), r#""x\ny""#);
        assert_eq!(dot_string("} digraph {"), r#""} digraph {""#);
        assert_eq!(dot_string("a\u{202e}b"), r#""a<U+202E>b""#);
    }

    #[test]
    fn mermaid_text_escapes_everything_mermaid_parses() {
        assert_eq!(mermaid_text("a\"b"), "a#34;b");
        assert_eq!(mermaid_text("<script>"), "#60;script#62;");
        assert_eq!(mermaid_text("x;y#z"), "x#59;y#35;z");
        assert_eq!(
            mermaid_text("]] --> {{ }}"),
            "#93;#93; --#62; #123;#123; #125;#125;"
        );
        assert_eq!(mermaid_text("a\nb\u{202e}·"), "a b#60;U+202E#62;#183;");
    }

    #[test]
    fn markdown_text_reads_literally() {
        assert_eq!(markdown_inline("<script>"), "&lt;script&gt;");
        assert_eq!(
            markdown_inline("a|b *c* _d_ `e` [f](g) # h"),
            "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\# h"
        );
        assert_eq!(markdown_inline(" two\nlines\t "), "two lines");
        assert_eq!(markdown_inline("x\u{202e}y"), "x&lt;U+202E&gt;y");
        assert_eq!(markdown_escape(" $x~ \\ "), " \\$x\\~ \\\\ ");
    }

    #[test]
    fn json_in_script_cannot_close_the_script() {
        assert_eq!(
            json_in_script(r#"{"a":"</script><!--&"}"#),
            r#"{"a":"\u003c/script\u003e\u003c!--\u0026"}"#
        );
        assert_eq!(json_in_script("\u{2028}\u{202e}"), "\\u2028\\u202e");
    }
}
