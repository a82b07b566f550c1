//! `hld estimate FILE`: the capacity math of a design review, from the design itself.

use crate::cli::output::{err, out};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::files::named;
use super::{Outcome, use_color};
use crate::diagnostics::render_human;
use crate::{Compilation, compile_file};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimateFormat {
    Table,
    Markdown,
    Json,
}

impl From<EstimateFormat> for hld_output::Format {
    fn from(format: EstimateFormat) -> hld_output::Format {
        match format {
            EstimateFormat::Table => hld_output::Format::Table,
            EstimateFormat::Markdown => hld_output::Format::Markdown,
            EstimateFormat::Json => hld_output::Format::Json,
        }
    }
}

#[derive(Args)]
pub struct EstimateArgs {
    /// The design (`-` reads stdin)
    file: PathBuf,
    #[arg(long, value_enum, default_value_t = EstimateFormat::Table)]
    format: EstimateFormat,
    /// Show each figure's formula with the numbers put in
    #[arg(long)]
    explain: bool,
}

pub fn run(args: EstimateArgs) -> Outcome {
    match compiled(&args.file) {
        Ok(compilation) => {
            let model = &compilation.model;
            out!(
                "{}",
                hld_output::estimate::report(model, args.format.into(), args.explain)
            );
            Outcome::Success
        }
        Err(outcome) => outcome,
    }
}

/// The design at `file` (`-` for stdin), compiled without errors; else its diagnostics
/// are printed and the exit code returned (2 when it could not be read).
pub(super) fn compiled(file: &std::path::Path) -> Result<Compilation, Outcome> {
    let compilation = compile_file(named(file));
    if !compilation.has_errors() {
        return Ok(compilation);
    }
    for diagnostic in &compilation.diagnostics {
        err!(
            "{}",
            render_human(&compilation.sources, diagnostic, use_color())
        );
    }
    Err(Outcome::of(&compilation.diagnostics))
}
