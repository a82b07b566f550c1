use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "range-query-on-hash-partitioning",
    category: Category::Data,
    level: Level::Warning,
    summary: "range or scan queries against a hash-partitioned store",
    what: "A link with `query: range` or `scan` into a store partitioned by `hash`, `modulo` or \
           `consistent_hash` (or `shards` alone, which means hash) with more than one shard. \
           Silent when the link's `key` is the store's partition key: a range inside one \
           partition (a channel's messages by time, under the channel's key) is served by it alone.",
    why: "Hashing scatters neighbouring keys over all shards on purpose, which spreads load evenly. \
          The price is that a range (\"orders from last week\") has no home: it must be sent to every \
          shard and merged (scatter-gather), so its latency is the slowest of N shards and its cost \
          grows with N. Range partitioning, a secondary index organised by the range key, or a \
          separate analytics store serves such queries.",
    bad: example!("range-query-on-hash-partitioning", "bad"),
    good: example!("range-query-on-hash-partitioning", "good"),
    reading: &["Kleppmann, DDIA ch. 6 'Partitioning by Hash of Key'"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(query) = link
            .attrs
            .value()
            .filter(|q| matches!(q, values::query::Value::Range | values::query::Value::Scan))
        else {
            continue;
        };
        // A range inside one partition (Cassandra's clustering columns under one
        // partition key) is served by that partition alone.
        if facts::within_one_partition(cx.model, link) {
            continue;
        }
        let store = cx.model.component(link.to);
        let shards = store.attrs.count(attr::SHARDS).unwrap_or(1);
        let scheme = match store.attrs.get(attr::PARTITIONING) {
            Some(Value::Call(call)) => call.name,
            Some(_) => continue,
            None => call::Name::Hash,
        };
        if shards <= 1
            || !matches!(
                scheme,
                call::Name::Hash | call::Name::Modulo | call::Name::ConsistentHash
            )
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::QUERY).unwrap_or(link.span),
            format!("`{}` runs {query} queries on `{}`, hash-partitioned over {shards} shards: each one is sent to all {shards}", cx.name(link.from), store.id),
            |d| {
                d.with_label("scatter-gather")
                    .with_related(store.attrs.span(attr::PARTITIONING).or(store.attrs.span(attr::SHARDS)).unwrap_or(store.id_span), "hash partitioning")
                    .with_help("partition by `range(key: ...)` on the queried key, add an index or a read model organised by it, or accept the fan-out with `@allow`")
            },
        );
    }
}
