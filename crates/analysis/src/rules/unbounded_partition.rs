use super::prelude::*;
use crate::estimate::{human_count, human_size, percent};

pub static RULE: Rule = Rule {
    name: "unbounded-partition",
    category: Category::Data,
    level: Level::Warning,
    summary: "one partition key holds more data than its engine's partition should",
    what: "A store whose largest partition (its storage per copy ÷ the partitioning's \
           `cardinality`, or × the store's `hot_key` share, whichever is larger) exceeds its \
           engine's partition size guidance (`partition_size`: Cassandra 100 MB, ScyllaDB 1 GB, \
           DynamoDB's 10 GB item collections, ...).",
    why: "A partition key's rows live together on the same replicas and are read, compacted, \
          repaired and streamed as one unit. A key that keeps growing (a channel's messages \
          since it began, a sensor's readings, a celebrity's followers) makes one huge \
          partition: reads of it slow down, compaction and repair stall on it, its replicas fill \
          before the rest, and adding nodes does not help since a partition never splits. \
          Discord's messages table keyed by channel alone grew such partitions until reads of \
          big channels timed out; they bucketed it by channel and time window. Bound every key: \
          add a bucket (a day, a month, a hash of the id) to the partition key so no partition \
          outgrows the guidance.",
    bad: example!("unbounded-partition", "bad"),
    good: example!("unbounded-partition", "good"),
    reading: &[
        "Discord, 'How Discord Stores Billions of Messages' (2017): https://discord.com/blog/how-discord-stores-billions-of-messages",
        "DataStax, 'Data modeling: partition size': https://docs.datastax.com/en/cql/hcd/data-modeling/best-practices.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(limit) = store.profile.and_then(|p| p.partition_size) else {
            continue;
        };
        let estimate = &cx.estimates.components[id.index()];
        let Some(per_copy) = estimate
            .storage
            .as_ref()
            .map(|s| s.value / estimate.copies.max(1) as f64)
        else {
            continue;
        };
        let Some(largest) = largest_partition(store, per_copy).filter(|l| l.bytes > limit) else {
            continue;
        };
        out.report(
            Element::Component(id),
            largest.span.unwrap_or(store.id_span),
            format!(
                "`{}`'s largest partition holds about {} ({}), over the {} a {} partition should hold: it is read, compacted and repaired as one unit and never splits",
                store.id,
                human_size(largest.bytes),
                largest.formula,
                human_size(limit),
                store.attrs.symbol(attr::ENGINE).unwrap_or("partition")
            ),
            |d| {
                d.with_label("unbounded partition").with_help(
                    "add a bucket to the partition key (a time window such as a day or month, or a hash of the id) so that no key outgrows the limit, and state the new `cardinality`",
                )
            },
        );
    }
}

struct Largest {
    bytes: f64,
    formula: String,
    span: Option<hld_syntax::source::Span>,
}

/// The larger of the even share per partition key and the hottest key's share.
fn largest_partition(store: &Component, per_copy: f64) -> Option<Largest> {
    let partitioning = store.attrs.get(attr::PARTITIONING).and_then(Value::as_call);
    let even = partitioning
        .and_then(|c| c.arg(param::CARDINALITY))
        .and_then(Value::as_count)
        .filter(|&keys| keys > 0)
        .map(|keys| Largest {
            bytes: per_copy / keys as f64,
            formula: format!(
                "{} per copy ÷ {} keys",
                human_size(per_copy),
                human_count(keys as f64)
            ),
            span: store.attrs.span(attr::PARTITIONING),
        });
    let hot = store.attrs.number(attr::HOT_KEY).map(|share| Largest {
        bytes: per_copy * share,
        formula: format!(
            "{} per copy × the hottest key's {}",
            human_size(per_copy),
            percent(share)
        ),
        span: store.attrs.span(attr::HOT_KEY),
    });
    match (even, hot) {
        (Some(e), Some(h)) => Some(if h.bytes > e.bytes { h } else { e }),
        (e, h) => e.or(h),
    }
}
