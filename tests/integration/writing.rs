//! Tests: `writing`. What archflow promises about the files it writes (README, "Exit codes and
//! safety"): special files are written through, never replaced; symbolic links are followed;
//! modes are kept; no command writes over one of its inputs; a build is one unit that cleans up
//! after itself. Every case runs in a temporary folder: FIFOs, device nodes and links to
//! `/proc/self/fd/1` are made there, never in `/dev`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::{archflow, fixture, root, text};

/// A folder with the reference model as `architecture.yaml`.
fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("architecture.yaml"),
        tmp.path().join("architecture.yaml"),
    )
    .unwrap();
    tmp
}

fn all_text(out: &Output) -> String {
    let (stdout, stderr) = text(out);
    format!("{stdout}{stderr}")
}

/// `archflow render` of the reference model's flowchart, as `render` prints it.
fn flowchart(dir: &Path) -> Vec<u8> {
    let out = archflow(dir, &["render"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
    out.stdout
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `-o` on a FIFO: its reader gets the diagram and the FIFO stays a FIFO (it was replaced by a
/// regular file, and the reader hung).
#[test]
fn a_fifo_output_is_written_through() {
    use std::os::unix::fs::FileTypeExt as _;
    let tmp = project();
    let fifo = tmp.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = archflow(tmp.path(), &["render", "-o", "pipe"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
    assert_eq!(reader.join().unwrap(), flowchart(tmp.path()));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `-o` on a character device (a copy of `/dev/null`, made with `mknod` in a temporary folder;
/// root only): it stays a device (as root, `render -o /dev/null` turned `/dev/null` into an 8 KB
/// regular file).
#[test]
fn a_device_output_stays_a_device() {
    use std::os::unix::fs::FileTypeExt as _;
    let tmp = project();
    let null = tmp.path().join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipping: mknod needs root");
        return;
    }
    set_mode(&null, 0o666);
    for args in [
        &["render", "-f", "svg", "-o", "null"][..],
        &["generate", "--services", "3", "-o", "null"],
        &["build", "--out-dir", "out"],
    ] {
        if args[0] == "build" {
            std::fs::create_dir_all(tmp.path().join("out")).unwrap();
            std::os::unix::fs::symlink("../null", tmp.path().join("out/architecture.svg")).unwrap();
        }
        let out = archflow(tmp.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", all_text(&out));
        let meta = std::fs::metadata(&null).unwrap();
        assert!(meta.file_type().is_char_device(), "{args:?}");
        assert_eq!(meta.len(), 0, "{args:?}");
    }
    assert!(is_symlink(&tmp.path().join("out/architecture.svg")));
}

/// `-o` on a link to standard output (what `/dev/stdout` is) and `-o -`: the output arrives on
/// standard output (it was swallowed: the link was replaced by a file).
#[test]
fn standard_output_by_any_name_gets_the_output() {
    let tmp = project();
    std::os::unix::fs::symlink("/proc/self/fd/1", tmp.path().join("stdout")).unwrap();
    let want = flowchart(tmp.path());
    for target in ["stdout", "-"] {
        let out = archflow(tmp.path(), &["render", "-o", target]);
        assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
        assert_eq!(out.stdout, want, "-o {target}");
    }
    assert!(is_symlink(&tmp.path().join("stdout")));
}

/// A symbolic link as the output: the file it points at is written (also when it does not exist
/// yet), and the link stays a link.
#[test]
fn symlinked_outputs_update_their_target() {
    let tmp = project();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/real.mmd"), "old\n").unwrap();
    std::os::unix::fs::symlink("docs/real.mmd", dir.join("link.mmd")).unwrap();
    std::os::unix::fs::symlink("docs/new.mmd", dir.join("dangling.mmd")).unwrap();
    let want = flowchart(dir);
    for (link, target) in [
        ("link.mmd", "docs/real.mmd"),
        ("dangling.mmd", "docs/new.mmd"),
    ] {
        let out = archflow(dir, &["render", "-o", link]);
        assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
        assert!(is_symlink(&dir.join(link)), "{link} is no longer a link");
        assert_eq!(std::fs::read(dir.join(target)).unwrap(), want, "{target}");
    }
}

/// An existing file keeps its mode (a 0600 file became 0644 after `render -o` or `export`, and
/// exports hold environment values).
#[test]
fn existing_modes_are_kept() {
    let tmp = project();
    let dir = tmp.path();
    std::fs::write(dir.join("private.mmd"), "old\n").unwrap();
    set_mode(&dir.join("private.mmd"), 0o600);
    std::fs::create_dir(dir.join("ecs")).unwrap();
    std::fs::write(dir.join("ecs/goals.json"), "{}\n").unwrap();
    set_mode(&dir.join("ecs/goals.json"), 0o600);
    std::fs::write(
        dir.join("README.md"),
        "<!-- archflow:begin flowchart -->\n<!-- archflow:end -->\n",
    )
    .unwrap();
    set_mode(&dir.join("README.md"), 0o640);
    for args in [
        &["render", "-o", "private.mmd"][..],
        &["export", "ecs", "-o", "ecs"],
        &["inject", "README.md"],
    ] {
        let out = archflow(dir, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", all_text(&out));
    }
    assert_ne!(
        std::fs::read_to_string(dir.join("private.mmd")).unwrap(),
        "old\n"
    );
    assert_eq!(mode(&dir.join("private.mmd")), 0o600);
    assert!(
        std::fs::read_to_string(dir.join("ecs/goals.json"))
            .unwrap()
            .contains("goals-node")
    );
    assert_eq!(mode(&dir.join("ecs/goals.json")), 0o600);
    assert_eq!(mode(&dir.join("README.md")), 0o640);
}

/// No command writes over one of its inputs, by any name (same path, `./`, a symbolic or a hard
/// link): exit 2, a message naming the input, and the input unchanged. (`import compose
/// compose.yaml -o compose.yaml` replaced the compose file; `build --out-dir .` a model named
/// `architecture.md`; `export ecs -o .` a model named `goals.json`.)
#[test]
fn no_command_writes_over_its_inputs() {
    let tmp = project();
    let dir = tmp.path();
    std::fs::copy(
        fixture("compose/multi-service.yml"),
        dir.join("compose.yaml"),
    )
    .unwrap();
    std::fs::copy(fixture("ecs/goals-describe.json"), dir.join("task.json")).unwrap();
    std::fs::copy(dir.join("architecture.yaml"), dir.join("architecture.md")).unwrap();
    std::fs::copy(dir.join("architecture.yaml"), dir.join("goals.json")).unwrap();
    std::fs::hard_link(dir.join("architecture.yaml"), dir.join("hard.mmd")).unwrap();
    std::os::unix::fs::symlink("compose.yaml", dir.join("compose-link.yaml")).unwrap();
    std::fs::create_dir(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/page.html.j2"), "{{ title }}").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["import", "compose", "compose.yaml", "-o", "compose.yaml"],
            "`compose.yaml` is the compose file being imported",
        ),
        (
            &[
                "import",
                "compose",
                "compose.yaml",
                "-o",
                "compose-link.yaml",
            ],
            "`compose-link.yaml` is `compose.yaml`, the compose file being imported",
        ),
        (
            &["import", "ecs", "task.json", "-o", "./task.json"],
            "`./task.json` is `task.json`, a task definition file",
        ),
        (
            &["build", "architecture.md", "--out-dir", "."],
            "`./architecture.md` is the model itself",
        ),
        (
            &["export", "ecs", "goals.json", "-o", "."],
            "`./goals.json` is the model itself",
        ),
        (
            &["render", "-o", "hard.mmd"],
            "`hard.mmd` is the model itself",
        ),
        (
            &[
                "render",
                "-f",
                "html",
                "--templates",
                "templates",
                "-o",
                "templates/page.html.j2",
            ],
            "`templates/page.html.j2` is a template",
        ),
    ];
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    for (args, message) in cases {
        let out = archflow(dir, args);
        let all = all_text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {all}");
        assert!(all.contains(message), "{args:?}: no `{message}` in\n{all}");
        assert!(all.contains("nothing was written"), "{args:?}: {all}");
        for (path, bytes) in &before {
            assert_eq!(
                &std::fs::read(path).unwrap(),
                bytes,
                "{args:?} changed {path:?}"
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("templates/page.html.j2")).unwrap(),
        "{{ title }}"
    );
}

/// The build's files after a build of the reference model with `title` as its name.
fn build_titled(dir: &Path, title: &str, extra: &[&str]) -> Output {
    let model = std::fs::read_to_string(root().join("architecture.yaml"))
        .unwrap()
        .replace("name: Goals API on ECS", &format!("name: {title}"));
    std::fs::write(dir.join("architecture.yaml"), model).unwrap();
    let mut args = vec!["build", "--out-dir", "out"];
    args.extend(extra);
    archflow(dir, &args)
}

/// Every file of a folder with its bytes, sorted.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

/// A write that fails in the middle of a build (here: a file-size limit that the HTML page
/// exceeds, as a full disk would) leaves every file of the previous build, byte for byte, and
/// no temporary file (it left half new, half old outputs).
#[test]
fn a_build_that_fails_midway_leaves_the_previous_build() {
    let tmp = project();
    let dir = tmp.path();
    let out = build_titled(dir, "First", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
    let before = files_of(&dir.join("out"));
    let html = before
        .iter()
        .find(|(n, _)| n == "architecture.html")
        .unwrap();
    let smaller_max = before
        .iter()
        .filter(|(n, _)| n != "architecture.html")
        .map(|(_, b)| b.len())
        .max()
        .unwrap();
    assert!(
        smaller_max < 20 * 1024 && html.1.len() > 40 * 1024,
        "only the HTML page is larger than the limit below"
    );
    let model = std::fs::read_to_string(dir.join("architecture.yaml"))
        .unwrap()
        .replace("name: First", "name: Second");
    std::fs::write(dir.join("architecture.yaml"), model).unwrap();
    // A 40-block limit on file sizes (20 or 40 KiB, as the shell counts blocks); SIGXFSZ ignored,
    // so writing past it fails with EFBIG instead of killing the process.
    let out = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 40; exec \"$0\" build --out-dir out",
            env!("CARGO_BIN_EXE_archflow"),
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    let all = all_text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains("cannot write `out/architecture.html`"),
        "{all}"
    );
    assert!(all.contains("nothing was written"), "{all}");
    assert_eq!(files_of(&dir.join("out")), before, "the outputs changed");
}

/// `build` removes the files of a removed or renamed flow that an earlier build wrote, and only
/// those: a file the user changed since is kept with a note, a foreign file is never touched,
/// and a manifest that names files elsewhere is not followed (it never removed
/// `sequence-<flow>.mmd` of a removed flow).
#[test]
fn build_removes_its_own_stale_files_and_nothing_else() {
    let tmp = project();
    let dir = tmp.path();
    let rename = |from: &str, to: &str| {
        let model = std::fs::read_to_string(dir.join("architecture.yaml"))
            .unwrap()
            .replace(&format!("name: {from}\n"), &format!("name: {to}\n"));
        std::fs::write(dir.join("architecture.yaml"), model).unwrap();
    };
    let build = || {
        let out = archflow(dir, &["build", "--out-dir", "out"]);
        assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
        text(&out)
    };
    build();
    std::fs::write(dir.join("out/sequence-mine.mmd"), "mine\n").unwrap();
    std::fs::write(dir.join("outside.txt"), "outside\n").unwrap();

    rename("store-goal", "save-goal");
    let (stdout, _) = build();
    assert!(
        stdout.contains("removed out/sequence-store-goal.mmd"),
        "{stdout}"
    );
    assert!(!dir.join("out/sequence-store-goal.mmd").exists());
    assert!(dir.join("out/sequence-save-goal.mmd").is_file());
    // The renamed flow's view goes with it.
    assert!(
        stdout.contains("removed out/views/flow-store-goal.svg"),
        "{stdout}"
    );
    assert!(!dir.join("out/views/flow-store-goal.svg").exists());
    assert!(dir.join("out/views/flow-save-goal.svg").is_file());

    // A changed output is kept, with a note.
    std::fs::write(dir.join("out/sequence-save-goal.mmd"), "edited\n").unwrap();
    rename("save-goal", "keep-goal");
    let (_, stderr) = build();
    assert!(
        stderr.contains("note: kept out/sequence-save-goal.mmd"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/sequence-save-goal.mmd")).unwrap(),
        "edited\n"
    );

    // A manifest naming files outside the folder (or foreign files) removes nothing of theirs.
    let manifest = dir.join("out/.archflow-build.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let hash = |bytes: &str| {
        use sha2::Digest as _;
        use std::fmt::Write as _;
        sha2::Sha256::digest(bytes.as_bytes())
            .iter()
            .fold(String::new(), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            })
    };
    let forged = text.replacen(
        "\"files\": [",
        &format!(
            "\"files\": [{{\"name\": \"../outside.txt\", \"sha256\": \"{}\"}}, {{\"name\": \
             \"sequence-mine.mmd\", \"sha256\": \"{}\"}},",
            hash("outside\n"),
            hash("other\n")
        ),
        1,
    );
    std::fs::write(&manifest, forged).unwrap();
    build();
    assert_eq!(
        std::fs::read_to_string(dir.join("outside.txt")).unwrap(),
        "outside\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/sequence-mine.mmd")).unwrap(),
        "mine\n"
    );
    // A manifest that is not one is ignored.
    std::fs::write(&manifest, "not json").unwrap();
    build();
    assert!(dir.join("out/sequence-keep-goal.mmd").is_file());
}

/// `import` never writes a model that `check` would refuse to read: two task definitions of
/// 9 MiB each (each file within the 16 MiB limit) would make a model of more than 16 MiB (it was
/// written, 31 MiB, and `check` then refused it).
#[test]
fn import_refuses_a_model_too_large_to_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let value = "a".repeat(9 * 1024 * 1024);
    for family in ["one", "two"] {
        let json = format!(
            "{{\"family\": \"{family}\", \"containerDefinitions\": [{{\"name\": \"c\", \"image\": \
             \"i\", \"environment\": [{{\"name\": \"BIG\", \"value\": \"{value}\"}}]}}]}}"
        );
        std::fs::write(dir.join(format!("{family}.json")), json).unwrap();
    }
    let out = archflow(
        dir,
        &["import", "ecs", "one.json", "two.json", "-o", "model.yaml"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: the imported model would be 19 MiB, and archflow reads models of at most 16 \
             MiB (`archflow check` would refuse it)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(stdout.is_empty());
    assert!(!dir.join("model.yaml").exists());
}

/// The reference model with its flow renamed.
fn with_flow_named(dir: &Path, name: &str) {
    let model = std::fs::read_to_string(root().join("architecture.yaml"))
        .unwrap()
        .replace("  - name: store-goal\n", &format!("  - name: \"{name}\"\n"));
    std::fs::write(dir.join("architecture.yaml"), model).unwrap();
}

/// A flow name too long for a file name fails `check` (A035) and `build` before anything is
/// written, with the same message (`check` passed it; `build` failed with "File name too long"
/// after 12 of the files were written, leaving a mixed build).
#[test]
fn check_refuses_the_names_build_cannot_write() {
    let tmp = project();
    let dir = tmp.path();
    let out = archflow(dir, &["build", "--out-dir", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
    let before = files_of(&dir.join("out"));
    let long = "a-rather-long-flow-name-".repeat(13);
    assert!(long.len() > 255);
    with_flow_named(dir, &long);
    let check = archflow(dir, &["check", "--color", "never"]);
    let (stdout, _) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stdout}");
    let message = format!(
        "the flow name is {} bytes long as a file name; archflow writes names of at most 200",
        long.len()
    );
    assert!(
        stdout.contains(&format!("error[A035]: {message}")),
        "{stdout}"
    );
    let build = archflow(dir, &["build", "--out-dir", "out"]);
    let all = all_text(&build);
    assert_eq!(build.status.code(), Some(2), "{all}");
    assert!(
        all.contains(&format!("architecture.yaml:144:11: error: {message}")),
        "{all}"
    );
    assert!(all.contains("nothing was written"), "{all}");
    assert_eq!(files_of(&dir.join("out")), before);
}

/// Two flows whose names differ only in case are one file on macOS and Windows: `check` reports
/// it and `build` writes nothing (one sequence diagram overwrote the other there).
#[test]
fn flows_that_differ_only_in_case_are_refused() {
    let tmp = project();
    let dir = tmp.path();
    let model = std::fs::read_to_string(root().join("architecture.yaml")).unwrap();
    // The flow, up to the next top-level key; its twin goes right after it.
    let start = model.find("  - name: store-goal\n").unwrap();
    let end = model[start..]
        .find("\n\n")
        .map_or(model.len(), |i| start + i + 1);
    let twin = model[start..end].replacen("name: store-goal", "name: Store-Goal", 1);
    let (before, after) = model.split_at(end);
    std::fs::write(
        dir.join("architecture.yaml"),
        format!("{before}{twin}{after}"),
    )
    .unwrap();
    let check = archflow(dir, &["check", "--color", "never"]);
    let (stdout, _) = text(&check);
    assert_eq!(check.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "error[A035]: the flows `store-goal` and `Store-Goal` would overwrite each other's file"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "note: `sequence-store-goal.mmd` and `sequence-Store-Goal.mmd` differ only in case"
        ),
        "{stdout}"
    );
    let build = archflow(dir, &["build", "--out-dir", "out"]);
    assert_eq!(build.status.code(), Some(2), "{}", all_text(&build));
    assert!(!dir.join("out").exists());
}

/// Two services that share a `family` but define it differently fail `check` (export wrote one
/// `<family>.json`, and the other service's containers were gone, while `check` passed).
#[test]
fn one_family_defined_twice_differently_fails_check() {
    let tmp = tempfile::tempdir().unwrap();
    let service = |name: &str, image: &str| {
        format!(
            "  - serviceName: {name}\n    desiredCount: 1\n    taskDefinition:\n      family: web\n      \
             memory: 512\n      containerDefinitions:\n        - {{name: app, image: {image}}}\n"
        )
    };
    let model = |second: &str| {
        format!(
            "version: 1\nname: families\nservices:\n{}{}",
            service("one", "image-one"),
            service("two", second)
        )
    };
    std::fs::write(tmp.path().join("differ.yaml"), model("image-two")).unwrap();
    std::fs::write(tmp.path().join("same.yaml"), model("image-one")).unwrap();
    let out = archflow(tmp.path(), &["check", "differ.yaml", "--color", "never"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "error[A035]: services `one` and `two` both define task definition family `web`, \
             differently"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("differ.yaml:14:15"), "{stdout}");
    // Export does not drop one of them: it writes nothing and says why.
    let out = archflow(tmp.path(), &["export", "ecs", "differ.yaml", "-o", "ecs"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "differ.yaml:14:15: error: service `two` defines task definition family `web` \
             differently from an earlier service; one `web.json` cannot hold both"
        ),
        "{stderr}"
    );
    assert!(!tmp.path().join("ecs").exists());
    // The same definition twice is one task definition: nothing is lost.
    let out = archflow(tmp.path(), &["check", "same.yaml", "--color", "never"]);
    let (stdout, _) = text(&out);
    assert!(!stdout.contains("A035"), "{stdout}");
    let out = archflow(tmp.path(), &["export", "ecs", "same.yaml", "-o", "ecs"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
    assert!(tmp.path().join("ecs/web.json").is_file());
}
