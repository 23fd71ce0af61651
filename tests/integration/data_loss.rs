//! Tests: `data_loss`. No run loses a file: outputs are written whole or not at all, a failing
//! run leaves every existing output byte for byte, `build` touches only the files it writes, and
//! no temporary file is left behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{archflow, root, text};

/// Every file under `dir` (recursively), by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Temporary files of ours (`.NAME.archflow-PID.tmp`) under `dir`, other than `except`.
fn our_temp_files(dir: &Path, except: &[&str]) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains(".archflow-")
                && p.extension().is_some_and(|e| e == "tmp")
                && !except.contains(&&*name)
        })
        .collect()
}

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

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn all_text(out: &Output) -> String {
    let (stdout, stderr) = text(out);
    format!("{stdout}{stderr}")
}

/// Whether the tests run with permissions that the kernel does not enforce (root).
fn permissions_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).unwrap();
    let ignored = std::fs::write(probe.join("x"), "x").is_ok();
    let _ = std::fs::remove_file(probe.join("x"));
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&probe).unwrap();
    ignored
}

/// Foreign files `build` must leave alone, including names that look like our temporary files.
const FOREIGN: [(&str, &str); 5] = [
    ("notes.txt", "my notes\n"),
    (
        ".architecture.dot.archflow-1.tmp",
        "not ours: another run's name\n",
    ),
    (".architecture.svg.archflow-99999.tmp", "not ours either\n"),
    ("architecture.old.svg", "<svg/>"),
    ("sub/keep.md", "# keep\n"),
];

#[test]
fn build_keeps_files_it_did_not_write_and_leaves_no_temp_file() {
    let tmp = project();
    let out_dir = tmp.path().join("out");
    for (name, body) in FOREIGN {
        let path = out_dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    // Twice: into a folder with foreign files, then over its own outputs.
    for round in 0..2 {
        let out = archflow(tmp.path(), &["build", "--out-dir", "out"]);
        assert_eq!(code(&out), Some(0), "{}", all_text(&out));
        let files = snapshot(&out_dir);
        for (name, body) in FOREIGN {
            assert_eq!(
                files.get(Path::new(name)).map(Vec::as_slice),
                Some(body.as_bytes()),
                "`{name}` was changed or deleted"
            );
        }
        let (stdout, _) = text(&out);
        let wrote = stdout.lines().filter(|l| l.starts_with("wrote ")).count();
        // The second build writes the same bytes: it leaves every file as it was, and says so.
        let unchanged: usize = stdout
            .lines()
            .find_map(|l| {
                l.strip_suffix(" files in out unchanged: they already held this build's bytes")
            })
            .map_or(0, |n| n.parse().unwrap());
        if round == 0 {
            assert_eq!(unchanged, 0, "{stdout}");
        } else {
            assert_eq!(wrote, 0, "{stdout}");
        }
        let written = wrote + unchanged;
        // Plus the build's manifest, which lists what it wrote (and nothing foreign).
        assert_eq!(files.len(), FOREIGN.len() + written + 1, "{files:?}");
        let manifest = String::from_utf8(files[Path::new(".archflow-build.json")].clone()).unwrap();
        for (name, _) in FOREIGN {
            assert!(!manifest.contains(name), "{manifest}");
        }
        let foreign: Vec<&str> = FOREIGN.iter().map(|(n, _)| *n).collect();
        assert!(our_temp_files(&out_dir, &foreign).is_empty());
    }
}

#[test]
fn a_missing_build_folder_is_created_a_missing_render_folder_is_an_error() {
    let tmp = project();
    let out = archflow(tmp.path(), &["build", "--out-dir", "a/b/c"]);
    assert_eq!(code(&out), Some(0), "{}", all_text(&out));
    assert!(tmp.path().join("a/b/c/architecture.svg").is_file());
    // `render -o` does not create folders (only `build --out-dir` is documented to): a clear
    // error, and nothing written.
    let out = archflow(tmp.path(), &["render", "-o", "x/y/diagram.mmd"]);
    let all = all_text(&out);
    assert_eq!(code(&out), Some(2), "{all}");
    assert!(all.contains("cannot write `x/y/diagram.mmd`"), "{all}");
    assert!(!tmp.path().join("x").exists());
}

/// Ways to make a run fail after a good build: each leaves every output as it was.
fn failing_runs(dir: &Path) -> Vec<(&'static str, Vec<&'static str>)> {
    std::fs::write(
        dir.join("errors.yaml"),
        "version: 1\nname: x\nactors:\n  - {name: a, connectsTo: [nowhere]}\n",
    )
    .unwrap();
    std::fs::write(dir.join("broken.yaml"), "name: x\nactors: [\n").unwrap();
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("templates/page.html.j2"), "{% if %}").unwrap();
    std::fs::create_dir_all(dir.join("badtemplates")).unwrap();
    std::fs::write(
        dir.join("badtemplates/component.html.j2"),
        "{{ missing.field.deeper }}",
    )
    .unwrap();
    vec![
        (
            "model with errors",
            vec!["build", "errors.yaml", "--out-dir", "out"],
        ),
        (
            "invalid YAML",
            vec!["build", "broken.yaml", "--out-dir", "out"],
        ),
        (
            "template syntax error",
            vec!["build", "--out-dir", "out", "--templates", "templates"],
        ),
        (
            "template runtime error",
            vec!["build", "--out-dir", "out", "--templates", "badtemplates"],
        ),
        (
            "missing templates folder",
            vec!["build", "--out-dir", "out", "--templates", "nope"],
        ),
        (
            "render with errors",
            vec!["render", "errors.yaml", "-o", "out/architecture.mmd"],
        ),
        (
            "render bad template",
            vec![
                "render",
                "-f",
                "html",
                "-o",
                "out/architecture.html",
                "--templates",
                "templates",
            ],
        ),
        (
            "render unknown flow",
            vec![
                "render",
                "-f",
                "sequence",
                "--flow",
                "nope",
                "-o",
                "out/architecture.mmd",
            ],
        ),
    ]
}

#[test]
fn failing_runs_leave_existing_outputs_byte_for_byte() {
    let tmp = project();
    let out = archflow(tmp.path(), &["build", "--out-dir", "out"]);
    assert_eq!(code(&out), Some(0), "{}", all_text(&out));
    let before = snapshot(&tmp.path().join("out"));
    for (what, args) in failing_runs(tmp.path()) {
        let out = archflow(tmp.path(), &args);
        let all = all_text(&out);
        assert!(
            matches!(code(&out), Some(1 | 2)),
            "[{what}] exit {:?}\n{all}",
            code(&out)
        );
        assert!(all.contains("error"), "[{what}] no message:\n{all}");
        assert!(!all.contains("panicked"), "[{what}] {all}");
        assert_eq!(
            snapshot(&tmp.path().join("out")),
            before,
            "[{what}] outputs changed"
        );
    }
}

#[test]
fn an_output_folder_that_cannot_be_created_is_a_clear_error() {
    let tmp = project();
    std::fs::write(tmp.path().join("file"), "a file, not a folder\n").unwrap();
    for (args, want) in [
        (
            &["build", "--out-dir", "file/out"][..],
            "cannot create folder `file/out`",
        ),
        (&["render", "-o", "file/a.mmd"], "cannot write `file/a.mmd`"),
        (
            &["build", "--out-dir", "/proc/archflow-out"],
            "cannot create folder `/proc/archflow-out`",
        ),
        (
            &["render", "-o", "/proc/archflow.mmd"],
            "cannot write `/proc/archflow.mmd`",
        ),
        (
            &["generate", "--services", "2", "-o", "file/m.yaml"],
            "cannot write `file/m.yaml`",
        ),
        (&["init", "file/architecture.yaml"], "cannot write"),
    ] {
        let out = archflow(tmp.path(), args);
        let all = all_text(&out);
        assert_eq!(code(&out), Some(2), "{args:?}\n{all}");
        assert!(all.contains(want), "{args:?}: no `{want}` in\n{all}");
        assert!(!all.contains("panicked"), "{all}");
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("file")).unwrap(),
        "a file, not a folder\n"
    );
    assert!(our_temp_files(tmp.path(), &[]).is_empty());
}

#[test]
fn a_read_only_output_folder_is_a_clear_error_and_keeps_its_files() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = project();
    let out = archflow(tmp.path(), &["build", "--out-dir", "out"]);
    assert_eq!(code(&out), Some(0), "{}", all_text(&out));
    let before = snapshot(&tmp.path().join("out"));
    if permissions_ignored(tmp.path()) {
        // Root writes anywhere: `an_output_folder_that_cannot_be_created_is_a_clear_error` and
        // `a_failed_rename_keeps_the_old_file_and_removes_the_temp_file` stand in.
        eprintln!("skipping the chmod part: permissions are not enforced (root)");
        return;
    }
    let out_dir = tmp.path().join("out");
    std::fs::set_permissions(&out_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::write(
        tmp.path().join("architecture.yaml"),
        std::fs::read_to_string(tmp.path().join("architecture.yaml"))
            .unwrap()
            .replace("name: Goals API on ECS", "name: Changed"),
    )
    .unwrap();
    let out = archflow(tmp.path(), &["build", "--out-dir", "out"]);
    let all = all_text(&out);
    std::fs::set_permissions(&out_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code(&out), Some(2), "{all}");
    assert!(all.contains("cannot write"), "{all}");
    assert!(
        all.contains("permission denied") || all.contains("Permission denied"),
        "{all}"
    );
    assert_eq!(snapshot(&out_dir), before);
}

#[test]
fn a_failed_rename_keeps_the_old_file_and_removes_the_temp_file() {
    let tmp = project();
    let out_dir = tmp.path().join("out");
    // `architecture.svg` is a non-empty folder: nothing can be renamed over it.
    std::fs::create_dir_all(out_dir.join("architecture.svg")).unwrap();
    std::fs::write(out_dir.join("architecture.svg/inside.txt"), "still here\n").unwrap();
    let out = archflow(tmp.path(), &["build", "--out-dir", "out"]);
    let all = all_text(&out);
    assert_eq!(code(&out), Some(2), "{all}");
    assert!(all.contains("cannot write `out/architecture.svg`"), "{all}");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("architecture.svg/inside.txt")).unwrap(),
        "still here\n"
    );
    assert!(our_temp_files(tmp.path(), &[]).is_empty(), "temp file left");

    for args in [
        &["render", "-o", "out/architecture.svg"][..],
        &["generate", "--services", "1", "-o", "out/architecture.svg"],
        &["init", "--force", "out/architecture.svg"],
    ] {
        let out = archflow(tmp.path(), args);
        let all = all_text(&out);
        assert_eq!(code(&out), Some(2), "{args:?}\n{all}");
        assert!(all.contains("out/architecture.svg"), "{args:?}\n{all}");
        assert_eq!(
            std::fs::read_to_string(out_dir.join("architecture.svg/inside.txt")).unwrap(),
            "still here\n"
        );
        assert!(
            our_temp_files(tmp.path(), &[]).is_empty(),
            "{args:?}: temp file left"
        );
    }
}

#[test]
fn commands_that_refuse_leave_the_file_alone() {
    let tmp = project();
    let model = std::fs::read(tmp.path().join("architecture.yaml")).unwrap();
    // `init` without --force.
    let out = archflow(tmp.path(), &["init"]);
    assert_eq!(code(&out), Some(2), "{}", all_text(&out));
    assert_eq!(
        std::fs::read(tmp.path().join("architecture.yaml")).unwrap(),
        model
    );

    // `inject` with a model that has errors, and with a file that is not UTF-8.
    let readme = "# R\n\n<!-- archflow:begin flowchart -->\nold\n<!-- archflow:end -->\n";
    std::fs::write(tmp.path().join("README.md"), readme).unwrap();
    std::fs::write(
        tmp.path().join("errors.yaml"),
        "version: 1\nname: x\nactors:\n  - {name: a, connectsTo: [nowhere]}\n",
    )
    .unwrap();
    let out = archflow(tmp.path(), &["inject", "README.md", "-m", "errors.yaml"]);
    assert!(matches!(code(&out), Some(1 | 2)), "{}", all_text(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("README.md")).unwrap(),
        readme
    );
    let latin1 = b"# caf\xe9\n<!-- archflow:begin flowchart -->\n<!-- archflow:end -->\n";
    std::fs::write(tmp.path().join("LATIN1.md"), latin1).unwrap();
    let out = archflow(tmp.path(), &["inject", "LATIN1.md"]);
    assert_eq!(code(&out), Some(2), "{}", all_text(&out));
    assert_eq!(std::fs::read(tmp.path().join("LATIN1.md")).unwrap(), latin1);

    // `import compose` of a broken file over an existing output.
    std::fs::write(tmp.path().join("docker-compose.yml"), "services: [\n").unwrap();
    std::fs::write(tmp.path().join("out.yaml"), "kept\n").unwrap();
    let out = archflow(
        tmp.path(),
        &["import", "compose", "docker-compose.yml", "-o", "out.yaml"],
    );
    assert_eq!(code(&out), Some(2), "{}", all_text(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out.yaml")).unwrap(),
        "kept\n"
    );
    assert!(our_temp_files(tmp.path(), &[]).is_empty());
}

#[test]
fn a_killed_write_leaves_the_old_file_or_the_new_one_never_a_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let old = b"the old file\n".to_vec();
    // The whole new file, for comparison.
    let full = archflow(dir, &["generate", "--services", "20000"]).stdout;
    assert!(full.len() > 10_000_000);
    for delay_ms in [0u64, 5, 10, 20, 40, 60, 80, 120, 200] {
        std::fs::write(dir.join("big.yaml"), &old).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_archflow"))
            .args(["generate", "--services", "20000", "-o", "big.yaml"])
            .current_dir(dir)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(dir.join("big.yaml")).unwrap();
        assert!(
            now == old || now == full,
            "killed after {delay_ms} ms: `big.yaml` is {} bytes, neither old nor new",
            now.len()
        );
        // A killed process cannot clean up; its temporary file, if any, is the only debris.
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name == "big.yaml"
                    || (name.starts_with(".big.yaml.archflow-")
                        && Path::new(&name).extension().is_some_and(|e| e == "tmp")),
                "unexpected `{name}`"
            );
            if name != "big.yaml" {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
        }
    }
}

#[test]
fn export_never_writes_two_task_definitions_to_one_file() {
    let tmp = tempfile::tempdir().unwrap();
    let service = |name: &str, family: &str, image: &str| {
        format!(
            "  - serviceName: {name}\n    desiredCount: 1\n    taskDefinition:\n      family: \"{family}\"\n      \
             networkMode: awsvpc\n      memory: \"512\"\n      containerDefinitions:\n        \
             - {{name: {name}-c, image: {image}}}\n"
        )
    };
    let model = format!(
        "version: 1\nname: families\nservices:\n{}{}{}",
        service("one", "web app", "image-one"),
        service("two", "web_app", "image-two"),
        service("three", "web/app", "image-three"),
    );
    std::fs::write(tmp.path().join("model.yaml"), model).unwrap();
    let out = archflow(tmp.path(), &["export", "ecs", "model.yaml", "-o", "ecs"]);
    let all = all_text(&out);
    assert_eq!(code(&out), Some(0), "{all}");
    let files = snapshot(&tmp.path().join("ecs"));
    // Three task definitions and three services (`one.service.json`, …).
    assert_eq!(files.len(), 6, "{all}\n{:?}", files.keys());
    for image in ["image-one", "image-two", "image-three"] {
        let holding = files
            .values()
            .filter(|b| String::from_utf8_lossy(b).contains(&format!("\"{image}\"")))
            .count();
        assert_eq!(holding, 1, "`{image}` is in {holding} files");
    }
    let wrote: std::collections::BTreeSet<&str> =
        all.lines().filter(|l| l.starts_with("wrote ")).collect();
    assert_eq!(wrote.len(), 6, "{all}");

    // A model with errors exports nothing and leaves the files as they were.
    std::fs::write(
        tmp.path().join("errors.yaml"),
        "version: 1\nname: x\nactors:\n  - {name: a, connectsTo: [nowhere]}\n",
    )
    .unwrap();
    let out = archflow(tmp.path(), &["export", "ecs", "errors.yaml", "-o", "ecs"]);
    assert_eq!(code(&out), Some(1), "{}", all_text(&out));
    assert_eq!(snapshot(&tmp.path().join("ecs")), files);
    assert!(our_temp_files(tmp.path(), &[]).is_empty());
}

#[test]
fn render_refuses_to_write_over_its_own_model() {
    let tmp = project();
    let model = std::fs::read(tmp.path().join("architecture.yaml")).unwrap();
    std::os::unix::fs::symlink("architecture.yaml", tmp.path().join("link.yaml")).unwrap();
    for args in [
        &["render", "-o", "architecture.yaml"][..],
        &["render", "architecture.yaml", "-o", "./architecture.yaml"],
        &[
            "render",
            "link.yaml",
            "-f",
            "svg",
            "-o",
            "architecture.yaml",
        ],
        &["render", "architecture.yaml", "-o", "link.yaml"],
    ] {
        let out = archflow(tmp.path(), args);
        let all = all_text(&out);
        assert_eq!(code(&out), Some(2), "{args:?}\n{all}");
        assert!(all.contains("is the model itself"), "{args:?}\n{all}");
        assert_eq!(
            std::fs::read(tmp.path().join("architecture.yaml")).unwrap(),
            model,
            "{args:?}"
        );
    }
    assert!(our_temp_files(tmp.path(), &[]).is_empty());
}
