//! `archflow import ecs`: ECS JSON files in, `architecture.yaml` out (see [`crate::interop::ecs::import`]).

use std::path::PathBuf;

use super::output::Inputs;
use super::{Exit, read};
use crate::error::Error;

use crate::interop::ecs::import::{self as ecs, InputFile};

pub const AFTER_HELP: &str = "\
Reads the JSON the AWS CLI prints (or the input of register-task-definition) and writes a model:
  aws ecs describe-task-definition --task-definition goals > goals.json
  aws ecs describe-services --cluster goals-cluster --services goals > services.json
  aws elbv2 describe-target-groups --names goals-tg > tgs.json
  aws elbv2 describe-load-balancers --names goals-alb > lbs.json
  archflow import ecs goals.json --service services.json --target-groups tgs.json \\
      --load-balancers lbs.json -o architecture.yaml

ARNs and AWS ids become short names (a comment says what they were); guesses are commented;
fields archflow does not model are listed under \"not imported\" (on standard error and at the
top of the YAML). The written model is checked and its findings printed as warnings.

Exit codes:
  0  the model was written (it loads; findings are printed as warnings)
  2  an input is not valid ECS JSON, misses a required field, or cannot be read or written;
     nothing is written";

#[derive(Debug, clap::Args)]
pub struct EcsArgs {
    /// Task definitions: `describe-task-definition` output or `register-task-definition` input.
    #[arg(required = true, value_name = "TASKDEF.json")]
    pub files: Vec<PathBuf>,
    /// `aws ecs describe-services` output (repeatable).
    #[arg(long = "service", value_name = "SERVICE.json")]
    pub services: Vec<PathBuf>,
    /// `aws elbv2 describe-target-groups` output (repeatable).
    #[arg(long, value_name = "TG.json")]
    pub target_groups: Vec<PathBuf>,
    /// `aws elbv2 describe-load-balancers` output (repeatable).
    #[arg(long, value_name = "LB.json")]
    pub load_balancers: Vec<PathBuf>,
    /// Write the model here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Read every file of one kind (`role`, for messages), noting each in `read`.
fn read_all(paths: &[PathBuf], role: &str, read: &mut Inputs) -> Result<Vec<InputFile>, Error> {
    paths
        .iter()
        .map(|p| {
            let source = read::read_input(p)?;
            read.add(p, role);
            Ok(InputFile::new(source.path, source.text))
        })
        .collect()
}

pub(super) fn run(args: &EcsArgs) -> Result<Exit, Error> {
    let mut read = Inputs::default();
    let inputs = ecs::Inputs {
        task_definitions: read_all(&args.files, "a task definition file", &mut read)?,
        services: read_all(&args.services, "a services file", &mut read)?,
        target_groups: read_all(&args.target_groups, "a target groups file", &mut read)?,
        load_balancers: read_all(&args.load_balancers, "a load balancers file", &mut read)?,
    };
    let imported = ecs::import(&inputs).map_err(|e| Error::from(e).nothing_written())?;
    let analysis = super::import::check_and_write(&imported.yaml, args.output.as_deref(), &read)?;
    if !imported.not_imported.is_empty() {
        eprintln!("not imported (archflow does not model these):");
        for n in &imported.not_imported {
            eprintln!("  - {n}");
        }
    }
    if !imported.guesses.is_empty() {
        eprintln!("guessed (commented in the YAML; check them):");
        for g in &imported.guesses {
            eprintln!("  - {g}");
        }
    }
    for d in &analysis.diagnostics {
        eprintln!(
            "warning: {} {} ({}): {}",
            d.code, d.name, d.severity, d.message
        );
    }
    if !analysis.diagnostics.is_empty() {
        eprintln!(
            "the imported model has {} (run `archflow check` on it for details)",
            crate::diagnostic::emit::human::summary(&analysis.diagnostics)
        );
    }
    Ok(Exit::Clean)
}
