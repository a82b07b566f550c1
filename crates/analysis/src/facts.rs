//! Analyses several rules need, computed once per design in linear time (no path is
//! ever enumerated): link modes, request paths, reachability, redundancy, effective
//! consistency, queue consumers.

use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::visit::EdgeRef;

use hld_model::values::consistency::Value as Consistency;
use hld_model::values::mode::Value as Mode;
use hld_model::values::ops::Value as Ops;
use hld_model::values::read_from::Value as ReadFrom;
use hld_model::{Component, ComponentId, Kind, LinkId, Model, Param, Value};
use hld_model::{attr, call, param};

use crate::order::{self, Order};

/// How many copies keep a component serving (docs/rules.md, "redundancy").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Redundancy {
    Copies(u64),
    /// `managed`: the provider keeps it redundant.
    Managed,
}

pub struct Facts {
    /// Per link: the caller waits for the answer.
    pub sync: Vec<bool>,
    /// Per component on a request path: the first client (in declaration order) that
    /// reaches it along sync links.
    pub request_path_client: Vec<Option<ComponentId>>,
    pub redundancy: Vec<Redundancy>,
    /// Per component: some queue names it as its `dlq`.
    pub is_dlq: Vec<bool>,
    /// Per component: the alternatives it is one of (itself included), when every
    /// synchronous caller is a load balancer or dns that routes among two or more
    /// components of its kind; empty otherwise (docs/estimates.md, "redundancy through
    /// alternatives").
    alternatives: Alternatives,
    /// The components over synchronous links, each after its callers; a component in a
    /// synchronous cycle, or behind one, is left out (`sync-cycle` reports those).
    pub sync_order: Vec<ComponentId>,
    /// Every component over every link, cycles cut (the estimate's order).
    pub order: Order,
    /// Per component: a look-aside cache ([`is_look_aside`]).
    pub look_aside: Vec<bool>,
}

impl Facts {
    pub fn new(model: &Model) -> Facts {
        let sync: Vec<bool> = model.links.iter().map(|l| link_is_sync(model, l)).collect();
        let request_path_client = first_client_along(model, |link, _| sync[link.index()]);
        let redundancy = model.components.iter().map(redundancy).collect();
        let mut is_dlq = vec![false; model.components.len()];
        for dlq in model
            .components
            .iter()
            .filter_map(|c| c.attrs.symbol(attr::DLQ))
        {
            if let Some(id) = model.find(dlq) {
                is_dlq[id.index()] = true;
            }
        }
        let alternatives = alternatives(model, &sync);
        let sync_order = order::kahn(model, |link| sync[link.index()]);
        Facts {
            sync,
            request_path_client,
            redundancy,
            is_dlq,
            alternatives,
            sync_order,
            order: Order::cutting_cycles(model),
            look_aside: model
                .graph
                .node_indices()
                .map(|id| is_look_aside(model, id))
                .collect(),
        }
    }

    pub fn on_request_path(&self, id: ComponentId) -> bool {
        self.request_path_client[id.index()].is_some()
    }

    pub fn is_sync(&self, link: LinkId) -> bool {
        self.sync[link.index()]
    }

    /// The alternatives `id` is one of (itself included), empty when it is none's.
    pub fn alternatives(&self, id: ComponentId) -> &[ComponentId] {
        self.alternatives.of(id)
    }

    /// The components a step from `from` to `to` stands for: the alternatives of `to`
    /// that `from` routes to when `from` is a load balancer or dns, else `to` alone.
    pub fn alternative_set(
        &self,
        model: &Model,
        from: ComponentId,
        to: ComponentId,
    ) -> Vec<ComponentId> {
        if !model.component(from).kind.balances() {
            return vec![to];
        }
        let set: Vec<ComponentId> = self
            .alternatives
            .of(to)
            .iter()
            .copied()
            .filter(|&a| model.graph.contains_edge(from, a))
            .collect();
        if set.is_empty() { vec![to] } else { set }
    }
}

/// `mode` as written, else async into and out of a queue and for `replicate` links,
/// else sync (docs/language.md); a `control` link is never on a request path.
pub fn link_is_sync(model: &Model, link: &hld_model::Link) -> bool {
    match ops(link) {
        Ops::Control => return false,
        Ops::Replicate => return link.attrs.is(Mode::Sync),
        _ => {}
    }
    match link.attrs.value::<Mode>() {
        Some(mode) => mode == Mode::Sync,
        None => {
            model.component(link.from).kind != Kind::Queue
                && model.component(link.to).kind != Kind::Queue
        }
    }
}

/// Per component: the first client (in declaration order) that reaches it following
/// the links `follows` accepts. Breadth-first from every client at once: linear.
fn first_client_along(
    model: &Model,
    follows: impl Fn(LinkId, ComponentId) -> bool,
) -> Vec<Option<ComponentId>> {
    let mut client_of = vec![None; model.components.len()];
    let mut queue = VecDeque::new();
    for id in model.graph.node_indices() {
        if model.component(id).kind == Kind::Client {
            client_of[id.index()] = Some(id);
            queue.push_back(id);
        }
    }
    while let Some(id) = queue.pop_front() {
        for edge in model.graph.edges_directed(id, Direction::Outgoing) {
            let next = edge.target();
            if client_of[next.index()].is_none() && follows(edge.id(), next) {
                client_of[next.index()] = client_of[id.index()];
                queue.push_back(next);
            }
        }
    }
    client_of
}

/// Per component: reached from `roots` following links in their direction and `dlq`
/// references.
pub fn reachable_from(model: &Model, roots: impl IntoIterator<Item = ComponentId>) -> Vec<bool> {
    let mut reached = vec![false; model.components.len()];
    let mut stack: Vec<ComponentId> = roots.into_iter().collect();
    for &id in &stack {
        reached[id.index()] = true;
    }
    while let Some(id) = stack.pop() {
        let dlq = model
            .component(id)
            .attrs
            .symbol(attr::DLQ)
            .and_then(|q| model.find(q));
        let next: Vec<ComponentId> = model
            .graph
            .neighbors_directed(id, Direction::Outgoing)
            .chain(dlq)
            .collect();
        for n in next {
            if !reached[n.index()] {
                reached[n.index()] = true;
                stack.push(n);
            }
        }
    }
    reached
}

/// `replicas` (the autoscale minimum when set); for data components the larger of
/// that and the copies their `replication` keeps; unlimited when `managed`.
fn redundancy(component: &Component) -> Redundancy {
    if component.managed() {
        return Redundancy::Managed;
    }
    let instances = match component.attrs.get(attr::AUTOSCALE) {
        Some(Value::Range(min, _)) => *min,
        _ => component.replicas(),
    };
    let copies = if component.kind.is_data() {
        component
            .attrs
            .get(attr::REPLICATION)
            .map_or(1, replication_copies)
    } else {
        1
    };
    Redundancy::Copies(instances.max(copies))
}

/// Copies a replication scheme keeps: `N`; `leader_follower` 1 + followers (1 by
/// default); `multi_leader` leaders (2 by default); `leaderless`/`consensus` n.
pub fn replication_copies(value: &Value) -> u64 {
    match value {
        Value::Count(n) => *n,
        Value::Call(call) => {
            let arg = |param: Param| call.arg(param).and_then(Value::as_count);
            match call.name {
                call::Name::LeaderFollower => 1 + arg(param::FOLLOWERS).unwrap_or(1),
                call::Name::MultiLeader => arg(param::LEADERS).unwrap_or(2),
                call::Name::Leaderless | call::Name::Consensus => arg(param::N).unwrap_or(1),
                _ => 1,
            }
        }
        _ => 1,
    }
}

/// Whether readers given `provided` get at least `needed`. Consistency levels are a
/// partial order (docs/rules.md, `consistency-mismatch`): strong above all; causal
/// above read_your_writes and monotonic (it keeps both session guarantees), which do
/// not imply each other; bounded_staleness only above eventual (within its bound a read
/// may miss the reader's own write); eventual below all.
pub fn consistency_satisfies(provided: Consistency, needed: Consistency) -> bool {
    use Consistency::*;
    provided == needed
        || provided == Strong
        || needed == Eventual
        || (provided == Causal && matches!(needed, ReadYourWrites | Monotonic))
}

/// What a store's readers get: its `consistency`, else its engine's; eventual for every
/// cache, and for reads served by asynchronous followers. `None` when nothing says.
/// `link` is the read, whose own `read_from` overrides the store's.
pub fn effective_consistency(
    component: &Component,
    link: Option<&hld_model::Link>,
) -> Option<Consistency> {
    if component.kind == Kind::Cache {
        return Some(Consistency::Eventual);
    }
    let stated = component.effective::<Consistency>()?;
    if reads_from_async_followers(component, link) {
        return Some(Consistency::Eventual);
    }
    Some(stated)
}

/// Where a read is served: the link's `read_from`, else the store's.
pub fn read_from(component: &Component, link: Option<&hld_model::Link>) -> Option<ReadFrom> {
    link.and_then(|l| l.attrs.value())
        .or_else(|| component.attrs.value())
}

/// Reads go to followers or the nearest copy (the link's `read_from`, else the store's)
/// of asynchronous leader-follower (or multi-leader) replication.
pub fn reads_from_async_followers(component: &Component, link: Option<&hld_model::Link>) -> bool {
    let from_followers = matches!(
        read_from(component, link),
        Some(ReadFrom::Followers | ReadFrom::Nearest)
    );
    let asynchronous = match component.attrs.get(attr::REPLICATION) {
        Some(Value::Call(call)) if call.name == call::Name::LeaderFollower => {
            call.arg_value::<Mode>().is_none_or(|m| m == Mode::Async)
        }
        Some(Value::Call(call)) => call.name == call::Name::MultiLeader,
        Some(Value::Count(n)) => {
            *n > 1
                && component.profile.and_then(|p| p.replication_scheme())
                    == Some(call::Name::LeaderFollower)
        }
        _ => false,
    };
    from_followers && asynchronous
}

/// A look-aside cache: its readers fall back to the store when it is lost (it names
/// the store it `caches:`, or every link reading it says `fallback: true`). Losing it
/// degrades (a cold cache), it does not fail requests (docs/rules.md,
/// `single-point-of-failure`).
fn is_look_aside(model: &Model, id: ComponentId) -> bool {
    let cache = model.component(id);
    if cache.kind != Kind::Cache {
        return false;
    }
    if cache.attrs.get(attr::CACHES).is_some() {
        return true;
    }
    let mut readers = model
        .graph
        .edges_directed(id, petgraph::Direction::Incoming)
        .map(|e| model.link(e.id()))
        .filter(|l| reads(l))
        .peekable();
    readers.peek().is_some() && readers.all(|l| l.attrs.bool(attr::FALLBACK) == Some(true))
}

/// A read addressed by a `key` that is not its store's partition key, on a store split
/// over shards: every request goes to every shard. The shard count, when it scatters.
pub fn scatter_shards(model: &Model, link: &hld_model::Link) -> Option<u64> {
    let key = link.attrs.get(attr::KEY)?.as_str()?;
    if !reads(link) {
        return None;
    }
    let store = model.component(link.to);
    if !store.kind.is_data() {
        return None;
    }
    let shards = store.attrs.count(attr::SHARDS).filter(|&s| s > 1)?;
    (partition_key(store)? != key).then_some(shards)
}

/// The `key` a store's `partitioning` names.
pub fn partition_key(store: &Component) -> Option<&str> {
    store
        .attrs
        .get(attr::PARTITIONING)?
        .as_call()?
        .arg(param::KEY)?
        .as_str()
}

/// Whether a link addresses its store by the store's partition key: its requests, a
/// range query included, stay inside one partition.
pub fn within_one_partition(model: &Model, link: &hld_model::Link) -> bool {
    let key = link.attrs.symbol(attr::KEY);
    key.is_some() && key == partition_key(model.component(link.to))
}

/// The `ops` of a link, its default when unstated.
pub fn ops(link: &hld_model::Link) -> Ops {
    link.ops()
}

/// A gateway's call to a data component of its own (rate-limit counters, sessions,
/// keys, an access log it publishes to): made on the requests it routes, not a route.
pub fn is_side_call(model: &Model, link: &hld_model::Link) -> bool {
    model.component(link.from).kind == Kind::Gateway
        && matches!(
            model.component(link.to).kind,
            Kind::Cache | Kind::Database | Kind::Coordinator | Kind::Queue
        )
}

/// Whether the link writes its target: requests that write, or a replica applying the
/// source's writes.
pub fn writes(link: &hld_model::Link) -> bool {
    match ops(link) {
        Ops::Write | Ops::ReadWrite | Ops::ReadModifyWrite | Ops::Replicate => true,
        Ops::Read | Ops::Control => false,
    }
}

/// Whether the link's requests write its target (a store's replication does not count).
pub fn writes_by_request(link: &hld_model::Link) -> bool {
    writes(link) && ops(link) != Ops::Replicate
}

pub fn reads(link: &hld_model::Link) -> bool {
    match ops(link) {
        Ops::Read | Ops::ReadWrite | Ops::ReadModifyWrite => true,
        Ops::Write | Ops::Replicate | Ops::Control => false,
    }
}

/// The components that consume a queue: targets of links out of it, and sources of
/// links into it that only read.
pub fn consumers(model: &Model, queue: ComponentId) -> Vec<(ComponentId, LinkId)> {
    let out = model
        .graph
        .edges_directed(queue, Direction::Outgoing)
        .map(|e| (e.target(), e.id()));
    let reading = model
        .graph
        .edges_directed(queue, Direction::Incoming)
        .filter(|e| ops(model.link(e.id())) == Ops::Read)
        .map(|e| (e.source(), e.id()));
    let mut all: Vec<(ComponentId, LinkId)> = out.chain(reading).collect();
    all.sort();
    all
}

/// Attempts a link's `retry` makes in all (1 without retries).
pub fn attempts(link: &hld_model::Link) -> u64 {
    match link.attrs.get(attr::RETRY) {
        Some(Value::Call(call)) => call
            .arg(param::ATTEMPTS)
            .and_then(Value::as_count)
            .unwrap_or(1),
        _ => 1,
    }
}

/// Per component: the first client that reaches it along synchronous links without
/// passing a component or link for which `guards` holds (the component itself
/// included). Breadth-first from the clients in declaration order: linear.
pub fn reached_unguarded(
    model: &Model,
    facts: &Facts,
    guards_component: impl Fn(&Component) -> bool,
    guards_link: impl Fn(&hld_model::Link) -> bool,
) -> Vec<Option<ComponentId>> {
    first_client_along(model, |link, next| {
        facts.is_sync(link)
            && !guards_link(model.link(link))
            && !guards_component(model.component(next))
    })
}

/// A way in from a client: the client's synchronous link to its first component, and
/// the services reached from there without passing a guard.
pub struct Entry {
    pub client: ComponentId,
    /// The first component after the client: where a guard would go.
    pub entry: ComponentId,
    /// The services reached from `entry` (itself included when it is a service), in
    /// declaration order: all of them, or those among the first [`REACH_LIMIT`]
    /// components reached when `beyond` says the walk stopped there.
    pub services: Vec<ComponentId>,
    pub beyond: bool,
}

/// Components an entry's walk visits at most: a finding names five services and
/// counts the rest, and walking the whole design from each of thousands of entries
/// was quadratic (100,000 components with 2,000 clients: 15 s of `hld check`). Past it
/// the count is a floor ("at least 1,000 services").
pub const REACH_LIMIT: usize = 1_000;

/// A client on the internet: any client but one that says `internal: true` (another
/// team's service, a job inside the network).
pub fn is_internet_client(component: &Component) -> bool {
    component.kind == Kind::Client && component.attrs.bool(attr::INTERNAL) != Some(true)
}

/// Every (client, entry point) through which an internet client reaches services along
/// synchronous links without passing a component or link for which the guards hold,
/// in declaration order. What an entry point reaches is found once per entry point
/// however many clients use it, by a walk of at most [`REACH_LIMIT`] components.
pub fn unguarded_entries(
    model: &Model,
    facts: &Facts,
    guards_component: impl Fn(&Component) -> bool,
    guards_link: impl Fn(&hld_model::Link) -> bool,
) -> Vec<Entry> {
    let open = |link: LinkId, next: ComponentId| {
        facts.is_sync(link)
            && !guards_link(model.link(link))
            && !guards_component(model.component(next))
    };
    let mut reached_from: std::collections::HashMap<ComponentId, Reached> = Default::default();
    let mut entries = Vec::new();
    for client in model.graph.node_indices() {
        if !is_internet_client(model.component(client)) {
            continue;
        }
        for edge in model.graph.edges_directed(client, Direction::Outgoing) {
            let entry = edge.target();
            if !open(edge.id(), entry) {
                continue;
            }
            let reached = reached_from
                .entry(entry)
                .or_insert_with(|| services_from(model, entry, &open));
            if !reached.services.is_empty() {
                entries.push(Entry {
                    client,
                    entry,
                    services: reached.services.clone(),
                    beyond: reached.beyond,
                });
            }
        }
    }
    entries
}

struct Reached {
    services: Vec<ComponentId>,
    beyond: bool,
}

/// The services reached breadth-first from `start` through open links, among the first
/// [`REACH_LIMIT`] components reached. Memory is per component reached, not per
/// component of the design, so that thousands of walks stay linear.
fn services_from(
    model: &Model,
    start: ComponentId,
    open: &impl Fn(LinkId, ComponentId) -> bool,
) -> Reached {
    let mut seen = std::collections::HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    let mut services = Vec::new();
    let mut beyond = false;
    'walk: while let Some(id) = queue.pop_front() {
        if model.component(id).kind == Kind::Service {
            services.push(id);
        }
        for edge in model.graph.edges_directed(id, Direction::Outgoing) {
            let next = edge.target();
            if !seen.contains(&next) && open(edge.id(), next) {
                if seen.len() == REACH_LIMIT {
                    beyond = true;
                    break 'walk;
                }
                seen.insert(next);
                queue.push_back(next);
            }
        }
    }
    // What is still queued was reached: its services count.
    services.extend(
        queue
            .iter()
            .filter(|&&id| model.component(id).kind == Kind::Service),
    );
    services.sort();
    Reached { services, beyond }
}

/// See [`Facts::alternatives`]. Each router's synchronous targets are grouped by kind
/// once: O(V + E + the sizes of the sets handed out).
fn alternatives(model: &Model, sync: &[bool]) -> Alternatives {
    let n = model.components.len();
    // Each router's groups of two or more targets of one kind, and per component the
    // groups it is in: linear in the links (a member keeps an index, not a copy of its
    // group: an lb with 20,000 targets took 1.6 GB).
    let mut groups: Vec<Vec<ComponentId>> = Vec::new();
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut behind_router_only = vec![true; n];
    for caller in model.graph.node_indices() {
        let targets: Vec<ComponentId> = model
            .graph
            .edges_directed(caller, Direction::Outgoing)
            .filter(|e| sync[e.id().index()])
            .map(|e| e.target())
            .collect();
        if !model.component(caller).kind.balances() {
            targets
                .iter()
                .for_each(|t| behind_router_only[t.index()] = false);
            continue;
        }
        let mut by_kind: std::collections::BTreeMap<Kind, Vec<ComponentId>> = Default::default();
        for &target in &targets {
            by_kind
                .entry(model.component(target).kind)
                .or_default()
                .push(target);
        }
        for mut group in by_kind.into_values() {
            if group.len() < 2 {
                group
                    .iter()
                    .for_each(|t| behind_router_only[t.index()] = false);
                continue;
            }
            // Two links to one target (a read and a write) are one alternative.
            group.sort();
            group.dedup();
            if group.len() < 2 {
                continue;
            }
            for &member in &group {
                member_of[member.index()].push(groups.len());
            }
            groups.push(group);
        }
    }
    // A component in one group shares it; one in several gets their union of its own.
    let mut set_of = vec![None; n];
    for (index, of) in member_of.iter_mut().enumerate() {
        of.sort_unstable();
        of.dedup();
        if !behind_router_only[index] {
            continue;
        }
        set_of[index] = match of.as_slice() {
            [] => None,
            [group] => Some(*group),
            several => {
                let mut union: Vec<ComponentId> = several
                    .iter()
                    .flat_map(|&g| groups[g].iter().copied())
                    .collect();
                union.sort();
                union.dedup();
                groups.push(union);
                Some(groups.len() - 1)
            }
        };
    }
    Alternatives {
        sets: groups,
        set_of,
    }
}

/// The alternative sets, each kept once, and which one each component is in.
#[derive(Debug, Default)]
struct Alternatives {
    sets: Vec<Vec<ComponentId>>,
    set_of: Vec<Option<usize>>,
}

impl Alternatives {
    fn of(&self, id: ComponentId) -> &[ComponentId] {
        self.set_of[id.index()].map_or(&[], |set| &self.sets[set])
    }
}

#[cfg(test)]
mod plane_tests {
    use super::*;

    fn sync_of(ops: &str) -> bool {
        let text = format!("service a\ndatabase b\na -> b {{ {ops} }}\n");
        let compilation = crate::compile("t.hld", text.into_bytes());
        assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
        link_is_sync(&compilation.model, &compilation.model.links[0])
    }

    #[test]
    fn control_links_are_never_on_a_request_path_and_replicas_are_async_by_default() {
        assert!(sync_of("ops: read"));
        assert!(!sync_of("ops: control"));
        assert!(!sync_of("ops: control, mode: sync"));
        assert!(!sync_of("ops: replicate"));
        assert!(sync_of("ops: replicate, mode: sync"));
    }
}
