//! What `hld simulate` prints: the outcome per flow and the worst moments as a table or
//! Markdown, and the per-step series as the versioned JSON of docs/cli.md (written
//! straight from the run's vectors: a 3,000-component run holds millions of numbers).

use serde::Serialize;

use crate::estimate::grid_within;
use hld_analysis::simulate::{BUSY, FlowRun, Outcome, Run, Series, SeriesKind};
use hld_model::figures::{human_count, human_duration, human_rate, share_percent};

pub fn table(run: &Run, markdown: bool) -> String {
    let what = match &run.scenario {
        Some(id) => format!("scenario `{id}`"),
        None => "the design's own traffic".to_string(),
    };
    table_of(run, &what, markdown)
}

/// The table, its title saying what ran (`scenario `x``, `traffic spike(3x, ...)`).
pub fn table_of(run: &Run, what: &str, markdown: bool) -> String {
    let mut out = String::new();
    let heading = |text: &str| {
        if markdown {
            format!("### {text}\n\n")
        } else {
            format!("{text}\n\n")
        }
    };
    out.push_str(&heading(&title(run, what)));
    out.push_str(&outcomes(run, markdown));
    let busy = busy(run, markdown);
    if !busy.is_empty() {
        out.push('\n');
        out.push_str(&heading(&format!(
            "Components above {}, or holding work back",
            share_percent(BUSY)
        )));
        out.push_str(&busy);
    }
    if !run.assumptions.is_empty() {
        out.push('\n');
        out.push_str(&heading("Assumptions"));
        for assumption in &run.assumptions {
            out.push_str(&format!("- {assumption}\n"));
        }
    }
    out
}

fn title(run: &Run, what: &str) -> String {
    let trigger = match run.trigger {
        Some(w) if w.end >= run.duration => format!(", from {} on", clock(w.start)),
        Some(w) => format!(", {} to {}", clock(w.start), clock(w.end)),
        None => String::new(),
    };
    format!(
        "{} of {} in {} steps{trigger}",
        human_duration(run.duration),
        what,
        human_duration(run.step)
    )
}

use hld_analysis::simulate::human_clock as clock;

fn outcomes(run: &Run, markdown: bool) -> String {
    if run.outcomes.is_empty() {
        return "No client sends requests: give a client `rate` or `dau` and `requests`.\n"
            .to_string();
    }
    let mut rows = vec![
        ["flow", "outcome", "worst errors", "worst p99", "why"]
            .map(String::from)
            .to_vec(),
    ];
    for flow in &run.outcomes {
        rows.push(vec![
            flow.flow.clone(),
            flow.outcome.describe(),
            if flow.worst.error_share > 0.0 {
                format!(
                    "{} at {}",
                    share_percent(flow.worst.error_share),
                    clock(flow.worst.errors_at)
                )
            } else {
                "none".to_string()
            },
            format!(
                "{} at {}",
                human_duration(flow.worst.p99),
                clock(flow.worst.p99_at)
            ),
            flow.why.clone().unwrap_or_default(),
        ]);
    }
    grid_within(&rows, markdown, 240)
}

fn busy(run: &Run, markdown: bool) -> String {
    let mut rows = vec![
        [
            "component",
            "peak utilization",
            "peak backlog",
            "most retries",
            "dropped",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for series in run
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Component)
    {
        let peak = series.peak_utilization();
        let backlog = most(&series.backlog);
        let dropped: f64 = series.dropped.iter().sum::<f64>() * run.step;
        // Busy, or holding work back: a queue's backlog is late work even when the
        // queue itself is far from full.
        if !(peak.is_some_and(|u| u > BUSY) || backlog >= 1.0 || dropped > 0.0) {
            continue;
        }
        let when = |values: &[Option<f64>], of: f64| {
            values
                .iter()
                .position(|v| *v == Some(of))
                .map_or(0.0, |i| run.times[i])
        };
        let backlogs: Vec<Option<f64>> = series.backlog.iter().copied().map(Some).collect();
        rows.push(vec![
            series.id.clone(),
            peak.map_or("—".to_string(), |u| {
                format!(
                    "{} at {}",
                    share_percent(u),
                    clock(when(&series.utilization, u))
                )
            }),
            if backlog >= 1.0 {
                format!(
                    "{} at {}",
                    human_count(backlog),
                    clock(when(&backlogs, backlog))
                )
            } else {
                "0".to_string()
            },
            human_rate(most(&series.retries)),
            if dropped > 0.0 {
                format!("{dropped:.0} messages")
            } else {
                "none".to_string()
            },
        ]);
    }
    if rows.len() == 1 {
        return String::new();
    }
    grid_within(&rows, markdown, 240)
}

fn most(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

/// The versioned JSON of `hld simulate --format json` (docs/cli.md).
pub fn write_json(run: &Run, out: impl std::io::Write) -> serde_json::Result<()> {
    let document = Document {
        version: 1,
        step: run.step,
        duration: run.duration,
        scenario: run.scenario.as_deref(),
        trigger: run.trigger.map(|w| TriggerJson {
            start: w.start,
            end: (w.end < run.duration).then_some(w.end),
        }),
        series: run
            .series
            .iter()
            .map(|s| SeriesJson::new(s, &run.times))
            .collect(),
        outcomes: run.outcomes.iter().map(OutcomeJson::new).collect(),
        assumptions: &run.assumptions,
    };
    serde_json::to_writer(out, &document)
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    step: f64,
    duration: f64,
    scenario: Option<&'a str>,
    trigger: Option<TriggerJson>,
    series: Vec<SeriesJson<'a>>,
    outcomes: Vec<OutcomeJson<'a>>,
    assumptions: &'a [String],
}

#[derive(Serialize)]
struct TriggerJson {
    start: f64,
    /// `null`: it lasts the run.
    end: Option<f64>,
}

#[derive(Serialize)]
struct SeriesJson<'a> {
    id: &'a str,
    kind: &'static str,
    t: &'a [f64],
    offered: Rounded<'a>,
    served: Rounded<'a>,
    errors: Rounded<'a>,
    p50: RoundedOptions<'a>,
    p99: RoundedOptions<'a>,
    utilization: RoundedOptions<'a>,
    backlog: Rounded<'a>,
    retries: Rounded<'a>,
    dropped: Rounded<'a>,
}

impl<'a> SeriesJson<'a> {
    fn new(series: &'a Series, times: &'a [f64]) -> SeriesJson<'a> {
        SeriesJson {
            id: &series.id,
            kind: match series.kind {
                SeriesKind::Component => "component",
                SeriesKind::Flow => "flow",
            },
            t: times,
            offered: Rounded(&series.offered),
            served: Rounded(&series.served),
            errors: Rounded(&series.errors),
            p50: RoundedOptions(&series.p50),
            p99: RoundedOptions(&series.p99),
            utilization: RoundedOptions(&series.utilization),
            backlog: Rounded(&series.backlog),
            retries: Rounded(&series.retries),
            dropped: Rounded(&series.dropped),
        }
    }
}

#[derive(Serialize)]
struct OutcomeJson<'a> {
    flow: &'a str,
    /// `false` for a client without flows, whose requests stand for one.
    is_flow: bool,
    outcome: &'static str,
    recovered_after: Option<f64>,
    why: Option<&'a str>,
}

impl<'a> OutcomeJson<'a> {
    fn new(flow: &'a FlowRun) -> OutcomeJson<'a> {
        OutcomeJson {
            flow: &flow.flow,
            is_flow: flow.is_flow,
            outcome: flow.outcome.name(),
            recovered_after: match flow.outcome {
                Outcome::Recovered { after } => Some(after),
                _ => None,
            },
            why: flow.why.as_deref(),
        }
    }
}

/// Numbers to six significant digits: the model is not more precise, and the JSON of a
/// large run stays a third of the size.
fn round(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return 0.0;
    }
    let digits = 5 - value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (value * scale).round() / scale
}

struct Rounded<'a>(&'a [f64]);

impl Serialize for Rounded<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&v| round(v)))
    }
}

struct RoundedOptions<'a>(&'a [Option<f64>]);

impl Serialize for RoundedOptions<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|v| v.map(round)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_six_significant_digits() {
        assert_eq!(round(0.047_114_243_145_970_68), 0.047_114_2);
        assert_eq!(round(1234.5678), 1234.57);
        assert_eq!(round(0.0), 0.0);
        assert_eq!(round(f64::NAN), 0.0);
    }

    #[test]
    fn a_clock_reads_minutes_and_seconds() {
        assert_eq!(clock(125.0), "2:05");
        assert_eq!(clock(0.0), "0:00");
    }
}
