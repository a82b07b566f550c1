use super::prelude::*;
use crate::estimate::{human_duration, human_rate};

pub static RULE: Rule = Rule {
    name: "scatter-query",
    category: Category::Data,
    level: Level::Warning,
    summary: "a read by a key that is not the store's partition key goes to every shard",
    what: "A read link whose `key` is not the partition key of its target's `partitioning`, \
           on a target with `shards` > 1. The store serves each such read once per shard (the \
           estimate counts it so), and the caller waits for the slowest shard: the message \
           gives the reads that reach the store and the fan-out's p99.",
    why: "Partitioning makes a read by the partition key touch one shard; a read by anything \
          else must ask all of them (scatter-gather). Its cost grows with the shard count: every \
          shard does the work of every such read, so adding shards adds no capacity for it, and \
          the caller waits for the slowest of N answers, so its latency is the shards' tail, not \
          their median ('The Tail at Scale'). The fixes: a secondary index or a read model \
          partitioned by the key being read (a second table, a search index fed by the change \
          stream), or choosing the partition key the hot reads use.",
    bad: example!("scatter-query", "bad"),
    good: example!("scatter-query", "good"),
    reading: &[
        "Dean and Barroso, 'The Tail at Scale', CACM 2013",
        "Kleppmann, DDIA ch. 6 'Partitioning and Secondary Indexes'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(shards) = facts::scatter_shards(cx.model, link) else {
            continue;
        };
        let store = cx.model.component(link.to);
        let reads = cx.estimates.links[id.index()].load.reads.peak;
        let one = cx.estimates.components[link.to.index()]
            .latency_pair()
            .unwrap_or_default();
        let fan_out = one.slowest_of(shards as f64);
        let key = link
            .attrs
            .get(attr::KEY)
            .and_then(Value::as_str)
            .unwrap_or("?");
        let load = if reads > 0.0 {
            format!(
                "{} reads × {shards} shards = {} reads at the store",
                human_rate(reads),
                human_rate(reads * shards as f64)
            )
        } else {
            format!("each read × {shards} shards")
        };
        out.report(
            Element::Link(id),
            link.attrs.span(attr::KEY).unwrap_or(link.span),
            format!(
                "`{}` reads `{}` by `{key}`, which is not its partition key: every read goes to all {shards} shards ({load}), and waits for the slowest: {} at p99 against {} for one shard",
                cx.name(link.from),
                store.id,
                human_duration(fan_out.p99),
                human_duration(one.p99)
            ),
            |d| {
                d.with_label("scatter-gather")
                    .with_related(
                        store.attrs.span(attr::PARTITIONING).unwrap_or(store.id_span),
                        "partition key",
                    )
                    .with_help(format!(
                        "add an index or a read model partitioned by `{key}` (a second table, or a search index fed by the change stream), or partition `{}` by the key its hot reads use",
                        store.id
                    ))
            },
        );
    }
}
