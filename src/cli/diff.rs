//! `archflow diff OLD NEW`: what changed between two versions of a model, each a file or a git
//! revision (read with `git show`).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::read::{self, ReadError};
use super::{DEFAULT_FILE, Exit, emit};
use crate::diagnostic::emit::human as findings;
use crate::diff::{self, picture, report};
use crate::error::Error;
use crate::layout::Direction;
use crate::source::Source;
use crate::{Analysis, analyze, analyze_both};

pub const AFTER_HELP: &str = "\
Each side is a file, `-` (standard input), or a git revision read with `git show`:
`REVISION:PATH` (`main:architecture.yaml`, `origin/main:deploy/architecture.yaml`), or a bare
revision (`HEAD~1`) meaning that revision of the other side's path (or of ./architecture.yaml).
A file that exists wins over a revision of the same name.

Components are matched by name; one that is only on one side is matched by identity: moved
(the same name in another service), renamed (the same AWS ARN, or the same image and ports, or
the same content under another name). Connections, flow steps and findings are compared too;
a step whose action, protocol, port or note changed (the same hop in the same place) is a
changed step, with those fields.

Formats: human (grouped by component; --color always to colour it), json, md (for a pull
request comment, with the picture as Mermaid), mermaid, svg and html (the union of both
versions laid out once: added solid green with `+`, removed dashed red with `−`, changed,
moved or renamed dotted amber with `~`).

Examples:
  archflow diff old.yaml architecture.yaml
  archflow diff HEAD~1 architecture.yaml            what the last commit changed
  archflow diff main:architecture.yaml HEAD:architecture.yaml --format md > comment.md
  archflow diff HEAD~1 HEAD --format svg -o changes.svg
  archflow diff origin/main HEAD --fail-on new-findings    CI: fail only on new findings

Exit codes:
  0  no difference (with --fail-on new-findings: no finding introduced)
  1  the versions differ (with --fail-on new-findings: the change introduces a finding)
  2  a side cannot be read or is not a valid model, or bad usage";

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old version: a file, `-`, `REVISION:PATH` or a bare git revision.
    pub old: String,
    /// The new version: a file, `-`, `REVISION:PATH` or a bare git revision.
    #[arg(default_value = DEFAULT_FILE)]
    pub new: String,
    /// How to print the diff.
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 only for this, not for any difference.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// Which way the picture's tiers run (svg, html).
    #[arg(long, value_enum, default_value_t = Direction::LR)]
    pub direction: Direction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Text grouped by component.
    Human,
    /// One JSON document (see the README).
    Json,
    /// Markdown for a pull-request comment, with the picture as Mermaid.
    Md,
    /// The picture as a Mermaid flowchart.
    Mermaid,
    /// The picture as SVG.
    Svg,
    /// One HTML page: the picture and the list of changes.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Findings the new version has and the old did not.
    NewFindings,
}

/// Where one side comes from.
#[derive(Debug, PartialEq, Eq)]
enum Side {
    File(PathBuf),
    Git(String),
}

/// What `spec` names, given the other side's spec (for a bare revision).
fn side(spec: &str, other: &str) -> Side {
    let path = Path::new(spec);
    if read::is_stdin(path) || path.is_file() {
        return Side::File(path.to_owned());
    }
    // A model's file name is a file, even when it is missing (said as such).
    let model_file = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if model_file && !spec.contains(':') {
        return Side::File(path.to_owned());
    }
    if let Some((revision, file)) = spec.split_once(':') {
        return Side::Git(format!("{revision}:{}", relative(file)));
    }
    // A bare revision: the other side's path.
    let file = if Path::new(other).is_file() {
        other.to_owned()
    } else if let Some((_, file)) = other.split_once(':') {
        file.to_owned()
    } else {
        DEFAULT_FILE.to_owned()
    };
    Side::Git(format!("{spec}:{}", relative(&file)))
}

/// A path as git reads it relative to the current folder (`./PATH`).
fn relative(file: &str) -> String {
    if file.starts_with("./") || file.starts_with("../") || file.starts_with('/') {
        file.to_owned()
    } else {
        format!("./{file}")
    }
}

/// Read one side; a side that cannot be read as text is printed and ends the command.
fn read_side(spec: &str, other: &str, color: bool) -> Result<Result<Source, Exit>, Error> {
    let read = match side(spec, other) {
        Side::File(path) => read::read(&path),
        Side::Git(revision) => read::read_git(&revision).map(|s| Source::new(spec, s.text)),
    };
    match read {
        Ok(source) => Ok(Ok(source)),
        Err(ReadError::Io(e)) => Err(e),
        Err(ReadError::Invalid(source, d)) => {
            eprint!("{}", findings::render(&source, &[*d], color));
            Ok(Err(Exit::Invalid))
        }
    }
}

/// A side that did not load is printed and ends the command.
fn loaded(analysis: Analysis, color: bool) -> Result<Analysis, Exit> {
    if analysis.failed_to_load() {
        eprint!(
            "{}",
            findings::render(&analysis.source, &analysis.diagnostics, color)
        );
        return Err(Exit::Invalid);
    }
    Ok(analysis)
}

/// Read and load one side; a side that does not load is printed and ends the command.
pub(super) fn load(spec: &str, other: &str, color: bool) -> Result<Result<Analysis, Exit>, Error> {
    Ok(read_side(spec, other, color)?.and_then(|source| loaded(analyze(&source), color)))
}

/// `archflow diff`.
pub(super) fn run(args: &DiffArgs, color_out: bool, color_err: bool) -> Result<Exit, Error> {
    if read::is_stdin(Path::new(&args.old)) && read::is_stdin(Path::new(&args.new)) {
        return Err(Error::Invalid(
            "only one side can be read from standard input".to_owned(),
        ));
    }
    let old = match read_side(&args.old, &args.new, color_err)? {
        Ok(source) => source,
        Err(exit) => return Ok(exit),
    };
    let new = match read_side(&args.new, &args.old, color_err)? {
        Ok(source) => source,
        Err(exit) => return Ok(exit),
    };
    let (old, new) = analyze_both(&old, &new);
    let old = match loaded(old, color_err) {
        Ok(a) => a,
        Err(exit) => return Ok(exit),
    };
    let new = match loaded(new, color_err) {
        Ok(a) => a,
        Err(exit) => return Ok(exit),
    };
    let (diff, sides) = diff::compare(&old, &new)?;
    let text = match args.format {
        DiffFormat::Human => report::human(&diff, color_out && args.output.is_none()),
        DiffFormat::Json => report::json(&diff),
        DiffFormat::Md => {
            let mermaid = picture::mermaid(&picture::union(&diff, &sides));
            report::markdown(&diff, &mermaid)
        }
        DiffFormat::Mermaid => picture::mermaid(&picture::union(&diff, &sides)),
        DiffFormat::Svg => picture::svg(&picture::union(&diff, &sides), args.direction),
        DiffFormat::Html => picture::html(&diff, &picture::union(&diff, &sides), args.direction),
    };
    emit(&text, args.output.as_deref())?;
    let fails = match args.fail_on {
        Some(FailOn::NewFindings) => diff.introduces_findings(),
        None => !diff.is_empty(),
    };
    Ok(if fails { Exit::Findings } else { Exit::Clean })
}

#[cfg(test)]
mod tests {
    use super::{Side, side};

    #[test]
    fn a_bare_revision_reads_the_other_sides_path() {
        assert_eq!(
            side("HEAD~1", "main:deploy/a.yaml"),
            Side::Git("HEAD~1:./deploy/a.yaml".to_owned())
        );
        assert_eq!(
            side("no-such-rev", "no-such-file"),
            Side::Git("no-such-rev:./architecture.yaml".to_owned())
        );
        assert_eq!(
            side("main:architecture.yaml", "x"),
            Side::Git("main:./architecture.yaml".to_owned())
        );
        assert_eq!(side("-", "x"), Side::File("-".into()));
        assert_eq!(
            side("no-such-file.yaml", "x"),
            Side::File("no-such-file.yaml".into())
        );
    }
}
