//! `archflow export ecs`: each service's task definition as `register-task-definition` JSON and
//! each service as `create-service` JSON (see [`crate::interop::ecs::export`]).

use std::path::PathBuf;

use clap::Subcommand;

use super::output::{Inputs, Outcome};
use super::{Exit, create_dir, print_stdout};
use crate::error::{Error, Located};
use crate::interop::ecs::export as ecs;

pub const AFTER_HELP: &str = "\
Writes, in DIR:
  <family>.json           each service's task definition: the input of
                          aws ecs register-task-definition --cli-input-json file://…
  <service>.service.json  each service: the input of
                          aws ecs create-service --cli-input-json file://…
                          (cluster, taskDefinition by family, loadBalancers, desiredCount,
                          launch type or capacity providers, deployment and network
                          configuration)
Without -o, the same documents are printed to standard output, one after another: the task
definitions first, then the services.

Every field the model has is written as it is, with each item's `aws:` (the AWS fields archflow
does not model) merged back in; nothing is added, and archflow-only fields (role, label,
description, connectsTo, dataPath, suppress) are dropped. Where AWS wants an identity, the
model's is written (targetGroupArn, fileSystemId, accessPointId, clusterArn); without one, the
item's name is written and a note says so.

What AWS needs and the model leaves out is not made up: the model is not exported, and the error
says where. That is a task definition without containers, a Fargate one without the task's `cpu`
and `memory`, one without memory at either level (the task's `memory`, or each container's
`memory` or `memoryReservation`), a service without `desiredCount` (unless
`aws: {schedulingStrategy: DAEMON}`), and an `aws:` value of a type AWS does not take there.

Examples:
  archflow export ecs -o ecs/
  archflow export ecs deploy/architecture.yaml | jq -r '.family // .serviceName'

Findings do not stop the export (a one-line summary goes to standard error): `archflow check`
is the gate, or pass --deny. Only a model that does not load, or has references that name
nothing (A001), exports nothing.

Exit codes:
  0  written
  1  references name nothing (nothing is written), or --deny denies a finding (after writing)
  2  the model cannot be read, loaded or exported as it is, or a file cannot be written";

/// What to export to.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// ECS task definitions and services (`register-task-definition` and `create-service`
    /// JSON).
    #[command(after_help = AFTER_HELP)]
    Ecs(EcsExportArgs),
}

#[derive(Debug, clap::Args)]
pub struct EcsExportArgs {
    /// The model (`-` reads standard input).
    #[arg(default_value = super::DEFAULT_FILE)]
    pub file: PathBuf,
    /// The folder to write `<family>.json` and `<service>.service.json` files into (created when
    /// missing).
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
    let source = &analysis.source;
    let exported = ecs::export(doc);
    if !exported.problems.is_empty() {
        let problems = exported
            .problems
            .iter()
            .map(|p| {
                let at = source.line_col(p.span.start);
                Located::new(&source.path, at.line, at.column, &p.message).with_help(&p.help)
            })
            .collect();
        return Err(Error::Input(problems).nothing_written());
    }
    let notes = exported
        .task_definitions
        .iter()
        .flat_map(|t| &t.stand_ins)
        .chain(exported.services.iter().flat_map(|s| &s.stand_ins))
        .filter_map(|s| s.note.as_deref());
    for note in notes {
        eprintln!("note: {note}");
    }
    let files = ecs::files(doc);
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
    let outcomes = super::output::write_all(&files).map_err(|e| super::build::batch_error(&e))?;
    for ((path, _), outcome) in files.iter().zip(outcomes) {
        match outcome {
            Outcome::Written => eprintln!("wrote {}", path.display()),
            Outcome::Unchanged => eprintln!("unchanged {}", path.display()),
        }
    }
    Ok(args.deny.exit(&analysis))
}
