//! The failure sweep (`hld what-if --all`): every component failing whole and, for one
//! with several copies, one copy failing; every zone and region failing; every
//! partition between two regions; with depth 2, pairs of them too. Each is judged as a
//! scenario; per flow the failures that degrade it or take it down, ranked by blast
//! radius; per critical flow the minimal sets that take it down. A *single* failure
//! (`single-failure-breaks-critical-flow`) is one node, one zone or one region: a
//! component with one instance failing, one copy of a replicated one, a zone, a region;
//! a replicated or managed component failing whole is a correlated failure (a bad
//! deploy), listed but not single.
//!
//! A declared scenario re-propagates the whole load (`Estimates::with_outage`); the
//! sweep judges thousands, so it asks only what changes near the failure: the survivors
//! of an alternative set take the failed members' share, lost copies take their
//! capacity with them, a failed cache's hits go to its store. Everything else is the
//! what-if's own judgement (quorums, failover, stale reads, cut links).

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::visit::EdgeRef;

use super::{
    Dependencies, FlowOutcome, Judged, Outcome, State, outage_and_state, outcomes, survives_losing,
};
use crate::estimate::{CACHE_HIT_RATIO, Estimates, Outage, store};
use crate::facts::{Facts, Redundancy};
use hld_model::{ComponentId, GroupId, GroupKind, Kind, Model, Place, Scenario, attr};

/// Pairs judged at most with `--depth 2`: past it the sweep is refused rather than
/// left running (at 3,000 candidates, 4.5 million pairs).
pub const MAX_PAIRS: usize = 200_000;

/// One thing that can fail on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Candidate {
    /// A component with a single instance, whole.
    Component(ComponentId),
    /// One copy of a component that has several (the leader, for a replicated store).
    Replica(ComponentId),
    /// A zone or a region.
    Group(GroupId),
    /// Two regions that can no longer reach each other.
    Partition(GroupId, GroupId),
}

impl Candidate {
    /// One node, zone or region: not a replicated or managed component failing whole.
    pub fn is_single(self, facts: &Facts) -> bool {
        match self {
            Candidate::Component(id) => facts.redundancy[id.index()] == Redundancy::Copies(1),
            _ => true,
        }
    }

    pub fn name(self, model: &Model) -> String {
        match self {
            Candidate::Component(id) => format!("`{}`", model.component(id).id),
            Candidate::Replica(id) => format!("a copy of `{}`", model.component(id).id),
            Candidate::Group(g) => {
                let group = &model.groups[g];
                format!("{} `{}`", group.kind.as_str(), group.id)
            }
            Candidate::Partition(a, b) => {
                format!("`{}` | `{}`", model.groups[a].id, model.groups[b].id)
            }
        }
    }
}

/// One failure set and what it does to each judged flow (those it touches only).
#[derive(Clone, Debug)]
pub struct Hit {
    pub failure: Vec<Candidate>,
    /// Every part of it is one node, zone or region ([`Candidate::is_single`]).
    pub single: bool,
    /// Indices into [`Sweep::judged`], with their outcome (never `Ok`).
    pub outcomes: Vec<(usize, Outcome)>,
    /// Share of all traffic (the clients', and flows scheduled workers start) in flows
    /// taken down, and in flows degraded.
    pub down_traffic: f64,
    pub degraded_traffic: f64,
}

impl Hit {
    pub fn downs(&self) -> impl Iterator<Item = usize> + '_ {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Down(_)))
            .map(|(i, _)| *i)
    }
}

/// A flow (or a client without flows) the sweep judges.
#[derive(Clone, Debug)]
pub struct Judgeable {
    pub flow: Option<usize>,
    pub client: ComponentId,
    pub name: String,
    pub critical: bool,
    /// Its share of all traffic (the clients', and flows scheduled workers start).
    pub traffic: f64,
}

pub struct Sweep {
    pub depth: u8,
    /// Failure sets judged.
    pub judged_sets: usize,
    pub judged: Vec<Judgeable>,
    /// The failure sets that degrade or take down something, worst first.
    pub hits: Vec<Hit>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    TooManyPairs(usize),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooManyPairs(pairs) => write!(
                f,
                "{pairs} pairs of failures is more than the {MAX_PAIRS} `--depth 2` judges: sweep `--depth 1`, or name the failures with `--fail`"
            ),
        }
    }
}

impl Sweep {
    /// The minimal failure sets that take flow `index` down.
    pub fn downed_by(&self, index: usize) -> Vec<&[Candidate]> {
        self.hits
            .iter()
            .filter(|h| h.downs().any(|i| i == index))
            .map(|h| h.failure.as_slice())
            .collect()
    }

    /// The failure sets that degrade flow `index`.
    pub fn degraded_by(&self, index: usize) -> Vec<&[Candidate]> {
        self.hits
            .iter()
            .filter(|h| {
                h.outcomes
                    .iter()
                    .any(|(i, o)| *i == index && matches!(o, Outcome::Degraded(_)))
            })
            .map(|h| h.failure.as_slice())
            .collect()
    }

    /// The worst failure that is one node, zone or region, if any does harm.
    pub fn worst_single(&self) -> Option<&Hit> {
        self.hits.iter().find(|h| h.single && h.failure.len() == 1)
    }

    /// Whether a critical flow goes down under a failure set of single failures (one
    /// node, zone or region each): what `--deny down` refuses.
    pub fn critical_down(&self) -> bool {
        self.hits
            .iter()
            .filter(|h| h.single)
            .any(|h| h.downs().any(|i| self.judged[i].critical))
    }
}

/// Sweeps every single failure (`depth` 1) or pairs as well (`depth` 2).
pub fn sweep(model: &Model, facts: &Facts, depth: u8) -> Result<Sweep, Refusal> {
    let candidates = candidates(model, facts);
    let base = Estimates::new(model, facts);
    let judged_kind = if model.flows.is_empty() {
        Judged::FlowsAndClients
    } else {
        Judged::Flows
    };
    let judged = judgeables(model, &base, judged_kind);
    let dependencies = Dependencies::new(model, facts);
    let judge = |failure: Vec<Candidate>| -> Option<Hit> {
        let outcomes = judge_set(model, facts, &base, &failure, (judged_kind, &dependencies));
        let single = failure.iter().all(|c| c.is_single(facts));
        hit(failure, outcomes, &judged).map(|h| Hit { single, ..h })
    };
    let mut hits: Vec<Hit> = candidates.iter().filter_map(|&c| judge(vec![c])).collect();
    let mut judged_sets = candidates.len();
    if depth >= 2 {
        let pairs = candidates.len() * candidates.len().saturating_sub(1) / 2;
        if pairs > MAX_PAIRS {
            return Err(Refusal::TooManyPairs(pairs));
        }
        judged_sets += pairs;
        let singles: HashMap<Candidate, Vec<usize>> = hits
            .iter()
            .map(|h| (h.failure[0], h.downs().collect()))
            .collect();
        for (i, &a) in candidates.iter().enumerate() {
            for &b in &candidates[i + 1..] {
                if let Some(mut pair) = judge(vec![a, b]) {
                    // Minimal only: a flow either failure takes down alone is not the
                    // pair's doing.
                    let alone = |c: &Candidate, flow: usize| {
                        singles.get(c).is_some_and(|downs| downs.contains(&flow))
                    };
                    pair.outcomes.retain(|(flow, outcome)| {
                        !matches!(outcome, Outcome::Down(_))
                            || !(alone(&a, *flow) || alone(&b, *flow))
                    });
                    pair.outcomes.retain(|(_, o)| matches!(o, Outcome::Down(_)));
                    if !pair.outcomes.is_empty() {
                        totals(&mut pair, &judged);
                        hits.push(pair);
                    }
                }
            }
        }
    }
    hits.sort_by(|a, b| {
        let key = |h: &Hit| {
            let downs = h.downs().count();
            (downs, h.outcomes.len() - downs)
        };
        key(b)
            .cmp(&key(a))
            .then(b.down_traffic.total_cmp(&a.down_traffic))
            .then(b.degraded_traffic.total_cmp(&a.degraded_traffic))
            .then(a.failure.len().cmp(&b.failure.len()))
            .then(a.failure.cmp(&b.failure))
    });
    Ok(Sweep {
        depth,
        judged_sets,
        judged,
        hits,
    })
}

/// Every component but clients whole, one copy of each replicated one, every zone and
/// region, every pair of regions.
fn candidates(model: &Model, facts: &Facts) -> Vec<Candidate> {
    let components = model
        .graph
        .node_indices()
        .filter(|&id| model.component(id).kind != Kind::Client)
        .flat_map(|id| {
            let copies = matches!(facts.redundancy[id.index()], Redundancy::Copies(n) if n > 1);
            std::iter::once(Candidate::Component(id))
                .chain(copies.then_some(Candidate::Replica(id)))
        });
    let groups: Vec<GroupId> = (0..model.groups.len())
        .filter(|&g| matches!(model.groups[g].kind, GroupKind::Zone | GroupKind::Region))
        .collect();
    let regions: Vec<GroupId> = groups
        .iter()
        .copied()
        .filter(|&g| model.groups[g].kind == GroupKind::Region)
        .collect();
    let partitions = regions.iter().enumerate().flat_map(|(i, &a)| {
        regions[i + 1..]
            .iter()
            .map(move |&b| Candidate::Partition(a, b))
    });
    components
        .chain(groups.into_iter().map(Candidate::Group))
        .chain(partitions)
        .collect()
}

fn judgeables(model: &Model, base: &Estimates, judged: Judged) -> Vec<Judgeable> {
    // All the traffic that starts somewhere: the clients', and the flows a scheduled
    // worker starts (which no client's rate counts), so that shares stay within 100%.
    let clients: f64 = model
        .graph
        .node_indices()
        .filter(|&id| model.component(id).kind == Kind::Client)
        .filter_map(|id| base.components[id.index()].inbound.map(|r| r.peak))
        .sum();
    let scheduled: f64 = (model.flows.iter().zip(&base.flows))
        .filter(|(flow, _)| model.component(flow.start).kind != Kind::Client)
        .filter_map(|(_, estimate)| estimate.rate.map(|r| r.peak))
        .sum();
    let total = clients + scheduled;
    let share = |rate: Option<f64>| match rate {
        Some(rate) if total > 0.0 => rate / total,
        _ => 0.0,
    };
    let mut all: Vec<Judgeable> = model
        .flows
        .iter()
        .enumerate()
        .map(|(index, flow)| Judgeable {
            flow: Some(index),
            client: flow.start,
            name: flow.id.clone(),
            critical: flow.attrs.bool(attr::CRITICAL) == Some(true),
            traffic: share(base.flows[index].rate.map(|r| r.peak)),
        })
        .collect();
    if judged == Judged::FlowsAndClients {
        for id in model.graph.node_indices() {
            if model.component(id).kind == Kind::Client
                && !model.flows.iter().any(|f| f.start == id)
            {
                all.push(Judgeable {
                    flow: None,
                    client: id,
                    name: model.component(id).id.clone(),
                    critical: false,
                    traffic: share(base.components[id.index()].inbound.map(|r| r.peak)),
                });
            }
        }
    }
    all
}

/// The scenario a failure set stands for.
fn scenario(failure: &[Candidate]) -> Scenario {
    let nowhere = hld_syntax::source::Span::new(hld_syntax::source::FileId(0), 0, 0);
    let mut scenario = Scenario {
        id: "sweep".to_string(),
        label: None,
        fail: Vec::new(),
        partition: None,
        attrs: Default::default(),
        span: nowhere,
        id_span: nowhere,
    };
    for candidate in failure {
        match *candidate {
            Candidate::Component(id) => scenario.fail.push(Place::Component(id)),
            Candidate::Replica(_) => {}
            Candidate::Group(g) => scenario.fail.push(Place::Group(g)),
            Candidate::Partition(a, b) => {
                scenario.partition = Some((Place::Group(a), Place::Group(b)))
            }
        }
    }
    scenario
}

fn judge_set(
    model: &Model,
    facts: &Facts,
    base: &Estimates,
    failure: &[Candidate],
    (judged, dependencies): (Judged, &Dependencies),
) -> Vec<FlowOutcome> {
    let scenario = scenario(failure);
    let (mut outage, mut state) = outage_and_state(model, facts, &scenario);
    for candidate in failure {
        if let Candidate::Replica(id) = *candidate
            && let Redundancy::Copies(members) = facts.redundancy[id.index()]
        {
            let component = model.component(id);
            outage.lost[id.index()] += 1;
            state[id.index()] = survives_losing(component, members, outage.lost[id.index()]);
            outage.down[id.index()] = matches!(state[id.index()], State::Down(_));
        }
    }
    let over = over_capacity(model, facts, base, &outage);
    let harmless = over.is_empty()
        && !outage.down.iter().chain(&outage.cut).any(|&b| b)
        && state.iter().all(|s| *s == State::Up);
    if harmless {
        // A copy lost with room to spare: nothing to judge.
        return Vec::new();
    }
    outcomes(
        model,
        facts,
        (&outage, &state),
        &over,
        (judged, Some(dependencies)),
    )
}

fn hit(failure: Vec<Candidate>, outcomes: Vec<FlowOutcome>, judged: &[Judgeable]) -> Option<Hit> {
    let outcomes: Vec<(usize, Outcome)> = outcomes
        .into_iter()
        .enumerate()
        .filter(|(_, o)| o.outcome != Outcome::Ok)
        .map(|(i, o)| (i, o.outcome))
        .collect();
    if outcomes.is_empty() {
        return None;
    }
    let mut hit = Hit {
        single: false,
        failure,
        outcomes,
        down_traffic: 0.0,
        degraded_traffic: 0.0,
    };
    totals(&mut hit, judged);
    Some(hit)
}

fn totals(hit: &mut Hit, judged: &[Judgeable]) {
    (hit.down_traffic, hit.degraded_traffic) = (0.0, 0.0);
    for (index, outcome) in &hit.outcomes {
        match outcome {
            Outcome::Down(_) => hit.down_traffic += judged[*index].traffic,
            _ => hit.degraded_traffic += judged[*index].traffic,
        }
    }
}

/// The survivors over capacity, from the load that moves near the failure: a router's
/// share for its failed alternatives goes to the others, lost replicas take their
/// capacity with them, a failed cache's hits go to the store it caches.
fn over_capacity(
    model: &Model,
    facts: &Facts,
    base: &Estimates,
    outage: &Outage,
) -> HashMap<ComponentId, f64> {
    let mut extra: HashMap<ComponentId, f64> = HashMap::new();
    let mut touched: Vec<ComponentId> = Vec::new();
    for id in model.graph.node_indices() {
        if outage.down[id.index()] {
            moved_load(model, facts, base, outage, id, &mut extra);
        } else if outage.lost[id.index()] > 0 {
            touched.push(id);
        }
    }
    touched.extend(extra.keys().copied());
    touched.sort();
    touched.dedup();
    touched
        .into_iter()
        .filter(|id| !outage.down[id.index()])
        .filter_map(|id| {
            let extra = extra.get(&id).copied().unwrap_or(0.0);
            let utilization = survivor_utilization(model, facts, base, outage, id, extra)?;
            (utilization > 1.0).then_some((id, utilization))
        })
        .collect()
}

/// A survivor's utilization with `extra` requests a second moved to it and its lost
/// copies gone, by the estimate's own capacity rules: a store's followers serve reads
/// only when it reads from them, so losing one takes no write capacity (and no read
/// capacity from a store read at its leader); other components lose each copy's share.
fn survivor_utilization(
    model: &Model,
    facts: &Facts,
    base: &Estimates,
    outage: &Outage,
    id: ComponentId,
    extra: f64,
) -> Option<f64> {
    let estimate = &base.components[id.index()];
    let component = model.component(id);
    let lost = outage.lost[id.index()];
    if store::is_store(component.kind) {
        let managed = facts.redundancy[id.index()] == Redundancy::Managed;
        let kept = store::capacities(component, managed, lost)?;
        // What moves to a store is a failed cache's hits: reads.
        let reads = estimate.load.reads.peak + extra;
        return Some(
            reads / kept.read.max(1e-12) + estimate.load.writes.peak / kept.write.max(1e-12),
        );
    }
    let capacity = estimate.capacity.as_ref()?.value;
    let load = estimate.inbound?.peak + extra;
    let kept = match facts.redundancy[id.index()] {
        Redundancy::Copies(n) if n > 0 => n.saturating_sub(lost) as f64 / n as f64,
        _ => 1.0,
    };
    Some(load / (capacity * kept).max(1e-12))
}

/// Where a failed component's requests go instead.
fn moved_load(
    model: &Model,
    facts: &Facts,
    base: &Estimates,
    outage: &Outage,
    failed: ComponentId,
    extra: &mut HashMap<ComponentId, f64>,
) {
    for edge in model.graph.edges_directed(failed, Direction::Incoming) {
        let router = edge.source();
        if !model.component(router).kind.balances() {
            continue;
        }
        let rate = base.links[edge.id().index()].rate.map_or(0.0, |r| r.peak);
        let alive: Vec<ComponentId> = facts
            .alternative_set(model, router, failed)
            .into_iter()
            .filter(|a| !outage.down[a.index()])
            .collect();
        for survivor in &alive {
            *extra.entry(*survivor).or_default() += rate / alive.len() as f64;
        }
    }
    let cache = model.component(failed);
    if cache.kind != Kind::Cache {
        return;
    }
    let Some(store) = cache.attrs.symbol(attr::CACHES).and_then(|s| model.find(s)) else {
        return;
    };
    let hits = cache
        .attrs
        .number(attr::HIT_RATIO)
        .unwrap_or(CACHE_HIT_RATIO);
    let reads = base.components[failed.index()].load.reads.peak;
    *extra.entry(store).or_default() += reads * hits;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_APIS: &str = r#"
client users { rate: 1000/s }
lb front
service api_a { capacity: 800/s }
service api_b { capacity: 800/s }
database db { capacity: 5000/s }
users -> front
front -> api_a -> db
front -> api_b -> db
flow read { critical: true
  users -> front -> api_a -> db
}
"#;

    fn swept(text: &str, depth: u8) -> (hld_model::Compilation, Sweep) {
        let compilation = crate::compile("test.hld", text.as_bytes().to_vec());
        assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
        let facts = Facts::new(&compilation.model);
        let sweep = sweep(&compilation.model, &facts, depth).unwrap();
        (compilation, sweep)
    }

    fn names(model: &Model, sets: Vec<&[Candidate]>) -> Vec<String> {
        sets.iter()
            .map(|s| {
                s.iter()
                    .map(|c| c.name(model))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect()
    }

    #[test]
    fn a_single_point_of_failure_ranks_first_and_a_lost_alternative_overloads_the_other() {
        let (c, sweep) = swept(TWO_APIS, 1);
        let model = &c.model;
        assert_eq!(sweep.judged_sets, 4);
        assert_eq!(names(model, sweep.downed_by(0)), ["`front`", "`db`"]);
        // 1,000/s on one api of 800/s.
        assert_eq!(names(model, sweep.degraded_by(0)), ["`api_a`", "`api_b`"]);
        let Outcome::Degraded(why) = &sweep.hits[2].outcomes[0].1 else {
            panic!("{:?}", sweep.hits[2]);
        };
        assert!(
            why.join("; ").contains("over capacity (`api_b` at 125%)"),
            "{}",
            why.join("; ")
        );
        assert!(sweep.critical_down());
        assert_eq!(sweep.hits[0].down_traffic, 1.0);
        assert!(sweep.hits.iter().all(|h| h.single));
    }

    #[test]
    fn a_lost_follower_of_a_store_read_at_its_leader_takes_no_capacity() {
        // The writes go to the leader: 3.6k/s of a Postgres leader's capacity, with or
        // without one follower (`hld what-if --fail az_a` agrees: ok). A flow that never
        // reaches the store is not degraded by it either.
        let (c, sweep) = swept(
            "client users { rate: 4.6k/s }
service api { replicas: 3, zones: 3 }
service other { replicas: 3, zones: 3 }
database store {
  engine: postgres
  replication: leader_follower(mode: semi_sync, followers: 2, failover: automatic)
  zones: 3
}
zone az_a { }
users -> api { rate: 3.6k/s }
users -> other { rate: 1k/s }
api -> store { ops: write, timeout: 1s }
flow w { rate: 3.6k/s
  users -> api -> store
}
flow o { rate: 1k/s
  users -> other
}",
            1,
        );
        let model = &c.model;
        assert!(
            sweep.degraded_by(0).is_empty(),
            "{:?}",
            names(model, sweep.degraded_by(0))
        );
        assert!(
            sweep.degraded_by(1).is_empty(),
            "{:?}",
            names(model, sweep.degraded_by(1))
        );
        assert!(sweep.worst_single().is_none());
    }

    #[test]
    fn an_overloaded_store_degrades_only_the_flows_that_reach_it() {
        // The cache lost, its hits go to the store (1k/s of 500/s): `read` reaches the
        // store and is degraded; `ping` stops at the api, which also calls the store for
        // other requests, and is not.
        let (c, sweep) = swept(
            "client users { rate: 2k/s }
service api { replicas: 2 }
cache hot { engine: redis, replicas: 2, caches: db, hit_ratio: 90% }
database db { engine: postgres, replicas: 2, capacity: 500/s }
users -> api
api -> hot { ops: read }
api -> db { ops: read, ratio: 10% }
flow read { share: 50%
  users -> api -> hot
  api -> db { ratio: 10% }
}
flow ping { share: 50%
  users -> api
}",
            1,
        );
        let model = &c.model;
        assert_eq!(names(model, sweep.degraded_by(0)), ["`hot`", "`db`"]);
        assert!(
            sweep.degraded_by(1).is_empty(),
            "{:?}",
            names(model, sweep.degraded_by(1))
        );
    }

    #[test]
    fn a_scheduled_workers_flow_counts_in_the_whole_so_shares_stay_within_it() {
        // 100/s from users, 300/s from a cron worker: losing the store takes both down,
        // all the traffic there is, and no more.
        let (_, sweep) = swept(
            "client users { rate: 100/s }
service api { replicas: 2 }
worker cron { mode: batch, schedule: \"* * * * *\", replicas: 2 }
database db { engine: postgres, replicas: 2, capacity: 10k/s }
users -> api
api -> db { ops: read }
cron -> db { ops: write, rate: 300/s }
flow read { users -> api -> db }
flow sweep_up { rate: 300/s
  cron -> db
}",
            1,
        );
        let worst = sweep
            .hits
            .iter()
            .map(|h| h.down_traffic + h.degraded_traffic)
            .fold(0.0, f64::max);
        assert!((worst - 1.0).abs() < 1e-9, "{worst}");
    }

    #[test]
    fn pairs_are_listed_only_where_neither_failure_alone_takes_the_flow_down() {
        let (c, sweep) = swept(TWO_APIS, 2);
        let downs = names(&c.model, sweep.downed_by(0));
        assert_eq!(downs, ["`front`", "`db`", "`api_a` + `api_b`"]);
        assert_eq!(sweep.judged_sets, 4 + 6);
    }

    #[test]
    fn zones_regions_and_partitions_between_regions_are_swept() {
        let text = r#"
client users { rate: 10/s }
dns geo
region us { zone us_a { service api_us } }
region eu { service api_eu }
database orders { replication: consensus(n: 3), zones: 3 }
users -> geo
geo -> api_us -> orders
geo -> api_eu -> orders
"#;
        let (c, sweep) = swept(text, 1);
        let model = &c.model;
        let all: Vec<String> = candidates(model, &Facts::new(model))
            .into_iter()
            .map(|c| c.name(model))
            .collect();
        let expected = [
            "region `us`",
            "zone `us_a`",
            "region `eu`",
            "`us` | `eu`",
            "`orders`",
            "a copy of `orders`",
        ];
        for expected in expected {
            assert!(all.contains(&expected.to_string()), "{all:?}");
        }
        // The geo dns still has the other region: no region alone takes users down.
        assert!(
            sweep
                .hits
                .iter()
                .filter(|h| matches!(h.failure[0], Candidate::Group(_)))
                .all(|h| h.downs().next().is_none())
        );
    }

    #[test]
    fn too_many_pairs_are_refused() {
        let mut text = String::from("client u { rate: 1/s }\n");
        for i in 0..700 {
            text.push_str(&format!("service s{i}\nu -> s{i}\n"));
        }
        let compilation = crate::compile("t.hld", text.into_bytes());
        let facts = Facts::new(&compilation.model);
        assert!(matches!(
            sweep(&compilation.model, &facts, 2),
            Err(Refusal::TooManyPairs(244_650))
        ));
    }
}
