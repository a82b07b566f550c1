//! What `hld what-if --all` prints: the failures ranked by blast radius, and per flow
//! what takes it down or degrades it; as a table, Markdown or the JSON of docs/cli.md.

use serde::Serialize;

use crate::estimate::grid_within;
use hld_analysis::whatif::Outcome;
use hld_analysis::whatif::sweep::{Candidate, Hit, Sweep};
use hld_model::Model;
use hld_model::figures::share_percent;

/// Failures the table lists; the JSON has them all.
pub const SHOWN: usize = 20;

fn failure_name(model: &Model, failure: &[Candidate]) -> String {
    failure
        .iter()
        .map(|c| c.name(model))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn table(model: &Model, sweep: &Sweep, markdown: bool) -> String {
    let heading = |text: String| {
        if markdown {
            format!("### {text}\n\n")
        } else {
            format!("{text}\n\n")
        }
    };
    let mut out = heading(format!(
        "Failure sweep (depth {}): {} failure sets judged, {} degrade or take down a flow",
        sweep.depth,
        sweep.judged_sets,
        sweep.hits.len()
    ));
    if sweep.hits.is_empty() {
        out.push_str("No single failure degrades or takes down any flow.\n");
        return out;
    }
    out.push_str(&match sweep.worst_single() {
        Some(worst) => format!(
            "Worst single failure: {} ({} of the traffic down, {} degraded)\n\n",
            failure_name(model, &worst.failure),
            share_percent(worst.down_traffic),
            share_percent(worst.degraded_traffic)
        ),
        None => {
            "Worst single failure: none (any one node, zone or region may fail)\n\n".to_string()
        }
    });
    out.push_str(&ranked(model, sweep, markdown));
    out.push('\n');
    out.push_str(&heading("Per flow".to_string()));
    out.push_str(&per_flow(model, sweep, markdown));
    out
}

fn ranked(model: &Model, sweep: &Sweep, markdown: bool) -> String {
    let mut rows = vec![
        [
            "failure",
            "single",
            "down",
            "degraded",
            "traffic down",
            "traffic degraded",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let names = |hit: &Hit, down: bool| {
        let listed: Vec<&str> = hit
            .outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Down(_)) == down)
            .map(|(i, _)| sweep.judged[*i].name.as_str())
            .collect();
        if listed.is_empty() {
            "-".to_string()
        } else {
            listed.join(", ")
        }
    };
    for hit in sweep.hits.iter().take(SHOWN) {
        rows.push(vec![
            failure_name(model, &hit.failure),
            if hit.single { "yes" } else { "" }.to_string(),
            names(hit, true),
            names(hit, false),
            share_percent(hit.down_traffic),
            share_percent(hit.degraded_traffic),
        ]);
    }
    let mut out = grid_within(&rows, markdown, 240);
    if sweep.hits.len() > SHOWN {
        out.push_str(&format!(
            "\nand {} more (`--format json` lists them all)\n",
            sweep.hits.len() - SHOWN
        ));
    }
    out
}

fn per_flow(model: &Model, sweep: &Sweep, markdown: bool) -> String {
    let mut rows = vec![
        ["flow", "critical", "taken down by", "degraded by"]
            .map(String::from)
            .to_vec(),
    ];
    let list = |sets: Vec<&[Candidate]>| {
        if sets.is_empty() {
            return "nothing".to_string();
        }
        let mut names: Vec<String> = sets
            .iter()
            .take(8)
            .map(|s| failure_name(model, s))
            .collect();
        if sets.len() > 8 {
            names.push(format!("{} more", sets.len() - 8));
        }
        names.join(", ")
    };
    for (index, judged) in sweep.judged.iter().enumerate() {
        rows.push(vec![
            judged.name.clone(),
            if judged.critical { "yes" } else { "" }.to_string(),
            list(sweep.downed_by(index)),
            list(sweep.degraded_by(index)),
        ]);
    }
    grid_within(&rows, markdown, 240)
}

/// The versioned JSON of `hld what-if --all --format json` (docs/cli.md).
pub fn write_json(
    model: &Model,
    sweep: &Sweep,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    let failures = sweep
        .hits
        .iter()
        .map(|hit| FailureJson::new(model, sweep, hit))
        .collect();
    let flows = sweep
        .judged
        .iter()
        .enumerate()
        .map(|(index, judged)| FlowJson {
            flow: &judged.name,
            is_flow: judged.flow.is_some(),
            critical: judged.critical,
            down_by: sweep
                .downed_by(index)
                .iter()
                .map(|s| set(model, s))
                .collect(),
            degraded_by: sweep
                .degraded_by(index)
                .iter()
                .map(|s| set(model, s))
                .collect(),
        })
        .collect();
    let document = Document {
        version: 1,
        depth: sweep.depth,
        worst_single: sweep
            .worst_single()
            .map(|h| FailureJson::new(model, sweep, h)),
        judged: sweep.judged_sets,
        critical_down: sweep.critical_down(),
        failures,
        flows,
    };
    serde_json::to_writer_pretty(out, &document)
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    depth: u8,
    worst_single: Option<FailureJson<'a>>,
    judged: usize,
    critical_down: bool,
    failures: Vec<FailureJson<'a>>,
    flows: Vec<FlowJson<'a>>,
}

/// A failure set as the design names its parts: `{"fail": [...], "replica": [...],
/// "partition": [a, b]}`.
#[derive(Serialize)]
struct SetJson<'a> {
    fail: Vec<&'a str>,
    /// Components that lose one copy.
    replica: Vec<&'a str>,
    partition: Vec<&'a str>,
}

fn set<'a>(model: &'a Model, failure: &[Candidate]) -> SetJson<'a> {
    let mut json = SetJson {
        fail: Vec::new(),
        replica: Vec::new(),
        partition: Vec::new(),
    };
    for candidate in failure {
        match *candidate {
            Candidate::Component(id) => json.fail.push(&model.component(id).id),
            Candidate::Replica(id) => json.replica.push(&model.component(id).id),
            Candidate::Group(g) => json.fail.push(&model.groups[g].id),
            Candidate::Partition(a, b) => {
                json.partition = vec![&model.groups[a].id, &model.groups[b].id];
            }
        }
    }
    json
}

#[derive(Serialize)]
struct FailureJson<'a> {
    #[serde(flatten)]
    set: SetJson<'a>,
    /// One node, zone or region (not a replicated component failing whole).
    single: bool,
    down: Vec<DownJson<'a>>,
    degraded: Vec<DegradedJson<'a>>,
    down_traffic: f64,
    degraded_traffic: f64,
}

#[derive(Serialize)]
struct DownJson<'a> {
    flow: &'a str,
    cause: String,
}

#[derive(Serialize)]
struct DegradedJson<'a> {
    flow: &'a str,
    why: String,
}

impl<'a> FailureJson<'a> {
    fn new(model: &'a Model, sweep: &'a Sweep, hit: &'a Hit) -> FailureJson<'a> {
        let mut down = Vec::new();
        let mut degraded = Vec::new();
        for (index, outcome) in &hit.outcomes {
            let flow = sweep.judged[*index].name.as_str();
            match outcome {
                Outcome::Down(cause) => down.push(DownJson {
                    flow,
                    cause: cause.clone(),
                }),
                Outcome::Degraded(why) => degraded.push(DegradedJson {
                    flow,
                    why: why.join("; "),
                }),
                Outcome::Ok => {}
            }
        }
        FailureJson {
            set: set(model, &hit.failure),
            single: hit.single,
            down,
            degraded,
            down_traffic: hit.down_traffic,
            degraded_traffic: hit.degraded_traffic,
        }
    }
}

#[derive(Serialize)]
struct FlowJson<'a> {
    flow: &'a str,
    is_flow: bool,
    critical: bool,
    down_by: Vec<SetJson<'a>>,
    degraded_by: Vec<SetJson<'a>>,
}
