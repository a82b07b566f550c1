//! `hld what-if FILE [--fail ID,...] [--partition A,B]`: what a failure does to every
//! flow (or every client's requests), with the survivors' utilization. It reports;
//! `hld check` judges (exit 0 whatever the outcomes).

use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use super::estimate::{EstimateFormat, compiled};
use super::output::{errln, out};
use hld_analysis::facts::Facts;
use hld_analysis::whatif::{self, WhatIf};
use hld_model::Model;

#[derive(Args)]
pub struct WhatIfArgs {
    /// The design (`-` reads stdin)
    file: PathBuf,
    /// Components or groups that fail (comma-separated); with `--partition`, one ad-hoc
    /// scenario instead of the design's
    #[arg(long, value_delimiter = ',')]
    fail: Vec<String>,
    /// Two groups or components that can no longer reach each other: `A,B`
    #[arg(long, value_delimiter = ',')]
    partition: Vec<String>,
    /// Sweep every single component, zone and region failure and every partition
    /// between two regions, instead of the declared scenarios
    #[arg(long, conflicts_with_all = ["fail", "partition"])]
    all: bool,
    /// With `--all`: 2 judges every pair of failures too
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2), requires = "all")]
    depth: u8,
    /// With `--all`: exit 1 when one node, zone or region failing takes a `critical`
    /// flow down
    #[arg(long, value_parser = ["down"], requires = "all")]
    deny: Option<String>,
    #[arg(long, value_enum, default_value_t = EstimateFormat::Table)]
    format: EstimateFormat,
}

pub fn run(args: WhatIfArgs) -> Outcome {
    let compilation = match compiled(&args.file) {
        Ok(compilation) => compilation,
        Err(outcome) => return outcome,
    };
    let model = &compilation.model;
    if args.all {
        return sweep(model, args.depth, args.deny.is_some(), args.format);
    }
    let scenarios = if args.fail.is_empty() && args.partition.is_empty() {
        model.scenarios.clone()
    } else {
        match whatif::ad_hoc(model, &args.fail, &args.partition) {
            Ok(scenario) => vec![scenario],
            Err(message) => {
                errln!("error: {message}");
                return Outcome::Failure;
            }
        }
    };
    let facts = Facts::new(model);
    if matches!(args.format, EstimateFormat::Json) {
        // Streamed: one scenario in memory at a time.
        let written =
            hld_output::whatif::write_json(model, &facts, &scenarios, crate::cli::output::Stdout);
        if let Err(error) = written {
            errln!("error: cannot write the JSON: {error}");
            return Outcome::Failure;
        }
        return Outcome::Success;
    }
    let results: Vec<WhatIf> = scenarios
        .iter()
        .map(|s| whatif::what_if(model, &facts, s))
        .collect();
    out!(
        "{}",
        hld_output::whatif::report(model, &results, args.format.into())
    );
    Outcome::Success
}

/// `--all`: the failure sweep; exit 1 under `--deny down` when a critical flow goes down.
fn sweep(model: &Model, depth: u8, deny_down: bool, format: EstimateFormat) -> Outcome {
    let facts = Facts::new(model);
    let sweep = match whatif::sweep::sweep(model, &facts, depth) {
        Ok(sweep) => sweep,
        Err(refusal) => {
            errln!("error: {refusal}");
            return Outcome::Failure;
        }
    };
    match format {
        EstimateFormat::Json => {
            let mut bytes = Vec::new();
            if let Err(error) = hld_output::sweep::write_json(model, &sweep, &mut bytes) {
                errln!("error: cannot write the JSON: {error}");
                return Outcome::Failure;
            }
            out!("{}", String::from_utf8_lossy(&bytes));
            out!("\n");
        }
        EstimateFormat::Table => out!("{}", hld_output::sweep::table(model, &sweep, false)),
        EstimateFormat::Markdown => out!("{}", hld_output::sweep::table(model, &sweep, true)),
    }
    if deny_down && sweep.critical_down() {
        errln!(
            "error: a single failure (one node, zone or region) takes a critical flow down: see `taken down by`"
        );
        return Outcome::Findings;
    }
    Outcome::Success
}
