//! The `hld` command line (docs/cli.md). Each command is a thin driver over the library.

mod check;
mod choice;
mod diff;
mod estimate;
mod export;
mod whatif;

pub use check::sarif_rules;
pub use estimate::EstimateFormat;
mod files;
mod format;
mod git;
mod output;
mod practice;
mod render;
mod report;
mod rules;
mod simulate;
mod watch;

use output::errln;
use std::process::ExitCode;

use crate::diagnostics::{Diagnostic, Severity, code};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "hld",
    version,
    about = "Compile high-level designs: check their trade-offs and draw them"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, validate and lint designs; print diagnostics (the CI command)
    Check(check::CheckArgs),
    /// Draw a design: SVG, PNG or laid-out geometry as JSON
    Render(render::RenderArgs),
    /// Redraw on every save and serve a live page on 127.0.0.1
    Watch(watch::WatchArgs),
    /// Rewrite designs in canonical form
    Fmt(format::FmtArgs),
    /// Back-of-the-envelope capacity, storage, bandwidth, availability and latency
    Estimate(estimate::EstimateArgs),
    /// What a failure does to every flow: declared scenarios, or one given by flags
    #[command(name = "what-if")]
    WhatIf(whatif::WhatIfArgs),
    /// Run the design over time: traffic shapes, queues, retries, failures and recovery
    Simulate(simulate::SimulateArgs),
    /// System-design practice: prompts, a starter design, a grade with hints
    Practice(practice::PracticeArgs),
    /// The design in another tool's language: Mermaid, D2, DOT or draw.io
    Export(export::ExportArgs),
    /// What a change to a design does: elements, findings, numbers, what-if, cost
    Diff(diff::DiffArgs),
    /// A design-review document: requirements, diagram, estimates, findings, decisions
    Report(report::ReportArgs),
    /// A language server on stdio, for editors (docs/editors.md)
    Lsp,
    /// A Model Context Protocol server on stdio, for coding agents (docs/agents.md)
    Mcp,
    /// List every rule: name, category, default level, summary
    Rules(rules::RulesArgs),
    /// Explain a rule: the trade-off, a bad and a good example, further reading
    Explain(rules::ExplainArgs),
}

/// Exit codes of every command (docs/cli.md).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Outcome {
    Success = 0,
    /// `check` found an error; `fmt --check` found unformatted files.
    Findings = 1,
    /// The command could not do its job.
    Failure = 2,
}

impl Outcome {
    /// The exit code diagnostics call for (docs/cli.md): 2 when a file could not be read,
    /// 1 for any error, else 0.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Outcome {
        let mut outcome = Outcome::Success;
        for diagnostic in diagnostics {
            if diagnostic.code == code::IO {
                return Outcome::Failure;
            }
            if diagnostic.severity == Severity::Error {
                outcome = Outcome::Findings;
            }
        }
        outcome
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(outcome as u8)
    }
}

pub fn run(cli: Cli) -> Outcome {
    let outcome = run_command(cli);
    match output::failure() {
        Some(error) => {
            errln!("error: cannot write to stdout: {error}");
            Outcome::Failure
        }
        None => outcome,
    }
}

fn run_command(cli: Cli) -> Outcome {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Render(args) => render::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Fmt(args) => format::run(args),
        Command::Estimate(args) => estimate::run(args),
        Command::WhatIf(args) => whatif::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Practice(args) => practice::run(args),
        Command::Export(args) => export::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Lsp => match hld_lsp::run() {
            Ok(()) => Outcome::Success,
            Err(error) => {
                errln!("error: the language server stopped: {error}");
                Outcome::Failure
            }
        },
        Command::Mcp => match hld_mcp::run() {
            Ok(()) => Outcome::Success,
            Err(error) => {
                errln!("error: the MCP server stopped: {error}");
                Outcome::Failure
            }
        },
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
    }
}

/// Colour only on a terminal, and never with `NO_COLOR` (no-color.org).
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
