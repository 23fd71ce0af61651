//! Tests: the Markdown page (`render --format md`, `architecture.md` from `build`).
//!
//! Besides snapshots, the page is parsed with pulldown-cmark in GitHub-flavoured mode to check
//! its structure: the outline, the components table, and that no user text turns into HTML.

use std::ops::Range;

use archflow::diagnostic::Severity;
use archflow::render::markdown::page;
use archflow::render::mermaid;
use archflow::source::Source;
use archflow::view::{FindingView, View};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::support::read;

const REFERENCE: &str = "architecture.yaml";
const MULTI_SERVICE: &str = "tests/fixtures/models/multi-service/model.yaml";
const HOSTILE: &str = "tests/fixtures/models/hostile-names/model.yaml";
const MODELS: &[&str] = &[REFERENCE, MULTI_SERVICE, HOSTILE];

/// The view of a model with its findings attached, as `archflow render` builds it.
fn view(path: &str) -> View {
    let source = Source::new(path, read(path));
    archflow::analyze(&source).view().unwrap()
}

fn gfm() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

fn events(markdown: &str) -> Vec<(Event<'_>, Range<usize>)> {
    Parser::new_ext(markdown, gfm())
        .into_offset_iter()
        .collect()
}

/// The headings of a page: (level, text).
fn outline(markdown: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (event, _) in events(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level as usize, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// Every piece of raw HTML the page holds (outside code, which is never HTML).
fn raw_html(markdown: &str) -> Vec<String> {
    events(markdown)
        .into_iter()
        .filter_map(|(event, _)| match event {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.into_string()),
            _ => None,
        })
        .collect()
}

/// The page's source text with code spans and code blocks cut out.
fn outside_code(markdown: &str) -> String {
    let code: Vec<Range<usize>> = events(markdown)
        .into_iter()
        .filter(|(e, _)| matches!(e, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r)
        .collect();
    markdown
        .char_indices()
        .filter(|(i, _)| !code.iter().any(|r| r.contains(i)))
        .map(|(_, c)| c)
        .collect()
}

/// The only HTML the page writes itself is `<br>` inside table cells.
fn assert_no_live_html(markdown: &str) {
    for html in raw_html(markdown) {
        assert_eq!(html, "<br>", "raw HTML in the page:\n{markdown}");
    }
    let text = outside_code(markdown).to_lowercase();
    for tag in ["<script", "<img", "<!--", "</"] {
        assert!(
            !text.contains(tag),
            "`{tag}` outside code in the page:\n{markdown}"
        );
    }
}

/// The components table: each body row's cells, as plain text.
fn table_rows(markdown: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_head = false;
    for (event, _) in events(markdown) {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) if !in_head => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) if !in_head => {
                if let Some(row) = rows.last_mut() {
                    row.push(String::new());
                }
            }
            Event::Text(t) | Event::Code(t) if !in_head => {
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push_str(&t);
                }
            }
            _ => {}
        }
    }
    rows
}

#[test]
fn snapshot_of_the_reference_model_with_its_finding() {
    let view = view(REFERENCE);
    let warnings = view
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .count();
    assert_eq!(
        warnings, 1,
        "the reference model has one warning (and infos)"
    );
    insta::assert_snapshot!("reference", page(&view));
}

#[test]
fn snapshot_of_the_multi_service_model() {
    insta::assert_snapshot!("multi_service", page(&view(MULTI_SERVICE)));
}

#[test]
fn snapshot_of_hostile_names() {
    insta::assert_snapshot!("hostile_names", page(&view(HOSTILE)));
}

#[test]
fn the_page_holds_the_flowchart_and_every_sequence_exactly() {
    for path in MODELS {
        let view = view(path);
        let page = page(&view);
        let flowchart = format!(
            "## Diagram\n\n```mermaid\n{}```\n",
            mermaid::flowchart(&view)
        );
        assert!(
            page.contains(&flowchart),
            "{path}: flowchart missing:\n{page}"
        );
        for flow in &view.flows {
            let sequence = format!(
                "```mermaid\n{}```\n",
                mermaid::sequence_with(&view, flow, mermaid::Notes::Short)
            );
            assert!(
                page.contains(&sequence),
                "{path}: sequence of {} missing",
                flow.name
            );
        }
    }
}

#[test]
fn every_node_name_appears_once_in_the_components_table() {
    for path in MODELS {
        let view = view(path);
        let page = page(&view);
        let rows = table_rows(&page);
        assert_eq!(rows.len(), view.nodes.len(), "{path}: a row per node");
        for (row, node) in rows.iter().zip(&view.nodes) {
            assert_eq!(row.len(), 4, "{path}: four cells in {row:?}");
            // The Name cell shows the label (when it differs) and the name, both as text.
            // (A bidi control is shown as `<U+202E>`, not obeyed.)
            let expected = if node.label == node.id {
                node.id.clone()
            } else {
                format!("{}{}", node.label, node.id)
            }
            .replace('\u{202e}', "<U+202E>");
            assert_eq!(row[0], expected, "{path}");
        }
    }
}

/// The headings of "Why it is built this way": present when the view has decisions, trade-offs
/// or described clusters; one heading per decision, its title as written.
fn why_outline(view: &View) -> Vec<(usize, String)> {
    let mut expected = Vec::new();
    let described = view.clusters.iter().any(|c| c.description.is_some());
    if !view.decisions.is_empty() || !view.tradeoffs.is_empty() || described {
        expected.push((2, "Why it is built this way".to_owned()));
    }
    if !view.decisions.is_empty() {
        expected.push((3, "Decisions".to_owned()));
    }
    for (i, d) in view.decisions.iter().enumerate() {
        expected.push((4, format!("Decision {}: {}", i + 1, d.title)));
    }
    if !view.tradeoffs.is_empty() {
        expected.push((3, "Trade-offs in the configuration".to_owned()));
    }
    if described {
        expected.push((3, "Where it runs".to_owned()));
    }
    expected
}

#[test]
fn the_outline_is_fixed_whatever_the_names() {
    for path in MODELS {
        let view = view(path);
        let mut expected = vec![
            (1, view.title.clone()),
            (2, "Diagram".to_owned()),
            (2, "Components".to_owned()),
            (2, "Flows".to_owned()),
        ];
        expected.extend(view.flows.iter().map(|f| (3, f.title.clone())));
        expected.extend(why_outline(&view));
        expected.push((2, "Findings".to_owned()));
        assert_eq!(outline(&page(&view)), expected, "{path}");
    }
}

#[test]
fn hostile_names_show_as_text_never_as_html() {
    let view = view(HOSTILE);
    let page = page(&view);
    assert_no_live_html(&page);
    // The title and the description's HTML are there, as text.
    let text: String = events(&page)
        .into_iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) => Some(t.into_string()),
            _ => None,
        })
        .collect();
    assert!(
        text.contains("Hostile <script>alert(1)</script> \"quotes\""),
        "{text}"
    );
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    // The bidi override is shown, not obeyed.
    assert!(!page.contains('\u{202e}'));
    assert!(page.contains("&lt;U+202E&gt;"));
}

#[test]
fn markdown_in_descriptions_and_notes_cannot_break_the_page() {
    let mut view = view(HOSTILE);
    view.description = Some("Intro.\n\n<!-- never closed\n\n```sh\nan unclosed fence".to_owned());
    view.nodes[0].description = Some("a | b\n\n<script>x</script> `<b>` **bold**".to_owned());
    view.nodes[1].label = "pipe | and \\| backslash\\".to_owned();
    view.flows[0].description = Some("<script>\n\n```\nunclosed".to_owned());
    view.flows[0].steps[0].note = Some("<!-- x\n\n```\nopen fence in a list item".to_owned());
    view.flows[0].steps[1].note = Some("====\n<img src=x>\n\tindented".to_owned());
    let page = page(&view);
    assert_no_live_html(&page);
    let flow_title = view.flows[0].title.clone();
    let mut expected = vec![
        (1, view.title.clone()),
        (2, "Diagram".to_owned()),
        (2, "Components".to_owned()),
        (2, "Flows".to_owned()),
        (3, flow_title),
    ];
    expected.extend(why_outline(&view));
    expected.push((2, "Findings".to_owned()));
    assert_eq!(outline(&page), expected);
    assert_eq!(table_rows(&page).len(), view.nodes.len());
    assert!(table_rows(&page).iter().all(|row| row.len() == 4));
    assert_eq!(
        table_rows(&page)[1][0],
        format!("pipe | and \\| backslash\\{}", view.nodes[1].id)
    );
    // Kept as Markdown where it could be: bold and code spans in the cell.
    assert!(
        page.contains("a \\| b &lt;script>x&lt;/script> `<b>` **bold**"),
        "{page}"
    );
    // Four steps, still one numbered list.
    let items = events(&page)
        .into_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Item)))
        .count();
    assert_eq!(items, view.flows[0].steps.len(), "{page}");
}

#[test]
fn findings_are_listed_with_rule_position_and_help() {
    let page = page(&view(REFERENCE));
    let findings = &page[page.find("## Findings").unwrap()..];
    assert!(
        findings.starts_with("## Findings\n\nThe check reports 1 warning, 3 infos.\n\n"),
        "{findings}"
    );
    assert!(
        findings.contains("\n- **warning** `A010` single-task-service at `architecture.yaml:"),
        "{findings}"
    );
    assert!(
        findings.contains("Help: the task also runs a database"),
        "{findings}"
    );
    assert!(findings.contains("`desiredCount: 2`"), "{findings}");
    // By severity, then position: the warning before the infos, the infos by line.
    let severities: Vec<&str> = findings
        .lines()
        .filter_map(|l| l.strip_prefix("- **"))
        .filter_map(|l| l.split("**").next())
        .collect();
    assert_eq!(
        severities,
        ["warning", "info", "info", "info"],
        "{findings}"
    );
    let lines: Vec<usize> = findings
        .lines()
        .filter(|l| l.starts_with("- **info**"))
        .map(|l| {
            let at = l.split("`architecture.yaml:").nth(1).unwrap();
            at.split(':').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(lines.is_sorted(), "{lines:?}");
    for path in [MULTI_SERVICE, HOSTILE] {
        assert!(
            archflow::render::markdown::page(&view(path))
                .ends_with("## Findings\n\nNo findings.\n")
        );
    }
}

#[test]
fn hostile_findings_show_as_text() {
    let mut view = view(HOSTILE);
    view.findings = std::sync::Arc::new(vec![FindingView {
        code: "A001".to_owned(),
        rule: "unknown_reference *x*".to_owned(),
        severity: Severity::Error,
        message: "unknown volume `<script>` in task `a|b` <img src=x>\n# not a heading".to_owned(),
        file: "dir `x`/model.yaml".to_owned(),
        line: 3,
        column: 7,
        help: Some("did you mean `data`? <!--".to_owned()),
        notes: vec!["odd ` backquote <b>".to_owned()],
        summary: None,
        doc: None,
    }]);
    let page = page(&view);
    assert_no_live_html(&page);
    assert!(outline(&page).last() == Some(&(2, "Findings".to_owned())));
    let findings = &page[page.find("## Findings").unwrap()..];
    assert!(findings.contains(
        "- **error** `A001` unknown\\_reference \\*x\\* at ``dir `x`/model.yaml:3:7``: unknown volume `<script>` in task `a|b` &lt;img src=x&gt; \\# not a heading"
    ), "{findings}");
    assert!(findings.contains("The check reports 1 error."));
}

#[test]
fn the_page_is_deterministic_and_ends_with_one_newline() {
    for path in MODELS {
        let a = page(&view(path));
        let b = page(&view(path));
        assert_eq!(a, b, "{path}");
        assert!(a.ends_with('\n') && !a.ends_with("\n\n"), "{path}");
    }
}

#[test]
fn render_and_build_write_the_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::support::root().join(REFERENCE),
        dir.path().join("architecture.yaml"),
    )
    .unwrap();
    let out = crate::support::archflow(dir.path(), &["render", "--format", "md"]);
    let (stdout, stderr) = crate::support::text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, page(&view(REFERENCE)));
    let out = crate::support::archflow(dir.path(), &["build", "--out-dir", "out"]);
    assert!(out.status.success(), "{}", crate::support::text(&out).1);
    let written = std::fs::read_to_string(dir.path().join("out/architecture.md")).unwrap();
    // Written beside architecture.svg, the page shows that picture and folds the flowchart.
    assert_eq!(
        written,
        archflow::render::markdown::page_beside_svg(&view(REFERENCE), "architecture.svg")
    );
    assert!(dir.path().join("out/architecture.svg").is_file());
    let images: Vec<String> = targets(&written)
        .into_iter()
        .filter(|(image, _)| *image)
        .map(|(_, target)| target)
        .collect();
    assert_eq!(images, ["architecture.svg"]);
    assert!(!stdout.contains("architecture.svg"), "{stdout}");
    let picture = "![The architecture of Goals API on ECS](architecture.svg)\n\n\
                   <details><summary>The same diagram in Mermaid</summary>\n\n";
    assert!(written.contains(picture));
    let without_picture = written
        .replace(picture, "")
        .replacen("```\n\n</details>\n", "```\n", 1);
    assert!(without_picture == stdout, "{without_picture}");
}

/// Mermaid's entity codes (`#60;`) as the characters they stand for.
fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(';') {
            let code: u32 = tail[..digits].parse().unwrap();
            out.push(char::from_u32(code).unwrap());
            rest = &tail[digits + 1..];
        } else {
            out.push('#');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The contents of a page's `mermaid` code blocks, as GitHub reads them.
fn mermaid_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for (event, _) in events(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                if &*info == "mermaid" =>
            {
                current = Some(String::new());
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

#[test]
fn mermaid_blocks_parse_and_sequence_notes_stay_narrow() {
    // The reference model, with one more note: long, with code spans, a link and a word
    // longer than a line.
    let long_note = format!(
        "note: \"MongoDB confirms the write with `{{ok: 1}}` to the API; see [the manual](https://www.mongodb.com/docs/). \
         A word longer than a line: {}. And a last sentence.\"",
        "x".repeat(75)
    );
    // And an asynchronous step at the end: fire and forget.
    let reference = read(REFERENCE)
        .replace("note: MongoDB confirms the write to the API.", &long_note)
        .replace(
            "note: The load balancer passes the response back to the client.\n",
            "note: The load balancer passes the response back to the client.\n      \
             - from: goals-backend\n        to: mongodb\n        action: count the request\n        \
             async: true\n",
        );
    assert!(reference.contains("the manual"));
    let analyzed =
        |name: &str, text: String| archflow::analyze(&Source::new(name, text)).view().unwrap();
    let pages = [
        ("reference", page(&view(REFERENCE))),
        ("long-note", page(&analyzed("architecture.yaml", reference))),
        (
            "synthetic-30",
            page(&analyzed("synth.yaml", archflow::synth::generate(30, 7))),
        ),
        ("hostile", page(&view(HOSTILE))),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut notes = 0;
    for (name, page) in &pages {
        // Backquotes in notes are code marks, never entities (a name of the hostile model
        // holds a backquote, which its diagrams show as one).
        assert!(
            *name == "hostile" || !page.contains("#96;"),
            "{name}: entity-escaped backquote\n{page}"
        );
        let blocks = mermaid_blocks(page);
        assert!(blocks.len() >= 2, "{name}: {blocks:?}");
        for (i, block) in blocks.iter().enumerate() {
            for line in block.lines() {
                let Some(rest) = line.trim_start().strip_prefix("Note over ") else {
                    continue;
                };
                notes += 1;
                let text = rest.split_once(": ").unwrap().1;
                for part in text.split("<br/>") {
                    let shown = decode_entities(part);
                    assert!(
                        shown.chars().count() <= mermaid::NOTE_WIDTH,
                        "{name}: note line of {} characters: {shown}",
                        shown.chars().count()
                    );
                }
            }
            let path = dir.path().join(format!("{name}-{i}.mmd"));
            std::fs::write(&path, block).unwrap();
            files.push(path);
        }
    }
    assert!(notes >= 14, "{notes}");
    // The long note is shortened in the diagram and given whole, with real code, in the list.
    let long = &pages[1].1;
    assert!(
        long.contains(
            "confirms the write with #123;ok: 1#125; to the API#59; see the<br/>manual. ...\n"
        ),
        "{long}"
    );
    assert!(
        long.contains("   MongoDB confirms the write with `{ok: 1}` to the API; see [the manual]"),
        "{long}"
    );
    assert!(
        long.contains("  n_goals_backend-)n_mongodb: count the request\n"),
        "{long}"
    );
    assert!(long.contains(
        "8. **Node.js REST API → MongoDB**: count the request, asynchronous: no answer expected"
    ));
    // A note the diagram shows whole is not repeated in the list.
    let reference_page = &pages[0].1;
    assert_eq!(
        reference_page
            .matches("The API answers with the stored goal.")
            .count(),
        1,
        "{reference_page}"
    );
    assert!(reference_page.contains("`localhost:27017`"));
    let checker = crate::support::root().join("tests/mermaid");
    let ready = checker.join("node_modules/mermaid").is_dir()
        && std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if crate::support::tool_ready("the Mermaid parser", ready, "npm ci --prefix tests/mermaid") {
        crate::support::run_node_checker(
            &checker.join("check.mjs"),
            &[],
            &files,
            "the Mermaid parser",
        );
    }
}

/// Every link and image target of a page, with whether it is an image.
fn targets(markdown: &str) -> Vec<(bool, String)> {
    events(markdown)
        .into_iter()
        .filter_map(|(event, _)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((false, dest_url.into_string())),
            Event::Start(Tag::Image { dest_url, .. }) => Some((true, dest_url.into_string())),
            _ => None,
        })
        .collect()
}

/// Link and image targets in descriptions, notes and table cells are limited to `https:`,
/// `http:`, `mailto:` and relative paths, and images on other sites become links, as on the HTML
/// page (the page kept `javascript:`, `data:` and `vbscript:` targets and tracking images, which
/// renderers other than GitHub's show).
#[test]
fn links_keep_only_safe_targets_and_remote_images_become_links() {
    let hostile = "[a](javascript:alert(1)) [b](JavaScript:alert(2)) [c](<java\tscript:x>) \
                   [d](&#106;avascript:alert(3)) [e](data:text/html,<script>x</script>) \
                   [f](vbscript:msgbox) <javascript:alert(4)> ![g](javascript:alert(5)) \
                   [h][evil] ![i][pixel] ![j](https://tracker.example/p.gif) \
                   ![k](//tracker.example/p.gif) [l](https://example.com/docs) \
                   [m](mailto:ops@example.com) [n](docs/runbook.md) ![o](img/diagram.png) \
                   <https://example.com/auto>\n\n[evil]: javascript:alert(6)\n[pixel]: \
                   http://tracker.example/q.gif\n";
    let mut view = view(REFERENCE);
    view.description = Some(hostile.to_owned());
    view.nodes[0].description = Some(hostile.replace("\n\n", " "));
    view.flows[0].description = Some(hostile.to_owned());
    view.flows[0].steps[0].note = Some(hostile.to_owned());
    let page = page(&view);
    let found = targets(&page);
    let allowed = [
        (false, "https://tracker.example/p.gif"),
        (false, "//tracker.example/p.gif"),
        (false, "http://tracker.example/q.gif"),
        (false, "https://example.com/docs"),
        (false, "mailto:ops@example.com"),
        (false, "docs/runbook.md"),
        (true, "img/diagram.png"),
        (false, "https://example.com/auto"),
    ];
    for (image, url) in &found {
        assert!(
            allowed.iter().any(|(i, u)| i == image && u == url),
            "{} to `{url}` in the page:\n{page}",
            if *image { "image" } else { "link" }
        );
    }
    // Each allowed target is there in each place (description, cell, flow, note; a reference
    // resolves across places, as definitions are the page's).
    for (image, url) in allowed {
        let n = found
            .iter()
            .filter(|(i, u)| *i == image && u == url)
            .count();
        assert!(n >= 4, "`{url}` {n} times in:\n{page}");
    }
    // What was a link reads as its text.
    assert!(page.contains("alert(1)"), "{page}");
    assert_no_live_html(&page);
}
