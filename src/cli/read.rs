//! The one reader of every input: the model, ECS JSON, compose files, Markdown for `inject`,
//! templates, and standard input (`-`). Every input gets the same size limit (16 MiB, checked
//! before reading where the size is known), the same message for text that is not UTF-8, and
//! the same `file:line:col` shape for both.

use std::io::{self, Read as _};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Located};
use crate::source::Source;
use crate::syntax::{self, MAX_INPUT_BYTES};

/// Why an input could not be read.
#[derive(Debug)]
pub(super) enum ReadError {
    /// It cannot be read at all (missing, a folder, permissions).
    Io(Error),
    /// It was read, but is too large or not UTF-8: an `L007` or `L006` finding on the text as
    /// far as it could be decoded.
    Invalid(Source, Box<Diagnostic>),
}

impl ReadError {
    /// As a tool error: a model's load findings are printed as diagnostics by the caller that
    /// wants them; every other input reports them as `file:line:col: error: …`.
    pub(super) fn into_error(self) -> Error {
        match self {
            Self::Io(e) => e,
            Self::Invalid(source, d) => Located::of_diagnostic(&source, &d).into(),
        }
    }
}

/// The name an input is shown by: its path, or `<stdin>` for `-`.
pub(super) fn shown(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

/// Whether `path` means standard input.
pub(super) fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// Read `path` (or standard input for `-`) as UTF-8 text of at most 16 MiB.
pub(super) fn read(path: &Path) -> Result<Source, ReadError> {
    let display = shown(path);
    let bytes = if is_stdin(path) {
        let mut buf = Vec::new();
        io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                ReadError::Io(Error::Read {
                    what: "standard input".to_owned(),
                    reason: e.to_string(),
                })
            })?;
        buf
    } else {
        let (file, len) = std::fs::File::open(path)
            .and_then(|f| {
                let meta = f.metadata()?;
                if meta.is_dir() {
                    return Err(io::Error::new(
                        io::ErrorKind::IsADirectory,
                        "it is a folder, not a file",
                    ));
                }
                Ok((f, meta.len()))
            })
            .map_err(|e| ReadError::Io(Error::read(&display, &e)))?;
        if len > MAX_INPUT_BYTES {
            let d = syntax::too_large(len);
            return Err(ReadError::Invalid(Source::new(display, ""), Box::new(d)));
        }
        let mut buf = Vec::new();
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ReadError::Io(Error::read(&display, &e)))?;
        buf
    };
    decode(display, bytes)
}

/// Read `REVISION:PATH` from git (`git show`), as [`read`] reads a file: the same size limit
/// and the same findings for text that is not UTF-8.
pub(super) fn read_git(spec: &str) -> Result<Source, ReadError> {
    let failed = |reason: String| {
        ReadError::Io(Error::Read {
            what: format!("`{spec}` from git"),
            reason,
        })
    };
    if spec.starts_with('-') {
        return Err(failed("a revision cannot start with `-`".to_owned()));
    }
    let out = std::process::Command::new("git")
        .args(["show", "--no-textconv", spec])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| failed(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr);
        let message = crate::text::one_line(message.trim());
        return Err(failed(if message.is_empty() {
            "git show failed".to_owned()
        } else {
            message
        }));
    }
    decode(spec.to_owned(), out.stdout)
}

/// Bytes read from `display` as UTF-8 text of at most 16 MiB.
fn decode(display: String, bytes: Vec<u8>) -> Result<Source, ReadError> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        let d = syntax::too_large(bytes.len() as u64);
        return Err(ReadError::Invalid(Source::new(display, ""), Box::new(d)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(display, text)),
        Err(e) => {
            // The lossily decoded text equals the input up to the first bad byte, so the
            // finding's position is right…
            let mut d = syntax::not_utf8(e.as_bytes());
            // …where the bad byte became one U+FFFD.
            d.primary.span.end = d.primary.span.start + char::REPLACEMENT_CHARACTER.len_utf8();
            let source = Source::new(display, String::from_utf8_lossy(e.as_bytes()));
            Err(ReadError::Invalid(source, Box::new(d)))
        }
    }
}

/// [`read`] for inputs other than the model: every problem is an [`Error`].
pub(super) fn read_input(path: &Path) -> Result<Source, Error> {
    read(path).map_err(ReadError::into_error)
}
