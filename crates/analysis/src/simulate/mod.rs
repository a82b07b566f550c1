//! `hld simulate` (docs/simulate.md): the estimate's model run forward in fixed steps.
//! Traffic follows each client's, flow's or scenario's shape ([`traffic`]); a component
//! serves up to its capacity and queues the rest, so its p50/p99 grow with load
//! ([`queueing`]) and requests wait past their caller's timeout; failed calls come back
//! as retries; breakers open; queues build backlogs that consumers drain and retention
//! drops; failed caches come back cold; autoscaling adds replicas after its delay. Every
//! step is linear in the design ([`step`]); what the run knows beforehand is read once
//! ([`plan`]). Deterministic: no randomness, jitter is spread evenly.

mod plan;
pub mod queueing;
mod step;
pub mod traffic;

#[cfg(test)]
mod tests;

use hld_model::{Kind, Model, Scenario};

use crate::facts::Facts;
use plan::{FlowPlan, Plan};
use step::{State, at_least_one};
pub use traffic::Window;

/// The longest run, in steps.
pub const MAX_STEPS: usize = 100_000;
/// Points a run records at most (components, flows and links × steps), about 80 bytes
/// each.
pub const MAX_POINTS: usize = 20_000_000;
/// Utilization past which a component is shown (the table's list, the charts).
pub const BUSY: f64 = 0.8;
/// A flow fails when more than this share of its requests fails.
pub const FAILING: f64 = 0.01;

#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Seconds simulated.
    pub duration: f64,
    /// Seconds per step.
    pub step: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            duration: 600.0,
            step: 1.0,
        }
    }
}

/// A scenario that is played over time (`hld check`'s `scenario-metastable`, the watch
/// page's charts): one that says when its failure starts or how long it lasts, or how
/// traffic moves.
pub fn is_timed(scenario: &Scenario) -> bool {
    use hld_model::attr;
    [attr::AT, attr::FOR, attr::TRAFFIC]
        .into_iter()
        .any(|a| scenario.attrs.get(a).is_some())
}

/// A time in a run as minutes and seconds: `2:05`.
pub fn human_clock(seconds: f64) -> String {
    let whole = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", whole / 60, whole % 60)
}

/// Why a run was not made.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The step is not a positive duration, or longer than the run.
    Step,
    /// More than [`MAX_STEPS`] steps.
    TooManySteps(usize),
    /// More than [`MAX_POINTS`] points to record.
    TooManyPoints(usize),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Step => write!(
                f,
                "the step must be a positive duration no longer than the run"
            ),
            Refusal::TooManySteps(steps) => write!(
                f,
                "{steps} steps is more than the {MAX_STEPS} a run takes: use a longer `--step` or a shorter `--duration`"
            ),
            Refusal::TooManyPoints(points) => write!(
                f,
                "{points} points (components, flows and links × steps) is more than the {MAX_POINTS} a run records: use a longer `--step` or a shorter `--duration`"
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesKind {
    Component,
    Flow,
}

/// One component's or flow's numbers, per step (rates per second).
#[derive(Clone, Debug)]
pub struct Series {
    pub id: String,
    pub kind: SeriesKind,
    pub offered: Vec<f64>,
    pub served: Vec<f64>,
    pub errors: Vec<f64>,
    /// Seconds; `None` where it has no latency (a client, or a component down).
    pub p50: Vec<Option<f64>>,
    pub p99: Vec<Option<f64>>,
    /// Offered over capacity; `None` where the capacity is unlimited or unknown.
    pub utilization: Vec<Option<f64>>,
    /// Requests (or messages) waiting.
    pub backlog: Vec<f64>,
    pub retries: Vec<f64>,
    /// Messages dropped past a queue's retention, per second.
    pub dropped: Vec<f64>,
}

impl Series {
    fn new(id: String, kind: SeriesKind, steps: usize) -> Series {
        Series {
            id,
            kind,
            offered: Vec::with_capacity(steps),
            served: Vec::with_capacity(steps),
            errors: Vec::with_capacity(steps),
            p50: Vec::with_capacity(steps),
            p99: Vec::with_capacity(steps),
            utilization: Vec::with_capacity(steps),
            backlog: Vec::with_capacity(steps),
            retries: Vec::with_capacity(steps),
            dropped: Vec::with_capacity(steps),
        }
    }

    /// The share of requests failing at step `i`.
    pub fn error_share(&self, i: usize) -> f64 {
        if self.offered[i] > 0.0 {
            (self.errors[i] / self.offered[i]).min(1.0)
        } else {
            0.0
        }
    }

    /// The highest utilization of the run.
    pub fn peak_utilization(&self) -> Option<f64> {
        self.utilization.iter().flatten().copied().reduce(f64::max)
    }
}

/// How a flow came through the run (capacity.md v3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Never failing nor slow.
    Ok,
    /// Failing or slow, then well again `after` seconds past the trigger's end (past
    /// its start when the trigger lasts the run).
    Recovered { after: f64 },
    /// Failing or slow at the end while the trigger still holds, or with no trigger.
    Degraded,
    /// Still failing or slow at the end, after the trigger ended.
    Metastable,
}

impl Outcome {
    /// In words, as the table and the charts say it: `recovered after 4.5min`.
    pub fn describe(self) -> String {
        match self {
            Outcome::Recovered { after } if after < 1.0 => {
                "recovered when the trigger ended".to_string()
            }
            Outcome::Recovered { after } => format!(
                "recovered after {}",
                hld_model::figures::human_duration(after)
            ),
            other => other.name().to_string(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Recovered { .. } => "recovered",
            Outcome::Degraded => "degraded",
            Outcome::Metastable => "metastable",
        }
    }
}

/// The worst step of a flow: its highest error share and its highest p99.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Worst {
    pub errors_at: f64,
    pub error_share: f64,
    pub p99_at: f64,
    pub p99: f64,
}

#[derive(Clone, Debug)]
pub struct FlowRun {
    /// The flow's id, or the client's for a client without flows.
    pub flow: String,
    pub is_flow: bool,
    pub outcome: Outcome,
    pub worst: Worst,
    /// What holds it down at the end, for `degraded` and `metastable`.
    pub why: Option<String>,
}

pub struct Run {
    pub step: f64,
    pub duration: f64,
    /// The time of each step, seconds from the start.
    pub times: Vec<f64>,
    pub scenario: Option<String>,
    /// When the failure or the traffic departs from normal.
    pub trigger: Option<Window>,
    pub series: Vec<Series>,
    /// Per link of the model, in its order: requests per second sent, per step.
    pub links: Vec<Vec<f64>>,
    pub outcomes: Vec<FlowRun>,
    /// The defaults the run rests on.
    pub assumptions: Vec<String>,
}

/// Runs the design over `settings.duration` under `scenario` (its failure, from `at` for
/// `for`, and its traffic), else at its own traffic shapes.
pub fn simulate(
    model: &Model,
    facts: &Facts,
    scenario: Option<&Scenario>,
    settings: Settings,
) -> Result<Run, Refusal> {
    let steps = steps(model, settings)?;
    let plan = Plan::new(model, facts, scenario);
    let mut state = State::new(&plan, settings.step);
    let mut series: Vec<Series> = model
        .components
        .iter()
        .map(|c| Series::new(c.id.clone(), SeriesKind::Component, steps))
        .chain(
            plan.flows
                .iter()
                .map(|f| Series::new(f.id.clone(), SeriesKind::Flow, steps)),
        )
        .collect();
    let mut links = vec![Vec::with_capacity(steps); model.links.len()];
    let mut factors = vec![1.0; model.components.len()];
    let mut times = Vec::with_capacity(steps);
    for step in 0..steps {
        let t = step as f64 * settings.step;
        times.push(t);
        client_factors(&plan, t, settings.duration, &mut factors);
        state.advance(step, &factors);
        record_components(&state, &plan, &mut series);
        for (l, rates) in links.iter_mut().enumerate() {
            rates.push(state.sent(l));
        }
        for (index, flow) in plan.flows.iter().enumerate() {
            let factor = flow_factor(&plan, flow, t, settings.duration);
            record_flow(
                &state,
                &plan,
                flow,
                factor,
                &mut series[model.components.len() + index],
            );
        }
    }
    let trigger = trigger(&plan);
    let outcomes = plan
        .flows
        .iter()
        .enumerate()
        .map(|(index, flow)| {
            let s = &series[model.components.len() + index];
            judge(flow, s, trigger, &times, settings, &plan, &series, model)
        })
        .collect();
    Ok(Run {
        step: settings.step,
        duration: settings.duration,
        times,
        scenario: scenario.map(|s| s.id.clone()),
        trigger,
        series,
        links,
        outcomes,
        assumptions: plan.assumptions.clone(),
    })
}

fn steps(model: &Model, settings: Settings) -> Result<usize, Refusal> {
    let Settings { duration, step } = settings;
    if !(step > 0.0 && step.is_finite() && duration.is_finite() && step <= duration) {
        return Err(Refusal::Step);
    }
    let steps = (duration / step).round() as usize;
    if steps > MAX_STEPS {
        return Err(Refusal::TooManySteps(steps));
    }
    let series = model.components.len() + model.flows.len() + model.links.len() + 1;
    let points = steps.saturating_mul(series);
    if points > MAX_POINTS {
        return Err(Refusal::TooManyPoints(points));
    }
    Ok(steps.max(1))
}

/// Per client, the multiple of its peak it sends at `t`: the scenario's shape, else the
/// mix of its flows' shapes and its own for what its flows leave.
fn client_factors(plan: &Plan, t: f64, duration: f64, factors: &mut [f64]) {
    for (c, component) in plan.components.iter().enumerate() {
        if component.kind != Kind::Client {
            continue;
        }
        let own = component.shape.factor(t, duration, component.average_share);
        factors[c] = match plan.scenario_shape {
            Some(shape) => shape.factor(t, duration, component.average_share),
            None if component.rate > 0.0 => {
                let mut flowing = 0.0;
                let mut sent = 0.0;
                for flow in plan.flows.iter().filter(|f| f.is_flow && f.client == c) {
                    flowing += flow.rate;
                    sent += flow.rate * flow_factor(plan, flow, t, duration);
                }
                let rest = (component.rate - flowing).max(0.0);
                (sent + rest * own) / (flowing + rest).max(1e-12)
            }
            None => own,
        };
    }
}

fn flow_factor(plan: &Plan, flow: &FlowPlan, t: f64, duration: f64) -> f64 {
    let client = &plan.components[flow.client];
    let shape = plan.scenario_shape.or(flow.shape).unwrap_or(client.shape);
    shape.factor(t, duration, client.average_share)
}

fn record_components(state: &State, plan: &Plan, series: &mut [Series]) {
    for (c, component) in plan.components.iter().enumerate() {
        let s = &mut series[c];
        let offered = state.arrivals[c];
        let ok = if component.kind == Kind::Client {
            state.dependencies_ok[c]
        } else {
            (1.0 - state.fails_here(c, component.patience.max(state.dt))) * state.dependencies_ok[c]
        };
        s.offered.push(offered);
        s.served.push(state.served[c]);
        s.errors.push(offered * (1.0 - ok));
        let latency = (!state.hard_down(c)).then(|| state.latency(c)).flatten();
        s.p50.push(latency.map(|l| l.0));
        s.p99.push(latency.map(|l| l.1));
        s.utilization.push(
            state.capacity[c]
                .filter(|&cap| cap > 0.0)
                .map(|cap| offered / cap),
        );
        let waiting = if component.kind == Kind::Queue {
            state.backlog[c] + state.messages_waiting(c)
        } else {
            state.backlog[c]
        };
        s.backlog.push(waiting);
        s.retries.push(state.retries_in[c]);
        s.dropped.push(state.dropped[c]);
    }
}

/// A flow's numbers at this step: the failing share of each synchronous step (on its
/// own target, the steps after it counting for themselves), the queues it passes.
fn record_flow(state: &State, plan: &Plan, flow: &FlowPlan, factor: f64, s: &mut Series) {
    let offered = flow.rate * factor;
    let mut ok = 1.0;
    let (mut p50, mut p99) = flow.latency;
    let (mut utilization, mut backlog, mut retries) = (None::<f64>, 0.0, 0.0);
    for step in &flow.steps {
        let mut weight = 0.0;
        let mut failing = 0.0;
        let mut reach = 0.0;
        for &l in &step.links {
            let link = &plan.links[l];
            let coef = state.coef(l);
            let base = plan.base.coef[l];
            weight += coef;
            reach += if base > 0.0 {
                step.reach * coef / base
            } else {
                step.reach
            };
            let fails = if flow.is_flow {
                state.failing_here[l]
            } else {
                state.failing[l]
            };
            let fails = if link.fallback {
                0.0
            } else {
                fails.powi(link.attempts as i32)
            };
            failing += coef
                * if state.blocked(l) && !link.fallback {
                    1.0
                } else {
                    fails
                };
            retries += state.retried(l);
            let to = link.to;
            if plan.components[to].kind == Kind::Queue {
                backlog += state.messages_waiting(to);
            }
            if let Some(u) = state.capacity[to]
                .filter(|&c| c > 0.0)
                .map(|c| state.arrivals[to] / c)
            {
                utilization = Some(utilization.map_or(u, |m: f64| m.max(u)));
            }
            if step.sync && flow.is_flow {
                let (d50, d99) = added_latency(state, plan, to);
                let share = (step.reach / step.links.len() as f64).min(1.0);
                p50 += share * d50;
                if step.reach >= 0.01 {
                    p99 += d99 / step.links.len() as f64;
                }
            }
        }
        if step.sync && weight > 0.0 {
            ok *= 1.0 - at_least_one(reach.min(1.0), failing / weight);
        }
    }
    for &c in &flow.latency_path {
        let (d50, d99) = added_latency(state, plan, c);
        p50 += d50;
        p99 += d99;
    }
    s.offered.push(offered);
    s.served.push(offered * ok);
    s.errors.push(offered * (1.0 - ok));
    s.p50.push(Some(p50));
    s.p99.push(Some(p99));
    s.utilization.push(utilization);
    s.backlog.push(backlog);
    s.retries.push(retries);
    s.dropped.push(0.0);
}

/// What queueing adds now to a component's p50 and p99.
fn added_latency(state: &State, plan: &Plan, c: usize) -> (f64, f64) {
    match (state.latency(c), plan.components[c].latency) {
        (Some(now), Some(base)) => ((now.0 - base.0).max(0.0), (now.1 - base.1).max(0.0)),
        _ => (0.0, 0.0),
    }
}

/// When the run departs from normal: the failure's window and the traffic shapes'.
fn trigger(plan: &Plan) -> Option<Window> {
    let shapes = plan
        .scenario_shape
        .iter()
        .chain(plan.components.iter().map(|c| &c.shape))
        .chain(plan.flows.iter().filter_map(|f| f.shape.as_ref()))
        .filter_map(|s| s.window());
    plan.failure.into_iter().chain(shapes).reduce(Window::hull)
}

#[allow(clippy::too_many_arguments)]
fn judge(
    flow: &FlowPlan,
    s: &Series,
    trigger: Option<Window>,
    times: &[f64],
    settings: Settings,
    plan: &Plan,
    series: &[Series],
    model: &Model,
) -> FlowRun {
    // Slow: past its budget and twice its p99 at the start of the run (queueing at the
    // design's steady load is the estimate's business, not the run's).
    let baseline = s.p99.first().copied().flatten().unwrap_or(flow.latency.1);
    let slow_limit = flow.budget.unwrap_or(0.0).max(2.0 * baseline);
    let affected = |i: usize| {
        s.error_share(i) > FAILING || (slow_limit > 0.0 && s.p99[i].is_some_and(|p| p > slow_limit))
    };
    let mut worst = Worst::default();
    for (i, &t) in times.iter().enumerate() {
        if s.error_share(i) > worst.error_share {
            (worst.error_share, worst.errors_at) = (s.error_share(i), t);
        }
        if let Some(p99) = s.p99[i].filter(|&p| p > worst.p99) {
            (worst.p99, worst.p99_at) = (p99, t);
        }
    }
    let last = (0..times.len()).rev().find(|&i| affected(i));
    let failing_before = |w: Window| {
        (0..times.len())
            .take_while(|&i| times[i] < w.start)
            .any(affected)
    };
    let end = settings.duration;
    let outcome = match (last, trigger) {
        (None, _) => Outcome::Ok,
        (Some(_), None) => Outcome::Degraded,
        (Some(i), Some(w)) => {
            let at_end = i + 1 == times.len();
            let well_from = times[i] + settings.step;
            if w.end >= end {
                if at_end {
                    Outcome::Degraded
                } else {
                    Outcome::Recovered {
                        after: (well_from - w.start).max(0.0),
                    }
                }
            } else if at_end && !failing_before(w) {
                Outcome::Metastable
            } else if at_end {
                // Failing before the trigger as after it: the design's own overload, not
                // the scenario's doing.
                Outcome::Degraded
            } else {
                Outcome::Recovered {
                    after: (well_from - w.end).max(0.0),
                }
            }
        }
    };
    let why = matches!(outcome, Outcome::Degraded | Outcome::Metastable)
        .then(|| holding_down(flow, plan, series, (model, settings.duration)))
        .flatten();
    FlowRun {
        flow: flow.id.clone(),
        is_flow: flow.is_flow,
        outcome,
        worst,
        why,
    }
}

/// What holds a flow down at the end of the run, in words: a failed component on its
/// steps, else the busiest one past its capacity, else the share still failing.
fn holding_down(
    flow: &FlowPlan,
    plan: &Plan,
    series: &[Series],
    (model, duration): (&Model, f64),
) -> Option<String> {
    let targets = || {
        flow.steps
            .iter()
            .flat_map(|s| &s.links)
            .map(|&l| plan.links[l].to)
            .chain(flow.latency_path.iter().copied())
    };
    // A step whose every alternative is down for the rest of the run.
    let down_at_end = plan.failure.is_some_and(|w| w.end >= duration);
    let failed_step = flow
        .steps
        .iter()
        .find(|step| down_at_end && step.links.iter().all(|&l| plan.down[plan.links[l].to]));
    if let Some(step) = failed_step {
        let to = plan.links[step.links[0]].to;
        return Some(format!(
            "`{}` is down until the end of the run",
            model.components[to].id
        ));
    }
    let busiest = targets()
        .filter_map(|c| Some((c, *series[c].utilization.last()?.as_ref()?)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match busiest {
        Some((c, u)) if u > 1.0 => Some(format!(
            "`{}` is at {:.0}% of its capacity at the end of the run",
            model.components[c].id,
            u * 100.0
        )),
        _ => Some(format!(
            "{:.1}% of its requests still fail at the end of the run",
            series
                .iter()
                .find(|s| s.kind == SeriesKind::Flow && s.id == flow.id)
                .map_or(0.0, |s| s.error_share(s.offered.len().saturating_sub(1))
                    * 100.0)
        )),
    }
}
