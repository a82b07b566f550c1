//! `hld fmt [PATHS] [--check]`: rewrite designs in canonical form.

use std::path::PathBuf;

use clap::Args;

use super::files::{Input, expand, write_atomically};
use super::{Outcome, use_color};
use crate::diagnostics::render_human;
use crate::fmt::format_text;
use crate::load::io_reason;
use crate::source::Sources;

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
    let text = match input.read().map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            return fail(&format!(
                "{}: not valid UTF-8; run `hld check` on it",
                path.display()
            ));
        }
        Err(error) => {
            return fail(&format!(
                "cannot read `{}`: {}",
                path.display(),
                io_reason(&error)
            ));
        }
    };
    let formatted = match format_text(&text) {
        Ok(formatted) => formatted,
        Err(errors) => {
            let mut sources = Sources::default();
            sources.add(path, text);
            for error in errors {
                eprint!("{}", render_human(&sources, &error, use_color()));
            }
            return Outcome::Failure;
        }
    };
    match input {
        Input::Stdin if !check => print!("{formatted}"),
        _ if formatted == text => {}
        _ if check => {
            println!("would reformat {}", path.display());
            return Outcome::Findings;
        }
        Input::File(file) => {
            if let Err(error) = write_atomically(file, formatted.as_bytes()) {
                return fail(&format!(
                    "cannot write `{}`: {}",
                    file.display(),
                    io_reason(&error)
                ));
            }
        }
        Input::Stdin => {}
    }
    Outcome::Success
}

fn fail(message: &str) -> Outcome {
    eprintln!("error: {message}");
    Outcome::Failure
}
