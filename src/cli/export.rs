//! `hld export FILE --to mermaid|d2|dot|drawio|excalidraw [-o OUT]`: the design in another tool's
//! language (docs/cli.md). A design with errors is not exported: its errors are
//! printed (exit 1).

use std::path::{Path, PathBuf};

use clap::Args;

use super::Outcome;
use super::choice::choice;
use super::files::named;
use super::output::errln;
use super::render::{Findings, build_to_write, write_output};
use hld_export::Target;

#[derive(Args)]
pub struct ExportArgs {
    /// The design (`-` reads stdin)
    file: PathBuf,
    /// The language to write
    #[arg(long, value_parser = choice::<Target>())]
    to: Target,
    /// Where to write (default: stdout; `-` is stdout too)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The configuration to use (default: the nearest hld.toml upward from FILE)
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Outcome {
    let target = args.to;
    let output = args.output.filter(|path| path != Path::new("-"));
    let built = match build_to_write(
        &named(&args.file),
        args.config.as_deref(),
        output.as_slice(),
        // No export carries findings.
        Findings::Left,
    ) {
        Ok(built) => built,
        Err(outcome) => return outcome,
    };
    match hld_export::export(&built.compilation, target) {
        Ok(text) => write_output(output.as_deref(), text.as_bytes()),
        Err(error) => {
            errln!("error: {error}");
            Outcome::Failure
        }
    }
}
