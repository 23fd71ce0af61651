//! `archflow diff`: each kind of change found and nothing else, every format, git revisions,
//! exit codes.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use archflow::diff::{self, Change, FindingChangeKind, ModelDiff, picture};
use archflow::layout::{LayoutOptions, layout};
use archflow::source::Source;

use crate::fuzz_smoke::targets::check_invariants;
use crate::support::{archflow, read, root, text};

const NEXT: &str = "examples/goals-v2.yaml";

fn reference() -> String {
    read("architecture.yaml")
}

/// `text` with `from` replaced by `to`, which must be there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the model");
    text.replacen(from, to, 1)
}

fn compare(old: &str, new: &str) -> (ModelDiff, diff::Sides) {
    let old = archflow::analyze(&Source::new("old.yaml", old));
    let new = archflow::analyze(&Source::new("new.yaml", new));
    diff::compare(&old, &new).unwrap()
}

/// The component changes as `(change, kind, name)`.
fn components(d: &ModelDiff) -> Vec<(Change, &'static str, String)> {
    d.components
        .iter()
        .map(|c| (c.change, c.kind.as_str(), c.name.clone()))
        .collect()
}

#[test]
fn identical_models_have_no_difference() {
    let (d, _) = compare(&reference(), &reference());
    assert!(d.is_empty(), "{d:?}");
    let out = archflow(&root(), &["diff", "architecture.yaml", "architecture.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).0.contains("no difference"));
}

#[test]
fn a_changed_field_is_a_change_with_both_values_and_nothing_else() {
    let new = edit(&reference(), "cpu: \"512\"", "cpu: \"256\"");
    let (d, _) = compare(&reference(), &new);
    assert_eq!(
        components(&d),
        [(Change::Changed, "task", "goals".to_owned())]
    );
    let fields = &d.components[0].fields;
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].field, "cpu");
    assert_eq!(fields[0].old.as_deref(), Some("\"512\""));
    assert_eq!(fields[0].new.as_deref(), Some("\"256\""));
    assert!(d.connections.is_empty() && d.flows.is_empty() && d.model.is_empty());
    assert!(d.findings.is_empty(), "{:?}", d.findings);
}

const SIDECAR: &str = "      volumes:\n";
const SIDECAR_CONTAINER: &str = "        - name: metrics\n          image: prom/statsd-exporter\n          essential: false\n          portMappings:\n            - containerPort: 9102\n";

#[test]
fn an_added_and_a_removed_container() {
    let with = edit(
        &reference(),
        SIDECAR,
        &format!("{SIDECAR_CONTAINER}{SIDECAR}"),
    );
    let (d, _) = compare(&reference(), &with);
    assert_eq!(
        components(&d),
        [(Change::Added, "container", "goals/metrics".to_owned())]
    );
    assert!(d.connections.is_empty(), "{:?}", d.connections);
    let (d, _) = compare(&with, &reference());
    assert_eq!(
        components(&d),
        [(Change::Removed, "container", "goals/metrics".to_owned())]
    );
}

#[test]
fn a_rename_with_identical_content_is_a_rename() {
    let with = edit(
        &reference(),
        SIDECAR,
        &format!("{SIDECAR_CONTAINER}{SIDECAR}"),
    );
    let renamed = edit(&with, "- name: metrics", "- name: statsd");
    let (d, _) = compare(&with, &renamed);
    assert_eq!(
        components(&d),
        [(Change::Renamed, "container", "goals/statsd".to_owned())]
    );
    assert_eq!(d.components[0].old_name.as_deref(), Some("goals/metrics"));
    assert!(d.components[0].fields.is_empty());
}

#[test]
fn a_rename_is_found_by_image_and_ports_even_when_fields_change() {
    let with = edit(
        &reference(),
        SIDECAR,
        &format!("{SIDECAR_CONTAINER}{SIDECAR}"),
    );
    let renamed = edit(
        &edit(&with, "- name: metrics", "- name: statsd"),
        "essential: false",
        "essential: false\n          cpu: 64",
    );
    let (d, _) = compare(&with, &renamed);
    assert_eq!(
        components(&d),
        [(Change::Renamed, "container", "goals/statsd".to_owned())]
    );
    assert_eq!(d.components[0].fields[0].field, "cpu");
}

#[test]
fn a_rename_is_found_by_aws_identity() {
    let old = edit(
        &reference(),
        "    encrypted: true\n",
        "    encrypted: true\n    fileSystemId: fs-0123456789abcdef0\n",
    );
    // Renamed, and its label changed too: only its AWS id says it is the same file system.
    let new = edit(
        &edit(
            &edit(&old, "  - name: goals-data\n", "  - name: goals-store\n"),
            "label: goals-data (EFS)",
            "label: goals store",
        ),
        "fileSystemId: goals-data",
        "fileSystemId: goals-store",
    );
    let (d, _) = compare(&old, &new);
    let kinds: Vec<_> = components(&d);
    assert!(
        kinds.contains(&(Change::Renamed, "file system", "goals-store".to_owned())),
        "{kinds:?}"
    );
    assert!(
        !kinds
            .iter()
            .any(|k| k.0 == Change::Added || k.0 == Change::Removed)
    );
    // The mount to it is not removed and added again: the old name is renamed first.
    assert!(
        d.connections
            .iter()
            .all(|c| c.to != "goals-store" && c.to != "goals-data"),
        "{:?}",
        d.connections
    );
}

#[test]
fn a_connection_added_and_removed() {
    let with = edit(
        &edit(
            &reference(),
            SIDECAR,
            &format!("{SIDECAR_CONTAINER}{SIDECAR}"),
        ),
        "          connectsTo: [mongodb]\n",
        "          connectsTo: [mongodb, metrics]\n",
    );
    let base = edit(
        &reference(),
        SIDECAR,
        &format!("{SIDECAR_CONTAINER}{SIDECAR}"),
    );
    let (d, _) = compare(&base, &with);
    assert!(d.components.iter().all(|c| c.name == "goals/goals-backend"));
    assert_eq!(d.connections.len(), 1, "{:?}", d.connections);
    let c = &d.connections[0];
    assert_eq!(
        (c.change, c.from.as_str(), c.to.as_str()),
        (Change::Added, "goals-backend", "metrics")
    );
    let (d, _) = compare(&with, &base);
    assert_eq!(d.connections[0].change, Change::Removed);
}

#[test]
fn flow_steps_added_and_removed() {
    let step = "      - from: goals-alb\n        to: user\n        action: 201 Created\n";
    let new = edit(
        &reference(),
        step,
        "      - from: goals-alb\n        to: user\n        action: 200 OK\n",
    );
    let (d, _) = compare(&reference(), &new);
    assert!(d.components.is_empty() && d.connections.is_empty());
    assert_eq!(d.flows.len(), 1);
    let flow = &d.flows[0];
    assert_eq!(
        (flow.change, flow.name.as_str()),
        (Change::Changed, "store-goal")
    );
    let steps: Vec<_> = flow
        .steps
        .iter()
        .map(|s| (s.change, s.message.as_str()))
        .collect();
    // The same hop in the same place with another action: a changed step, not two.
    assert_eq!(steps, [(Change::Changed, "200 OK (HTTP)")]);
    let fields = &flow.steps[0].fields;
    assert_eq!(fields.len(), 1);
    assert_eq!(
        (
            fields[0].field.as_str(),
            fields[0].old.as_deref(),
            fields[0].new.as_deref()
        ),
        ("action", Some("\"201 Created\""), Some("\"200 OK\""))
    );
}

/// Each edit of a step: which steps change, and which of their fields (`+`/`-` for a step
/// added or removed), and the line every text format shows for the first.
#[test]
fn step_changes_table() {
    const LAST: &str = "      - from: goals-alb\n        to: user\n        action: 201 Created\n        protocol: HTTP\n        note: The load balancer passes the response back to the client.\n";
    const FIRST: &str = "        action: POST /goals\n        protocol: HTTP\n        port: 80\n";
    const ACK: &str = "        note: MongoDB confirms the write to the API.\n";
    type Case = (
        &'static str,
        &'static str,
        String,
        &'static [(&'static str, &'static str)],
        &'static str,
    );
    let cases: Vec<Case> = vec![
        ("nothing", LAST, LAST.to_owned(), &[], ""),
        (
            "action",
            LAST,
            LAST.replace("201 Created", "200 OK"),
            &[("~", "action")],
            "~ step goals-alb → user: 200 OK (HTTP) (action: \"201 Created\" → \"200 OK\")",
        ),
        (
            "note",
            ACK,
            ACK.replace("confirms the write", "acknowledges the write"),
            &[("~", "note")],
            "~ step mongodb → goals-backend: acknowledged (note: \"MongoDB confirms the write to the API.\" → \"MongoDB acknowledges the write to the API.\")",
        ),
        (
            "protocol and port",
            FIRST,
            FIRST.replace("HTTP", "HTTPS").replace("80", "443"),
            &[("~", "port,protocol")],
            "~ step user → goals-alb: POST /goals (HTTPS:443) (port: 80 → 443; protocol: \"HTTP\" → \"HTTPS\")",
        ),
        (
            "port removed",
            FIRST,
            FIRST.replace("        port: 80\n", ""),
            &[("~", "port")],
            "~ step user → goals-alb: POST /goals (HTTP) (port: 80 → (unset))",
        ),
        (
            "note removed",
            ACK,
            String::new(),
            &[("~", "note")],
            "~ step mongodb → goals-backend: acknowledged (note: \"MongoDB confirms the write to the API.\" → (unset))",
        ),
        (
            "step removed",
            LAST,
            String::new(),
            &[("-", "")],
            "- step goals-alb → user: 201 Created (HTTP)",
        ),
        (
            "step added",
            LAST,
            format!("{LAST}      - from: user\n        to: goals-alb\n        action: thanks\n"),
            &[("+", "")],
            "+ step user → goals-alb: thanks",
        ),
        (
            "another hop",
            LAST,
            LAST.replace("to: user", "to: goals-tg"),
            &[("-", ""), ("+", "")],
            "- step goals-alb → user: 201 Created (HTTP)",
        ),
    ];
    for (name, from, to, want, line) in cases {
        let new = edit(&reference(), from, &to);
        let (d, _) = compare(&reference(), &new);
        assert!(d.components.is_empty(), "{name}: {:?}", d.components);
        let got: Vec<(&str, String)> = d
            .flows
            .iter()
            .flat_map(|f| &f.steps)
            .map(|s| {
                let sign = match s.change {
                    Change::Added => "+",
                    Change::Removed => "-",
                    _ => "~",
                };
                let fields: Vec<&str> = s.fields.iter().map(|f| f.field.as_str()).collect();
                (sign, fields.join(","))
            })
            .collect();
        let want: Vec<(&str, String)> = want.iter().map(|(s, f)| (*s, (*f).to_owned())).collect();
        assert_eq!(got, want, "{name}");
        if line.is_empty() {
            continue;
        }
        // Every text format says it.
        let human = diff::report::human(&d, false);
        assert!(
            human.contains(&format!("    {line}")),
            "{name}: human:\n{human}"
        );
        let md = diff::report::markdown(&d, "");
        let (sign, rest) = line.split_at(1);
        let md_sign = if sign == "-" { "−" } else { sign };
        assert!(
            md.contains(&format!("**{md_sign}**"))
                && md.contains(&rest.chars().skip(1).take(12).collect::<String>()),
            "{name}: markdown:\n{md}"
        );
        let json: serde_json::Value = serde_json::from_str(&diff::report::json(&d)).unwrap();
        let step = &json["flows"][0]["steps"][0];
        assert_eq!(
            step["change"].as_str().map(|c| &c[..1]),
            Some(match sign {
                "+" => "a",
                "-" => "r",
                _ => "c",
            }),
            "{name}: {json}"
        );
        if sign == "~" {
            assert!(
                step["fields"].as_array().is_some_and(|f| !f.is_empty()),
                "{name}: {json}"
            );
        } else {
            assert!(step.get("fields").is_none(), "{name}: {json}");
        }
    }
}

#[test]
fn a_finding_introduced() {
    // A second task on shared EFS storage: MongoDB's data directory used twice (a new finding).
    let new = edit(&reference(), "desiredCount: 1", "desiredCount: 2");
    let new = edit(
        &new,
        "minimumHealthyPercent: 0",
        "minimumHealthyPercent: 50",
    );
    let (d, _) = compare(&reference(), &new);
    let introduced: Vec<&str> = d
        .findings
        .iter()
        .filter(|f| f.change == FindingChangeKind::Introduced)
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(introduced, ["A009"], "{:?}", d.findings);
    assert!(d.introduces_findings());
}

/// The reference system and its next version: the database moved into a service of its own, the API
/// at three tasks.
#[test]
fn the_next_version_of_the_reference_system() {
    let (d, sides) = compare(&reference(), &read(NEXT));
    let kinds = components(&d);
    for want in [
        (Change::Added, "service", "goals-db".to_owned()),
        (Change::Added, "task", "goals-db".to_owned()),
        (Change::Moved, "container", "goals-db/mongodb".to_owned()),
        (Change::Moved, "volume", "goals-db/data".to_owned()),
        (Change::Changed, "service", "goals".to_owned()),
        (
            Change::Changed,
            "container",
            "goals/goals-backend".to_owned(),
        ),
    ] {
        assert!(kinds.contains(&want), "{want:?} not in {kinds:?}");
    }
    assert!(!kinds.iter().any(|k| k.0 == Change::Removed), "{kinds:?}");
    let mongodb = d
        .components
        .iter()
        .find(|c| c.name == "goals-db/mongodb")
        .unwrap();
    assert_eq!(mongodb.moved_from.as_deref(), Some("goals"));
    assert_eq!(mongodb.moved_to.as_deref(), Some("goals-db"));
    let service = d.components.iter().find(|c| c.name == "goals").unwrap();
    let count = service
        .fields
        .iter()
        .find(|f| f.field == "desiredCount")
        .unwrap();
    assert_eq!(
        (count.old.as_deref(), count.new.as_deref()),
        (Some("1"), Some("3"))
    );
    // The start-order dependency cannot cross tasks: gone.
    assert!(
        d.connections
            .iter()
            .any(|c| c.change == Change::Removed && c.from == "goals-backend" && c.to == "mongodb")
    );
    // The single point of failure is fixed.
    assert!(
        d.findings
            .iter()
            .any(|f| f.code == "A010" && f.change == FindingChangeKind::Fixed)
    );
    // The picture keeps the layout's invariants.
    let picture = picture::union(&d, &sides);
    check_invariants(
        &picture.view,
        &layout(&picture.view, LayoutOptions::default()),
    );
    // The next version loads and explains itself.
    let next = archflow::analyze(&Source::new(NEXT, read(NEXT)));
    assert!(!next.has_errors(), "{:?}", next.diagnostics);
    let description = next.document().unwrap().description.as_ref().unwrap();
    assert!(description.value.contains("Why"));
}

#[test]
fn the_cli_reports_the_next_version_in_every_format() {
    let run = |format: &str| {
        let out = archflow(
            &root(),
            &["diff", "architecture.yaml", NEXT, "--format", format],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out).1);
        text(&out).0
    };
    let human = run("human");
    assert!(
        human.contains("container goals-db/mongodb moved from goals to goals-db"),
        "{human}"
    );
    assert!(human.contains("desiredCount: 1 → 3"), "{human}");
    assert!(!human.contains('\u{1b}'));
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["version"], 1);
    let moved = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "goals-db/mongodb")
        .unwrap();
    assert_eq!(moved["change"], "moved");
    assert_eq!(moved["kind"], "container");
    assert_eq!(moved["moved_from"], "goals");

    let svg = run("svg");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let style: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("style"))
        .filter_map(|n| n.text())
        .collect();
    // Added boxes solid green, the removed dependency dashed red, changed dotted amber.
    assert!(
        style.contains("{stroke:#1a7f37;stroke-width:3px}"),
        "{style}"
    );
    assert!(style.contains("stroke:#cf222e;stroke-width:2px;stroke-dasharray:6 4"));
    // And the badge in the text: readable without colour.
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(labels.contains(&"+ goals-db"), "{labels:?}");
    assert!(labels.contains(&"~ MongoDB"), "{labels:?}");
    assert!(labels.iter().any(|l| l.starts_with("− ")), "{labels:?}");

    let mermaid = run("mermaid");
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(mermaid.contains("classDef added "));
    assert!(mermaid.contains("class n_service_goals_db added"));
    assert!(mermaid.contains("linkStyle "));

    let md = run("md");
    assert!(md.starts_with("<!-- archflow-diff -->\n"));
    assert!(md.contains("```mermaid\nflowchart LR\n"));
    assert!(md.contains("| desiredCount | 1 | 3 |"), "{md}");

    let html = run("html");
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<svg"));
    assert!(html.contains("moved from goals to goals-db"));
}

#[test]
fn diff_output_is_deterministic() {
    for format in ["human", "json", "md", "mermaid", "svg", "html"] {
        let run = || archflow(&root(), &["diff", "architecture.yaml", NEXT, "-f", format]).stdout;
        assert_eq!(run(), run(), "{format}");
    }
}

#[test]
fn diff_pictures_parse_with_the_real_mermaid_parser() {
    let checker = root().join("tests/mermaid");
    let ready = checker.join("node_modules/mermaid").is_dir()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !crate::support::tool_ready("the Mermaid parser", ready, "npm ci --prefix tests/mermaid") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mermaid = archflow(
        &root(),
        &["diff", "architecture.yaml", NEXT, "-f", "mermaid"],
    )
    .stdout;
    let md = String::from_utf8(
        archflow(&root(), &["diff", "architecture.yaml", NEXT, "-f", "md"]).stdout,
    )
    .unwrap();
    // The Markdown's Mermaid block, as GitHub reads it.
    let block = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let hostile = hostile_pair(dir.path());
    let hostile_mermaid = archflow(
        dir.path(),
        &["diff", "old.yaml", "new.yaml", "-f", "mermaid"],
    );
    let files = [
        ("reference.mmd", mermaid),
        ("markdown-block.mmd", block.as_bytes().to_vec()),
        ("hostile.mmd", hostile_mermaid.stdout),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        paths.push(path);
    }
    assert!(hostile);
    crate::support::run_node_checker(
        &checker.join("check.mjs"),
        &[],
        &paths,
        "the Mermaid parser",
    );
}

/// Two models in `dir` (old.yaml, new.yaml) whose change adds a container with a hostile name.
fn hostile_pair(dir: &Path) -> bool {
    let name = "evil\u{1b}[31m<b>\"x\"</b>`|]";
    let new = edit(
        &reference(),
        SIDECAR,
        &format!(
            "        - name: \"{}\"\n          image: \"a<b>&c\"\n{SIDECAR}",
            name.replace('\u{1b}', "\\e").replace('"', "\\\"")
        ),
    );
    std::fs::write(dir.join("old.yaml"), reference()).unwrap();
    std::fs::write(dir.join("new.yaml"), new).unwrap();
    true
}

#[test]
fn user_text_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    hostile_pair(dir.path());
    for format in ["human", "json", "md", "mermaid", "svg", "html"] {
        let out = archflow(
            dir.path(),
            &[
                "diff", "old.yaml", "new.yaml", "-f", format, "--color", "always",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out).1);
        let (stdout, _) = text(&out);
        // No escape from the model reaches the output (colour codes are archflow's own: `[3`).
        assert!(!stdout.contains("\u{1b}[31m<b>"), "{format}: {stdout}");
        match format {
            "svg" => {
                roxmltree::Document::parse(&stdout).unwrap();
            }
            "html" | "md" => assert!(!stdout.contains("<b>"), "{format}: {stdout}"),
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                assert!(
                    v["components"][0]["name"]
                        .as_str()
                        .unwrap()
                        .contains('\u{1b}')
                );
            }
            _ => {}
        }
    }
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "services: [").unwrap();
    std::fs::copy(
        root().join("architecture.yaml"),
        dir.path().join("architecture.yaml"),
    )
    .unwrap();
    let code = |args: &[&str]| archflow(dir.path(), args).status.code();
    assert_eq!(
        code(&["diff", "architecture.yaml", "architecture.yaml"]),
        Some(0)
    );
    assert_eq!(code(&["diff", "broken.yaml", "architecture.yaml"]), Some(2));
    assert_eq!(
        code(&["diff", "missing.yaml", "architecture.yaml"]),
        Some(2)
    );
    // Only a new finding fails with --fail-on new-findings: a new label adds none; scaling the
    // service with MongoDB inside adds A009.
    let relabelled = edit(&reference(), "label: MongoDB", "label: Mongo");
    std::fs::write(dir.path().join("relabelled.yaml"), relabelled).unwrap();
    let scaled = edit(&reference(), "desiredCount: 1", "desiredCount: 2");
    std::fs::write(dir.path().join("scaled.yaml"), scaled).unwrap();
    assert_eq!(
        code(&["diff", "architecture.yaml", "relabelled.yaml"]),
        Some(1)
    );
    let fail_on = |new: &str| {
        code(&[
            "diff",
            "architecture.yaml",
            new,
            "--fail-on",
            "new-findings",
        ])
    };
    assert_eq!(fail_on("relabelled.yaml"), Some(0));
    assert_eq!(fail_on("scaled.yaml"), Some(1));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn revisions_are_read_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::write(d.join("architecture.yaml"), reference()).unwrap();
    git(d, &["add", "architecture.yaml"]);
    git(d, &["commit", "-q", "-m", "first"]);
    std::fs::write(d.join("architecture.yaml"), read(NEXT)).unwrap();
    git(d, &["commit", "-q", "-am", "second"]);
    let run = |args: &[&str]| {
        let out = archflow(d, args);
        (out.status.code(), text(&out).0, text(&out).1)
    };
    let (code, out, err) = run(&["diff", "HEAD~1", "HEAD", "-f", "json"]);
    assert_eq!(code, Some(1), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["old"], "HEAD~1");
    assert!(
        json["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "goals-db" && c["change"] == "added"),
        "{out}"
    );
    // REVISION:PATH against the working file; a bare revision against it reads the same path.
    assert_eq!(
        run(&["diff", "HEAD:architecture.yaml", "architecture.yaml"]).0,
        Some(0)
    );
    assert_eq!(
        run(&["diff", "main~1:architecture.yaml", "architecture.yaml"]).0,
        Some(1)
    );
    assert_eq!(run(&["diff", "HEAD", "architecture.yaml"]).0, Some(0));
    // A revision that does not exist is an error, said in git's words.
    let (code, _, err) = run(&["diff", "no-such-revision", "HEAD"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-revision"), "{err}");
    let (code, _, _) = run(&["diff", "--", "-x", "HEAD"]);
    assert_eq!(code, Some(2));
}

/// The action's comment script against a stand-in `curl` that logs its calls and answers the
/// list of comments with `list.json`: it posts one comment, then edits that one, and a token
/// that may not comment is a notice, not a failure.
#[test]
fn the_pull_request_comment_is_posted_once_then_updated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = d.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let curl = bin.join("curl");
    std::fs::write(
        &curl,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$LOG\"\n\
         if [ -f \"$FAIL\" ]; then exit 22; fi\n\
         for a in \"$@\"; do case \"$a\" in *per_page=*) cat \"$LIST\";; esac; done\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let md = String::from_utf8(
        archflow(&root(), &["diff", "architecture.yaml", NEXT, "-f", "md"]).stdout,
    )
    .unwrap();
    std::fs::write(d.join("diff.md"), &md).unwrap();
    let run = |list: &str| {
        std::fs::write(d.join("list.json"), list).unwrap();
        let _ = std::fs::remove_file(d.join("log"));
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let out = Command::new("bash")
            .arg(root().join("action/pr-comment.sh"))
            .arg(d.join("diff.md"))
            .env("PATH", path)
            .env("LOG", d.join("log"))
            .env("LIST", d.join("list.json"))
            .env("FAIL", d.join("fail"))
            .env("GITHUB_TOKEN", "t0ken")
            .env("GITHUB_REPOSITORY", "o/r")
            .env("GITHUB_API_URL", "https://api.example")
            .env("PR", "12")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            std::fs::read_to_string(d.join("log")).unwrap_or_default(),
        )
    };
    // No comment yet (only someone else's): one POST with the Markdown as the body.
    let (said, log) = run(r#"[{"id": 3, "body": "LGTM"}]"#);
    assert!(said.contains("commented"), "{said}");
    let calls: Vec<&str> = log.lines().collect();
    assert_eq!(calls.len(), 2, "{log}");
    assert!(calls[0].contains("https://api.example/repos/o/r/issues/12/comments?per_page=100"));
    assert!(calls[1].contains("-X POST") && calls[1].contains("/repos/o/r/issues/12/comments"));
    assert!(calls[1].contains("Bearer t0ken"));
    assert!(
        calls[1].contains(r"<!-- archflow-diff -->\n## Architecture changes"),
        "{}",
        calls[1]
    );
    // Our comment is there: it is edited, not added again.
    let (said, log) =
        run(r#"[{"id": 3, "body": "LGTM"}, {"id": 99, "body": "<!-- archflow-diff -->\nold"}]"#);
    assert!(said.contains("updated"), "{said}");
    let calls: Vec<&str> = log.lines().collect();
    assert!(calls[1].contains("-X PATCH") && calls[1].contains("/repos/o/r/issues/comments/99"));
    assert!(!log.contains("-X POST"));
    // A token that may not read or write comments: a notice, exit 0.
    std::fs::write(d.join("fail"), "").unwrap();
    let (said, _) = run("[]");
    assert!(said.contains("::notice"), "{said}");
}

/// The items of a synthetic model's `services:` list (each from its `- serviceName:` line).
fn service_items(text: &str) -> (String, Vec<String>) {
    let start = text.find("\n  - serviceName:").unwrap() + 1;
    let end = text[start..]
        .find("\nflows:")
        .map_or(text.len(), |e| start + e + 1);
    let mut items: Vec<String> =
        text[start..end]
            .split_inclusive('\n')
            .fold(Vec::new(), |mut items, line| {
                if line.starts_with("  - serviceName:") || items.is_empty() {
                    items.push(String::new());
                }
                items.last_mut().unwrap().push_str(line);
                items
            });
    items.retain(|i| !i.is_empty());
    let rest = format!("{}\u{0}{}", &text[..start], &text[end..]);
    (rest, items)
}

/// Services whose text is the same on both sides are left out of the comparison (a speed-up at
/// thousands of services); the result must be the one of comparing everything. An anchor in
/// either text turns the shortcut off, so the same pair with `&` in a comment is the reference.
#[test]
fn leaving_out_unchanged_services_changes_nothing() {
    let old = archflow::synth::generate(40, 3);
    let (rest, mut items) = service_items(&old);
    let first_container = |item: &str| {
        let at = item.find("        - {name: ").unwrap() + "        - {name: ".len();
        item[at..].split(',').next().unwrap().trim().to_owned()
    };
    // A changed field.
    items[1] = items[1].replacen("    desiredCount: ", "    desiredCount: 1", 1);
    // A container renamed to the name of an unchanged service's container: that container's id
    // in the view becomes qualified although its service's text did not change.
    let taken = first_container(&items[4]);
    let own = first_container(&items[2]);
    items[2] = items[2].replace(&format!("{{name: {own},"), &format!("{{name: {taken},"));
    // A service removed, and one written twice.
    items.remove(5);
    let twice = items[7].clone();
    items.push(twice);
    let new = rest.replace('\u{0}', &items.concat());
    assert_ne!(old, new);
    let fast = compare(&old, &new).0;
    let anchored = |t: &str| format!("{t}# & turns the shortcut off\n");
    let reference = compare(&anchored(&old), &anchored(&new)).0;
    assert_eq!(
        archflow::diff::report::json(&fast),
        archflow::diff::report::json(&reference)
    );
    let kinds: HashSet<Change> = fast.components.iter().map(|c| c.change).collect();
    assert!(kinds.contains(&Change::Changed) && kinds.contains(&Change::Removed));
    assert!(fast.components.len() > 3, "{:?}", components(&fast));
    // Unchanged services on both sides compare as no change at all.
    assert!(compare(&old, &old).0.is_empty());
}

/// `archflow diff` reads the new side beside the old one, copying what did not change rather
/// than reading it again (at 300 services, over the size where it does): both analyses, spans
/// and findings included, must be those of reading each side alone.
#[test]
fn reading_the_new_side_beside_the_old_changes_nothing() {
    let (rest, mut items) = service_items(&archflow::synth::generate(300, 5));
    // A finding in a late service on both sides (a database of two tasks), whose item is copied:
    // an earlier item grows, so its spans must move.
    let db = items
        .iter()
        .rposition(|i| i.contains("role: database"))
        .unwrap();
    items[db] = items[db].replacen("    desiredCount: 1\n", "    desiredCount: 2\n", 1);
    let old = rest.replace('\u{0}', &items.concat());
    items[3] = items[3].replacen(
        "    desiredCount: ",
        "    # by hand\n    desiredCount: 1",
        1,
    );
    items.remove(7);
    let new = edit(
        &rest.replace('\u{0}', &items.concat()),
        "port: 3000,",
        "port: 3001,",
    );
    let (old_source, new_source) = (Source::new("old.yaml", old), Source::new("new.yaml", new));
    let (a, b) = archflow::analyze_both(&old_source, &new_source);
    let (a_alone, b_alone) = (
        archflow::analyze(&old_source),
        archflow::analyze(&new_source),
    );
    let late =
        |d: &archflow::diagnostic::Diagnostic| d.primary.span.start > b.source.text.len() / 2;
    assert!(b.diagnostics.iter().any(late), "{:?}", b.diagnostics);
    for (both, alone) in [(&a, &a_alone), (&b, &b_alone)] {
        assert_eq!(format!("{:?}", both.model), format!("{:?}", alone.model));
        assert_eq!(
            format!("{:?}", both.diagnostics),
            format!("{:?}", alone.diagnostics)
        );
    }
}
