//! What `hld what-if` prints: each scenario's outcome per flow as a table, Markdown or
//! the versioned JSON of docs/cli.md.

use serde_json::json;

use crate::Format;
use crate::estimate::grid_within;
use hld_analysis::estimate::share_percent;
use hld_analysis::whatif::{self, Outcome as FlowState, WhatIf};
use hld_model::Model;

pub fn report(model: &Model, results: &[WhatIf], format: Format) -> String {
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&json(model, results));
            json.expect("serializes") + "\n"
        }
        Format::Table => table(model, results, false),
        Format::Markdown => table(model, results, true),
    }
}

fn who(model: &Model, outcome: &whatif::FlowOutcome) -> String {
    match outcome.flow {
        Some(flow) => model.flows[flow].id.clone(),
        None => model.component(outcome.client).id.clone(),
    }
}

pub fn table(model: &Model, results: &[WhatIf], markdown: bool) -> String {
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

/// The versioned JSON of `hld what-if --format json` (docs/cli.md).
pub fn json(model: &Model, results: &[WhatIf]) -> serde_json::Value {
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
