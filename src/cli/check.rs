//! `hld check [PATHS]`: compile and lint every design named and print what is wrong.

use crate::cli::output::{out, outln};
use hld_analysis::Lint;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::files::expand;
use super::{Outcome, use_color};
use crate::diagnostics::{self, Diagnostic, SarifRule, Summary, render_human};
use crate::{Compilation, compile_file};
use hld_analysis::Settings;
use hld_analysis::config::{self, ConfigFile};
use hld_syntax::source::Sources;
use rayon::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Sarif,
    Github,
    /// GitLab's Code Quality report (`artifacts: reports: codequality`)
    Gitlab,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Report every warning as an error
    Warnings,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Design files or directories (searched recursively for *.hld); `-` reads stdin
    paths: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Print the diagnostics only, without the closing summary
    #[arg(long, short)]
    quiet: bool,
    /// The configuration to use (default: the nearest hld.toml upward from each file)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Raise findings of this level to errors
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Sweep every single component, zone and region failure: a critical flow one of
    /// them takes down is an error (`single-failure-breaks-critical-flow`)
    #[arg(long)]
    deny_single_failures: bool,
}

pub fn run(args: CheckArgs) -> Outcome {
    let mut configs = Configs::default();
    if let Some(path) = &args.config {
        configs.load(path.clone());
    }
    let mut compilations = Vec::new();
    for input in expand(&args.paths) {
        let config_path = args.config.clone().or_else(|| config::discover(&input));
        let config = config_path.map(|p| configs.load(p));
        let settings = Settings {
            config: config.and_then(|c| configs.files[&c].config.as_ref()),
            deny_warnings: args.deny == Some(Deny::Warnings),
            deny_single_failures: args.deny_single_failures,
        };
        let mut compilation = compile_file(input);
        compilation.lint(settings);
        compilations.push(compilation);
    }
    let report = Report::new(
        configs.files.values().map(|c| (&c.sources, &c.diagnostics)),
        &compilations,
    );
    match args.format {
        CheckFormat::Human => report.print_human(args.quiet),
        CheckFormat::Json => outln!(
            "{}",
            diagnostics::json_report(&report.findings, report.files)
        ),
        CheckFormat::Sarif => outln!(
            "{}",
            diagnostics::sarif_report(&report.findings, &sarif_rules())
        ),
        CheckFormat::Github => out!("{}", diagnostics::github_report(&report.findings)),
        CheckFormat::Gitlab => outln!("{}", diagnostics::gitlab_report(&report.findings)),
    }
    report.outcome()
}

/// SARIF's description of every lint rule, from the rule catalogue.
pub fn sarif_rules() -> Vec<SarifRule<'static>> {
    hld_analysis::rules::ALL
        .iter()
        .map(|rule| SarifRule {
            name: rule.name,
            category: rule.category.as_str(),
            summary: rule.summary,
            help: format!("{}\n\nWhy it matters: {}", rule.what, rule.why),
            markdown: hld_analysis::explain::markdown(rule),
            description: rule.what,
            level: rule.level.severity(),
        })
        .collect()
}

/// Configuration files read, each once, by path.
#[derive(Default)]
struct Configs {
    files: HashMap<PathBuf, ConfigFile>,
}

impl Configs {
    fn load(&mut self, path: PathBuf) -> PathBuf {
        self.files
            .entry(path.clone())
            .or_insert_with(|| config::load(&path));
        path
    }
}

/// The diagnostics of every design and configuration checked, each once: a file
/// imported by several designs is reported once.
struct Report<'a> {
    findings: Vec<(&'a Sources, &'a Diagnostic)>,
    files: usize,
}

impl<'a> Report<'a> {
    fn new(
        configs: impl Iterator<Item = (&'a Sources, &'a Vec<Diagnostic>)>,
        compilations: &'a [Compilation],
    ) -> Report<'a> {
        let mut seen = HashSet::new();
        let mut paths = HashSet::new();
        let mut findings = Vec::new();
        let mut configs: Vec<_> = configs.collect();
        configs.sort_by_key(|(sources, _)| sources.iter().next().map(|f| f.path.clone()));
        let all = configs
            .into_iter()
            .chain(compilations.iter().map(|c| (&c.sources, &c.diagnostics)));
        // Each file's path numbered once (hashing a path walks its components; a
        // report hashed it once per finding).
        let mut numbers: HashMap<&Path, usize> = HashMap::new();
        for (sources, diagnostics) in all {
            let files: Vec<usize> = (sources.iter())
                .map(|file| {
                    let next = numbers.len();
                    *numbers.entry(file.path.as_path()).or_insert(next)
                })
                .collect();
            for diagnostic in diagnostics {
                // Borrowed: a report of thousands of findings copies none of them.
                let key = (
                    files[diagnostic.span.file.0 as usize],
                    diagnostic.span.start,
                    diagnostic.code,
                    diagnostic.message.as_str(),
                );
                if seen.insert(key) {
                    findings.push((sources, diagnostic));
                }
            }
        }
        for compilation in compilations {
            paths.extend(compilation.sources.iter().map(|f| f.path.clone()));
        }
        Report {
            findings,
            files: paths.len(),
        }
    }

    fn print_human(&self, quiet: bool) {
        let color = use_color();
        // Each finding is drawn on its own (its excerpt, its labels): side by side, then
        // printed in order.
        let rendered: Vec<String> = self
            .findings
            .par_iter()
            .map(|(sources, diagnostic)| render_human(sources, diagnostic, color))
            .collect();
        for text in rendered {
            out!("{text}");
            outln!();
        }
        if !quiet {
            let mut s = Summary::default();
            self.findings.iter().for_each(|(_, d)| s.count(d.severity));
            outln!(
                "{}: {}, {}, {}",
                plural(self.files, "file checked", "files checked"),
                plural(s.errors, "error", "errors"),
                plural(s.warnings, "warning", "warnings"),
                plural(s.infos, "info", "infos"),
            );
        }
    }

    fn outcome(&self) -> Outcome {
        Outcome::of(self.findings.iter().map(|(_, d)| *d))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
