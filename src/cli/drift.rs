//! `archflow drift`: compare the model with deployed task definitions (see [`crate::interop::ecs::drift`]).

use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, print_stdout, read};
use crate::error::Error;
use crate::interop::ecs::drift;
use crate::interop::ecs::import::InputFile;

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

pub(super) fn run(args: &DriftArgs, color: bool) -> Result<Exit, Error> {
    let analysis = match super::load_model(&args.file, color)? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(exit),
    };
    let Some(doc) = analysis.document() else {
        return Ok(Exit::Invalid);
    };
    let deployed = args
        .task_definitions
        .iter()
        .map(|path| {
            let source = read::read_input(path)?;
            let file = InputFile::new(source.path, source.text);
            Ok(drift::read_deployed(&file)?)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let report = drift::report(doc, &deployed);
    match args.format {
        DriftFormat::Json => print_stdout(&report.json()),
        DriftFormat::Human => {
            print_stdout(&report.human());
            for f in &report.not_compared {
                eprintln!("note: {f}: no deployed task definition given, not compared");
            }
        }
    }
    Ok(if report.differences.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
