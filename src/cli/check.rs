//! `hld check [PATHS]`: compile every design named and print what is wrong.

use std::collections::HashSet;
use std::path::PathBuf;

use clap::Args;

use super::files::{Input, expand};
use super::{Outcome, OutputFormat, use_color};
use crate::diagnostics::{Diagnostic, JsonReport, Severity, Summary, code, render_human, to_json};
use crate::{Compilation, compile};

#[derive(Args)]
pub struct CheckArgs {
    /// Design files or directories (searched recursively for *.hld); `-` reads stdin
    paths: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Print the diagnostics only, without the closing summary
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: CheckArgs) -> Outcome {
    let compilations: Vec<Compilation> = expand(&args.paths).iter().map(compile_input).collect();
    let report = Report::new(&compilations);
    match args.format {
        OutputFormat::Human => report.print_human(args.quiet),
        OutputFormat::Json => report.print_json(),
    }
    report.outcome()
}

fn compile_input(input: &Input) -> Compilation {
    match input.read() {
        Ok(bytes) => compile(input.display_path(), bytes),
        Err(error) => Compilation::unreadable(input.display_path(), &error),
    }
}

/// The diagnostics of every design checked, each once: a file imported by several
/// designs is reported once.
struct Report<'a> {
    findings: Vec<(&'a Compilation, &'a Diagnostic)>,
    files: usize,
}

impl<'a> Report<'a> {
    fn new(compilations: &'a [Compilation]) -> Report<'a> {
        let mut seen = HashSet::new();
        let mut paths = HashSet::new();
        let mut findings = Vec::new();
        for compilation in compilations {
            for diagnostic in &compilation.diagnostics {
                let path = &compilation.sources.file(diagnostic.span.file).path;
                let key = (
                    path.clone(),
                    diagnostic.span.start,
                    diagnostic.code,
                    diagnostic.message.clone(),
                );
                if seen.insert(key) {
                    findings.push((compilation, diagnostic));
                }
            }
            for file in compilation.sources.iter() {
                paths.insert(file.path.clone());
            }
        }
        Report {
            findings,
            files: paths.len(),
        }
    }

    fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.files,
            ..Summary::default()
        };
        for (_, diagnostic) in &self.findings {
            summary.count(diagnostic.severity);
        }
        summary
    }

    fn print_human(&self, quiet: bool) {
        let color = use_color();
        for (compilation, diagnostic) in &self.findings {
            print!("{}", render_human(&compilation.sources, diagnostic, color));
            println!();
        }
        if !quiet {
            let s = self.summary();
            println!(
                "{}: {} error{}, {} warning{}, {} info{}",
                plural(s.files, "file checked", "files checked"),
                s.errors,
                if s.errors == 1 { "" } else { "s" },
                s.warnings,
                if s.warnings == 1 { "" } else { "s" },
                s.infos,
                if s.infos == 1 { "" } else { "s" },
            );
        }
    }

    fn print_json(&self) {
        let report = JsonReport {
            version: 1,
            summary: self.summary(),
            diagnostics: self
                .findings
                .iter()
                .map(|(compilation, diagnostic)| to_json(&compilation.sources, diagnostic))
                .collect(),
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report serializes")
        );
    }

    fn outcome(&self) -> Outcome {
        let diagnostics = || self.findings.iter().map(|(_, d)| d);
        if diagnostics().any(|d| d.code == code::IO) {
            Outcome::Failure
        } else if diagnostics().any(|d| d.severity == Severity::Error) {
            Outcome::Findings
        } else {
            Outcome::Success
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
