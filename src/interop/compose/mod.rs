//! `archflow import compose`: a docker-compose project → the text of an archflow model, and the
//! list of what could not be imported. Pure: every file is read through [`Files`] (the CLI reads
//! the file system, tests and the fuzz target read from memory), and text comes out.
//!
//! Mapping (see `DOMAIN.md`, "Compose → ECS"): compose services become containers of one task
//! ([`Layout::OneTask`]) or of one ECS service each ([`Layout::OneServiceEach`]); ports become
//! `portMappings` (published ports suggest an ALB listener), named volumes become task volumes
//! (EFS for databases), `depends_on` conditions become `dependsOn`, and so on. Everything that
//! has no equivalent is listed, never silently dropped.
//!
//! The import runs in stages, one module each:
//!
//! | stage | module | in → out |
//! | --- | --- | --- |
//! | parse | `yaml.rs` | text → a YAML tree whose values know their file, line and column |
//! | load | `load.rs`, with `template.rs` (interpolation), `dotenv.rs` (`.env` files), `merge.rs` | the project's files → one tree: variables interpolated, `extends` and `include` resolved, `-f` files merged |
//! | resolve | `resolve.rs` | tree → tree: profiles applied, each service's `env_file` and environment resolved |
//! | read | `reader.rs`, with the value shapes of `value.rs` | tree → the compose document (`document.rs`) and not-imported notes |
//! | plan | `plan.rs`, with `ports.rs` (load balancers) and `hosts.rs` (calls) | document → every name, guess and note of the model to write |
//! | write | `writer.rs` | plan → YAML text with comments |
//!
//! The first four stages do what `docker compose config` does, by the compose specification and
//! compose-go's rules; errors carry the file and place of the value they are about, so only they
//! make them. Planning and writing cannot fail.

mod document;
mod dotenv;
mod hosts;
mod load;
mod merge;
mod plan;
mod ports;
mod reader;
mod resolve;
mod template;
mod value;
mod writer;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How compose services are grouped into ECS services and tasks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Every compose service is a container of one task of one ECS service; the containers share
    /// the task's network namespace and reach each other on `localhost`.
    #[default]
    OneTask,
    /// Every compose service becomes its own ECS service with a one-container task; they scale
    /// and deploy independently, and reach each other through service discovery.
    OneServiceEach,
}

impl Layout {
    const fn as_str(self) -> &'static str {
        match self {
            Self::OneTask => "one-task",
            Self::OneServiceEach => "one-service-each",
        }
    }
}

/// What the import needs besides the files.
#[derive(Clone, Debug)]
pub struct Options {
    pub layout: Layout,
    /// The input's display name, for the header comment (e.g. `docker-compose.yml`, or
    /// `compose.yml + compose.prod.yml`).
    pub source_name: String,
    /// The project name when the file has no top-level `name:` (e.g. its folder's name).
    pub default_name: String,
}

/// A compose project as `docker compose` is told about it: `-f` files, `--project-directory`,
/// `--env-file`, `--profile`, and the environment it runs in.
#[derive(Clone, Debug, Default)]
pub struct Project {
    /// The compose files, merged in this order (`-` is standard input, as [`Files`] sees it).
    pub files: Vec<PathBuf>,
    /// Where relative paths in the compose files start and `.env` is looked for. Default: the
    /// first file's folder.
    pub project_directory: Option<PathBuf>,
    /// `--env-file` files, later ones winning; when there are none, the project directory's
    /// `.env`, if there is one.
    pub env_files: Vec<PathBuf>,
    /// The environment of the process, which wins over every env file.
    pub environment: BTreeMap<String, String>,
    /// The active profiles (`*`: all). When there are none, `COMPOSE_PROFILES` (comma-separated)
    /// from the variables above.
    pub profiles: Vec<String>,
}

/// Why a file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    NotFound,
    IsFolder,
    /// Any other reason, in words (`permission denied`, `not UTF-8`…).
    Other(String),
}

/// Where the import reads the files a project names: compose files, `extends` and `include`
/// files, `.env` and `env_file` files. Paths are as the project names them, joined to the folder
/// they are relative to (a relative path is relative to the current folder).
pub trait Files {
    /// The text of the file at `path`.
    ///
    /// # Errors
    /// Why it cannot be read.
    fn read(&self, path: &Path) -> Result<String, FileError>;
}

/// Files held in memory, by path (a test's files, or one text).
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles(pub BTreeMap<PathBuf, String>);

impl Files for MemoryFiles {
    fn read(&self, path: &Path) -> Result<String, FileError> {
        self.0.get(path).cloned().ok_or(FileError::NotFound)
    }
}

/// A successful import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The archflow model, as YAML text with comments.
    pub yaml: String,
    /// What was not imported, one line each (also in the YAML's header comment).
    pub not_imported: Vec<String>,
    /// Choices a reviewer should know about, one line each: ports that are not HTTP behind a
    /// network load balancer, health check values brought into ECS's ranges… (also in the
    /// header).
    pub notes: Vec<String>,
    /// What compose warns about, as `file:line:col: message` (also in the header): variables
    /// that are not set and became empty strings.
    pub warnings: Vec<String>,
}

/// Why the input cannot be imported, and where (`line` 0: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The file it is in, as the project names it (`-`: `<stdin>`); a file named on the command
    /// line that cannot be read is its own place.
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The file's id in the import's file table, until the error leaves the import.
    source: usize,
}

impl ImportError {
    /// An error at `line`:`column` of file `source` of the file table.
    fn new(source: usize, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            file: None,
            line,
            column,
            message: message.into(),
            help: None,
            source,
        }
    }

    /// An error about the value `y`, at its place.
    fn at(y: &yaml::Y, message: impl Into<String>) -> Self {
        Self::new(y.file, y.line, y.col, message)
    }

    /// An error about the project as a whole (named after its first file).
    fn whole(message: impl Into<String>) -> Self {
        Self::new(0, 0, 0, message)
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// What was not imported, one line each, in the order the import met it.
#[derive(Debug, Default)]
struct Notes(Vec<String>);

impl Notes {
    /// `place` (a dotted path such as `services.api.tmpfs`) is left out because of `why`.
    fn skip(&mut self, place: &str, why: &str) {
        self.0.push(format!("`{place}`: {why}"));
    }

    fn push(&mut self, line: String) {
        self.0.push(line);
    }

    fn into_lines(self) -> Vec<String> {
        self.0
    }
}

/// Import one compose file's text, with no other file and no variable: `extends` of another
/// file, `include` and `env_file` cannot be read, and every variable is unset.
///
/// # Errors
/// Every reason the text is not a compose file archflow can import, with its place.
pub fn import(text: &str, options: &Options) -> Result<Imported, Vec<ImportError>> {
    let path = PathBuf::from(&options.source_name);
    let files = MemoryFiles(BTreeMap::from([(path.clone(), text.to_owned())]));
    let project = Project {
        files: vec![path],
        ..Project::default()
    };
    import_project(&project, &files, options)
}

/// Import a compose project: its files merged, interpolated and resolved as `docker compose
/// config` would, then mapped to an archflow model.
///
/// # Errors
/// Every reason the project is not one archflow can import, each with its file and place.
pub fn import_project(
    project: &Project,
    files: &dyn Files,
    options: &Options,
) -> Result<Imported, Vec<ImportError>> {
    let mut loader = load::Loader::new(files);
    let result = load_and_read(project, &mut loader);
    let table: Vec<String> = loader.table.iter().map(|p| load::shown(p)).collect();
    let name = |id: usize| {
        table
            .get(id)
            .cloned()
            .or_else(|| project.files.first().map(|p| load::shown(p)))
    };
    match result {
        Ok((compose, notes)) => {
            let mut warnings: Vec<String> = loader
                .unset
                .iter()
                .map(|u| {
                    format!(
                        "{}:{}:{}: the `{}` variable is not set: an empty string was used",
                        name(u.file).unwrap_or_default(),
                        u.line,
                        u.col,
                        u.name
                    )
                })
                .collect();
            warnings.extend(loader.missing_env_files.iter().map(|(service, file)| {
                format!(
                    "`services.{service}.env_file`: `{file}` is not there, so its variables are \
                     not imported (docker compose would not start `{service}` without it)"
                )
            }));
            let plan = plan::plan(&compose, options, notes, warnings);
            Ok(writer::write(plan))
        }
        Err(errors) => Err(errors
            .into_iter()
            .map(|mut e| {
                if e.file.is_none() {
                    e.file = name(e.source);
                }
                e
            })
            .collect()),
    }
}

/// The stages before planning: load, resolve, read.
fn load_and_read(
    project: &Project,
    loader: &mut load::Loader<'_>,
) -> Result<(document::Compose, Notes), Vec<ImportError>> {
    let one = |e: ImportError| vec![e];
    let Some(first) = project.files.first() else {
        return Err(one(ImportError::whole("no compose file to read")));
    };
    let dir = project
        .project_directory
        .as_deref()
        .map_or_else(|| load::folder(first), load::normalize);
    let env = loader.project_env(project, &dir).map_err(one)?;
    let paths: Vec<(PathBuf, Option<yaml::Y>)> =
        project.files.iter().map(|p| (p.clone(), None)).collect();
    let root = loader
        .load_files(&paths, &dir, &env, &mut Vec::new())
        .map_err(one)?;
    let mut root = load::finish(root);
    let mut notes = Notes::default();
    let active: Vec<String> = if project.profiles.is_empty() {
        env.get("COMPOSE_PROFILES")
            .map(|p| {
                p.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    } else {
        project.profiles.clone()
    };
    resolve::select_profiles(&mut root, &active, &mut notes).map_err(one)?;
    resolve::environments(&mut root, &env, loader).map_err(one)?;
    let compose = reader::read(&root, &mut notes)?;
    Ok((compose, notes))
}

#[cfg(test)]
mod tests;
