//! Tests: `check --format json|sarif|github`. SARIF logs validate against the official SARIF
//! 2.1.0 schema and describe every rule; the JSON report round-trips through its serde types;
//! GitHub annotation lines are exact and escaped; load errors appear in every format.

use std::path::{Path, PathBuf};

use archflow::check::explanation;
use archflow::diagnostic::code;
use archflow::diagnostic::emit::{github, json, sarif};
use archflow::diagnostic::{Diagnostic, Label, Severity};
use archflow::source::{Source, Span};
use serde_json::Value;

use crate::support::{archflow, fixture, read, root, text, validate_json_schema};

const A001_FAIL: &str = "tests/fixtures/rules/A001_unknown-reference/fail.yaml";
const SETTINGS: &str = "tests/fixtures/config/settings.yaml";

/// `archflow check ARGS` run in the repository root (so paths stay relative).
fn check_in_root(args: &[&str]) -> std::process::Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    archflow(&root(), &all)
}

/// The findings of `path` (repo-relative) whose code satisfies `keep`.
fn findings(path: &str, keep: impl Fn(&str) -> bool) -> (Source, Vec<Diagnostic>) {
    let source = Source::new(path, read(path));
    let analysis = archflow::analyze(&source);
    let kept = analysis
        .diagnostics
        .into_iter()
        .filter(|d| keep(d.code))
        .collect();
    (source, kept)
}

fn sarif_value(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout).expect("SARIF is JSON")
}

/// Write SARIF logs of several runs to files and validate them all against the schema.
#[test]
fn sarif_logs_validate_against_the_sarif_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("unknown-key.yaml"),
        "name: x\nservices:\n  - serviceNme: s\n",
    )
    .unwrap();
    std::fs::write(dir.join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    std::fs::copy(
        root().join("architecture.yaml"),
        dir.join("architecture.yaml"),
    )
    .unwrap();
    let absolute = dir.join("architecture.yaml");
    let absolute = absolute.to_str().unwrap();

    let runs: Vec<(&str, PathBuf, Vec<&str>, i32)> = vec![
        ("a001", root(), vec![A001_FAIL], 1),
        ("settings", root(), vec![SETTINGS], 1),
        ("reference", root(), vec!["architecture.yaml"], 0),
        ("quiet", root(), vec!["architecture.yaml", "-q"], 0),
        ("absolute", root(), vec![absolute], 0),
        ("load-error", dir.to_owned(), vec!["unknown-key.yaml"], 2),
        ("not-utf8", dir.to_owned(), vec!["latin1.yaml"], 2),
    ];
    let mut logs = Vec::new();
    for (name, cwd, args, code) in runs {
        let mut all = vec!["check", "--format", "sarif"];
        all.extend(args);
        let out = archflow(&cwd, &all);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(code), "{name}: {stderr}");
        let log = sarif_value(&out.stdout);
        check_sarif_invariants(name, &log);
        let path = dir.join(format!("{name}.sarif"));
        std::fs::write(&path, stdout).unwrap();
        logs.push((name, path, log));
    }
    // The load errors are results with their codes and positions.
    let results = |name: &str| {
        logs.iter().find(|l| l.0 == name).unwrap().2["runs"][0]["results"]
            .as_array()
            .unwrap()
            .clone()
    };
    let l003 = &results("load-error")[0];
    assert_eq!(l003["ruleId"], "L003");
    assert_eq!(
        l003["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(
        l003["locations"][0]["physicalLocation"]["region"]["startColumn"],
        5
    );
    let l006 = &results("not-utf8")[0];
    assert_eq!(l006["ruleId"], "L006");
    assert_eq!(
        l006["locations"][0]["physicalLocation"]["region"]["startColumn"],
        10
    );
    assert!(results("quiet").is_empty());
    assert!(!results("reference").is_empty());
    // A relative path stays relative to %SRCROOT%; an absolute one is a file:// URI.
    let artifact = |name: &str| {
        results(name)[0]["locations"][0]["physicalLocation"]["artifactLocation"].clone()
    };
    assert_eq!(
        artifact("a001"),
        serde_json::json!({"uri": A001_FAIL, "uriBaseId": "%SRCROOT%"})
    );
    let uri = artifact("absolute")["uri"].as_str().unwrap().to_owned();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(artifact("absolute").get("uriBaseId").is_none());

    let schema = fixture("sarif-schema-2.1.0.json");
    let paths: Vec<PathBuf> = logs.iter().map(|l| l.1.clone()).collect();
    if let Some(report) = validate_json_schema(&schema, &paths) {
        eprintln!("{report}");
    }
}

/// What every archflow SARIF log must hold, beyond the schema.
fn check_sarif_invariants(name: &str, log: &Value) {
    assert_eq!(log["version"], "2.1.0", "{name}");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints", "{name}");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "archflow");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{name}: rule ids are unique");
    // Every code of the table: rules, settings findings and load errors.
    assert_eq!(ids.len(), code::ALL.len(), "{name}");
    for rule in code::ALL {
        let r = rules
            .iter()
            .find(|r| r["id"] == rule.id)
            .unwrap_or_else(|| panic!("{name}: no descriptor for {}", rule.id));
        assert_eq!(r["name"], rule.name);
        assert_eq!(r["shortDescription"]["text"], rule.summary);
        assert_eq!(r["help"]["markdown"], explanation(rule));
        assert!(!r["help"]["text"].as_str().unwrap().contains("## "));
        assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
        let level = match rule.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(r["defaultConfiguration"]["level"], level, "{}", rule.id);
    }
    let mut fingerprints = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{name}: ruleIndex");
        assert!(
            ["error", "warning", "note"].contains(&result["level"].as_str().unwrap()),
            "{name}"
        );
        let fp = result["partialFingerprints"]["archflow/v1"]
            .as_str()
            .unwrap();
        fingerprints.push(fp.to_owned());
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.contains('\\'), "{name}: {uri}");
    }
    let count = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count, "{name}: fingerprints are unique");
}

#[test]
fn sarif_positions_match_the_json_report() {
    let sarif = sarif_value(&check_in_root(&[A001_FAIL, "--format", "sarif"]).stdout);
    let json: json::Report =
        serde_json::from_slice(&check_in_root(&[A001_FAIL, "--format", "json"]).stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), json.diagnostics.len());
    for (r, d) in results.iter().zip(&json.diagnostics) {
        assert_eq!(r["ruleId"], d.code);
        assert_eq!(r["message"]["text"], d.message);
        assert_eq!(r["properties"]["subject"].as_str(), d.subject.as_deref());
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d.start.line);
        assert_eq!(region["startColumn"], d.start.column);
        assert_eq!(region["endLine"], d.end.line);
        assert_eq!(region["endColumn"], d.end.column);
        let related = r["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related + 1, d.labels.len(), "{}", d.message);
    }
}

#[test]
fn sarif_fingerprints_do_not_change_when_lines_move() {
    let fingerprints = |text: &str| {
        let source = Source::new("m.yaml", text);
        let analysis = archflow::analyze(&source);
        let log: Value =
            serde_json::from_str(&sarif::render(&source, &analysis.diagnostics, explanation))
                .unwrap();
        let mut fps: Vec<String> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["archflow/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        fps.sort();
        fps
    };
    let model = read(A001_FAIL);
    let before = fingerprints(&model);
    assert!(before.len() > 3);
    let moved = format!("# a comment\n\n{}", model.replace("\n\n", "\n\n\n"));
    assert_eq!(fingerprints(&moved), before);
}

#[test]
fn sarif_snapshot_of_a_failing_fixture() {
    let (source, found) = findings(A001_FAIL, |code| code == "A001");
    let mut log: Value =
        serde_json::from_str(&sarif::render(&source, &found, explanation)).unwrap();
    // The rule table grows with every rule (checked above); the version with every release.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    driver["semanticVersion"] = "[version]".into();
    driver["rules"] =
        "[every rule; checked by sarif_logs_validate_against_the_sarif_schema]".into();
    insta::with_settings!({ description => A001_FAIL, omit_expression => true }, {
        insta::assert_snapshot!("sarif_a001", serde_json::to_string_pretty(&log).unwrap());
    });
}

#[test]
fn github_snapshot_of_a_failing_fixture() {
    let (source, found) = findings(A001_FAIL, |code| code == "A001");
    insta::with_settings!({ description => A001_FAIL, omit_expression => true }, {
        insta::assert_snapshot!("github_a001", github::render(&source, &found));
    });
    let (source, found) = findings(SETTINGS, |code| code.starts_with('C') || code == "A008");
    insta::with_settings!({ description => SETTINGS, omit_expression => true }, {
        insta::assert_snapshot!("github_settings", github::render(&source, &found));
    });
}

#[test]
fn github_lines_are_exact_and_escaped() {
    let text_ = "name: x\nservices:\n  - serviceName: café\n    desiredCount: 1\n";
    let source = Source::new(r".\deploy\we,ird:name.yaml", text_);
    let at = |needle: &str| {
        let start = text_.find(needle).unwrap();
        Span::new(start, start + needle.len())
    };
    let mut error = Diagnostic::new(
        &code::A010,
        "100% down: `café`\r\nruns no task",
        Label::new(at("desiredCount: 1"), "nothing runs"),
    )
    .with_help("set `desiredCount: 2`, or remove it");
    error.severity = Severity::Error;
    let warning = Diagnostic::new(
        &code::C003,
        "matches nothing",
        Label::new(at("café"), "here"),
    );
    let info = Diagnostic::new(&code::A019, "fyi", Label::new(Span::new(0, 0), ""));
    assert_eq!(
        github::render(&source, &[error.clone(), warning, info]),
        "::error file=deploy/we%2Cird%3Aname.yaml,line=4,col=5,endLine=4,endColumn=20,\
         title=A010 single-task-service::100%25 down: `café`%0D%0Aruns no task%0Ahelp: set \
         `desiredCount: 2`, or remove it\n\
         ::warning file=deploy/we%2Cird%3Aname.yaml,line=3,col=18,endLine=3,endColumn=22,\
         title=C003 unused-suppression::matches nothing\n\
         ::notice file=deploy/we%2Cird%3Aname.yaml,line=1,col=1,endLine=1,endColumn=1,\
         title=A019 missing-log-configuration::fyi\n"
    );
    // Standard input has no file to point at.
    let stdin = Source::new("<stdin>", text_);
    assert_eq!(
        github::render(&stdin, &[error]).lines().next().unwrap(),
        "::error title=A010 single-task-service::100%25 down: `café`%0D%0Aruns no task%0Ahelp: \
         set `desiredCount: 2`, or remove it"
    );
    assert_eq!(github::render(&stdin, &[]), "");
}

#[test]
fn github_format_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "we,ird name.yaml";
    std::fs::write(
        tmp.path().join(name),
        read("architecture.yaml").replacen("sourceVolume: data\n", "sourceVolume: dta\n", 1),
    )
    .unwrap();
    let out = archflow(tmp.path(), &["check", name, "--format", "github"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let a001: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("title=A001 "))
        .collect();
    assert_eq!(a001.len(), 1, "{stdout}");
    assert!(
        a001[0].starts_with("::error file=we%2Cird name.yaml,line="),
        "{}",
        a001[0]
    );
    assert!(
        a001[0].ends_with("::unknown volume `dta` in task `goals`%0Ahelp: did you mean `data`?"),
        "{}",
        a001[0]
    );
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    // A load error is an annotation too.
    std::fs::write(tmp.path().join("bad.yaml"), "name: \"x\n").unwrap();
    let out = archflow(tmp.path(), &["check", "bad.yaml", "--format", "github"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out).0,
        "::error file=bad.yaml,line=1,col=7,endLine=1,endColumn=8,title=L001 invalid-yaml::this \
         quoted value is never closed%0Ahelp: add the closing quote, the same kind as the opening \
         one\n"
    );
}

#[test]
fn json_report_round_trips_through_its_types() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    let root = root();
    let cases: Vec<(&Path, &str)> = vec![
        (&root, A001_FAIL),
        (&root, SETTINGS),
        (&root, "architecture.yaml"),
        (tmp.path(), "latin1.yaml"),
    ];
    for (dir, file) in cases {
        let out = archflow(dir, &["check", file, "--format", "json"]);
        let stdout = text(&out).0;
        let value: Value = serde_json::from_str(&stdout).unwrap();
        let report: json::Report =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{file}: {e}\n{stdout}"));
        assert_eq!(serde_json::to_value(&report).unwrap(), value, "{file}");
        assert_eq!(
            serde_json::to_string_pretty(&report).unwrap() + "\n",
            stdout,
            "{file}"
        );
        assert_eq!(report.version, 1);
        assert_eq!(report.file, file);
        let count = |s: Severity| {
            report
                .diagnostics
                .iter()
                .filter(|d| d.severity == s)
                .count()
        };
        assert_eq!(report.summary.errors, count(Severity::Error));
        assert_eq!(report.summary.warnings, count(Severity::Warning));
        assert_eq!(report.summary.infos, count(Severity::Info));
        for d in &report.diagnostics {
            assert_eq!(d.labels.iter().filter(|l| l.primary).count(), 1);
            if d.code.starts_with('A') {
                assert!(d.subject.is_some(), "{file}: {} has no subject", d.code);
            }
            if d.code.starts_with('L') {
                assert!(d.subject.is_none());
            }
        }
    }
}

#[test]
fn check_help_documents_formats_deny_quiet_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(dir.path(), &["check", "--help"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    for want in [
        "--format",
        "sarif",
        "github",
        "--deny",
        "--quiet",
        "Examples:",
        "Exit codes:",
        "NO_COLOR",
    ] {
        assert!(stdout.contains(want), "no `{want}` in:\n{stdout}");
    }
    // Every visible subcommand's help has examples.
    let top = text(&archflow(dir.path(), &["--help"])).0;
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A wrapped description continues on a line indented further: not a command.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 5, "{top}");
    for command in commands {
        let out = archflow(dir.path(), &[&command, "--help"]);
        let help = text(&out).0;
        assert!(
            help.contains("Examples:"),
            "`{command} --help` has no examples:\n{help}"
        );
    }
}

#[test]
fn only_human_output_is_colored() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("architecture.yaml"),
        tmp.path().join("architecture.yaml"),
    )
    .unwrap();
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_archflow"));
        command.current_dir(tmp.path()).arg("check").args(args);
        match no_color {
            Some(v) => command.env("NO_COLOR", v),
            None => command.env_remove("NO_COLOR"),
        };
        String::from_utf8(command.output().unwrap().stdout).unwrap()
    };
    assert!(run(&["--color", "always"], None).contains('\u{1b}'));
    assert!(!run(&["--color", "never"], None).contains('\u{1b}'));
    // `auto` colors only a terminal: never a pipe, whatever NO_COLOR says.
    assert!(!run(&[], None).contains('\u{1b}'));
    assert!(!run(&[], Some("1")).contains('\u{1b}'));
    for format in ["json", "sarif", "github"] {
        let out = run(&["--color", "always", "--format", format], None);
        assert!(!out.contains('\u{1b}'), "{format}");
    }
}
