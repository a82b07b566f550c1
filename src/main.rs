use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    hld::cli::run(hld::cli::Cli::parse()).into()
}
