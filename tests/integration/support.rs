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

/// Whether Graphviz `dot` is installed. Under CI (`CI` set) a missing `dot` fails the test
/// instead of skipping it, so CI can never pass without checking DOT for real.
pub fn have_dot() -> bool {
    let ok = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz `dot` is required under CI"
        );
        eprintln!("skipping: Graphviz `dot` is not installed");
    }
    ok
}
