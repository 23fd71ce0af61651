//! The language server under editing: random edits never crash it and it ends with the findings
//! of the text it was sent; a burst of changes is analysed once; every quick fix it offers for
//! a rule's fixture applies cleanly and removes its finding.

use archflow::lsp::actions::fixes;
use archflow::lsp::text::LineIndex;
use archflow::source::Source;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::lsp_client::{Lsp, position};
use crate::support::{fixture, read};

const URI: &str = "file:///project/architecture.yaml";

/// One random edit: where (in thousandths of the text), how many characters to delete, what
/// to insert.
#[derive(Clone, Debug)]
struct Edit {
    at: usize,
    delete: usize,
    insert: String,
    /// Which request to send after the edit, and where (in thousandths of the text; past
    /// 1000 is past its end).
    query: usize,
    query_at: usize,
}

fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("-"),
                Just(":"),
                Just(" "),
                Just("\n"),
                Just("["),
                Just("]"),
                Just("{"),
                Just("}"),
                Just("#"),
                Just("'"),
                Just("\""),
                Just("é"),
                Just("𝄞"),
                Just("\t"),
                Just("|"),
                Just("&x"),
                Just("*x"),
                Just("/"),
                Just(","),
                Just("  "),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat()),
        Just("sourceVolume: ".to_owned()),
        Just("\n        - name: extra\n          image: x\n".to_owned()),
        Just("connectsTo: [mongodb, nothing]".to_owned()),
        Just("services:\n".to_owned()),
        Just("\n  - serviceName: ".to_owned()),
        Just("checks:\n  rules:\n    A010: off\n".to_owned()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0usize..=1000,
        0usize..24,
        insertion(),
        0usize..10,
        0usize..1200,
    )
        .prop_map(|(at, delete, insert, query, query_at)| Edit {
            at,
            delete,
            insert,
            query,
            query_at,
        })
}

/// The byte offset of the character `permille` thousandths into the text.
fn char_offset(text: &str, permille: usize) -> usize {
    let chars = text.chars().count();
    let n = chars * permille.min(1000) / 1000;
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

fn query(lsp: &mut Lsp, text: &str, e: &Edit) {
    let pos = if e.query_at > 1000 {
        json!({"line": 100_000, "character": e.query_at})
    } else {
        position(text, char_offset(text, e.query_at))
    };
    let doc = json!({"uri": URI});
    let at = json!({"textDocument": doc, "position": pos});
    let (method, params) = match e.query {
        0 => ("textDocument/hover", at),
        1 => ("textDocument/definition", at),
        2 => (
            "textDocument/references",
            json!({"textDocument": doc, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        3 => ("textDocument/completion", at),
        4 => (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}}),
        ),
        5 => ("textDocument/documentSymbol", json!({"textDocument": doc})),
        6 => ("textDocument/prepareRename", at),
        7 => (
            "textDocument/rename",
            json!({"textDocument": doc, "position": pos, "newName": "renamed"}),
        ),
        8 => ("archflow/focus", at),
        _ => ("archflow/preview", at),
    };
    let answer = lsp.request(method, &params);
    // An answer or a deliberate refusal; never an internal error.
    if let Some(code) = answer["error"]["code"].as_i64() {
        assert_eq!(
            code,
            -32803,
            "{method} at {pos}: {answer}\n{}",
            lsp.stderr()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any sequence of edits (incremental changes at character positions, text that breaks
    /// the YAML, non-ASCII), with a request after each: every request is answered, the server
    /// keeps running and exits cleanly, and its last findings are `check`'s for the text.
    #[test]
    fn random_edits_never_crash_the_server(edits in proptest::collection::vec(edit(), 1..10)) {
        let mut lsp = Lsp::start_with(&json!({}), &json!({"debounceMs": 0}));
        let mut text = read("architecture.yaml");
        lsp.open(URI, &text);
        for (i, e) in edits.iter().enumerate() {
            let start = char_offset(&text, e.at);
            let end = text[start..]
                .char_indices()
                .nth(e.delete)
                .map_or(text.len(), |(j, _)| start + j);
            let range = json!({"start": position(&text, start), "end": position(&text, end)});
            lsp.notify("textDocument/didChange", &json!({
                    "textDocument": {"uri": URI, "version": i + 2},
                    "contentChanges": [{"range": range, "text": e.insert}],
                }),
            );
            text.replace_range(start..end, &e.insert);
            query(&mut lsp, &text, e);
        }
        let last = i64::try_from(edits.len() + 1).unwrap();
        let published = lsp.diagnostics(URI, last);
        let expected = archflow::analyze(&Source::new("architecture.yaml", text.clone()));
        let got: Vec<(&str, Value)> = published
            .iter()
            .map(|d| (d["code"].as_str().unwrap(), d["range"]["start"].clone()))
            .collect();
        let want: Vec<(&str, Value)> = expected
            .diagnostics
            .iter()
            .map(|d| (d.code, position(&text, d.primary.span.start)))
            .collect();
        prop_assert_eq!(got, want);
        prop_assert!(lsp.alive());
        prop_assert_eq!(lsp.shutdown().code(), Some(0));
    }
}

/// Changes that come faster than the debounce are analysed once, as their last version.
#[test]
fn a_burst_of_changes_is_analysed_once() {
    let mut lsp = Lsp::start();
    let text = read("architecture.yaml");
    lsp.open(URI, &text);
    for version in 2..=6 {
        let changed = text.replace("Goals API on ECS", &format!("Goals API v{version}"));
        lsp.replace(URI, version, &changed);
    }
    let last = lsp.diagnostics(URI, 6);
    assert!(!last.is_empty());
    // Nothing else arrives: the versions in between were never analysed.
    let extra = lsp.wait_for(
        "textDocument/publishDiagnostics",
        std::time::Duration::from_millis(600),
        |_| true,
    );
    assert!(extra.is_none(), "published more than once: {extra:?}");
}

/// Every rule's failing fixture: each fix the server would offer, applied, leaves a model that
/// still loads and no longer has that finding.
#[test]
fn every_offered_fix_applies_and_removes_its_finding() {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    // The broken variants of the reference model, too.
    let reference = read("architecture.yaml");
    let mut cases: Vec<(String, String)> = vec![
        (
            "sourceVolume".into(),
            reference.replace("sourceVolume: data", "sourceVolume: dta"),
        ),
        (
            "key".into(),
            reference.replace("    throughputMode:", "    throughputMod:"),
        ),
        (
            "value".into(),
            reference.replace("launchType: FARGATE", "launchType: FARGTE"),
        ),
        (
            "encrypted".into(),
            reference.replace("encrypted: true", "encrypted: false"),
        ),
        (
            "rule".into(),
            format!("{reference}checks:\n  rules:\n    A01: off\n"),
        ),
    ];
    for dir in dirs {
        let path = dir.join("fail.yaml");
        cases.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    let mut offered = 0;
    for (name, text) in cases {
        let source = Source::new("m.yaml", text.clone());
        let analysis = archflow::analyze(&source);
        let lines = LineIndex::new(&text);
        for d in &analysis.diagnostics {
            for fix in fixes(&text, &lines, d) {
                offered += 1;
                let mut fixed = text.clone();
                let mut edits = fix.edits.clone();
                edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
                for (span, new) in edits {
                    fixed.replace_range(span.start..span.end, &new);
                }
                let after = archflow::analyze(&Source::new("m.yaml", fixed.clone()));
                assert!(
                    !after.failed_to_load(),
                    "{name}: `{}` for {} breaks the model:\n{fixed}\n{:?}",
                    fix.title,
                    d.code,
                    after.diagnostics
                );
                let count = |a: &archflow::Analysis| {
                    a.diagnostics
                        .iter()
                        .filter(|x| x.code == d.code && x.message == d.message)
                        .count()
                };
                assert!(
                    count(&after) < count(&analysis),
                    "{name}: `{}` does not remove {} `{}`:\n{fixed}",
                    fix.title,
                    d.code,
                    d.message
                );
            }
        }
    }
    assert!(offered >= 10, "only {offered} fixes were offered");
}
