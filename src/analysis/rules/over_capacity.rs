use super::prelude::*;
use crate::analysis::estimate::{human_rate, significant};

pub static RULE: Rule = Rule {
    name: "over-capacity",
    category: Category::Capacity,
    level: Level::Error,
    summary: "a component receives more than its replicas can serve",
    what: "A component whose estimated peak inbound rate exceeds its redundancy × per-replica \
           `capacity` (the engine's by default; shards multiply a store's).",
    why: "Past saturation queues grow without bound: latency climbs from milliseconds to the \
          timeout, callers retry and add load, and the component fails for everyone rather than \
          for the excess. Capacity planning sizes for the peak with headroom: replicas = peak ÷ \
          per-replica capacity ÷ target utilization (often 60-70%), and for stores shards when \
          one node's write capacity is the limit.",
    bad: example!("over-capacity", "bad"),
    good: example!("over-capacity", "good"),
    reading: &[
        "Google SRE book, ch. 18 'Software Engineering in SRE' (capacity planning): https://sre.google/sre-book/software-engineering-in-sre/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let Some((inbound, capacity, utilization)) = cx.estimates.saturation(id) else {
            continue;
        };
        if utilization <= 1.0 {
            continue;
        }
        let per_replica = component
            .attrs
            .number("capacity")
            .or_else(|| component.profile.and_then(|p| p.capacity))
            .unwrap_or(capacity.value);
        let shards = if component.kind.is_data() {
            component.attrs.count("shards").unwrap_or(1)
        } else {
            1
        };
        let needed = (inbound.peak / (per_replica * shards as f64) / 0.7).ceil();
        out.report(
            Element::Component(id),
            component.id_span,
            format!(
                "`{}` takes {} at peak but {} = {}: {}% utilized",
                component.id,
                human_rate(inbound.peak),
                capacity.formula,
                human_rate(capacity.value),
                significant(utilization * 100.0)
            ),
            |d| {
                d.with_label("over capacity")
                    .with_help(help(cx, id, component, needed))
            },
        );
    }
}

/// What adds capacity for this kind of component.
fn help(cx: &Context, id: ComponentId, component: &Component, needed: f64) -> String {
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
