//! What a run knows before its first step, read once from the design and its estimates:
//! per link the share of its sender's requests it carries (normal, during the failure,
//! and while a failed cache is cold), its timeout, retries and breaker; per component its
//! capacity, servers, latency and autoscaling; per flow the steps it takes.

use petgraph::Direction;
use petgraph::visit::EdgeRef;

use super::traffic::{Shape, Window};
use crate::estimate::{Estimates, Outage};
use crate::facts::{self, Facts, Redundancy};
use crate::whatif;
use hld_model::schema::Target;
use hld_model::{Component, Kind, Model, Scenario, Value, attr, call, param};

/// A caller gives up after this long when its link states no `timeout`.
pub const DEFAULT_TIMEOUT: f64 = 30.0;
/// `exponential(...)` and `fixed(...)` without `base`/`delay`.
pub const DEFAULT_BACKOFF: f64 = 0.1;
/// Backoff is capped, as the AWS SDKs cap theirs at 20 s
/// (docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
pub const MAX_BACKOFF: f64 = 20.0;
/// A consumer of unknown capacity drains a backlog at this multiple of its peak rate (it
/// keeps up at peak, and has some room beyond: nothing says how much).
pub const DRAIN_FACTOR: f64 = 2.0;
/// Autoscaling aims at this utilization (a common target-tracking setting).
pub const SCALE_TARGET: f64 = 0.7;

/// The shares a regime's estimate gives each link, and each component's capacity.
pub(super) struct Regime {
    /// Per link: requests sent on it per request its sender serves.
    pub coef: Vec<f64>,
    /// Per link: requests per second sent when the sender receives none (a source).
    pub source: Vec<f64>,
    /// Per component: requests per second it serves in all, when limited.
    pub capacity: Vec<Option<f64>>,
    /// Per component: servers sharing that capacity (replicas × shards).
    pub servers: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Backoff {
    None,
    Fixed(f64),
    Exponential { base: f64, jitter: bool },
}

impl Backoff {
    /// The span over which retry number `attempt` (1 for the first retry) is sent after
    /// the failure is seen: full jitter spreads it from zero to the backoff.
    pub fn span(self, attempt: u32) -> (f64, f64) {
        match self {
            Backoff::None => (0.0, 0.0),
            Backoff::Fixed(delay) => (delay, delay),
            Backoff::Exponential { base, jitter } => {
                let delay =
                    (base * 2f64.powi(attempt.saturating_sub(1).min(60) as i32)).min(MAX_BACKOFF);
                if jitter { (0.0, delay) } else { (delay, delay) }
            }
        }
    }
}

pub(super) struct LinkPlan {
    pub from: usize,
    pub to: usize,
    /// The caller waits for it (docs/language.md `mode`).
    pub sync: bool,
    pub timeout: f64,
    /// Attempts in all (1: no retries).
    pub attempts: u32,
    pub backoff: Backoff,
    pub breaker: bool,
    pub fallback: bool,
    /// Out of a queue to a consumer group: the consumer pulls what it can serve.
    pub consumer: bool,
    /// Closes a cycle: what it carries arrives a step later.
    pub cycle: bool,
}

pub(super) struct ComponentPlan {
    pub kind: Kind,
    /// Clients: the peak rate and the share of it an average second carries.
    pub rate: f64,
    pub average_share: f64,
    pub shape: Shape,
    /// p50 and p99 of one request, unloaded.
    pub latency: Option<(f64, f64)>,
    /// Autoscaling bounds; the estimate's capacity is at the minimum.
    pub autoscale: Option<(u64, u64)>,
    pub scale_delay: f64,
    pub warmup: f64,
    /// A queue's `retention`: older messages are dropped.
    pub retention: Option<f64>,
    /// The longest timeout of the links into it (the queue it keeps is bounded by it).
    pub patience: f64,
    /// Requests per second arriving at the estimate's peak.
    pub steady: f64,
}

pub(super) struct StepPlan {
    /// The links the step stands for (a router's alternatives), with the flow's share
    /// of requests that reach each target.
    pub links: Vec<usize>,
    pub reach: f64,
    pub sync: bool,
}

pub(super) struct FlowPlan {
    pub id: String,
    /// The client whose requests these are (a flow, or a client without flows).
    pub client: usize,
    pub is_flow: bool,
    pub rate: f64,
    pub shape: Option<Shape>,
    pub steps: Vec<StepPlan>,
    pub latency: (f64, f64),
    pub budget: Option<f64>,
    /// A client without flows: the components of its slowest path, whose queues add
    /// to its latency.
    pub latency_path: Vec<usize>,
}

pub(super) struct Plan {
    pub order: Vec<usize>,
    pub links: Vec<LinkPlan>,
    pub outgoing: Vec<Vec<usize>>,
    pub incoming: Vec<Vec<usize>>,
    pub components: Vec<ComponentPlan>,
    pub base: Regime,
    /// While the scenario's failure lasts, and while failed caches are cold after it.
    pub failed: Option<Regime>,
    pub cold: Option<Regime>,
    pub failure: Option<Window>,
    /// Per component: down during the failure (a failed cache passes requests on).
    pub down: Vec<bool>,
    /// Per link: cut by the scenario's partition during the failure.
    pub cut: Vec<bool>,
    /// The scenario's traffic, over every client's and flow's own.
    pub scenario_shape: Option<Shape>,
    pub flows: Vec<FlowPlan>,
    pub assumptions: Vec<String>,
}

impl Plan {
    pub fn new(model: &Model, facts: &Facts, scenario: Option<&Scenario>) -> Plan {
        let base_estimates = Estimates::new(model, facts);
        let outage = scenario
            .filter(|s| !s.fail.is_empty() || s.partition.is_some())
            .map(|s| whatif::outage(model, facts, s));
        let failed = outage
            .as_ref()
            .map(|o| Estimates::with_outage(model, facts, o.clone()));
        let cold = outage
            .as_ref()
            .and_then(|o| cold_outage(model, o))
            .map(|o| {
                let estimates = Estimates::with_outage(model, facts, o.clone());
                regime(model, facts, &estimates, &o.lost)
            });
        let none = vec![0; model.components.len()];
        let mut failed = failed
            .as_ref()
            .zip(outage.as_ref())
            .map(|(e, o)| regime(model, facts, e, &o.lost));
        let base = regime(model, facts, &base_estimates, &none);
        if let Some(failed) = &mut failed {
            still_called(model, &base, failed);
        }
        let mut plan = Plan {
            order: facts.order.components.iter().map(|c| c.index()).collect(),
            links: links(model, facts),
            outgoing: vec![Vec::new(); model.components.len()],
            incoming: vec![Vec::new(); model.components.len()],
            components: Vec::new(),
            base,
            failed,
            cold,
            failure: scenario.and_then(|s| failure_window(model, s, outage.as_ref())),
            down: down(model, outage.as_ref()),
            cut: outage
                .as_ref()
                .map_or_else(|| vec![false; model.links.len()], |o| o.cut.clone()),
            scenario_shape: scenario
                .and_then(|s| s.attrs.get(attr::TRAFFIC))
                .map(Shape::of),
            flows: Vec::new(),
            assumptions: base_estimates
                .assumptions
                .iter()
                .map(|a| a.text.clone())
                .collect(),
        };
        for (index, link) in plan.links.iter().enumerate() {
            plan.outgoing[link.from].push(index);
            plan.incoming[link.to].push(index);
        }
        plan.components = model
            .components
            .iter()
            .enumerate()
            .map(|(index, c)| component(c, &base_estimates, &plan, index))
            .collect();
        plan.flows = flows(model, facts, &base_estimates, &plan);
        plan.note_defaults(model);
        plan
    }

    fn note_defaults(&mut self, model: &Model) {
        let unstated = |a| model.links.iter().any(|l| l.attrs.get(a).is_none());
        if unstated(attr::TIMEOUT) {
            self.assumptions.push(format!(
                "a caller whose link states no `timeout` gives up after {}s",
                DEFAULT_TIMEOUT
            ));
        }
        self.assumptions.push(
            "a component queues at most what it serves in twice its callers' longest timeout; past that it refuses requests".to_string(),
        );
        if model
            .links
            .iter()
            .any(|l| l.attrs.bool(attr::CIRCUIT_BREAKER) == Some(true))
        {
            self.assumptions.push(format!(
                "a circuit breaker opens when half the calls of a second fail and probes again after {}s (resilience4j's defaults)",
                super::step::BREAKER_OPEN
            ));
        }
        if self
            .links
            .iter()
            .any(|l| l.consumer && self.base.capacity[l.to].is_none())
        {
            self.assumptions.push(format!(
                "a consumer whose capacity nobody states drains a backlog at {DRAIN_FACTOR}x its rate at peak"
            ));
        }
        if model
            .components
            .iter()
            .any(|c| c.attrs.get(attr::AUTOSCALE).is_some())
        {
            self.assumptions.push(format!(
                "autoscaling aims at {:.0}% utilization",
                SCALE_TARGET * 100.0
            ));
        }
    }
}

/// The estimate under an outage sends nothing to a failed target or over a cut link;
/// a caller still calls it (and fails), unless it is a router, whose health checks
/// send the requests to the survivors instead.
fn still_called(model: &Model, base: &Regime, failed: &mut Regime) {
    for (index, link) in model.links.iter().enumerate() {
        let unsent = failed.coef[index] == 0.0 && failed.source[index] == 0.0;
        if unsent && !model.component(link.from).kind.balances() {
            failed.coef[index] = base.coef[index];
            failed.source[index] = base.source[index];
        }
    }
}

/// The outage with only its failed caches down: what the run looks like after the
/// failure, while those caches warm up.
fn cold_outage(model: &Model, outage: &Outage) -> Option<Outage> {
    let mut cold = Outage::none(model);
    let mut any = false;
    for (index, component) in model.components.iter().enumerate() {
        if outage.down[index] && component.kind == Kind::Cache {
            cold.down[index] = true;
            any = true;
        }
    }
    any.then_some(cold)
}

fn down(model: &Model, outage: Option<&Outage>) -> Vec<bool> {
    model
        .components
        .iter()
        .enumerate()
        .map(|(index, c)| outage.is_some_and(|o| o.down[index]) && c.kind != Kind::Cache)
        .collect()
}

/// When the failure starts (`at`, else at once) and ends (`for`, else when the failed
/// components are repaired after their `mttr`; a partition lasts the run).
fn failure_window(model: &Model, scenario: &Scenario, outage: Option<&Outage>) -> Option<Window> {
    let outage = outage?;
    let start = scenario.attrs.number(attr::AT).unwrap_or(0.0);
    let length = scenario.attrs.number(attr::FOR).or_else(|| {
        if scenario.partition.is_some() {
            return None;
        }
        let target = |c: &Component| Target::Component(c.kind);
        model
            .components
            .iter()
            .enumerate()
            .filter(|(i, _)| outage.down[*i] || outage.lost[*i] > 0)
            .filter_map(|(_, c)| {
                c.attrs
                    .get_or_default(attr::MTTR, target(c))
                    .and_then(Value::as_f64)
            })
            .reduce(f64::max)
    });
    Some(Window {
        start,
        end: length.map_or(f64::INFINITY, |l| start + l),
    })
}

fn links(model: &Model, facts: &Facts) -> Vec<LinkPlan> {
    model
        .links
        .iter()
        .enumerate()
        .map(|(index, link)| {
            let (attempts, backoff) = retry(link.attrs.get(attr::RETRY));
            LinkPlan {
                from: link.from.index(),
                to: link.to.index(),
                sync: facts.sync[index],
                timeout: link.attrs.number(attr::TIMEOUT).unwrap_or(DEFAULT_TIMEOUT),
                attempts,
                backoff,
                breaker: link.attrs.bool(attr::CIRCUIT_BREAKER) == Some(true),
                fallback: link.attrs.bool(attr::FALLBACK) == Some(true),
                consumer: model.component(link.from).kind == Kind::Queue
                    && facts::ops(link) != hld_model::values::ops::Value::Replicate,
                cycle: facts.order.is_cut[index],
            }
        })
        .collect()
}

/// Attempts in all and the wait between them.
fn retry(value: Option<&Value>) -> (u32, Backoff) {
    let Some(Value::Call(call)) = value else {
        return (1, Backoff::None);
    };
    let attempts = call
        .arg(param::ATTEMPTS)
        .and_then(Value::as_count)
        .unwrap_or(1)
        .clamp(1, 1000) as u32;
    let seconds = |p| call.arg(p).and_then(Value::as_f64);
    let backoff = match call.name {
        call::Name::Fixed => Backoff::Fixed(seconds(param::DELAY).unwrap_or(DEFAULT_BACKOFF)),
        call::Name::Exponential => Backoff::Exponential {
            base: seconds(param::BASE).unwrap_or(DEFAULT_BACKOFF),
            jitter: call.arg(param::JITTER).and_then(Value::as_bool) == Some(true),
        },
        _ => Backoff::None,
    };
    (attempts, backoff)
}

/// Each link's share of its sender's requests and each component's capacity, as one
/// estimate (normal, or under an outage) computes them.
fn regime(model: &Model, facts: &Facts, estimates: &Estimates, lost: &[u64]) -> Regime {
    let inbound = |c: usize| estimates.components[c].inbound.map_or(0.0, |r| r.peak);
    let mut coef = vec![0.0; model.links.len()];
    let mut source = vec![0.0; model.links.len()];
    for edge in model.graph.edge_references() {
        let index = edge.id().index();
        let carried = estimates.links[index].rate.map_or(0.0, |r| r.peak);
        let sent = inbound(edge.source().index());
        if sent > 0.0 {
            coef[index] = carried / sent;
        } else {
            source[index] = carried;
        }
    }
    let servers = model
        .components
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let copies = match facts.redundancy[index] {
                Redundancy::Copies(n) => n.saturating_sub(lost[index]).max(1),
                Redundancy::Managed => 1,
            };
            copies * crate::estimate::shards(c)
        })
        .collect();
    Regime {
        coef,
        source,
        capacity: estimates
            .components
            .iter()
            .map(|c| c.capacity.as_ref().map(|f| f.value))
            .collect(),
        servers,
    }
}

fn component(
    component: &Component,
    estimates: &Estimates,
    plan: &Plan,
    index: usize,
) -> ComponentPlan {
    let target = Target::Component(component.kind);
    let duration = |a| {
        component
            .attrs
            .get_or_default(a, target)
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    };
    let estimate = &estimates.components[index];
    let rate = estimate.inbound.unwrap_or_default();
    ComponentPlan {
        kind: component.kind,
        rate: if component.kind == Kind::Client {
            rate.peak
        } else {
            0.0
        },
        average_share: if rate.peak > 0.0 {
            rate.average / rate.peak
        } else {
            0.5
        },
        shape: component
            .attrs
            .get(attr::TRAFFIC)
            .map_or(Shape::Steady, Shape::of),
        latency: estimate.latency_pair().map(|l| (l.p50, l.p99)),
        autoscale: match component.attrs.get(attr::AUTOSCALE) {
            Some(Value::Range(min, max)) => Some(((*min).max(1), (*max).max(1))),
            _ => None,
        },
        scale_delay: duration(attr::SCALE_DELAY),
        warmup: duration(attr::WARMUP),
        retention: (component.kind == Kind::Queue)
            .then(|| component.attrs.number(attr::RETENTION))
            .flatten(),
        steady: rate.peak,
        patience: plan.incoming[index]
            .iter()
            .map(|&l| plan.links[l].timeout)
            .fold(0.0, f64::max),
    }
}

/// Per flow (and per client without flows) the steps its requests take, with the share
/// of them that reaches each step along synchronous links.
fn flows(model: &Model, facts: &Facts, estimates: &Estimates, plan: &Plan) -> Vec<FlowPlan> {
    let mut all: Vec<FlowPlan> = model
        .flows
        .iter()
        .zip(&estimates.flows)
        .map(|(flow, estimate)| {
            let mut reach = vec![0.0; model.components.len()];
            reach[flow.start.index()] = 1.0;
            let steps = flow
                .steps
                .iter()
                .map(|step| {
                    let link = model.link(step.link);
                    let set = facts.alternative_set(model, link.from, link.to);
                    let links: Vec<usize> = set
                        .iter()
                        .filter_map(|&to| model.graph.find_edge(link.from, to))
                        .map(|e| e.index())
                        .collect();
                    let sync = facts.sync[step.link.index()];
                    let share =
                        reach[link.from.index()] * crate::estimate::step_ratio(model, flow, step);
                    if sync {
                        for &to in &set {
                            reach[to.index()] = (reach[to.index()] + share).min(1.0);
                        }
                    }
                    StepPlan {
                        links,
                        reach: share.min(1.0),
                        sync,
                    }
                })
                .collect();
            FlowPlan {
                id: flow.id.clone(),
                client: flow.start.index(),
                is_flow: true,
                rate: estimate.rate.map_or(0.0, |r| r.peak),
                shape: flow.attrs.get(attr::TRAFFIC).map(Shape::of),
                steps,
                latency: (estimate.latency, estimate.latency_p99),
                budget: flow.target(attr::LATENCY, model).map(|(v, _)| v),
                latency_path: Vec::new(),
            }
        })
        .collect();
    for path in &estimates.paths {
        let client = path.client;
        if model.flows.iter().any(|f| f.start == client) {
            continue;
        }
        let steps = model
            .graph
            .edges_directed(client, Direction::Outgoing)
            .map(|e| StepPlan {
                links: vec![e.id().index()],
                reach: plan.base.coef[e.id().index()].min(1.0),
                sync: facts.sync[e.id().index()],
            })
            .collect();
        all.push(FlowPlan {
            id: model.component(client).id.clone(),
            client: client.index(),
            is_flow: false,
            rate: estimates.components[client.index()]
                .inbound
                .map_or(0.0, |r| r.peak),
            shape: None,
            steps,
            latency: (path.latency, path.latency_p99),
            budget: model.header.number(attr::LATENCY),
            latency_path: path.latency_path.iter().map(|c| c.index()).collect(),
        });
    }
    all
}
