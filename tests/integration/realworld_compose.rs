//! Tests: every docker-compose file of the real-world corpus (`tests/fixtures/realworld/`,
//! listed in its MANIFEST.tsv, copied byte for byte from public repositories: see SOURCES.md)
//! imports through the binary with exit 0 into a model that loads with no load error, and
//! builds with exit 0. A project's example env file (`example.env`, `.env.example`) is passed
//! with `--env-file`, as its README tells users to; a `.env` is read by default.

use std::path::Path;

use archflow::source::Source;

use crate::support::{archflow, root, text};

/// The corpus files of one kind, from MANIFEST.tsv.
pub fn manifest(kind: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("tests/fixtures/realworld/MANIFEST.tsv"))
        .expect("the corpus has a manifest");
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let path = cols.next()?;
            (cols.next()? == kind).then(|| path.to_owned())
        })
        .collect()
}

#[test]
fn every_compose_file_imports_loads_and_builds() {
    let files = manifest("compose");
    assert!(files.len() >= 12, "the compose corpus shrank: {files:?}");
    let envs = manifest("compose-env");
    let corpus = root().join("tests/fixtures/realworld");
    let out = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for file in &files {
        let path = corpus.join(file);
        let dir = path.parent().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let model = out.path().join(format!("{}.yaml", file.replace('/', "_")));
        let mut args = vec![
            "import".to_owned(),
            "compose".to_owned(),
            name.to_owned(),
            "-o".to_owned(),
            model.display().to_string(),
        ];
        // An example env file beside it (not `.env`, which is read anyway).
        for env in envs
            .iter()
            .filter(|e| Path::new(e).parent() == Path::new(file).parent())
        {
            let env_name = Path::new(env).file_name().unwrap().to_str().unwrap();
            if env_name != ".env" {
                args.extend(["--env-file".to_owned(), env_name.to_owned()]);
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let import = archflow(dir, &args);
        if import.status.code() != Some(0) {
            problems.push(format!(
                "{file}: import exit {:?}: {}",
                import.status.code(),
                text(&import).1
            ));
            continue;
        }
        let yaml = std::fs::read_to_string(&model).unwrap();
        let analysis = archflow::analyze(&Source::new(model.display().to_string(), yaml));
        if let Some(d) = analysis
            .diagnostics
            .iter()
            .find(|d| d.code.starts_with('L'))
        {
            problems.push(format!(
                "{file}: the model does not load: {} {}",
                d.code, d.message
            ));
            continue;
        }
        let built = out.path().join(format!("{}-out", file.replace('/', "_")));
        let built_run = archflow(
            out.path(),
            &[
                "build",
                &model.display().to_string(),
                "--out-dir",
                &built.display().to_string(),
            ],
        );
        if built_run.status.code() != Some(0) {
            problems.push(format!(
                "{file}: build exit {:?}: {}",
                built_run.status.code(),
                text(&built_run).1
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
