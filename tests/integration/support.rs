//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The text of a file under the repository root.
pub fn read(rel: impl AsRef<Path>) -> String {
    std::fs::read_to_string(root().join(rel)).expect("readable fixture")
}

/// Run the built `archflow` binary in `dir` with `args`.
pub fn archflow(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archflow"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("archflow runs")
}

/// Standard output and error as text.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether an external checker is ready. Under CI (`CI` set) a missing one fails the test
/// instead of skipping it, so CI can never pass without checking our output for real.
pub fn tool_ready(what: &str, ready: bool, install_hint: &str) -> bool {
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required under CI: {install_hint}"
        );
        eprintln!("skipping: {what} is not installed ({install_hint})");
    }
    ready
}

/// The browser checkers' folder (`tests/browser`) when Chromium, Node and playwright-core are
/// installed (see [`tool_ready`]).
pub fn browser_checker() -> Option<std::path::PathBuf> {
    let checker = root().join("tests/browser");
    let ready = checker.join("node_modules/playwright-core").is_dir()
        && std::path::Path::new("/usr/bin/chromium").exists()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    tool_ready(
        "Chromium with playwright-core",
        ready,
        "apt-get install chromium; npm ci --prefix tests/browser",
    )
    .then_some(checker)
}

/// Whether Graphviz `dot` is installed (see [`tool_ready`]).
pub fn have_dot() -> bool {
    let ok = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    tool_ready("Graphviz `dot`", ok, "apt-get install graphviz")
}

/// `dot -Tsvg` of `input`: its output (stdin is written from a thread so a large graph cannot
/// deadlock against a full stdout pipe).
pub fn dot_svg(input: &[u8]) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut dot = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dot runs");
    let mut stdin = dot.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = dot.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

/// Validate documents (JSON, or YAML by extension) against a JSON Schema with Python's
/// `jsonschema` (`tests/jsonschema/validate.py`). Returns the validator's report, or `None` when
/// the validator is not installed (see [`tool_ready`]). Panics with the report when a document
/// does not validate.
pub fn validate_json_schema(schema: &Path, documents: &[PathBuf]) -> Option<String> {
    let ready = Command::new("python3")
        .args(["-c", "import jsonschema, yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !tool_ready(
        "Python's jsonschema",
        ready,
        "python3 -m pip install -r tests/jsonschema/requirements.txt",
    ) {
        return None;
    }
    let out = Command::new("python3")
        .arg(root().join("tests/jsonschema/validate.py"))
        .arg(schema)
        .args(documents)
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "schema validation failed:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        documents.len(),
        "{report}"
    );
    Some(report)
}

/// Run a Node.js checker script (`script` then `args` then `files`) that prints `ok FILE` per
/// accepted file and exits non-zero on any failure; assert every file was accepted. `what`
/// names the checker in the failure message. Returns the report.
pub fn run_node_checker(
    script: &Path,
    args: &[&std::ffi::OsStr],
    files: &[PathBuf],
    what: &str,
) -> String {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .args(files)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{report}"
    );
    report
}
