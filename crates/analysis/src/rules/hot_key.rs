use super::prelude::*;
use crate::estimate::significant;

pub static RULE: Rule = Rule {
    name: "hot-key",
    category: Category::Data,
    level: Level::Warning,
    summary: "one key takes more than one partition can serve",
    what: "A store whose hottest partition, from the `hot_key` share of a link (or of the store, \
           for every link into it), takes more than one partition's read or write capacity: the \
           managed engine's per-partition limit, or one shard's serving copies. The hottest \
           partition takes P × rate + (1 − P) × rate ÷ partitions.",
    why: "A store scales by spreading keys over partitions, but one key always lives in one \
          partition: a celebrity's timeline, a viral link, a big channel. Adding shards or \
          provisioned throughput does nothing for it; the partition throttles or saturates while \
          the rest idle. The fixes work on the key: cache its reads in front (a cache or cdn \
          answers them before the store), split its writes over sub-keys (`key#0..key#9`) and \
          merge on read, or handle the hot entities on their own path.",
    bad: example!("hot-key", "bad"),
    good: example!("hot-key", "good"),
    reading: &[
        "AWS, 'Designing partition keys to distribute your workload in DynamoDB': https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-uniform-load.html",
        "Discord, 'How Discord stores trillions of messages' (2023): https://discord.com/blog/how-discord-stores-trillions-of-messages",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(hot) = &cx.estimates.components[id.index()].hot_partition else {
            continue;
        };
        let Some(utilization) = hot.utilization.filter(|u| *u > 1.0) else {
            continue;
        };
        // Point at the link that states the hottest share, else the store's own.
        let span = cx
            .incoming(id)
            .filter_map(|(_, link)| link.attrs.span(attr::HOT_KEY))
            .next()
            .or_else(|| store.attrs.span(attr::HOT_KEY))
            .unwrap_or(store.id_span);
        out.report(
            Element::Component(id),
            span,
            format!(
                "the hottest partition of `{}` takes {} ({}% of one partition): one key lives in one partition, whatever the store scales to",
                store.id,
                hot.limits,
                significant(utilization * 100.0)
            ),
            |d| {
                d.with_label("hot key").with_help(
                    "cache the hot key's reads in front of the store, spread its writes over sub-keys (`key#0..key#9`) merged on read, or give the hot entities a path of their own",
                )
            },
        );
    }
}
