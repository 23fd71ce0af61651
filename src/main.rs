use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let args = archflow::cli::Args::parse();
    let result = archflow::cli::run(&args);
    if let Err(e) = &result {
        eprint!("{}", e.report());
    }
    ExitCode::from(archflow::cli::Exit::code(&result))
}
