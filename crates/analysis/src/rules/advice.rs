//! Help lines several rules share, so that the same problem gets the same fix.

use super::prelude::*;
use crate::estimate::{ComponentEstimate, human_count, human_rate, significant};

/// Replicas that keep `inbound` at 70% of the capacity per replica (and shard).
pub fn replicas_for(component: &Component, inbound: f64, fallback: f64) -> f64 {
    let per_replica = component
        .attrs
        .number(attr::CAPACITY)
        .or_else(|| component.profile.and_then(|p| p.capacity))
        .unwrap_or(fallback);
    let shards = crate::estimate::shards(component);
    (inbound / (per_replica * shards as f64) / 0.7).ceil()
}

/// A store's two parts of utilization, the one that binds first: `writes 15k/s of
/// 5k/s (300%) + reads 12k/s of 20k/s (60%)` (docs/estimates.md, "Reads and writes
/// have separate capacities"). `None` for components without split capacities.
pub fn store_parts(estimate: &ComponentEstimate) -> Option<String> {
    let read = estimate.read_capacity()?;
    let write = estimate.write_capacity()?;
    let part = |name: &str, load: f64, capacity: f64| {
        format!(
            "{name} {} of {} ({}%)",
            human_rate(load),
            human_rate(capacity),
            significant(load / capacity * 100.0)
        )
    };
    let reads = part("reads", estimate.reads(), read);
    let writes = part("writes", estimate.writes(), write);
    Some(match (estimate.reads() > 0.0, estimate.writes() > 0.0) {
        (false, _) => writes,
        (_, false) => reads,
        _ if writes_bind(estimate) => format!("{writes} + {reads}"),
        _ => format!("{reads} + {writes}"),
    })
}

/// Whether a store's writes take more of it than its reads.
pub fn writes_bind(estimate: &ComponentEstimate) -> bool {
    estimate.write_utilization.unwrap_or(0.0) > estimate.read_utilization.unwrap_or(0.0)
}

/// What adds capacity to a store on the side that binds: shards for writes (every
/// copy applies every write), copies that serve reads or a cache for reads.
fn add_store_capacity(component: &Component, estimate: &ComponentEstimate) -> Option<String> {
    let write = estimate.write_capacity()?;
    if !writes_bind(estimate) {
        return Some(
            "reads bind: serve them from more copies (`read_from: followers` with more followers), shard it (`shards:`), or put a cache in front of its reads".to_string(),
        );
    }
    let per_shard = write / crate::estimate::shards(component) as f64;
    let shards = (estimate.writes() / per_shard / 0.7).ceil();
    Some(format!(
        "writes bind, and every copy applies every write, so replicas do not help: run about {shards} shards (`shards: {shards}`, 70% of a node's writes at peak), batch the writes, or queue them"
    ))
}

/// What adds capacity for this kind of component.
pub fn add_capacity(cx: &Context, id: ComponentId, component: &Component, needed: f64) -> String {
    if component.kind == Kind::Queue
        && let Some(per) = component.profile.and_then(|p| p.partition_write_capacity)
    {
        let partitions = (cx.estimates.components[id.index()].writes() / per / 0.7).ceil();
        return format!(
            "each partition (shard) of `{}` takes {} writes: provision about {partitions} (`partitions: {partitions}`, 70% at peak)",
            component.id,
            human_rate(per)
        );
    }
    if component.managed() {
        return format!(
            "`{}` is managed: its stated capacity is the provider's quota; raise the quota, or split the traffic over more instances of it",
            component.id
        );
    }
    if let Some(help) = add_store_capacity(component, &cx.estimates.components[id.index()]) {
        return help;
    }
    let replicas = format!("run about {needed} replicas (70% utilization at peak)");
    let fed_by_queues = cx
        .incoming(id)
        .all(|(_, l)| cx.model.component(l.from).kind == Kind::Queue);
    match component.kind {
        Kind::Database | Kind::Search => format!(
            "{replicas} for reads, shard it for writes (`shards:`), or put a cache in front of its reads"
        ),
        Kind::Cache => format!("{replicas}, or shard it (`shards:`)"),
        Kind::Queue => format!("{replicas} (brokers), with partitions spread over them"),
        Kind::Blob | Kind::Cdn | Kind::Dns => {
            "state the provider's real limit, or split the traffic over more buckets or distributions".to_string()
        }
        _ if fed_by_queues => format!(
            "{replicas}, with at least as many partitions in the queues it reads, or make each replica consume faster (batching)"
        ),
        _ => format!("{replicas}, or serve part of its requests from a cache in front of it"),
    }
}

/// What makes this kind of component redundant.
pub fn add_redundancy(component: &Component) -> &'static str {
    match component.kind {
        Kind::Dns => {
            "use a managed dns (`engine: route53` or `cloudflare`, which run it anycast), or a second provider"
        }
        Kind::Cdn => "use a managed cdn (`engine: cloudfront`, `akamai` or `cloudflare`)",
        Kind::Lb => {
            "run a pair (`replicas: 2`, behind a floating IP or dns), or use a managed one (`engine: elb`)"
        }
        Kind::Queue => {
            "run 3 brokers with `replication: 3`, or use a managed queue (`engine: sqs` or `kinesis`)"
        }
        Kind::Coordinator => "run 3 or 5 members (`replicas: 3`): a majority keeps the quorum",
        Kind::Blob => {
            "use a managed object store (`engine: s3` or `gcs`), which keeps copies itself"
        }
        Kind::Database | Kind::Search => {
            "replicate it (`replicas: 2` or `replication: leader_follower(...)`), or mark it `managed: true` if the provider keeps it redundant"
        }
        Kind::Cache => {
            "run a replica (`replicas: 2`) that takes over, or let reads fall back to the store when it is down"
        }
        _ => {
            "run at least 2 replicas, or mark it `managed: true` if the provider makes it redundant"
        }
    }
}

/// The tightest recovery objective (`rto` or `rpo`) on a store: that of a flow with a
/// step into it that `counts` (every step, or the writes), else the design's; with whose
/// it is, in words.
pub fn recovery_objective(
    cx: &Context,
    store: ComponentId,
    objective: hld_model::Attr,
    counts: fn(&Link) -> bool,
) -> Option<(f64, String)> {
    let flows = cx.model.flows.iter().filter_map(|flow| {
        let value = flow.attrs.number(objective)?;
        flow.steps
            .iter()
            .map(|step| cx.model.link(step.link))
            .any(|link| link.to == store && counts(link))
            .then(|| (value, format!("flow `{}`'s", flow.id)))
    });
    let design = cx
        .model
        .header
        .number(objective)
        .map(|value| (value, "the design's".to_string()));
    flows.chain(design).min_by(|a, b| a.0.total_cmp(&b.0))
}

/// A component's open connections against what its replicas hold, and its utilization.
pub struct ConnectionLoad<'e> {
    pub held: &'e crate::estimate::Figure,
    pub capacity: &'e crate::estimate::Figure,
    pub utilization: f64,
}

/// `None` unless both the connections and what the replicas hold are known.
pub fn connection_load(estimate: &ComponentEstimate) -> Option<ConnectionLoad<'_>> {
    Some(ConnectionLoad {
        held: estimate.connections.as_ref()?,
        capacity: estimate.connection_capacity.as_ref()?,
        utilization: estimate.connection_utilization()?,
    })
}

impl ConnectionLoad<'_> {
    /// "`chat` holds 2M open connections at peak (...) against 10 replicas × 100k = 1M".
    pub fn message(&self, component: &Component) -> String {
        format!(
            "`{}` holds {} open connections at peak ({}) against {} = {}: {}% of what its replicas hold",
            component.id,
            human_count(self.held.value),
            self.held.formula,
            self.capacity.formula,
            human_count(self.capacity.value),
            significant(self.utilization * 100.0)
        )
    }

    /// Replicas that hold the connections at 70%, as [`replicas_for`] sizes requests.
    pub fn help(&self, component: &Component) -> String {
        let per_replica = component.attrs.count(attr::CONNECTIONS).unwrap_or(1).max(1) as f64;
        let replicas = (self.held.value / per_replica / 0.7).ceil();
        format!(
            "run at least {replicas} replicas of `{}` (each holding {}, at 70%), or state a larger `connections` if one replica holds more",
            component.id,
            human_count(per_replica)
        )
    }
}

/// Reports each component whose open connections, against what its replicas hold, are
/// at a utilization `within` accepts (`over-capacity` above 100%, `low-headroom` above
/// 80%).
pub fn report_connections(
    cx: &Context,
    out: &mut Findings,
    within: impl Fn(f64) -> bool,
    label: &'static str,
) {
    for (id, component) in cx.components() {
        let Some(load) = connection_load(&cx.estimates.components[id.index()])
            .filter(|load| within(load.utilization))
        else {
            continue;
        };
        let span = component
            .attrs
            .span(attr::CONNECTIONS)
            .unwrap_or(component.id_span);
        out.report(Element::Component(id), span, load.message(component), |d| {
            d.with_label(label).with_help(load.help(component))
        });
    }
}
