//! `archflow export ecs`: each service's task definition as `register-task-definition` JSON.

use std::path::PathBuf;

use clap::Subcommand;

use crate::analyze;
use crate::diagnostic::emit::human;

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

Exit codes:
  0  written
  1  the model has error findings (nothing is written)
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
}

pub(super) fn run(command: &ExportCommand) -> u8 {
    let ExportCommand::Ecs(args) = command;
    let source = match super::read_source(&args.file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let analysis = analyze(&source);
    let Some(model) = &analysis.model else {
        eprint!("{}", human::render(&source, &analysis.diagnostics, false));
        return super::EXIT_USAGE;
    };
    if analysis.has_errors() {
        eprint!("{}", human::render(&source, &analysis.diagnostics, false));
        eprintln!(
            "archflow: {}: {}; nothing was exported",
            source.path,
            human::summary(&analysis.diagnostics)
        );
        return super::EXIT_FINDINGS;
    }
    let exported = crate::interop::ecs::export::ecs(&model.doc);
    let Some(dir) = &args.output else {
        for e in &exported {
            super::print_stdout(&e.json.pretty());
        }
        return super::EXIT_OK;
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create folder `{}`: {e}", dir.display());
        return super::EXIT_USAGE;
    }
    // Families that differ only in characters a file name cannot hold (`web app`, `web_app`)
    // get distinct files, so one task definition never overwrites another.
    let mut used = std::collections::BTreeSet::new();
    for e in &exported {
        let base = crate::pipeline::file_stem(&e.family);
        let mut name = format!("{base}.json");
        let mut k = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}-{k}.json");
            k += 1;
        }
        let path = dir.join(name);
        if let Err(err) = super::output::write_atomic(&path, e.json.pretty().as_bytes()) {
            eprintln!("error: cannot write `{}`: {err}", path.display());
            return super::EXIT_USAGE;
        }
        eprintln!("wrote {}", path.display());
    }
    super::EXIT_OK
}
