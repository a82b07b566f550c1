//! Back-of-the-envelope estimates (docs/estimates.md): load hop by hop from the clients,
//! forwarded by what each sender is ([`load`]); capacity and utilization; storage per
//! copy over retention; bandwidth; and per client the availability by series and
//! parallel and the latency of the slowest path ([`paths`]). One topological order of
//! the links serves every pass, so each is linear in V + E. Every figure keeps the
//! formula it came from, for `hld estimate --explain`.

pub mod connections;
pub mod cost;
mod flows;
pub mod latency;
mod load;
mod paths;
mod shared;
pub mod store;

use petgraph::Direction;
use petgraph::visit::EdgeRef;

pub use flows::{FlowEstimate, step_ratio};
pub use hld_model::figures::*;
pub use load::{CACHE_HIT_RATIO, CDN_HIT_RATIO, READ_WRITE_WRITES};
pub use paths::AvailabilityTerms;

use super::facts::{self, Facts, Redundancy};
use hld_model::schema::Target;
use hld_model::{Component, ComponentId, Kind, LinkId, Model, Value};
use hld_model::{attr, call};

/// A number and how it was obtained.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Figure {
    pub value: f64,
    pub formula: String,
}

/// Peak and average of a rate, per second.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rate {
    pub peak: f64,
    pub average: f64,
}

impl std::ops::Add for Rate {
    type Output = Rate;
    fn add(self, other: Rate) -> Rate {
        Rate {
            peak: self.peak + other.peak,
            average: self.average + other.average,
        }
    }
}

impl Rate {
    pub fn scaled(self, factor: f64) -> Rate {
        Rate {
            peak: self.peak * factor,
            average: self.average * factor,
        }
    }

    /// What is left of `self` after `other`, never below zero.
    fn less(self, other: Rate) -> Rate {
        Rate {
            peak: (self.peak - other.peak).max(0.0),
            average: (self.average - other.average).max(0.0),
        }
    }

    /// Average over peak: how much of the peak a typical second carries.
    fn average_share(self) -> f64 {
        if self.peak > 0.0 {
            self.average / self.peak
        } else {
            0.5
        }
    }
}

/// A flow of requests, its reads and its writes apart (docs/estimates.md: "reads and writes
/// are kept apart for stores").
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Load {
    pub reads: Rate,
    pub writes: Rate,
}

impl Load {
    pub fn total(self) -> Rate {
        self.reads + self.writes
    }
}

impl std::ops::Add for Load {
    type Output = Load;
    fn add(self, other: Load) -> Load {
        Load {
            reads: self.reads + other.reads,
            writes: self.writes + other.writes,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ComponentEstimate {
    /// Requests arriving per second; `None` when no client rate reaches it.
    pub inbound: Option<Rate>,
    pub inbound_formula: String,
    /// `inbound`, as reads and writes (by the `ops` of the links that carry it).
    pub load: Load,
    /// Requests per second all replicas (and shards) serve; `None` when unlimited or unknown.
    pub capacity: Option<Figure>,
    pub utilization: Option<f64>,
    /// Bytes kept over the retention, all copies.
    pub storage: Option<Figure>,
    /// The copies `storage` counts (the replication factor): one copy holds
    /// `storage / copies`.
    pub copies: u64,
    /// Bytes per second in (requests' `payload`) and out (responses).
    pub ingress: f64,
    pub egress: f64,
    /// The part of `egress` that leaves for the internet, which providers bill:
    /// responses to clients and requests to third parties (a bucket's bytes to its CDN
    /// or to the design's own services stay inside the provider, free).
    pub internet_egress: f64,
    /// Its own availability with its replicas, a(X), as a fraction.
    pub availability: OwnAvailability,
    /// A(X): the share of requests arriving here that succeed, dependencies included,
    /// and how its dependencies combine.
    pub expected_availability: f64,
    pub availability_terms: AvailabilityTerms,
    /// Seconds one request spends here at the median (p50) and at p99: stated, else
    /// the engine's, else the default for its kind; `None` for a client.
    pub latency: Option<f64>,
    pub latency_p99: Option<f64>,
    /// For a store: reads and writes per second it serves, each against its own limit
    /// (docs/estimates.md, "Reads and writes have separate capacities"); `capacity` is
    /// then what it serves at its mix, and `utilization` the sum of the two parts.
    pub capacities: Option<store::Capacities>,
    pub read_utilization: Option<f64>,
    pub write_utilization: Option<f64>,
    /// For a store with a replication protocol: its availability for reads and for
    /// writes (`availability` is their mix at its load).
    pub protocol: Option<store::Protocol>,
    /// Writes an automatic failover over asynchronous replication drops (the RPO).
    pub lost_writes: Option<Figure>,
    /// Seconds to restore one shard from its backup.
    pub restore_time: Option<Figure>,
    /// The hottest partition, when a link or the store states `hot_key`.
    pub hot_partition: Option<store::HotPartition>,
    /// US dollars a month; `None` for clients, externals and managed engines without a
    /// list price.
    pub cost: Option<cost::Cost>,
    /// Connections held open at peak (websockets, streams), and what its replicas hold
    /// (`connections` × replicas).
    pub connections: Option<Figure>,
    pub connection_capacity: Option<Figure>,
}

impl ComponentEstimate {
    /// Reads per second at peak.
    pub fn reads(&self) -> f64 {
        self.load.reads.peak
    }

    /// Writes per second at peak.
    pub fn writes(&self) -> f64 {
        self.load.writes.peak
    }

    /// Open connections over what its replicas hold, when both are known.
    pub fn connection_utilization(&self) -> Option<f64> {
        let held = self.connections.as_ref()?.value;
        let capacity = self.connection_capacity.as_ref()?.value;
        (capacity > 0.0).then(|| held / capacity)
    }

    /// Its own p50 and p99 (`None` for a client, which adds none).
    pub fn latency_pair(&self) -> Option<latency::Latency> {
        Some(latency::Latency {
            p50: self.latency?,
            p99: self.latency_p99.or(self.latency)?,
        })
    }

    /// A store's read capacity, per second.
    pub fn read_capacity(&self) -> Option<f64> {
        self.capacities.as_ref().map(|c| c.read)
    }

    /// A store's write capacity, per second.
    pub fn write_capacity(&self) -> Option<f64> {
        self.capacities.as_ref().map(|c| c.write)
    }

    /// A store's availability for reads, else its own.
    pub fn read_availability(&self) -> f64 {
        self.protocol
            .as_ref()
            .map_or(self.availability.value, |p| p.read)
    }

    /// A store's availability for writes, else its own.
    pub fn write_availability(&self) -> f64 {
        self.protocol
            .as_ref()
            .map_or(self.availability.value, |p| p.write)
    }
}

#[derive(Clone, Debug, Default)]
pub struct LinkEstimate {
    pub rate: Option<Rate>,
    /// `rate`, as reads and writes.
    pub load: Load,
    pub formula: String,
    /// Bytes per second into the target: rate × `payload`.
    pub bandwidth: Option<f64>,
    /// Bytes per second back to the caller: reads × `response`.
    pub response_bandwidth: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct PathEstimate {
    pub client: ComponentId,
    /// The share of the client's requests that succeed (series and parallel).
    pub availability: f64,
    /// The component whose downtime costs the client most, and that cost: the share of
    /// the client's requests its own unavailability fails (not sought under an outage).
    pub weakest: Option<(ComponentId, f64)>,
    /// How the client's requests reach `weakest` (the client first; empty under an
    /// outage).
    pub availability_path: Vec<ComponentId>,
    /// The request path with the highest p99, and its p50 and p99 in seconds (sums
    /// along the path: the p99 sum is an upper bound).
    pub latency: f64,
    pub latency_p99: f64,
    pub latency_path: Vec<ComponentId>,
}

/// A default the estimate relied on, with the elements it was applied to.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    pub text: String,
    /// In the order first noted.
    pub elements: Vec<String>,
    noted: std::collections::HashSet<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Estimates {
    pub components: Vec<ComponentEstimate>,
    pub links: Vec<LinkEstimate>,
    /// Links that close a cycle: they carry their own load, which is not passed on.
    pub cut: Vec<LinkId>,
    /// Per link: it is in `cut`.
    is_cut: Vec<bool>,
    /// Components in topological order of the links without the cut ones.
    order: Vec<ComponentId>,
    pub paths: Vec<PathEstimate>,
    /// Per flow of the model, in its order.
    pub flows: Vec<FlowEstimate>,
    /// Per component: the part of its inbound that arrived along flow steps, which
    /// leaves along the flows' steps and not by the sender table.
    bound: Vec<Rate>,
    /// The defaults this design's figures rest on, in the order first used.
    pub assumptions: Vec<Assumption>,
    /// The failure the figures are computed under (`hld what-if`), if any.
    outage: Option<Outage>,
    /// Whether the assumptions are worded: only the estimate's own output reads them
    /// (not the rules, nor a what-if or a simulation under an outage).
    explained: bool,
    /// The design's monthly cost, US dollars: the sum of its components'.
    pub cost: f64,
}

/// What is down in a scenario, for the estimate: survivors take the load of lost
/// alternatives and replicas (docs/estimates.md; docs/language.md, "Scenarios").
#[derive(Clone, Debug, Default)]
pub struct Outage {
    /// Per component: down entirely. A down cache passes its reads on to its store.
    pub down: Vec<bool>,
    /// Per component: copies lost while others survive.
    pub lost: Vec<u64>,
    /// Per link: cut by a partition.
    pub cut: Vec<bool>,
}

impl Outage {
    pub fn none(model: &Model) -> Outage {
        Outage {
            down: vec![false; model.components.len()],
            lost: vec![0; model.components.len()],
            cut: vec![false; model.links.len()],
        }
    }
}

impl Estimates {
    /// A component's peak inbound rate, capacity and utilization, when all are known.
    pub fn saturation(&self, id: ComponentId) -> Option<(Rate, &Figure, f64)> {
        let estimate = &self.components[id.index()];
        Some((
            estimate.inbound?,
            estimate.capacity.as_ref()?,
            estimate.utilization?,
        ))
    }

    pub fn is_cut(&self, link: LinkId) -> bool {
        self.is_cut[link.index()]
    }

    /// Down in the outage the figures are computed under.
    pub fn is_down(&self, id: ComponentId) -> bool {
        self.outage.as_ref().is_some_and(|o| o.down[id.index()])
    }

    /// Whether a request sent on `link` arrives: the link is not cut and its target is
    /// up (a down cache still passes requests on to its store).
    pub(super) fn arrives(&self, model: &Model, link: LinkId) -> bool {
        let Some(outage) = &self.outage else {
            return true;
        };
        let target = model.link(link).to;
        !outage.cut[link.index()]
            && (!outage.down[target.index()] || model.component(target).kind == Kind::Cache)
    }

    /// Notes that `element`'s figure rests on the default `text`. Constant time: a design
    /// may rest thousands of figures on one default.
    fn assume(&mut self, text: &str, element: &str) {
        if !self.explained {
            return;
        }
        let index = match self.assumptions.iter().position(|a| a.text == text) {
            Some(index) => index,
            None => {
                self.assumptions.push(Assumption {
                    text: text.to_string(),
                    elements: Vec::new(),
                    noted: Default::default(),
                });
                self.assumptions.len() - 1
            }
        };
        let assumption = &mut self.assumptions[index];
        if !assumption.noted.contains(element) {
            assumption.noted.insert(element.to_string());
            assumption.elements.push(element.to_string());
        }
    }
}

/// The most parallel calls a fan-out's tail is computed for (beyond it the slowest of k
/// changes by less than the figures' precision).
pub const MAX_FAN_OUT: f64 = 1e6;

/// Availability of one replica when neither the design nor the engine says.
pub const DEFAULT_AVAILABILITY: f64 = 0.999;

impl Estimates {
    pub fn new(model: &Model, facts: &Facts) -> Estimates {
        Estimates::under(model, facts, None, true)
    }

    /// The figures alone: [`Estimates::new`] without the assumptions' wording (what
    /// the rules and the sequence diagrams read).
    pub fn figures_only(model: &Model, facts: &Facts) -> Estimates {
        Estimates::under(model, facts, None, false)
    }

    /// The estimate with some components down, replicas lost or links cut (without the
    /// assumptions' wording, as [`Estimates::figures_only`], or each client's weakest
    /// component).
    pub fn with_outage(model: &Model, facts: &Facts, outage: Outage) -> Estimates {
        Estimates::under(model, facts, Some(outage), false)
    }

    fn under(model: &Model, facts: &Facts, outage: Option<Outage>, explained: bool) -> Estimates {
        let order = &facts.order;
        let mut estimates = Estimates {
            components: vec![ComponentEstimate::default(); model.components.len()],
            links: vec![LinkEstimate::default(); model.links.len()],
            cut: order.cut.clone(),
            is_cut: order.is_cut.clone(),
            order: order.components.clone(),
            paths: Vec::new(),
            flows: Vec::new(),
            bound: vec![Rate::default(); model.components.len()],
            assumptions: Vec::new(),
            outage,
            explained,
            cost: 0.0,
        };
        estimates.load(model, facts);
        for (index, component) in model.components.iter().enumerate() {
            let id = ComponentId::new(index);
            estimates.capacity(model, component, id, facts);
            estimates.storage(model, component, id);
            estimates.restore_time(component, id);
            if store::is_store(component.kind) || component.kind == Kind::Queue {
                let managed = facts.redundancy[index] == Redundancy::Managed;
                estimates.hot_partition(model, component, id, managed);
            }
            if component.kind != Kind::Client
                && component.attrs.number(attr::AVAILABILITY).is_none()
                && component.profile.and_then(|p| p.availability).is_none()
            {
                estimates.assume(
                    "a component without `availability` or an engine that states one is 99.9% available per replica",
                    &component.id,
                );
            }
            estimates.own_availability(component, id, facts.redundancy[index]);
            estimates.own_latency(component, id);
        }
        estimates.connections(model);
        estimates.bandwidth(model);
        estimates.costs(model, facts);
        estimates.assume_round_trips(model, facts);
        estimates.paths(model, facts);
        estimates.flow_paths(model, facts);
        estimates
    }

    fn capacity(&mut self, model: &Model, component: &Component, id: ComponentId, facts: &Facts) {
        let lost = self.outage.as_ref().map_or(0, |o| o.lost[id.index()]);
        let managed = facts.redundancy[id.index()] == Redundancy::Managed;
        // A managed queue that is not a provisioned stream keeps the stated-capacity
        // rule below, as every other component.
        let provisioned = (component.kind == Kind::Queue && managed)
            .then(|| store::provisioned(component, self.write_payload(model, id)))
            .flatten();
        let split = if store::is_store(component.kind) {
            Some(store::capacities(component, managed, lost))
        } else {
            provisioned.map(Some)
        };
        if let Some(capacities) = split {
            if store::scheme_from_engine(component) {
                self.assume(
                    "a replication factor follows its engine's scheme at its default consistency: leader and followers, consensus, or a leaderless quorum of one copy (a strong engine: a majority)",
                    &component.id,
                );
            }
            if store::reads_from_leader_by_default(component) {
                self.assume(
                    "a `leader_follower` or `consensus` store without `read_from` reads from its leader: its followers add no read capacity",
                    &component.id,
                );
            }
            if let Some(capacities) = capacities {
                self.split_capacity(id, capacities);
            }
            return;
        }
        let per_replica = component
            .attrs
            .number(attr::CAPACITY)
            .or_else(|| component.profile.and_then(|p| p.capacity));
        let Some(per_replica) = per_replica else {
            return;
        };
        let stated = component.attrs.get(attr::CAPACITY).is_some();
        let replicas = match facts.redundancy[id.index()] {
            Redundancy::Copies(n) => n.saturating_sub(lost).max(1),
            // A managed component has no limit unless its capacity is written.
            Redundancy::Managed if stated => 1,
            Redundancy::Managed => return,
        };
        let shards = shards(component);
        let value = per_replica * replicas as f64 * shards as f64;
        let mut formula = format!(
            "{} replica{} × {}",
            replicas,
            if replicas == 1 { "" } else { "s" },
            human_rate(per_replica)
        );
        if shards > 1 {
            formula.push_str(&format!(" × {shards} shards"));
        }
        let estimate = &mut self.components[id.index()];
        estimate.utilization = estimate.inbound.map(|i| i.peak / value);
        estimate.capacity = Some(Figure { value, formula });
    }

    /// The mean size of the writes into a component, weighted by their rates, from the
    /// links that state a `payload`; `None` when none does.
    fn write_payload(&self, model: &Model, id: ComponentId) -> Option<f64> {
        let (mut bytes, mut writes) = (0.0, 0.0);
        for edge in model.graph.edges_directed(id, Direction::Incoming) {
            let rate = self.links[edge.id().index()].load.writes.peak;
            if let Some(payload) = model.link(edge.id()).attrs.number(attr::PAYLOAD) {
                bytes += rate * payload;
                writes += rate;
            }
        }
        (writes > 0.0).then(|| bytes / writes)
    }

    /// Reads against the read capacity, writes against the write capacity; a node
    /// spends its time on both, so the utilization is the sum of the two parts, and
    /// the capacity at this mix is the load over it.
    fn split_capacity(&mut self, id: ComponentId, capacities: store::Capacities) {
        let estimate = &mut self.components[id.index()];
        let (reads, writes) = (estimate.reads(), estimate.writes());
        let read_part = reads / capacities.read;
        let write_part = writes / capacities.write;
        let utilization = read_part + write_part;
        let load = reads + writes;
        let (value, formula) = if load > 0.0 && utilization > 0.0 {
            (
                load / utilization,
                format!(
                    "{} ÷ ({} ÷ {} reads + {} ÷ {} writes)",
                    human_rate(load),
                    human_rate(reads),
                    human_rate(capacities.read),
                    human_rate(writes),
                    human_rate(capacities.write)
                ),
            )
        } else {
            // No load to mix: what it serves is its read capacity, explained below it.
            (
                capacities.read,
                "its read capacity (no load to mix)".to_string(),
            )
        };
        if estimate.inbound.is_some() {
            estimate.read_utilization = Some(read_part);
            estimate.write_utilization = Some(write_part);
            estimate.utilization = Some(utilization);
        }
        estimate.capacity = Some(Figure { value, formula });
        estimate.capacities = Some(capacities);
    }

    /// a(X), and for a store with a replication protocol its read and write figures,
    /// mixed at its load.
    fn own_availability(&mut self, component: &Component, id: ComponentId, redundancy: Redundancy) {
        let one = one_copy_availability(component);
        let protocol = (store::is_store(component.kind) && redundancy != Redundancy::Managed)
            .then(|| store::protocol(component, one))
            .flatten();
        let Some(protocol) = protocol else {
            self.components[id.index()].availability = own_availability(component, redundancy);
            return;
        };
        if protocol.assumed_failover {
            self.assume(
                "a `leader_follower` store that does not state its failover promotes a follower automatically in its engine's failover time (else 30s)",
                &component.id,
            );
        }
        if component.attrs.get(attr::MTTR).is_none() {
            self.assume("a failed node is repaired in 1h (`mttr`)", &component.id);
        }
        let estimate = &mut self.components[id.index()];
        let (reads, writes) = (estimate.reads(), estimate.writes());
        let (r, w) = (protocol.read, protocol.write);
        estimate.availability = if reads + writes > 0.0 && r != w {
            let share = reads / (reads + writes);
            OwnAvailability {
                value: share * r + (1.0 - share) * w,
                terms: OwnTerms::Mix {
                    reads: share,
                    read: r,
                    write: w,
                },
            }
        } else if writes > 0.0 {
            OwnAvailability {
                value: w,
                terms: OwnTerms::Writes,
            }
        } else {
            OwnAvailability {
                value: r,
                terms: OwnTerms::Reads,
            }
        };
        estimate.lost_writes = store::lost_writes(component, writes);
        estimate.protocol = Some(protocol);
        if estimate.lost_writes.is_some() && component.attrs.get(attr::LAG).is_none() {
            self.assume(
                "asynchronous followers lag 1s behind their leader (`lag`)",
                &component.id,
            );
        }
    }

    /// Per copy: average write rate × size × retention, where a write's size is its
    /// link's `payload`, else the store's `record_size`; in all, × the copies
    /// (docs/estimates.md, "Storage and bandwidth").
    fn storage(&mut self, model: &Model, component: &Component, id: ComponentId) {
        // A blob store keeps objects for its `lifecycle`.
        let retention = component
            .attrs
            .number(attr::RETENTION)
            .or_else(|| component.attrs.number(attr::LIFECYCLE));
        let Some(retention) = retention else {
            return;
        };
        let record = component.attrs.number(attr::RECORD_SIZE);
        // (average writes per second, bytes each) per link that writes, in the order the
        // links are written.
        let mut links: Vec<LinkId> = model
            .graph
            .edges_directed(id, Direction::Incoming)
            .map(|e| e.id())
            .collect();
        links.sort();
        let writes: Vec<(f64, f64)> = links
            .into_iter()
            .filter_map(|l| {
                let rate = self.links[l.index()].load.writes.average;
                let size = model.link(l).attrs.number(attr::PAYLOAD).or(record)?;
                (rate > 0.0).then_some((rate, size))
            })
            .collect();
        if writes.is_empty() {
            return;
        }
        let copies = copies(component);
        let per_second: f64 = writes.iter().map(|(rate, size)| rate * size).sum();
        let value = per_second * retention * copies as f64;
        let estimate = &mut self.components[id.index()];
        estimate.copies = copies;
        estimate.storage = Some(Figure {
            value,
            formula: format!(
                "{} × {} × {copies} cop{}",
                written(&writes),
                human_duration(retention),
                if copies == 1 { "y" } else { "ies" }
            ),
        });
    }

    /// Requests carry `payload` from caller to target; answers carry `response` back for
    /// each read (for a cdn, each request: its hits are answered at the edge).
    fn bandwidth(&mut self, model: &Model) {
        for (index, link) in model.links.iter().enumerate() {
            let estimate = &self.links[index];
            // A stream: each connected user receives the bitrate, whatever the rate of
            // requests (known or not).
            let stream = link
                .attrs
                .number(attr::BITRATE)
                .zip(connections::streams_on(model, link))
                .map(|(bitrate, users)| users * bitrate / BITS_PER_BYTE);
            let (request, response) = match estimate.rate {
                Some(rate) => {
                    let answered = if model.component(link.to).kind == Kind::Cdn {
                        rate.peak
                    } else {
                        estimate.load.reads.peak
                    };
                    (
                        link.attrs
                            .number(attr::PAYLOAD)
                            .map(|size| rate.peak * size),
                        link.attrs
                            .number(attr::RESPONSE)
                            .map(|size| answered * size),
                    )
                }
                None => (None, None),
            };
            let response = stream.or(response);
            let (caller, callee) = (
                model.component(link.from).kind,
                model.component(link.to).kind,
            );
            if let Some(bytes) = request {
                let from = &mut self.components[link.from.index()];
                from.egress += bytes;
                if callee == Kind::External {
                    from.internet_egress += bytes;
                }
                self.components[link.to.index()].ingress += bytes;
            }
            if let Some(bytes) = response {
                let to = &mut self.components[link.to.index()];
                to.egress += bytes;
                if caller == Kind::Client {
                    to.internet_egress += bytes;
                }
                self.components[link.from.index()].ingress += bytes;
            }
            let estimate = &mut self.links[index];
            estimate.bandwidth = request;
            estimate.response_bandwidth = response;
        }
    }
}

/// A `bitrate` is in bits per second; bandwidth figures are bytes.
const BITS_PER_BYTE: f64 = 8.0;

/// `500/s writes × 1 KB`, or one term per size.
fn written(writes: &[(f64, f64)]) -> String {
    match writes {
        [(rate, size)] => format!("{} writes × {}", human_rate(*rate), human_size(*size)),
        _ if writes.iter().all(|(_, size)| *size == writes[0].1) => {
            let rate: f64 = writes.iter().map(|(rate, _)| rate).sum();
            format!("{} writes × {}", human_rate(rate), human_size(writes[0].1))
        }
        _ => {
            let terms: Vec<String> = writes
                .iter()
                .map(|(rate, size)| format!("{} × {}", human_rate(*rate), human_size(*size)))
                .collect();
            format!("({})", terms.join(" + "))
        }
    }
}

/// The copies a store keeps of its data: its replication factor (1 for `none`), else
/// its replicas.
fn copies(component: &Component) -> u64 {
    match component.attrs.get(attr::REPLICATION) {
        Some(value) if value.bare_call() == Some(call::Name::None) => 1,
        Some(Value::Call(call)) if call.name == call::Name::None => 1,
        Some(value) => facts::replication_copies(value),
        None => component.replicas(),
    }
}

/// The shards that split a data component's data and writes (1 for other kinds).
pub fn shards(component: &Component) -> u64 {
    if component.kind.is_data() {
        component.attrs.count(attr::SHARDS).unwrap_or(1)
    } else {
        1
    }
}

/// A client's peak rate: `rate`, else `dau × requests × peak` (docs/estimates.md).
pub fn client_rate(client: &Component) -> Option<(Rate, String)> {
    let peak_factor = client
        .attrs
        .get_or_default(attr::PEAK, Target::Component(Kind::Client))
        .and_then(Value::as_f64)
        .unwrap_or(2.0);
    if let Some(rate) = client.attrs.number(attr::RATE) {
        let rate = Rate {
            peak: rate,
            average: rate / peak_factor,
        };
        return Some((rate, format!("rate {}", human_rate(rate.peak))));
    }
    let dau = client.attrs.count(attr::DAU)? as f64;
    let per_user = client.attrs.number(attr::REQUESTS)?;
    let average = dau * per_user;
    let formula = format!(
        "{} dau × {}/day ÷ 86,400 s × {} peak",
        human_count(dau),
        significant(per_user * DAY),
        format_factor(peak_factor)
    );
    Some((
        Rate {
            peak: average * peak_factor,
            average,
        },
        formula,
    ))
}

/// One replica's availability: `availability`, else the engine's, else 99.9%.
fn one_copy_availability(component: &Component) -> f64 {
    component
        .attrs
        .number(attr::AVAILABILITY)
        .or_else(|| component.profile.and_then(|p| p.availability))
        .unwrap_or(DEFAULT_AVAILABILITY)
}

/// a(X): 1 − (1 − a)^n for n replicas of availability a; a managed component its
/// stated or profiled availability as a whole.
fn own_availability(component: &Component, redundancy: Redundancy) -> OwnAvailability {
    let one = one_copy_availability(component);
    match redundancy {
        Redundancy::Copies(n) if n > 1 => OwnAvailability {
            value: 1.0 - (1.0 - one).powi(n.min(i32::MAX as u64) as i32),
            terms: OwnTerms::Replicas { one, n },
        },
        _ => OwnAvailability {
            value: one,
            terms: OwnTerms::One(one),
        },
    }
}

/// a(X) and what it was computed from; its formula is written on request (`--explain`):
/// formatting it for every component was a tenth of `hld check` on large designs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnAvailability {
    pub value: f64,
    terms: OwnTerms,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum OwnTerms {
    /// One replica (or a managed component as a whole).
    One(f64),
    /// 1 − (1 − a)^n.
    Replicas {
        one: f64,
        n: u64,
    },
    /// A store's read and write figures mixed at its load.
    Mix {
        reads: f64,
        read: f64,
        write: f64,
    },
    /// A store read only, or written only: that figure of its protocol.
    Reads,
    Writes,
    /// Nothing computed yet (a client).
    #[default]
    Unknown,
}

impl OwnAvailability {
    pub fn formula(&self) -> String {
        match self.terms {
            OwnTerms::One(one) => percent(one),
            OwnTerms::Replicas { one, n } => format!("1 − (1 − {})^{n}", percent(one)),
            OwnTerms::Mix { reads, read, write } => format!(
                "reads {} × {} + writes {} × {}",
                percent(reads),
                percent(read),
                percent(1.0 - reads),
                percent(write)
            ),
            OwnTerms::Reads => "its read availability".to_string(),
            OwnTerms::Writes => "its write availability".to_string(),
            OwnTerms::Unknown => percent(self.value),
        }
    }
}

#[cfg(test)]
mod tests;
