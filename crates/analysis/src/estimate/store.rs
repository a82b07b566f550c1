//! The data tier (docs/estimates.md, "Stores"): a store's read and write capacity by its
//! replication, its read and write availability by its protocol, the writes a failover
//! loses, the time a restore takes, and the load on its hottest partition.
//!
//! Every copy applies every write, so only shards add write capacity; reads are served
//! by the copies the store reads from. A leader's failure costs writes until a follower
//! is promoted; a quorum needs enough copies up at once; shards never multiply
//! availability (a request needs the one shard its key lives on).

use super::{Estimates, Figure, human_duration, human_rate, percent, shards};
use hld_model::{Component, ComponentId, Kind, Value};
use hld_model::{attr, call, param, values};

/// Time to repair one failed node when the design does not say (`mttr`).
pub const MTTR: f64 = 3600.0;
/// Time to promote a follower automatically when neither the design nor the engine says.
pub const AUTOMATIC_FAILOVER: f64 = 30.0;
/// Time for someone to be paged and promote a follower by hand.
pub const MANUAL_FAILOVER: f64 = 1800.0;
/// Replication lag of asynchronous followers when the design does not say (`lag`).
pub const LAG: f64 = 1.0;
/// Bytes per second one shard restores from its backup (`restore_rate`: 100 MB/s).
pub const RESTORE_RATE: f64 = 100e6;

/// The components whose capacity is split into reads and writes.
pub fn is_store(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Database | Kind::Cache | Kind::Search | Kind::Blob
    )
}

/// How a store's copies follow each other.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scheme {
    /// One copy (`replication: none`).
    Single,
    LeaderFollower {
        followers: u64,
        asynchronous: bool,
        failover: Failover,
    },
    Consensus {
        n: u64,
    },
    Leaderless {
        n: u64,
        w: u64,
        r: u64,
        sloppy: bool,
    },
    MultiLeader {
        leaders: u64,
    },
    /// Copies whose protocol nothing states (`replicas` without `replication`, or a
    /// replication factor on an engine without a known scheme): any copy serves.
    Copies(u64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Failover {
    /// `stated`: the design wrote `failover: automatic` (else it is assumed).
    Automatic {
        stated: bool,
    },
    Manual,
}

/// The store's replication as a [`Scheme`]: its `replication` call, or a replication
/// factor read by its engine's scheme, else its `replicas`.
pub fn scheme(component: &Component) -> Scheme {
    match component.attrs.get(attr::REPLICATION) {
        Some(Value::Call(c)) => {
            let count = |p, default| c.arg(p).and_then(Value::as_count).unwrap_or(default);
            match c.name {
                call::Name::LeaderFollower => Scheme::LeaderFollower {
                    followers: count(param::FOLLOWERS, 1),
                    asynchronous: c
                        .arg_value::<values::mode::Value>()
                        .is_none_or(|m| m == values::mode::Value::Async),
                    failover: match c.arg_value() {
                        Some(values::failover::Value::Manual) => Failover::Manual,
                        Some(values::failover::Value::Automatic) => {
                            Failover::Automatic { stated: true }
                        }
                        None => Failover::Automatic { stated: false },
                    },
                },
                call::Name::Consensus => Scheme::Consensus {
                    n: count(param::N, 1),
                },
                call::Name::Leaderless => Scheme::Leaderless {
                    n: count(param::N, 1),
                    w: count(param::W, 1),
                    r: count(param::R, 1),
                    sloppy: c.arg(param::SLOPPY).and_then(Value::as_bool) == Some(true),
                },
                call::Name::MultiLeader => Scheme::MultiLeader {
                    leaders: count(param::LEADERS, 2),
                },
                _ => Scheme::Single,
            }
        }
        Some(value) if value.bare_call() == Some(call::Name::None) => Scheme::Single,
        Some(Value::Count(n)) => by_engine(component, *n),
        _ => Scheme::Copies(component.replicas()),
    }
}

/// A replication factor under the engine's own scheme.
fn by_engine(component: &Component, n: u64) -> Scheme {
    let n = n.max(1);
    match component.profile.and_then(|p| p.replication_scheme()) {
        _ if n == 1 => Scheme::Single,
        Some(call::Name::LeaderFollower) => Scheme::LeaderFollower {
            followers: n - 1,
            asynchronous: true,
            failover: Failover::Automatic { stated: false },
        },
        Some(call::Name::Consensus) => Scheme::Consensus { n },
        Some(call::Name::Leaderless) => {
            // The engine's default consistency level: quorums when it is strong, one copy
            // otherwise (Cassandra's ONE).
            let engine = component.profile.and_then(|p| p.default_value());
            let quorum = if engine == Some(values::consistency::Value::Strong) {
                n / 2 + 1
            } else {
                1
            };
            Scheme::Leaderless {
                n,
                w: quorum,
                r: quorum,
                sloppy: false,
            }
        }
        _ => Scheme::Copies(n),
    }
}

impl Scheme {
    /// Per shard: the copies that serve reads, and how many of them one read needs.
    fn read_copies(self, from_followers: bool) -> (u64, u64) {
        match self {
            Scheme::Single => (1, 1),
            Scheme::LeaderFollower { followers, .. } if from_followers => (1 + followers, 1),
            Scheme::Consensus { n } if from_followers => (n, 1),
            Scheme::LeaderFollower { .. } | Scheme::Consensus { .. } => (1, 1),
            Scheme::Leaderless { n, r, .. } => (n, r.clamp(1, n.max(1))),
            Scheme::MultiLeader { leaders } => (leaders, 1),
            Scheme::Copies(n) => (n.max(1), 1),
        }
    }

    /// Whether the protocol decides availability (a stated replication scheme).
    fn has_protocol(self) -> bool {
        !matches!(self, Scheme::Single | Scheme::Copies(_))
    }
}

/// A replication factor (`replication: 3`) read by the engine's scheme: the design says
/// how many copies, its engine how they follow each other.
pub fn scheme_from_engine(component: &Component) -> bool {
    matches!(component.attrs.get(attr::REPLICATION), Some(Value::Count(n)) if *n > 1)
        && matches!(
            component.profile.and_then(|p| p.replication_scheme()),
            Some(call::Name::LeaderFollower | call::Name::Consensus | call::Name::Leaderless)
        )
}

/// A leader-based store that does not say where it reads: it reads from the leader.
pub fn reads_from_leader_by_default(component: &Component) -> bool {
    is_store(component.kind)
        && component.attrs.get(attr::READ_FROM).is_none()
        && matches!(
            scheme(component),
            Scheme::LeaderFollower { .. } | Scheme::Consensus { .. }
        )
}

/// Reads go to followers (or the nearest copy): the store's `read_from`.
fn reads_followers(component: &Component) -> bool {
    matches!(
        component.attrs.value(),
        Some(values::read_from::Value::Followers | values::read_from::Value::Nearest)
    )
}

/// One node's read and write capacity: `capacity` and `write_capacity`, else the
/// profile's (a profile's write figure never above a stated read capacity), else the
/// read capacity.
fn node_capacities(component: &Component) -> Option<(f64, f64)> {
    let stated = component.attrs.number(attr::CAPACITY);
    let read = stated.or_else(|| component.profile.and_then(|p| p.capacity))?;
    let write = component
        .attrs
        .number(attr::WRITE_CAPACITY)
        .or_else(|| {
            let profile = component.profile.and_then(|p| p.write_capacity)?;
            Some(stated.map_or(profile, |s| profile.min(s)))
        })
        .unwrap_or(read);
    Some((read, write))
}

/// A store's read and write capacity, and what they were computed from: the formulas
/// are written on request (`--explain`), as formatting them for every store of a large
/// design was most of the v3 estimate's cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Capacities {
    pub read: f64,
    pub write: f64,
    terms: CapacityTerms,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CapacityTerms {
    /// Self-run nodes: shards × serving copies × a node's reads ÷ copies per read;
    /// shards × a node's writes.
    Nodes {
        shards: u64,
        serving: u64,
        per_read: u64,
        node_read: f64,
        node_write: f64,
    },
    /// A managed store's stated capacity (× shards).
    Stated { shards: u64, read: f64, write: f64 },
    /// A provisioned stream's partitions × the per-partition limits.
    Partitions {
        partitions: u64,
        read: f64,
        write: f64,
    },
}

impl Capacities {
    /// `2 shards × 3 copies serving × 50k/s reads per node ÷ 2 copies per read`.
    pub fn read_formula(&self) -> String {
        match self.terms {
            CapacityTerms::Nodes {
                shards,
                serving,
                per_read,
                node_read,
                ..
            } => product(shards, Some(serving), node_read, per_read, "read"),
            CapacityTerms::Stated { shards, read, .. } => product(shards, None, read, 1, "request"),
            CapacityTerms::Partitions {
                partitions, read, ..
            } => per_partition(partitions, read, "read"),
        }
    }

    /// `2 shards × 5k/s writes per node`.
    pub fn write_formula(&self) -> String {
        match self.terms {
            CapacityTerms::Nodes {
                shards, node_write, ..
            } => product(shards, None, node_write, 1, "write"),
            CapacityTerms::Stated { shards, write, .. } => {
                product(shards, None, write, 1, "request")
            }
            CapacityTerms::Partitions {
                partitions, write, ..
            } => per_partition(partitions, write, "write"),
        }
    }

    /// One shard's (or partition's) read and write capacity.
    pub fn per_shard(&self) -> (f64, f64) {
        let parts = match self.terms {
            CapacityTerms::Nodes { shards, .. } | CapacityTerms::Stated { shards, .. } => shards,
            CapacityTerms::Partitions { partitions, .. } => partitions,
        }
        .max(1) as f64;
        (self.read / parts, self.write / parts)
    }
}

/// `3 shards × 1 copy serving × 10k/s reads per node`, leaving out shards of one.
fn product(shards: u64, serving: Option<u64>, per: f64, divisor: u64, what: &str) -> String {
    let mut text = String::new();
    if shards > 1 {
        text.push_str(&format!("{shards} shards × "));
    }
    if let Some(copies) = serving {
        let plural = if copies == 1 { "y" } else { "ies" };
        text.push_str(&format!("{copies} cop{plural} serving × "));
    }
    text.push_str(&format!("{} {what}s per node", human_rate(per)));
    if divisor > 1 {
        text.push_str(&format!(" ÷ {divisor} copies per read"));
    }
    text
}

/// `4 partitions × 1k/s writes per partition`.
fn per_partition(partitions: u64, per: f64, what: &str) -> String {
    format!(
        "{partitions} partition{} × {} {what}s per partition",
        if partitions == 1 { "" } else { "s" },
        human_rate(per)
    )
}

/// A store's read and write capacity (docs/estimates.md, "Reads and writes have
/// separate capacities"); `None` when unlimited or unknown. `lost` copies are down.
pub fn capacities(component: &Component, managed: bool, lost: u64) -> Option<Capacities> {
    let shards = shards(component);
    if managed {
        // A managed store has no aggregate limit unless the design writes one.
        let read = component.attrs.number(attr::CAPACITY)?;
        let write = component.attrs.number(attr::WRITE_CAPACITY).unwrap_or(read);
        return Some(Capacities {
            read: read * shards as f64,
            write: write * shards as f64,
            terms: CapacityTerms::Stated {
                shards,
                read,
                write,
            },
        });
    }
    let (node_read, node_write) = node_capacities(component)?;
    let (serving, per_read) = scheme(component).read_copies(reads_followers(component));
    let serving = if serving > 1 {
        serving.saturating_sub(lost).max(1)
    } else {
        serving
    };
    Some(Capacities {
        read: shards as f64 * serving as f64 * node_read / per_read as f64,
        write: shards as f64 * node_write,
        terms: CapacityTerms::Nodes {
            shards,
            serving,
            per_read,
            node_read,
            node_write,
        },
    })
}

/// A provisioned log or stream (Kinesis): its partitions × the engine's per-partition
/// limits (`None` when the engine states none). With `payload` (the mean write size) a
/// partition also takes no more than its bandwidth's worth of writes (Kinesis: 1,000
/// records or 1 MB a second, whichever binds).
pub fn provisioned(component: &Component, payload: Option<f64>) -> Option<Capacities> {
    let profile = component.profile?;
    // Only a stream provisioned by its partitions (its order is per partition) has an
    // aggregate limit; a broker's per-partition figure (an SQS FIFO message group)
    // limits one key, not the queue.
    if profile.default_value() != Some(values::ordering::Value::Partition) {
        return None;
    }
    let records = profile.partition_write_capacity?;
    // `partition_bandwidth` is a bandwidth, read in bits per second.
    let write = match (profile.partition_bandwidth, payload) {
        (Some(bits), Some(bytes)) if bytes > 0.0 => records.min(bits / 8.0 / bytes),
        _ => records,
    };
    let read = profile.partition_read_capacity.unwrap_or(write);
    let partitions = component.attrs.count(attr::PARTITIONS).unwrap_or(1);
    Some(Capacities {
        read: partitions as f64 * read,
        write: partitions as f64 * write,
        terms: CapacityTerms::Partitions {
            partitions,
            read,
            write,
        },
    })
}

/// P(at least `k` of `n` independent copies up), each up with probability `a`; computed
/// as 1 − P(fewer than k up) so that the nines survive.
pub fn at_least(k: u64, n: u64, a: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if a >= 1.0 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let (ln_up, ln_down) = (a.ln(), (1.0 - a).ln());
    // ln C(n, j), built term by term.
    let mut ln_choose = 0.0f64;
    let mut fewer = 0.0f64;
    for j in 0..k {
        if j > 0 {
            ln_choose += ((n - j + 1) as f64).ln() - (j as f64).ln();
        }
        fewer += (ln_choose + j as f64 * ln_up + (n - j) as f64 * ln_down).exp();
    }
    (1.0 - fewer).clamp(0.0, 1.0)
}

/// A store's availability for reads and for writes by its replication protocol
/// (docs/estimates.md, "Availability follows the replication protocol"), and what they
/// were computed from (the formulas are written on request).
#[derive(Clone, Debug, PartialEq)]
pub struct Protocol {
    pub read: f64,
    pub write: f64,
    /// The figures rest on the assumed automatic failover.
    pub assumed_failover: bool,
    /// One copy's availability.
    one: f64,
    read_terms: AvailabilityTerms,
    write_terms: AvailabilityTerms,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum AvailabilityTerms {
    /// 1 − (1 − a)^copies: any copy serves.
    Parallel(u64),
    /// P(at least k of n up); `sloppy`: of the whole store's nodes.
    Quorum { k: u64, n: u64, sloppy: bool },
    /// A leader's failure costs the time to promote a follower, out of the repair time.
    Failover { time: f64, mttr: f64 },
}

impl Protocol {
    pub fn read_formula(&self) -> String {
        self.formula(self.read_terms)
    }

    pub fn write_formula(&self) -> String {
        self.formula(self.write_terms)
    }

    fn formula(&self, terms: AvailabilityTerms) -> String {
        let one = percent(self.one);
        match terms {
            AvailabilityTerms::Parallel(copies) => format!("1 − (1 − {one})^{copies}"),
            AvailabilityTerms::Quorum { k, n, sloppy } => format!(
                "P(at least {k} of {n} copies up, each {one}){}",
                if sloppy {
                    " (sloppy: any nodes of the store)"
                } else {
                    ""
                }
            ),
            AvailabilityTerms::Failover { time, mttr } => format!(
                "1 − (1 − {one}) × min(1, {} failover ÷ {} mttr)",
                human_duration(time),
                human_duration(mttr)
            ),
        }
    }
}

/// `None` when the store states no protocol (v2's parallel rule over its copies applies).
pub fn protocol(component: &Component, one: f64) -> Option<Protocol> {
    let scheme = scheme(component);
    if !scheme.has_protocol() {
        return None;
    }
    let from_followers = reads_followers(component);
    let (read_terms, write_terms, assumed_failover) = match scheme {
        Scheme::LeaderFollower {
            followers,
            failover,
            ..
        } => {
            let (time, stated) = failover_time(component, failover);
            let write = AvailabilityTerms::Failover {
                time,
                mttr: mttr(component),
            };
            let read = if from_followers {
                AvailabilityTerms::Parallel(1 + followers)
            } else {
                write
            };
            (read, write, !stated)
        }
        Scheme::Consensus { n } => {
            let write = AvailabilityTerms::Quorum {
                k: n / 2 + 1,
                n,
                sloppy: false,
            };
            let read = if from_followers {
                AvailabilityTerms::Parallel(n)
            } else {
                write
            };
            (read, write, false)
        }
        Scheme::Leaderless { n, w, r, sloppy } => {
            // Hinted handoff: any w reachable nodes of the whole store take a write.
            let nodes = if sloppy {
                n.saturating_mul(shards(component))
            } else {
                n
            };
            let read = AvailabilityTerms::Quorum {
                k: r,
                n,
                sloppy: false,
            };
            let write = AvailabilityTerms::Quorum {
                k: w,
                n: nodes,
                sloppy,
            };
            (read, write, false)
        }
        Scheme::MultiLeader { leaders } => (
            AvailabilityTerms::Parallel(leaders),
            AvailabilityTerms::Parallel(leaders),
            false,
        ),
        Scheme::Single | Scheme::Copies(_) => return None,
    };
    let value = |terms: AvailabilityTerms| match terms {
        AvailabilityTerms::Parallel(copies) => {
            1.0 - (1.0 - one).powi(copies.min(i32::MAX as u64) as i32)
        }
        AvailabilityTerms::Quorum { k, n, .. } => at_least(k, n, one),
        AvailabilityTerms::Failover { time, mttr } => 1.0 - (1.0 - one) * (time / mttr).min(1.0),
    };
    Some(Protocol {
        read: value(read_terms),
        write: value(write_terms),
        assumed_failover,
        one,
        read_terms,
        write_terms,
    })
}

/// `mttr`, else an hour.
pub fn mttr(component: &Component) -> f64 {
    component.attrs.number(attr::MTTR).unwrap_or(MTTR)
}

/// Seconds to promote a follower, and whether the design or its engine says so.
fn failover_time(component: &Component, failover: Failover) -> (f64, bool) {
    if let Some(time) = component.attrs.number(attr::FAILOVER_TIME) {
        return (time, true);
    }
    match failover {
        Failover::Manual => (MANUAL_FAILOVER, true),
        Failover::Automatic { stated } => match component.profile.and_then(|p| p.failover_time) {
            Some(time) => (time, stated),
            None => (AUTOMATIC_FAILOVER, false),
        },
    }
}

/// Writes an automatic failover over asynchronous replication drops: the peak write
/// rate of one shard (each shard has its own leader; one fails over at a time) × the
/// replication lag (docs/estimates.md, "What a failover loses").
pub fn lost_writes(component: &Component, peak_writes: f64) -> Option<Figure> {
    let Scheme::LeaderFollower {
        asynchronous: true,
        failover: Failover::Automatic { stated: true },
        ..
    } = scheme(component)
    else {
        return None;
    };
    if peak_writes <= 0.0 {
        return None;
    }
    let lag = component.attrs.number(attr::LAG).unwrap_or(LAG);
    let shards = shards(component);
    let per_leader = peak_writes / shards as f64;
    let writes = if shards > 1 {
        format!("{} writes ÷ {shards} shards", human_rate(peak_writes))
    } else {
        format!("{} writes", human_rate(peak_writes))
    };
    Some(Figure {
        value: per_leader * lag,
        formula: format!("{writes} × {} replication lag", human_duration(lag)),
    })
}

/// The load on a store's hottest partition (docs/estimates.md, "Hot keys").
#[derive(Clone, Debug, PartialEq)]
pub struct HotPartition {
    pub reads: f64,
    pub writes: f64,
    /// Reads plus writes per second on the hottest partition.
    pub rate: f64,
    /// What one partition serves at this mix; `None` when no partition limit is known.
    pub capacity: Option<f64>,
    pub read_capacity: Option<f64>,
    pub write_capacity: Option<f64>,
    /// Reads over one partition's read capacity plus writes over its write capacity.
    pub utilization: Option<f64>,
    /// Each side's load against one partition's capacity, in words.
    pub limits: String,
    pub formula: String,
}

/// The partitions a store's keys spread over: its shards, a queue's partitions; `None`
/// for a managed store, whose partition count the provider decides (a provisioned
/// stream's are its `partitions`).
fn partitions(component: &Component, managed: bool) -> Option<u64> {
    let provisioned = component.kind == Kind::Queue
        && component.profile.and_then(|p| p.default_value())
            == Some(values::ordering::Value::Partition);
    if managed && !provisioned {
        return None;
    }
    Some(if component.kind == Kind::Queue {
        component.attrs.count(attr::PARTITIONS).unwrap_or(1)
    } else {
        shards(component)
    })
}

impl Estimates {
    /// The hottest partition of a store whose links (or itself) state `hot_key`: each
    /// link puts P × its rate on the hot key's partition and spreads the rest evenly,
    /// P' = (1 − P) ÷ partitions (a managed store's partitions are unknown: only the hot
    /// share counts).
    pub(super) fn hot_partition(
        &mut self,
        model: &hld_model::Model,
        component: &Component,
        id: ComponentId,
        managed: bool,
    ) {
        use petgraph::Direction;
        use petgraph::visit::EdgeRef;
        let store_share = component.attrs.number(attr::HOT_KEY);
        let partitions = partitions(component, managed);
        // One partition holds every key: its load is the store's, which capacity covers.
        if partitions == Some(1) {
            return;
        }
        let mut stated = false;
        let (mut reads, mut writes) = (0.0, 0.0);
        let mut terms = Vec::new();
        for edge in model.graph.edges_directed(id, Direction::Incoming) {
            let load = self.links[edge.id().index()].load;
            let (r, w) = (load.reads.peak, load.writes.peak);
            if r + w <= 0.0 {
                continue;
            }
            let share = model
                .link(edge.id())
                .attrs
                .number(attr::HOT_KEY)
                .or(store_share);
            stated |= share.is_some();
            let p = share.unwrap_or(0.0);
            let on_hottest = |rate: f64| match partitions {
                Some(n) => p * rate + (1.0 - p) * rate / n as f64,
                None => p * rate,
            };
            reads += on_hottest(r);
            writes += on_hottest(w);
            if p > 0.0 {
                terms.push(format!("{} × {}", percent(p), human_rate(r + w)));
            }
        }
        if !stated {
            return;
        }
        let per_shard = self.components[id.index()]
            .capacities
            .as_ref()
            .map(Capacities::per_shard);
        let profile = component.profile;
        let (read_capacity, write_capacity) = if managed {
            (
                profile.and_then(|p| p.partition_read_capacity),
                profile.and_then(|p| p.partition_write_capacity),
            )
        } else {
            per_shard.unzip()
        };
        let part = |load: f64, capacity: Option<f64>| match capacity {
            _ if load <= 0.0 => Some(0.0),
            Some(c) => Some(load / c),
            None => None,
        };
        let utilization = match (part(reads, read_capacity), part(writes, write_capacity)) {
            (Some(r), Some(w)) => Some(r + w),
            _ => None,
        };
        let rate = reads + writes;
        let spread = match partitions {
            Some(n) if n > 1 => format!(", the rest spread over {n} partitions"),
            Some(_) => String::new(),
            None => ", the rest spread over partitions the provider adds".to_string(),
        };
        let limits = [
            ("reads", reads, read_capacity),
            ("writes", writes, write_capacity),
        ]
        .iter()
        .filter(|(_, load, _)| *load > 0.0)
        .map(|(name, load, capacity)| match capacity {
            Some(c) => format!(
                "{} {name} of {} one partition serves",
                human_rate(*load),
                human_rate(*c)
            ),
            None => format!("{} {name} (no partition limit known)", human_rate(*load)),
        })
        .collect::<Vec<_>>()
        .join(", ");
        let formula = format!(
            "hot key {}{spread} = {limits}{}",
            terms.join(" + "),
            utilization.map_or(String::new(), |u| format!(
                ": {}%",
                super::significant(u * 100.0)
            ))
        );
        self.components[id.index()].hot_partition = Some(HotPartition {
            reads,
            writes,
            rate,
            capacity: utilization.filter(|u| *u > 0.0).map(|u| rate / u),
            read_capacity,
            write_capacity,
            utilization,
            limits,
            formula,
        });
    }

    /// A backed-up store's restore time: the storage per copy of one shard ÷
    /// `restore_rate` (shards restore in parallel).
    pub(super) fn restore_time(&mut self, component: &Component, id: ComponentId) {
        if component.attrs.bool(attr::BACKUP) != Some(true) {
            return;
        }
        let estimate = &self.components[id.index()];
        let Some(storage) = &estimate.storage else {
            return;
        };
        let per_shard = storage.value / estimate.copies.max(1) as f64 / shards(component) as f64;
        // `restore_rate` is a bandwidth, read in bits per second.
        let rate = component
            .attrs
            .number(attr::RESTORE_RATE)
            .map_or(RESTORE_RATE, |bits| bits / 8.0);
        if component.attrs.get(attr::RESTORE_RATE).is_none() {
            self.assume(
                "a backed-up store without `restore_rate` restores at 100 MB/s per shard",
                &component.id,
            );
        }
        let formula = format!(
            "{} per copy of one shard ÷ {}/s",
            hld_model::figures::human_size(per_shard),
            hld_model::figures::human_size(rate)
        );
        self.components[id.index()].restore_time = Some(Figure {
            value: per_shard / rate,
            formula,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::at_least;

    #[test]
    fn quorums_are_binomial() {
        // 2 of 3 up at 99%: 3 × 0.99² × 0.01 + 0.99³ = 0.999702.
        assert!((at_least(2, 3, 0.99) - 0.999702).abs() < 1e-9);
        // All 5 of 5 needed: 0.99^5.
        assert!((at_least(5, 5, 0.99) - 0.99f64.powi(5)).abs() < 1e-12);
        assert_eq!(at_least(0, 3, 0.5), 1.0);
        assert_eq!(at_least(4, 3, 0.99), 0.0);
        // Any 1 of 3: the parallel rule.
        assert!((at_least(1, 3, 0.999) - (1.0 - 0.001f64.powi(3))).abs() < 1e-15);
    }
}
