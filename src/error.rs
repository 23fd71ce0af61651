//! The tool's own failures: what stopped archflow from doing its job (a file it cannot read or
//! write, an input that is not of the expected format, a template that fails, a flag that names
//! nothing). Findings about the user's model are not errors: they are
//! [`Diagnostic`](crate::diagnostic::Diagnostic)s. The binary's `main` turns every `Error` into
//! exit code 2, in one place.

use std::fmt;

use crate::render::RenderError;
use crate::text::display_safe;

/// Why archflow could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A folder cannot be created.
    #[error("cannot create folder `{path}`: {reason}")]
    CreateDir { path: String, reason: String },
    /// An input is not of the expected format; each problem has its place in the file.
    #[error("{}", Located::all(.0))]
    Input(Vec<Located>),
    /// An input or a template exists as expected, but archflow was asked something it cannot do
    /// with it (the message says what, and what to do instead).
    #[error("{0}")]
    Invalid(String),
    /// Another error, which stopped a command before it wrote anything.
    #[error("{0}")]
    NothingWritten(Box<Error>),
    /// The model's text did not load (its `L…` diagnostics say why, and have been shown).
    #[error("`{path}` does not load as a model")]
    NotLoaded { path: String },
    /// A file, folder or standard input cannot be read.
    #[error("cannot read {what}: {reason}")]
    Read { what: String, reason: String },
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A file cannot be written.
    #[error("cannot write `{path}`: {reason}")]
    Write { path: String, reason: String },
    /// Several files were to be written as one unit, one could not be, and not every file already
    /// replaced could be put back: `new` lists those that hold this run's output.
    #[error(
        "cannot write `{path}`: {reason}; these files are from this run, every other one is as \
         it was: {}",
        new.join(", ")
    )]
    PartlyWritten {
        path: String,
        reason: String,
        new: Vec<String>,
    },
}

impl Error {
    /// What to print on standard error: `error: …` lines (or, for an input, `file:line:col:
    /// error: …` lines), ending with a newline. Control and bidi characters are made visible: a
    /// message may quote the user's names.
    #[must_use]
    pub fn report(&self) -> String {
        let text = match self {
            Self::Input(problems) => Located::all(problems),
            Self::NothingWritten(inner) => {
                format!("{}archflow: nothing was written\n", inner.report())
            }
            other => format!("error: {other}\n"),
        };
        display_safe(&text).into_owned()
    }

    /// [`Error::Read`] of a file, with a reason people read.
    #[must_use]
    pub fn read(path: impl fmt::Display, e: &std::io::Error) -> Self {
        Self::Read {
            what: format!("`{path}`"),
            reason: io_reason(e),
        }
    }

    /// This error, noting that nothing was written.
    #[must_use]
    pub fn nothing_written(self) -> Self {
        match self {
            Self::NothingWritten(_) => self,
            other => Self::NothingWritten(Box::new(other)),
        }
    }

    /// [`Error::Write`] of a file.
    #[must_use]
    pub fn write(path: impl fmt::Display, e: &std::io::Error) -> Self {
        Self::Write {
            path: path.to_string(),
            reason: e.to_string(),
        }
    }
}

/// What is wrong with a JSON text, in archflow's words (`serde_json`'s, for the rare others),
/// without the position (the caller gives it as `file:line:col`).
#[must_use]
pub fn json_reason(e: &serde_json::Error) -> String {
    let raw = e.to_string();
    let raw = raw.rfind(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
    match raw {
        "EOF while parsing a value" if e.line() <= 1 && e.column() == 0 => "the file is empty",
        "EOF while parsing a value" => "the file ends where a value is expected",
        "EOF while parsing an object" => "the file ends inside an object: a `}` is missing",
        "EOF while parsing a list" => "the file ends inside a list: a `]` is missing",
        "EOF while parsing a string" => "the file ends inside a string: a closing `\"` is missing",
        "trailing comma" => "a comma before a closing bracket, which JSON does not allow",
        "expected value" => {
            "a value is expected here: a string in double quotes, a number, true, false, null, \
             an object or a list"
        }
        "trailing characters" => "more text after the end of the JSON document",
        "key must be a string" => "an object's key must be a string in double quotes",
        "expected `:`" => "a `:` is expected after the key",
        "expected `,` or `}`" => "a `,` or a `}` is expected after the value",
        "expected `,` or `]`" => "a `,` or a `]` is expected after the item",
        "invalid escape" => {
            "an unknown escape in a string (after `\\`: one of `\" \\ / b f n r t u`)"
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a control character inside a string: write it escaped (`\\n`, `\\t`, `\\u0001`)"
        }
        "recursion limit exceeded" => "the JSON nests deeper than 128 levels",
        "invalid number" | "number out of range" => "a number JSON cannot hold here",
        other => return other.to_owned(),
    }
    .to_owned()
}

/// An I/O error as a short reason.
#[must_use]
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// A problem at a place in an input file, printed the one way archflow prints every such
/// problem outside the model's own diagnostics: `file:line:col: error: message`, then
/// `  help: …` when there is help. Line 0 means the problem has no one place (`file: error: …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Located {
    /// A problem at `line`:`column` of `path`.
    #[must_use]
    pub fn new(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line,
            // A position on a line is at least its first column (JSON parsers count from 0 at
            // the start of a line).
            column: if line == 0 { 0 } else { column.max(1) },
            message: message.into(),
            help: None,
        }
    }

    /// A problem about the whole of `path`.
    #[must_use]
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(path, 0, 0, message)
    }

    /// A finding on a model as a problem at its place (its primary label's start), with its
    /// help.
    #[must_use]
    pub fn of_diagnostic(
        source: &crate::source::Source,
        d: &crate::diagnostic::Diagnostic,
    ) -> Self {
        let (line, column) = if d.primary.span == crate::source::Span::default() {
            (0, 0)
        } else {
            let at = source.line_col(d.primary.span.start);
            (at.line, at.column)
        };
        let mut problem = Self::new(&source.path, line, column, &d.message);
        problem.help.clone_from(&d.help);
        problem
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn all(problems: &[Self]) -> String {
        problems.iter().map(ToString::to_string).collect()
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            writeln!(f, "{}: error: {}", self.path, self.message)?;
        } else {
            writeln!(
                f,
                "{}:{}:{}: error: {}",
                self.path, self.line, self.column, self.message
            )?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  help: {help}")?;
        }
        Ok(())
    }
}

impl From<Located> for Error {
    fn from(problem: Located) -> Self {
        Self::Input(vec![problem])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_problems_print_as_file_line_col() {
        let e = Error::Input(vec![
            Located::new("a.json", 4, 32, "invalid JSON: trailing comma"),
            Located::file("b.yaml", "no services").with_help("add one"),
        ]);
        assert_eq!(
            e.report(),
            "a.json:4:32: error: invalid JSON: trailing comma\n\
             b.yaml: error: no services\n  help: add one\n"
        );
    }

    #[test]
    fn other_errors_print_as_error_lines_with_controls_shown() {
        let e = Error::Invalid("no flow `\u{1b}[31mx`".to_owned());
        assert_eq!(e.report(), "error: no flow `<U+001B>[31mx`\n");
        let e = Error::read(
            "m.yaml",
            &std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(e.report(), "error: cannot read `m.yaml`: no such file\n");
    }
}
