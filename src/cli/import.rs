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

/// Load the imported YAML as archflow would, then write it to `output` (atomically) or print
/// it. A model that does not load is an importer bug: nothing is written and the exit code is
/// returned. On success, the source and its analysis, for the caller's hints.
pub(super) fn check_and_write(
    yaml: &str,
    output: Option<&std::path::Path>,
) -> Result<(crate::source::Source, crate::Analysis), u8> {
    let name = output.map_or_else(|| "<import>".to_owned(), |p| p.display().to_string());
    let source = crate::source::Source::new(name, yaml);
    let analysis = crate::analyze(&source);
    if analysis.failed_to_load() {
        eprint!(
            "{}",
            crate::diagnostic::emit::human::render(&source, &analysis.diagnostics, false)
        );
        eprintln!(
            "error: the imported model does not load (a bug in archflow); nothing was written"
        );
        return Err(super::EXIT_USAGE);
    }
    match output {
        Some(path) => {
            if let Err(e) = super::output::write_atomic(path, yaml.as_bytes()) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return Err(super::EXIT_USAGE);
            }
            eprintln!("wrote {}", path.display());
        }
        None => super::print_stdout(yaml),
    }
    Ok((source, analysis))
}
