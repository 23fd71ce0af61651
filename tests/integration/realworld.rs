//! The real-world corpus, `tests/fixtures/realworld/`: files from public repositories, kept byte
//! for byte (`SOURCES.md` says where each is from). `MANIFEST.tsv` lists every file with its kind;
//! each kind has its test here, driven by the manifest, so a file added to the manifest is
//! tested and one removed shows in the counts.
//!
//! ECS (`ecs-task-definition`, `ecs-container-definitions`, `ecs-create-service`), each file
//! through the binary: `import ecs FILE` exits 0 and writes a model that loads with no `L` code;
//! `build` exits 0; import → export gives the file's JSON back (without the fields AWS sets;
//! for container definitions alone, the containers; for a `create-service` input without
//! `serviceName` or `taskDefinition`, all but what import named after the file); `drift` against
//! the file finds nothing, and against a copy with one memory value changed (a service's
//! `desiredCount`) finds exactly that. `invalid-json`: import exits 2 at the place and writes
//! nothing.

use std::path::{Path, PathBuf};

use archflow::interop::ecs::export;
use archflow::interop::ecs::wire::{
    ContainerDefinition, CreateService, TaskDefinition, comparable_service,
    comparable_task_definition,
};
use serde_json::{Value, json};

use crate::ecs_round_trip::{register_input, task_definition_round_trip};
use crate::support::{archflow, root, text};

/// The corpus folder.
fn corpus() -> PathBuf {
    root().join("tests/fixtures/realworld")
}

/// One row of `MANIFEST.tsv`.
struct Entry {
    /// Relative to the corpus folder.
    path: String,
    kind: String,
}

impl Entry {
    fn file(&self) -> PathBuf {
        corpus().join(&self.path)
    }

    /// The file name without its extension: what import names a task or service after.
    fn stem(&self) -> String {
        Path::new(&self.path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }
}

/// The rows of `MANIFEST.tsv` (after its header) of the given kinds.
fn manifest(kinds: &[&str]) -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus().join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            Entry {
                path: cols.next().unwrap().to_owned(),
                kind: cols.next().unwrap_or_default().to_owned(),
            }
        })
        .filter(|e| kinds.contains(&e.kind.as_str()))
        .collect()
}

const ECS_KINDS: &[&str] = &[
    "ecs-task-definition",
    "ecs-container-definitions",
    "ecs-create-service",
];

/// The manifest lists every file of `ecs/` and nothing else there, and there are enough of them
/// for the corpus not to shrink unnoticed.
#[test]
fn the_ecs_corpus_is_listed_whole() {
    let listed: Vec<String> = manifest(ECS_KINDS).into_iter().map(|e| e.path).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus().join("ecs"))
        .unwrap()
        .map(|e| format!("ecs/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk, "MANIFEST.tsv and ecs/ differ");
    assert!(listed.len() >= 20, "only {} ECS files", listed.len());
}

#[test]
fn every_ecs_file_imports_builds_round_trips_and_drifts() {
    let entries = manifest(ECS_KINDS);
    let mut failures = Vec::new();
    let mut table =
        vec!["file | import | loads | build | round trip | drift | the one change".to_owned()];
    for entry in &entries {
        let dir = tempfile::tempdir().unwrap();
        let mut row = Vec::new();
        let result = ecs_file(entry, dir.path(), &mut row);
        while row.len() < 6 {
            row.push("-".to_owned());
        }
        table.push(format!("{} | {}", entry.path, row.join(" | ")));
        if let Err(e) = result {
            failures.push(format!("{}: {e}", entry.path));
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

type Step = Result<(), String>;

fn check(ok: bool, what: impl FnOnce() -> String) -> Step {
    if ok { Ok(()) } else { Err(what()) }
}

/// Every step for one ECS file, in `dir`; `row` gets `ok` for each step passed.
fn ecs_file(entry: &Entry, dir: &Path, row: &mut Vec<String>) -> Step {
    let file = entry.file();
    let file_arg = file.display().to_string();
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
        .map_err(|e| format!("not JSON: {e}"))?;

    let out = archflow(dir, &["import", "ecs", &file_arg, "-o", "m.yaml"]);
    check(out.status.code() == Some(0), || {
        format!("import exits {:?}: {}", out.status.code(), text(&out).1)
    })?;
    let yaml = std::fs::read_to_string(dir.join("m.yaml")).map_err(|e| format!("m.yaml: {e}"))?;
    row.push("ok".to_owned());

    let analysis = archflow::analyze(&archflow::source::Source::new("m.yaml", yaml.as_str()));
    let load: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with('L'))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    check(load.is_empty(), || {
        format!("load findings {load:?}\n{yaml}")
    })?;
    let doc = &analysis.model.as_ref().ok_or("no model")?.doc;
    row.push("ok".to_owned());

    let out = archflow(dir, &["build", "m.yaml", "--out-dir", "docs"]);
    check(out.status.code() == Some(0), || {
        format!("build exits {:?}: {}", out.status.code(), text(&out).1)
    })?;
    row.push("ok".to_owned());

    round_trip(entry, dir, &original, doc)?;
    row.push("ok".to_owned());

    let change = drift(entry, dir, &original)?;
    row.push("ok".to_owned());
    row.push(change);
    Ok(())
}

/// Import → export gives the file's JSON back, in the form drift compares.
fn round_trip(
    entry: &Entry,
    dir: &Path,
    original: &Value,
    doc: &archflow::syntax::Document,
) -> Step {
    let exported = export::export(doc);
    if entry.kind == "ecs-create-service" {
        return service_round_trip(entry, original, &exported);
    }
    // Through the binary as well: the file `export ecs` writes is what the library gives.
    let out = archflow(dir, &["export", "ecs", "m.yaml", "-o", "exported"]);
    check(out.status.code() == Some(0), || {
        format!("export exits {:?}: {}", out.status.code(), text(&out).1)
    })?;
    let td = &exported
        .task_definitions
        .first()
        .ok_or("nothing exported")?;
    let written = std::fs::read_to_string(dir.join(format!("exported/{}.json", td.family)))
        .map_err(|e| format!("exported file: {e}"))?;
    check(written == td.json.pretty(), || {
        "export ecs wrote other JSON than the library gives".to_owned()
    })?;
    if entry.kind == "ecs-task-definition" {
        // Import → export, wrapper keys only not imported, export → import → export stable.
        task_definition_round_trip(&entry.path, original, &register_input(original));
        return Ok(());
    }
    // Container definitions alone: the task is named after the file, and the containers are
    // the file's.
    check(td.family == entry.stem(), || {
        format!("family {} is not the file's name", td.family)
    })?;
    let containers: Vec<ContainerDefinition> = match original {
        Value::Array(_) => serde_json::from_value(original.clone()),
        _ => serde_json::from_value(original.clone()).map(|c| vec![c]),
    }
    .map_err(|e| format!("not container definitions: {e}"))?;
    let expected = TaskDefinition {
        family: Some(entry.stem()),
        container_definitions: Some(containers),
        ..TaskDefinition::default()
    };
    let (got, want) = (
        comparable_task_definition(&td.json),
        comparable_task_definition(&expected),
    );
    check(got == want, || {
        format!("import → export differs:\n{got:#}\n---\n{want:#}")
    })
}

/// A `create-service` input: import → export gives it back, but for the `serviceName` and
/// `taskDefinition` import gave it when the file has none (named after the file).
fn service_round_trip(entry: &Entry, original: &Value, exported: &export::Export) -> Step {
    let input: CreateService =
        serde_json::from_value(original.clone()).map_err(|e| format!("not a service: {e}"))?;
    let service = exported.services.first().ok_or("no service exported")?;
    let bad_aws: Vec<_> = exported
        .problems
        .iter()
        .filter(|p| p.message.contains("`aws."))
        .collect();
    check(bad_aws.is_empty(), || {
        format!("export problems {bad_aws:?}")
    })?;
    let mut got = comparable_service(&service.json);
    let want = comparable_service(&input);
    for key in ["serviceName", "taskDefinition"] {
        if want.get(key).is_none() {
            check(got[key] == json!(entry.stem()), || {
                format!("{key} {} is not the file's name", got[key])
            })?;
            got.as_object_mut().unwrap().remove(key);
        }
    }
    check(got == want, || {
        format!("import → export differs:\n{got:#}\n---\n{want:#}")
    })
}

/// `drift` finds nothing against the file, and exactly the one change against a changed copy
/// (named as the file, since import names partial files after themselves). Returns the change's
/// line.
fn drift(entry: &Entry, dir: &Path, original: &Value) -> Result<String, String> {
    let flag = if entry.kind == "ecs-create-service" {
        "--service"
    } else {
        "--task-definition"
    };
    let file_arg = entry.file().display().to_string();
    let out = archflow(dir, &["drift", "m.yaml", flag, &file_arg]);
    let (stdout, stderr) = text(&out);
    check(
        out.status.code() == Some(0) && stdout == "no drift\n",
        || {
            format!(
                "drift against the file exits {:?}: {stdout}{stderr}",
                out.status.code()
            )
        },
    )?;

    let mut changed = original.clone();
    let expected = change_one_value(entry, &mut changed);
    std::fs::create_dir_all(dir.join("changed")).unwrap();
    let copy = dir
        .join("changed")
        .join(Path::new(&entry.path).file_name().unwrap());
    std::fs::write(&copy, serde_json::to_string_pretty(&changed).unwrap()).unwrap();
    let out = archflow(dir, &["drift", "m.yaml", flag, copy.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    check(
        out.status.code() == Some(1) && stdout == format!("{expected}\n1 difference(s)\n"),
        || {
            format!(
                "drift after one change exits {:?}, expected `{expected}`:\n{stdout}{stderr}",
                out.status.code()
            )
        },
    )?;
    Ok(expected)
}

/// Change one value of a file's JSON and return the drift line it must give. Task definitions
/// and container definitions: the first container's `memory`, else its `memoryReservation`,
/// else the task's `memory`, else a `memory` added to the first container. Services: their
/// `desiredCount` (added when there is none).
fn change_one_value(entry: &Entry, value: &mut Value) -> String {
    if entry.kind == "ecs-create-service" {
        let name = value["serviceName"]
            .as_str()
            .map_or_else(|| entry.stem(), str::to_owned);
        let old = value.get("desiredCount").cloned();
        let new = old.as_ref().and_then(Value::as_i64).map_or(3, |n| n + 1);
        value["desiredCount"] = json!(new);
        let old = old.map_or_else(|| "none".to_owned(), |v| v.to_string());
        return format!("service {name}: desiredCount: model {old}, deployed {new}");
    }
    let alone = entry.kind == "ecs-container-definitions";
    let family = if alone {
        entry.stem()
    } else {
        task_of(value)["family"].as_str().unwrap().to_owned()
    };
    let doubled = |v: &Value| match v {
        Value::Number(n) => json!(n.as_u64().unwrap() * 2),
        Value::String(s) => json!((s.parse::<u64>().unwrap() * 2).to_string()),
        other => panic!("{}: a memory value {other}", entry.path),
    };
    let shown = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let container = if alone {
        first_container(value)
    } else {
        let task = task_of(value);
        let container_memory = ["memory", "memoryReservation"]
            .iter()
            .any(|k| task["containerDefinitions"][0].get(*k).is_some());
        if !container_memory && let Some(old) = task.get("memory").cloned() {
            let new = doubled(&old);
            task["memory"] = new.clone();
            return format!(
                "{family}: memory: model {}, deployed {}",
                shown(&old),
                shown(&new)
            );
        }
        &mut task["containerDefinitions"][0]
    };
    let name = container["name"].as_str().unwrap().to_owned();
    for key in ["memory", "memoryReservation"] {
        if let Some(old) = container.get(key).cloned() {
            let new = doubled(&old);
            container[key] = new.clone();
            return format!(
                "{family}/{name}: {key}: model {}, deployed {}",
                shown(&old),
                shown(&new)
            );
        }
    }
    container["memory"] = json!(512);
    format!("{family}/{name}: memory: model none, deployed 512")
}

/// The task definition of a file: its `taskDefinition`, or the file's object itself.
fn task_of(value: &mut Value) -> &mut Value {
    if value.get("taskDefinition").is_some() {
        &mut value["taskDefinition"]
    } else {
        value
    }
}

/// The first container of a file of container definitions (an array, or one object).
fn first_container(value: &mut Value) -> &mut Value {
    if value.is_array() {
        &mut value[0]
    } else {
        value
    }
}

/// A file that is not JSON as published: import says where, exits 2 and writes nothing.
#[test]
fn invalid_json_is_refused_with_its_place() {
    let entries = manifest(&["invalid-json"]);
    assert!(!entries.is_empty());
    for entry in entries {
        let dir = tempfile::tempdir().unwrap();
        let file = entry.file().display().to_string();
        let out = archflow(dir.path(), &["import", "ecs", &file, "-o", "m.yaml"]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", entry.path);
        assert!(stdout.is_empty(), "{stdout}");
        assert!(!dir.path().join("m.yaml").exists(), "{}", entry.path);
        let at = format!("{file}:");
        let rest = stderr
            .lines()
            .find_map(|l| l.strip_prefix(&at))
            .unwrap_or_else(|| panic!("{}: {stderr}", entry.path));
        let (line, rest) = rest.split_once(':').unwrap();
        let (column, message) = rest.split_once(':').unwrap();
        assert!(
            line.parse::<u32>().is_ok() && column.parse::<u32>().is_ok(),
            "{stderr}"
        );
        assert!(
            message.starts_with(" error: invalid JSON"),
            "{}: {stderr}",
            entry.path
        );
    }
}
