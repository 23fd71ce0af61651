//! `archflow watch`: `build`, then build again each time the model is saved.
//!
//! The model's folder is watched, not the file: editors that save by writing a temporary file
//! and renaming it over the model replace the file, and a watch on the old file would see
//! nothing after the first save. Events about other files in the folder are ignored.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use super::build::{Done, build_with};
use super::{BuildArgs, Exit, print_stdout};
use crate::error::Error;

/// How long the model must be left alone before a rebuild: one save is often several events
/// (truncate, write, close; or write a temporary file, rename it over the model).
const DEBOUNCE: Duration = Duration::from_millis(150);

pub(super) const AFTER_HELP: &str = "\
Builds once, like `archflow build`, then again each time the model's content changes, until
stopped with Ctrl-C. Each build prints a one-line summary of the findings and one line:
`rebuilt 6 files in archflow-out in 12 ms`, or `not rebuilt` when the model cannot be loaded or
a reference names nothing (printed in full); the outputs of the last good build are then kept,
and watching goes on.

The model's folder is watched, so saves that replace the file (write a temporary file, rename it
over the model, as many editors do) are seen too.

Examples:
  archflow watch
  archflow watch deploy/architecture.yaml --out-dir docs/architecture";

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Stop after this many rebuilds (the first build does not count); for tests.
    #[arg(long, hide = true, value_name = "N")]
    pub max_rebuilds: Option<u32>,
}

pub(super) fn run(args: &WatchArgs, color: bool) -> Result<Exit, Error> {
    if !args.build.history.is_empty() {
        return Err(Error::Invalid(
            "`archflow watch` does not take --history: run `archflow build --history`".to_owned(),
        ));
    }
    let file = &args.build.file;
    if file == Path::new("-") {
        return Err(Error::Invalid(
            "`archflow watch` needs a file: standard input cannot be watched".to_owned(),
        ));
    }
    let Some(name) = file.file_name() else {
        return Err(Error::Invalid(format!(
            "`{}` names no file",
            file.display()
        )));
    };
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Error::Invalid(format!("cannot watch files: {e}")))?;
    watcher
        .watch(folder, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Invalid(format!("cannot watch folder `{}`: {e}", folder.display())))?;

    // The watch is in place before the first build, so no save after it can be missed.
    let mut last = std::fs::read(file).ok();
    rebuild(args, color);
    print_stdout(&format!(
        "watching {} for changes (Ctrl-C to stop)\n",
        file.display()
    ));

    let mut rebuilds = 0;
    while args.max_rebuilds.is_none_or(|max| rebuilds < max) {
        // Wait for a change to the model, then until it has been quiet for `DEBOUNCE`.
        let mut quiet_at: Option<Instant> = None;
        loop {
            let received = match quiet_at {
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            match received {
                Ok(Ok(event)) if concerns(&event, name) => {
                    quiet_at = Some(Instant::now() + DEBOUNCE);
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => eprintln!("warning: watching `{}`: {e}", folder.display()),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Error::Invalid(format!(
                        "stopped watching `{}`",
                        folder.display()
                    )));
                }
            }
        }
        // Saving without a change (or a change and its undo within the debounce) rebuilds
        // nothing.
        let now = std::fs::read(file).ok();
        if now == last {
            continue;
        }
        last = now;
        rebuild(args, color);
        rebuilds += 1;
    }
    Ok(Exit::Clean)
}

/// Whether an event may have changed the model: anything but a read, about a path named like it
/// (in either place of a rename), or a hint that events were lost.
fn concerns(event: &Event, name: &OsStr) -> bool {
    if event.need_rescan() {
        return true;
    }
    !matches!(event.kind, EventKind::Access(_))
        && event.paths.iter().any(|p| p.file_name() == Some(name))
}

/// Build once and print how it went.
fn rebuild(args: &WatchArgs, color: bool) {
    let started = Instant::now();
    let (mut written, mut unchanged) = (0usize, 0usize);
    let result = build_with(&args.build, color, &mut |done| match done {
        Done::Wrote(_) => written += 1,
        Done::Unchanged => unchanged += 1,
        Done::Removed(_) | Done::Kept(_) => {}
    });
    if let Err(e) = &result {
        eprint!("{}", e.report());
    }
    let ms = started.elapsed().as_millis();
    let out_dir = args.build.out_dir.display();
    let line = match &result {
        // Written (with --deny, findings may still be denied: the summary line said which).
        Ok(Exit::Clean | Exit::Findings) if written > 0 => {
            let files = if written == 1 { "file" } else { "files" };
            let others = if unchanged > 0 {
                format!(" ({unchanged} unchanged)")
            } else {
                String::new()
            };
            format!("rebuilt {written} {files} in {out_dir} in {ms} ms{others}\n")
        }
        // The save changed nothing the outputs show (a comment, say).
        Ok(Exit::Clean | Exit::Findings) if unchanged > 0 => {
            format!("up to date: the outputs in {out_dir} did not change ({ms} ms)\n")
        }
        Ok(Exit::Findings) => "not rebuilt: references name nothing (see above); the last outputs \
                               are kept\n"
            .to_owned(),
        _ => "not rebuilt: see the error above; the last outputs are kept\n".to_owned(),
    };
    print_stdout(&line);
}
