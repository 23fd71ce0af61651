//! Tests: lifecycle. `init` (a starter model), `watch` (rebuild on save), `completions` and `man`.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::{archflow, read, text};

const MODEL: &str = "architecture.yaml";

#[test]
fn init_writes_a_model_that_checks_with_no_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(tmp.path(), &["init"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("archflow check"), "{stdout}");
    assert!(stdout.contains("archflow build"), "{stdout}");
    let written = std::fs::read_to_string(tmp.path().join(MODEL)).unwrap();
    // The reference model, after a comment saying what to do next.
    assert!(written.ends_with(&read(MODEL)), "{written}");
    assert!(
        written.starts_with("# Written by `archflow init`"),
        "{written}"
    );
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    let check = archflow(tmp.path(), &["check", "--format", "json"]);
    let (stdout, stderr) = text(&check);
    assert_eq!(check.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stdout.contains("\"error\""), "{stdout}");
    let build = archflow(tmp.path(), &["build"]);
    assert_eq!(build.status.code(), Some(0), "{:?}", text(&build));
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(MODEL);
    std::fs::write(&path, "mine\n").unwrap();
    let out = archflow(tmp.path(), &["init"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");

    let out = archflow(tmp.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.ends_with(&read(MODEL)));
}

#[test]
fn init_to_a_named_path_and_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(tmp.path(), &["init", "deploy/model.yaml"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // The next steps name the file, since it is not the default one.
    assert!(
        stdout.contains("archflow check deploy/model.yaml"),
        "{stdout}"
    );
    let written = std::fs::read_to_string(tmp.path().join("deploy/model.yaml")).unwrap();

    let printed = archflow(tmp.path(), &["init", "-"]);
    assert_eq!(printed.status.code(), Some(0));
    assert_eq!(text(&printed).0, written);
}

/// Lines of a child's standard output, as they come.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A running `archflow watch`, killed when dropped (a failed test leaves no process behind).
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    deadline: Instant,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    fn start(dir: &Path, max_rebuilds: u32) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archflow"))
            .args(["watch", "--out-dir", "out", "--max-rebuilds"])
            .arg(max_rebuilds.to_string())
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // Findings go to standard error; not piped, so it can never fill up and block.
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = lines_of(&mut child);
        Self {
            child,
            lines,
            seen: Vec::new(),
            deadline: Instant::now() + Duration::from_secs(20),
        }
    }

    /// Wait for a line starting with `prefix`, failing after the deadline.
    fn expect(&mut self, prefix: &str) -> String {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(e) => panic!("no line `{prefix}…` ({e}); output so far: {:#?}", self.seen),
            }
        }
    }

    /// Wait for the process to end by itself; its exit code.
    fn wait_for_exit(&mut self) -> Option<i32> {
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                Instant::now() < self.deadline,
                "watch did not stop by itself; output: {:#?}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn watch_rebuilds_on_save_and_rename_and_survives_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join(MODEL);
    let reference = read(MODEL);
    assert_eq!(reference.matches("label: API client").count(), 1);
    std::fs::write(&model, &reference).unwrap();
    let mmd = tmp.path().join("out/architecture.mmd");

    let mut watch = Watch::start(tmp.path(), 4);
    let first = watch.expect("rebuilt ");
    // 6 files and 8 of views/.
    assert!(first.contains("14 files"), "{first}");
    watch.expect("watching ");
    assert!(
        std::fs::read_to_string(&mmd)
            .unwrap()
            .contains("API client")
    );

    // 1. A plain save.
    let edited = reference.replace("label: API client", "label: Goals client");
    std::fs::write(&model, &edited).unwrap();
    watch.expect("rebuilt ");
    assert!(
        std::fs::read_to_string(&mmd)
            .unwrap()
            .contains("Goals client")
    );

    // 2. An error finding: nothing is written, the last outputs stay, watching goes on.
    let broken = edited.replacen("sourceVolume: data\n", "sourceVolume: dta\n", 1);
    assert_ne!(broken, edited);
    std::fs::write(&model, &broken).unwrap();
    watch.expect("not rebuilt");
    assert!(
        std::fs::read_to_string(&mmd)
            .unwrap()
            .contains("Goals client")
    );

    // 3. An editor-style save: a temporary file in the same folder, renamed over the model.
    let renamed = reference.replace("label: API client", "label: Mobile app");
    let tmp_file = tmp.path().join(".architecture.yaml.swp");
    std::fs::write(&tmp_file, &renamed).unwrap();
    std::fs::rename(&tmp_file, &model).unwrap();
    watch.expect("rebuilt ");
    let mmd_text = std::fs::read_to_string(&mmd).unwrap();
    assert!(mmd_text.contains("Mobile app"), "{mmd_text}");
    assert!(!mmd_text.contains("Goals client"), "{mmd_text}");

    // 4. A save that changes nothing the outputs show: every file is left as it was.
    let stamp = std::fs::metadata(&mmd).unwrap().modified().unwrap();
    std::fs::write(&model, format!("{renamed}# a comment\n")).unwrap();
    watch.expect("up to date: the outputs in out did not change");
    assert_eq!(std::fs::metadata(&mmd).unwrap().modified().unwrap(), stamp);

    // Four rebuilds after the first build: `--max-rebuilds 4` ends the watch.
    assert_eq!(watch.wait_for_exit(), Some(0), "{:#?}", watch.seen);
}

#[test]
fn watch_refuses_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(tmp.path(), &["watch", "-"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("standard input"), "{stderr}");
}

#[test]
fn completions_for_every_shell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(tmp.path(), &["completions", "bash"]);
    let (script, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(script.contains("archflow"), "{script}");
    for sub in [
        "check",
        "render",
        "build",
        "watch",
        "init",
        "completions",
        "man",
    ] {
        assert!(script.contains(sub), "bash completion lacks `{sub}`");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = archflow(tmp.path(), &["completions", shell]);
        let (script, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{shell}: {stderr}");
        assert!(
            script.contains("archflow") && script.contains("watch"),
            "{shell}"
        );
    }
    let out = archflow(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_prints_roff_and_writes_one_page_per_command() {
    let tmp = tempfile::tempdir().unwrap();
    let out = archflow(tmp.path(), &["man"]);
    let (roff, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // The title macro comes first, after only roff's own setup requests.
    let first_macro = roff
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first_macro.starts_with(".TH archflow 1"), "{roff}");
    assert!(roff.contains("watch"), "{roff}");

    let out = archflow(tmp.path(), &["man", "--out-dir", "man1"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    for page in [
        "archflow.1",
        "archflow-check.1",
        "archflow-watch.1",
        "archflow-init.1",
    ] {
        let text = std::fs::read_to_string(tmp.path().join("man1").join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    // Hidden commands get no page.
    assert!(!tmp.path().join("man1/archflow-generate.1").exists());
}
