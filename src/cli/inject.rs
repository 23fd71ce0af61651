//! `archflow inject`: regenerate the blocks between archflow markers in Markdown files, or with
//! `--check` report the stale ones (a diff and a summary) without writing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{DEFAULT_FILE, Exit, output, print_stdout, read};
use crate::error::{Error, Located};
use crate::inject::{self, Injected};
use crate::text::display_safe;

#[derive(Debug, clap::Args)]
pub struct InjectArgs {
    /// Markdown files holding `<!-- archflow:begin KIND -->` … `<!-- archflow:end -->` blocks.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The model the blocks are generated from (`-` reads standard input).
    #[arg(long, short, value_name = "FILE", default_value = DEFAULT_FILE)]
    pub model: PathBuf,
    /// Write nothing; exit 1 when a block is stale, printing a diff and what changed.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub deny: super::DenyArgs,
}

/// Help after the options: the markers and kinds.
pub const AFTER_HELP: &str = "\
Markers, each on a line of its own; the lines between them are replaced:
  <!-- archflow:begin flowchart -->            the Mermaid flowchart
  <!-- archflow:begin sequence FLOW -->        the Mermaid sequence diagram of flow FLOW
  <!-- archflow:begin components -->           the components table
  <!-- archflow:begin findings -->             the check's findings
  <!-- archflow:end -->
Text outside the blocks is kept byte for byte. Markers are read as GitHub renders Markdown
(CommonMark): in a code block (fenced or indented), in an HTML comment opened on an earlier
line or in raw HTML such as <pre>, a marker is text.

Examples:
  archflow inject README.md
  archflow inject README.md docs/architecture.md --model deploy/architecture.yaml
  archflow inject README.md --check       in CI: exit 1 and a diff when a block is stale

Findings do not stop inject (a one-line summary goes to standard error; the `findings` block
lists them). Exits 0 when every file is written (or, with --check, up to date); 1 when
references name nothing (nothing is written), --check finds a stale block, or --deny denies a
finding (after writing); 2 on a marker error (nothing is written), an unreadable file or an
I/O error.";

/// Run `archflow inject`; `color` is for findings printed to standard error.
pub fn run(args: &InjectArgs, color: bool) -> Result<Exit, Error> {
    let mut files: Vec<(String, &Path, String)> = Vec::new();
    for path in &args.files {
        if files.iter().any(|(_, p, _)| *p == path.as_path()) {
            continue;
        }
        if read::is_stdin(path) {
            return Err(Error::Invalid(
                "inject edits files in place; it cannot read standard input".to_owned(),
            ));
        }
        let source = read::read_input(path).map_err(Error::nothing_written)?;
        files.push((source.path, path, source.text));
    }
    // Marker problems first: they need no model, and nothing is written when there is one.
    let problems: Vec<Located> = files
        .iter()
        .filter_map(|(shown, _, text)| inject::parse(text).err().map(|e| (shown, e)))
        .flat_map(|(shown, errors)| errors.into_iter().map(move |e| e.located(shown)))
        .collect();
    if !problems.is_empty() {
        return Err(Error::nothing_written(Error::Input(problems)));
    }
    // The Markdown files are rewritten in place, by design; the model never is.
    let mut model = output::Inputs::default();
    model.add(&args.model, "the model");
    if let Some(why) = files.iter().find_map(|(_, path, _)| model.conflict(path)) {
        return Err(Error::Invalid(why));
    }
    let analysis = match super::analysis_or_exit(&args.model, color, "written")? {
        Ok(analysis) => analysis,
        Err(exit) => return Ok(exit),
    };
    let Some(view) = analysis.view() else {
        return Ok(Exit::Invalid);
    };
    let mut results: Vec<(&str, &Path, Injected<'_>)> = Vec::new();
    let mut problems = Vec::new();
    for (shown, path, text) in &files {
        match inject::inject(text, &view) {
            Ok(done) => results.push((shown, path, done)),
            Err(errors) => problems.extend(errors.into_iter().map(|e| e.located(shown))),
        }
    }
    if !problems.is_empty() {
        return Err(Error::nothing_written(Error::Input(problems)));
    }
    let exit = if args.check {
        check(&results)
    } else {
        write(&results)?
    };
    Ok(match exit {
        Exit::Clean => args.deny.exit(&analysis),
        other => other,
    })
}

/// `--check`: a diff and a summary per stale file; exit 1 when any.
fn check(results: &[(&str, &Path, Injected<'_>)]) -> Exit {
    let mut stale_files = Vec::new();
    let mut report = String::new();
    for (shown, _, done) in results {
        if say_up_to_date(shown, done) {
            continue;
        }
        report.push_str(&done.diff(shown, &format!("{shown} (archflow inject)")));
        report.push_str(&changed_blocks(shown, done, true));
        stale_files.push(format!("{shown} ({} stale)", blocks(done.stale().count())));
    }
    if stale_files.is_empty() {
        return Exit::Clean;
    }
    print_stdout(&report);
    let names: Vec<&str> = results
        .iter()
        .filter(|(_, _, d)| d.changed())
        .map(|(shown, _, _)| *shown)
        .collect();
    eprintln!(
        "archflow: out of date: {}; run `archflow inject {}` to update",
        stale_files.join(", "),
        names.join(" ")
    );
    Exit::Findings
}

/// Write every changed file, all of them or none (see [`output::write_all`]), and say what
/// changed.
fn write(results: &[(&str, &Path, Injected<'_>)]) -> Result<Exit, Error> {
    let changed: Vec<&(&str, &Path, Injected<'_>)> = results
        .iter()
        .filter(|(shown, _, done)| !say_up_to_date(shown, done))
        .collect();
    let files: Vec<(PathBuf, &[u8])> = changed
        .iter()
        .map(|(_, path, done)| (path.to_path_buf(), done.text.as_bytes()))
        .collect();
    output::write_all(&files).map_err(|e| super::build::batch_error(&e))?;
    for (shown, _, done) in changed {
        print_stdout(&changed_blocks(shown, done, false));
    }
    Ok(Exit::Clean)
}

/// Print that `done` changed nothing, if so.
fn say_up_to_date(shown: &str, done: &Injected<'_>) -> bool {
    let unchanged = !done.changed();
    if unchanged {
        print_stdout(&format!(
            "{shown}: {} up to date\n",
            blocks(done.blocks.len())
        ));
    }
    unchanged
}

/// One line per stale block, control characters made visible: with `check`,
/// `file:line:col: `kind` is stale: what changed`; else `file:line:col: updated `kind`: …`.
fn changed_blocks(shown: &str, done: &Injected<'_>, check: bool) -> String {
    let mut out = String::new();
    for block in done.stale() {
        let (at, kind) = (block.block.begin, &block.block.kind);
        let line = if check {
            format!("{shown}:{}:{}: `{kind}` is stale", at.line, at.column)
        } else {
            format!("{shown}:{}:{}: updated `{kind}`", at.line, at.column)
        };
        let _ = writeln!(out, "{line}{}", what_changed(&done.summary(block)));
    }
    display_safe(&out).into_owned()
}

/// `: ` and the changes, joined; nothing when nothing is known of them.
fn what_changed(summary: &[String]) -> String {
    if summary.is_empty() {
        String::new()
    } else {
        format!(": {}", summary.join("; "))
    }
}

fn blocks(n: usize) -> String {
    if n == 1 {
        "1 block".to_owned()
    } else {
        format!("{n} blocks")
    }
}
