//! `archflow import ecs`: ECS JSON files in, `architecture.yaml` out (see [`crate::interop::ecs::import`]).

use std::path::PathBuf;

use super::{Exit, read};
use crate::error::Error;

use crate::interop::ecs::import::{self as ecs, InputFile, Inputs};

pub const AFTER_HELP: &str = "\
Reads the JSON the AWS CLI prints (or the input of register-task-definition) and writes a model:
  aws ecs describe-task-definition --task-definition goals > goals.json
  aws ecs describe-services --cluster goals-cluster --services goals > services.json
  aws elbv2 describe-target-groups --names goals-tg > tgs.json
  aws elbv2 describe-load-balancers --names goals-alb > lbs.json
  archflow import ecs goals.json --service services.json --target-groups tgs.json \\
      --load-balancers lbs.json -o architecture.yaml

Every field of the task definitions and services is kept: what archflow models as model fields
(memory, runtimePlatform, secretOptions, capacity providers, …), the rest unchanged under each
item's `aws:`, so `archflow export ecs` writes the same JSON back. References use names; the AWS
identities are kept beside them (targetGroupArn, fileSystemId, accessPointId, clusterArn, role
ARNs). Guesses are commented. What even `aws:` cannot keep (an unknown key of describe output's
wrapper, a value the model's type cannot hold, target group and load balancer fields) is listed
under \"not imported\" (on standard error and at the top of the YAML). The written model is
checked and its findings printed as warnings.

Each FILE is told by its content: a task definition (describe-task-definition output, that is
{\"taskDefinition\": …}, or register-task-definition input), container
definitions alone (a JSON array of them, or one container-definition object: the task's family
is guessed from the file name), or a service (describe-services output, or create-service input,
with or without serviceName; --service takes these too). A service whose task definition is not
given gets one with only its family, which says so; what a partial file names outside itself (a
load balancer's container, a dependency, a mounted volume) is kept under `aws:`, unchecked, and a
note says so. File systems are marked `unknown: [encrypted, performanceMode, throughputMode]`:
task definitions do not say.

Exit codes:
  0  the model was written (it loads; findings are printed as warnings)
  2  an input is not valid ECS JSON, misses a required field, or cannot be read or written;
     nothing is written";

#[derive(Debug, clap::Args)]
pub struct EcsArgs {
    /// Task definitions (`describe-task-definition` output or `register-task-definition`
    /// input), container definitions (an array, or one object), or services
    /// (`describe-services` output or `create-service` input), told by their content.
    #[arg(required = true, value_name = "FILE.json")]
    pub files: Vec<PathBuf>,
    /// `aws ecs describe-services` output, or `create-service` input (repeatable).
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

fn read_all(paths: &[PathBuf]) -> Result<Vec<InputFile>, Error> {
    paths
        .iter()
        .map(|p| {
            let source = read::read_input(p)?;
            Ok(InputFile::new(source.path, source.text))
        })
        .collect()
}

pub(super) fn run(args: &EcsArgs) -> Result<Exit, Error> {
    let inputs = Inputs {
        task_definitions: read_all(&args.files)?,
        services: read_all(&args.services)?,
        target_groups: read_all(&args.target_groups)?,
        load_balancers: read_all(&args.load_balancers)?,
    };
    let imported = ecs::import(&inputs).map_err(|e| Error::from(e).nothing_written())?;
    let analysis = super::import::check_and_write(&imported.yaml, args.output.as_deref())?;
    if !imported.not_imported.is_empty() {
        eprintln!("not imported (archflow cannot keep these, even under `aws:`):");
        for n in &imported.not_imported {
            eprintln!("  - {n}");
        }
    }
    for n in &imported.notes {
        eprintln!("note: {n}");
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
