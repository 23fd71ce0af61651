//! Tests: cli. Exit codes, the main messages and the files each command writes, on copies of the
//! reference model in temporary folders.

use std::path::{Path, PathBuf};

use crate::support::{archflow, have_dot, read, root, text};

const MODEL: &str = "architecture.yaml";

/// The files `build` writes for the reference model.
const BUILD_FILES: [&str; 6] = [
    "architecture.dot",
    "architecture.html",
    "architecture.md",
    "architecture.mmd",
    "architecture.svg",
    "sequence-store-goal.mmd",
];

/// What `build` writes into `views/` for the reference model: every view, as SVG and Mermaid.
const VIEW_FILES: [&str; 8] = [
    "all.mmd",
    "all.svg",
    "flow-store-goal.mmd",
    "flow-store-goal.svg",
    "overview.mmd",
    "overview.svg",
    "service-goals.mmd",
    "service-goals.svg",
];

/// What a build folder holds: the build's manifest (listed first: `.` sorts before letters),
/// then the files.
fn built_entries() -> Vec<String> {
    std::iter::once(".archflow-build.json")
        .chain(BUILD_FILES)
        .map(str::to_owned)
        .collect()
}

/// The entries of a build folder: the manifest and the files, then `views`.
fn built(out: &Path) -> (Vec<String>, Vec<String>) {
    let mut files = entries(out);
    assert_eq!(files.pop().as_deref(), Some("views"), "{files:?}");
    (files, entries(&out.join("views")))
}

/// A temporary folder holding a copy of the reference model.
fn with_reference_model() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(MODEL), tmp.path().join(MODEL)).unwrap();
    tmp
}

/// The reference model with `sourceVolume: data` changed to `sourceVolume: dta`, and the
/// 1-based line and column of `dta` in it.
fn broken_model() -> (String, usize, usize) {
    let text = read(MODEL);
    let needle = "sourceVolume: data\n";
    assert_eq!(
        text.matches(needle).count(),
        1,
        "the reference model mounts volume `data` once"
    );
    let broken = text.replacen(needle, "sourceVolume: dta\n", 1);
    let offset = broken.find("sourceVolume: dta").unwrap() + "sourceVolume: ".len();
    let before = &broken[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (broken, line, column)
}

/// A temporary folder holding the broken model as `architecture.yaml`.
fn with_broken_model() -> (tempfile::TempDir, usize, usize) {
    let (text, line, column) = broken_model();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(MODEL), text).unwrap();
    (tmp, line, column)
}

/// Names of the entries of a folder, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_no_panic(stdout: &str, stderr: &str) {
    assert!(
        !stdout.contains("panicked") && !stderr.contains("panicked"),
        "{stdout}{stderr}"
    );
}

#[test]
fn check_reference_model_exits_0_with_one_warning() {
    let tmp = with_reference_model();
    let out = archflow(tmp.path(), &["check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("warning[A010]"), "{stdout}");
    assert!(stdout.contains("[single-task-service]"), "{stdout}");
    assert!(
        stdout.ends_with("architecture.yaml: 1 warning, 3 info\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("error["), "{stdout}");

    // The same with the file named explicitly.
    let named = archflow(tmp.path(), &["check", MODEL]);
    assert_eq!(named.status.code(), Some(0));
    assert_eq!(named.stdout, out.stdout);
}

#[test]
fn check_broken_reference_exits_1_at_its_line_and_column() {
    let (tmp, line, column) = with_broken_model();
    let out = archflow(tmp.path(), &["check"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_no_panic(&stdout, &stderr);
    assert!(
        stdout.contains("error[A001]: unknown volume `dta`"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("--> architecture.yaml:{line}:{column}")),
        "expected architecture.yaml:{line}:{column} in:\n{stdout}"
    );
    assert!(stdout.contains("did you mean `data`"), "{stdout}");
    assert!(stdout.contains("architecture.yaml: 1 error"), "{stdout}");
}

#[test]
fn check_json_parses_and_has_the_finding_with_its_position() {
    let (tmp, line, column) = with_broken_model();
    let out = archflow(tmp.path(), &["check", "--format", "json"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(report["file"], MODEL);
    assert_eq!(report["summary"]["errors"], 1);
    let findings = report["diagnostics"].as_array().unwrap();
    let a001: Vec<_> = findings.iter().filter(|d| d["code"] == "A001").collect();
    assert_eq!(a001.len(), 1, "{stdout}");
    let d = a001[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["rule"], "unknown-reference");
    assert_eq!(d["file"], MODEL);
    assert_eq!(d["start"]["line"], line);
    assert_eq!(d["start"]["column"], column);
    assert_eq!(d["end"]["line"], line);
    assert_eq!(d["end"]["column"], column + "dta".len());
    assert!(
        d["help"].as_str().unwrap().contains("did you mean `data`"),
        "{d}"
    );

    // The reference model: valid JSON, no errors, the A010 warning.
    let tmp = with_reference_model();
    let out = archflow(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let a010 = diagnostics
        .iter()
        .find(|d| d["code"] == "A010")
        .expect("A010");
    assert!(a010["start"]["line"].as_u64().unwrap() > 0);
}

#[test]
fn render_each_format_succeeds() {
    let tmp = with_reference_model();
    for (format, first_line) in [
        ("dot", "digraph archflow {"),
        ("mermaid", "flowchart LR"),
        ("sequence", "sequenceDiagram"),
    ] {
        let out = archflow(tmp.path(), &["render", "--format", format]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{format}: {stdout}{stderr}");
        assert_eq!(stdout.lines().next(), Some(first_line), "{format}");
        // Warnings are summed up on stderr, never mixed into the diagram.
        assert!(stderr.contains("1 warning"), "{format}: {stderr}");
        assert!(
            !stdout.contains("(run `archflow check`"),
            "{format}: {stdout}"
        );
    }
    // The default format is Mermaid.
    let default = archflow(tmp.path(), &["render"]);
    let mermaid = archflow(tmp.path(), &["render", "--format", "mermaid"]);
    assert_eq!(default.status.code(), Some(0));
    assert_eq!(default.stdout, mermaid.stdout);
    assert_eq!(entries(tmp.path()), [MODEL]);
}

#[test]
fn render_unknown_flow_exits_2_with_a_suggestion() {
    let tmp = with_reference_model();
    let out = archflow(
        tmp.path(),
        &["render", "--format", "sequence", "--flow", "nope"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no flow named `nope`"), "{stderr}");
    assert!(stderr.contains("flows: store-goal"), "{stderr}");

    let out = archflow(
        tmp.path(),
        &[
            "render",
            "--format",
            "dot",
            "--flow",
            "store-gaol",
            "-o",
            "x.dot",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("did you mean `store-goal`?"), "{stderr}");
    assert_eq!(entries(tmp.path()), [MODEL], "nothing written");
}

#[test]
fn render_sequence_without_flow_draws_the_only_flow() {
    let tmp = with_reference_model();
    let implicit = archflow(tmp.path(), &["render", "--format", "sequence"]);
    let explicit = archflow(
        tmp.path(),
        &["render", "--format", "sequence", "--flow", "store-goal"],
    );
    assert_eq!(implicit.status.code(), Some(0), "{:?}", text(&implicit));
    assert_eq!(explicit.status.code(), Some(0), "{:?}", text(&explicit));
    assert_eq!(implicit.stdout, explicit.stdout);
    assert!(text(&implicit).0.contains("POST /goals"));
}

#[test]
fn render_sequence_needs_flow_when_there_are_several_or_none() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(MODEL),
        "name: x\nactors: [{name: u}]\nflows:\n  - {name: a, steps: []}\n  - {name: b, steps: []}\n",
    )
    .unwrap();
    let out = archflow(tmp.path(), &["render", "--format", "sequence"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("choose one with --flow (a, b)"), "{stderr}");

    std::fs::write(tmp.path().join(MODEL), "name: x\nactors: [{name: u}]\n").unwrap();
    let out = archflow(tmp.path(), &["render", "--format", "sequence"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("the model has no flows"), "{stderr}");
}

#[test]
fn render_output_writes_the_file() {
    let tmp = with_reference_model();
    for format in ["dot", "mermaid", "sequence"] {
        let file = format!("diagram.{format}");
        let out = archflow(tmp.path(), &["render", "--format", format, "-o", &file]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{format}: {stdout}{stderr}");
        assert!(
            stdout.is_empty(),
            "{format}: nothing on stdout, got {stdout}"
        );
        let to_stdout = archflow(tmp.path(), &["render", "--format", format]);
        assert_eq!(
            std::fs::read(tmp.path().join(&file)).unwrap(),
            to_stdout.stdout,
            "{format}: the file holds what stdout would"
        );
    }
    // `--output` overwrites, into a subfolder too.
    std::fs::create_dir(tmp.path().join("docs")).unwrap();
    std::fs::write(tmp.path().join("docs/a.mmd"), "old").unwrap();
    let out = archflow(tmp.path(), &["render", "--output", "docs/a.mmd"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let written = std::fs::read_to_string(tmp.path().join("docs/a.mmd")).unwrap();
    assert!(written.starts_with("flowchart LR"), "{written}");
    // No temporary file is left behind.
    assert_eq!(entries(&tmp.path().join("docs")), ["a.mmd"]);
    assert_eq!(
        entries(tmp.path()),
        [
            MODEL,
            "diagram.dot",
            "diagram.mermaid",
            "diagram.sequence",
            "docs"
        ]
    );
}

#[test]
fn render_output_into_a_folder_exits_2() {
    let tmp = with_reference_model();
    std::fs::create_dir(tmp.path().join("out")).unwrap();
    let out = archflow(tmp.path(), &["render", "-o", "out"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("cannot write `out`"), "{stderr}");
    assert!(entries(&tmp.path().join("out")).is_empty());
}

/// Run `build --out-dir <name>` in `dir` and return the folder.
fn build_into(dir: &Path, name: &str) -> PathBuf {
    let out = archflow(dir, &["build", "--out-dir", name]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // A file that already held its bytes (a build over an earlier one) is left alone, and
    // counted on one line instead.
    let unchanged: usize = stdout
        .lines()
        .find_map(|l| {
            l.strip_suffix(&format!(
                " files in {name} unchanged: they already held this build's bytes"
            ))
        })
        .map_or(0, |n| n.parse().unwrap());
    let missing = BUILD_FILES
        .iter()
        .filter(|file| !stdout.contains(&format!("wrote {name}/{file}")))
        .count();
    assert!(missing <= unchanged, "{stdout}");
    dir.join(name)
}

#[test]
fn build_writes_every_diagram() {
    let tmp = with_reference_model();
    let out = build_into(tmp.path(), "docs/architecture");
    assert_eq!(
        built(&out),
        (built_entries(), VIEW_FILES.map(String::from).to_vec())
    );
    // The default view of a small model is `all`, which architecture.svg draws too.
    assert_eq!(
        std::fs::read(out.join("views/all.svg")).unwrap(),
        std::fs::read(out.join("architecture.svg")).unwrap()
    );
    for (file, format) in [
        ("architecture.dot", "dot"),
        ("architecture.mmd", "mermaid"),
        ("sequence-store-goal.mmd", "sequence"),
        ("architecture.svg", "svg"),
        ("architecture.html", "html"),
    ] {
        let rendered = archflow(tmp.path(), &["render", "--format", format]);
        assert_eq!(
            std::fs::read(out.join(file)).unwrap(),
            rendered.stdout,
            "{file} is what `render --format {format}` prints"
        );
    }
    // Beside architecture.svg, the Markdown page shows it, with the flowchart folded below it:
    // otherwise what `render --format md` prints.
    let md = String::from_utf8(archflow(tmp.path(), &["render", "--format", "md"]).stdout).unwrap();
    let built_md = std::fs::read_to_string(out.join("architecture.md")).unwrap();
    assert!(
        built_md.contains("](architecture.svg)\n\n<details>"),
        "{built_md}"
    );
    assert_eq!(
        built_md
            .replace(
                "<details><summary>The same diagram in Mermaid</summary>\n\n",
                ""
            )
            .replace("```\n\n</details>\n", "```\n")
            .replace(
                "![The architecture of Goals API on ECS](architecture.svg)\n\n",
                ""
            ),
        md
    );
    // The default folder.
    let out = archflow(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert_eq!(built(&tmp.path().join("archflow-out")).0, built_entries());
}

#[test]
fn build_is_deterministic() {
    let tmp = with_reference_model();
    let a = build_into(tmp.path(), "a");
    let b = build_into(tmp.path(), "b");
    // A second run over an existing folder gives the same files too, and leaves them alone.
    let stamp = std::fs::metadata(a.join("architecture.html"))
        .unwrap()
        .modified()
        .unwrap();
    let again = build_into(tmp.path(), "a");
    assert_eq!(
        std::fs::metadata(again.join("architecture.html"))
            .unwrap()
            .modified()
            .unwrap(),
        stamp
    );
    assert_eq!(built(&a).0, built_entries());
    assert_eq!(built(&b).0, built_entries());
    let views = VIEW_FILES.map(|f| format!("views/{f}"));
    for file in BUILD_FILES
        .iter()
        .copied()
        .chain(views.iter().map(String::as_str))
    {
        let bytes = std::fs::read(a.join(file)).unwrap();
        assert!(!bytes.is_empty(), "{file}");
        assert_eq!(bytes, std::fs::read(b.join(file)).unwrap(), "{file}");
        assert_eq!(bytes, std::fs::read(again.join(file)).unwrap(), "{file}");
    }
}

#[test]
fn unresolved_references_stop_render_and_build_and_write_nothing() {
    let (tmp, line, column) = with_broken_model();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("out")).unwrap();
    let kept = "digraph kept { }\n";
    std::fs::write(dir.join("out/architecture.dot"), kept).unwrap();
    std::fs::write(dir.join("existing.mmd"), kept).unwrap();

    for args in [
        &["render", "--format", "dot"][..],
        &["render", "--format", "mermaid", "-o", "new.mmd"],
        &["render", "--format", "sequence", "-o", "existing.mmd"],
        &["build", "--out-dir", "out"],
        &["build", "--out-dir", "fresh"],
    ] {
        let out = archflow(dir, args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
        assert_no_panic(&stdout, &stderr);
        assert!(
            stdout.is_empty(),
            "{args:?}: nothing on stdout, got {stdout}"
        );
        assert!(
            stderr.contains("unknown volume `dta`"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("architecture.yaml:{line}:{column}")),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("architecture.yaml: 1 reference names nothing; nothing was rendered"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(entries(dir), ["architecture.yaml", "existing.mmd", "out"]);
    assert_eq!(entries(&dir.join("out")), ["architecture.dot"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("out/architecture.dot")).unwrap(),
        kept
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("existing.mmd")).unwrap(),
        kept
    );
}

#[test]
fn help_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["render", "--help"],
        &["help", "check"],
    ] {
        let out = archflow(dir.path(), args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stdout.contains("Usage: archflow"), "{args:?}: {stdout}");
        assert!(stdout.contains("Examples:"), "{args:?}: {stdout}");
    }
    let out = archflow(dir.path(), &["build", "--help"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("Usage: archflow build"), "{stdout}");
    assert!(stdout.contains("Examples:"), "{stdout}");
    assert!(stdout.contains("--out-dir docs/architecture"), "{stdout}");
    let out = archflow(dir.path(), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out).0.starts_with("archflow "));
}

#[test]
fn build_help_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(dir.path(), &["build", "--help"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("Examples:"), "{stdout}");
}

#[test]
fn unknown_subcommand_or_flag_exits_2() {
    let tmp = with_reference_model();
    for (args, says) in [
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (&["check", "--frob"], "unexpected argument '--frob'"),
        (&["render", "--format", "jpeg"], "invalid value 'jpeg'"),
        (&["build", "--out"], "unexpected argument '--out'"),
        (
            &["--color", "sometimes", "check"],
            "invalid value 'sometimes'",
        ),
        (&[], "Usage: archflow"),
    ] {
        let out = archflow(tmp.path(), args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_no_panic(&stdout, &stderr);
    }
    assert_eq!(entries(tmp.path()), [MODEL], "nothing written");
}

#[test]
fn render_dot_pipes_into_graphviz() {
    if !have_dot() {
        return;
    }
    let tmp = with_reference_model();
    for extra in [&[][..], &["--flow", "store-goal"]] {
        let mut args = vec!["render", "--format", "dot"];
        args.extend_from_slice(extra);
        let out = archflow(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));

        let svg = crate::support::dot_svg(&out.stdout);
        let (stdout, stderr) = text(&svg);
        assert!(svg.status.success(), "{args:?}: dot failed: {stderr}");
        let start = stdout.trim_start();
        assert!(
            start.starts_with("<?xml") || start.starts_with("<svg"),
            "{args:?}: {}",
            &stdout[..stdout.len().min(200)]
        );
        assert!(stdout.contains("</svg>"), "{args:?}");
    }
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let dir = tempfile::tempdir().unwrap();
    let out = archflow(dir.path(), &["rules"]);
    let (listing, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        listing.lines().count(),
        archflow::check::RULES.len(),
        "{listing}"
    );
    for rule in archflow::check::RULES {
        let line = listing
            .lines()
            .find(|l| l.starts_with(rule.code.id))
            .unwrap_or_else(|| panic!("{} missing:\n{listing}", rule.code.id));
        assert!(
            line.contains(rule.code.name) && line.contains(rule.code.summary),
            "{line}"
        );
        for query in [rule.code.id.to_lowercase(), rule.code.name.to_owned()] {
            let out = archflow(dir.path(), &["explain", &query]);
            assert_eq!(out.status.code(), Some(0), "explain {query}");
            assert_eq!(text(&out).0, rule.doc, "explain {query}");
        }
    }
    let out = archflow(dir.path(), &["explain", "shared-databse-storage"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .1
            .contains("did you mean `shared-database-storage`?"),
        "{:?}",
        text(&out)
    );
}

/// The reference model with an error finding that is not a broken reference: the database's
/// service runs two tasks on one EFS directory (A009).
fn model_with_an_error_finding() -> tempfile::TempDir {
    let text = read(MODEL).replace("desiredCount: 1", "desiredCount: 2");
    let analysis = archflow::analyze(&archflow::source::Source::new(MODEL, text.as_str()));
    assert!(
        analysis.diagnostics.iter().any(|d| d.code == "A009"),
        "A009 fires"
    );
    assert!(analysis.diagnostics.iter().all(|d| d.code != "A001"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(MODEL), text).unwrap();
    tmp
}

#[test]
fn findings_do_not_stop_drawing_and_deny_fails_after_writing() {
    let tmp = model_with_an_error_finding();
    let dir = tmp.path();
    // `check` is the gate.
    assert_eq!(archflow(dir, &["check"]).status.code(), Some(1));
    for (args, file) in [
        (&["render", "--format", "svg", "-o", "a.svg"][..], "a.svg"),
        (&["build", "--out-dir", "out"], "out/architecture.html"),
        (&["export", "ecs", "-o", "ecs"], "ecs/goals.json"),
    ] {
        let out = archflow(dir, args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}{stderr}");
        assert!(dir.join(file).is_file(), "{args:?} wrote {file}");
        // One summary line, not every diagnostic.
        assert!(
            stderr
                .contains("architecture.yaml: 1 error, 3 info (run `archflow check` for details)"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("error[A009]"), "{args:?}: {stderr}");
        std::fs::remove_file(dir.join(file)).unwrap();
        for (deny, code) in [("error", 1), ("warning", 1), ("info", 1)] {
            let mut with = args.to_vec();
            with.extend(["--deny", deny]);
            let out = archflow(dir, &with);
            assert_eq!(out.status.code(), Some(code), "{with:?}: {:?}", text(&out));
            assert!(
                dir.join(file).is_file(),
                "{with:?} wrote {file} before failing"
            );
            std::fs::remove_file(dir.join(file)).unwrap();
        }
    }
    // The reference model itself: no error, so `--deny error` passes.
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join(MODEL), read(MODEL)).unwrap();
    let out = archflow(clean.path(), &["build", "--deny", "error"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let out = archflow(clean.path(), &["build", "--deny", "warning"]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    // inject writes, and --deny fails after.
    let readme = "# R\n\n<!-- archflow:begin findings -->\n<!-- archflow:end -->\n";
    std::fs::write(dir.join("README.md"), readme).unwrap();
    let out = archflow(dir, &["inject", "README.md", "--deny", "error"]);
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let written = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(written.contains("A009"), "{written}");
}
