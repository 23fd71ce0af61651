//! `archflow import ecs` (being built).

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EcsArgs {
    /// Input files.
    pub files: Vec<PathBuf>,
}

pub(super) fn run(_args: &EcsArgs) -> u8 {
    eprintln!("error: not implemented yet");
    super::EXIT_USAGE
}
