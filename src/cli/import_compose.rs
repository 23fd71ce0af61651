//! `archflow import compose` (being built).

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ComposeArgs {
    /// Input files.
    pub files: Vec<PathBuf>,
}

pub(super) fn run(_args: &ComposeArgs) -> u8 {
    eprintln!("error: not implemented yet");
    super::EXIT_USAGE
}
