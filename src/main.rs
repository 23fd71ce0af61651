use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = archflow::cli::Args::parse();
    ExitCode::from(archflow::cli::run(&args))
}
