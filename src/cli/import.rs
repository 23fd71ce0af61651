//! `archflow import ecs|compose`: dispatch to the importers.

use clap::Subcommand;

/// What to import from.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// ECS task definitions (and optionally services, target groups, load balancers) as JSON.
    #[command(after_help = super::import_ecs::AFTER_HELP)]
    Ecs(super::import_ecs::EcsArgs),
    /// A docker-compose file.
    Compose(super::import_compose::ComposeArgs),
}

pub(super) fn run(command: &ImportCommand) -> u8 {
    match command {
        ImportCommand::Ecs(a) => super::import_ecs::run(a),
        ImportCommand::Compose(a) => super::import_compose::run(a),
    }
}
