//! `archflow completions SHELL` and `archflow man`: shell completion scripts and man pages, both
//! generated from the clap definition of the command line, so they never fall behind it.

use std::path::{Path, PathBuf};

use clap::CommandFactory as _;
use clap_complete::Shell;

use super::{Args, Exit, create_dir, output, print_stdout};
use crate::error::Error;

pub(super) const COMPLETIONS_AFTER_HELP: &str = "\
Examples:
  archflow completions bash > ~/.local/share/bash-completion/completions/archflow
  archflow completions zsh > ~/.zfunc/_archflow       (with `fpath+=~/.zfunc` before compinit)
  archflow completions fish > ~/.config/fish/completions/archflow.fish
  archflow completions powershell >> $PROFILE
  eval \"$(archflow completions bash)\"                 this shell only";

pub(super) const MAN_AFTER_HELP: &str = "\
Without --out-dir, prints the page of `archflow` itself (roff) to standard output. With
--out-dir, writes one page per command: archflow.1, archflow-check.1, archflow-build.1, …

Examples:
  archflow man | man -l -
  archflow man --out-dir /usr/local/share/man/man1";

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write one page per command into this folder (created when missing) instead of printing
    /// the main page.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

pub(super) fn completions(args: &CompletionsArgs) -> Exit {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Args::command(), "archflow", &mut script);
    print_stdout(&String::from_utf8_lossy(&script));
    Exit::Clean
}

pub(super) fn man(args: &ManArgs) -> Result<Exit, Error> {
    let mut cmd = Args::command().disable_help_subcommand(true);
    // Building gives subcommands their display names (`archflow-check`), hence the file names.
    cmd.build();
    let Some(dir) = &args.out_dir else {
        let roff =
            page(&cmd).map_err(|e| Error::Invalid(format!("cannot render the man page: {e}")))?;
        print_stdout(&String::from_utf8_lossy(&roff));
        return Ok(Exit::Clean);
    };
    create_dir(dir)?;
    write_pages(&cmd, dir)?;
    Ok(Exit::Clean)
}

/// One man page.
fn page(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut roff)?;
    Ok(roff)
}

/// The pages of `cmd` and its visible subcommands, each written atomically into `dir`.
fn write_pages(cmd: &clap::Command, dir: &Path) -> Result<(), Error> {
    let path = dir.join(clap_mangen::Man::new(cmd.clone()).get_filename());
    page(cmd)
        .and_then(|roff| output::write(&path, &roff))
        .map_err(|e| Error::write(path.display(), &e))?;
    print_stdout(&format!("wrote {}\n", path.display()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    Ok(())
}
