//! `archflow build`: every output into a folder, as one unit, with a manifest of what it wrote.
//!
//! The files are written with [`output::write_all`]: all of them or none (a file that already
//! holds its bytes is left as it was, time stamp and all). Next to them goes
//! [`MANIFEST`], the names and SHA-256 hashes of the files this build wrote. The next build
//! removes the files the manifest lists that it no longer writes (the sequence diagram of a
//! flow that was removed or renamed), but only when they still hold what archflow wrote: a
//! file changed since is kept, with a note, and a file the manifest does not list is never
//! touched.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use super::output::{self, Inputs, Outcome};
use super::{
    BuildArgs, DEFAULT_FILE, Exit, analysis_or_exit, build_options, create_dir, diff, drawable,
    print_stdout, read,
};
use crate::Analysis;
use crate::diff::history;
use crate::error::Error;

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = ".archflow-build.json";

/// What a build did to one file, as it is told to the caller.
#[derive(Debug)]
pub(super) enum Done<'a> {
    Wrote(&'a Path),
    /// Not written: it already held this build's bytes.
    Unchanged,
    /// Removed: an output of an earlier build that this one no longer writes.
    Removed(&'a Path),
    /// Kept although this build no longer writes it: it changed since archflow wrote it.
    Kept(&'a Path),
}

/// The manifest: the files one build wrote.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// A line for people who open the file.
    #[serde(default)]
    about: String,
    files: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    name: String,
    sha256: String,
}

const ABOUT: &str = "Written by `archflow build`: the files it wrote into this folder, so that \
                     the next build can remove the ones it no longer writes.";

fn sha256(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The manifest of the last build in `dir`, if there is one archflow can read.
fn previous(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether `name` is a name archflow writes: one plain file name (no `..`), or one in
/// [`VIEWS`].
fn plain(name: &str) -> bool {
    let name = name
        .strip_prefix(VIEWS)
        .and_then(|n| n.strip_prefix('/'))
        .unwrap_or(name);
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(n)), None) if n == name && name != MANIFEST
    )
}

/// The folder of the views' files in the output folder.
const VIEWS: &str = "views";

/// `archflow build`: print each file written or removed.
pub(super) fn run(args: &BuildArgs, color: bool) -> Result<Exit, Error> {
    let mut unchanged = 0usize;
    let exit = build_with(args, color, &mut |done| match done {
        Done::Wrote(path) => print_stdout(&format!("wrote {}\n", path.display())),
        Done::Unchanged => unchanged += 1,
        Done::Removed(path) => print_stdout(&format!(
            "removed {} (an earlier build wrote it; this one does not)\n",
            path.display()
        )),
        Done::Kept(path) => eprintln!(
            "note: kept {}: an earlier build wrote it and this one does not, but it has changed \
             since; delete it if it is not needed",
            path.display()
        ),
    })?;
    if unchanged > 0 {
        let files = if unchanged == 1 { "file" } else { "files" };
        print_stdout(&format!(
            "{unchanged} {files} in {} unchanged: they already held this build's bytes\n",
            args.out_dir.display()
        ));
    }
    Ok(exit)
}

/// `build`'s work (also `watch`'s): check, render, write every file as one unit, then remove the
/// earlier build's files this one no longer writes. `on_done` is told of each file, after all
/// are written. Findings are printed here.
pub(super) fn build_with(
    args: &BuildArgs,
    color: bool,
    on_done: &mut dyn FnMut(Done<'_>),
) -> Result<Exit, Error> {
    let mut inputs = Inputs::default();
    let versions = if args.history.is_empty() {
        let analysis = match analysis_or_exit(&args.file, color, "rendered")? {
            Ok(a) => a,
            Err(exit) => return Ok(exit),
        };
        inputs.add(&args.file, "the model");
        vec![analysis]
    } else {
        match versions(&args.history, color, &mut inputs)? {
            Ok(all) => all,
            Err(exit) => return Ok(exit),
        }
    };
    let Some(analysis) = versions.last() else {
        return Err(Error::Invalid("no model to build".to_owned()));
    };
    let options = build_options(&args.style, &mut inputs)?;
    let mut outputs = crate::build(analysis, &options).map_err(Error::nothing_written)?;
    if !args.history.is_empty() {
        let evolution = history::evolve(&versions).map_err(Error::nothing_written)?;
        let page = history::page(&evolution, options.direction, &options.templates)
            .map_err(|e| Error::from(e).nothing_written())?;
        outputs.files.push(crate::pipeline::Output {
            name: HISTORY.to_owned(),
            text: page,
        });
    }
    let dir = &args.out_dir;
    let manifest = Manifest {
        about: ABOUT.to_owned(),
        files: crate::parallel::map(&outputs.files, |f| Entry {
            name: f.name.clone(),
            sha256: sha256(f.text.as_bytes()),
        }),
    };
    let mut manifest_text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    manifest_text.push('\n');
    let mut files: Vec<(PathBuf, &[u8])> = outputs
        .files
        .iter()
        .map(|f| (dir.join(&f.name), f.text.as_bytes()))
        .collect();
    files.push((dir.join(MANIFEST), manifest_text.as_bytes()));
    for (path, _) in &files {
        if let Some(why) = inputs.conflict(path) {
            return Err(Error::Invalid(why));
        }
    }
    create_dir(dir)?;
    let folders: std::collections::BTreeSet<&Path> = files
        .iter()
        .filter_map(|(path, _)| path.parent().filter(|p| *p != dir))
        .collect();
    for folder in folders {
        create_dir(folder)?;
    }
    let earlier = previous(dir);
    let outcomes = output::write_all(&files).map_err(|e| batch_error(&e))?;
    // The manifest, last, is not reported.
    for ((path, _), outcome) in files[..files.len() - 1].iter().zip(outcomes) {
        on_done(match outcome {
            Outcome::Written => Done::Wrote(path),
            Outcome::Unchanged => Done::Unchanged,
        });
    }
    if let Some(earlier) = earlier {
        remove_stale(dir, &earlier, &manifest, on_done);
    }
    Ok(args.deny.exit(analysis))
}

/// Read and load every version of `--history`, oldest first; the newest must be drawable, as
/// `build`'s model must. Nothing is written before all of them are read.
fn versions(
    specs: &[String],
    color: bool,
    inputs: &mut Inputs,
) -> Result<Result<Vec<Analysis>, Exit>, Error> {
    if specs.len() < 2 {
        return Err(Error::Invalid(
            "--history needs at least two versions of the model (files or git revisions)"
                .to_owned(),
        ));
    }
    if specs
        .iter()
        .filter(|s| read::is_stdin(Path::new(s)))
        .count()
        > 1
    {
        return Err(Error::Invalid(
            "only one version can be read from standard input".to_owned(),
        ));
    }
    // A bare revision (`HEAD~1`) reads the path another version names.
    let path = specs
        .iter()
        .find(|s| Path::new(s).is_file() || s.contains(':'))
        .map_or(DEFAULT_FILE, String::as_str);
    let mut all = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let analysis = match diff::load(spec, path, color)? {
            Ok(a) => a,
            Err(exit) => return Ok(Err(exit)),
        };
        let newest = i + 1 == specs.len();
        inputs.add(
            Path::new(spec),
            if newest {
                "the model"
            } else {
                "a version of the model"
            },
        );
        if newest {
            match drawable(analysis, color, "written") {
                Ok(a) => all.push(a),
                Err(exit) => return Ok(Err(exit)),
            }
        } else {
            all.push(analysis);
        }
    }
    Ok(Ok(all))
}

/// The evolution page's file name in the output folder.
pub const HISTORY: &str = "history.html";

/// Remove the files `earlier` lists that `now` does not, when they still hold what archflow
/// wrote.
fn remove_stale(dir: &Path, earlier: &Manifest, now: &Manifest, on_done: &mut dyn FnMut(Done<'_>)) {
    for old in &earlier.files {
        if !plain(&old.name) || now.files.iter().any(|f| f.name == old.name) {
            continue;
        }
        let path = dir.join(&old.name);
        // Only a regular file (never what a link points at).
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if !regular {
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) if sha256(&bytes) == old.sha256 => {
                if std::fs::remove_file(&path).is_ok() {
                    on_done(Done::Removed(&path));
                }
            }
            Ok(_) => on_done(Done::Kept(&path)),
            Err(_) => {}
        }
    }
}

/// A failed [`output::write_all`] as an error: which file, why, and what was left.
pub(super) fn batch_error(e: &output::BatchError) -> Error {
    let path = e.path.display().to_string();
    let reason = crate::error::io_reason(&e.error);
    if e.new.is_empty() {
        Error::Write { path, reason }.nothing_written()
    } else {
        Error::PartlyWritten {
            path,
            reason,
            new: e.new.iter().map(|p| p.display().to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn only_plain_names_are_removed() {
        assert!(plain("sequence-a.mmd"));
        assert!(plain("views/overview.svg"));
        for name in [
            "../x",
            "a/b",
            "views/../x",
            "views/a/b",
            "views/",
            "/etc/passwd",
            "",
            ".",
            "..",
            super::MANIFEST,
        ] {
            assert!(!plain(name), "{name}");
        }
    }
}
