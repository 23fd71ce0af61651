//! `archflow build --history`: the evolution page of two and three versions, git revisions,
//! bad input, the reference evolution's pictures, and the pages in a real browser.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use archflow::diff::history::{self, State};
use archflow::diff::{self, picture};
use archflow::source::Source;

use crate::support::{archflow, read, text};

const NEXT: &str = "examples/goals-v2.yaml";

fn analysis(path: &str, text: &str) -> archflow::Analysis {
    archflow::analyze(&Source::new(path, text))
}

/// A third version: the API at five tasks, and the EFS file system renamed.
fn third() -> String {
    let text = read(NEXT);
    assert!(text.contains("desiredCount: 3"));
    text.replacen("desiredCount: 3", "desiredCount: 5", 1)
        .replace(
            "name: Goals API on ECS (version 2)",
            "name: Goals API on ECS (version 3)",
        )
}

/// The ids of the elements of `states` in `state`, by the union's names.
fn named(names: &[String], states: &[State], state: State) -> Vec<String> {
    names
        .iter()
        .zip(states)
        .filter(|(_, s)| **s == state)
        .map(|(n, _)| n.clone())
        .collect()
}

#[test]
fn each_version_marks_what_changed_from_the_one_before() {
    let versions = [
        analysis("architecture.yaml", &read("architecture.yaml")),
        analysis(NEXT, &read(NEXT)),
        analysis("v3.yaml", &third()),
    ];
    let evolution = history::evolve(&versions).unwrap();
    let view = &evolution.view;
    let nodes: Vec<String> = view.nodes.iter().map(|n| n.id.clone()).collect();
    let clusters: Vec<String> = view.clusters.iter().map(|c| c.id.clone()).collect();
    let [v1, v2, v3] = &evolution.versions[..] else {
        panic!("three versions");
    };
    // Version 1: everything it has is plain; the new service is not there yet.
    assert!(v1.nodes.iter().all(|s| *s == State::Same));
    assert_eq!(
        named(&clusters, &v1.clusters, State::Absent),
        ["service:goals-db", "task:goals-db"]
    );
    assert!(v1.diff.is_none());
    // Version 2: the database's service is added; MongoDB moved (one element, kept in place).
    assert_eq!(
        named(&clusters, &v2.clusters, State::Added),
        ["service:goals-db", "task:goals-db"]
    );
    let changed = named(&nodes, &v2.nodes, State::Changed);
    assert!(changed.contains(&"mongodb".to_owned()), "{changed:?}");
    assert!(changed.contains(&"goals-backend".to_owned()), "{changed:?}");
    assert_eq!(nodes.iter().filter(|n| *n == "mongodb").count(), 1);
    // The calls over localhost and the start order are gone in version 2, absent in version 3.
    let edge = |from: &str, label: &str| {
        view.edges
            .iter()
            .position(|e| e.from == from && e.label.as_deref() == Some(label))
            .unwrap()
    };
    let localhost = edge("goals-backend", "localhost:27017");
    assert_eq!(
        (
            v1.edges[localhost],
            v2.edges[localhost],
            v3.edges[localhost]
        ),
        (State::Same, State::Removed, State::Absent)
    );
    let network = edge("goals-backend", "TCP:27017");
    assert_eq!(
        (v1.edges[network], v2.edges[network], v3.edges[network]),
        (State::Absent, State::Added, State::Same)
    );
    // Version 3: only the API's service changed.
    assert_eq!(
        named(&clusters, &v3.clusters, State::Changed),
        ["service:goals"]
    );
    assert!(!v3.nodes.iter().any(|s| *s != State::Same));
    // The service's detail says its tasks in each version.
    let goals = clusters.iter().position(|c| c == "service:goals").unwrap();
    let detail = |v: &history::Version| {
        v.cluster_labels
            .iter()
            .find(|l| l.0 == goals)
            .map_or_else(|| view.clusters[goals].detail.clone(), |l| l.2.clone())
    };
    assert!(detail(v1).unwrap().contains("1 task"), "{:?}", detail(v1));
    assert!(detail(v3).unwrap().contains("5 tasks"), "{:?}", detail(v3));
    // Why: version 2's new decision, and the one it replaces.
    assert_eq!(v2.new_decisions, ["MongoDB runs in a service of its own"]);
    assert_eq!(
        v2.changed_decisions,
        ["An Application Load Balancer in front"]
    );
    assert_eq!(v2.dropped_decisions, ["MongoDB runs in the API's task"]);
    assert!(v3.new_decisions.is_empty() && v3.dropped_decisions.is_empty());
    // The union keeps the layout's invariants.
    crate::fuzz_smoke::targets::check_invariants(
        view,
        &archflow::layout::layout(view, archflow::layout::LayoutOptions::default()),
    );
}

#[test]
fn one_version_is_not_a_history() {
    let one = [analysis("architecture.yaml", &read("architecture.yaml"))];
    assert!(history::evolve(&one).is_err());
}

/// The files a build wrote, by the manifest.
fn manifest(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join(".archflow-build.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The page's data for the script.
fn data(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"hx-data\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn build_history_of_two_versions_writes_one_page_listed_in_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("v1.yaml"), read("architecture.yaml")).unwrap();
    std::fs::write(d.join("v2.yaml"), read(NEXT)).unwrap();
    let out = archflow(
        d,
        &["build", "--history", "v1.yaml", "v2.yaml", "-o", "out"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("wrote out/history.html"), "{stdout}");
    let names = manifest(&d.join("out"));
    assert!(names.contains(&"history.html".to_owned()), "{names:?}");
    // The newest version is built as `build` builds it.
    assert!(names.contains(&"architecture.svg".to_owned()), "{names:?}");
    let svg = std::fs::read_to_string(d.join("out/architecture.svg")).unwrap();
    assert!(svg.contains("goals-db"));
    let page = std::fs::read_to_string(d.join("out/history.html")).unwrap();
    assert_eq!(page.matches("<article class=\"hx-version\"").count(), 2);
    assert!(page.contains("id=\"version-2\""));
    assert!(page.contains("MongoDB runs in a service of its own"));
    assert!(page.contains("new in this version"));
    assert!(page.contains("service goals-db added"), "the diff list");
    assert!(page.contains("desiredCount: 1 → 3"), "the diff list");
    let json = data(&page);
    assert_eq!(json["count"], 2);
    let nodes = json["versions"][1]["nodes"].as_str().unwrap();
    assert!(nodes.contains('c'), "{nodes}");
    assert!(!json["versions"][0]["nodes"].as_str().unwrap().contains('c'));
    // Self-contained: nothing to fetch, a CSP that allows only its own script.
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src &#39;none&#39;;"));
    // The same versions give the same page.
    let again = archflow(
        d,
        &["build", "--history", "v1.yaml", "v2.yaml", "-o", "again"],
    );
    assert!(again.status.success());
    assert_eq!(
        std::fs::read(d.join("out/history.html")).unwrap(),
        std::fs::read(d.join("again/history.html")).unwrap()
    );
    // A plain build into the folder later removes the page it no longer writes.
    let plain = archflow(d, &["build", "v2.yaml", "-o", "out"]);
    assert!(
        text(&plain).0.contains("removed out/history.html"),
        "{}",
        text(&plain).0
    );
}

#[test]
fn build_history_of_three_versions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("v1.yaml"), read("architecture.yaml")).unwrap();
    std::fs::write(d.join("v2.yaml"), read(NEXT)).unwrap();
    std::fs::write(d.join("v3.yaml"), third()).unwrap();
    let out = archflow(
        d,
        &[
            "build",
            "--history",
            "v1.yaml",
            "v2.yaml",
            "v3.yaml",
            "-o",
            "out",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let page = std::fs::read_to_string(d.join("out/history.html")).unwrap();
    assert_eq!(page.matches("<article class=\"hx-version\"").count(), 3);
    assert!(page.contains("What changed from version 2"));
    assert!(page.contains("desiredCount: 3 → 5"));
    assert!(page.contains("Goals API on ECS (version 3)"));
    let json = data(&page);
    assert_eq!(json["versions"].as_array().unwrap().len(), 3);
    let edges = |k: usize| json["versions"][k]["edges"].as_str().unwrap().to_owned();
    // An edge only the first version had: there, removed, then absent.
    let gone = (0..edges(0).len())
        .find(|&i| edges(1).as_bytes()[i] == b'r')
        .unwrap();
    assert_eq!(
        [0, 1, 2].map(|k| edges(k).as_bytes()[gone] as char),
        ['s', 'r', 'x']
    );
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
fn build_history_reads_git_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::write(d.join("architecture.yaml"), read("architecture.yaml")).unwrap();
    git(d, &["add", "architecture.yaml"]);
    git(d, &["commit", "-q", "-m", "first"]);
    std::fs::write(d.join("architecture.yaml"), read(NEXT)).unwrap();
    git(d, &["commit", "-q", "-am", "second"]);
    for versions in [
        &["HEAD~1:architecture.yaml", "HEAD:architecture.yaml"][..],
        &["HEAD~1", "architecture.yaml"],
        &["main~1", "main"],
    ] {
        let mut args = vec!["build", "--history"];
        args.extend(versions);
        args.extend(["-o", "out"]);
        let out = archflow(d, &args);
        assert_eq!(out.status.code(), Some(0), "{versions:?}: {}", text(&out).1);
        let page = std::fs::read_to_string(d.join("out/history.html")).unwrap();
        assert!(
            page.contains(&format!("<code>{}</code>", versions[0])),
            "{versions:?}"
        );
        assert!(page.contains("service goals-db added"), "{versions:?}");
    }
}

#[test]
fn bad_history_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("v1.yaml"), read("architecture.yaml")).unwrap();
    std::fs::write(d.join("v2.yaml"), read(NEXT)).unwrap();
    std::fs::write(d.join("broken.yaml"), "services: [").unwrap();
    let run = |args: &[&str]| {
        let out = archflow(d, args);
        let (stdout, stderr) = text(&out);
        (out.status.code(), stdout, stderr)
    };
    // One version: a usage error.
    let (code, _, err) = run(&["build", "--history", "v1.yaml", "-o", "out"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--history"), "{err}");
    // A file that cannot be read: said, with its name.
    let (code, out, err) = run(&["build", "--history", "v1.yaml", "missing.yaml", "-o", "out"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("missing.yaml") && err.contains("no such file"),
        "{err}"
    );
    assert!(out.is_empty(), "{out}");
    // A version that is not a valid model: its findings.
    let (code, _, err) = run(&["build", "--history", "broken.yaml", "v2.yaml", "-o", "out"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("broken.yaml"), "{err}");
    // A folder as a version.
    std::fs::create_dir(d.join("folder.yaml")).unwrap();
    let (code, _, err) = run(&["build", "--history", "v1.yaml", "folder.yaml", "-o", "out"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("folder.yaml"), "{err}");
    assert!(!d.join("out").exists(), "nothing was written");
    // A revision git does not know.
    let (code, _, err) = run(&["build", "--history", "v1.yaml", "nope:v2.yaml", "-o", "out"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("nope:"), "{err}");
    assert!(!d.join("out").exists(), "nothing was written");
    // A file positional and --history together.
    let (code, _, err) = run(&["build", "v1.yaml", "--history", "v1.yaml", "v2.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    // An earlier build's files stay as they were when a version is bad.
    let (code, _, err) = run(&["build", "v1.yaml", "-o", "out"]);
    assert_eq!(code, Some(0), "{err}");
    let before = std::fs::read(d.join("out/architecture.svg")).unwrap();
    let (code, _, _) = run(&["build", "--history", "v1.yaml", "missing.yaml", "-o", "out"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        std::fs::read(d.join("out/architecture.svg")).unwrap(),
        before
    );
    assert!(!d.join("out/history.html").exists());
    // A version is never written over: one named like the page, in the output folder.
    std::fs::write(d.join("out/history.html"), read(NEXT)).unwrap();
    let (code, _, err) = run(&[
        "build",
        "--history",
        "v1.yaml",
        "out/history.html",
        "-o",
        "out",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("would replace it"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/history.html")).unwrap(),
        read(NEXT)
    );
    // `watch` does not take a history.
    let (code, _, err) = run(&["watch", "--history", "v1.yaml", "v2.yaml"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--history"), "{err}");
}

#[test]
fn hostile_text_stays_text_on_the_page() {
    let hostile = read(NEXT).replace(
        "name: Goals API on ECS (version 2)",
        "name: \"<script>alert(1)</script> v2\"",
    ) + "  - title: \"<img src=x onerror=alert(1)>\"\n    decision: \"<script>alert(2)</script> [x](javascript:alert(3))\"\n";
    let versions = [
        analysis("architecture.yaml", &read("architecture.yaml")),
        analysis("hostile.yaml", &hostile),
    ];
    let evolution = history::evolve(&versions).unwrap();
    let page = history::page(
        &evolution,
        archflow::layout::Direction::LR,
        &std::collections::BTreeMap::new(),
    )
    .unwrap();
    assert!(!page.contains("<script>alert"), "a script from the model");
    assert!(!page.contains("<img"), "markup from the model");
    assert!(
        !page.contains("=\"javascript:"),
        "a script link from the model"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; v2"));
}

fn reference_diff() -> (diff::ModelDiff, diff::Sides) {
    let old = analysis("architecture.yaml", &read("architecture.yaml"));
    let new = analysis(NEXT, &read(NEXT));
    diff::compare(&old, &new).unwrap()
}

/// `docs/evolution.svg`, in the README, is the diff picture of the reference system's two
/// versions as archflow draws it now.
#[test]
fn readme_evolution_svg_is_fresh() {
    let (d, sides) = reference_diff();
    let svg = picture::svg(&picture::union(&d, &sides), archflow::layout::Direction::LR);
    assert_eq!(
        read("docs/evolution.svg"),
        svg,
        "docs/evolution.svg is stale: archflow diff architecture.yaml examples/goals-v2.yaml \
         --format svg -o docs/evolution.svg"
    );
    let readme = read("README.md");
    assert!(readme.contains("](docs/evolution.svg)"));
    assert!(readme.contains("archflow build --history architecture.yaml examples/goals-v2.yaml"));
}

#[test]
fn reference_evolution_picture_snapshot() {
    let (d, sides) = reference_diff();
    insta::assert_snapshot!(
        "reference_evolution_mermaid",
        picture::mermaid(&picture::union(&d, &sides))
    );
    // Each version's marks, element by element.
    let versions = [
        analysis("architecture.yaml", &read("architecture.yaml")),
        analysis(NEXT, &read(NEXT)),
    ];
    let evolution = history::evolve(&versions).unwrap();
    let mut marks = String::new();
    for (k, v) in evolution.versions.iter().enumerate() {
        let _ = writeln!(marks, "version {}", k + 1);
        for (c, s) in evolution.view.clusters.iter().zip(&v.clusters) {
            let _ = writeln!(marks, "  box {} {s:?}", c.id);
        }
        for (n, s) in evolution.view.nodes.iter().zip(&v.nodes) {
            let _ = writeln!(marks, "  node {} {s:?}", n.id);
        }
        for (e, s) in evolution.view.edges.iter().zip(&v.edges) {
            let _ = writeln!(
                marks,
                "  edge {} → {} {} {:?}",
                e.from,
                e.to,
                e.label.as_deref().unwrap_or(""),
                s
            );
        }
    }
    insta::assert_snapshot!("reference_evolution_marks", marks);
}

/// The evolution page (two and three versions) and the diff page, loaded in Debian's Chromium
/// by `tests/browser/history.mjs`: no console error or request, every version stepped through
/// with Next, the arrow keys and the address, each changing the marks, and axe-core clean.
/// Skipped locally when Chromium or playwright-core is missing; under CI that fails.
#[test]
fn browser() {
    let Some(checker) = crate::support::browser_checker() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("v1.yaml"), read("architecture.yaml")).unwrap();
    std::fs::write(d.join("v2.yaml"), read(NEXT)).unwrap();
    std::fs::write(d.join("v3.yaml"), third()).unwrap();
    let out = archflow(
        d,
        &["build", "--history", "v1.yaml", "v2.yaml", "-o", "two"],
    );
    assert!(out.status.success(), "{}", text(&out).1);
    let out = archflow(
        d,
        &[
            "build",
            "--history",
            "v1.yaml",
            "v2.yaml",
            "v3.yaml",
            "-o",
            "three",
        ],
    );
    assert!(out.status.success(), "{}", text(&out).1);
    let out = archflow(
        d,
        &[
            "diff",
            "v1.yaml",
            "v2.yaml",
            "-f",
            "html",
            "-o",
            "diff.html",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out).1);
    let shots =
        std::env::var_os("ARCHFLOW_SCREENSHOTS").map_or_else(|| d.join("screenshots"), Into::into);
    crate::support::run_node_checker(
        &checker.join("history.mjs"),
        &["--screenshots".as_ref(), shots.as_os_str()],
        &[
            d.join("two/history.html"),
            d.join("three/history.html"),
            d.join("diff.html"),
        ],
        "the browser check of the evolution and diff pages",
    );
}
