//! Tests: `archflow inject`. Blocks filled and kept fresh, text around them kept byte for byte
//! (CRLF and a missing final newline included), marker errors, `--check` with its diff and
//! summary.

use std::path::Path;
use std::sync::LazyLock;

use archflow::inject::summary::ViewSummary;
use archflow::inject::{self, Kind};
use archflow::source::Source;
use archflow::view::View;
use proptest::prelude::*;

use crate::support::{archflow, read, root, text};

const MODEL: &str = "architecture.yaml";

/// The reference model with a `redis` container that the API calls instead of `mongodb`.
fn model_with_redis() -> String {
    let model = read(MODEL);
    let redis = "        - name: redis\n          role: cache\n          image: redis:7\n          \
                 essential: false\n          portMappings:\n            - containerPort: 6379\n              \
                 protocol: tcp\n";
    let at = model.find("        - name: mongodb\n").unwrap();
    let mut with = model.clone();
    with.insert_str(at, redis);
    assert_eq!(with.matches("connectsTo: [mongodb]").count(), 1);
    with.replacen("connectsTo: [mongodb]", "connectsTo: [redis]", 1)
}

/// The view `inject` uses for a model (with its findings, as `--model` loads it).
fn view_of(path: &str, text: &str) -> View {
    let source = Source::new(path, text);
    archflow::analyze(&source).view().unwrap()
}

static REFERENCE: LazyLock<View> = LazyLock::new(|| view_of(MODEL, &read(MODEL)));

/// A temporary folder with `model` as `architecture.yaml` and `readme` as `README.md`.
fn folder(model: &str, readme: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(MODEL), model).unwrap();
    std::fs::write(tmp.path().join("README.md"), readme).unwrap();
    tmp
}

fn readme_in(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("README.md")).unwrap()
}

/// A README with every kind of block, all empty.
const EMPTY_BLOCKS: &str = "# Title\n\nIntro.\n\n<!-- archflow:begin flowchart -->\n\
    <!-- archflow:end -->\n\nThe flow:\n\n<!-- archflow:begin sequence store-goal -->\n\
    <!-- archflow:end -->\n\n## Components\n<!-- archflow:begin components -->\n\
    <!-- archflow:end -->\n## Findings\n<!-- archflow:begin findings -->\n<!-- archflow:end -->\n\
    \nThe end.\n";

/// What a block holds for the reference model, with `eol` line endings.
fn expected(kind: &Kind, eol: &str) -> String {
    inject::render(&REFERENCE, kind).unwrap().replace('\n', eol)
}

#[test]
fn inject_fills_every_kind_of_block_and_is_idempotent() {
    let tmp = folder(&read(MODEL), EMPTY_BLOCKS);
    let out = archflow(tmp.path(), &["inject", "README.md"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("README.md:5:1: updated `flowchart`: the block was empty"),
        "{stdout}"
    );
    let filled = readme_in(tmp.path());
    let flowchart = archflow::render::mermaid::flowchart(&REFERENCE);
    let flow = REFERENCE.flow("store-goal").unwrap();
    let sequence = archflow::render::mermaid::sequence(&REFERENCE, flow);
    // Each diagram is followed by its hidden summary line.
    let hidden = |kind: &Kind| ViewSummary::of(&REFERENCE, kind).unwrap().line();
    let store_goal = Kind::Sequence {
        flow: "store-goal".to_owned(),
    };
    let want = EMPTY_BLOCKS
        .replace(
            "flowchart -->\n",
            &format!(
                "flowchart -->\n```mermaid\n{flowchart}```\n{}\n",
                hidden(&Kind::Flowchart)
            ),
        )
        .replace(
            "store-goal -->\n",
            &format!(
                "store-goal -->\n```mermaid\n{sequence}```\n{}\n",
                hidden(&store_goal)
            ),
        )
        .replace(
            "components -->\n",
            &format!(
                "components -->\n\n{}\n\n",
                archflow::render::markdown::components(&REFERENCE)
            ),
        )
        .replace(
            "findings -->\n",
            &format!(
                "findings -->\n\n{}\n\n",
                archflow::render::markdown::findings(&REFERENCE)
            ),
        );
    assert_eq!(filled, want);
    assert!(filled.contains("| **Node.js REST API**<br>`goals-backend` | container |"));
    assert!(filled.contains("**warning** `A010`"));

    // Twice: nothing changes, and the file is not rewritten.
    let modified = std::fs::metadata(tmp.path().join("README.md"))
        .unwrap()
        .modified()
        .unwrap();
    let again = archflow(tmp.path(), &["inject", "README.md"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(text(&again).0, "README.md: 4 blocks up to date\n");
    assert_eq!(readme_in(tmp.path()), filled);
    let modified_again = std::fs::metadata(tmp.path().join("README.md"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(modified, modified_again);
    let check = archflow(tmp.path(), &["inject", "README.md", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{:?}", text(&check));
}

/// Applies a unified diff to `old` (strictly: every context and removed line must match).
fn apply(old: &str, diff: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut at = 0;
    let mut lines = diff.lines().skip(2).peekable();
    while let Some(header) = lines.next() {
        let ranges = header
            .strip_prefix("@@ -")
            .unwrap()
            .strip_suffix(" @@")
            .unwrap();
        let old_range = ranges.split(' ').next().unwrap();
        let (start, count) = old_range
            .split_once(',')
            .map_or((old_range, "1"), |(s, c)| (s, c));
        let (start, count): (usize, usize) = (start.parse().unwrap(), count.parse().unwrap());
        let first = if count == 0 { start } else { start - 1 };
        out.extend(old[at..first].iter().map(|l| (*l).to_owned()));
        at = first;
        while let Some(line) = lines.next_if(|l| !l.starts_with("@@")) {
            let (sign, body) = line.split_at(1);
            match sign {
                " " | "-" => {
                    assert_eq!(old[at], body, "diff context does not match line {}", at + 1);
                    at += 1;
                    if sign == " " {
                        out.push(body.to_owned());
                    }
                }
                "+" => out.push(body.to_owned()),
                _ => panic!("unexpected diff line {line:?}"),
            }
        }
    }
    out.extend(old[at..].iter().map(|l| (*l).to_owned()));
    out.join("\n") + "\n"
}

#[test]
fn check_shows_a_diff_and_what_changed_in_the_architecture() {
    // The project's README is fresh for the reference model; the model gains a container.
    let readme = read("README.md");
    let tmp = folder(&model_with_redis(), &readme);
    let out = archflow(tmp.path(), &["inject", "README.md", "--check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(readme_in(tmp.path()), readme, "--check wrote the file");

    let line = readme
        .lines()
        .position(|l| l == "<!-- archflow:begin flowchart -->")
        .unwrap()
        + 1;
    let summary = format!(
        "README.md:{line}:1: `flowchart` is stale: added container `redis`; added connection \
         `Node.js REST API → redis` (localhost:6379); removed connection `Node.js REST API → \
         MongoDB` (localhost:27017)\n"
    );
    assert!(stdout.ends_with(&summary), "{stdout}");
    assert!(
        stdout.starts_with("--- README.md\n+++ README.md (archflow inject)\n@@ -"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("\n+        n_redis(\"redis<br/><small>redis:7 #183; TCP:6379</small>\")\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n-  n_goals_backend -->|\"localhost:27017\"| n_mongodb\n"));
    // Only the flowchart is stale: the flow does not involve the changed call.
    assert!(
        !stdout.contains("`sequence store-goal` is stale"),
        "{stdout}"
    );
    assert!(
        stderr.contains("archflow: out of date: README.md (1 block stale); run `archflow inject README.md` to update"),
        "{stderr}"
    );

    // The diff is exact: applied to the README it gives what `inject` writes.
    let diff = &stdout[..stdout.len() - summary.len()];
    let write = archflow(tmp.path(), &["inject", "README.md"]);
    assert_eq!(write.status.code(), Some(0), "{:?}", text(&write));
    assert_eq!(apply(&readme, diff), readme_in(tmp.path()));
    assert!(
        text(&write)
            .0
            .contains("updated `flowchart`: added container `redis`")
    );

    // And back: the README is now stale for the reference model, the other way round.
    std::fs::write(tmp.path().join(MODEL), read(MODEL)).unwrap();
    let back = archflow(tmp.path(), &["inject", "README.md", "--check"]);
    assert_eq!(back.status.code(), Some(1));
    assert!(
        text(&back).0.contains(
            "is stale: added connection `Node.js REST API → MongoDB` (localhost:27017); removed \
             container `redis`; removed connection `Node.js REST API → redis` (localhost:6379)\n"
        ),
        "{}",
        text(&back).0
    );
}

/// A README injected by an archflow that wrote no hidden summary line: its diagram blocks are
/// stale (the line is missing), reported without details, and fresh once injected again.
#[test]
fn blocks_without_a_summary_line_are_stale_without_details() {
    let fresh = inject::inject(EMPTY_BLOCKS, &REFERENCE).unwrap().text;
    let older: String = fresh
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("<!-- archflow-view "))
        .collect();
    assert_eq!(fresh.lines().count(), older.lines().count() + 2);
    let tmp = folder(&read(MODEL), &older);
    let check = archflow(tmp.path(), &["inject", "README.md", "--check"]);
    let (stdout, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stdout}{stderr}");
    let sequence_at = older
        .lines()
        .position(|l| l == "<!-- archflow:begin sequence store-goal -->")
        .unwrap()
        + 1;
    let plain = format!(
        "README.md:5:1: `flowchart` is stale\nREADME.md:{sequence_at}:1: `sequence store-goal` is \
         stale\n"
    );
    assert!(stdout.ends_with(&plain), "{stdout}");
    assert!(stdout.contains("\n+<!-- archflow-view {"), "{stdout}");
    let write = archflow(tmp.path(), &["inject", "README.md"]);
    assert_eq!(write.status.code(), Some(0), "{:?}", text(&write));
    assert!(
        text(&write)
            .0
            .contains("README.md:5:1: updated `flowchart`\n")
    );
    assert_eq!(readme_in(tmp.path()), fresh);
}

#[test]
fn crlf_files_stay_crlf_and_keep_a_missing_final_newline() {
    let readme = "Intro\r\n\r\n<!-- archflow:begin flowchart -->\r\nstale\r\n\
                  <!-- archflow:end -->\r\nmiddle\r\n  <!-- archflow:begin components -->\r\n\
                  <!-- archflow:end -->\r\nlast line, no newline";
    let tmp = folder(&read(MODEL), readme);
    let out = archflow(tmp.path(), &["inject", "README.md"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let got = readme_in(tmp.path());
    let components = expected(&Kind::Components, "\r\n")
        .split("\r\n")
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let want = format!(
        "Intro\r\n\r\n<!-- archflow:begin flowchart -->\r\n{}<!-- archflow:end -->\r\n\
         middle\r\n  <!-- archflow:begin components -->\r\n{components}\
         <!-- archflow:end -->\r\nlast line, no newline",
        expected(&Kind::Flowchart, "\r\n")
    );
    assert_eq!(got, want);
    assert!(
        !got.replace("\r\n", "").contains('\n'),
        "a bare LF was written"
    );
    let again = archflow(tmp.path(), &["inject", "README.md", "--check"]);
    assert_eq!(again.status.code(), Some(0), "{:?}", text(&again));
}

/// Each marker problem: exit 2, a `README.md:LINE:COL: error: …` message, the file untouched.
#[test]
fn marker_errors_name_the_place_and_leave_the_file_alone() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "missing end",
            "a\n\n<!-- archflow:begin flowchart -->\nold\n",
            "README.md:3:1: error: begin marker without an end marker\n  help: add \
             `<!-- archflow:end -->`",
        ),
        (
            "end without begin",
            "a\n<!-- archflow:begin flowchart -->\n<!-- archflow:end -->\n\n  <!-- archflow:end -->\n",
            "README.md:5:3: error: end marker without a begin marker\n",
        ),
        (
            "nested begin",
            "<!-- archflow:begin flowchart -->\n<!-- archflow:begin components -->\n\
             <!-- archflow:end -->\n",
            "README.md:2:1: error: begin marker inside the block opened at line 1; blocks do not nest\n",
        ),
        (
            "unknown kind",
            "<!-- archflow:begin flowchat -->\n<!-- archflow:end -->\n",
            "README.md:1:21: error: unknown kind `flowchat`; did you mean `flowchart`?\n  help: kinds: \
             flowchart, sequence FLOW, components, findings\n",
        ),
        (
            "unknown flow",
            "x\n<!-- archflow:begin sequence store-gaol -->\n<!-- archflow:end -->\n",
            "README.md:2:30: error: no flow named `store-gaol`; did you mean `store-goal`?\n",
        ),
        (
            "sequence without a flow",
            "<!-- archflow:begin sequence -->\n<!-- archflow:end -->\n",
            "README.md:1:30: error: `sequence` needs the name of a flow\n",
        ),
        (
            "argument to a kind without one",
            "<!-- archflow:begin components all -->\n<!-- archflow:end -->\n",
            "README.md:1:32: error: `components` takes no argument, found `all`\n",
        ),
        (
            "unknown archflow marker",
            "<!-- archflow:start flowchart -->\n",
            "README.md:1:1: error: unknown marker `archflow:start`",
        ),
        (
            "no markers at all",
            "# Just a README\r\n\r\n<!-- archflow:begin flowchart\r\n",
            "README.md:1:1: error: no archflow markers in this file\n  help: put \
             `<!-- archflow:begin flowchart -->` and `<!-- archflow:end -->`",
        ),
    ];
    for &(name, readme, message) in cases {
        let tmp = folder(&read(MODEL), readme);
        for check in [false, true] {
            let args: &[&str] = if check {
                &["inject", "README.md", "--check"]
            } else {
                &["inject", "README.md"]
            };
            let out = archflow(tmp.path(), args);
            let (stdout, stderr) = text(&out);
            assert_eq!(out.status.code(), Some(2), "{name}: {stdout}{stderr}");
            assert!(stderr.contains(message), "{name}: {stderr}");
            assert!(
                stderr.contains("archflow: nothing was written"),
                "{name}: {stderr}"
            );
            assert_eq!(readme_in(tmp.path()), readme, "{name}: file changed");
        }
    }
}

#[test]
fn one_bad_file_means_nothing_is_written() {
    let tmp = folder(&read(MODEL), EMPTY_BLOCKS);
    std::fs::write(tmp.path().join("bad.md"), "<!-- archflow:end -->\n").unwrap();
    let out = archflow(tmp.path(), &["inject", "README.md", "bad.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("bad.md:1:1: error: end marker without a begin marker")
    );
    assert_eq!(readme_in(tmp.path()), EMPTY_BLOCKS);
}

#[test]
fn a_model_with_errors_writes_nothing() {
    let broken = read(MODEL).replacen("sourceVolume: data\n", "sourceVolume: dta\n", 1);
    let tmp = folder(&broken, EMPTY_BLOCKS);
    for args in [
        &["inject", "README.md"][..],
        &["inject", "README.md", "--check"],
    ] {
        let out = archflow(tmp.path(), args);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("error[A001]"), "{stderr}");
        assert_eq!(readme_in(tmp.path()), EMPTY_BLOCKS);
    }
}

#[test]
fn the_model_can_live_elsewhere() {
    let tmp = folder("", EMPTY_BLOCKS);
    std::fs::create_dir(tmp.path().join("deploy")).unwrap();
    std::fs::write(tmp.path().join("deploy/model.yaml"), read(MODEL)).unwrap();
    let out = archflow(
        tmp.path(),
        &["inject", "README.md", "--model", "deploy/model.yaml"],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(readme_in(tmp.path()).contains("`deploy/model.yaml:"));
    let missing = archflow(tmp.path(), &["inject", "nope.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing)
            .1
            .contains("error: cannot read `nope.md`: no such file")
    );
}

// ---------------------------------------------------------------------------------------------
// Property: whatever surrounds the markers is kept byte for byte.

/// Lines that look like markers but are not: kept as text. (Lines that leave a comment open,
/// such as `<!-- archflow:end`, make the lines after them part of the comment, markers
/// included: `markers_inside_comments_code_and_raw_html_are_text` covers them.)
const NEAR_MARKERS: &[&str] = &[
    "archflow:begin flowchart -->",
    "x <!-- archflow:end -->",
    "<!-- archflow:begin flowchart --> x",
    "`<!-- archflow:end -->`",
    "<!- archflow:end -->",
    "<!-- archflow :end -->",
    "<!-- not archflow:end -->",
    "<!-- security rules A011–A019 -->",
    "<!---->",
    "<!-->",
];

/// Whether `line` starts raw HTML that `CommonMark` carries on to the next line (a comment left
/// open, `<pre>`, `<div>`, …): a marker on the lines after it could be part of it.
fn runs_on_as_html(line: &str) -> bool {
    use pulldown_cmark::{Event, Parser, Tag};
    let text = format!("{line}\nnext\n");
    Parser::new(&text)
        .into_offset_iter()
        .any(|(e, range)| matches!(e, Event::Start(Tag::HtmlBlock)) && range.end > line.len() + 1)
}

/// A line of text (no line ending) that is neither a marker, nor a code fence, nor the start of
/// raw HTML that runs on.
fn text_line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[^\n]{0,40}",
        1 => "[ \t]{0,3}[a-zé日🎉<>!#|`*-]{0,12}",
        2 => proptest::sample::select(NEAR_MARKERS).prop_map(str::to_owned),
    ]
    .prop_filter("not a marker, a fence or open HTML", |line| {
        let t = line.trim_matches([' ', '\t', '\u{feff}']);
        !(t.starts_with("```")
            || t.starts_with("~~~")
            || runs_on_as_html(line.trim_start_matches('\u{feff}'))
            || (t.starts_with("<!--")
                && t.ends_with("-->")
                && t.contains("archflow:")
                && t.trim_start_matches("<!--")
                    .trim_start()
                    .starts_with("archflow:")))
    })
}

fn eol() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n")]
}

/// Lines with their endings, joined.
fn text_block(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec((text_line(), eol()), 0..max)
        .prop_map(|lines| lines.into_iter().map(|(l, e)| l + e).collect())
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Flowchart),
        Just(Kind::Sequence {
            flow: "store-goal".to_owned()
        }),
        Just(Kind::Components),
        Just(Kind::Findings),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn text_around_blocks_is_kept_byte_for_byte(
        before in text_block(8),
        first in (kind(), eol(), text_block(4), eol()),
        between in text_block(6),
        second in (kind(), eol(), text_block(4)),
        after in text_block(6),
        last_line in proptest::option::of(text_line()),
    ) {
        let (kind1, eol1, old1, end_eol1) = first;
        let (kind2, eol2, old2) = second;
        let tail = format!("{after}{}", last_line.unwrap_or_default());
        let begin = |k: &Kind| format!("<!-- archflow:begin {k} -->");
        let end = "<!-- archflow:end -->";
        let file = format!(
            "{before}{}{eol1}{old1}{end}{end_eol1}{between}{}{eol2}{old2}{end}\n{tail}",
            begin(&kind1),
            begin(&kind2),
        );
        let want = format!(
            "{before}{}{eol1}{}{end}{end_eol1}{between}{}{eol2}{}{end}\n{tail}",
            begin(&kind1),
            expected(&kind1, eol1),
            begin(&kind2),
            expected(&kind2, eol2),
        );
        let done = inject::inject(&file, &REFERENCE).unwrap();
        prop_assert_eq!(&done.text, &want);
        // Idempotent: a second run changes nothing and finds nothing stale.
        let again = inject::inject(&done.text, &REFERENCE).unwrap();
        prop_assert_eq!(&again.text, &done.text);
        prop_assert_eq!(again.stale().count(), 0);
        prop_assert!(again.diff("a", "b").is_empty());
        // The diff describes the change exactly.
        if done.changed() {
            prop_assert!(!done.diff("a", "b").is_empty());
        }
    }
}

#[test]
fn the_project_readme_uses_the_documented_syntax() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("archflow inject README.md --check"));
}

/// A filled README parses as intended: the table is a table, the findings a list, and each
/// marker stays an HTML comment of its own (no renderer reads it into the block before it).
#[test]
fn filled_blocks_are_whole_markdown_blocks() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let done = inject::inject(EMPTY_BLOCKS, &REFERENCE).unwrap();
    let events: Vec<Event<'_>> = Parser::new_ext(&done.text, Options::ENABLE_TABLES).collect();
    let comments = events
        .iter()
        .filter(|e| matches!(e, Event::Html(h) if h.starts_with("<!-- archflow:")))
        .count();
    assert_eq!(comments, 8, "{events:#?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::Table(_))))
            .count(),
        1
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Start(Tag::List(None))))
    );
    let fences = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::CodeBlock(_))))
        .count();
    assert_eq!(fences, 2);
}

/// The kinds of the blocks `inject` finds in `text`.
fn kinds(text: &str) -> Vec<String> {
    inject::parse(text)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"))
        .iter()
        .map(|b| b.kind.to_string())
        .collect()
}

/// A README that documents the markers in an indented code block keeps its example as it is:
/// only the real block is filled (the example got a diagram injected).
#[test]
fn markers_in_an_indented_code_block_are_text() {
    let readme = "# Docs\n\nPut these two lines where the diagram goes:\n\n    \
                  <!-- archflow:begin flowchart -->\n    <!-- archflow:end -->\n\nLike this:\n\n\
                  <!-- archflow:begin flowchart -->\n<!-- archflow:end -->\n";
    assert_eq!(kinds(readme), ["flowchart"]);
    let tmp = folder(&read(MODEL), readme);
    let out = archflow(tmp.path(), &["inject", "README.md"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let filled = readme_in(tmp.path());
    let example = "    <!-- archflow:begin flowchart -->\n    <!-- archflow:end -->\n\nLike this:";
    assert!(filled.contains(example), "{filled}");
    assert_eq!(filled.matches("```mermaid").count(), 1, "{filled}");
    // Only the real block's lines changed.
    let end = readme
        .find("<!-- archflow:begin flowchart -->\n<!-- archflow:end")
        .unwrap();
    assert_eq!(&filled[..end], &readme[..end]);
}

/// Markers are found where `CommonMark` sees an HTML comment of its own: not in code (fenced or
/// indented, in a list item too), not in a comment that opened on an earlier line, not in raw
/// HTML (`<pre>`, `<script>`); but inside a `<details>` block, and indented in a list item,
/// they are markers.
#[test]
fn markers_inside_comments_code_and_raw_html_are_text() {
    let block = |kind: &str| format!("<!-- archflow:begin {kind} -->\n<!-- archflow:end -->\n");
    let real = block("components");
    for (what, hidden) in [
        (
            "a fenced example",
            format!("```md\n{}```\n", block("flowchart")),
        ),
        (
            "an indented example",
            format!(
                "text\n\n    {}",
                block("flowchart").replace("\n<", "\n    <")
            ),
        ),
        (
            "an example in a list item's code block",
            format!(
                "- item\n\n      {}",
                block("flowchart").replace("\n<", "\n      <")
            ),
        ),
        (
            "a comment left open",
            "<!-- archflow:end\n<!-- archflow:begin flowchart -->\n".to_owned(),
        ),
        (
            "a comment opened earlier",
            "<!-- TODO: add\n<!-- archflow:begin sequence nope -->\n-->\n".to_owned(),
        ),
        (
            "a comment closed wrongly",
            "<!-- archflow:end -- >\n<!-- archflow:end -->\n".to_owned(),
        ),
        (
            "a <pre> block",
            format!("<pre>\n{}</pre>\n", block("flowchart")),
        ),
        (
            "a <script> block",
            format!("<script>\n{}</script>\n", block("findings")),
        ),
    ] {
        let text = format!("# R\n\n{hidden}\n{real}");
        assert_eq!(kinds(&text), ["components"], "{what}:\n{text}");
    }
    for (what, shown) in [
        (
            "a <details> block",
            format!("<details>\n{}</details>\n", block("flowchart")),
        ),
        (
            "a list item",
            format!(
                "1. item\n\n    {}",
                block("flowchart").replace("\n<", "\n    <")
            ),
        ),
        (
            "after a closed comment",
            format!("<!-- a\nb -->\n{}", block("flowchart")),
        ),
    ] {
        let text = format!("# R\n\n{shown}\n{real}");
        assert_eq!(kinds(&text), ["flowchart", "components"], "{what}:\n{text}");
    }
    // A file whose only markers are text says why.
    let only =
        "# R\n\nExample:\n\n    <!-- archflow:begin flowchart -->\n    <!-- archflow:end -->\n";
    let errors = inject::parse(only).unwrap_err();
    assert_eq!(errors[0].message, "no archflow markers in this file");
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "the marker-like line 5 is inside a code block (indented by four spaces or more, \
             from line 5), where it is text"
        )
    );
}

/// Between a begin and an end marker everything but markers is content: an unclosed fence in an
/// old block hides neither its end nor the blocks after it.
#[test]
fn an_unclosed_fence_in_an_old_block_hides_nothing() {
    let text = "<!-- archflow:begin components -->\n```old\nbroken\n<!-- archflow:end -->\n\n\
                <!-- archflow:begin findings -->\n<!-- archflow:end -->\n";
    assert_eq!(kinds(text), ["components", "findings"]);
    let done = inject::inject(text, &REFERENCE).unwrap();
    assert!(!done.text.contains("broken"));
    assert_eq!(kinds(&done.text), ["components", "findings"]);
}
