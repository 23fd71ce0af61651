//! `archflow init`: write a starter `architecture.yaml` (the reference system) to edit.

use std::path::{Path, PathBuf};

use super::{DEFAULT_FILE, Exit, output, print_stdout};
use crate::error::Error;

pub(super) const AFTER_HELP: &str = "\
The starter model is the reference system from the README (a Node.js API and MongoDB in one ECS
task, MongoDB's data on EFS, an Application Load Balancer in front), with a comment on what to
do next. It checks with no error (one warning and a few infos, each explaining a
trade-off), so `archflow build` works straight away. An existing file is never overwritten unless --force is given.

Examples:
  archflow init                           write ./architecture.yaml
  archflow init deploy/architecture.yaml
  archflow init --force                   replace an existing model
  archflow init -                         print the starter model instead";

/// The starter model: a header comment, then the repository's reference model, so the two never
/// diverge.
pub const STARTER_MODEL: &str = concat!(
    "# Written by `archflow init`: the reference system, to edit into your own deployment.\n",
    "# Next: `archflow check` checks this file, `archflow build` writes its diagrams and docs into\n",
    "# archflow-out/, and `archflow schema > archflow.schema.json` enables completion and hover text\n",
    "# in editors with yaml-language-server (through the `$schema` line below).\n",
    "#\n",
    include_str!("../../architecture.yaml")
);

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write the starter model (`-` prints it to standard output).
    #[arg(default_value = DEFAULT_FILE)]
    pub file: PathBuf,
    /// Overwrite the file when it exists.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn run(args: &InitArgs) -> Result<Exit, Error> {
    let path = &args.file;
    if path == Path::new("-") {
        print_stdout(STARTER_MODEL);
        return Ok(Exit::Clean);
    }
    // `symlink_metadata`: a dangling symlink is an existing file too.
    if !args.force && path.symlink_metadata().is_ok() {
        return Err(Error::Invalid(format!(
            "`{}` already exists; nothing was written (pass --force to overwrite it)",
            path.display()
        )));
    }
    let written = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir),
        _ => Ok(()),
    }
    .and_then(|()| output::write(path, STARTER_MODEL.as_bytes()));
    written.map_err(|e| Error::write(path.display(), &e))?;
    let arg = if path == Path::new(DEFAULT_FILE) {
        String::new()
    } else {
        format!(" {}", path.display())
    };
    print_stdout(&format!(
        "wrote {path} (the reference system: a Node.js API and MongoDB on ECS behind a load balancer)

Next steps:
  1. edit {path} to describe your deployment
  2. archflow check{arg}          check it (the starter's findings explain its trade-offs)
  3. archflow build{arg}          write its diagrams and docs into archflow-out/
     archflow watch{arg}          or rebuild them on every save
",
        path = path.display()
    ));
    Ok(Exit::Clean)
}
