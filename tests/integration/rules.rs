//! Every rule against its two fixture models, `tests/fixtures/rules/<CODE>_<name>/`:
//! `fail.yaml` must trigger the rule (its findings are snapshotted as rustc-style text) and
//! `pass.yaml`, the nearest fixed model, must not. Plus checks on the rule table itself.

use std::collections::BTreeSet;

use archflow::Analysis;
use archflow::check::{RULES, Rule};
use archflow::diagnostic::Diagnostic;
use archflow::diagnostic::emit::human;
use archflow::source::Source;

use crate::support::{read, root};

/// Where a rule's fixtures live, relative to the repository root.
fn fixture_dir(rule: &Rule) -> String {
    format!("tests/fixtures/rules/{}_{}", rule.code.id, rule.code.name)
}

/// Load and check a model; the source keeps the repo-relative path, so snapshots hold no
/// machine paths.
fn analyze(path: &str) -> (Source, Analysis) {
    let source = Source::new(path, read(path));
    let analysis = archflow::analyze(&source);
    assert!(
        !analysis.failed_to_load(),
        "{path} does not load:\n{}",
        human::render(&source, &analysis.diagnostics, false)
    );
    (source, analysis)
}

/// The findings of one rule.
fn of_rule(analysis: &Analysis, code: &str) -> Vec<Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .cloned()
        .collect()
}

/// The fail/pass test of one rule.
fn check_rule(code: &str) {
    let rule = archflow::check::rule(code).expect("the rule is registered");
    let dir = fixture_dir(rule);

    let fail = format!("{dir}/fail.yaml");
    let (source, analysis) = analyze(&fail);
    let found = of_rule(&analysis, code);
    assert!(
        !found.is_empty(),
        "{fail} does not trigger {code} ({}); its findings:\n{}",
        rule.code.name,
        human::render(&source, &analysis.diagnostics, false)
    );
    for d in &found {
        assert_eq!(d.name, rule.code.name, "{code} reported under another name");
    }
    insta::with_settings!({ description => fail.as_str(), omit_expression => true }, {
        insta::assert_snapshot!(
            format!("{code}_{}", rule.code.name),
            human::render(&source, &found, false)
        );
    });

    let pass = format!("{dir}/pass.yaml");
    let (source, analysis) = analyze(&pass);
    let found = of_rule(&analysis, code);
    assert!(
        found.is_empty(),
        "{pass} still triggers {code}:\n{}",
        human::render(&source, &found, false)
    );
    assert!(
        !analysis.has_errors(),
        "{pass} is not a valid model:\n{}",
        human::render(&source, &analysis.diagnostics, false)
    );
}

/// One test per rule, and the list of codes they cover.
macro_rules! rule_tests {
    ($($test:ident => $code:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check_rule($code);
            }
        )*

        /// The codes that have a test above.
        const TESTED: &[&str] = &[$($code),*];
    };
}

rule_tests! {
    a001_unknown_reference => "A001",
    a002_duplicate_name => "A002",
    a003_dependency_cycle => "A003",
    a004_unmapped_target_port => "A004",
    a005_host_port_mismatch => "A005",
    a006_no_essential_container => "A006",
    a007_unbacked_flow_step => "A007",
    a008_ephemeral_database_storage => "A008",
    a009_shared_database_storage => "A009",
    a010_single_task_service => "A010",
    // Security.
    a011_efs_transit_unencrypted => "A011",
    a012_efs_unencrypted_at_rest => "A012",
    a013_http_without_https_redirect => "A013",
    a014_outdated_ssl_policy => "A014",
    a015_privileged_container => "A015",
    a016_plaintext_secret => "A016",
    a017_public_task_ip => "A017",
    a018_exposed_database => "A018",
    a019_missing_log_configuration => "A019",
    // Structure and reliability.
    a020_fargate_incompatible_task => "A020",
    a021_invalid_fargate_size => "A021",
    a022_efs_on_old_platform => "A022",
    a023_unsatisfiable_dependency => "A023",
    a024_links_outside_bridge => "A024",
    a025_task_port_conflict => "A025",
    a026_sibling_container_hostname => "A026",
    a027_wrong_target_type => "A027",
    a028_invalid_health_check => "A028",
    a029_missing_health_check => "A029",
    a030_default_health_check_path => "A030",
    a031_slow_database_file_system => "A031",
    a032_database_startup_race => "A032",
    a033_unreachable_component => "A033",
    a034_call_cycle => "A034",
    a035_output_file_name => "A035",
    a036_malformed_flow_group => "A036",
}

#[test]
fn every_rule_has_a_fixture_test() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code.id).collect();
    assert_eq!(
        codes, TESTED,
        "add the new rule to `rule_tests!` in tests/integration/rules.rs"
    );
}

#[test]
fn every_rule_has_fixtures_and_a_complete_doc() {
    const SECTIONS: &[&str] = &[
        "## What it checks",
        "## Why",
        "## Example",
        "## How to fix",
        "## References",
    ];
    let mut problems = Vec::new();
    for rule in RULES {
        let dir = fixture_dir(rule);
        for file in ["fail.yaml", "pass.yaml"] {
            if !root().join(&dir).join(file).is_file() {
                problems.push(format!("{}: missing {dir}/{file}", rule.code.id));
            }
        }
        for section in SECTIONS {
            if !rule.doc.lines().any(|line| line.trim_end() == *section) {
                problems.push(format!("{}: DOC lacks `{section}`", rule.code.id));
            }
        }
    }
    // A fixture folder left behind by a renamed or removed rule tests nothing.
    let expected: BTreeSet<String> = RULES.iter().map(fixture_dir).collect();
    let folders = std::fs::read_dir(root().join("tests/fixtures/rules")).expect("fixture folder");
    for entry in folders {
        let name = entry.expect("readable entry").file_name();
        let dir = format!("tests/fixtures/rules/{}", name.to_string_lossy());
        if !expected.contains(&dir) {
            problems.push(format!("{dir} belongs to no rule"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn codes_and_names_are_unique() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in RULES {
        assert!(
            codes.insert(rule.code.id),
            "code {} is used twice",
            rule.code.id
        );
        assert!(
            names.insert(rule.code.name),
            "name {} is used twice",
            rule.code.name
        );
    }
    // Lookup by either key finds the one rule.
    for rule in RULES {
        assert!(std::ptr::eq(
            archflow::check::rule(rule.code.id).unwrap(),
            rule
        ));
        assert!(std::ptr::eq(
            archflow::check::rule(rule.code.name).unwrap(),
            rule
        ));
    }
}

#[test]
fn reference_model_has_no_error() {
    let path = "architecture.yaml";
    let (source, analysis) = analyze(path);
    assert!(
        !analysis.has_errors(),
        "{path} has errors:\n{}",
        human::render(&source, &analysis.diagnostics, false)
    );
    insta::with_settings!({ description => path, omit_expression => true }, {
        insta::assert_snapshot!(
            "reference_architecture",
            human::render(&source, &analysis.diagnostics, false)
        );
    });
}

/// Settings marked `unknown` (as importers mark what they could not see) are not taken for
/// AWS's defaults: encryption becomes an info asking to check it, bursting is not assumed.
#[test]
fn unknown_file_system_settings_are_not_defaults() {
    use archflow::diagnostic::Severity;
    let reference = read("architecture.yaml");
    let known =
        "    encrypted: true\n    performanceMode: generalPurpose\n    throughputMode: elastic\n";
    assert!(reference.contains(known));
    let findings = |settings: &str| {
        let text = reference.replace(known, settings);
        let analysis = archflow::analyze(&Source::new("m.yaml", text));
        assert!(!analysis.failed_to_load(), "{:#?}", analysis.diagnostics);
        analysis
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "A012" || d.code == "A031")
            .map(|d| (d.code, d.severity, d.message))
            .collect::<Vec<_>>()
    };
    // Unknown: one info for encryption; nothing assumed about throughput.
    assert_eq!(
        findings("    unknown: [encrypted, performanceMode, throughputMode]\n"),
        [(
            "A012",
            Severity::Info,
            "whether file system `goals-data` is encrypted at rest is unknown".to_owned()
        )]
    );
    // Left out and not marked unknown: AWS's defaults (unencrypted, bursting) are reported.
    let defaults = findings("");
    assert!(
        defaults
            .iter()
            .any(|(c, s, _)| *c == "A012" && *s == Severity::Warning),
        "{defaults:?}"
    );
    assert!(
        defaults
            .iter()
            .any(|(c, _, m)| *c == "A031" && m.contains("bursting")),
        "{defaults:?}"
    );
    // A value written wins over the marker.
    assert!(
        findings("    encrypted: true\n    throughputMode: elastic\n    unknown: [encrypted]\n")
            .is_empty()
    );
    // Only the settings archflow knows can be marked.
    let text = reference.replace(known, "    unknown: [encryption]\n");
    let analysis = archflow::analyze(&Source::new("m.yaml", text));
    assert_eq!(
        analysis.diagnostics[0].code, "L002",
        "{:#?}",
        analysis.diagnostics
    );
}
