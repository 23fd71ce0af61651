//! `archflow drift`: compare the model with deployed task definitions (see [`crate::interop::ecs::drift`]).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;

use crate::analyze;
use crate::diagnostic::emit::human;
use crate::interop::ecs::import::{self as ecs, InputFile};

pub const AFTER_HELP: &str = "\
Compares each given task definition (matched by family) with the model's and prints one line per
difference: `family/container: field: model X, deployed Y`. Compared: containers added or
removed, images, ports, mounts, volumes, dependsOn, health checks, environment variable and
secret names (not values), essential, and the task's networkMode, cpu and memory.

Examples:
  aws ecs describe-task-definition --task-definition goals > deployed.json
  archflow drift --task-definition deployed.json
  archflow drift deploy/architecture.yaml --task-definition a.json --task-definition b.json --format json

Exit codes:
  0  no drift
  1  something drifted
  2  bad input: the model or a task definition cannot be read or loaded";

#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The model (`-` reads standard input).
    #[arg(default_value = super::DEFAULT_FILE)]
    pub file: PathBuf,
    /// Deployed task definitions: `describe-task-definition` output or
    /// `register-task-definition` input (repeatable).
    #[arg(long = "task-definition", required = true, value_name = "TASKDEF.json")]
    pub task_definitions: Vec<PathBuf>,
    /// How to print the differences.
    #[arg(long, value_enum, default_value_t = DriftFormat::Human)]
    pub format: DriftFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// One line per difference.
    Human,
    /// `{"drifted": …, "differences": [...], "notCompared": [...]}`.
    Json,
}

pub(super) fn run(args: &DriftArgs) -> u8 {
    let source = match super::read_source(&args.file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let analysis = analyze(&source);
    let Some(model) = &analysis.model else {
        eprint!("{}", human::render(&source, &analysis.diagnostics, false));
        return super::EXIT_USAGE;
    };
    let exported = crate::interop::ecs::export::ecs(&model.doc);
    let mut differences = Vec::new();
    let mut not_compared = Vec::new();
    let mut seen = Vec::new();
    for path in &args.task_definitions {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", path.display());
                return super::EXIT_USAGE;
            }
        };
        let file = InputFile::new(path.display().to_string(), text);
        let deployed = match ecs::read_task_definition(&file) {
            Ok(read) => read.task_definition,
            Err(e) => {
                eprintln!("error: {e}");
                return super::EXIT_USAGE;
            }
        };
        let Some(family) = deployed.family.as_deref() else {
            eprintln!(
                "error: {}: missing required field `family` (expected a task definition)",
                file.path
            );
            return super::EXIT_USAGE;
        };
        if deployed.container_definitions.is_none() {
            eprintln!(
                "error: {}: missing required field `containerDefinitions`",
                file.path
            );
            return super::EXIT_USAGE;
        }
        seen.push(family.to_owned());
        match exported.iter().find(|e| e.family == family) {
            Some(e) => {
                differences.extend(crate::interop::ecs::drift::compare_task_definitions(
                    family, &e.json, &deployed,
                ));
            }
            None => differences.push(crate::interop::ecs::drift::Difference {
                family: family.to_owned(),
                container: None,
                field: "task definition".to_owned(),
                model: None,
                deployed: Some(file.path.clone()),
            }),
        }
    }
    for e in &exported {
        if !seen.contains(&e.family) {
            not_compared.push(e.family.clone());
        }
    }
    match args.format {
        DriftFormat::Json => {
            super::print_stdout(&crate::interop::ecs::drift::to_json(
                &differences,
                &not_compared,
            ));
        }
        DriftFormat::Human => {
            let mut out = String::new();
            for d in &differences {
                out.push_str(&d.line());
                out.push('\n');
            }
            if differences.is_empty() {
                out.push_str("no drift\n");
            } else {
                let _ = writeln!(out, "{} difference(s)", differences.len());
            }
            super::print_stdout(&out);
            for f in &not_compared {
                eprintln!("note: {f}: no deployed task definition given, not compared");
            }
        }
    }
    if differences.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_FINDINGS
    }
}
