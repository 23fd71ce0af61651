//! `archflow import compose`: a docker-compose project in (its files, `--env-file`, `--profile`,
//! `--project-directory`, the environment), `architecture.yaml` out (see
//! [`crate::interop::compose`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{Exit, read};
use crate::error::{Error, Located};
use crate::interop::compose::{self, FileError, Files, Layout, Options, Project};

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

The project is read as `docker compose config` reads it: the files are merged in order by the
compose specification's rules (`!reset` and `!override` included); variables are interpolated
(`${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR:+alt}`, nested, `$$` for
`$`) from the environment, then `--env-file` files or the project directory's `.env`; `extends`
and `include` are resolved; services whose profiles are not active are left out (and listed);
a service's `env_file` is read into its environment.

Mapped: image, ports (→ portMappings; published HTTP ports → a guessed ALB listener and target
group; published TCP/UDP ports of other protocols, like DNS 53 or Beats 5044 → a Network Load
Balancer; ports published on 127.0.0.1 or ::1 stay inside the task; database and debugger
ports stay private), expose, named volumes (→ task volumes; on a database → an EFS file system),
read_only, depends_on, healthcheck (times brought into ECS's ranges, with a comment),
environment and env_file, secrets, user, privileged, command, entrypoint, deploy.replicas (→
desiredCount); one-shot jobs (waited for with service_completed_successfully, or `restart:
\"no\"`) are not essential. Only URL- or host:port-shaped values, or values of variables named
…HOST, …URL, …ADDR…, make calls. Roles are guessed from the image. Everything else (build,
networks, bind mounts, logging, deploy.resources and mem_limit with their values in CPU units
and MiB, x-… extensions, …) is listed as \"not imported\" on standard error and at the top of
the YAML. Guesses and placeholders are commented in the YAML; unset variables are warnings, as
in compose.

Examples:
  archflow import compose docker-compose.yml -o architecture.yaml
  archflow import compose compose.yaml --layout one-service-each
  archflow import compose -f compose.yml -f compose.prod.yml --env-file prod.env -o architecture.yaml
  archflow import compose --profile debug --project-directory ./deploy
  docker compose config | archflow import compose - -o architecture.yaml   what compose resolved

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
    /// Compose files, merged in order (`-` reads standard input). Default: the first of
    /// compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml in the project
    /// directory, with compose.override.yml (or .yaml, or docker-compose.override.*) if there is
    /// one.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// A compose file, merged after the files before it (like `docker compose -f`).
    #[arg(long = "file", short = 'f', value_name = "FILE")]
    pub file_options: Vec<PathBuf>,
    /// Read variables from this file instead of the project directory's `.env` (repeatable;
    /// later files win; the environment wins over every file).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// Enable the services of this profile (repeatable; `*` enables all). Default:
    /// `COMPOSE_PROFILES`.
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
    /// Where relative paths in the compose files start and `.env` is found. Default: the first
    /// compose file's folder.
    #[arg(long = "project-directory", value_name = "DIR")]
    pub project_directory: Option<PathBuf>,
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

/// The override files compose reads beside a default file, the first one found.
const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// The name of a folder (the current one for `""`), or `app`.
fn folder_name(dir: &Path) -> String {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    std::fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_owned())
}

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
    folder_name(path.parent().unwrap_or(Path::new("")))
}

/// The compose files named on the command line, or the default ones of `dir`.
fn compose_files(args: &ComposeArgs, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let named: Vec<PathBuf> = args
        .files
        .iter()
        .chain(&args.file_options)
        .cloned()
        .collect();
    if !named.is_empty() {
        return Ok(named);
    }
    let in_dir = |name: &str| {
        if dir.as_os_str().is_empty() {
            PathBuf::from(name)
        } else {
            dir.join(name)
        }
    };
    let Some(main) = DEFAULT_FILES
        .iter()
        .map(|n| in_dir(n))
        .find(|p| p.is_file())
    else {
        return Err(Error::Invalid(format!(
            "no compose file given, and none of {} is in {}",
            DEFAULT_FILES.join(", "),
            if dir.as_os_str().is_empty() {
                "the current folder".to_owned()
            } else {
                format!("`{}`", dir.display())
            }
        )));
    };
    let mut files = vec![main];
    files.extend(
        OVERRIDE_FILES
            .iter()
            .map(|n| in_dir(n))
            .find(|p| p.is_file()),
    );
    Ok(files)
}

/// The files a compose project reads: the compose files named on the command line (read
/// first, so that standard input is read once), and any other file from the file system through
/// the one reader.
struct ProjectFiles(BTreeMap<PathBuf, String>);

impl Files for ProjectFiles {
    fn read(&self, path: &Path) -> Result<String, FileError> {
        if let Some(text) = self.0.get(path) {
            return Ok(text.clone());
        }
        if read::is_stdin(path) {
            return Err(FileError::Other(
                "standard input can be read only as a compose file".to_owned(),
            ));
        }
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileError::NotFound),
            Ok(m) if m.is_dir() => return Err(FileError::IsFolder),
            _ => {}
        }
        read::read_input(path)
            .map(|source| source.text)
            .map_err(|e| {
                FileError::Other(match e {
                    Error::Read { reason, .. } => reason,
                    Error::Input(problems) => problems
                        .iter()
                        .map(|p| p.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                })
            })
    }
}

pub(super) fn run(args: &ComposeArgs) -> Result<Exit, Error> {
    let search = args.project_directory.clone().unwrap_or_default();
    let paths = compose_files(args, &search)?;
    let mut texts = BTreeMap::new();
    for path in &paths {
        if !texts.contains_key(path) {
            texts.insert(path.clone(), read::read_input(path)?.text);
        }
    }
    let shown: Vec<String> = paths.iter().map(|p| read::shown(p)).collect();
    let options = Options {
        layout: match args.layout {
            LayoutArg::OneTask => Layout::OneTask,
            LayoutArg::OneServiceEach => Layout::OneServiceEach,
        },
        source_name: paths
            .iter()
            .zip(&shown)
            .map(|(p, s)| {
                p.file_name()
                    .filter(|_| !read::is_stdin(p))
                    .map_or_else(|| s.clone(), |n| n.to_string_lossy().into_owned())
            })
            .collect::<Vec<_>>()
            .join(" + "),
        default_name: match &args.project_directory {
            Some(dir) => folder_name(dir),
            None => paths
                .first()
                .map_or_else(|| "app".to_owned(), |p| default_name(p)),
        },
    };
    let mut read = super::output::Inputs::default();
    for path in &paths {
        read.add(path, "the compose file being imported");
    }
    for path in &args.env_files {
        read.add(path, "an environment file of the import");
    }
    let project = Project {
        files: paths,
        project_directory: args.project_directory.clone(),
        env_files: args.env_files.clone(),
        environment: std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect(),
        profiles: args.profiles.clone(),
    };
    let first = shown.first().cloned().unwrap_or_default();
    let imported =
        compose::import_project(&project, &ProjectFiles(texts), &options).map_err(|errors| {
            Error::nothing_written(Error::Input(
                errors
                    .into_iter()
                    .map(|e| {
                        let mut problem = Located::new(
                            e.file.unwrap_or_else(|| first.clone()),
                            e.line,
                            e.column,
                            e.message,
                        );
                        problem.help = e.help;
                        problem
                    })
                    .collect(),
            ))
        })?;
    let analysis = super::import::check_and_write(&imported.yaml, args.output.as_deref(), &read)?;
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    for (title, lines) in [
        ("notes:", &imported.notes),
        ("not imported:", &imported.not_imported),
    ] {
        if !lines.is_empty() {
            eprintln!("{title}");
            for n in lines {
                eprintln!("  - {n}");
            }
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
