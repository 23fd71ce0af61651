//! Tests: the one table of diagnostic codes. Every code has an explanation that `explain`
//! prints and SARIF carries; `rules --all` lists them; no source file but the table defines a
//! code; load errors (L…) and settings findings (C…) work like rules in `explain` and SARIF.

use archflow::check::explanation;
use archflow::diagnostic::code::{self, Kind};
use archflow::diagnostic::emit::sarif;
use archflow::source::Source;
use serde_json::Value;

use crate::support::{archflow, root, text};

#[test]
fn every_code_has_an_explanation_with_the_sections() {
    for c in code::ALL {
        let doc = explanation(c);
        assert!(
            doc.starts_with(&format!("# {} ({})\n", c.name, c.id)),
            "{}: the explanation starts with its title",
            c.id
        );
        for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
            assert!(
                doc.lines().any(|l| l.trim_end() == section),
                "{}: lacks `{section}`",
                c.id
            );
        }
    }
    // Every rule that runs has a code of kind Rule, and every such code a rule.
    let rules: Vec<&str> = archflow::check::RULES.iter().map(|r| r.code.id).collect();
    let table: Vec<&str> = code::Code::of_kind(Kind::Rule).map(|c| c.id).collect();
    assert_eq!(rules, table);
}

/// `"A001"`-shaped string literals in a Rust file, outside its `#[cfg(test)]` module.
fn code_literals(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (i, w) in bytes.windows(6).enumerate() {
        if w[0] == b'"'
            && matches!(w[1], b'A' | b'C' | b'L')
            && w[2..5].iter().all(u8::is_ascii_digit)
            && w[5] == b'"'
        {
            found.push(code[i..i + 6].to_owned());
        }
    }
    found
}

#[test]
fn no_file_but_the_table_defines_a_code() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    let table = root().join("src/diagnostic/code.rs");
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| **f != table) {
        let literals = code_literals(&std::fs::read_to_string(file).unwrap());
        if !literals.is_empty() {
            offenders.push(format!("{}: {literals:?}", file.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "codes typed outside the table:\n{}",
        offenders.join("\n")
    );
    // The table itself writes each code once, as the name of its constant.
    let text = std::fs::read_to_string(&table).unwrap();
    assert!(
        code_literals(&text).is_empty(),
        "the table spells codes as identifiers"
    );
    assert_eq!(
        code_literals("x = \"A010\"; #[cfg(test)] \"L001\""),
        ["\"A010\""]
    );
}

#[test]
fn rules_all_lists_every_code_and_rules_only_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(dir.path(), &["rules", "--all"]);
    assert_eq!(out.status.code(), Some(0));
    let (listing, _) = text(&out);
    let ids: Vec<&str> = listing
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let all: Vec<&str> = code::ALL.iter().map(|c| c.id).collect();
    assert_eq!(ids, all);
    for c in code::ALL {
        let line = listing.lines().find(|l| l.starts_with(c.id)).unwrap();
        assert!(line.contains(c.name) && line.contains(c.summary), "{line}");
    }
    let rules = text(&archflow(dir.path(), &["rules"])).0;
    assert!(rules.lines().all(|l| l.starts_with('A')), "{rules}");
}

#[test]
fn explain_prints_load_and_settings_codes_by_id_or_name() {
    let dir = tempfile::tempdir().unwrap();
    for query in [
        "L001",
        "l003",
        "unknown-key",
        "C002",
        "missing-suppression-reason",
    ] {
        let out = archflow(dir.path(), &["explain", query]);
        assert_eq!(out.status.code(), Some(0), "explain {query}");
        let c = code::Code::find(query).unwrap();
        assert_eq!(text(&out).0, explanation(c), "explain {query}");
    }
    let out = archflow(dir.path(), &["explain", "unknwn-key"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("did you mean `unknown-key`?"),
        "{:?}",
        text(&out)
    );
}

/// The descriptor of `id` in a SARIF log, and the log's results.
fn sarif_of(path: &str, yaml: &str) -> Value {
    let source = Source::new(path, yaml);
    let analysis = archflow::analyze(&source);
    serde_json::from_str(&sarif::render(&source, &analysis.diagnostics, explanation)).unwrap()
}

#[test]
fn sarif_describes_and_reports_a_load_error_and_a_settings_finding() {
    // A load error: an unknown key.
    let log = sarif_of("m.yaml", "name: x\nservicez: []\n");
    let run = &log["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "L003");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    let rule = &run["tool"]["driver"]["rules"][index];
    assert_eq!(rule["id"], "L003");
    assert_eq!(rule["name"], "unknown-key");
    assert_eq!(rule["help"]["markdown"], explanation(&code::L003));
    assert!(
        rule["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Every key is one archflow knows"),
        "{rule}"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );

    // A settings finding: a suppression without a reason.
    let yaml = "name: x\nactors:\n  - name: user\n    suppress:\n      - rule: A033\n";
    let log = sarif_of("m.yaml", yaml);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let c002 = results.iter().find(|r| r["ruleId"] == "C002").unwrap();
    let index = c002["ruleIndex"].as_u64().unwrap() as usize;
    let rule = &run["tool"]["driver"]["rules"][index];
    assert_eq!(rule["id"], "C002");
    assert_eq!(rule["help"]["markdown"], explanation(&code::C002));
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
}
