use super::prelude::*;
use crate::estimate::{human_rate, human_size};

pub static RULE: Rule = Rule {
    name: "needs-sharding",
    category: Category::Data,
    level: Level::Warning,
    summary: "an unsharded store that outgrows one node",
    what: "A store with at most one shard whose estimated storage per copy (each replica holds \
           all of it) exceeds one node's storage (`node_storage`, else its engine's), or whose \
           write rate exceeds one node's write capacity (`capacity`, else the engine's write \
           capacity, else its capacity). Replicas never make it fire: they add copies, not \
           data per node.",
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
            || store.attrs.count(attr::SHARDS).unwrap_or(1) > 1
            || store.managed()
        {
            continue;
        }
        let estimate = &cx.estimates.components[id.index()];
        let node_storage = store
            .attrs
            .number(attr::NODE_STORAGE)
            .or_else(|| store.profile.and_then(|p| p.node_storage));
        // Every copy applies every write: one node's write capacity is the limit.
        let node_capacity = store
            .attrs
            .number(attr::CAPACITY)
            .or_else(|| store.profile.and_then(|p| p.write_capacity.or(p.capacity)));
        let per_copy = estimate
            .storage
            .as_ref()
            .map(|storage| storage.value / estimate.copies.max(1) as f64);
        let too_big = match (per_copy, node_storage) {
            (Some(per_copy), Some(node)) if per_copy > node => Some(format!(
                "{} of data per copy outgrows one node's {}",
                human_size(per_copy),
                human_size(node)
            )),
            _ => None,
        };
        let too_busy = match node_capacity {
            Some(node) if estimate.writes() > node => Some(format!(
                "{} of writes exceed the {} one node applies",
                human_rate(estimate.writes()),
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    /// Writes of 1 KB kept a year, on nodes of `node`, with `replicas` copies.
    fn fires(node: &str, replicas: u32) -> bool {
        // 1k/s at peak is 500/s on average: 500/s × 1 KB × 365 d = 15.8 TB per copy.
        let text = format!(
            "client u {{ rate: 1k/s }}\nservice s {{ replicas: 2 }}\ndatabase db {{ record_size: 1KB, retention: 365d, node_storage: {node}, replicas: {replicas} }}\nu -> s -> db {{ ops: write }}\n"
        );
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn storage_per_copy_against_one_node() {
        assert!(fires("15TB", 1));
        assert!(!fires("16TB", 1));
        // Replicas hold copies: 15.8 TB each whatever their number (79 TB in all).
        assert!(!fires("16TB", 5));
        assert!(fires("15TB", 5));
    }

    /// Postgres applies 5k/s of writes on one node (its profile), however many copies.
    fn write_bound(writes: &str, replicas: u32) -> bool {
        let text = format!(
            "client u {{ rate: {writes} }}\nservice s {{ replicas: 2 }}\ndatabase db {{ engine: postgres, replicas: {replicas} }}\nu -> s -> db {{ ops: write }}\n"
        );
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn writes_against_one_node_s_write_capacity() {
        assert!(!write_bound("5k/s", 1));
        assert!(write_bound("5.1k/s", 1));
        // Replicas serve reads, not writes: 3 copies apply the same 5.1k/s each.
        assert!(write_bound("5.1k/s", 3));
    }
}
