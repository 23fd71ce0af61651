//! `archflow import compose`: a docker-compose file in, `architecture.yaml` out (see
//! [`crate::interop::compose`]).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Exit, read};
use crate::error::{Error, Located};
use crate::interop::compose::{self, Layout, Options};

pub const AFTER_HELP: &str = "\
Layouts (--layout):
  one-task          (default, like the reference system) every compose service is a container
                    of ONE task of ONE ECS service. They start, scale and deploy together and
                    share the task's network: containers reach each other on localhost, so
                    compose service names (`mongodb://mongodb:27017`) do not resolve; such
                    values are flagged with a comment suggesting localhost. depends_on becomes
                    dependsOn (service_started → START, service_healthy → HEALTHY,
                    service_completed_successfully → SUCCESS).
  one-service-each  every compose service becomes its own ECS service with a one-container
                    task. They scale and deploy independently; names resolve only through
                    Service Connect or Cloud Map (not modelled) and depends_on is lost (ECS
                    orders containers only within a task).

Mapped: image, ports (→ portMappings; published ports → a guessed ALB listener and target
group), expose, named volumes (→ task volumes; on a database → an EFS file system), read_only,
depends_on, healthcheck, environment, secrets, user, privileged, command, entrypoint,
deploy.replicas (→ desiredCount). Roles are guessed from the image. Everything else (build,
networks, bind mounts, logging, x-… extensions, …) is listed as \"not imported\" on standard error
and at the top of the YAML. Guesses and placeholders are commented in the YAML.

Examples:
  archflow import compose docker-compose.yml -o architecture.yaml
  archflow import compose compose.yaml --layout one-service-each
  docker compose config | archflow import compose - -o architecture.yaml   variables resolved

Exit codes:
  0  the model was written (it loads; its findings are printed as hints)
  2  the input is not a compose file archflow can import, or a file cannot be read or written;
     nothing is written";

/// `--layout`: how compose services are grouped into ECS services and tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Every compose service is a container of one task of one ECS service (localhost between
    /// them).
    OneTask,
    /// Every compose service is its own ECS service with a one-container task.
    OneServiceEach,
}

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ComposeArgs {
    /// The compose file (`-` reads standard input). Default: the first of compose.yaml,
    /// compose.yml, docker-compose.yaml, docker-compose.yml in the current folder.
    #[arg(value_name = "COMPOSE.yml")]
    pub file: Option<PathBuf>,
    /// How compose services become ECS services and tasks (see below).
    #[arg(long, value_enum, default_value_t = LayoutArg::OneTask)]
    pub layout: LayoutArg,
    /// Write the model here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// The project name when the file has none: the file's stem, or its folder's name for the
/// usual compose file names.
fn default_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !stem.is_empty() && stem != "-" && stem != "compose" && stem != "docker-compose" {
        return stem;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_owned())
}

pub(super) fn run(args: &ComposeArgs) -> Result<Exit, Error> {
    let found = args.file.clone().or_else(|| {
        DEFAULT_FILES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    });
    let Some(path) = found else {
        return Err(Error::Invalid(format!(
            "no compose file given, and none of {} is in the current folder",
            DEFAULT_FILES.join(", ")
        )));
    };
    let source = read::read_input(&path)?;
    let options = Options {
        layout: match args.layout {
            LayoutArg::OneTask => Layout::OneTask,
            LayoutArg::OneServiceEach => Layout::OneServiceEach,
        },
        source_name: path
            .file_name()
            .filter(|_| !read::is_stdin(&path))
            .map_or_else(|| source.path.clone(), |n| n.to_string_lossy().into_owned()),
        default_name: default_name(&path),
    };
    let imported = compose::import(&source.text, &options).map_err(|errors| {
        Error::nothing_written(Error::Input(
            errors
                .into_iter()
                .map(|e| {
                    let mut problem = Located::new(&source.path, e.line, e.column, e.message);
                    problem.help = e.help;
                    problem
                })
                .collect(),
        ))
    })?;
    let mut read = super::output::Inputs::default();
    read.add(&path, "the compose file being imported");
    let analysis = super::import::check_and_write(&imported.yaml, args.output.as_deref(), &read)?;
    if !imported.not_imported.is_empty() {
        eprintln!("not imported:");
        for n in &imported.not_imported {
            eprintln!("  - {n}");
        }
    }
    let written = &analysis.source;
    for d in &analysis.diagnostics {
        let at = written.line_col(d.primary.span.start);
        eprintln!(
            "hint: {}:{}: {}[{}] {}",
            written.path, at.line, d.severity, d.code, d.message
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
