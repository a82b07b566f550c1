//! `hld what-if FILE [--fail ID,...] [--partition A,B]`: what a failure does to every
//! flow (or every client's requests), with the survivors' utilization. It reports;
//! `hld check` judges (exit 0 whatever the outcomes).

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::Outcome;
use super::estimate::{EstimateFormat, compiled, grid_within};
use super::output::{errln, out};
use crate::diagnostics::suggestion_help;
use hld_analysis::estimate::share_percent;
use hld_analysis::facts::Facts;
use hld_analysis::whatif::{self, Outcome as FlowState, WhatIf};
use hld_model::{Model, Place, Scenario};
use hld_syntax::source::Span;

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
    #[arg(long, value_enum, default_value_t = EstimateFormat::Table)]
    format: EstimateFormat,
}

pub fn run(args: WhatIfArgs) -> Outcome {
    let compilation = match compiled(&args.file) {
        Ok(compilation) => compilation,
        Err(outcome) => return outcome,
    };
    let model = &compilation.model;
    let scenarios = if args.fail.is_empty() && args.partition.is_empty() {
        model.scenarios.clone()
    } else {
        match ad_hoc(model, &args.fail, &args.partition) {
            Ok(scenario) => vec![scenario],
            Err(message) => {
                errln!("error: {message}");
                return Outcome::Failure;
            }
        }
    };
    let facts = Facts::new(model);
    let results: Vec<WhatIf> = scenarios
        .iter()
        .map(|s| whatif::what_if(model, &facts, s))
        .collect();
    out!("{}", report(model, &results, args.format));
    Outcome::Success
}

/// The scenario `--fail` and `--partition` describe, with the id `what-if`.
fn ad_hoc(model: &Model, fail: &[String], partition: &[String]) -> Result<Scenario, String> {
    let place = |name: &str| -> Result<Place, String> {
        if let Some(id) = model.find(name) {
            return Ok(Place::Component(id));
        }
        if let Some(group) = model.groups.iter().position(|g| g.id == name) {
            return Ok(Place::Group(group));
        }
        let names = model
            .components
            .iter()
            .map(|c| c.id.as_str())
            .chain(model.groups.iter().map(|g| g.id.as_str()));
        let help = suggestion_help(name, names).map_or(String::new(), |h| format!(": {h}"));
        Err(format!("no component or group is called `{name}`{help}"))
    };
    let fail = fail
        .iter()
        .map(|name| place(name))
        .collect::<Result<Vec<_>, _>>()?;
    let partition = match partition {
        [] => None,
        [a, b] if a != b => Some((place(a)?, place(b)?)),
        _ => {
            return Err("`--partition` takes two different sides: `--partition us,eu`".to_string());
        }
    };
    // Not written anywhere: it points at the start of the design.
    let nowhere = Span::new(hld_syntax::source::FileId(0), 0, 0);
    Ok(Scenario {
        id: "what-if".to_string(),
        label: None,
        fail,
        partition,
        span: nowhere,
        id_span: nowhere,
    })
}

fn report(model: &Model, results: &[WhatIf], format: EstimateFormat) -> String {
    match format {
        EstimateFormat::Json => {
            let json = serde_json::to_string_pretty(&to_json(model, results));
            json.expect("serializes") + "\n"
        }
        EstimateFormat::Table => table(model, results, false),
        EstimateFormat::Markdown => table(model, results, true),
    }
}

fn who(model: &Model, outcome: &whatif::FlowOutcome) -> String {
    match outcome.flow {
        Some(flow) => model.flows[flow].id.clone(),
        None => model.component(outcome.client).id.clone(),
    }
}

pub(super) fn table(model: &Model, results: &[WhatIf], markdown: bool) -> String {
    if results.is_empty() {
        return "The design declares no scenarios: add `scenario zone_a { fail: [...] }`, or ask ad hoc with `--fail` or `--partition`.\n".to_string();
    }
    let mut out = String::new();
    for result in results {
        let mut what = Vec::new();
        if !result.fail.is_empty() {
            what.push(format!("fail {}", result.fail.join(", ")));
        }
        if !result.partition.is_empty() {
            what.push(format!("partition {}", result.partition.join(" | ")));
        }
        let title = format!("{}: {}", result.id, what.join("; "));
        out.push_str(&if markdown {
            format!("### {title}\n\n")
        } else {
            format!("{title}\n\n")
        });
        let mut rows = vec![vec![
            "flow".to_string(),
            "client".to_string(),
            "outcome".to_string(),
        ]];
        for outcome in &result.outcomes {
            rows.push(vec![
                who(model, outcome),
                model.component(outcome.client).id.clone(),
                whatif::describe(&outcome.outcome),
            ]);
        }
        // An outcome says why: it is not cut as short as an estimate's cells.
        out.push_str(&grid_within(&rows, markdown, 240));
        let busy: Vec<String> = result
            .utilization
            .iter()
            .filter(|(_, u)| *u > 0.8)
            .map(|(id, u)| format!("`{}` {}", model.component(*id).id, share_percent(*u)))
            .collect();
        if !busy.is_empty() {
            out.push_str(&format!("\nSurvivors above 80%: {}.\n", busy.join(", ")));
        }
        out.push('\n');
    }
    out
}

fn to_json(model: &Model, results: &[WhatIf]) -> serde_json::Value {
    let scenarios: Vec<serde_json::Value> = results
        .iter()
        .map(|result| {
            let outcomes: Vec<serde_json::Value> = result
                .outcomes
                .iter()
                .map(|o| {
                    let (why, cause) = match &o.outcome {
                        FlowState::Ok => (None, None),
                        FlowState::Degraded(why) => (Some(why.join("; ")), None),
                        FlowState::Down(cause) => (None, Some(cause.clone())),
                    };
                    let mut entry = json!({
                        "outcome": o.outcome.name(),
                        "why": why,
                        "cause": cause,
                    });
                    let key = if o.flow.is_some() { "flow" } else { "client" };
                    entry[key] = json!(who(model, o));
                    entry
                })
                .collect();
            let utilization: Vec<serde_json::Value> = result
                .utilization
                .iter()
                .map(|(id, u)| json!({ "id": model.component(*id).id, "utilization": u }))
                .collect();
            json!({
                "id": result.id,
                "fail": result.fail,
                "partition": result.partition,
                "outcomes": outcomes,
                "utilization": utilization,
            })
        })
        .collect();
    json!({ "version": 1, "scenarios": scenarios })
}
