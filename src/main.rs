use std::process::ExitCode;

use clap::Parser;

/// mimalloc: glibc's malloc, realloc and free were a fifth of a check's instructions,
/// and the many small strings and vectors of a large design come and go quickly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    hld::cli::run(hld::cli::Cli::parse()).into()
}
