//! Engine profiles (data/engines.toml): what `engine: postgres` brings to a component.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::kind::Kind;
use super::units::{Dimension, interpret};
use crate::keys::{SchemaValue, call, values};
use hld_syntax::ast::ValueKind;
use hld_syntax::parse_value;
use hld_syntax::source::FileId;

/// A profile as written in the data file; quantities are hld text (`10k/s`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    kinds: Vec<String>,
    model: Option<values::model::Value>,
    consistency: Option<values::consistency::Value>,
    cap: Option<String>,
    pacelc: Option<String>,
    storage: Option<values::storage::Value>,
    replication: Option<String>,
    #[serde(default)]
    leader_election: bool,
    #[serde(default)]
    distributed_transactions: bool,
    #[serde(default)]
    geo: bool,
    #[serde(default)]
    full_text: bool,
    #[serde(default)]
    sorted_sets: bool,
    #[serde(default)]
    managed: bool,
    delivery: Option<Dispatch>,
    ordering: Option<values::ordering::Value>,
    capacity: Option<String>,
    latency: Option<String>,
    availability: Option<String>,
    node_storage: Option<String>,
    consumers: Option<values::consumers::Value>,
    write_capacity: Option<String>,
    latency_p99: Option<String>,
    partition_read_capacity: Option<String>,
    partition_write_capacity: Option<String>,
    partition_bandwidth: Option<String>,
    partition_size: Option<String>,
    failover_time: Option<String>,
    conflicts: Option<values::conflicts::Value>,
    #[serde(default)]
    isolation: Vec<values::isolation::Value>,
    price_node_hour: Option<String>,
    price_per_million_reads: Option<f64>,
    price_per_million_writes: Option<f64>,
    price_gb_month: Option<f64>,
    price_partition_hour: Option<f64>,
    price_egress_gb: Option<f64>,
}

#[derive(Debug)]
pub struct EngineProfile {
    pub name: String,
    pub kinds: Vec<Kind>,
    pub model: Option<values::model::Value>,
    pub consistency: Option<values::consistency::Value>,
    pub cap: Option<String>,
    pub pacelc: Option<String>,
    pub storage: Option<values::storage::Value>,
    /// How it keeps copies: the scheme a replication factor (`replication: 3`) runs
    /// under, or the copies it makes itself.
    pub replication: Option<Replication>,
    pub leader_election: bool,
    pub distributed_transactions: bool,
    pub geo: bool,
    pub full_text: bool,
    pub sorted_sets: bool,
    pub managed: bool,
    pub delivery: Option<Dispatch>,
    pub ordering: Option<values::ordering::Value>,
    /// Requests per second one replica serves.
    pub capacity: Option<f64>,
    /// Seconds per request.
    pub latency: Option<f64>,
    /// Availability of one replica, as a fraction.
    pub availability: Option<f64>,
    /// Bytes one node holds.
    pub node_storage: Option<f64>,
    /// For queues: whether consumer groups `compete` for messages or each get all of
    /// them (`fanout`).
    pub consumers: Option<values::consumers::Value>,
    /// Writes per second one node applies, when lower than `capacity` (every copy applies
    /// every write, so only shards add to it).
    pub write_capacity: Option<f64>,
    /// Seconds per request at the 99th percentile (`latency` is the median).
    pub latency_p99: Option<f64>,
    /// Reads and writes per second one partition (a managed engine's partition, prefix
    /// or shard) takes, whatever the whole scales to: one key lives in one partition.
    pub partition_read_capacity: Option<f64>,
    pub partition_write_capacity: Option<f64>,
    /// Bytes per second into one partition, where the engine states a limit.
    pub partition_bandwidth: Option<f64>,
    /// Bytes one partition should hold at most (wide-column guidance).
    pub partition_size: Option<f64>,
    /// Seconds to promote a new leader when failover is automatic.
    pub failover_time: Option<f64>,
    /// How concurrent writes to different copies are resolved.
    pub conflicts: Option<values::conflicts::Value>,
    /// The transaction isolation levels the engine offers (empty: not documented, any
    /// stated level is taken at its word).
    pub isolation: Vec<values::isolation::Value>,
    /// List prices, US dollars: one reference node a month (720 hours); per million
    /// reads and writes, per GB stored a month, per partition a month, per GB served
    /// out to the internet.
    pub prices: Prices,
}

/// How an engine keeps copies of its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replication {
    /// Under a replication scheme (a `replication` call's name: `leader_follower`, ...).
    Scheme(call::Name),
    /// As a number of copies it makes itself (a managed service's three).
    Copies(u64),
}

impl std::fmt::Display for Replication {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Replication::Scheme(name) => f.write_str(name.as_str()),
            Replication::Copies(n) => write!(f, "{n} copies"),
        }
    }
}

/// A profile's `replication`: a number of copies, or a scheme's name.
fn replication(text: &str) -> Result<Replication, String> {
    if let Ok(copies) = text.parse() {
        return Ok(Replication::Copies(copies));
    }
    call::Name::parse(text)
        .map(Replication::Scheme)
        .ok_or_else(|| format!("replication `{text}` is neither a number nor a scheme"))
}

/// How a queue hands messages to consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dispatch {
    /// The broker pushes to subscribers (RabbitMQ, Pulsar).
    Push,
    /// Consumers fetch at their own pace (Kafka).
    Pull,
}

impl Dispatch {
    pub fn as_str(self) -> &'static str {
        match self {
            Dispatch::Push => "push",
            Dispatch::Pull => "pull",
        }
    }
}

/// An engine's list prices, each in US dollars.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Prices {
    pub node_month: Option<f64>,
    pub per_million_reads: Option<f64>,
    pub per_million_writes: Option<f64>,
    pub gb_month: Option<f64>,
    pub partition_month: Option<f64>,
    pub egress_gb: Option<f64>,
}

impl EngineProfile {
    /// The default this engine gives the enum attribute of the same name (`model`,
    /// `consistency`, `storage`, `conflicts`, `consumers`, `ordering`), typed:
    /// `profile.default_value::<Consistency>()`. Its `delivery` is push or pull, not the
    /// attribute's delivery guarantee, so it is not one.
    pub fn default_value<V: SchemaValue>(&self) -> Option<V> {
        let stated = match V::KEY {
            "model" => self.model.map(|v| v.as_str()),
            "consistency" => self.consistency.map(|v| v.as_str()),
            "storage" => self.storage.map(|v| v.as_str()),
            "conflicts" => self.conflicts.map(|v| v.as_str()),
            "consumers" => self.consumers.map(|v| v.as_str()),
            "ordering" => self.ordering.map(|v| v.as_str()),
            _ => None,
        };
        stated.and_then(V::parse)
    }

    /// The scheme a replication factor (`replication: 3`) runs under on this engine.
    pub fn replication_scheme(&self) -> Option<call::Name> {
        match self.replication? {
            Replication::Scheme(name) => Some(name),
            Replication::Copies(_) => None,
        }
    }

    pub fn fits(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }
}

pub struct Engines {
    profiles: BTreeMap<String, EngineProfile>,
}

impl Engines {
    pub fn get() -> &'static Engines {
        static ENGINES: OnceLock<Engines> = OnceLock::new();
        ENGINES.get_or_init(|| {
            Engines::parse(include_str!("../data/engines.toml"))
                .expect("data/engines.toml is valid (tested)")
        })
    }

    fn parse(text: &str) -> Result<Engines, String> {
        let raw: BTreeMap<String, RawProfile> = toml::from_str(text).map_err(|e| e.to_string())?;
        let profiles = raw
            .into_iter()
            .map(|(name, raw)| {
                let profile = profile(&name, raw).map_err(|e| format!("engine `{name}`: {e}"))?;
                Ok((name, profile))
            })
            .collect::<Result<_, String>>()?;
        Ok(Engines { profiles })
    }

    pub fn profile(&self, name: &str) -> Option<&EngineProfile> {
        self.profiles.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

fn profile(name: &str, raw: RawProfile) -> Result<EngineProfile, String> {
    let kinds = raw
        .kinds
        .iter()
        .map(|k| Kind::parse(k).ok_or_else(|| format!("unknown kind `{k}`")))
        .collect::<Result<_, _>>()?;
    Ok(EngineProfile {
        name: name.to_string(),
        kinds,
        model: raw.model,
        consistency: raw.consistency,
        cap: raw.cap,
        pacelc: raw.pacelc,
        storage: raw.storage,
        replication: raw.replication.as_deref().map(replication).transpose()?,
        leader_election: raw.leader_election,
        distributed_transactions: raw.distributed_transactions,
        geo: raw.geo,
        full_text: raw.full_text,
        sorted_sets: raw.sorted_sets,
        managed: raw.managed,
        delivery: raw.delivery,
        ordering: raw.ordering,
        capacity: figure(raw.capacity, Dimension::Rate)?,
        latency: figure(raw.latency, Dimension::Duration)?,
        availability: figure(raw.availability, Dimension::Percentage)?,
        node_storage: figure(raw.node_storage, Dimension::Size)?,
        consumers: raw.consumers,
        write_capacity: figure(raw.write_capacity, Dimension::Rate)?,
        latency_p99: figure(raw.latency_p99, Dimension::Duration)?,
        partition_read_capacity: figure(raw.partition_read_capacity, Dimension::Rate)?,
        partition_write_capacity: figure(raw.partition_write_capacity, Dimension::Rate)?,
        partition_bandwidth: figure(raw.partition_bandwidth, Dimension::Bandwidth)?,
        partition_size: figure(raw.partition_size, Dimension::Size)?,
        failover_time: figure(raw.failover_time, Dimension::Duration)?,
        conflicts: raw.conflicts,
        isolation: raw.isolation,
        prices: Prices {
            node_month: figure(raw.price_node_hour, Dimension::Money)?,
            per_million_reads: raw.price_per_million_reads,
            per_million_writes: raw.price_per_million_writes,
            gb_month: raw.price_gb_month,
            partition_month: raw.price_partition_hour.map(|hour| hour * 720.0),
            egress_gb: raw.price_egress_gb,
        },
    })
}

/// Reads `10k/s`, `5ms`, `99.9%`, `4TB` with the language's own unit rules.
fn figure(text: Option<String>, dimension: Dimension) -> Result<Option<f64>, String> {
    let Some(text) = text else { return Ok(None) };
    let not_a_figure = || format!("`{text}` is not {}", dimension.name());
    let value = parse_value(FileId(0), &text).ok_or_else(not_a_figure)?;
    let ValueKind::Quantity(quantity) = value.kind else {
        return Err(not_a_figure());
    };
    interpret(&quantity, dimension)
        .map(Some)
        .map_err(|_| not_a_figure())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/language.md: "At least" these engines.
    const REQUIRED: &[&str] = &[
        "postgres",
        "mysql",
        "cockroachdb",
        "spanner",
        "cassandra",
        "scylladb",
        "hbase",
        "dynamodb",
        "mongodb",
        "redis",
        "memcached",
        "elasticsearch",
        "neo4j",
        "clickhouse",
        "influxdb",
        "kafka",
        "rabbitmq",
        "sqs",
        "pulsar",
        "kinesis",
        "s3",
        "gcs",
        "hdfs",
        "zookeeper",
        "etcd",
        "nginx",
        "haproxy",
        "envoy",
        "elb",
        "cloudfront",
        "akamai",
        "cloudflare",
        "route53",
    ];

    #[test]
    fn every_required_engine_has_a_profile() {
        let engines = Engines::get();
        for name in REQUIRED {
            assert!(engines.profile(name).is_some(), "{name}");
        }
    }

    /// Profiles are read into the attributes' own value types (a value the schema does
    /// not list fails to load), and `default_value` reads each of them under its key.
    #[test]
    fn profile_defaults_are_read_under_their_attributes() {
        for name in Engines::get().names() {
            let p = Engines::get().profile(name).unwrap();
            assert_eq!(p.default_value(), p.model, "{name}");
            assert_eq!(p.default_value(), p.consistency, "{name}");
            assert_eq!(p.default_value(), p.storage, "{name}");
            assert_eq!(p.default_value(), p.conflicts, "{name}");
            assert_eq!(p.default_value(), p.consumers, "{name}");
            assert_eq!(p.default_value(), p.ordering, "{name}");
        }
        let kafka = Engines::get().profile("kafka").unwrap();
        assert_eq!(
            kafka.default_value(),
            Some(values::consumers::Value::Fanout)
        );
    }

    /// Knowledge is data with its source: every figure a profile states carries a comment
    /// saying where it comes from (and what kind of source it is).
    #[test]
    fn every_figure_cites_its_source() {
        const FIGURES: &[&str] = &[
            "capacity",
            "write_capacity",
            "latency",
            "latency_p99",
            "availability",
            "node_storage",
            "partition_read_capacity",
            "partition_write_capacity",
            "partition_bandwidth",
            "partition_size",
            "failover_time",
            "price_node_hour",
            "price_per_million_reads",
            "price_per_million_writes",
            "price_gb_month",
            "price_partition_hour",
            "price_egress_gb",
        ];
        let mut engine = "";
        let mut unsourced = Vec::new();
        for line in include_str!("../data/engines.toml").lines() {
            if let Some(name) = line.strip_prefix('[') {
                engine = name.trim_end_matches(']');
            }
            let field = line.split(" = ").next().unwrap_or_default().trim();
            if FIGURES.contains(&field) && !line.contains('#') {
                unsourced.push(format!("{engine}.{field}"));
            }
        }
        assert!(
            unsourced.is_empty(),
            "figures without a source: {unsourced:?}"
        );
    }

    #[test]
    fn figures_are_read_in_base_units() {
        let redis = Engines::get().profile("redis").unwrap();
        assert_eq!(redis.capacity, Some(100_000.0));
        assert_eq!(redis.latency, Some(0.0005));
        assert!(redis.fits(Kind::Cache) && !redis.fits(Kind::Blob));
    }
}
