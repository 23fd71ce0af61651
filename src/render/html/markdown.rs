//! Markdown → HTML for the explainer page: every Markdown field of the model and the rules' docs
//! goes through [`markdown_to_html`], which never lets markup through that the author did not
//! write as Markdown.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::visible_controls;

/// Render Markdown to an HTML fragment that is safe to embed in a page:
/// - raw HTML (blocks and inline) is shown as text, escaped;
/// - links keep only `http:`, `https:`, `mailto:` and relative URLs; any other link becomes its
///   plain text;
/// - images become links to the image (the page loads nothing), under the same URL rule;
/// - headings are moved down three levels (`#` → `<h4>`), to sit under the page's own;
/// - Unicode bidi controls are shown as `<U+202E>` instead of reordering the text.
#[must_use]
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // For each open link or image: whether its start tag was kept (so its end tag is too).
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(visible(raw))),
        Event::Text(text) => Some(Event::Text(visible(text))),
        Event::Code(text) => Some(Event::Code(visible(text))),
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => {
            let safe = is_safe_url(&dest_url);
            links.push(safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title: visible(title),
                id,
            }))
        }
        Event::End(TagEnd::Link | TagEnd::Image) => links
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Whether a link target is safe to put in `href`: `http:`, `https:`, `mailto:` or relative.
/// Judged the way a browser reads it: tabs and newlines inside are ignored and leading or
/// trailing spaces and control characters are dropped, so `java\tscript:` is caught too. Any
/// `:` before the first `/`, `?` or `#` counts as a scheme.
#[must_use]
pub fn is_safe_url(url: &str) -> bool {
    match scheme(&cleaned(url)) {
        None => true,
        Some(scheme) => ["http", "https", "mailto"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s)),
    }
}

/// Whether a URL points at another site (it has a scheme, or starts with `//`): an image there
/// would be loaded from it when the page is read, telling that site who reads it.
#[must_use]
pub fn is_remote_url(url: &str) -> bool {
    let url = cleaned(url);
    scheme(&url).is_some() || url.starts_with("//") || url.starts_with("\\\\")
}

/// A URL as a browser reads it: without surrounding spaces and controls, tabs and newlines.
fn cleaned(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of a URL: what comes before a `:` that comes before any `/`, `?` or `#`.
fn scheme(url: &str) -> Option<&str> {
    let head = url.split(['/', '?', '#']).next().unwrap_or_default();
    head.split_once(':').map(|(scheme, _)| scheme)
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H4,
        HeadingLevel::H2 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The text with bidi controls written out as `<U+XXXX>` (escaped later as text).
fn visible(text: CowStr<'_>) -> CowStr<'_> {
    match visible_controls(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(s) => CowStr::from(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_common_markdown() {
        assert_eq!(
            markdown_to_html("Some **bold** and `code`."),
            "<p>Some <strong>bold</strong> and <code>code</code>.</p>\n"
        );
        assert_eq!(
            markdown_to_html("- a\n- b\n"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn raw_html_is_text() {
        let html = markdown_to_html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("hi &lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn unsafe_links_become_text() {
        for link in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x]( \u{1}javascript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
            "[x][r]\n\n[r]: javascript:alert(1)",
        ] {
            let html = markdown_to_html(link);
            assert!(!html.contains("href"), "{link} → {html}");
            assert!(!html.contains("<img"), "{link} → {html}");
        }
    }

    #[test]
    fn safe_links_are_kept() {
        assert_eq!(
            markdown_to_html("[docs](https://example.com/a?b=1#c)"),
            "<p><a href=\"https://example.com/a?b=1#c\">docs</a></p>\n"
        );
        for url in [
            "http://example.com",
            "mailto:ops@example.com",
            "docs/runbook.md",
            "#section",
            "/abs/path",
            "?q=1",
            "a/b:c",
        ] {
            assert!(is_safe_url(url), "{url}");
            let html = markdown_to_html(&format!("[x]({url})"));
            assert!(html.contains("href="), "{url} → {html}");
        }
    }

    #[test]
    fn remote_urls_are_those_with_a_scheme_or_a_host() {
        for url in [
            "https://a.b/x.png",
            "HTTP://a",
            "//a.b/x",
            " //a",
            "\\\\host\\x",
        ] {
            assert!(is_remote_url(url), "{url}");
        }
        for url in ["img/a.png", "/abs/a.png", "#x", "?q=1", "a/b:c"] {
            assert!(!is_remote_url(url), "{url}");
        }
    }

    #[test]
    fn images_become_links() {
        assert_eq!(
            markdown_to_html("![the diagram](img/a.png \"t\")"),
            "<p><a href=\"img/a.png\" title=\"t\">the diagram</a></p>\n"
        );
    }

    #[test]
    fn headings_sit_below_the_page() {
        assert_eq!(
            markdown_to_html("# A\n## B\n### C\n"),
            "<h4>A</h4>\n<h5>B</h5>\n<h6>C</h6>\n"
        );
    }

    #[test]
    fn bidi_controls_are_visible() {
        assert_eq!(
            markdown_to_html("a\u{202e}b `c\u{2066}`"),
            "<p>a&lt;U+202E&gt;b <code>c&lt;U+2066&gt;</code></p>\n"
        );
        assert_eq!(visible_controls("x\u{7}y"), "xy");
        assert!(matches!(visible_controls("plain"), Cow::Borrowed("plain")));
    }
}
