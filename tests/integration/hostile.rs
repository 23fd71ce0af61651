//! Tests: `hostile`. Input written to hurt: alias bombs in new places, a 200 MB file, huge lines
//! and names, control and bidi characters, names that collide once escaped, cycles everywhere,
//! and every scalar of the reference model emptied. Every case: a clear message, the right exit
//! code, a bounded time and no panic. (`bad_input` covers the plain bad inputs.)

use std::fmt::Write as _;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use archflow::source::Source;

use crate::support::{root, text};

/// The most any one run may take, even in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(2);

/// Formats of `render` to run on every model that loads.
const DIAGRAMS: [&str; 5] = ["dot", "mermaid", "svg", "html", "md"];

/// The most memory (peak resident set) any one run may use.
const MEMORY_LIMIT_KB: u64 = 256 * 1024;

/// The child's peak resident set so far (`VmHWM`), in KiB; `None` once it has exited.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `archflow args` in `dir`, polling its peak memory while it runs.
fn archflow_measured(dir: &Path, args: &[&str]) -> (Output, u64) {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_archflow"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("archflow runs");
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            r.read_to_end(&mut buf).unwrap();
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let out = Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    (out, peak)
}

/// Run `archflow args` in `dir`, timed and measured, and check it did not panic, took less than
/// `limit` and stayed under [`MEMORY_LIMIT_KB`].
///
/// A run over the time limit is repeated (up to three runs, the fastest counts), so that a
/// machine busy with other work does not fail the bound while a really slow input fails it
/// every time.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let (out, peak) = archflow_measured(dir, args);
        let took = start.elapsed();
        let done = took < limit;
        runs.push((took, out, peak));
        if done {
            break;
        }
    }
    runs.sort_by_key(|r| r.0);
    let (took, out, peak) = runs.swap_remove(0);
    if std::env::var_os("ARCHFLOW_TEST_VERBOSE").is_some() {
        eprintln!("{took:>10.1?} {peak:>8} KiB  archflow {}", args.join(" "));
    }
    assert!(
        peak < MEMORY_LIMIT_KB,
        "`archflow {}` peaked at {peak} KiB",
        args.join(" ")
    );
    let (stdout, stderr) = text(&out);
    assert!(
        !stderr.contains("panicked") && !stdout.contains("panicked"),
        "`archflow {}` panicked:\n{stderr}",
        args.join(" ")
    );
    assert!(
        took < limit,
        "`archflow {}` took {took:?} (limit {limit:?})",
        args.join(" ")
    );
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_within(dir, args, TIME_LIMIT)
}

/// A temporary folder holding `model.yaml` with `text`.
fn with_model(text: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("model.yaml"), text).unwrap();
    tmp
}

/// Nine anchors, each a flow list of nine aliases of the previous one: `[*a7, *a7, …]`.
fn bomb_lines(indent: &str, first: &str) -> Vec<String> {
    let mut lines = vec![format!(
        "{indent}{first}&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    )];
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        lines.push(format!("{indent}{first}&a{i} [{refs}]"));
    }
    lines
}

fn alias_bombs() -> Vec<(&'static str, String)> {
    let mut actors = String::from("name: bomb\nactors:\n");
    for l in bomb_lines("  ", "- ") {
        writeln!(actors, "{l}").unwrap();
    }
    let mut steps = String::from("name: bomb\nflows:\n  - name: f\n    steps:\n");
    for l in bomb_lines("      ", "- ") {
        writeln!(steps, "{l}").unwrap();
    }
    let mut env = String::from(
        "name: bomb\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n        - name: c\n          image: x\n          environment:\n",
    );
    for l in bomb_lines("            ", "- ") {
        writeln!(env, "{l}").unwrap();
    }
    // A mapping bomb: each environment entry is a mapping whose value aliases the last.
    let mut map = String::from(
        "name: bomb\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n        - name: c\n          image: x\n          environment:\n            - &m0 {name: a, value: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n",
    );
    for i in 1..9 {
        let refs = vec![format!("*m{}", i - 1); 9].join(", ");
        writeln!(map, "            - &m{i} {{name: a, value: [{refs}]}}").unwrap();
    }
    vec![
        ("actors", actors),
        ("flows[].steps", steps),
        ("containerDefinitions[].environment", env),
        ("environment values", map),
    ]
}

#[test]
fn alias_bombs_in_list_fields_are_refused_quickly() {
    for (place, model) in alias_bombs() {
        let tmp = with_model(&model);
        for args in [
            &["check", "model.yaml"][..],
            &["render", "model.yaml", "-f", "svg"],
        ] {
            let out = run(tmp.path(), args);
            let (stdout, stderr) = text(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "[{place}] {args:?}\n{stdout}{stderr}"
            );
            assert!(
                format!("{stdout}{stderr}").contains("error["),
                "[{place}] no message:\n{stdout}{stderr}"
            );
        }
    }
}

#[test]
fn a_200_mb_file_is_refused_by_its_size_without_being_read() {
    let tmp = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(tmp.path().join("model.yaml")).unwrap();
    // Sparse: cheap to create, and reading it would take seconds.
    file.set_len(200 * 1024 * 1024).unwrap();
    drop(file);
    for args in [
        &["check", "model.yaml"][..],
        &["check", "model.yaml", "--format", "json"],
        &["render", "model.yaml", "-f", "dot"],
        &["build", "model.yaml", "--out-dir", "out"],
    ] {
        let out = run_within(tmp.path(), args, Duration::from_millis(500));
        // Reading the file would take 200 MB; refusing it by its size takes next to nothing.
        let (_, peak) = archflow_measured(tmp.path(), args);
        assert!(peak < 64 * 1024, "{args:?} peaked at {peak} KiB");
        let (stdout, stderr) = text(&out);
        let all = format!("{stdout}{stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{all}");
        assert!(all.contains("L007"), "{args:?}\n{all}");
        assert!(all.contains("200 MiB"), "{args:?}\n{all}");
        assert!(all.contains("at most 16 MiB"), "{args:?}\n{all}");
    }
    assert!(!tmp.path().join("out").exists());
}

/// The reference model with its first actor renamed and given another description.
fn reference_with(actor_name: &str, description: &str) -> String {
    let model = std::fs::read_to_string(root().join("architecture.yaml")).unwrap();
    let start = model.find("  - name: user\n").unwrap();
    let end = start + model[start..].find("    connectsTo:").unwrap();
    let model = format!(
        "{}  - name: {actor_name}\n    description: {description}\n{}",
        &model[..start],
        &model[end..]
    );
    model.replace(
        "steps:\n      - from: user",
        &format!("steps:\n      - from: {actor_name}"),
    )
}

#[test]
fn a_10_mb_line_and_a_100_kb_name_are_handled_in_bounded_time() {
    let long_line = reference_with("user", &"x".repeat(10 * 1024 * 1024));
    let long_name = reference_with(&"n".repeat(100 * 1024), "a long name");
    for (what, model) in [("10 MB line", long_line), ("100 KB name", long_name)] {
        assert!(model.len() < 16 * 1024 * 1024);
        let tmp = with_model(&model);
        let out = run(tmp.path(), &["check", "model.yaml"]);
        let (stdout, stderr) = text(&out);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "[{what}] {stdout}{stderr}"
        );
        assert!(stdout.contains("model.yaml:"), "[{what}] {stdout}");
        if out.status.code() == Some(0) {
            for format in DIAGRAMS {
                let out = run_within(
                    tmp.path(),
                    &["render", "model.yaml", "-f", format],
                    Duration::from_secs(10),
                );
                assert_eq!(out.status.code(), Some(0), "[{what}] {format}");
            }
        }
    }
}

/// Names, labels and notes holding an escape sequence, a bell, a bidi override and isolates.
const CONTROL: &str = r#"version: 1
name: "ctl \e[31m red \u202e evil \u2066 iso"
actors:
  - name: "us\u202eer\e[2J"
    label: "lab\u2066el\x07"
    connectsTo: [alb]
  - name: ghost
    connectsTo: ["nowhere\u202e\e[5m"]
loadBalancers:
  - name: alb
    description: "desc \u202e \x1b[1m bold"
    listeners: [{port: 80, protocol: HTTP, defaultActions: [{type: forward, targetGroup: tg}]}]
targetGroups:
  - {name: tg, targetType: ip, healthCheck: {path: /h}}
services:
  - serviceName: "svc\u2067"
    desiredCount: 2
    loadBalancers: [{targetGroup: tg, containerName: "api\u202e", containerPort: 80}]
    taskDefinition:
      family: "fam\e]0;title\x07"
      networkMode: awsvpc
      containerDefinitions:
        - name: "api\u202e"
          label: "A\u2068P\u2069I\x7f"
          image: x
          portMappings: [{containerPort: 80}]
flows:
  - name: "f\u202e"
    steps:
      - {from: "us\u202eer\e[2J", to: alb, action: "GET \u202e", note: "note \e[31m \u2066 \x08"}
"#;

/// The characters no output may show raw: ESC, BEL, DEL, BS, and the bidi controls used.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            matches!(
                c,
                '\u{1b}' | '\u{7}' | '\u{7f}' | '\u{8}' | '\u{202e}' | '\u{2066}'..='\u{2069}'
            )
        })
        .collect()
}

#[test]
fn control_and_bidi_characters_are_shown_safely_in_every_format() {
    let tmp = with_model(CONTROL);
    for format in ["human", "github", "json", "sarif"] {
        let out = run(
            tmp.path(),
            &[
                "check",
                "model.yaml",
                "--format",
                format,
                "--color",
                "never",
            ],
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "[{format}] {stdout}{stderr}");
        match format {
            "json" | "sarif" => {
                let _: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
                // JSON escapes C0 controls; the text is data, so bidi may stay.
                assert!(
                    !stdout.chars().any(|c| c.is_control() && c != '\n'),
                    "[{format}] raw control character"
                );
            }
            _ => {
                assert_eq!(
                    raw_controls(&stdout),
                    Vec::<char>::new(),
                    "[{format}] {stdout}"
                );
                assert!(stdout.contains("<U+202E>"), "[{format}] {stdout}");
                assert!(stdout.contains("<U+001B>"), "[{format}] {stdout}");
            }
        }
    }

    // Without the broken reference the model renders.
    let renderable = CONTROL.replace("\"nowhere\\u202e\\e[5m\"", "alb");
    let tmp = with_model(&renderable);
    let out = run(tmp.path(), &["check", "model.yaml", "--color", "never"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "{stdout}");
    for format in DIAGRAMS.into_iter().chain(["sequence"]) {
        let out = run(tmp.path(), &["render", "model.yaml", "-f", format]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "[{format}] {stderr}");
        assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "[{format}]");
        assert!(stdout.contains("U+20"), "[{format}] bidi not shown as text");
        assert_eq!(
            raw_controls(&stderr),
            Vec::<char>::new(),
            "[{format}] {stderr}"
        );
    }
}

#[test]
fn render_errors_quote_names_safely() {
    let model = format!(
        "{}  - name: \"g\\e[2J\\u2066\"\n    steps:\n      - {{from: ghost, to: alb}}\n",
        CONTROL.replace("\"nowhere\\u202e\\e[5m\"", "alb")
    );
    let tmp = with_model(&model);
    for args in [
        &["render", "model.yaml", "-f", "sequence"][..],
        &["render", "model.yaml", "-f", "sequence", "--flow", "nope"],
        &["render", "model.yaml", "-f", "dot", "--flow", "g"],
    ] {
        let out = run(tmp.path(), args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?} {stdout}{stderr}");
        assert!(stderr.contains("error: "), "{args:?} {stderr}");
        assert_eq!(
            raw_controls(&stderr),
            Vec::<char>::new(),
            "{args:?} {stderr}"
        );
        assert!(stderr.contains("<U+001B>[2J<U+2066>"), "{args:?} {stderr}");
    }
}

/// Node ids in DOT (`"id" [label=…]`), Mermaid (`n_…(…)` / `n_…[…]`) and SVG (`id="af-n…"`).
fn node_ids(format: &str, out: &str) -> std::collections::BTreeSet<String> {
    match format {
        "dot" => out
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('"') && l.contains(" [label=") && !l.contains(" -> "))
            .map(|l| l[..l.find(" [label=").unwrap()].to_owned())
            .collect(),
        "mermaid" => out
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("n_") && !l.contains("-->") && !l.contains("-.->"))
            .map(|l| {
                l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect(),
        _ => out
            .split("id=\"af-n")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_owned())
            .collect(),
    }
}

#[test]
fn names_that_collide_once_escaped_stay_distinct() {
    let names = [
        "a-b", "a_b", "a b", "a.b", "a_b_2", "a/b", "A-B", "n_a_b", "a-b-", "ab",
    ];
    let mut model = String::from("version: 1\nname: collide\nactors:\n");
    for (i, name) in names.iter().enumerate() {
        let next = names[(i + 1) % names.len()];
        writeln!(model, "  - {{name: \"{name}\", connectsTo: [\"{next}\"]}}").unwrap();
    }
    let tmp = with_model(&model);
    for format in ["dot", "mermaid", "svg"] {
        let out = run(tmp.path(), &["render", "model.yaml", "-f", format]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "[{format}] {stderr}");
        let ids = node_ids(format, &stdout);
        assert_eq!(ids.len(), names.len(), "[{format}] {ids:?}\n{stdout}");
    }
}

fn cycles() -> Vec<(&'static str, String, Option<&'static str>)> {
    let task = |containers: &str| {
        format!(
            "version: 1\nname: cyc\nservices:\n  - serviceName: s\n    taskDefinition:\n      family: f\n      containerDefinitions:\n{containers}"
        )
    };
    let c = |name: &str, extra: &str| {
        format!(
            "        - {{name: {name}, image: x, portMappings: [{{containerPort: 80}}]{extra}}}\n"
        )
    };
    vec![
        (
            "dependsOn cycle",
            task(&[
                c("a", ", dependsOn: [{containerName: b, condition: START}]"),
                c("b", ", dependsOn: [{containerName: c, condition: START}]"),
                c("c", ", dependsOn: [{containerName: a, condition: START}]"),
            ]
            .concat()),
            Some("A003"),
        ),
        (
            "dependsOn on itself",
            task(&c("a", ", dependsOn: [{containerName: a, condition: START}]")),
            Some("A003"),
        ),
        (
            "links cycle",
            task(&[c("a", ", links: [b]"), c("b", ", links: [a]")].concat()),
            None,
        ),
        (
            "connectsTo cycle among containers",
            task(&[
                c("a", ", connectsTo: [b]"),
                c("b", ", connectsTo: [c]"),
                c("c", ", connectsTo: [a, c]"),
            ]
            .concat()),
            None,
        ),
        (
            "connectsTo cycle through a load balancer",
            format!(
                "{}loadBalancers:\n  - name: alb\n    listeners: [{{port: 80, protocol: HTTP, defaultActions: [{{type: forward, targetGroup: tg}}]}}]\ntargetGroups:\n  - {{name: tg, targetType: ip}}\nactors:\n  - {{name: u, connectsTo: [alb]}}\n",
                task(&c("a", ", connectsTo: [alb]")).replace(
                    "    taskDefinition:",
                    "    loadBalancers: [{targetGroup: tg, containerName: a, containerPort: 80}]\n    taskDefinition:"
                )
            ),
            None,
        ),
        (
            "flow that loops",
            format!(
                "{}actors:\n  - {{name: u, connectsTo: [a]}}\nflows:\n  - name: loop\n    steps:\n      - {{from: u, to: a}}\n      - {{from: a, to: b}}\n      - {{from: b, to: a}}\n      - {{from: a, to: u}}\n      - {{from: u, to: u}}\n",
                task(&[c("a", ", connectsTo: [b]"), c("b", ", connectsTo: [a]")].concat())
            ),
            None,
        ),
    ]
}

#[test]
fn cycles_anywhere_terminate_with_the_right_findings() {
    for (what, model, code) in cycles() {
        let tmp = with_model(&model);
        let out = run(tmp.path(), &["check", "model.yaml", "--color", "never"]);
        let (stdout, stderr) = text(&out);
        let code_seen = out.status.code();
        assert!(
            matches!(code_seen, Some(0 | 1)),
            "[{what}] exit {code_seen:?}\n{stdout}{stderr}"
        );
        assert!(stdout.contains("model.yaml"), "[{what}] {stdout}");
        if let Some(code) = code {
            assert!(
                stdout.contains(&format!("[{code}]")),
                "[{what}] no {code}:\n{stdout}"
            );
            assert_eq!(code_seen, Some(1), "[{what}]");
        }
        if code_seen == Some(0) {
            for format in DIAGRAMS.into_iter().chain(["sequence"]) {
                let out = run(tmp.path(), &["render", "model.yaml", "-f", format]);
                let (_, stderr) = text(&out);
                assert!(
                    matches!(out.status.code(), Some(0 | 2)),
                    "[{what}] {format}: {stderr}"
                );
            }
        }
    }
}

/// Every variant of the reference model with one `key: value` line's value replaced.
fn emptied_variants() -> Vec<(String, String)> {
    let model = std::fs::read_to_string(root().join("architecture.yaml")).unwrap();
    let lines: Vec<&str> = model.lines().collect();
    let mut variants = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start().trim_start_matches("- ");
        if body.starts_with('#') {
            continue;
        }
        let Some(colon) = line.find(": ") else {
            continue;
        };
        let value = line[colon + 2..].trim();
        if value.is_empty() || value.starts_with('#') {
            continue;
        }
        for empty in ["\"\"", "null", "~", "[]", "{}"] {
            let mut changed = lines.clone();
            let replaced = format!("{}: {empty}", &line[..colon]);
            changed[i] = &replaced;
            let mut text = changed.join("\n");
            text.push('\n');
            // A block scalar's indented body would now be misplaced: that is a YAML error, fine.
            variants.push((format!("line {}: `{line}` -> {empty}", i + 1), text));
        }
    }
    variants
}

#[test]
fn every_scalar_emptied_gives_a_finding_never_a_panic() {
    let variants = emptied_variants();
    assert!(variants.len() > 200, "only {} variants", variants.len());
    let mut failures = Vec::new();
    for (what, model) in &variants {
        let start = Instant::now();
        let source = Source::new("model.yaml".to_owned(), model.clone());
        let result = std::panic::catch_unwind(|| archflow::analyze(&source));
        let took = start.elapsed();
        match result {
            Err(_) => failures.push(format!("{what}: panicked")),
            Ok(analysis) => {
                if took > TIME_LIMIT {
                    failures.push(format!("{what}: took {took:?}"));
                }
                if analysis.failed_to_load() && analysis.diagnostics.is_empty() {
                    failures.push(format!("{what}: not loaded, yet no message"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The binary, on a sample: every 25th variant.
    for (what, model) in variants.iter().step_by(25) {
        let tmp = with_model(model);
        let out = run(tmp.path(), &["check", "model.yaml"]);
        let (stdout, stderr) = text(&out);
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "[{what}] {stdout}{stderr}"
        );
        assert!(
            stdout.contains("model.yaml") || stderr.contains("model.yaml"),
            "[{what}] no message:\n{stdout}{stderr}"
        );
    }
}

#[test]
fn inject_messages_quote_markers_and_flow_names_safely() {
    let model = format!(
        "{}  - name: \"g\\e[2J\\u2066\"\n    steps:\n      - {{from: ghost, to: alb}}\n",
        CONTROL.replace("\"nowhere\\u202e\\e[5m\"", "alb")
    );
    let tmp = with_model(&model);
    let cases = [
        "# R\n<!-- archflow:begin seq\u{1b}[2J\u{202e} -->\n<!-- archflow:end -->\n",
        "# R\n<!-- archflow:begin sequence no\u{1b}[2J -->\n<!-- archflow:end -->\n",
    ];
    for readme in cases {
        std::fs::write(tmp.path().join("README.md"), readme).unwrap();
        let out = run(tmp.path(), &["inject", "README.md", "-m", "model.yaml"]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
        assert!(stderr.contains("<U+001B>[2J"), "{stderr}");
        assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("README.md")).unwrap(),
            readme
        );
    }
    // A block of a flow whose name holds an escape sequence: updated, and reported safely.
    let readme =
        "# R\n<!-- archflow:begin sequence g\u{1b}[2J\u{2066} -->\n<!-- archflow:end -->\n";
    std::fs::write(tmp.path().join("README.md"), readme).unwrap();
    let out = run(tmp.path(), &["inject", "README.md", "-m", "model.yaml"]);
    let (stdout, stderr) = text(&out);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{stdout}{stderr}");
    assert_eq!(raw_controls(&stdout), Vec::<char>::new(), "{stdout}");
    assert_eq!(raw_controls(&stderr), Vec::<char>::new(), "{stderr}");
}
