//! Tests: the model's checker settings. `checks.rules` (rules off, other severities),
//! `suppress:` on items (with and without a reason, unused, on the wrong item), the findings
//! about those settings (C001–C004), `--deny` and `--quiet`, and that every rule's finding names
//! its subject (what suppressions match).

use archflow::Analysis;
use archflow::diagnostic::code::{Code, Kind};
use archflow::diagnostic::emit::human;
use archflow::diagnostic::{Diagnostic, Severity};
use archflow::source::Source;

use crate::support::{archflow, read, root, text};

const MODEL: &str = "architecture.yaml";
const FIXTURE: &str = "tests/fixtures/config/settings.yaml";

/// Check a model's text (named `model.yaml`).
fn analyze(text: &str) -> Analysis {
    let analysis = archflow::analyze(&Source::new("model.yaml", text));
    assert!(
        !analysis.failed_to_load(),
        "does not load:\n{}",
        human::render(
            &Source::new("model.yaml", text),
            &analysis.diagnostics,
            false
        )
    );
    analysis
}

/// The findings of one code.
fn of(analysis: &Analysis, code: &str) -> Vec<Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .cloned()
        .collect()
}

/// The reference model with `lines` added to service `goals` (indented as its keys).
fn reference_with_service_lines(lines: &str) -> String {
    let model = read(MODEL);
    let anchor = "  - serviceName: goals\n";
    assert_eq!(model.matches(anchor).count(), 1);
    model.replacen(anchor, &format!("{anchor}{}", indent(lines)), 1)
}

/// The reference model with a `checks:` section.
fn reference_with_checks(rules: &str) -> String {
    format!("{}\nchecks:\n  rules:\n{}", read(MODEL), indent(rules))
}

/// Every line of `lines` indented by four spaces.
fn indent(lines: &str) -> String {
    lines.lines().flat_map(|l| ["    ", l, "\n"]).collect()
}

#[test]
fn the_reference_model_warns_a010_about_service_goals() {
    let a010 = of(&analyze(&read(MODEL)), "A010");
    assert_eq!(a010.len(), 1);
    assert_eq!(a010[0].severity, Severity::Warning);
    assert_eq!(a010[0].subject.as_deref(), Some("goals"));
}

#[test]
fn a_rule_turned_off_by_code_or_name_reports_nothing() {
    for key in ["A010", "a010", "single-task-service"] {
        let analysis = analyze(&reference_with_checks(&format!("{key}: off")));
        assert!(of(&analysis, "A010").is_empty(), "{key}");
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| !d.code.starts_with('C')),
            "{key}: {:?}",
            analysis.diagnostics
        );
    }
}

#[test]
fn a_rule_can_be_given_another_severity() {
    for (level, severity) in [
        ("error", Severity::Error),
        ("warning", Severity::Warning),
        ("info", Severity::Info),
    ] {
        let analysis = analyze(&reference_with_checks(&format!("A010: {level}")));
        let a010 = of(&analysis, "A010");
        assert_eq!(a010.len(), 1, "{level}");
        assert_eq!(a010[0].severity, severity, "{level}");
    }
    // A warning made an error fails `check`.
    let tmp = tempfile::tempdir().unwrap();
    let text_ = reference_with_checks("unbacked-flow-step: error\nsingle-task-service: error");
    std::fs::write(tmp.path().join(MODEL), text_).unwrap();
    let out = archflow(tmp.path(), &["check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("error[A010]"), "{stdout}");
}

#[test]
fn an_override_applies_to_every_finding_of_the_rule() {
    let fail = read("tests/fixtures/rules/A007_unbacked-flow-step/fail.yaml");
    let before = of(&analyze(&fail), "A007");
    assert!(before.len() >= 2, "{before:?}");
    assert!(before.iter().all(|d| d.severity == Severity::Warning));
    let after = of(
        &analyze(&format!(
            "{fail}\nchecks:\n  rules:\n    unbacked-flow-step: error\n"
        )),
        "A007",
    );
    assert_eq!(after.len(), before.len());
    assert!(after.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn a_suppression_with_a_reason_hides_the_finding_about_its_item() {
    for rule in ["A010", "single-task-service", "Single-Task-Service"] {
        let model = reference_with_service_lines(&format!(
            "suppress:\n  - {{rule: {rule}, reason: \"demo system; one task is fine\"}}"
        ));
        let analysis = analyze(&model);
        assert!(of(&analysis, "A010").is_empty(), "{rule}");
        assert!(
            analysis
                .diagnostics
                .iter()
                .all(|d| !d.code.starts_with('C')),
            "{rule}: {:?}",
            analysis.diagnostics
        );
    }
    // On the task definition of the service (its findings are about the service).
    let model = read(MODEL).replacen(
        "      family: goals\n",
        "      family: goals\n      suppress:\n        - {rule: A010, reason: demo}\n",
        1,
    );
    assert_ne!(model, read(MODEL));
    let analysis = analyze(&model);
    assert!(of(&analysis, "A010").is_empty());
    assert!(of(&analysis, "C003").is_empty());
}

#[test]
fn a_suppression_only_hides_findings_about_its_own_item() {
    // Two databases lose their data (A008); suppressing it on `mongodb` leaves `postgres`'s.
    let fail = read("tests/fixtures/rules/A008_ephemeral-database-storage/fail.yaml");
    let before = of(&analyze(&fail), "A008");
    let subjects: Vec<_> = before.iter().filter_map(|d| d.subject.as_deref()).collect();
    assert_eq!(subjects, ["mongodb", "postgres"]);
    let model = fail.replacen(
        "          image: mongo:7\n",
        "          image: mongo:7\n          suppress:\n            - {rule: A008, reason: a cache}\n",
        1,
    );
    let after = of(&analyze(&model), "A008");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].subject.as_deref(), Some("postgres"));
}

#[test]
fn a_suppression_without_a_reason_is_an_error_and_suppresses_nothing() {
    for (entry, at) in [
        ("{rule: A010}", "A010"),
        ("{rule: A010, reason: \"\"}", "\"\""),
        ("{rule: A010, reason: \"   \"}", "\"   \""),
    ] {
        let model = reference_with_service_lines(&format!("suppress:\n  - {entry}"));
        let analysis = analyze(&model);
        let c002 = of(&analysis, "C002");
        assert_eq!(c002.len(), 1, "{entry}: {:?}", analysis.diagnostics);
        let d = &c002[0];
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.name, "missing-suppression-reason");
        assert_eq!(d.subject.as_deref(), Some("goals"));
        let offset = model.find(entry).unwrap() + entry.find(at).unwrap();
        assert_eq!(d.primary.span.start, offset, "{entry}");
        assert_eq!(of(&analysis, "A010").len(), 1, "{entry}: still reported");
        assert!(of(&analysis, "C003").is_empty(), "{entry}");
    }
}

#[test]
fn unknown_rules_are_errors_with_a_suggestion() {
    let analysis = analyze(&reference_with_checks(
        "singel-task-service: off\nA7: error\nC003: off\nzzz: off",
    ));
    let c001 = of(&analysis, "C001");
    let helps: Vec<_> = c001.iter().map(|d| d.help.as_deref().unwrap()).collect();
    assert_eq!(
        helps,
        [
            "did you mean `single-task-service`?",
            "did you mean `A007`?",
            "loading (L0xx) and configuration (C0xx) findings cannot be configured or suppressed",
            "`archflow rules` lists every rule's code and name",
        ]
    );
    assert!(c001.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(c001[0].message, "unknown rule `singel-task-service`");
    // The unknown setting changed nothing.
    assert_eq!(of(&analysis, "A010")[0].severity, Severity::Warning);

    let model =
        reference_with_service_lines("suppress:\n  - {rule: single-task-servce, reason: demo}");
    let analysis = analyze(&model);
    let c001 = of(&analysis, "C001");
    assert_eq!(c001.len(), 1);
    assert_eq!(
        c001[0].help.as_deref(),
        Some("did you mean `single-task-service`?")
    );
    assert_eq!(c001[0].subject.as_deref(), Some("goals"));
    assert_eq!(
        c001[0].primary.span.start,
        model.find("single-task-servce").unwrap()
    );
    assert_eq!(of(&analysis, "A010").len(), 1);
}

#[test]
fn a_suppression_that_matches_nothing_is_a_warning() {
    // A009 does not fire on the reference model; A010 fires about the service, not the container.
    let model = reference_with_service_lines("suppress:\n  - {rule: A009, reason: old}").replacen(
        "        - name: mongodb\n",
        "        - name: mongodb\n          suppress:\n            - {rule: A010, reason: wrong item}\n",
        1,
    );
    let analysis = analyze(&model);
    let c003 = of(&analysis, "C003");
    let subjects: Vec<_> = c003.iter().filter_map(|d| d.subject.as_deref()).collect();
    assert_eq!(subjects, ["goals", "mongodb"], "{:?}", analysis.diagnostics);
    assert!(c003.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(of(&analysis, "A010").len(), 1);

    // Turning the rule off does not make its suppressions unused.
    let model = format!(
        "{}\nchecks:\n  rules:\n    A010: off\n",
        reference_with_service_lines("suppress:\n  - {rule: A010, reason: demo}")
    );
    let analysis = analyze(&model);
    assert!(of(&analysis, "C003").is_empty());
    assert!(of(&analysis, "A010").is_empty());
}

#[test]
fn a_rule_set_twice_is_a_warning_and_the_first_setting_counts() {
    let analysis = analyze(&reference_with_checks(
        "A010: error\nsingle-task-service: off",
    ));
    let c004 = of(&analysis, "C004");
    assert_eq!(c004.len(), 1);
    assert_eq!(c004[0].severity, Severity::Warning);
    assert_eq!(c004[0].secondary.len(), 1);
    assert_eq!(of(&analysis, "A010")[0].severity, Severity::Error);

    let model = reference_with_service_lines(
        "suppress:\n  - {rule: A010, reason: demo}\n  - {rule: single-task-service, reason: again}",
    );
    let analysis = analyze(&model);
    assert_eq!(of(&analysis, "C004").len(), 1);
    assert!(of(&analysis, "A010").is_empty());
    assert!(of(&analysis, "C003").is_empty());
}

#[test]
fn the_settings_fixture_reports_each_mistake() {
    let source = Source::new(FIXTURE, read(FIXTURE));
    let analysis = archflow::analyze(&source);
    let shown: Vec<Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('C') || d.code == "A008")
        .cloned()
        .collect();
    let codes: Vec<&str> = shown.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["C002", "C001", "A008", "C002", "C003", "C004", "C001"]
    );
    insta::with_settings!({ description => FIXTURE, omit_expression => true }, {
        insta::assert_snapshot!("settings", human::render(&source, &shown, false));
    });
}

#[test]
fn settings_need_no_other_keys_and_unknown_keys_are_load_errors() {
    let analysis = analyze(&format!("{}\nchecks: {{}}\n", read(MODEL)));
    assert_eq!(of(&analysis, "A010").len(), 1);
    for (extra, key) in [
        ("checks:\n  rule:\n    A010: off\n", "rule"),
        ("checks:\n  rules:\n    A010: disabled\n", "disabled"),
    ] {
        let text_ = format!("{}\n{extra}", read(MODEL));
        let analysis = archflow::analyze(&Source::new("m.yaml", text_.as_str()));
        assert!(analysis.failed_to_load(), "{extra}");
        let d = &analysis.diagnostics[0];
        assert!(matches!(d.code, "L002" | "L003"), "{d:?}");
        assert_eq!(d.primary.span.start, text_.rfind(key).unwrap(), "{extra}");
    }
}

/// Run `check` on `model` (written as architecture.yaml) with `args`.
fn check(model: &str, args: &[&str]) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(MODEL), model).unwrap();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    archflow(tmp.path(), &all)
}

#[test]
fn deny_warnings_makes_warnings_fail_the_check() {
    let model = read(MODEL);
    let json = check(&model, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let count = |what: &str| report["summary"][what].as_u64().unwrap();
    assert_eq!(count("errors"), 0);
    assert!(count("warnings") >= 1, "A010 at least");

    let out = check(&model, &[]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    for deny in ["warnings", "warning"] {
        let out = check(&model, &["--deny", deny]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert!(
            stdout.trim_end().ends_with("(denied by --deny warnings)"),
            "{stdout}"
        );
    }
    let out = check(&model, &["--deny", "info"]);
    assert_eq!(out.status.code(), Some(1));
    // `error` is what `check` does anyway (it exists for render, build, export and inject).
    for deny in ["error", "errors"] {
        let out = check(&model, &["--deny", deny]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{deny}: the reference model has no error"
        );
    }
    let out = check(&model, &["--deny", "fatal"]);
    assert_eq!(out.status.code(), Some(2), "not a severity to deny");

    // With every warning and info of the reference model turned off, --deny info passes.
    let mut quiet = String::from("checks:\n  rules:\n");
    for d in report["diagnostics"].as_array().unwrap() {
        let line = format!("    {}: off\n", d["code"].as_str().unwrap());
        if !quiet.contains(&line) {
            quiet.push_str(&line);
        }
    }
    let model = format!("{model}\n{quiet}");
    for args in [&["--deny", "warnings"][..], &["--deny", "info"]] {
        let out = check(&model, args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        assert!(
            stdout.ends_with("architecture.yaml: no findings\n"),
            "{stdout}"
        );
    }
    // Denied findings fail in every format.
    for format in ["json", "sarif", "github"] {
        let out = check(&read(MODEL), &["--deny", "warnings", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}");
    }
}

#[test]
fn quiet_prints_only_failing_findings_and_nothing_on_success() {
    let model = read(MODEL);
    // Passing: nothing at all (human, github).
    for format in ["human", "github"] {
        let out = check(&model, &["--quiet", "--format", format]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty(), "{format}: {:?}", text(&out));
        assert!(out.stderr.is_empty(), "{format}: {:?}", text(&out));
    }
    // json and sarif print a whole report without the warnings.
    let out = check(&model, &["-q", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
    let out = check(&model, &["-q", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));

    // Failing: only the failing findings, then the summary of all.
    let broken = model.replacen("sourceVolume: data\n", "sourceVolume: dta\n", 1);
    let out = check(&broken, &["-q"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("error[A001]"), "{stdout}");
    assert!(!stdout.contains("warning["), "{stdout}");
    assert!(stdout.contains("architecture.yaml: 1 error"), "{stdout}");
    // …and with --deny warnings the warnings are failing findings.
    let out = check(&model, &["-q", "--deny", "warnings"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("warning[A010]"), "{stdout}");
}

#[test]
fn explain_explains_the_settings_findings() {
    let dir = tempfile::tempdir().unwrap();
    for code in Code::of_kind(Kind::Config) {
        let doc = archflow::check::explanation(code);
        for query in [code.id.to_lowercase(), code.name.to_owned()] {
            let out = archflow(dir.path(), &["explain", &query]);
            assert_eq!(out.status.code(), Some(0), "explain {query}");
            assert_eq!(text(&out).0, doc, "explain {query}");
        }
        for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
            assert!(doc.contains(section), "{}: {section}", code.id);
        }
        assert!(archflow::check::rule(code.id).is_none(), "not a rule");
    }
    let out = archflow(dir.path(), &["explain", "unused-supression"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("did you mean `unused-suppression`?"));
}

/// Every finding of every rule on its failing fixture says which component it is about, and
/// that component exists: suppressions depend on it.
#[test]
fn every_rule_finding_has_a_subject() {
    let mut problems = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let rel = format!(
            "tests/fixtures/rules/{}/fail.yaml",
            dir.file_name().unwrap().to_string_lossy()
        );
        let source = Source::new(rel.as_str(), read(&rel));
        let analysis = archflow::analyze(&source);
        let Some(model) = &analysis.model else {
            problems.push(format!("{rel}: does not load"));
            continue;
        };
        // A subject is a component's name: as written (`app`), or qualified (`web/app`).
        let names: Vec<String> = model
            .components
            .values()
            .flat_map(|c| [c.id.name.clone(), c.short.clone()])
            .chain(model.doc.flows.iter().map(|f| f.name.value.clone()))
            .collect();
        for d in &analysis.diagnostics {
            match &d.subject {
                None => problems.push(format!("{rel}: {} `{}` has no subject", d.code, d.message)),
                Some(s) if !names.contains(s) => problems.push(format!(
                    "{rel}: {} `{}` is about `{s}`, which the model does not define",
                    d.code, d.message
                )),
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The subject of each of the first ten rules is the component its finding is about.
#[test]
fn subjects_of_the_first_ten_rules() {
    use archflow::model::Kind;
    /// What a rule's subject is.
    enum Want {
        /// Exactly these names (in any order).
        Names(&'static [&'static str]),
        /// A component of this kind.
        Kind(Kind),
        /// The name written where the primary label starts (the duplicate, the step's `from`).
        AtPrimary,
    }
    let cases = [
        // The items holding the references: the listener's load balancer, the service, the
        // containers, the volume, the flow.
        (
            "A001_unknown-reference",
            Want::Names(&[
                "data",
                "goals",
                "goals-alb",
                "goals-backend",
                "mongodb",
                "store-goal",
            ]),
        ),
        ("A002_duplicate-name", Want::AtPrimary),
        ("A003_dependency-cycle", Want::Kind(Kind::Container)),
        ("A004_unmapped-target-port", Want::Kind(Kind::Container)),
        ("A005_host-port-mismatch", Want::Kind(Kind::Container)),
        ("A006_no-essential-container", Want::Kind(Kind::Service)),
        ("A007_unbacked-flow-step", Want::AtPrimary),
        (
            "A008_ephemeral-database-storage",
            Want::Kind(Kind::Container),
        ),
        ("A009_shared-database-storage", Want::Kind(Kind::Container)),
        ("A010_single-task-service", Want::Kind(Kind::Service)),
    ];
    for (dir, want) in cases {
        let rel = format!("tests/fixtures/rules/{dir}/fail.yaml");
        let source = Source::new(rel.as_str(), read(&rel));
        let analysis = archflow::analyze(&source);
        let model = analysis.model.as_ref().unwrap();
        let found = of(&analysis, &dir[..4]);
        assert!(!found.is_empty(), "{dir}");
        let mut subjects: Vec<&str> = found
            .iter()
            .map(|d| d.subject.as_deref().unwrap())
            .collect();
        match want {
            Want::Names(names) => {
                subjects.sort_unstable();
                subjects.dedup();
                assert_eq!(subjects, names, "{dir}");
            }
            Want::Kind(kind) => {
                for s in subjects {
                    assert!(
                        model
                            .components
                            .values()
                            .any(|c| c.id.kind == kind && (c.short == s || c.id.name == s)),
                        "{dir}: `{s}` is not a {kind:?}"
                    );
                }
            }
            Want::AtPrimary => {
                for (d, s) in found.iter().zip(subjects) {
                    assert!(
                        source.text[d.primary.span.start..].starts_with(s),
                        "{dir}: `{s}` is not at the finding's label"
                    );
                }
            }
        }
    }
}

#[test]
fn readme_documents_the_settings_and_their_findings() {
    let readme = read("README.md");
    for code in Code::of_kind(Kind::Config) {
        let row = format!("| {} | {} | {} |", code.id, code.name, code.severity);
        assert!(readme.contains(&row), "README lacks the row `{row}`");
    }
    for want in [
        "checks:\n  rules:\n",
        "suppress:",
        "--deny warnings",
        "--format sarif",
    ] {
        assert!(readme.contains(want), "README lacks `{want}`");
    }
}
