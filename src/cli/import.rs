//! `archflow import ecs|compose|cloudformation|terraform`: dispatch to the importers.

use std::path::Path;

use clap::Subcommand;

use super::output::Inputs;
use super::{Exit, print_stdout, write_file};
use crate::Analysis;
use crate::diagnostic::emit::human;
use crate::error::Error;
use crate::source::Source;
use crate::syntax::MAX_INPUT_BYTES;

/// What to import from.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// ECS task definitions, container definitions and services (and optionally target groups,
    /// load balancers) as JSON.
    #[command(after_help = super::import_ecs::AFTER_HELP)]
    Ecs(super::import_ecs::EcsArgs),
    /// A docker-compose file.
    Compose(super::import_compose::ComposeArgs),
    /// CloudFormation templates (YAML or JSON, CDK's synthesized templates too).
    #[command(name = "cloudformation", after_help = super::import_cloudformation::AFTER_HELP)]
    CloudFormation(super::import_cloudformation::CloudFormationArgs),
    /// A Terraform configuration (a folder of .tf files) or `terraform show -json` output.
    #[command(after_help = super::import_terraform::AFTER_HELP)]
    Terraform(super::import_terraform::TerraformArgs),
}

pub(super) fn run(command: &ImportCommand) -> Result<Exit, Error> {
    match command {
        ImportCommand::Ecs(a) => super::import_ecs::run(a),
        ImportCommand::Compose(a) => super::import_compose::run(a),
        ImportCommand::CloudFormation(a) => super::import_cloudformation::run(a),
        ImportCommand::Terraform(a) => super::import_terraform::run(a),
    }
}

/// Load the imported YAML as archflow would, then write it to `output` (atomically) or print
/// it. Nothing is written over one of the `inputs`, and no model larger than archflow reads. A
/// model that does not load is an importer bug: its diagnostics are printed and nothing is
/// written. On success, its analysis, for the caller's hints.
pub(super) fn check_and_write(
    yaml: &str,
    output: Option<&Path>,
    inputs: &Inputs,
) -> Result<Analysis, Error> {
    if let Some(why) = output.and_then(|path| inputs.conflict(path)) {
        return Err(Error::Invalid(why));
    }
    if yaml.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::Invalid(format!(
            "the imported model would be {} MiB, and archflow reads models of at most {} MiB \
             (`archflow check` would refuse it)\n  \
             help: import fewer task definitions at a time, one model per system",
            (yaml.len() as u64).div_ceil(1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ))
        .nothing_written());
    }
    let name = output.map_or_else(|| "<import>".to_owned(), |p| p.display().to_string());
    let source = Source::new(name, yaml);
    let analysis = crate::analyze(&source);
    if analysis.failed_to_load() {
        eprint!("{}", human::render(&source, &analysis.diagnostics, false));
        return Err(Error::Invalid(
            "the imported model does not load (a bug in archflow); nothing was written".to_owned(),
        ));
    }
    match output {
        Some(path) => {
            write_file(path, yaml.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print_stdout(yaml),
    }
    Ok(analysis)
}
