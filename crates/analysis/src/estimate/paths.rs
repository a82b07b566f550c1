//! Availability by series and parallel, latency by the slowest path (docs/estimates.md).
//!
//! A(X), the share of requests arriving at X that succeed, is computed once for every
//! component in reverse topological order over the synchronous request links: callers
//! in series, load balancers and dns over alternatives, gateways by route share, cdns
//! serving their hits. Per client, the weakest component is the one whose downtime
//! costs the client most: the derivative of the client's A along the same formulas
//! (one forward pass) times X's unavailability. Both passes are linear in V + E.

use hld_model::values::ops::Value as Ops;
use petgraph::Direction;
use petgraph::visit::EdgeRef;

use super::latency::{Latency, fan_out, round_trip, wait_limit};
use super::load::CDN_HIT_RATIO;
use super::shared::{Region, Shared};
use super::{Estimates, PathEstimate};
use crate::facts::{self, Facts};
use hld_model::attr;
use hld_model::figures::percent;
use hld_model::{ComponentId, Kind, LinkId, Model};

/// How a component's availability combines its dependencies'.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Combine {
    /// Each dependency a request uses must answer: Π (1 − p_L × (1 − A)).
    Series,
    /// One alternative answers; a failed one is routed around: 1 − Π (1 − A).
    Alternatives,
    /// One route per request type: Σ share_L × A.
    Routes,
    /// Hits answer at the edge, misses at one of the origins: h + (1 − h) × parallel.
    Edge(f64),
}

/// One synchronous dependency: its link, its target, and the share of the sender's
/// requests that use it (series) or take it (routes).
pub(super) struct Dependency {
    link: LinkId,
    pub target: ComponentId,
    share: f64,
    /// A gateway's call to its own store, made on every request: in series, not a route.
    side_call: bool,
    /// What this link's operations see of the target's own availability, relative to
    /// the figure its A(X) carries: a store's read or write availability over its mix.
    scale: f64,
    /// The link's round trip (between regions or zones), in seconds.
    hop: f64,
    /// Parallel calls a request waits for on this link: a fan-out `ratio` above 1, times
    /// the shards a scatter read goes to.
    fan_out: f64,
    /// The caller's timeout × attempts: it waits no longer.
    limit: Option<f64>,
}

/// What the weakest-component pass reads of the availability pass.
#[derive(Clone, Copy)]
struct Passes<'a> {
    /// Per component: ∂A(X)/∂A(target) for each target its availability depends on.
    flows: &'a [Vec<(ComponentId, f64)>],
    combined_of: &'a [f64],
    own: &'a [f64],
}

impl Estimates {
    pub(super) fn paths(&mut self, model: &Model, facts: &Facts) {
        let dependencies: Vec<Vec<Dependency>> = model
            .graph
            .node_indices()
            .map(|id| self.dependencies(model, facts, id))
            .collect();
        let combine: Vec<Combine> = model
            .graph
            .node_indices()
            .map(|id| self.combine(model, id))
            .collect();
        let own: Vec<f64> = model
            .graph
            .node_indices()
            .map(|id| {
                if model.component(id).kind == Kind::Client {
                    1.0
                } else {
                    self.components[id.index()].availability.value
                }
            })
            .collect();
        let n = model.components.len();
        let mut position = vec![0usize; n];
        for (index, id) in self.order.iter().enumerate() {
            position[id.index()] = index;
        }
        // Enough for every router of a hand-written design; on a generated graph where
        // every alternative reaches most of it, the factoring stops at twice its size.
        let budget = 2 * (n + model.links.len()) + 4096;
        let mut region = Region::new(&dependencies, &combine, &own, &position, budget);
        let mut shared: Vec<Option<Shared>> = (0..n).map(|_| None).collect();
        let mut expected = vec![1.0f64; n];
        let mut combined_of = vec![1.0f64; n];
        let mut latency = vec![Latency::default(); n];
        let mut slowest: Vec<Option<ComponentId>> = vec![None; n];
        let mut values = Vec::new();
        for &id in self.order.iter().rev() {
            let deps = &dependencies[id.index()];
            if matches!(
                combine[id.index()],
                Combine::Alternatives | Combine::Edge(_)
            ) {
                shared[id.index()] = region.shared(id, &expected);
            }
            combined_of[id.index()] = match &shared[id.index()] {
                Some(shared) => factored(combine[id.index()], shared),
                None => {
                    values.clear();
                    values.extend(deps.iter().map(|d| expected[d.target.index()] * d.scale));
                    combined(combine[id.index()], deps, &values)
                }
            };
            expected[id.index()] = own[id.index()] * combined_of[id.index()];
            // The slowest dependency by p99: its path, waited for across its fan-out,
            // plus the link's round trip.
            let worst = deps
                .iter()
                .map(|d| {
                    let path = latency[d.target.index()].slowest_of(d.fan_out);
                    (d.target, (path + Latency::fixed(d.hop)).at_most(d.limit))
                })
                .max_by(|a, b| a.1.p99.total_cmp(&b.1.p99));
            latency[id.index()] = self.own_pair(id) + worst.map_or_else(Latency::default, |w| w.1);
            slowest[id.index()] = worst.map(|w| w.0);
        }
        if region.exhausted {
            self.assume(
                "beyond its budget the estimate combined alternatives as independent, even where they share a dependency (optimistic)",
                "the largest routers",
            );
        }
        for (index, value) in expected.iter().enumerate() {
            let terms = AvailabilityTerms::new(
                combine[index],
                &dependencies[index],
                &expected,
                shared[index].as_ref(),
            );
            let estimate = &mut self.components[index];
            estimate.expected_availability = *value;
            estimate.availability_terms = terms;
        }
        // ∂A(X)/∂A(target), once per component: the clients' passes only multiply.
        let flows: Vec<Vec<(ComponentId, f64)>> = (0..n)
            .map(|index| {
                let deps = &dependencies[index];
                let (partials, entries) = match &shared[index] {
                    Some(shared) => factored_partials(combine[index], shared, &expected),
                    None => {
                        let values: Vec<f64> = deps
                            .iter()
                            .map(|d| expected[d.target.index()] * d.scale)
                            .collect();
                        let chained = partials(combine[index], deps, &values)
                            .into_iter()
                            .zip(deps)
                            .map(|(partial, d)| partial * d.scale)
                            .collect();
                        (chained, Vec::new())
                    }
                };
                deps.iter()
                    .map(|d| d.target)
                    .zip(partials)
                    .chain(entries)
                    .map(|(target, partial)| (target, own[index] * partial))
                    .collect()
            })
            .collect();
        // A client with flows is reported per flow (flows.rs), not by its worst path.
        let clients: Vec<ComponentId> = model
            .graph
            .node_indices()
            .filter(|&id| model.component(id).kind == Kind::Client)
            .filter(|&id| !model.flows.iter().any(|f| f.start == id))
            .collect();
        self.paths = clients
            .into_iter()
            .map(|client| {
                let passes = Passes {
                    flows: &flows,
                    combined_of: &combined_of,
                    own: &own,
                };
                // Under an outage (a what-if, a simulation) nothing reads which
                // component a client depends on most, and finding it walks what each
                // client reaches: clients × components on a large design, once per
                // scenario.
                let (weakest, availability_path) = match self.outage {
                    None => self.weakest(client, &passes),
                    Some(_) => (None, Vec::new()),
                };
                PathEstimate {
                    client,
                    availability: expected[client.index()],
                    weakest,
                    availability_path,
                    latency: latency[client.index()].p50,
                    latency_p99: latency[client.index()].p99,
                    latency_path: follow(&slowest, client),
                }
            })
            .collect();
    }

    /// The synchronous request links out of `id` that are not cut, with the share of
    /// `id`'s requests each carries (its rate over `id`'s inbound, else its `ratio`,
    /// else all of them).
    fn dependencies(&self, model: &Model, facts: &Facts, id: ComponentId) -> Vec<Dependency> {
        let inbound = self.components[id.index()].inbound.map(|r| r.peak);
        let mut deps: Vec<Dependency> = model
            .graph
            .edges_directed(id, Direction::Outgoing)
            .filter(|e| facts.is_sync(e.id()) && !self.is_cut[e.id().index()])
            .map(|e| {
                let link = model.link(e.id());
                let carried = self.links[e.id().index()].rate.map(|r| r.peak);
                let share = match (carried, inbound) {
                    // The caller answers without it: its failure fails no request.
                    _ if link.attrs.bool(attr::FALLBACK) == Some(true) => 0.0,
                    // A look-aside cache's misses go to the store the caller reads anyway.
                    _ if facts.look_aside[e.target().index()] => 0.0,
                    (Some(carried), Some(inbound)) if inbound > 0.0 => carried / inbound,
                    _ => link.attrs.number(attr::RATIO).unwrap_or(1.0),
                };
                Dependency {
                    link: e.id(),
                    target: e.target(),
                    share: share.clamp(0.0, 1.0),
                    side_call: facts::is_side_call(model, link),
                    scale: self.operation_scale(link),
                    hop: round_trip(model, link).0,
                    fan_out: fan_out(model, link),
                    limit: wait_limit(link),
                }
            })
            .collect();
        deps.sort_by_key(|d| d.link);
        if matches!(
            self.combine(model, id),
            Combine::Alternatives | Combine::Edge(_)
        ) {
            // Two links to one target (a read and a write) are one alternative.
            let mut seen = std::collections::HashSet::new();
            deps.retain(|d| seen.insert(d.target));
        }
        if self.combine(model, id) == Combine::Routes {
            let routes = || deps.iter().filter(|d| !d.side_call);
            let total: f64 = routes().map(|d| d.share).sum();
            let equal = 1.0 / routes().count().max(1) as f64;
            for dep in deps.iter_mut().filter(|d| !d.side_call) {
                dep.share = if total > 0.0 {
                    dep.share / total
                } else {
                    equal
                };
            }
        }
        deps
    }

    /// A link into a store takes its write availability for writes, its read
    /// availability for reads and their mix at the link's `writes` for `read_write`
    /// (docs/estimates.md); as a factor on the store's own figure, which A(X) carries.
    pub(super) fn operation_availability(&self, link: &hld_model::Link) -> f64 {
        let target = &self.components[link.to.index()];
        let Some(protocol) = &target.protocol else {
            return target.availability.value;
        };
        let (read, write) = (protocol.read, protocol.write);
        match facts::ops(link) {
            Ops::Write => write,
            // The read goes where the write will (reading another copy is what makes a
            // read-modify-write unsafe), so it stands or falls with the write.
            Ops::ReadModifyWrite => write.min(read),
            Ops::ReadWrite => {
                let writes = link
                    .attrs
                    .number(attr::WRITES)
                    .unwrap_or(super::READ_WRITE_WRITES);
                writes * write + (1.0 - writes) * read
            }
            _ => read,
        }
    }

    fn operation_scale(&self, link: &hld_model::Link) -> f64 {
        let own = self.components[link.to.index()].availability.value;
        if own > 0.0 {
            self.operation_availability(link) / own
        } else {
            1.0
        }
    }

    fn combine(&self, model: &Model, id: ComponentId) -> Combine {
        let component = model.component(id);
        match component.kind {
            Kind::Lb | Kind::Dns => Combine::Alternatives,
            Kind::Gateway => Combine::Routes,
            Kind::Cdn => Combine::Edge(
                component
                    .attrs
                    .number(attr::HIT_RATIO)
                    .unwrap_or(CDN_HIT_RATIO)
                    .clamp(0.0, 1.0),
            ),
            _ => Combine::Series,
        }
    }

    /// The component whose downtime costs `client` most (with that cost: the share of
    /// the client's requests it fails), and how the client reaches it.
    /// ∂A(client)/∂A(X) is carried forward in topological order; X's own downtime,
    /// 1 − a(X), costs ∂A(client)/∂A(X) × (1 − a(X)) × what X's dependencies serve.
    fn weakest(
        &self,
        client: ComponentId,
        passes: &Passes,
    ) -> (Option<(ComponentId, f64)>, Vec<ComponentId>) {
        let Passes {
            flows,
            combined_of,
            own,
        } = *passes;
        let n = own.len();
        let mut sensitivity = vec![0.0f64; n];
        let mut via: Vec<Option<(ComponentId, f64)>> = vec![None; n];
        sensitivity[client.index()] = 1.0;
        let mut weakest: Option<(ComponentId, f64)> = None;
        for &id in &self.order {
            let s = sensitivity[id.index()];
            if s == 0.0 {
                continue;
            }
            if id != client {
                // X's downtime, 1 − a(X), fails what X's dependencies would have
                // served of the requests that reach it.
                let served = combined_of[id.index()];
                let cost = s * served * (1.0 - own[id.index()]);
                if weakest.is_none_or(|(_, worst)| cost > worst) {
                    weakest = Some((id, cost));
                }
            }
            for &(target, partial) in &flows[id.index()] {
                let flow = s * partial;
                sensitivity[target.index()] += flow;
                if via[target.index()].is_none_or(|(_, best)| flow > best) {
                    via[target.index()] = Some((id, flow));
                }
            }
        }
        let path = match weakest {
            Some((end, _)) => {
                let parents: Vec<Option<ComponentId>> =
                    via.iter().map(|v| v.map(|(parent, _)| parent)).collect();
                let mut path = follow_back(&parents, end, client);
                path.reverse();
                path
            }
            None => vec![client],
        };
        (weakest, path)
    }
}

/// How A(X) was combined, kept to be explained on request: formatting every figure
/// of every component eagerly was most of the estimate's time on large designs.
#[derive(Clone, Debug, Default)]
pub struct AvailabilityTerms {
    combine: Option<Combine>,
    /// Per dependency: its target, the availability combined, its share.
    terms: Vec<(ComponentId, f64, f64)>,
    /// What all the alternatives share: the factor it lets through, and its entries.
    shared: Option<(f64, Vec<ComponentId>)>,
}

impl AvailabilityTerms {
    fn new(
        combine: Combine,
        deps: &[Dependency],
        expected: &[f64],
        shared: Option<&Shared>,
    ) -> AvailabilityTerms {
        if deps.is_empty() {
            return AvailabilityTerms::default();
        }
        let terms = deps
            .iter()
            .enumerate()
            .map(|(index, d)| {
                let value =
                    shared.map_or(expected[d.target.index()] * d.scale, |s| s.without[index]);
                (d.target, value, d.share)
            })
            .collect();
        AvailabilityTerms {
            combine: Some(combine),
            terms,
            shared: shared.map(|s| (s.factor, s.entries.clone())),
        }
    }

    /// The formula of A(X) in words, with each dependency's A (empty without
    /// dependencies).
    pub fn formula(&self, model: &Model) -> String {
        let Some(combine) = self.combine else {
            return String::new();
        };
        let each = |with_share: bool| {
            self.terms
                .iter()
                .map(|(target, value, share)| {
                    let name = &model.component(*target).id;
                    if with_share {
                        format!("`{name}` {} × {}", percent(*value), percent(*share))
                    } else {
                        format!("`{name}` {}", percent(*value))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let factor = self
            .shared
            .as_ref()
            .map_or(String::new(), |(factor, entries)| {
                let names: Vec<String> = entries
                    .iter()
                    .map(|e| format!("`{}`", model.component(*e).id))
                    .collect();
                format!(
                    " (each without what they all depend on), × {} for the shared {}",
                    percent(*factor),
                    names.join(", ")
                )
            });
        match combine {
            Combine::Series => format!("in series, Π(1 − p × (1 − A)) over {}", each(true)),
            Combine::Alternatives => {
                format!("alternatives, 1 − Π(1 − A) over {}{factor}", each(false))
            }
            Combine::Routes => format!("routes, Σ share × A over {}", each(true)),
            Combine::Edge(hits) => format!(
                "{} hits at the edge, misses to 1 − Π(1 − A) over {}{factor}",
                percent(hits),
                each(false)
            ),
        }
    }
}

/// How the dependencies' availabilities combine, before the component's own.
pub(super) fn combined(combine: Combine, deps: &[Dependency], values: &[f64]) -> f64 {
    if deps.is_empty() {
        return 1.0;
    }
    let all_fail = || values.iter().map(|a| 1.0 - a).product::<f64>();
    match combine {
        Combine::Series => deps
            .iter()
            .zip(values)
            .map(|(d, a)| series_factor(d, *a))
            .product(),
        Combine::Alternatives => 1.0 - all_fail(),
        Combine::Routes => {
            let side: f64 = deps
                .iter()
                .zip(values)
                .filter(|(d, _)| d.side_call)
                .map(|(d, a)| series_factor(d, *a))
                .product();
            side * routed(deps, values)
        }
        Combine::Edge(hits) => hits + (1.0 - hits) * (1.0 - all_fail()),
    }
}

/// A router's alternatives with what they share factored out: the parallel rule over
/// each alternative's own part, times what the shared part lets through.
fn factored(combine: Combine, shared: &Shared) -> f64 {
    let parallel = 1.0 - shared.without.iter().map(|w| 1.0 - w).product::<f64>();
    match combine {
        Combine::Edge(hits) => hits + (1.0 - hits) * parallel * shared.factor,
        _ => parallel * shared.factor,
    }
}

/// The partials of [`factored`]: with respect to each alternative (through its own
/// part), and to each shared entry, whose availability the shared factor carries.
fn factored_partials(
    combine: Combine,
    shared: &Shared,
    expected: &[f64],
) -> (Vec<f64>, Vec<(ComponentId, f64)>) {
    let misses = match combine {
        Combine::Edge(hits) => 1.0 - hits,
        _ => 1.0,
    };
    let failing: Vec<f64> = shared.without.iter().map(|w| 1.0 - w).collect();
    let parallel = 1.0 - failing.iter().product::<f64>();
    let alternatives = products_of_others(&failing)
        .into_iter()
        .map(|others| misses * others * shared.factor)
        .collect();
    let through_shared = misses * parallel * shared.factor;
    let entries = shared
        .entries
        .iter()
        .filter(|e| expected[e.index()] > 0.0)
        .map(|&e| (e, through_shared / expected[e.index()]))
        .collect();
    (alternatives, entries)
}

/// 1 − p × (1 − A): the requests a dependency in series does not fail.
fn series_factor(dep: &Dependency, a: f64) -> f64 {
    1.0 - dep.share * (1.0 - a)
}

/// Σ share × A over a gateway's routes (all requests succeed when it has none).
fn routed(deps: &[Dependency], values: &[f64]) -> f64 {
    let mut routes = deps
        .iter()
        .zip(values)
        .filter(|(d, _)| !d.side_call)
        .peekable();
    if routes.peek().is_none() {
        return 1.0;
    }
    routes.map(|(d, a)| d.share * a).sum()
}

/// ∂ combined / ∂ values[i] for every i, by prefix and suffix products: linear in the
/// dependencies, and no division (a factor may be 0).
fn partials(combine: Combine, deps: &[Dependency], values: &[f64]) -> Vec<f64> {
    let in_series = |d: &Dependency| combine == Combine::Series || d.side_call;
    // The factors multiplied together: the series ones, or every alternative's failure.
    let factors: Vec<f64> = deps
        .iter()
        .zip(values)
        .map(|(d, a)| match combine {
            Combine::Alternatives | Combine::Edge(_) => 1.0 - a,
            _ if in_series(d) => series_factor(d, *a),
            _ => 1.0,
        })
        .collect();
    let others = products_of_others(&factors);
    let routed = routed(deps, values);
    deps.iter()
        .zip(others)
        .map(|(d, others)| match combine {
            Combine::Alternatives => others,
            Combine::Edge(hits) => (1.0 - hits) * others,
            Combine::Series => d.share * others,
            Combine::Routes if d.side_call => d.share * others * routed,
            // The series product over the side calls, times this route's share.
            Combine::Routes => others * d.share,
        })
        .collect()
}

/// For each factor, the product of all the others.
fn products_of_others(factors: &[f64]) -> Vec<f64> {
    let mut others = vec![1.0f64; factors.len()];
    let mut before = 1.0;
    for (index, factor) in factors.iter().enumerate() {
        others[index] = before;
        before *= factor;
    }
    let mut after = 1.0;
    for (index, factor) in factors.iter().enumerate().rev() {
        others[index] *= after;
        after *= factor;
    }
    others
}

/// `start`, then each component's recorded successor.
fn follow(next: &[Option<ComponentId>], start: ComponentId) -> Vec<ComponentId> {
    let mut path = vec![start];
    let mut current = start;
    while let Some(following) = next[current.index()] {
        path.push(following);
        current = following;
    }
    path
}

/// From `end` back along the recorded parents to `start` (end first).
fn follow_back(
    parents: &[Option<ComponentId>],
    end: ComponentId,
    start: ComponentId,
) -> Vec<ComponentId> {
    let mut path = vec![end];
    let mut current = end;
    while current != start {
        let Some(parent) = parents[current.index()] else {
            break;
        };
        path.push(parent);
        current = parent;
    }
    path
}
