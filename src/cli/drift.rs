//! `archflow drift`: compare the model with deployed task definitions and services, or with
//! what CloudFormation templates declare (see
//! [`crate::interop::ecs::drift`]).

use std::path::PathBuf;

use clap::ValueEnum;

use super::{Exit, print_stdout, read};
use crate::error::Error;
use crate::interop::ecs::drift;
use crate::interop::ecs::import::InputFile;

pub const AFTER_HELP: &str = "\
Compares what `archflow export ecs` writes for the model with what is deployed, field by field,
and prints one line per difference: `family/container: field: model X, deployed Y` (for a
service, `service NAME: field: …`). Task definitions are matched by family, services by name,
containers, volumes and environment variables by name.

Compared: every field export writes, `aws:` included: images, sizes (cpu, memory,
memoryReservation), ports, environment values (secret-looking ones shown as ****), secrets,
mounts, volumes, health checks, logging, runtime platform, and each service's desiredCount,
launch type or capacity providers, load balancers, deployment and network configuration. A
field left out on one side and at the AWS default on the other (essential: true, …) is no
difference. Not compared (listed as notes): task definitions and services with no deployed
JSON given, and names the model gives where AWS has an identity (a file system without
fileSystemId); the service's task definition is compared by family, not revision.

The deployed files take the shapes `archflow import ecs` reads: --task-definition takes
describe-task-definition output, register-task-definition input, or container definitions alone
(an array, or one object: the family is the file's name, as import guesses it, and the
containers are compared); --service takes describe-services output or create-service input (one
without serviceName is the service named after the file; one without taskDefinition is not
compared on it).

--cloudformation compares with what CloudFormation templates declare, resolved as `archflow
import cloudformation` resolves them (--parameter sets a parameter); --terraform with what a
Terraform configuration declares: import once, then run drift in CI so it fails when the model
and the code disagree.

Examples:
  archflow drift architecture.yaml --cloudformation service.yaml
  archflow drift architecture.yaml --terraform infra/
  aws ecs describe-task-definition --task-definition goals > deployed.json
  aws ecs describe-services --cluster goals-cluster --services goals > services.json
  archflow drift --task-definition deployed.json --service services.json
  archflow drift deploy/architecture.yaml --task-definition a.json --format json

Exit codes:
  0  no drift
  1  something drifted
  2  bad input: the model or a deployed file cannot be read or loaded";

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("deployed")
        .required(true)
        .multiple(true)
        .args(["task_definitions", "services", "cloudformation", "terraform"])
))]
pub struct DriftArgs {
    /// The model (`-` reads standard input).
    #[arg(default_value = super::DEFAULT_FILE)]
    pub file: PathBuf,
    /// Deployed task definitions: `describe-task-definition` output,
    /// `register-task-definition` input, or container definitions alone (repeatable).
    #[arg(long = "task-definition", value_name = "TASKDEF.json")]
    pub task_definitions: Vec<PathBuf>,
    /// Deployed services: `aws ecs describe-services` output or `create-service` input
    /// (repeatable).
    #[arg(long = "service", value_name = "SERVICES.json")]
    pub services: Vec<PathBuf>,
    /// CloudFormation templates: compare the model with the task definitions and services they
    /// declare (repeatable; read as `import cloudformation` reads them).
    #[arg(long = "cloudformation", value_name = "TEMPLATE")]
    pub cloudformation: Vec<PathBuf>,
    /// A template parameter's value, overriding its default (repeatable, with
    /// --cloudformation).
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = super::import_cloudformation::parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// A Terraform configuration (a folder of .tf files) or `terraform show -json` output:
    /// compare the model with what it declares (read as `import terraform` reads it).
    #[arg(long = "terraform", value_name = "PATH")]
    pub terraform: Option<PathBuf>,
    /// How to print the differences.
    #[arg(long, value_enum, default_value_t = DriftFormat::Human)]
    pub format: DriftFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// One line per difference; what was not compared as notes on standard error.
    Human,
    /// `{"drifted": …, "differences": [...], "notCompared": [...]}`.
    Json,
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<InputFile>, Error> {
    paths
        .iter()
        .map(|path| {
            let source = read::read_input(path)?;
            Ok(InputFile::new(source.path, source.text))
        })
        .collect()
}

pub(super) fn run(args: &DriftArgs, color: bool) -> Result<Exit, Error> {
    let analysis = match super::load_model(&args.file, color)? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(exit),
    };
    let Some(doc) = analysis.document() else {
        return Ok(Exit::Invalid);
    };
    let deployed = read_all(&args.task_definitions)?
        .iter()
        .map(drift::read_deployed)
        .collect::<Result<Vec<_>, _>>()?;
    let mut services = Vec::new();
    for file in read_all(&args.services)? {
        services.extend(drift::read_deployed_services(&file)?);
    }
    let mut deployed = deployed;
    if !args.cloudformation.is_empty() {
        let mut read = super::output::Inputs::default();
        let templates =
            super::import_cloudformation::read_templates(&args.cloudformation, &mut read)?;
        let stack =
            super::import_cloudformation::read_stack(&templates, &args.parameters, &mut read)?;
        let (tasks, declared) = crate::interop::iac::deployed(&stack)?;
        deployed.extend(tasks);
        services.extend(declared);
    }
    if let Some(path) = &args.terraform {
        let mut read = super::output::Inputs::default();
        let stack = super::import_terraform::read_stack(path, &mut read)?;
        let (tasks, declared) = crate::interop::iac::deployed(&stack)?;
        deployed.extend(tasks);
        services.extend(declared);
    }
    let report = drift::report(doc, &deployed, &services);
    match args.format {
        DriftFormat::Json => print_stdout(&report.json()),
        DriftFormat::Human => {
            print_stdout(&report.human());
            for note in &report.not_compared {
                eprintln!("note: {note}");
            }
        }
    }
    Ok(if report.differences.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
