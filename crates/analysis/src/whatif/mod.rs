//! What a failure does (docs/language.md, "Scenarios"; `hld what-if`): which components
//! are down or lose copies, which links a partition cuts, what each store does about it
//! (quorum, failover, stale reads, conflicting writes), the load re-propagated over the
//! survivors, and per flow (or per client without flows) `ok`, `degraded` or `down`.

use hld_model::values::ops::Value as Ops;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use petgraph::Direction;
use petgraph::visit::EdgeRef;

pub mod sweep;

use super::estimate::{Estimates, Outage, share_percent};
use super::facts::{self, Facts, Redundancy};
use hld_model::{ComponentId, GroupKind, Kind, Model, Param, Place, Scenario, Value};
use hld_model::{attr, call, param};

/// What happened to one flow, or to one client's requests.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Ok,
    /// Still served, with what is wrong.
    Degraded(Reasons),
    /// Not served, with the first failed component or cut link that has no alternative.
    Down(String),
}

impl Outcome {
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Degraded(_) => "degraded",
            Outcome::Down(_) => "down",
        }
    }
}

/// Why an outcome is degraded: reasons in the order found, each once. A scenario words
/// each reason once and an outcome lists indices into that wording, so a scenario that
/// degrades every client through the same stores costs the reasons each client reaches,
/// not copies of their text (on a 10,000-component design every one of 200 clients
/// reached 10,745 reasons).
#[derive(Clone, Debug)]
pub struct Reasons {
    wording: Arc<[String]>,
    ids: Vec<u32>,
}

impl Reasons {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.ids
            .iter()
            .map(|&id| self.wording[id as usize].as_str())
    }

    pub fn join(&self, separator: &str) -> String {
        self.iter().collect::<Vec<_>>().join(separator)
    }
}

impl PartialEq for Reasons {
    fn eq(&self, other: &Reasons) -> bool {
        self.iter().eq(other.iter())
    }
}

#[derive(Clone, Debug)]
pub struct FlowOutcome {
    /// The flow, or `None` for a client without flows.
    pub flow: Option<usize>,
    pub client: ComponentId,
    pub outcome: Outcome,
}

/// One scenario's result.
pub struct WhatIf {
    pub id: String,
    pub fail: Vec<String>,
    pub partition: Vec<String>,
    pub outcomes: Vec<FlowOutcome>,
    /// Surviving components with a known capacity, and their utilization.
    pub utilization: Vec<(ComponentId, f64)>,
    /// Components down, including stores that lost their quorum or wait for failover,
    /// with why.
    pub down: Vec<(ComponentId, String)>,
    /// Per link: cut by the partition.
    pub cut: Vec<bool>,
}

/// Per component: what the scenario does to it beyond being up.
#[derive(Clone, Debug, PartialEq)]
enum State {
    Up,
    Degraded(String),
    Down(String),
}

pub fn what_if(model: &Model, facts: &Facts, scenario: &Scenario) -> WhatIf {
    judged(model, facts, scenario, Judged::FlowsAndClients)
}

/// A scenario as the rules read it (`lint`): the flows' outcomes and the survivors'
/// utilization. Clients without flows are not judged: no rule reads their outcome, and
/// their walks are most of a scenario's cost on a design with many clients.
pub fn for_rules(model: &Model, facts: &Facts, scenario: &Scenario) -> WhatIf {
    judged(model, facts, scenario, Judged::Flows)
}

/// Whose outcomes a scenario's result holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Judged {
    Flows,
    FlowsAndClients,
}

/// What a scenario takes down, loses and cuts, for the estimate under it (`hld simulate`
/// plays it over time).
pub fn outage(model: &Model, facts: &Facts, scenario: &Scenario) -> Outage {
    outage_and_state(model, facts, scenario).0
}

fn outage_and_state(model: &Model, facts: &Facts, scenario: &Scenario) -> (Outage, Vec<State>) {
    let mut outage = Outage::none(model);
    let mut state = vec![State::Up; model.components.len()];
    fail(model, facts, scenario, &mut outage, &mut state);
    partition(model, scenario, &mut outage, &mut state);
    for (index, s) in state.iter().enumerate() {
        if matches!(s, State::Down(_)) {
            outage.down[index] = true;
        }
    }
    (outage, state)
}

fn judged(model: &Model, facts: &Facts, scenario: &Scenario, judged: Judged) -> WhatIf {
    let (outage, state) = outage_and_state(model, facts, scenario);
    let estimates = Estimates::with_outage(model, facts, outage.clone());
    let utilization: Vec<(ComponentId, f64)> = model
        .graph
        .node_indices()
        .filter(|id| !outage.down[id.index()])
        .filter_map(|id| Some((id, estimates.components[id.index()].utilization?)))
        .collect();
    let over: HashMap<ComponentId, f64> = utilization
        .iter()
        .copied()
        .filter(|(_, u)| *u > 1.0)
        .collect();
    let outcomes = outcomes(model, facts, (&outage, &state), &over, (judged, None));
    let down = state
        .iter()
        .enumerate()
        .filter_map(|(index, s)| match s {
            State::Down(why) => Some((ComponentId::new(index), why.clone())),
            _ => None,
        })
        .collect();
    let name = |place: &Place| match place {
        Place::Component(id) => model.component(*id).id.clone(),
        Place::Group(group) => model.groups[*group].id.clone(),
    };
    WhatIf {
        id: scenario.id.clone(),
        fail: scenario.fail.iter().map(name).collect(),
        partition: scenario
            .partition
            .iter()
            .flat_map(|(a, b)| [name(a), name(b)])
            .collect(),
        outcomes,
        utilization,
        down,
        cut: outage.cut.clone(),
    }
}

/// Every flow's outcome (and, when judged, every client's without flows) under an
/// outage, given the survivors over capacity.
fn outcomes(
    model: &Model,
    facts: &Facts,
    (outage, state): (&Outage, &[State]),
    over: &HashMap<ComponentId, f64>,
    (judged, dependencies): (Judged, Option<&Dependencies>),
) -> Vec<FlowOutcome> {
    let owned;
    let dependencies = match (judged, dependencies) {
        (Judged::Flows, _) => None,
        (Judged::FlowsAndClients, Some(d)) => Some(d),
        (Judged::FlowsAndClients, None) => {
            owned = Dependencies::new(model, facts);
            Some(&owned)
        }
    };
    let judge = Judge::new(model, facts, (outage, state), over, dependencies);
    let mut verdicts: Vec<(Option<usize>, ComponentId, Verdict)> = model
        .flows
        .iter()
        .enumerate()
        .map(|(index, flow)| (Some(index), flow.start, judge.flow(index)))
        .collect();
    let clients = model
        .graph
        .node_indices()
        .filter(|_| judged == Judged::FlowsAndClients);
    for client in clients {
        if model.component(client).kind == Kind::Client
            && !model.flows.iter().any(|f| f.start == client)
        {
            verdicts.push((None, client, judge.client(client)));
        }
    }
    let wording: Arc<[String]> = judge.wording.into_inner().texts.into();
    verdicts
        .into_iter()
        .map(|(flow, client, verdict)| FlowOutcome {
            flow,
            client,
            outcome: match verdict {
                Verdict::Ok => Outcome::Ok,
                Verdict::Degraded(ids) => Outcome::Degraded(Reasons {
                    wording: wording.clone(),
                    ids,
                }),
                Verdict::Down(cause) => Outcome::Down(cause),
            },
        })
        .collect()
}

/// The components a place stands for.
fn members(model: &Model, place: Place) -> Vec<ComponentId> {
    match place {
        Place::Component(id) => vec![id],
        Place::Group(group) => model
            .graph
            .node_indices()
            .filter(|&id| {
                model
                    .enclosing_groups(model.component(id).group)
                    .any(|g| g == group)
            })
            .collect(),
    }
}

/// `fail:`: the listed components and everything in the listed groups are down; a
/// failed zone also takes its share of every component spread with `zones: N` in the
/// same region.
fn fail(
    model: &Model,
    facts: &Facts,
    scenario: &Scenario,
    outage: &mut Outage,
    state: &mut [State],
) {
    for &place in &scenario.fail {
        for id in members(model, place) {
            state[id.index()] = State::Down("failed".to_string());
        }
        let Place::Group(group) = place else { continue };
        if model.groups[group].kind != GroupKind::Zone {
            continue;
        }
        let region = model.region_of(Some(group));
        for id in model.graph.node_indices() {
            let component = model.component(id);
            let zones = component.attrs.count(attr::ZONES).unwrap_or(1);
            let in_a_zone = model
                .enclosing_groups(component.group)
                .any(|g| model.groups[g].kind == GroupKind::Zone);
            if zones < 2 || in_a_zone || model.region_of(component.group) != region {
                continue;
            }
            let Redundancy::Copies(members) = facts.redundancy[id.index()] else {
                continue;
            };
            // The failed zone holds the larger share.
            let lost = members.div_ceil(zones);
            outage.lost[id.index()] += lost;
            state[id.index()] = survives_losing(component, members, outage.lost[id.index()]);
        }
    }
}

/// What a component does when `lost` of its `members` copies are gone.
fn survives_losing(component: &hld_model::Component, members: u64, lost: u64) -> State {
    let left = members.saturating_sub(lost);
    if left == 0 {
        return State::Down(format!("all {members} copies lost"));
    }
    let replication = component.attrs.get(attr::REPLICATION);
    let call = |name: call::Name| match replication {
        Some(Value::Call(call)) if call.name == name => Some(call),
        _ => None,
    };
    let arg = |call: &hld_model::CallValue, param: Param| call.arg(param).and_then(Value::as_count);
    if let Some(call) = call(call::Name::Consensus) {
        let n = arg(call, param::N).unwrap_or(members);
        let majority = n / 2 + 1;
        if left < majority {
            return State::Down(format!(
                "lost its quorum: {left} of {n} members, {majority} needed"
            ));
        }
    } else if component.kind == Kind::Coordinator {
        let majority = members / 2 + 1;
        if left < majority {
            return State::Down(format!(
                "lost its quorum: {left} of {members} members, {majority} needed"
            ));
        }
    } else if let Some(call) = call(call::Name::Leaderless) {
        let n = arg(call, param::N).unwrap_or(members);
        let (w, r) = (
            arg(call, param::W).unwrap_or(n / 2 + 1),
            arg(call, param::R).unwrap_or(n / 2 + 1),
        );
        let sloppy = call.arg(param::SLOPPY).and_then(Value::as_bool) == Some(true);
        // Hinted handoff: writes go to any w reachable nodes of the whole store, so it
        // stays available while its other shards' nodes can take them; reads of the lost
        // copies' keys come back stale until the hints are handed back.
        let nodes = left.saturating_mul(crate::estimate::shards(component));
        if left < w.max(r) && sloppy && nodes >= w {
            return State::Degraded("stale reads (sloppy quorum: hinted handoff)".to_string());
        }
        if left < w.max(r) {
            return State::Down(format!(
                "lost its quorum: {left} of {n} replicas, w = {w} and r = {r} needed"
            ));
        }
    } else if let Some(call) = call(call::Name::LeaderFollower) {
        let manual = call.arg_value() == Some(hld_model::values::failover::Value::Manual);
        if manual {
            return State::Down(
                "lost its leader, and failover is manual: down until an operator promotes a follower"
                    .to_string(),
            );
        }
    }
    State::Up
}

/// `partition:`: every link between the two sides is cut; a store whose replica link is
/// cut serves stale reads, and stores that take writes on both sides conflict.
fn partition(model: &Model, scenario: &Scenario, outage: &mut Outage, state: &mut [State]) {
    let Some((a, b)) = scenario.partition else {
        return;
    };
    let side_a: HashSet<ComponentId> = members(model, a).into_iter().collect();
    let side_b: HashSet<ComponentId> = members(model, b).into_iter().collect();
    for (index, link) in model.links.iter().enumerate() {
        let across = (side_a.contains(&link.from) && side_b.contains(&link.to))
            || (side_b.contains(&link.from) && side_a.contains(&link.to));
        if !across {
            continue;
        }
        outage.cut[index] = true;
        if facts::ops(link) != Ops::Replicate {
            continue;
        }
        let (source, replica) = (link.from, link.to);
        let degrade = |state: &mut [State], id: ComponentId, why: &str| {
            if state[id.index()] == State::Up {
                state[id.index()] = State::Degraded(why.to_string());
            }
        };
        if takes_writes(model, replica) && takes_writes(model, source) {
            degrade(state, source, "conflicting writes");
            degrade(state, replica, "conflicting writes");
        } else {
            degrade(state, replica, "stale reads");
        }
    }
}

/// A store written by requests (not only by replication).
fn takes_writes(model: &Model, store: ComponentId) -> bool {
    model
        .graph
        .edges_directed(store, Direction::Incoming)
        .any(|e| facts::writes_by_request(model.link(e.id())))
}

struct Judge<'a> {
    model: &'a Model,
    facts: &'a Facts,
    outage: &'a Outage,
    state: &'a [State],
    over: &'a HashMap<ComponentId, f64>,
    /// Every reason given in this scenario, each worded once.
    wording: RefCell<Wording>,
    /// Per component: what it suffers (`suffers`), worded once for the scenario (a walk
    /// meets a component once per client).
    suffering: Vec<Vec<u32>>,
    /// Per component: its synchronous dependencies (`None` when only flows are judged,
    /// as these and `affected` serve clients' walks).
    dependencies: Option<&'a Dependencies>,
    /// Some link is cut (else every link reaches its target when the target is up).
    any_cut: bool,
    /// Per component: something in its walk fails or suffers (`affected`); a walk does
    /// not enter the rest, where it would find nothing.
    affected: Vec<bool>,
}

/// A synchronous link as the walk of a client's requests takes it.
#[derive(Clone, Copy)]
struct Dependency {
    target: ComponentId,
    /// The share of requests that need it: 0 with a `fallback`.
    ratio: f64,
}

/// Every component's synchronous dependencies and dependents: the same for every
/// scenario of a design, read once (the failure sweep judges thousands).
pub(crate) struct Dependencies {
    of: Vec<Vec<Dependency>>,
    dependents: Vec<Vec<ComponentId>>,
}

impl Dependencies {
    pub(crate) fn new(model: &Model, facts: &Facts) -> Dependencies {
        let mut of = vec![Vec::new(); model.components.len()];
        let mut dependents = vec![Vec::new(); model.components.len()];
        // In each component's outgoing edge order, as the walks have always met them.
        let edges = model
            .graph
            .node_indices()
            .flat_map(|id| model.graph.edges_directed(id, Direction::Outgoing));
        for edge in edges {
            if !facts.is_sync(edge.id()) {
                continue;
            }
            // A dependency with a fallback fails no request.
            let link = model.link(edge.id());
            let ratio = if link.attrs.bool(attr::FALLBACK) == Some(true) {
                0.0
            } else {
                link.attrs.number(attr::RATIO).unwrap_or(1.0)
            };
            of[edge.source().index()].push(Dependency {
                target: edge.target(),
                ratio,
            });
            dependents[edge.target().index()].push(edge.source());
        }
        Dependencies { of, dependents }
    }
}

/// A flow's or client's outcome while the scenario is judged, its reasons as indices
/// into the scenario's wording.
enum Verdict {
    Ok,
    Degraded(Vec<u32>),
    Down(String),
}

/// The scenario's reasons, each worded once, by index.
#[derive(Default)]
struct Wording {
    texts: Vec<String>,
    index: HashMap<String, u32>,
}

impl Wording {
    fn id(&mut self, text: String) -> u32 {
        if let Some(&id) = self.index.get(&text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.clone());
        self.index.insert(text, id);
        id
    }
}

/// Reasons in the order first given, each once.
#[derive(Default)]
struct Why {
    reasons: Vec<u32>,
    given: Vec<bool>,
}

impl Why {
    fn add(&mut self, reason: u32) {
        let at = reason as usize;
        if at >= self.given.len() {
            self.given.resize(at + 1, false);
        }
        if !std::mem::replace(&mut self.given[at], true) {
            self.reasons.push(reason);
        }
    }

    fn verdict(self) -> Verdict {
        if self.reasons.is_empty() {
            Verdict::Ok
        } else {
            Verdict::Degraded(self.reasons)
        }
    }
}

impl<'a> Judge<'a> {
    fn new(
        model: &'a Model,
        facts: &'a Facts,
        (outage, state): (&'a Outage, &'a [State]),
        over: &'a HashMap<ComponentId, f64>,
        dependencies: Option<&'a Dependencies>,
    ) -> Judge<'a> {
        let mut judge = Judge {
            model,
            facts,
            outage,
            state,
            over,
            wording: RefCell::default(),
            suffering: vec![Vec::new(); model.components.len()],
            dependencies,
            any_cut: outage.cut.iter().any(|&c| c),
            affected: Vec::new(),
        };
        for id in judge.may_suffer() {
            judge.suffering[id.index()] = judge.suffers(id);
        }
        if dependencies.is_some() {
            judge.affected = judge.affected();
        }
        judge
    }

    /// The components that can suffer anything: not up, over capacity, a failed cache,
    /// or in front of a store over capacity. Everything else suffers nothing.
    fn may_suffer(&self) -> Vec<ComponentId> {
        let model = self.model;
        let mut ids: Vec<ComponentId> = model
            .graph
            .node_indices()
            .filter(|id| {
                self.state[id.index()] != State::Up
                    || (self.outage.down[id.index()] && model.component(*id).kind == Kind::Cache)
            })
            .collect();
        for &id in self.over.keys() {
            ids.push(id);
            if model.component(id).kind.is_data() {
                ids.extend(model.graph.neighbors_directed(id, Direction::Incoming));
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// The components whose walk (`needs`) meets a failure or a sufferer: those that
    /// suffer or cannot reach a dependency, and everything that depends on one of them.
    /// Linear in what the scenario touches and what depends on it, so each client's
    /// walk covers only that part of the design.
    fn affected(&self) -> Vec<bool> {
        let Some(dependencies) = self.dependencies else {
            return Vec::new();
        };
        let count = self.model.components.len();
        let mut affected = vec![false; count];
        let mut stack = Vec::new();
        let mut seed = |id: ComponentId, stack: &mut Vec<ComponentId>| {
            if !std::mem::replace(&mut affected[id.index()], true) {
                stack.push(id);
            }
        };
        for (index, reasons) in self.suffering.iter().enumerate() {
            if !reasons.is_empty() {
                seed(ComponentId::new(index), &mut stack);
            }
        }
        // Those that cannot reach a dependency: in front of a failed one, or of a cut link.
        for (index, &down) in self.outage.down.iter().enumerate() {
            if down {
                for &dependent in &dependencies.dependents[index] {
                    seed(dependent, &mut stack);
                }
            }
        }
        for (index, &cut) in self.outage.cut.iter().enumerate() {
            if cut {
                seed(self.model.links[index].from, &mut stack);
            }
        }
        while let Some(id) = stack.pop() {
            for &dependent in &dependencies.dependents[id.index()] {
                if !std::mem::replace(&mut affected[dependent.index()], true) {
                    stack.push(dependent);
                }
            }
        }
        affected
    }

    /// The index of a reason's wording.
    fn word(&self, text: String) -> u32 {
        self.wording.borrow_mut().id(text)
    }

    /// Along a flow's synchronous steps: down at the first step whose target (or all
    /// its alternatives) is down or cut off; degraded by what the survivors suffer.
    fn flow(&self, index: usize) -> Verdict {
        let model = self.model;
        let flow = &model.flows[index];
        // The share of the flow's requests that reach each component, and whether they
        // reach it behind a queue (the request was accepted; its work can still fail).
        let mut reached: HashMap<ComponentId, (f64, bool)> =
            HashMap::from([(flow.start, (1.0, false))]);
        let mut why = Why::default();
        let mut failing: Vec<(String, f64)> = Vec::new();
        for step in &flow.steps {
            let link = model.link(step.link);
            let Some(&(share, queued)) = reached.get(&link.from) else {
                continue;
            };
            let queued = queued || !self.facts.is_sync(step.link);
            let ratio = super::estimate::step_ratio(model, flow, step);
            let share = share * ratio;
            let set = self.facts.alternative_set(model, link.from, link.to);
            let alive: Vec<ComponentId> = set
                .iter()
                .copied()
                .filter(|&t| self.reachable(link.from, t))
                .collect();
            if alive.is_empty() {
                let cause = if set.len() > 1 {
                    self.every_alternative(link.from, &set)
                } else {
                    self.cause(link.from, link.to)
                };
                if queued {
                    why.add(self.word(format!("its queued work fails ({cause})")));
                    continue;
                }
                if link.attrs.bool(attr::FALLBACK) == Some(true) {
                    let without = &model.component(link.to).id;
                    why.add(self.word(format!("answered without `{without}` ({cause})")));
                    continue;
                }
                // Only the requests that take this step fail; steps that fail for one
                // cause add up (a read and a write of one store).
                let index = match failing.iter().position(|(c, _)| *c == cause) {
                    Some(index) => index,
                    None => {
                        failing.push((cause.clone(), 0.0));
                        failing.len() - 1
                    }
                };
                failing[index].1 += share;
                if failing[index].1 >= 1.0 - 1e-9 {
                    return Verdict::Down(cause);
                }
                continue;
            }
            for &t in &alive {
                self.suffering[t.index()].iter().for_each(|&r| why.add(r));
            }
            let entry = reached.entry(link.to).or_insert((0.0, queued));
            entry.0 = entry.0.max(share);
            entry.1 = entry.1 && queued;
        }
        for (cause, share) in failing {
            let share = share_percent(share);
            why.add(self.word(format!("{share} of its requests fail ({cause})")));
        }
        why.verdict()
    }

    /// A client without flows: its requests down when a dependency every request needs
    /// is down; degraded when some requests (routes, misses, a share) fail.
    fn client(&self, client: ComponentId) -> Verdict {
        if !self.affected[client.index()] {
            return Verdict::Ok;
        }
        let mut why = Why::default();
        // One flag per component for each client: a walk is linear in what it reaches.
        let mut seen = vec![false; self.model.components.len()];
        match self.needs(client, &mut seen, &mut why) {
            Some(cause) => Verdict::Down(cause),
            None => why.verdict(),
        }
    }

    /// The first failure that fails every request reaching `id`, if any.
    fn needs(&self, id: ComponentId, seen: &mut [bool], why: &mut Why) -> Option<String> {
        // Nothing below an unaffected component fails or suffers: its walk finds nothing,
        // whether it was walked before or not.
        if !self.affected[id.index()] || std::mem::replace(&mut seen[id.index()], true) {
            return None;
        }
        self.suffering[id.index()].iter().for_each(|&r| why.add(r));
        let model = self.model;
        let deps = &self
            .dependencies
            .expect("clients are judged with dependencies")
            .of[id.index()];
        if deps.is_empty() {
            return None;
        }
        let alternatives = model.component(id).kind.balances();
        let shares = matches!(model.component(id).kind, Kind::Gateway | Kind::Cdn);
        let mut failed = Vec::new();
        for dependency in deps {
            let Dependency { target, ratio } = *dependency;
            let cause = if self.reachable(id, target) {
                self.needs(target, seen, why)
            } else {
                Some(self.cause(id, target))
            };
            if let Some(cause) = cause {
                failed.push((target, ratio, cause));
            }
        }
        if failed.is_empty() {
            return None;
        }
        if alternatives && failed.len() < deps.len() {
            return None;
        }
        if alternatives && deps.len() > 1 {
            let mut set: Vec<ComponentId> = deps.iter().map(|d| d.target).collect();
            set.sort();
            return Some(self.every_alternative(id, &set));
        }
        if alternatives || (!shares && failed.iter().any(|(_, ratio, _)| *ratio >= 1.0)) {
            return failed.into_iter().next().map(|(_, _, cause)| cause);
        }
        if shares && failed.len() == deps.len() && model.component(id).kind == Kind::Gateway {
            return failed.into_iter().next().map(|(_, _, cause)| cause);
        }
        for (target, ratio, cause) in failed {
            let what = if model.component(id).kind == Kind::Cdn {
                format!("cache misses fail ({cause})")
            } else if ratio == 0.0 {
                format!(
                    "answered without `{}` ({cause})",
                    model.component(target).id
                )
            } else {
                format!(
                    "requests through `{}` fail ({cause})",
                    model.component(target).id
                )
            };
            why.add(self.word(what));
        }
        None
    }

    /// What an up component suffers: degraded state, over capacity, a cold cache.
    fn suffers(&self, id: ComponentId) -> Vec<u32> {
        let component = self.model.component(id);
        // A few reasons at most: deduplicated in place (`Why`'s flags, sized to every
        // reason worded so far, would cost that much per component).
        let mut reasons: Vec<u32> = Vec::new();
        let mut add = |text: String| {
            let reason = self.word(text);
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        };
        if let State::Degraded(what) = &self.state[id.index()] {
            add(format!("{what} (`{}`)", component.id));
        }
        if let Some(u) = self.over.get(&id) {
            add(format!(
                "over capacity (`{}` at {})",
                component.id,
                share_percent(*u)
            ));
        }
        if component.kind == Kind::Cache && self.outage.down[id.index()] {
            add(format!(
                "cache cold (`{}` down: its reads go to its store)",
                component.id
            ));
        }
        reasons
    }

    /// `to` is up (a down cache still passes requests on) and some link from `from` to
    /// it is not cut.
    fn reachable(&self, from: ComponentId, to: ComponentId) -> bool {
        let passes = !self.outage.down[to.index()]
            || (self.model.component(to).kind == Kind::Cache && caches_something(self.model, to));
        passes
            && (!self.any_cut
                || self
                    .model
                    .graph
                    .edges_connecting(from, to)
                    .any(|e| !self.outage.cut[e.id().index()]))
    }

    /// Every alternative behind a router down or cut off.
    fn every_alternative(&self, router: ComponentId, set: &[ComponentId]) -> String {
        let names: Vec<String> = set
            .iter()
            .map(|&c| format!("`{}`", self.model.component(c).id))
            .collect();
        format!(
            "every alternative behind `{}` is down or cut off ({})",
            self.model.component(router).id,
            names.join(", ")
        )
    }

    fn cause(&self, from: ComponentId, to: ComponentId) -> String {
        let model = self.model;
        let cut = model
            .graph
            .edges_connecting(from, to)
            .any(|e| self.outage.cut[e.id().index()]);
        let name = &model.component(to).id;
        match &self.state[to.index()] {
            _ if cut => format!("`{}->{name}` is cut", model.component(from).id),
            State::Down(why) if why == "failed" => format!("`{name}` is down"),
            State::Down(why) => format!("`{name}` {why}"),
            _ => format!("`{name}` is down"),
        }
    }
}

/// A cache with a store to fall back on: `caches:` or a link onward.
fn caches_something(model: &Model, cache: ComponentId) -> bool {
    model.component(cache).attrs.get(attr::CACHES).is_some()
        || model
            .graph
            .edges_directed(cache, Direction::Outgoing)
            .next()
            .is_some()
}

/// The scenario of an ad-hoc failure (`hld what-if --fail A,B --partition X,Y`, the
/// MCP tool's `fail` and `partition`), with the id `what-if`.
pub fn ad_hoc(model: &Model, fail: &[String], partition: &[String]) -> Result<Scenario, String> {
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
        let help = hld_syntax::diagnostics::suggestion_help(name, names)
            .map_or(String::new(), |h| format!(": {h}"));
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
            return Err("a partition takes two different sides: `us,eu`".to_string());
        }
    };
    // Not written anywhere: it points at the start of the design.
    let nowhere = hld_syntax::source::Span::new(hld_syntax::source::FileId(0), 0, 0);
    Ok(Scenario {
        id: "what-if".to_string(),
        label: None,
        fail,
        partition,
        attrs: Default::default(),
        span: nowhere,
        id_span: nowhere,
    })
}

/// A one-line summary, as the table prints it.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok => "ok".to_string(),
        Outcome::Degraded(why) => format!("degraded ({})", why.join("; ")),
        Outcome::Down(cause) => format!("down ({cause})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outcome of the design's first flow (or client) in each of its scenarios.
    fn outcomes(text: &str) -> Vec<String> {
        let compilation = crate::compile("t.hld", text.as_bytes().to_vec());
        assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
        let model = &compilation.model;
        let facts = Facts::new(model);
        model
            .scenarios
            .iter()
            .map(|s| describe(&what_if(model, &facts, s).outcomes[0].outcome))
            .collect()
    }

    fn with_store(replication: &str, zones: u64) -> String {
        format!(
            "client u {{ rate: 100/s }}\nservice api {{ replicas: 2 }}\ndatabase db {{ replication: {replication}, zones: {zones} }}\n\
             zone a {{ service tool }}\nu -> api -> db\nscenario zone_a {{ fail: [a] }}\n"
        )
    }

    #[test]
    fn a_consensus_store_keeps_its_quorum_across_three_zones_not_two() {
        // 3 members over 3 zones: zone a takes 1, 2 of 3 remain, a majority.
        assert_eq!(outcomes(&with_store("consensus(n: 3)", 3)), ["ok"]);
        // Over 2 zones the failed zone holds the larger share: 2 of 3 lost.
        assert_eq!(
            outcomes(&with_store("consensus(n: 3)", 2)),
            ["down (`db` lost its quorum: 1 of 3 members, 2 needed)"]
        );
    }

    #[test]
    fn a_leaderless_store_needs_w_and_r() {
        assert_eq!(
            outcomes(&with_store("leaderless(n: 3, w: 2, r: 2)", 3)),
            ["ok"]
        );
        assert!(outcomes(&with_store("leaderless(n: 3, w: 3, r: 1)", 3))[0].starts_with("down"));
    }

    #[test]
    fn a_sloppy_quorum_takes_writes_through_a_zone_loss_and_serves_stale_reads() {
        // w = 3 of 3 cannot survive a zone; with hinted handoff over 4 shards it can.
        let strict = "leaderless(n: 3, w: 3, r: 1), shards: 4, partitioning: hash(key: id)";
        assert!(outcomes(&with_store(strict, 3))[0].starts_with("down"));
        let sloppy =
            "leaderless(n: 3, w: 3, r: 1, sloppy: true), shards: 4, partitioning: hash(key: id)";
        let outcome = &outcomes(&with_store(sloppy, 3))[0];
        assert!(
            outcome.starts_with("degraded") && outcome.contains("stale reads"),
            "{outcome}"
        );
    }

    #[test]
    fn manual_failover_is_down_until_someone_acts_automatic_survives() {
        assert_eq!(
            outcomes(&with_store(
                "leader_follower(followers: 1, failover: automatic)",
                2
            )),
            ["ok"]
        );
        assert!(
            outcomes(&with_store(
                "leader_follower(followers: 1, failover: manual)",
                2
            ))[0]
                .contains("failover is manual")
        );
    }

    const REGIONS: &str = "client u { rate: 100/s }\nregion us { service api_us { replicas: 2 }\ndatabase db_us { replicas: 2 } }\n\
         region eu { service api_eu { replicas: 2 }\ndatabase db_eu { replicas: 2 } }\n\
         u -> api_us -> db_us\nu -> api_eu { ratio: 1% }\napi_eu -> db_eu { ops: read }\n";

    #[test]
    fn a_cut_replica_serves_stale_reads_and_two_writable_copies_conflict() {
        let stale = format!(
            "{REGIONS}db_us -> db_eu {{ ops: replicate }}\nscenario atlantic {{ partition: [us, eu] }}\n"
        );
        assert_eq!(outcomes(&stale), ["degraded (stale reads (`db_eu`))"]);
        let both = format!(
            "{REGIONS}api_eu -> db_eu {{ ops: write }}\ndb_us -> db_eu {{ ops: replicate }}\ndb_eu -> db_us {{ ops: replicate }}\nscenario atlantic {{ partition: [us, eu] }}\n"
        );
        assert!(
            outcomes(&both)[0].contains("conflicting writes"),
            "{:?}",
            outcomes(&both)
        );
    }

    #[test]
    fn survivors_take_the_load_of_lost_alternatives() {
        // 1.4k/s per zone of 2k/s; with zone a down, web_b takes 2.8k/s: 140%.
        let text = "client u { rate: 2.8k/s }\nlb front { managed: true }\nzone a { service web_a { replicas: 2, capacity: 1k/s } }\n\
             zone b { service web_b { replicas: 2, capacity: 1k/s } }\nu -> front\nfront -> web_a\nfront -> web_b\n\
             scenario zone_a { fail: [a] }\nscenario both { fail: [a, b] }\n";
        assert_eq!(
            outcomes(text),
            [
                "degraded (over capacity (`web_b` at 140%))",
                "down (every alternative behind `front` is down or cut off (`web_a`, `web_b`))"
            ]
        );
    }

    #[test]
    fn a_failed_cache_sends_its_reads_to_its_store() {
        let text = "client u { rate: 1k/s }\nservice api { replicas: 2 }\ncache hot { replicas: 2, caches: db }\n\
             database db { replicas: 2, capacity: 300/s }\nu -> api\napi -> hot { ops: read }\napi -> db { ops: read }\n\
             scenario cold { fail: [hot] }\n";
        // Normally 20% of 1k/s miss: 200/s of 600/s. Cold, all 1k/s: 167%.
        let found = outcomes(text);
        assert!(found[0].contains("cache cold (`hot` down"), "{found:?}");
        assert!(
            found[0].contains("over capacity (`db` at 167%)"),
            "{found:?}"
        );
    }

    #[test]
    fn a_cut_link_without_an_alternative_takes_the_flow_down() {
        let text = format!(
            "{REGIONS}flow f {{ u -> api_us -> db_us }}\nscenario split {{ partition: [api_us, db_us] }}\n"
        );
        assert_eq!(outcomes(&text), ["down (`api_us->db_us` is cut)"]);
    }

    #[test]
    fn work_behind_a_queue_degrades_the_flow_it_does_not_take_it_down() {
        let text = "client u { rate: 100/s }\nservice api { replicas: 2 }\nqueue q\nworker w { replicas: 2 }\n\
             database db { replicas: 2 }\nu -> api -> q -> w -> db\nflow f { u -> api -> q -> w -> db }\n\
             scenario db_down { fail: [db] }\n";
        assert_eq!(
            outcomes(text),
            ["degraded (its queued work fails (`db` is down))"]
        );
    }

    #[test]
    fn a_dependency_with_a_fallback_degrades_instead_of_failing() {
        let text = |fallback: &str| {
            format!(
                "client u {{ rate: 100/s }}\nservice api {{ replicas: 2 }}\nexternal maps\nu -> api -> maps {{ timeout: 1s{fallback} }}\n\
                 flow f {{ u -> api -> maps }}\nscenario maps_down {{ fail: [maps] }}\n"
            )
        };
        assert_eq!(outcomes(&text("")), ["down (`maps` is down)"]);
        assert_eq!(
            outcomes(&text(", fallback: true")),
            ["degraded (answered without `maps` (`maps` is down))"]
        );
    }
}
