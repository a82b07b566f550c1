use super::prelude::*;
use crate::analysis::estimate::{human_rate, human_size};

pub static RULE: Rule = Rule {
    name: "needs-sharding",
    category: Category::Data,
    level: Level::Warning,
    summary: "an unsharded store that outgrows one node",
    what: "A store with at most one shard whose estimated storage exceeds its engine's per-node \
           storage, or whose write rate exceeds one node's capacity.",
    why: "Replicas copy the whole data set and every write: they add read capacity and \
          availability, not storage or write throughput. When the data or the writes outgrow one \
          node, the only way on is to split them (sharding), and the partition key chosen then \
          decides which queries stay on one shard. Planning it up front avoids a live migration \
          at the worst time.",
    bad: example!("needs-sharding", "bad"),
    good: example!("needs-sharding", "good"),
    reading: &["Kleppmann, DDIA ch. 6 'Partitioning'"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        if !matches!(store.kind, Kind::Database | Kind::Search)
            || store.attrs.count("shards").unwrap_or(1) > 1
            || store.managed()
        {
            continue;
        }
        let estimate = &cx.estimates.components[id.index()];
        let node_storage = store.profile.and_then(|p| p.node_storage);
        let node_capacity = store
            .attrs
            .number("capacity")
            .or_else(|| store.profile.and_then(|p| p.capacity));
        let too_big = match (&estimate.storage, node_storage) {
            (Some(storage), Some(node)) if storage.value > node => Some(format!(
                "{} of data outgrows one node's {}",
                human_size(storage.value),
                human_size(node)
            )),
            _ => None,
        };
        let too_busy = match node_capacity {
            Some(node) if estimate.writes > node => Some(format!(
                "{} of writes exceed one node's {}",
                human_rate(estimate.writes),
                human_rate(node)
            )),
            _ => None,
        };
        let Some(reason) = too_big.or(too_busy) else {
            continue;
        };
        out.report(
            Element::Component(id),
            store.id_span,
            format!("`{}` is not sharded, and {reason}: replicas copy everything, they do not split it", store.id),
            |d| d.with_label("needs shards").with_help("set `shards:` with `partitioning: hash(key: ...)` (or consistent_hash) on the key most queries use"),
        );
    }
}
