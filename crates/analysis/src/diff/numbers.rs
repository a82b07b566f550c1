//! The numbers that moved: per component and flow in both versions, the estimates that
//! moved by more than the threshold (availability by its downtime: 99.9% → 99.99% is
//! a tenfold change, not 0.09%), the what-if outcomes of the scenarios both declare (and
//! of new ones that are not `ok`), and the cost in all.

use std::collections::HashMap;

use crate::estimate::Estimates;
use crate::facts::Facts;
use crate::whatif::{self, Outcome};
use hld_model::figures::{human_duration, human_money, human_rate, human_size, percent};
use hld_model::{Kind, Model};

/// What an estimate measures, and which way is worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// Requests a second at peak into a component, or a flow's rate.
    Peak,
    Utilization,
    Availability,
    /// p50.
    Latency,
    LatencyP99,
    Storage,
    Cost,
}

impl Field {
    /// Its name in the JSON (docs/cli.md), as `hld estimate --format json` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Peak => "peak",
            Field::Utilization => "utilization",
            Field::Availability => "availability",
            Field::Latency => "latency",
            Field::LatencyP99 => "latency_p99",
            Field::Storage => "storage",
            Field::Cost => "cost",
        }
    }

    /// A value as hld prints it.
    pub fn show(self, value: f64) -> String {
        match self {
            Field::Peak => human_rate(value),
            Field::Utilization | Field::Availability => percent(value),
            Field::Latency | Field::LatencyP99 => human_duration(value),
            Field::Storage => human_size(value),
            Field::Cost => human_money(value),
        }
    }

    /// Whether a higher value is worse (`None`: neither, as for load and storage).
    fn higher_is_worse(self) -> Option<bool> {
        match self {
            Field::Peak | Field::Storage => None,
            Field::Availability => Some(false),
            Field::Utilization | Field::Latency | Field::LatencyP99 | Field::Cost => Some(true),
        }
    }

    /// The quantity whose relative change counts: availability by its downtime.
    fn measure(self, value: f64) -> f64 {
        match self {
            Field::Availability => 1.0 - value,
            _ => value,
        }
    }
}

/// One estimate that moved.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    /// A component's or a flow's id, or `design` for the whole.
    pub id: String,
    /// Whether `id` is a flow's.
    pub flow: bool,
    pub field: Field,
    /// `None` where a version has no such figure (an unknown capacity).
    pub old: Option<f64>,
    pub new: Option<f64>,
}

impl Moved {
    /// The relative change of what counts (downtime for availability), `+0.5` for half
    /// as much again; infinite when it appears from nothing.
    pub fn change(&self) -> Option<f64> {
        let (old, new) = (self.field.measure(self.old?), self.field.measure(self.new?));
        Some(if old == 0.0 {
            f64::INFINITY
        } else {
            (new - old) / old.abs()
        })
    }

    /// Whether the design got worse on this figure.
    pub fn regression(&self) -> bool {
        match (self.field.higher_is_worse(), self.old, self.new) {
            (Some(worse_up), Some(old), Some(new)) => (new > old) == worse_up,
            _ => false,
        }
    }

    pub fn improvement(&self) -> bool {
        match (self.field.higher_is_worse(), self.old, self.new) {
            (Some(worse_up), Some(old), Some(new)) => (new < old) == worse_up,
            _ => false,
        }
    }

    /// Sort key: regressions first, then improvements, then neutral changes; within
    /// each, flows (what users feel) before the design's total before components, the
    /// largest change first.
    fn rank(&self) -> (u8, u8, f64) {
        let class = if self.regression() {
            0
        } else if self.improvement() {
            1
        } else {
            2
        };
        let scope = if self.flow {
            0
        } else if self.id == "design" {
            1
        } else {
            2
        };
        let size = self.change().map_or(f64::INFINITY, f64::abs);
        (class, scope, -size)
    }
}

/// A flow's (or a client's) outcome in a scenario that changed.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeChange {
    pub scenario: String,
    /// The flow's id, or the client's for a client without flows.
    pub flow: String,
    /// `ok`, `degraded`, `down`; `None` where the scenario is new.
    pub old: Option<&'static str>,
    pub new: &'static str,
    /// Why, in NEW (what-if's wording).
    pub why: String,
}

impl OutcomeChange {
    pub fn regression(&self) -> bool {
        severity(self.new) > self.old.map_or(0, severity)
    }
}

fn severity(outcome: &str) -> u8 {
    match outcome {
        "down" => 2,
        "degraded" => 1,
        _ => 0,
    }
}

pub(super) struct Numbers {
    pub moved: Vec<Moved>,
    pub outcomes: Vec<OutcomeChange>,
    pub cost: (f64, f64),
}

struct Version<'a> {
    model: &'a Model,
    facts: Facts,
    estimates: Estimates,
}

impl<'a> Version<'a> {
    fn of(model: &'a Model) -> Version<'a> {
        let facts = Facts::new(model);
        let estimates = Estimates::new(model, &facts);
        Version {
            model,
            facts,
            estimates,
        }
    }

    /// The figures compared for component `index`.
    fn component(&self, index: usize) -> Vec<(Field, Option<f64>)> {
        let e = &self.estimates.components[index];
        let client = self.model.components[index].kind == Kind::Client;
        let mut out = vec![
            (Field::Peak, e.inbound.map(|r| r.peak)),
            (Field::Utilization, e.utilization),
            (Field::LatencyP99, e.latency_p99),
            (Field::Storage, e.storage.as_ref().map(|s| s.value)),
            (Field::Cost, e.cost.as_ref().map(|c| c.value)),
        ];
        if !client {
            out.insert(2, (Field::Availability, Some(e.expected_availability)));
        }
        out
    }

    fn flow(&self, index: usize) -> Vec<(Field, Option<f64>)> {
        let e = &self.estimates.flows[index];
        vec![
            (Field::Peak, e.rate.map(|r| r.peak)),
            (Field::Availability, Some(e.availability)),
            (Field::Latency, Some(e.latency)),
            (Field::LatencyP99, Some(e.latency_p99)),
        ]
    }
}

pub(super) fn compare(old: &Model, new: &Model, threshold: f64) -> Numbers {
    let (old, new) = (Version::of(old), Version::of(new));
    let mut moved = Vec::new();
    let design = Moved {
        id: "design".to_string(),
        flow: false,
        field: Field::Cost,
        old: Some(old.estimates.cost),
        new: Some(new.estimates.cost),
    };
    if past(&design, threshold) {
        moved.push(design);
    }
    let at: HashMap<&str, usize> = index(old.model.components.iter().map(|c| c.id.as_str()));
    for (j, component) in new.model.components.iter().enumerate() {
        if let Some(&i) = at.get(component.id.as_str()) {
            let pairs = old.component(i).into_iter().zip(new.component(j));
            moved.extend(changes(&component.id, false, pairs, threshold));
        }
    }
    let at: HashMap<&str, usize> = index(old.model.flows.iter().map(|f| f.id.as_str()));
    for (j, flow) in new.model.flows.iter().enumerate() {
        if let Some(&i) = at.get(flow.id.as_str()) {
            let pairs = old.flow(i).into_iter().zip(new.flow(j));
            moved.extend(changes(&flow.id, true, pairs, threshold));
        }
    }
    moved.sort_by(|a, b| {
        a.rank()
            .partial_cmp(&b.rank())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut outcomes = outcomes(&old, &new);
    outcomes.sort_by_key(|o| !o.regression());
    Numbers {
        moved,
        outcomes,
        cost: (old.estimates.cost, new.estimates.cost),
    }
}

fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

fn changes(
    id: &str,
    flow: bool,
    pairs: impl Iterator<Item = ((Field, Option<f64>), (Field, Option<f64>))>,
    threshold: f64,
) -> Vec<Moved> {
    pairs
        .map(|((field, old), (_, new))| Moved {
            id: id.to_string(),
            flow,
            field,
            old,
            new,
        })
        .filter(|m| past(m, threshold))
        .collect()
}

/// Whether a figure moved by more than `threshold` (a figure that appears or goes
/// counts), and reads differently as hld prints it.
fn past(moved: &Moved, threshold: f64) -> bool {
    match (moved.old, moved.new) {
        (None, None) => false,
        (Some(old), Some(new)) => {
            let shown = moved.field.show(old) != moved.field.show(new);
            shown && moved.change().is_some_and(|c| c.abs() > threshold)
        }
        _ => true,
    }
}

/// Per scenario NEW declares: each flow's (or client's) outcome, where it differs from
/// OLD's in the same scenario, or where a new scenario is not `ok`.
fn outcomes(old: &Version, new: &Version) -> Vec<OutcomeChange> {
    let mut out = Vec::new();
    for scenario in &new.model.scenarios {
        let after = results(new, scenario);
        let before = old
            .model
            .scenarios
            .iter()
            .find(|s| s.id == scenario.id)
            .map(|s| results(old, s));
        for (flow, (outcome, why)) in after {
            let was = before
                .as_ref()
                .map(|b| b.get(&flow).map_or("ok", |(o, _)| *o));
            if was != Some(outcome) && !(was.is_none() && outcome == "ok") {
                out.push(OutcomeChange {
                    scenario: scenario.id.clone(),
                    flow,
                    old: was,
                    new: outcome,
                    why,
                });
            }
        }
    }
    out
}

/// A scenario's outcome per flow (or client), by id, in the design's order.
fn results(
    version: &Version,
    scenario: &hld_model::Scenario,
) -> indexmap::IndexMap<String, (&'static str, String)> {
    let model = version.model;
    whatif::what_if(model, &version.facts, scenario)
        .outcomes
        .into_iter()
        .map(|o| {
            let id = match o.flow {
                Some(flow) => model.flows[flow].id.clone(),
                None => model.component(o.client).id.clone(),
            };
            let why = match &o.outcome {
                Outcome::Ok => String::new(),
                other => whatif::describe(other),
            };
            (id, (o.outcome.name(), why))
        })
        .collect()
}
