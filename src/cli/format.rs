//! `hld fmt [PATHS] [--check]`: rewrite designs in canonical form.

use crate::cli::output::{err, errln, out, outln};
use std::path::PathBuf;

use clap::Args;

use super::files::{Input, expand, write_atomically};
use super::{Outcome, use_color};
use crate::diagnostics::render_human;
use hld_syntax::diagnostics::shown_path;
use hld_syntax::fmt::format_text;
use hld_syntax::load::io_reason;
use hld_syntax::source::Sources;

#[derive(Args)]
pub struct FmtArgs {
    /// Design files or directories (searched recursively for *.hld); `-` formats stdin to stdout
    paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not formatted and exit 1 if there are any
    #[arg(long)]
    check: bool,
}

pub fn run(args: FmtArgs) -> Outcome {
    expand(&args.paths)
        .iter()
        .map(|input| format_input(input, args.check))
        .max()
        .unwrap_or(Outcome::Success)
}

fn format_input(input: &Input, check: bool) -> Outcome {
    let path = input.display_path();
    let bytes = match hld_syntax::load::read_origin(input) {
        Ok(bytes) => bytes,
        Err(error) => {
            return fail(&format!(
                "cannot read `{}`: {}",
                shown_path(&path),
                io_reason(&error)
            ));
        }
    };
    let mut sources = Sources::default();
    let (file, not_utf8) = hld_syntax::load::add_file(&mut sources, input.clone(), bytes);
    let text = sources.file(file).text.as_str();
    let formatted = match not_utf8.map_or_else(|| format_text(text), |e| Err(vec![e])) {
        Ok(formatted) => formatted,
        Err(errors) => {
            for error in errors {
                err!("{}", render_human(&sources, &error, use_color()));
            }
            return Outcome::Failure;
        }
    };
    match input {
        Input::Stdin if !check => out!("{formatted}"),
        _ if formatted == text => {}
        _ if check => {
            outln!("would reformat {}", shown_path(&path));
            return Outcome::Findings;
        }
        Input::File(file) => {
            if let Err(error) = write_atomically(file, formatted.as_bytes()) {
                return fail(&format!(
                    "cannot write `{}`: {}",
                    shown_path(file),
                    io_reason(&error)
                ));
            }
        }
        Input::Stdin => {}
    }
    Outcome::Success
}

fn fail(message: &str) -> Outcome {
    errln!("error: {message}");
    Outcome::Failure
}
