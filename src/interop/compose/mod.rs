//! `archflow import compose`: a docker-compose file → the text of an archflow model, and the list
//! of what could not be imported. Pure: text in, text out; the CLI reads and writes the files.
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
//! | parse | `yaml.rs` | text → a YAML tree whose values know their line and column |
//! | read | `reader.rs`, with the value shapes of `value.rs` | tree → the compose document (`document.rs`) and not-imported notes |
//! | plan | `plan.rs` | document → every name, guess and note of the model to write |
//! | write | `writer.rs` | plan → YAML text with comments |
//!
//! Errors carry the place of the value they are about, so only the first two stages make them;
//! planning and writing cannot fail.

mod document;
mod plan;
mod reader;
mod value;
mod writer;
mod yaml;

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

/// What the import needs besides the text.
#[derive(Clone, Debug)]
pub struct Options {
    pub layout: Layout,
    /// The input's display name, for the header comment (e.g. `docker-compose.yml`).
    pub source_name: String,
    /// The project name when the file has no top-level `name:` (e.g. its folder's name).
    pub default_name: String,
}

/// A successful import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The archflow model, as YAML text with comments.
    pub yaml: String,
    /// What was not imported, one line each (also in the YAML's header comment).
    pub not_imported: Vec<String>,
}

/// Why the input cannot be imported, and where (`line` 0: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl ImportError {
    /// An error about the value `y`, at its place.
    fn at(y: &yaml::Y, message: impl Into<String>) -> Self {
        Self {
            line: y.line,
            column: y.col,
            message: message.into(),
            help: None,
        }
    }

    /// An error about the file as a whole.
    fn whole(message: impl Into<String>) -> Self {
        Self {
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
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

/// Import a compose file.
///
/// # Errors
/// Every reason the text is not a compose file archflow can import, with its place.
pub fn import(text: &str, options: &Options) -> Result<Imported, Vec<ImportError>> {
    let (compose, notes) = reader::read(text)?;
    let plan = plan::plan(&compose, options, notes);
    Ok(writer::write(plan))
}
