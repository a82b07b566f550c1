//! `hld diff OLD NEW`: what a change to a design does (docs/cli.md, docs/diff.md). OLD
//! and NEW are files, or `REV:path` read from git with their imports as they were at
//! REV. Exit 1 when NEW has an error OLD did not; 2 when a version cannot be read.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use super::files::{Input, refuse_input_as_output};
use super::git::Revision;
use super::output::errln;
use super::render::write_output;
use crate::diagnostics::{code, render_human};
use hld_analysis::config::{self, ConfigFile};
use hld_analysis::diff::{self, Diff};
use hld_analysis::{Lint, Settings};
use hld_model::{Compilation, Model};
use hld_output::diff::Names;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    /// For a pull-request comment: a summary line, then tables, the worst first
    Markdown,
    Json,
    /// The new picture: added parts green, removed ones dashed, changed ones amber
    Svg,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The version before: a file, or `REV:path` read from git (`HEAD~1:designs/shop.hld`)
    old: String,
    /// The version after: a file, or `REV:path`
    new: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// How much an estimate must move to be listed (`10%`)
    #[arg(long, default_value = "10%", value_parser = share)]
    threshold: f64,
    /// The configuration to use (default: the nearest hld.toml upward from NEW)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where to write (default: stdout)
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn share(text: &str) -> Result<f64, String> {
    text.strip_suffix('%')
        .and_then(|n| n.trim().parse::<f64>().ok())
        .filter(|n| (0.0..=1000.0).contains(n))
        .map(|n| n / 100.0)
        .ok_or_else(|| format!("`{text}` is not a share: write `10%`"))
}

/// One version, as the user named it, compiled.
struct Version {
    name: String,
    compilation: Compilation,
}

pub fn run(args: DiffArgs) -> Outcome {
    let (old, new) = match (read(&args.old), read(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => {
            errln!("error: {message}");
            return Outcome::Failure;
        }
    };
    for version in [&old, &new] {
        if let Some(io) = version
            .compilation
            .diagnostics
            .iter()
            .find(|d| d.code == code::IO)
        {
            errln!(
                "{}",
                render_human(&version.compilation.sources, io, super::use_color())
            );
            return Outcome::Failure;
        }
    }
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(path) = output {
        let inputs = [&old, &new].into_iter().flat_map(|v| {
            v.compilation
                .sources
                .iter()
                .filter_map(|f| match &f.origin {
                    Input::File(path) => Some(path.as_path()),
                    Input::Stdin => None,
                })
        });
        if let Err(message) = refuse_input_as_output(path, inputs) {
            errln!("error: {message}");
            return Outcome::Failure;
        }
    }
    let config = args
        .config
        .clone()
        .or_else(|| config::discover(&Input::File(PathBuf::from(worktree_path(&args.new)))))
        .map(|path| config::load(&path));
    let (old, new) = (linted(old, config.as_ref()), linted(new, config.as_ref()));
    let diff = diff::diff(&old.compilation, &new.compilation, args.threshold);
    let (old_name, new_name) = (old.name.clone(), new.name.clone());
    let names = Names {
        old: &old_name,
        new: &new_name,
    };
    let written = match args.format {
        DiffFormat::Text => write_output(
            output,
            hld_output::diff::report(&diff, &names, false).as_bytes(),
        ),
        DiffFormat::Markdown => write_output(
            output,
            hld_output::diff::report(&diff, &names, true).as_bytes(),
        ),
        DiffFormat::Json => write_output(output, hld_output::diff::json(&diff, &names).as_bytes()),
        DiffFormat::Svg => svg(
            &diff,
            &old.compilation.model,
            new.compilation,
            &names,
            output,
        ),
    };
    if written != Outcome::Success {
        return written;
    }
    exit(&diff)
}

fn exit(diff: &Diff) -> Outcome {
    if diff.new_errors() {
        Outcome::Findings
    } else {
        Outcome::Success
    }
}

/// Where NEW lives in the working tree, to find its hld.toml.
fn worktree_path(arg: &str) -> String {
    match git_path(arg) {
        Some((_, path)) => path.to_string(),
        None => arg.to_string(),
    }
}

/// `REV:path` when the argument names no file and has a revision before a colon.
fn git_path(arg: &str) -> Option<(&str, &str)> {
    if arg == "-" || Path::new(arg).exists() {
        return None;
    }
    arg.split_once(':')
        .filter(|(rev, path)| !rev.is_empty() && !path.is_empty())
}

fn read(arg: &str) -> Result<Version, String> {
    let compilation = match git_path(arg) {
        None => hld_analysis::compile_file(super::files::named(Path::new(arg))),
        Some((rev, path)) => {
            let revision = Revision::open(rev)?;
            let origin = revision.origin(path)?;
            let bytes = hld_syntax::load::FileSystem::read(&revision, &origin)
                .map_err(|e| e.to_string())?;
            hld_analysis::compile_in(&revision, Input::File(origin), bytes)
        }
    };
    Ok(Version {
        name: arg.to_string(),
        compilation,
    })
}

fn linted(mut version: Version, config: Option<&ConfigFile>) -> Version {
    version.compilation.lint(Settings {
        config: config.and_then(|c| c.config.as_ref()),
        ..Settings::default()
    });
    version
}

/// NEW's picture with the changes marked; NEW must compile to be drawn.
fn svg(
    diff: &Diff,
    old: &Model,
    new: Compilation,
    names: &Names,
    output: Option<&Path>,
) -> Outcome {
    if !new.compiles() {
        for diagnostic in new
            .diagnostics
            .iter()
            .filter(|d| d.category == crate::diagnostics::COMPILE_CATEGORY)
        {
            errln!(
                "{}",
                render_human(&new.sources, diagnostic, super::use_color())
            );
        }
        errln!(
            "error: `{}` does not compile: there is no picture to mark the changes on",
            names.new
        );
        return Outcome::Findings;
    }
    let caption = vec![
        format!(
            "Changes from {} to {}: green added, amber changed, grey and dashed removed",
            names.old, names.new
        ),
        hld_output::diff::summary(diff),
    ];
    let settings = hld_render::Settings::new(hld_render::Format::Svg);
    match hld_render::changes::render(new, old, diff, caption, &settings) {
        Ok(bytes) => write_output(output, &bytes),
        Err(error) => {
            errln!("error: {error}");
            Outcome::Failure
        }
    }
}
