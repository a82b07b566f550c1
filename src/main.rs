use std::process::ExitCode;

use clap::Parser;

/// mimalloc: glibc's malloc, realloc and free were a fifth of a check's instructions,
/// and the many small strings and vectors of a large design come and go quickly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack of each of rayon's workers (the rules, parse pieces and findings run on
/// them): room for `with_deep_stack`'s red zone, so it grows onto a fresh segment only
/// for a design that needs it, not for every rule (2 MB, rayon's default, never had it).
const WORKER_STACK: usize = 16 * 1024 * 1024;

fn main() -> ExitCode {
    // Only fails when a pool was built already; the default then serves.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    hld::cli::run(hld::cli::Cli::parse()).into()
}
