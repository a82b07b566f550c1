//! What `hld what-if` prints: each scenario's outcome per flow as a table, Markdown or
//! the versioned JSON of docs/cli.md.

use serde_json::json;

use crate::Format;
use crate::estimate::grid_within;
use hld_analysis::estimate::share_percent;
use hld_analysis::facts::Facts;
use hld_analysis::whatif::{self, Outcome as FlowState, WhatIf};
use hld_model::{Model, Scenario};
use serde::Serialize;
use serde::ser::SerializeSeq;

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

/// The versioned JSON of `hld what-if --format json` (docs/cli.md), as a value (the
/// playground embeds it in its answers).
pub fn json(model: &Model, results: &[WhatIf]) -> serde_json::Value {
    let scenarios: Vec<ScenarioJson> = results
        .iter()
        .map(|r| ScenarioJson::new(model, r))
        .collect();
    json!({ "version": 1, "scenarios": scenarios })
}

/// The same document streamed to `out`: each scenario is computed, written and dropped,
/// so memory holds one scenario, not all of them (4,000 scenarios of 200 flows took
/// 1.5 GB as one value). Its keys in `serde_json`'s sorted order: the same bytes.
pub fn write_json(
    model: &Model,
    facts: &Facts,
    scenarios: &[Scenario],
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        scenarios: Streamed<'a>,
        version: u32,
    }
    struct Streamed<'a> {
        model: &'a Model,
        facts: &'a Facts,
        scenarios: &'a [Scenario],
    }
    impl Serialize for Streamed<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(Some(self.scenarios.len()))?;
            for scenario in self.scenarios {
                let result = whatif::what_if(self.model, self.facts, scenario);
                seq.serialize_element(&ScenarioJson::new(self.model, &result))?;
            }
            seq.end()
        }
    }
    let document = Document {
        scenarios: Streamed {
            model,
            facts,
            scenarios,
        },
        version: 1,
    };
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &document)?;
    std::io::Write::write_all(&mut out, b"\n").map_err(serde_json::Error::io)
}

/// One scenario; fields in sorted key order.
#[derive(Serialize)]
struct ScenarioJson<'a> {
    fail: &'a [String],
    id: &'a str,
    outcomes: Vec<OutcomeJson>,
    partition: &'a [String],
    utilization: Vec<UtilizationJson<'a>>,
}

#[derive(Serialize)]
struct OutcomeJson {
    cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<String>,
    outcome: &'static str,
    why: Option<String>,
}

#[derive(Serialize)]
struct UtilizationJson<'a> {
    id: &'a str,
    utilization: f64,
}

impl<'a> ScenarioJson<'a> {
    fn new(model: &'a Model, result: &'a WhatIf) -> ScenarioJson<'a> {
        let outcomes = result
            .outcomes
            .iter()
            .map(|o| {
                let (why, cause) = match &o.outcome {
                    FlowState::Ok => (None, None),
                    FlowState::Degraded(why) => (Some(why.join("; ")), None),
                    FlowState::Down(cause) => (None, Some(cause.clone())),
                };
                let name = who(model, o);
                let (client, flow) = if o.flow.is_some() {
                    (None, Some(name))
                } else {
                    (Some(name), None)
                };
                OutcomeJson {
                    cause,
                    client,
                    flow,
                    outcome: o.outcome.name(),
                    why,
                }
            })
            .collect();
        let utilization = result
            .utilization
            .iter()
            .map(|(id, u)| UtilizationJson {
                id: &model.component(*id).id,
                utilization: *u,
            })
            .collect();
        ScenarioJson {
            fail: &result.fail,
            id: &result.id,
            outcomes,
            partition: &result.partition,
            utilization,
        }
    }
}
