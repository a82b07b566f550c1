//! Load by sender (docs/estimates.md, "Load: who forwards what"): one pass over the
//! topological order, each component forwarding on its links what its kind forwards.
//! A link's `rate`, else its `ratio` of the sender's inbound, always wins; the table
//! below decides the links that state neither.

use hld_model::values::ops::Value as Ops;
use petgraph::Direction;
use petgraph::visit::EdgeRef;

use super::flows::routes_requests;
use super::{Estimates, Load, Rate, client_rate};
use crate::facts;
use crate::facts::Facts;
use hld_model::figures::{human_rate, percent};
use hld_model::{Component, ComponentId, Kind, LinkId, Model};
use hld_model::{attr, values};

/// Share of a cdn's requests served from the edge when it does not say (typical for
/// static content with long cache lifetimes).
pub const CDN_HIT_RATIO: f64 = 0.9;
/// Share of a cache's reads it serves itself when it does not say.
pub const CACHE_HIT_RATIO: f64 = 0.8;
/// Share of writes among a `read_write` link's operations when it does not say.
pub const READ_WRITE_WRITES: f64 = 0.5;

/// What a sender forwards on each of its request links that states no `rate`/`ratio`.
enum Forward {
    /// Every link carries all of it: a caller calls each dependency; each consumer
    /// group of a log reads the whole stream.
    Each(Rate),
    /// The links share it equally, after the links with a `rate`/`ratio` took theirs:
    /// a router sends each request to one target; a cdn its misses to one origin;
    /// competing consumer groups split a broker's messages.
    Share(Rate),
    /// Every link carries this mix of reads and writes: a store's change stream, a
    /// cache's misses.
    Mix(Load),
}

/// A link's load and how it was obtained.
type Sent = (Load, String);

impl Estimates {
    /// Load hop by hop in topological order; the cut links carry theirs last, into
    /// targets that pass it on no further.
    pub(super) fn load(&mut self, model: &Model, facts: &Facts) {
        let mut routed = self.route_flows(model, facts);
        let mut cut_loads = Vec::new();
        for index in 0..self.order.len() {
            let id = self.order[index];
            let component = model.component(id);
            if component.kind == Kind::Client
                && let Some((rate, formula)) = client_rate(component)
            {
                if component.attrs.get(attr::PEAK).is_none() {
                    self.assume(
                        "a client without `peak` peaks at 2x its average",
                        &component.id,
                    );
                }
                self.components[id.index()].inbound = Some(rate);
                self.components[id.index()].inbound_formula = formula;
                self.bound[id.index()] = self.flows_of(model, id);
            }
            let mut sent = self.send(model, id);
            let mut injections = routed.remove(&id).unwrap_or_default();
            // A link a flow takes carries the flow's traffic; a `rate` written on it
            // describes that traffic, and is not added a second time.
            if !injections.is_empty() {
                for (link, load) in &mut sent {
                    if model.link(*link).attrs.number(attr::RATE).is_some()
                        && injections.iter().any(|(l, ..)| l == link)
                    {
                        *load = None;
                    }
                }
            }
            injections.retain(|(l, ..)| self.arrives(model, *l));
            for (link, rate, flow) in injections {
                let load = self.split(model, link, rate);
                let formula = format!(
                    "{} of flow `{}`",
                    human_rate(rate.peak),
                    model.flows[flow].id
                );
                sent.push((link, Some((load, formula))));
                let target = model.link(link).to;
                if routes_requests(model.component(target).kind) {
                    self.bound[target.index()] = self.bound[target.index()] + rate;
                }
            }
            for (link, sent) in sent {
                if self.is_cut[link.index()] {
                    cut_loads.push((link, sent));
                } else {
                    self.deliver(model, link, sent);
                }
            }
        }
        for (link, sent) in cut_loads {
            self.deliver(model, link, sent);
        }
    }

    /// The load of each of a component's outgoing links that carries any.
    fn send(&mut self, model: &Model, from: ComponentId) -> Vec<(LinkId, Option<Sent>)> {
        let mut links: Vec<LinkId> = model
            .graph
            .edges_directed(from, Direction::Outgoing)
            .map(|e| e.id())
            .collect();
        links.sort();
        let inbound = self.forwardable(model, from);
        let mut sent = Vec::with_capacity(links.len());
        let mut requests = Vec::new();
        for link in links {
            match facts::ops(model.link(link)) {
                // Leases, heartbeats, configuration: no requests.
                Ops::Control => {}
                _ if !self.arrives(model, link) => {}
                Ops::Replicate => sent.push((link, self.replicated(model, link))),
                _ => requests.push(link),
            }
        }
        let stated: Vec<Option<Rate>> = requests
            .iter()
            .map(|&l| stated_rate(model, l, inbound))
            .collect();
        let forward = self.forward(model, from, requests.len());
        // A gateway's calls to its own stores (rate-limit counters, sessions) are made
        // on every request; only its routes share the requests.
        let side_call: Vec<bool> = requests
            .iter()
            .map(|&l| facts::is_side_call(model, model.link(l)))
            .collect();
        let routes = || stated.iter().zip(&side_call).filter(|(_, side)| !**side);
        let unstated = routes().filter(|(s, _)| s.is_none()).count().max(1);
        let taken = routes()
            .filter_map(|(s, _)| *s)
            .fold(Rate::default(), |a, b| a + b);
        let mut loads: Vec<Option<Sent>> = Vec::with_capacity(requests.len());
        for ((&link, stated), &side_call) in requests.iter().zip(&stated).zip(&side_call) {
            let load = match (stated, &forward) {
                (Some(rate), _) => {
                    let formula = stated_formula(model, link, *rate, inbound);
                    Some((self.split(model, link, *rate), formula))
                }
                (None, Some(_)) if side_call => inbound.map(|rate| {
                    let formula = format!(
                        "{} from `{}` (every request)",
                        human_rate(rate.peak),
                        model.component(from).id
                    );
                    (self.split(model, link, rate), formula)
                }),
                (None, Some((Forward::Each(rate), why))) => {
                    Some((self.split(model, link, *rate), why.clone()))
                }
                (None, Some((Forward::Share(pool), why))) => {
                    let rate = pool.less(taken).scaled(1.0 / unstated as f64);
                    let left = if taken.peak > 0.0 {
                        format!("({why} − {} stated)", human_rate(taken.peak))
                    } else {
                        why.clone()
                    };
                    let formula = if unstated > 1 {
                        format!("{left} ÷ {unstated}")
                    } else {
                        left
                    };
                    Some((self.split(model, link, rate), formula))
                }
                (None, Some((Forward::Mix(load), why))) => {
                    Some((by_ops(model, link, *load), why.clone()))
                }
                (None, None) => None,
            };
            loads.push(load);
        }
        if model.component(from).kind.is_caller() {
            self.look_aside(model, &requests, &stated, &mut loads);
        }
        sent.extend(requests.into_iter().zip(loads));
        sent
    }

    /// What `from` forwards on its unstated request links, and why, in words with the
    /// numbers (docs/estimates.md's sender table).
    fn forward(
        &mut self,
        model: &Model,
        from: ComponentId,
        links: usize,
    ) -> Option<(Forward, String)> {
        let component = model.component(from);
        let inbound = self.forwardable(model, from)?;
        let load = self.components[from.index()].load;
        let name = &component.id;
        let forward = match component.kind {
            Kind::Client | Kind::Service | Kind::Worker | Kind::External => (
                Forward::Each(inbound),
                format!("{} from `{name}`", human_rate(inbound.peak)),
            ),
            Kind::Lb | Kind::Gateway | Kind::Dns => (
                Forward::Share(inbound),
                format!("{} through `{name}`", human_rate(inbound.peak)),
            ),
            Kind::Cdn => {
                let hits = self.hit_ratio(model, from, CDN_HIT_RATIO);
                (
                    Forward::Share(inbound.scaled(1.0 - hits)),
                    format!(
                        "{} × (1 − {} hits at `{name}`)",
                        human_rate(inbound.peak),
                        percent(hits)
                    ),
                )
            }
            Kind::Database | Kind::Search | Kind::Blob => {
                if load.writes.peak <= 0.0 {
                    return None;
                }
                (
                    Forward::Mix(Load {
                        writes: load.writes,
                        ..Load::default()
                    }),
                    format!(
                        "{} writes of `{name}` (its change stream)",
                        human_rate(load.writes.peak)
                    ),
                )
            }
            Kind::Cache => self.cache_forward(model, from, load)?,
            Kind::Queue => {
                let fanout = self.fans_out(component);
                let why = if fanout {
                    format!(
                        "{} of `{name}`: each consumer group reads every message",
                        human_rate(inbound.peak)
                    )
                } else if links > 1 {
                    format!(
                        "{} of `{name}`, split by competing consumer groups",
                        human_rate(inbound.peak)
                    )
                } else {
                    format!("{} of `{name}`", human_rate(inbound.peak))
                };
                if fanout {
                    (Forward::Each(inbound), why)
                } else {
                    (Forward::Share(inbound), why)
                }
            }
            // Coordination only: its links are control traffic.
            Kind::Coordinator => return None,
        };
        Some(forward)
    }

    /// What the sender table forwards of a component's inbound: for callers, routers
    /// and cdns, what did not arrive along flow steps (that leaves along them); other
    /// kinds forward on their own, whatever brought the load.
    fn forwardable(&self, model: &Model, id: ComponentId) -> Option<Rate> {
        let inbound = self.components[id.index()].inbound?;
        let bound = self.bound[id.index()];
        if !routes_requests(model.component(id).kind) || bound.peak <= 0.0 {
            return Some(inbound);
        }
        let free = inbound.less(bound);
        (free.peak > 1e-9 * inbound.peak.max(1.0)).then_some(free)
    }

    /// The rate a client's flows take of its requests.
    fn flows_of(&self, model: &Model, client: ComponentId) -> Rate {
        self.flows
            .iter()
            .filter(|f| model.flows[f.flow].start == client)
            .filter_map(|f| f.rate)
            .fold(Rate::default(), |a, b| a + b)
    }

    /// A cache forwards what it cannot serve: `read_through`, its misses as reads;
    /// `write_through`/`write_back` (inline caches too), its misses and its writes;
    /// otherwise (look-aside, write-around), as a store, its writes.
    fn cache_forward(
        &mut self,
        model: &Model,
        id: ComponentId,
        load: Load,
    ) -> Option<(Forward, String)> {
        let cache = model.component(id);
        let name = &cache.id;
        use values::strategy::Value as Strategy;
        let strategy = cache.attrs.value().unwrap_or(Strategy::LookAside);
        let forwards_writes = matches!(strategy, Strategy::WriteThrough | Strategy::WriteBack);
        let down = self.is_down(id);
        let forwards_misses = forwards_writes || strategy == Strategy::ReadThrough || down;
        let mut mix = Load::default();
        let mut why = Vec::new();
        if forwards_misses && load.reads.peak > 0.0 {
            let hits = self.hit_ratio(model, id, CACHE_HIT_RATIO);
            mix.reads = load.reads.scaled(1.0 - hits);
            why.push(format!(
                "{} reads × (1 − {} hits at `{name}`)",
                human_rate(load.reads.peak),
                percent(hits)
            ));
        }
        if load.writes.peak > 0.0 {
            mix.writes = load.writes;
            why.push(if forwards_writes {
                format!("{} writes through `{name}`", human_rate(load.writes.peak))
            } else {
                format!("{} writes of `{name}`", human_rate(load.writes.peak))
            });
        }
        (!why.is_empty()).then(|| (Forward::Mix(mix), why.join(" + ")))
    }

    /// A component's `hit_ratio`, else `default` (noted as an assumption).
    pub(super) fn hit_ratio(&mut self, model: &Model, id: ComponentId, default: f64) -> f64 {
        // A cache that is down answers nothing: every read goes on to the store.
        if self.is_down(id) {
            return 0.0;
        }
        self.steady_hit_ratio(model, id, default)
    }

    /// The hit ratio of a cache or cdn when it is up.
    fn steady_hit_ratio(&mut self, model: &Model, id: ComponentId, default: f64) -> f64 {
        let component = model.component(id);
        if let Some(stated) = component.attrs.number(attr::HIT_RATIO) {
            return stated.clamp(0.0, 1.0);
        }
        let text = if component.kind == Kind::Cdn {
            "a cdn without `hit_ratio` serves 90% of its reads itself"
        } else {
            "a cache without `hit_ratio` serves 80% of its reads itself"
        };
        self.assume(text, &component.id);
        default
    }

    /// Whether every consumer group of a queue gets every message: its `consumers`, else
    /// its engine's; a queue without either is a broker whose groups compete.
    fn fans_out(&mut self, queue: &Component) -> bool {
        use values::consumers::Value as Consumers;
        if let Some(stated) = queue.attrs.value::<Consumers>() {
            return stated == Consumers::Fanout;
        }
        let (fanout, text) = match queue.profile.and_then(|p| p.default_value()) {
            Some(Consumers::Fanout) => (
                true,
                "a log's consumer groups each read every message (the engine's `consumers: fanout`)",
            ),
            Some(Consumers::Compete) => (
                false,
                "a broker's consumer groups split its messages (the engine's `consumers: compete`)",
            ),
            None => (
                false,
                "a queue without an engine or `consumers` is a broker: its consumer groups split its messages",
            ),
        };
        self.assume(text, &queue.id);
        fanout
    }

    /// A rate as reads and writes by the link's `ops`: a `read_write` link's writes are
    /// its `writes` share, else half, except into and out of a queue (publishing and
    /// delivering messages write); a `read_modify_write` request is one of each, or one
    /// write when the store runs it as a script (`atomic: script`).
    pub(super) fn split(&mut self, model: &Model, id: LinkId, rate: Rate) -> Load {
        let link = model.link(id);
        let share = match facts::ops(link) {
            // Each request reads the value, then writes it back; a script the store runs
            // (Redis Lua, `SET n = n - 1`) does both in one write.
            Ops::ReadModifyWrite => {
                let one_command = link.attrs.is(values::atomic::Value::Script);
                return Load {
                    reads: if one_command { Rate::default() } else { rate },
                    writes: rate,
                };
            }
            Ops::Read => 0.0,
            Ops::Write => 1.0,
            _ => match link.attrs.number(attr::WRITES) {
                Some(stated) => stated.clamp(0.0, 1.0),
                None if [link.from, link.to]
                    .iter()
                    .any(|&c| model.component(c).kind == Kind::Queue) =>
                {
                    1.0
                }
                None => {
                    if model.component(link.to).kind.is_data() {
                        self.assume(
                            "a `read_write` link without `writes` is 50% writes",
                            &link.element(model),
                        );
                    }
                    READ_WRITE_WRITES
                }
            },
        };
        Load {
            reads: rate.scaled(1.0 - share),
            writes: rate.scaled(share),
        }
    }

    /// A caller that reads a look-aside cache with `caches: S` and also reads S reads S
    /// only on the cache's misses, unless that link states its own `rate`/`ratio`.
    fn look_aside(
        &mut self,
        model: &Model,
        requests: &[LinkId],
        stated: &[Option<Rate>],
        loads: &mut [Option<Sent>],
    ) {
        for (index, &cache_link) in requests.iter().enumerate() {
            let cache_id = model.link(cache_link).to;
            let cache = model.component(cache_id);
            let Some(store) = cache.attrs.symbol(attr::CACHES).and_then(|s| model.find(s)) else {
                continue;
            };
            let Some((cache_load, _)) = loads[index].clone() else {
                continue;
            };
            if cache.kind != Kind::Cache || cache_load.reads.peak <= 0.0 {
                continue;
            }
            let hits = self.hit_ratio(model, cache_id, CACHE_HIT_RATIO);
            let misses = cache_load.reads.scaled(1.0 - hits);
            for (other, &store_link) in requests.iter().enumerate() {
                let link = model.link(store_link);
                if link.to != store || !facts::reads(link) {
                    continue;
                }
                if stated[other].is_some() {
                    // The stated share is the misses; a lost cache adds what it answered.
                    if self.is_down(cache_id) {
                        self.add_lost_hits(model, cache_id, cache_load.reads, &mut loads[other]);
                    }
                    continue;
                }
                if let Some((load, formula)) = &mut loads[other] {
                    load.reads = misses;
                    *formula = format!(
                        "{} reads × (1 − {} hits at `{}`)",
                        human_rate(cache_load.reads.peak),
                        percent(hits),
                        cache.id
                    );
                    if load.writes.peak > 0.0 {
                        formula.push_str(&format!(" + {} writes", human_rate(load.writes.peak)));
                    }
                }
            }
        }
    }

    /// A look-aside cache that is down sends its store every read it answered: the
    /// store link's stated share plus the cache's steady hits.
    fn add_lost_hits(
        &mut self,
        model: &Model,
        cache: ComponentId,
        cache_reads: Rate,
        sent: &mut Option<Sent>,
    ) {
        let hits = self.steady_hit_ratio(model, cache, CACHE_HIT_RATIO);
        let Some((load, formula)) = sent else {
            return;
        };
        let answered = cache_reads.scaled(hits);
        load.reads = load.reads + answered;
        formula.push_str(&format!(
            " + {} reads `{}` answered before it failed",
            human_rate(answered.peak),
            model.component(cache).id
        ));
    }

    /// A `replicate` link carries its source's writes, as writes, into the replica.
    fn replicated(&self, model: &Model, id: LinkId) -> Option<Sent> {
        let source = model.link(id).from;
        let writes = self.components[source.index()].load.writes;
        if writes.peak <= 0.0 {
            return None;
        }
        let formula = format!(
            "{} writes of `{}` replicated",
            human_rate(writes.peak),
            model.component(source).id
        );
        Some((
            Load {
                writes,
                ..Load::default()
            },
            formula,
        ))
    }

    /// Adds to a link's load (a link may carry default traffic and flows') and to its
    /// target's.
    fn deliver(&mut self, model: &Model, id: LinkId, sent: Option<Sent>) {
        let Some((load, formula)) = sent else { return };
        let estimate = &mut self.links[id.index()];
        estimate.rate = Some(estimate.rate.unwrap_or_default() + load.total());
        estimate.load = estimate.load + load;
        if !estimate.formula.is_empty() {
            estimate.formula.push_str(" + ");
        }
        estimate.formula.push_str(&formula);
        // A scatter read reaches every shard: the store serves it once per shard.
        let (load, formula) = match facts::scatter_shards(model, model.link(id)) {
            Some(shards) => (
                Load {
                    reads: load.reads.scaled(shards as f64),
                    writes: load.writes,
                },
                format!("{formula} (reads × {shards} shards: the key is not the partition key)"),
            ),
            None => (load, formula),
        };
        let target = &mut self.components[model.link(id).to.index()];
        target.inbound = Some(target.inbound.unwrap_or_default() + load.total());
        target.load = target.load + load;
        if !target.inbound_formula.is_empty() {
            target.inbound_formula.push_str(" + ");
        }
        target.inbound_formula.push_str(&formula);
    }
}

/// A link's written `rate`, else its `ratio` of the sender's inbound.
fn stated_rate(model: &Model, id: LinkId, inbound: Option<Rate>) -> Option<Rate> {
    let link = model.link(id);
    if let Some(rate) = link.attrs.number(attr::RATE) {
        let share = inbound.map_or(0.5, Rate::average_share);
        return Some(Rate {
            peak: rate,
            average: rate * share,
        });
    }
    Some(inbound?.scaled(link.attrs.number(attr::RATIO)?))
}

fn stated_formula(model: &Model, id: LinkId, rate: Rate, inbound: Option<Rate>) -> String {
    let link = model.link(id);
    match (link.attrs.number(attr::RATIO), inbound) {
        (Some(ratio), Some(inbound)) if link.attrs.number(attr::RATE).is_none() => format!(
            "{} × {} from `{}`",
            human_rate(inbound.peak),
            percent(ratio),
            model.component(link.from).id
        ),
        _ => format!("rate {}", human_rate(rate.peak)),
    }
}

/// A known mix of reads and writes on a link that may say it only reads or writes.
fn by_ops(model: &Model, id: LinkId, load: Load) -> Load {
    match facts::ops(model.link(id)) {
        Ops::Read => Load {
            reads: load.reads,
            ..Load::default()
        },
        Ops::Write => Load {
            writes: load.writes,
            ..Load::default()
        },
        _ => load,
    }
}
