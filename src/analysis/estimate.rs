//! Back-of-the-envelope estimates (capacity.md): load hop by hop from the clients,
//! capacity and utilization, storage over retention, bandwidth, and per client the worst
//! request path's availability and latency. One pass over the graph for the load; a
//! dynamic programme over the synchronous links for paths (no path is enumerated).
//! Every figure keeps the formula it came from, for `hld estimate --explain`.

use petgraph::Direction;
use petgraph::visit::EdgeRef;

use super::facts::{self, Facts, Redundancy};
use crate::model::schema::Target;
use crate::model::{Component, ComponentId, Kind, LinkId, Model, Value};

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

#[derive(Clone, Debug, Default)]
pub struct ComponentEstimate {
    /// Requests arriving per second; `None` when no client rate reaches it.
    pub inbound: Option<Rate>,
    pub inbound_formula: String,
    /// Of `inbound`, per second, by the `ops` of the links that carry it.
    pub reads: f64,
    pub writes: f64,
    /// Requests per second all replicas (and shards) serve; `None` when unlimited or unknown.
    pub capacity: Option<Figure>,
    pub utilization: Option<f64>,
    /// Bytes kept over the retention, all copies.
    pub storage: Option<Figure>,
    /// The copies `storage` counts (the replication factor): one copy holds
    /// `storage / copies`.
    pub copies: u64,
    /// Bytes per second in and out, where links state a `payload`.
    pub ingress: f64,
    pub egress: f64,
    /// Availability with its replicas, as a fraction.
    pub availability: Figure,
    /// Seconds per request, when the design or the engine says.
    pub latency: Option<f64>,
}

#[derive(Clone, Debug, Default)]
pub struct LinkEstimate {
    pub rate: Option<Rate>,
    pub formula: String,
    /// Bytes per second, when the link states a `payload`.
    pub bandwidth: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct PathEstimate {
    pub client: ComponentId,
    /// The request path with the lowest availability, and that availability.
    pub availability: f64,
    pub availability_path: Vec<ComponentId>,
    /// The request path with the highest latency, and that latency in seconds.
    pub latency: f64,
    pub latency_path: Vec<ComponentId>,
}

#[derive(Clone, Debug, Default)]
pub struct Estimates {
    pub components: Vec<ComponentEstimate>,
    pub links: Vec<LinkEstimate>,
    /// Links that close a cycle: they carry their own load, which is not passed on.
    pub cut: Vec<LinkId>,
    /// Per link: it is in `cut`.
    is_cut: Vec<bool>,
    pub paths: Vec<PathEstimate>,
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
}

/// Availability of one replica when neither the design nor the engine says.
pub const DEFAULT_AVAILABILITY: f64 = 0.999;
const DAY: f64 = 86_400.0;

impl Estimates {
    pub fn new(model: &Model, facts: &Facts) -> Estimates {
        let cut = back_edges(model);
        let mut is_cut = vec![false; model.links.len()];
        for link in &cut {
            is_cut[link.index()] = true;
        }
        let mut estimates = Estimates {
            components: vec![ComponentEstimate::default(); model.components.len()],
            links: vec![LinkEstimate::default(); model.links.len()],
            cut,
            is_cut,
            paths: Vec::new(),
        };
        estimates.load(model);
        for (index, component) in model.components.iter().enumerate() {
            let id = ComponentId::new(index);
            estimates.capacity(component, id, facts);
            estimates.storage(model, component, id);
            estimates.components[index].availability =
                availability(component, facts.redundancy[index]);
            estimates.components[index].latency = component
                .attrs
                .number("latency")
                .or_else(|| component.profile.and_then(|p| p.latency));
        }
        estimates.bandwidth(model);
        estimates.paths = model
            .graph
            .node_indices()
            .filter(|&id| model.component(id).kind == Kind::Client)
            .map(|client| estimates.worst_paths(model, facts, client))
            .collect();
        estimates
    }

    /// Load hop by hop, in topological order of the graph without its cut links.
    fn load(&mut self, model: &Model) {
        let n = model.components.len();
        let kept = |link: LinkId| !self.is_cut[link.index()];
        let mut indegree = vec![0usize; n];
        for e in model.graph.edge_references().filter(|e| kept(e.id())) {
            indegree[e.target().index()] += 1;
        }
        let mut ready: Vec<ComponentId> = (0..n)
            .rev()
            .map(ComponentId::new)
            .filter(|id| indegree[id.index()] == 0)
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some(id) = ready.pop() {
            order.push(id);
            for e in model
                .graph
                .edges_directed(id, Direction::Outgoing)
                .filter(|e| kept(e.id()))
            {
                indegree[e.target().index()] -= 1;
                if indegree[e.target().index()] == 0 {
                    ready.push(e.target());
                }
            }
        }
        for &id in &order {
            let component = model.component(id);
            if let Some((rate, formula)) =
                client_rate(component).filter(|_| component.kind == Kind::Client)
            {
                self.components[id.index()].inbound = Some(rate);
                self.components[id.index()].inbound_formula = formula;
            }
            self.send(model, id, true);
        }
        // Cut links carry their own load into their target, which passes it on no further.
        for &link in &self.cut.clone() {
            self.send_one(model, link);
        }
    }

    /// Computes the rates of a component's outgoing links from its inbound rate and adds
    /// them to their targets.
    fn send(&mut self, model: &Model, from: ComponentId, skip_cut: bool) {
        let edges: Vec<LinkId> = model
            .graph
            .edges_directed(from, Direction::Outgoing)
            .map(|e| e.id())
            .collect();
        for link in edges {
            if skip_cut && self.is_cut[link.index()] {
                continue;
            }
            self.send_one(model, link);
        }
    }

    fn send_one(&mut self, model: &Model, id: LinkId) {
        let link = model.link(id);
        let caller = model.component(link.from);
        let inbound = self.components[link.from.index()].inbound;
        match facts::ops(link) {
            // Leases, heartbeats, configuration: no requests.
            "control" => return,
            "replicate" => return self.replicate(model, id),
            _ => {}
        }
        let consumers = if caller.kind == Kind::Queue {
            facts::consumers(model, link.from).len().max(1)
        } else {
            1
        };
        let (rate, formula) = match (
            link.attrs.number("rate"),
            link.attrs.number("ratio"),
            inbound,
        ) {
            (Some(rate), _, inbound) => {
                let share = inbound.map_or(0.5, |i| {
                    if i.peak > 0.0 {
                        i.average / i.peak
                    } else {
                        0.5
                    }
                });
                (
                    Some(Rate {
                        peak: rate,
                        average: rate * share,
                    }),
                    format!("rate {}", human_rate(rate)),
                )
            }
            (None, Some(ratio), Some(i)) => (
                Some(Rate {
                    peak: i.peak * ratio,
                    average: i.average * ratio,
                }),
                format!("{} × {}", human_rate(i.peak), percent(ratio)),
            ),
            (None, None, Some(i)) if consumers > 1 => (
                Some(Rate {
                    peak: i.peak / consumers as f64,
                    average: i.average / consumers as f64,
                }),
                format!("{} ÷ {consumers} consumers", human_rate(i.peak)),
            ),
            (None, None, Some(i)) => (
                Some(i),
                format!("{} from `{}`", human_rate(i.peak), caller.id),
            ),
            _ => (None, String::new()),
        };
        self.deliver(model, id, rate, formula);
    }

    /// Records a link's rate and adds it to its target, as reads or writes.
    fn deliver(&mut self, model: &Model, id: LinkId, rate: Option<Rate>, formula: String) {
        let link = model.link(id);
        self.links[id.index()].rate = rate;
        self.links[id.index()].formula = formula.clone();
        let Some(rate) = rate else { return };
        let target = &mut self.components[link.to.index()];
        target.inbound = Some(target.inbound.unwrap_or_default() + rate);
        if !target.inbound_formula.is_empty() {
            target.inbound_formula.push_str(" + ");
        }
        target.inbound_formula.push_str(&formula);
        if facts::writes(link) {
            target.writes += rate.peak;
        } else {
            target.reads += rate.peak;
        }
    }

    /// A `replicate` link carries its source's writes, as writes, into the replica.
    fn replicate(&mut self, model: &Model, id: LinkId) {
        let link = model.link(id);
        let source = &self.components[link.from.index()];
        let Some(inbound) = source.inbound.filter(|_| source.writes > 0.0) else {
            return;
        };
        let rate = Rate {
            peak: source.writes,
            average: source.writes * inbound.average / inbound.peak.max(f64::MIN_POSITIVE),
        };
        let formula = format!(
            "{} writes of `{}` replicated",
            human_rate(rate.peak),
            model.component(link.from).id
        );
        self.deliver(model, id, Some(rate), formula);
    }

    fn capacity(&mut self, component: &Component, id: ComponentId, facts: &Facts) {
        let per_replica = component
            .attrs
            .number("capacity")
            .or_else(|| component.profile.and_then(|p| p.capacity));
        let Some(per_replica) = per_replica else {
            return;
        };
        let stated = component.attrs.get("capacity").is_some();
        let replicas = match facts.redundancy[id.index()] {
            Redundancy::Copies(n) => n,
            // A managed component has no limit unless its capacity is written.
            Redundancy::Managed if stated => 1,
            Redundancy::Managed => return,
        };
        let shards = if component.kind.is_data() {
            component.attrs.count("shards").unwrap_or(1)
        } else {
            1
        };
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

    /// Average write rate × size × retention × copies, where a write's size is its
    /// link's `payload`, else the store's `record_size` (capacity.md).
    fn storage(&mut self, model: &Model, component: &Component, id: ComponentId) {
        // A blob store keeps objects for its `lifecycle`.
        let retention = component
            .attrs
            .number("retention")
            .or_else(|| component.attrs.number("lifecycle"));
        let Some(retention) = retention else {
            return;
        };
        let record = component.attrs.number("record_size");
        // (average writes per second, bytes each) per write link that carries load, in
        // the order the links are written.
        let mut links: Vec<_> = model
            .graph
            .edges_directed(id, petgraph::Direction::Incoming)
            .map(|e| e.id())
            .filter(|&l| facts::writes(model.link(l)))
            .collect();
        links.sort();
        let writes: Vec<(f64, f64)> = links
            .into_iter()
            .filter_map(|l| {
                let rate = self.links[l.index()].rate?;
                let size = model.link(l).attrs.number("payload").or(record)?;
                (rate.average > 0.0).then_some((rate.average, size))
            })
            .collect();
        if writes.is_empty() {
            return;
        }
        let copies = match component.attrs.get("replication") {
            Some(Value::Symbol(none)) if none == "none" => 1,
            Some(Value::Call(call)) if call.name == "none" => 1,
            Some(value) => facts::replication_copies(value),
            None => component.replicas(),
        };
        let per_second: f64 = writes.iter().map(|(rate, size)| rate * size).sum();
        let value = per_second * retention * copies as f64;
        let written = match writes.as_slice() {
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
        };
        let estimate = &mut self.components[id.index()];
        estimate.copies = copies;
        estimate.storage = Some(Figure {
            value,
            formula: format!(
                "{written} × {} × {copies} cop{}",
                human_duration(retention),
                if copies == 1 { "y" } else { "ies" }
            ),
        });
    }

    /// Rate × `payload` per link. A read's payload is the answer, flowing back from the
    /// target; anything else is sent by the caller.
    fn bandwidth(&mut self, model: &Model) {
        for (index, link) in model.links.iter().enumerate() {
            let (Some(rate), Some(payload)) =
                (self.links[index].rate, link.attrs.number("payload"))
            else {
                continue;
            };
            let bytes = rate.peak * payload;
            self.links[index].bandwidth = Some(bytes);
            let (sender, receiver) = if facts::ops(link) == "read" {
                (link.to, link.from)
            } else {
                (link.from, link.to)
            };
            self.components[sender.index()].egress += bytes;
            self.components[receiver.index()].ingress += bytes;
        }
    }

    /// Worst availability (product) and latency (sum) over the synchronous paths from one
    /// client, by dynamic programming in topological order.
    fn worst_paths(&self, model: &Model, facts: &Facts, client: ComponentId) -> PathEstimate {
        let n = model.components.len();
        let sync = |e: &petgraph::graph::EdgeReference<()>| {
            facts.is_sync(e.id()) && !self.is_cut[e.id().index()]
        };
        let mut reached = vec![false; n];
        let mut stack = vec![client];
        reached[client.index()] = true;
        while let Some(id) = stack.pop() {
            for e in model
                .graph
                .edges_directed(id, Direction::Outgoing)
                .filter(sync)
            {
                if !reached[e.target().index()] {
                    reached[e.target().index()] = true;
                    stack.push(e.target());
                }
            }
        }
        let mut indegree = vec![0usize; n];
        for e in model
            .graph
            .edge_references()
            .filter(sync)
            .filter(|e| reached[e.source().index()])
        {
            indegree[e.target().index()] += 1;
        }
        let own_availability = |id: ComponentId| {
            if id == client {
                1.0
            } else {
                self.components[id.index()].availability.value
            }
        };
        let own_latency = |id: ComponentId| self.components[id.index()].latency.unwrap_or(0.0);
        let mut availability = vec![1.0f64; n];
        let mut latency = vec![0.0f64; n];
        let mut via_availability: Vec<Option<ComponentId>> = vec![None; n];
        let mut via_latency: Vec<Option<ComponentId>> = vec![None; n];
        availability[client.index()] = own_availability(client);
        latency[client.index()] = own_latency(client);
        let mut ready = vec![client];
        let (mut worst_availability, mut worst_latency) = (client, client);
        while let Some(id) = ready.pop() {
            if availability[id.index()] < availability[worst_availability.index()] {
                worst_availability = id;
            }
            if latency[id.index()] > latency[worst_latency.index()] {
                worst_latency = id;
            }
            for e in model
                .graph
                .edges_directed(id, Direction::Outgoing)
                .filter(sync)
            {
                let next = e.target();
                let a = availability[id.index()] * own_availability(next);
                if via_availability[next.index()].is_none() || a < availability[next.index()] {
                    availability[next.index()] = a;
                    via_availability[next.index()] = Some(id);
                }
                let l = latency[id.index()] + own_latency(next);
                if via_latency[next.index()].is_none() || l > latency[next.index()] {
                    latency[next.index()] = l;
                    via_latency[next.index()] = Some(id);
                }
                indegree[next.index()] -= 1;
                if indegree[next.index()] == 0 {
                    ready.push(next);
                }
            }
        }
        PathEstimate {
            client,
            availability: availability[worst_availability.index()],
            availability_path: trace(&via_availability, worst_availability),
            latency: latency[worst_latency.index()],
            latency_path: trace(&via_latency, worst_latency),
        }
    }
}

fn trace(via: &[Option<ComponentId>], end: ComponentId) -> Vec<ComponentId> {
    let mut path = vec![end];
    let mut current = end;
    while let Some(previous) = via[current.index()] {
        path.push(previous);
        current = previous;
    }
    path.reverse();
    path
}

/// A client's peak rate: `rate`, else `dau × requests × peak` (capacity.md).
pub fn client_rate(client: &Component) -> Option<(Rate, String)> {
    let peak_factor = client
        .attrs
        .get_or_default("peak", Target::Component(Kind::Client))
        .and_then(Value::as_f64)
        .unwrap_or(2.0);
    if let Some(rate) = client.attrs.number("rate") {
        let rate = Rate {
            peak: rate,
            average: rate / peak_factor,
        };
        return Some((rate, format!("rate {}", human_rate(rate.peak))));
    }
    let dau = client.attrs.count("dau")? as f64;
    let per_user = client.attrs.number("requests")?;
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

/// 1 − (1 − a)^n for n replicas of availability a; a managed component its profile's.
fn availability(component: &Component, redundancy: Redundancy) -> Figure {
    let one = component
        .attrs
        .number("availability")
        .or_else(|| component.profile.and_then(|p| p.availability))
        .unwrap_or(DEFAULT_AVAILABILITY);
    match redundancy {
        Redundancy::Copies(n) if n > 1 => Figure {
            value: 1.0 - (1.0 - one).powi(n as i32),
            formula: format!("1 − (1 − {})^{n}", percent(one)),
        },
        _ => Figure {
            value: one,
            formula: percent(one),
        },
    }
}

/// Links that close a cycle, found by a depth-first walk from the clients in declaration
/// order, then from every component not yet visited (capacity.md).
fn back_edges(model: &Model) -> Vec<LinkId> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Active,
        Done,
    }
    let n = model.components.len();
    let mut state = vec![State::New; n];
    let mut cut = Vec::new();
    let clients = model
        .graph
        .node_indices()
        .filter(|&id| model.component(id).kind == Kind::Client);
    let roots: Vec<ComponentId> = clients.chain(model.graph.node_indices()).collect();
    for root in roots {
        if state[root.index()] != State::New {
            continue;
        }
        // Iterative DFS over frames: a component, its outgoing links, the next to follow.
        type Frame = (ComponentId, Vec<(LinkId, ComponentId)>, usize);
        let mut stack: Vec<Frame> = Vec::new();
        let edges = |id: ComponentId| {
            let mut e: Vec<(LinkId, ComponentId)> = model
                .graph
                .edges_directed(id, Direction::Outgoing)
                .map(|e| (e.id(), e.target()))
                .collect();
            e.sort();
            e
        };
        state[root.index()] = State::Active;
        stack.push((root, edges(root), 0));
        while let Some((id, out, next)) = stack.last_mut() {
            if let Some(&(link, target)) = out.get(*next) {
                *next += 1;
                match state[target.index()] {
                    State::Active => cut.push(link),
                    State::New => {
                        state[target.index()] = State::Active;
                        let e = edges(target);
                        stack.push((target, e, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[id.index()] = State::Done;
                stack.pop();
            }
        }
    }
    cut.sort();
    cut
}

// ---- human units, 3 significant figures (capacity.md, "Output") ------------------------

pub fn significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_string();
    }
    let digits = value.abs().log10().floor() as i32;
    let decimals = (2 - digits).max(0) as usize;
    let rounded = format!("{value:.decimals$}");
    if rounded.contains('.') {
        rounded
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        rounded
    }
}

fn scaled(value: f64, units: &[(f64, &str)]) -> String {
    let (scale, unit) = units
        .iter()
        .find(|(s, _)| value.abs() >= *s)
        .copied()
        .unwrap_or(*units.last().unwrap());
    // The last unit's threshold is 0: it catches what is left, unscaled.
    format!("{}{unit}", significant(value / scale.max(1.0)))
}

pub fn human_count(value: f64) -> String {
    scaled(
        value,
        &[
            (1e12, "T"),
            (1e9, "B"),
            (1e6, "M"),
            (1e3, "k"),
            (1.0, ""),
            (0.0, ""),
        ],
    )
}

pub fn human_rate(per_second: f64) -> String {
    if per_second > 0.0 && per_second < 1.0 {
        return format!("{}/day", human_count(per_second * DAY));
    }
    format!("{}/s", human_count(per_second))
}

pub fn human_size(bytes: f64) -> String {
    scaled(
        bytes,
        &[
            (1e15, " PB"),
            (1e12, " TB"),
            (1e9, " GB"),
            (1e6, " MB"),
            (1e3, " KB"),
            (0.0, " B"),
        ],
    )
}

pub fn human_duration(seconds: f64) -> String {
    if seconds < 1.0 {
        return format!("{}ms", significant(seconds * 1000.0));
    }
    scaled(
        seconds,
        &[
            (365.0 * DAY, "y"),
            (DAY, "d"),
            (3600.0, "h"),
            (60.0, "min"),
            (1.0, "s"),
        ],
    )
}

pub fn percent(fraction: f64) -> String {
    let value = fraction * 100.0;
    // Availability needs its nines: 3 significant figures of the part missing to 100%.
    // At most 6 decimals: beyond, the figure is float noise and reads as 100%.
    let decimals = if (99.0..100.0).contains(&value) {
        (((100.0 - value).log10().floor() as i32).abs().max(0) as usize + 2).min(6)
    } else {
        1
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}%")
}

fn format_factor(factor: f64) -> String {
    format!("{}x", significant(factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimates(text: &str) -> (crate::Compilation, Estimates) {
        let compilation = crate::compile("test.hld", text.as_bytes().to_vec());
        assert!(
            compilation.diagnostics.is_empty(),
            "{:?}",
            compilation.diagnostics
        );
        let facts = Facts::new(&compilation.model);
        let estimates = Estimates::new(&compilation.model, &facts);
        (compilation, estimates)
    }

    fn id(compilation: &crate::Compilation, name: &str) -> usize {
        compilation.model.find(name).unwrap().index()
    }

    #[test]
    fn a_client_peak_is_dau_times_requests_times_peak() {
        // 100M dau × 10/day = 1e9 requests/day; ÷ 86,400 s = 11,574/s average; × 3 = 34,722/s.
        let (c, e) = estimates("client users { dau: 100M, requests: 10/day, peak: 3x }");
        let rate = e.components[id(&c, "users")].inbound.unwrap();
        assert!((rate.average - 11_574.07).abs() < 0.01);
        assert!((rate.peak - 34_722.2).abs() < 0.1);
        assert_eq!(human_rate(rate.peak), "34.7k/s");
        assert_eq!(
            e.components[0].inbound_formula,
            "100M dau × 10/day ÷ 86,400 s × 3x peak"
        );
    }

    #[test]
    fn load_passes_hop_by_hop_with_ratios_and_rates() {
        let (c, e) = estimates(
            "client u { rate: 1000/s }\nservice a\nservice b\ndatabase d\nu -> a -> b\nb -> d { ratio: 20% }\na -> d { rate: 50/s }",
        );
        let inbound = |n: &str| e.components[id(&c, n)].inbound.unwrap().peak;
        assert_eq!((inbound("a"), inbound("b")), (1000.0, 1000.0));
        // 20% of 1,000/s from b, plus 50/s stated on a -> d.
        assert_eq!(inbound("d"), 250.0);
    }

    #[test]
    fn storage_is_average_writes_times_size_times_retention_times_copies() {
        // 1.2k/s average writes × 1 KB × 5 y × 3 copies
        //   = 1,200/s × 1,000 B × 157,680,000 s × 3 = 5.68e14 B = 568 TB.
        let (c, e) = estimates(
            "client u { rate: 2400/s, peak: 2x }\nservice a { replicas: 2 }\ndatabase d { record_size: 1KB, retention: 5y, replication: 3 }\nu -> a\na -> d { ops: write }",
        );
        let storage = e.components[id(&c, "d")].storage.clone().unwrap();
        assert!((storage.value - 1_200.0 * 1_000.0 * 5.0 * 365.0 * 86_400.0 * 3.0).abs() < 1.0);
        assert_eq!(human_size(storage.value), "568 TB");
        assert_eq!(storage.formula, "1.2k/s writes × 1 KB × 5y × 3 copies");
    }

    #[test]
    fn the_two_planes_carry_no_requests() {
        // 1k/s peak into `api`, 20% of it writes: `db` takes 800/s reads + 200/s writes.
        // The replica gets the 200/s writes only; the lease to the coordinator nothing.
        let (c, e) = estimates(
            "client u { rate: 1k/s }\nservice api { replicas: 2 }\ndatabase db { replicas: 2 }\ndatabase replica { replicas: 2 }\ncoordinator lock { engine: etcd, replicas: 3 }\nu -> api\napi -> db { ops: read, ratio: 80% }\napi -> db { ops: write, ratio: 20% }\ndb -> replica { ops: replicate }\ndb -> lock { ops: control }",
        );
        let replica = &e.components[id(&c, "replica")];
        assert_eq!(replica.inbound.unwrap().peak, 200.0);
        assert_eq!((replica.reads, replica.writes), (0.0, 200.0));
        assert_eq!(replica.inbound_formula, "200/s writes of `db` replicated");
        assert!(e.components[id(&c, "lock")].inbound.is_none());
    }

    #[test]
    fn a_write_s_size_is_its_payload_else_the_record_size() {
        // Average writes: 1,000/s ÷ 2 = 500/s of each link; per copy
        //   (500/s × 2 MB + 500/s × 1 KB) × 1 y = (1e9 + 5e5 B/s) × 31,536,000 s = 31.5 PB,
        // × 2 copies = 63.1 PB in all.
        let (c, e) = estimates(
            "client u { rate: 1k/s, peak: 2x }\nservice a { replicas: 2 }\nservice b { replicas: 2 }\ndatabase d { record_size: 1KB, retention: 365d, replicas: 2 }\nu -> a\nu -> b\na -> d { ops: write, payload: 2MB }\nb -> d { ops: write }",
        );
        let d = &e.components[id(&c, "d")];
        let storage = d.storage.clone().unwrap();
        let per_copy = (500.0 * 2e6 + 500.0 * 1e3) * 365.0 * 86_400.0;
        assert!(
            (storage.value - per_copy * 2.0).abs() < 1e3,
            "{}",
            storage.value
        );
        assert_eq!(d.copies, 2);
        assert_eq!(
            storage.formula,
            "(500/s × 2 MB + 500/s × 1 KB) × 1y × 2 copies"
        );
    }

    #[test]
    fn utilization_is_inbound_over_replicas_times_capacity() {
        let (c, e) =
            estimates("client u { rate: 9k/s }\nservice a { replicas: 3, capacity: 4k/s }\nu -> a");
        let a = &e.components[id(&c, "a")];
        assert_eq!(a.capacity.as_ref().unwrap().value, 12_000.0);
        assert_eq!(a.utilization, Some(0.75));
    }

    #[test]
    fn worst_path_availability_and_latency() {
        // users → lb (2 × 99.9%) → api (1 × 99.9%), and api → db (1 × 99%) on one branch.
        let (c, e) = estimates(
            "client users { rate: 1/s }\nlb lb { replicas: 2, latency: 1ms }\nservice api { latency: 20ms }\ndatabase db { availability: 99%, latency: 5ms }\nusers -> lb -> api -> db",
        );
        let path = &e.paths[0];
        let expected = (1.0 - 0.001f64.powi(2)) * 0.999 * 0.99;
        assert!((path.availability - expected).abs() < 1e-12);
        assert!((path.latency - 0.026).abs() < 1e-12);
        let names: Vec<&str> = path
            .latency_path
            .iter()
            .map(|i| c.model.component(*i).id.as_str())
            .collect();
        assert_eq!(names, vec!["users", "lb", "api", "db"]);
    }

    #[test]
    fn cycles_are_cut_at_the_back_edge_and_named() {
        let (c, e) = estimates(
            "client u { rate: 100/s }\nservice gw\nqueue q\nworker w\nu -> gw -> q -> w\nw -> gw { ratio: 10% }",
        );
        assert_eq!(e.cut.len(), 1);
        assert_eq!(c.model.link(e.cut[0]).element(&c.model), "w->gw");
        assert_eq!(e.components[id(&c, "gw")].inbound.unwrap().peak, 110.0);
    }

    #[test]
    fn three_significant_figures_in_human_units() {
        assert_eq!(human_rate(34_722.2), "34.7k/s");
        assert_eq!(human_size(1.8e12), "1.8 TB");
        assert_eq!(percent(0.9995), "99.95%");
        // Availability keeps 3 significant figures of what is missing: 0.0124%.
        assert_eq!(percent(0.999_876), "99.9876%");
        assert_eq!(human_duration(0.045), "45ms");
        assert_eq!(human_size(500.0), "500 B");
        assert_eq!(percent(1.0 - 1e-15), "100%");
    }
}
