//! `archflow inject`: regenerate the blocks between archflow markers in Markdown files, or with
//! `--check` report the stale ones (a diff and a summary) without writing.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::inject::{self, Injected};
use crate::syntax::MAX_INPUT_BYTES;
use crate::text::display_safe;

use super::{DEFAULT_FILE, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, io_reason, output, print_stdout};

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
}

/// Help after the options: the markers and kinds.
pub const AFTER_HELP: &str = "\
Markers, each on a line of its own; the lines between them are replaced:
  <!-- archflow:begin flowchart -->            the Mermaid flowchart
  <!-- archflow:begin sequence FLOW -->        the Mermaid sequence diagram of flow FLOW
  <!-- archflow:begin components -->           the components table
  <!-- archflow:begin findings -->             the check's findings
  <!-- archflow:end -->
Text outside the blocks is kept byte for byte; markers inside ``` code fences are text.

Examples:
  archflow inject README.md
  archflow inject README.md docs/architecture.md --model deploy/architecture.yaml
  archflow inject README.md --check       in CI: exit 1 and a diff when a block is stale

Exits 0 when every file is written (or, with --check, up to date), 1 when the model has error
findings (nothing is written) or --check finds a stale block, 2 on a marker error (nothing is
written), an unreadable file or an I/O error.";

/// Run `archflow inject`; `color` is for findings printed to standard error.
pub fn run(args: &InjectArgs, color: bool) -> u8 {
    let mut files: Vec<(String, &Path, String)> = Vec::new();
    for path in &args.files {
        if files.iter().any(|(_, p, _)| *p == path.as_path()) {
            continue;
        }
        let shown = path.display().to_string();
        match read_markdown(path) {
            Ok(text) => files.push((shown, path, text)),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        }
    }
    // Marker problems first: they need no model, and nothing is written when there is one.
    let mut failed = false;
    for (shown, _, text) in &files {
        if let Err(errors) = inject::parse(text) {
            failed = true;
            for e in errors {
                eprint!("{}", display_safe(&e.render(shown)));
            }
        }
    }
    if failed {
        eprintln!("archflow: nothing was written");
        return EXIT_USAGE;
    }
    let view = match super::analysis_or_code(&args.model, color).map(|a| a.view()) {
        Ok(Some(view)) => view,
        // A model that does not load has been reported by `analysis_or_exit`.
        Ok(None) => return EXIT_USAGE,
        Err(code) => return code,
    };
    let mut results: Vec<(&str, &Path, Injected<'_>)> = Vec::new();
    for (shown, path, text) in &files {
        match inject::inject(text, &view) {
            Ok(done) => results.push((shown, path, done)),
            Err(errors) => {
                failed = true;
                for e in errors {
                    eprint!("{}", display_safe(&e.render(shown)));
                }
            }
        }
    }
    if failed {
        eprintln!("archflow: nothing was written");
        return EXIT_USAGE;
    }
    if args.check {
        check(&results)
    } else {
        write(&results)
    }
}

/// `--check`: a diff and a summary per stale file; exit 1 when any.
fn check(results: &[(&str, &Path, Injected<'_>)]) -> u8 {
    let mut stale_files = Vec::new();
    let mut report = String::new();
    for (shown, _, done) in results {
        if !done.changed() {
            print_stdout(&format!(
                "{shown}: {} up to date\n",
                blocks(done.blocks.len())
            ));
            continue;
        }
        report.push_str(&done.diff(shown, &format!("{shown} (archflow inject)")));
        let mut stale = 0;
        for block in done.stale() {
            stale += 1;
            let line = format!(
                "{shown}:{}:{}: `{}` is stale{}",
                block.block.begin.line,
                block.block.begin.column,
                block.block.kind,
                what_changed(&done.summary(block))
            );
            let _ = writeln!(report, "{}", display_safe(&line));
        }
        stale_files.push(format!("{shown} ({} stale)", blocks(stale)));
    }
    if stale_files.is_empty() {
        return EXIT_OK;
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
    EXIT_FINDINGS
}

/// Write every changed file (atomically), and say what changed.
fn write(results: &[(&str, &Path, Injected<'_>)]) -> u8 {
    for (shown, path, done) in results {
        if !done.changed() {
            print_stdout(&format!(
                "{shown}: {} up to date\n",
                blocks(done.blocks.len())
            ));
            continue;
        }
        if let Err(e) = write_in_place(path, done.text.as_bytes()) {
            eprintln!("error: cannot write `{shown}`: {}", io_reason(&e));
            return EXIT_USAGE;
        }
        let mut out = String::new();
        for block in done.stale() {
            let _ = writeln!(
                out,
                "{shown}:{}:{}: updated `{}`{}",
                block.block.begin.line,
                block.block.begin.column,
                block.block.kind,
                what_changed(&done.summary(block))
            );
        }
        print_stdout(&display_safe(&out));
    }
    EXIT_OK
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

/// The text of a Markdown file: a file (not `-` or a folder), at most 16 MiB, UTF-8.
fn read_markdown(path: &Path) -> Result<String, String> {
    let shown = path.display();
    if path == Path::new("-") {
        return Err("inject edits files in place; it cannot read standard input".to_owned());
    }
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("cannot read `{shown}`: it is a folder, not a file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "`{shown}` is larger than {} MiB",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{shown}`: {}", io_reason(&e)))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].split(|&b| b == b'\n').count();
        format!("`{shown}` is not UTF-8 text (invalid byte at line {line}); nothing was written")
    })
}

/// Replace a file's contents atomically, through a symbolic link to the file it names, keeping
/// its permissions.
fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    output::write_atomic(&target, bytes)?;
    std::fs::set_permissions(&target, permissions)
}
