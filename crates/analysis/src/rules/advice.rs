//! Help lines several rules share, so that the same problem gets the same fix.

use super::prelude::*;

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

/// What adds capacity for this kind of component.
pub fn add_capacity(cx: &Context, id: ComponentId, component: &Component, needed: f64) -> String {
    if component.managed() {
        return format!(
            "`{}` is managed: its stated capacity is the provider's quota; raise the quota, or split the traffic over more instances of it",
            component.id
        );
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
