//! `archflow export ecs`: each service's task definition as `register-task-definition` JSON.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::Inputs;
use super::{Exit, create_dir, print_stdout};
use crate::error::Error;

pub const AFTER_HELP: &str = "\
Writes DIR/<family>.json for each service's task definition, in the shape
`aws ecs register-task-definition --cli-input-json file://DIR/<family>.json` takes (without -o,
every task definition is printed to standard output, one JSON document after another).

archflow-only fields (role, label, description, connectsTo, dataPath, suppress) are dropped.
Where AWS wants an ARN or id (executionRoleArn, taskRoleArn, fileSystemId, accessPointId) the
model's name is written: replace it with the real ARN or id before registering.

Examples:
  archflow export ecs -o ecs/
  archflow export ecs deploy/architecture.yaml | jq .family

Findings do not stop the export (a one-line summary goes to standard error): `archflow check`
is the gate, or pass --deny. Only a model that does not load, or has references that name
nothing (A001), exports nothing.

Exit codes:
  0  written
  1  references name nothing (nothing is written), or --deny denies a finding (after writing)
  2  the model cannot be read or loaded, or a file cannot be written";

/// What to export to.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// ECS task definitions (`register-task-definition` JSON), one per service.
    #[command(after_help = AFTER_HELP)]
    Ecs(EcsExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct EcsExportArgs {
    /// The model (`-` reads standard input).
    #[arg(default_value = super::DEFAULT_FILE)]
    pub file: PathBuf,
    /// The folder to write `<family>.json` files into (created when missing).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub deny: super::DenyArgs,
}

pub(super) fn run(command: &ExportCommand, color: bool) -> Result<Exit, Error> {
    let ExportCommand::Ecs(args) = command;
    let analysis = match super::analysis_or_exit(&args.file, color, "exported")? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(exit),
    };
    let Some(doc) = analysis.document() else {
        return Ok(Exit::Invalid);
    };
    let files = crate::interop::ecs::export::files(doc);
    let Some(dir) = &args.output else {
        for file in &files {
            print_stdout(&file.text);
        }
        return Ok(args.deny.exit(&analysis));
    };
    let files: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|f| (dir.join(&f.name), f.text.as_bytes()))
        .collect();
    let mut inputs = Inputs::default();
    inputs.add(&args.file, "the model");
    if let Some(why) = files.iter().find_map(|(path, _)| inputs.conflict(path)) {
        return Err(Error::Invalid(why));
    }
    create_dir(dir)?;
    super::output::write_all(&files).map_err(|e| super::build::batch_error(&e))?;
    for (path, _) in &files {
        eprintln!("wrote {}", path.display());
    }
    Ok(args.deny.exit(&analysis))
}
