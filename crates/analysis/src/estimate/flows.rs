//! Flows as one more source of routing (docs/estimates.md, "Flows"). A client with flows sends
//! each flow's rate along the flow's own steps; what its flows leave follows the sender
//! table. A step from a load balancer or dns to one of its alternatives stands for all
//! of them: the flow's traffic is split across the set, and the steps after it are
//! taken from each alternative. Past a store, cache or queue the default propagation
//! carries the flow on (change streams, misses, consumer groups), so only steps from
//! callers, routers and cdns are routed here.

use hld_model::values::ops::Value as Ops;
use std::collections::HashMap;

use super::latency::{Latency, round_trip, wait_limit};
use super::load::{CACHE_HIT_RATIO, CDN_HIT_RATIO};
use super::{Estimates, MAX_FAN_OUT, Rate, client_rate, human_rate, percent};
use crate::facts::{self, Facts};
use hld_model::attr;
use hld_model::{ComponentId, Flow, FlowId, Kind, LinkId, Model};

/// One flow's figures.
#[derive(Clone, Debug)]
pub struct FlowEstimate {
    pub flow: FlowId,
    /// `rate`, else `share` × the client's rate, else what the client's other flows leave.
    pub rate: Option<Rate>,
    pub rate_formula: String,
    /// The sums of the p50 and p99 latencies along its synchronous steps, in seconds.
    pub latency: f64,
    pub latency_p99: f64,
    /// The series along its synchronous steps (an alternative set as one step).
    pub availability: f64,
    /// The step target whose downtime fails most of the flow's requests, and that share.
    pub weakest: Option<(ComponentId, f64)>,
    /// Components along its synchronous steps, in order (for `deep-sync-chain`).
    pub sync_path: Vec<ComponentId>,
}

/// Whether a component's outgoing traffic is the requests it receives (callers,
/// routers, cdns), so that a flow routes it; other kinds forward on their own.
pub(super) fn routes_requests(kind: Kind) -> bool {
    !kind.is_data()
}

impl Estimates {
    /// Each flow's rate, and the links its traffic takes with the rate on each, grouped
    /// by sending component.
    pub(super) fn route_flows(
        &mut self,
        model: &Model,
        facts: &Facts,
    ) -> HashMap<ComponentId, Vec<(LinkId, Rate, FlowId)>> {
        let rates = flow_rates(model);
        let mut by_sender: HashMap<ComponentId, Vec<(LinkId, Rate, FlowId)>> = HashMap::new();
        for (index, flow) in model.flows.iter().enumerate() {
            let (rate, formula) = rates[index].clone().unzip();
            self.flows.push(FlowEstimate {
                flow: index,
                rate,
                rate_formula: formula.unwrap_or_default(),
                latency: 0.0,
                latency_p99: 0.0,
                availability: 1.0,
                weakest: None,
                sync_path: Vec::new(),
            });
            let Some(rate) = rate else { continue };
            for (link, carried) in self.route(model, facts, flow, rate) {
                by_sender
                    .entry(model.link(link).from)
                    .or_default()
                    .push((link, carried, index));
            }
        }
        by_sender
    }

    /// The links one flow's traffic takes, with the rate on each.
    fn route(
        &mut self,
        model: &Model,
        facts: &Facts,
        flow: &Flow,
        rate: Rate,
    ) -> Vec<(LinkId, Rate)> {
        let mut at: HashMap<ComponentId, Rate> = HashMap::from([(flow.start, rate)]);
        // Per component of the flow as written, the components that play it (the
        // alternatives a router's step stands for).
        let mut players: HashMap<ComponentId, Vec<ComponentId>> =
            HashMap::from([(flow.start, vec![flow.start])]);
        let mut routed = Vec::new();
        for step in &flow.steps {
            let link = model.link(step.link);
            let (from, to) = (link.from, link.to);
            let sender = model.component(from);
            let Some(playing) = players.get(&from).cloned() else {
                continue;
            };
            let set = facts.alternative_set(model, from, to);
            players.entry(to).or_default().extend(set.iter().copied());
            if !routes_requests(sender.kind) {
                continue;
            }
            let ratio = match step.ratio {
                // A cache that is down answers nothing: the store takes every read.
                None if look_aside_cache(model, flow, step).is_some_and(|c| self.is_down(c)) => 1.0,
                None if sender.kind == Kind::Cdn => {
                    1.0 - self.hit_ratio(model, from, CDN_HIT_RATIO)
                }
                _ => step_ratio(model, flow, step),
            };
            let ops = facts::ops(link);
            for player in playing {
                let Some(arriving) = at.get(&player).copied() else {
                    continue;
                };
                // Survivors take the share of the alternatives that are down.
                let links: Vec<(ComponentId, LinkId)> = set
                    .iter()
                    .filter_map(|&t| Some((t, link_like(model, player, t, step.link, ops)?)))
                    .filter(|&(_, l)| self.arrives(model, l))
                    .collect();
                let each = arriving.scaled(ratio / links.len().max(1) as f64);
                for (target, taken) in links {
                    routed.push((taken, each));
                    let total = at.entry(target).or_default();
                    *total = *total + each;
                }
            }
        }
        routed
    }

    /// Per flow: latency as the sum along its synchronous steps, availability as the
    /// series along them, and the weakest step.
    pub(super) fn flow_paths(&mut self, model: &Model, facts: &Facts) {
        for index in 0..model.flows.len() {
            let flow = &model.flows[index];
            let own = |id: ComponentId| {
                if model.component(id).kind == Kind::Client {
                    1.0
                } else {
                    self.components[id.index()].availability.value
                }
            };
            // The share of the flow's requests that reach each component synchronously.
            let mut reached: HashMap<ComponentId, f64> = HashMap::from([(flow.start, 1.0)]);
            let mut availability_of: Vec<(ComponentId, f64, f64)> = Vec::new();
            let mut latency = self.own_pair(flow.start);
            let mut sync_path = vec![flow.start];
            for step in &flow.steps {
                let link = model.link(step.link);
                let (from, to) = (link.from, link.to);
                let Some(&share) = reached.get(&from) else {
                    continue;
                };
                if !facts.is_sync(step.link) {
                    continue;
                }
                let ratio = step_ratio(model, flow, step);
                let set = facts.alternative_set(model, from, to);
                // A store answers the step's operations with its read or write figure.
                let own_for_step = |c: ComponentId| {
                    if c == to {
                        self.operation_availability(link)
                    } else {
                        own(c)
                    }
                };
                let a = 1.0 - set.iter().map(|&c| 1.0 - own_for_step(c)).product::<f64>();
                // The slowest alternative, reached over the link's round trip; a fan-out
                // ratio of k waits for the slowest of k calls.
                let slowest = set
                    .iter()
                    .map(|&c| self.own_pair(c))
                    .max_by(|a, b| a.p99.total_cmp(&b.p99))
                    .unwrap_or_default()
                    .slowest_of(ratio.clamp(1.0, MAX_FAN_OUT))
                    + Latency::fixed(round_trip(model, link).0);
                // The caller waits no longer than its timeout (× attempts).
                let slowest = slowest.at_most(wait_limit(link));
                let share = share * ratio;
                let entry = reached.entry(to).or_insert(0.0);
                *entry = entry.max(share);
                // A step with a fallback costs latency, not availability.
                if link.attrs.bool(attr::FALLBACK) != Some(true) {
                    availability_of.push((to, share, a));
                }
                // A fan-out (ratio above 1) is every request's; a share below 1 is some.
                latency = latency + slowest.taken_by(share.min(1.0));
                if !sync_path.contains(&to) {
                    sync_path.push(to);
                }
            }
            // A component reached by two steps counts once, at the larger share.
            availability_of.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
            availability_of.dedup_by_key(|x| x.0);
            let availability = availability_of
                .iter()
                .map(|(_, p, a)| 1.0 - p * (1.0 - a))
                .product();
            let weakest = availability_of
                .iter()
                .map(|&(c, p, a)| (c, p * (1.0 - a)))
                .max_by(|x, y| x.1.total_cmp(&y.1));
            let estimate = &mut self.flows[index];
            estimate.latency = latency.p50;
            estimate.latency_p99 = latency.p99;
            estimate.availability = availability;
            estimate.weakest = weakest;
            estimate.sync_path = sync_path;
        }
    }
}

/// The share of the flow's requests at a step's source that take it (docs/estimates.md,
/// "Flows and failures keep the model's numbers"): the step's `ratio`, else the link's
/// own `ratio` (a caller's fan-out or share; not a router's share of mixed requests,
/// which the flow has already chosen), else what the link would carry of them: a cdn's misses, a look-aside
/// cache's misses on a read of the store it `caches:` when the flow reads that cache
/// from the same caller; else all of them.
pub fn step_ratio(model: &Model, flow: &Flow, step: &hld_model::FlowStep) -> f64 {
    if let Some(ratio) = step.ratio {
        return ratio;
    }
    let link = model.link(step.link);
    let sender = model.component(link.from);
    // A router's `ratio` is the share of its mixed requests a route takes; a flow that
    // names the route is that kind of request, all of it.
    let routes = matches!(sender.kind, Kind::Gateway | Kind::Lb | Kind::Dns);
    if let Some(ratio) = link.attrs.number(attr::RATIO).filter(|_| !routes) {
        return ratio;
    }
    if sender.kind == Kind::Cdn {
        return 1.0 - hits(sender, CDN_HIT_RATIO);
    }
    if facts::reads(link)
        && let Some(cache) = look_aside_cache(model, flow, step)
    {
        return 1.0 - hits(model.component(cache), CACHE_HIT_RATIO);
    }
    1.0
}

/// A cache's stated hit ratio, else the default.
fn hits(component: &hld_model::Component, default: f64) -> f64 {
    component
        .attrs
        .number(attr::HIT_RATIO)
        .unwrap_or(default)
        .clamp(0.0, 1.0)
}

/// The cache in front of a step's store: one that `caches:` it and that the flow reads
/// from the step's sender.
pub(super) fn look_aside_cache(
    model: &Model,
    flow: &Flow,
    step: &hld_model::FlowStep,
) -> Option<ComponentId> {
    let link = model.link(step.link);
    let store = &model.component(link.to).id;
    flow.steps.iter().map(|s| model.link(s.link)).find_map(|l| {
        let cache = model.component(l.to);
        (l.from == link.from
            && cache.kind == Kind::Cache
            && facts::reads(l)
            && cache.attrs.symbol(attr::CACHES) == Some(store.as_str()))
        .then_some(l.to)
    })
}

/// The link from `player` to `target` that plays the step's link: the step's own when
/// it joins them, else the first with the same `ops`, else the first.
fn link_like(
    model: &Model,
    player: ComponentId,
    target: ComponentId,
    step: LinkId,
    ops: Ops,
) -> Option<LinkId> {
    let step_link = model.link(step);
    if step_link.from == player && step_link.to == target {
        return Some(step);
    }
    let candidates = || {
        use petgraph::visit::EdgeRef;
        model.graph.edges_connecting(player, target).map(|e| e.id())
    };
    candidates()
        .filter(|&l| facts::ops(model.link(l)) == ops)
        .min()
        .or_else(|| candidates().min())
}

/// Per flow: its peak and average rate and how it was obtained.
fn flow_rates(model: &Model) -> Vec<Option<(Rate, String)>> {
    let mut rates: Vec<Option<(Rate, String)>> = vec![None; model.flows.len()];
    let mut clients: Vec<ComponentId> = model.flows.iter().map(|f| f.start).collect();
    clients.sort();
    clients.dedup();
    for client in clients {
        let component = model.component(client);
        let total = client_rate(component).map(|(rate, _)| rate);
        let flows: Vec<usize> = (0..model.flows.len())
            .filter(|&i| model.flows[i].start == client)
            .collect();
        let average_share = total.map_or(0.5, |t| t.average / t.peak.max(f64::MIN_POSITIVE));
        let mut taken = Rate::default();
        let mut unstated = Vec::new();
        for &index in &flows {
            let flow = &model.flows[index];
            let stated = if let Some(rate) = flow.attrs.number(attr::RATE) {
                Some((
                    Rate {
                        peak: rate,
                        average: rate * average_share,
                    },
                    format!("rate {}", human_rate(rate)),
                ))
            } else if let (Some(share), Some(total)) = (flow.attrs.number(attr::SHARE), total) {
                Some((
                    total.scaled(share),
                    format!(
                        "{} × {} of `{}`",
                        human_rate(total.peak),
                        percent(share),
                        component.id
                    ),
                ))
            } else {
                None
            };
            match stated {
                Some((rate, formula)) => {
                    taken = taken + rate;
                    rates[index] = Some((rate, formula));
                }
                None if flow.attrs.number(attr::SHARE).is_none() => unstated.push(index),
                None => {}
            }
        }
        let Some(total) = total else { continue };
        let left = total.less(taken).scaled(1.0 / unstated.len().max(1) as f64);
        for &index in &unstated {
            let formula = if unstated.len() > 1 {
                format!(
                    "what the other flows of `{}` leave ÷ {}",
                    component.id,
                    unstated.len()
                )
            } else {
                format!("what the other flows of `{}` leave", component.id)
            };
            rates[index] = Some((left, formula));
        }
    }
    rates
}
