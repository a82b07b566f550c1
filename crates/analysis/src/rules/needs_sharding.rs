use super::prelude::*;
use crate::estimate::{human_rate, human_size};

pub static RULE: Rule = Rule {
    name: "needs-sharding",
    category: Category::Data,
    level: Level::Warning,
    summary: "a store with too few shards for its data or its writes",
    what: "A store whose estimated storage per copy, split over its `shards` (1 unless \
           stated), exceeds one node's storage (`node_storage`, else its engine's), or whose \
           writes split over its shards exceed one node's write capacity (`write_capacity`, \
           else the engine's, else its `capacity`). Replicas never make it fire and never \
           silence it: they add copies, not room per node. The message says how many \
           shards would do.",
    why: "Replicas copy the whole data set and every write: they add read capacity and \
          availability, not storage or write throughput. When the data or the writes outgrow \
          the nodes that hold each shard, the only way on is to split them further, and the \
          partition key chosen then decides which queries stay on one shard. Planning the \
          shard count up front avoids a live resharding at the worst time.",
    bad: example!("needs-sharding", "bad"),
    good: example!("needs-sharding", "good"),
    reading: &["Kleppmann, DDIA ch. 6 'Partitioning'"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        if !matches!(store.kind, Kind::Database | Kind::Search) || store.managed() {
            continue;
        }
        let estimate = &cx.estimates.components[id.index()];
        let shards = crate::estimate::shards(store);
        let node_storage = store
            .attrs
            .number(attr::NODE_STORAGE)
            .or_else(|| store.profile.and_then(|p| p.node_storage));
        let per_copy = estimate
            .storage
            .as_ref()
            .map(|storage| storage.value / estimate.copies.max(1) as f64);
        // Every copy applies every write: one node's write capacity is the limit.
        let node_writes = estimate.write_capacity().map(|w| w / shards as f64);
        let too_big = match (per_copy, node_storage) {
            (Some(per_copy), Some(node)) if per_copy / shards as f64 > node => Some((
                format!(
                    "{} of data per copy{} outgrows one node's {}",
                    human_size(per_copy / shards as f64),
                    on_each(shards),
                    human_size(node)
                ),
                (per_copy / node).ceil(),
            )),
            _ => None,
        };
        let too_busy = match node_writes {
            Some(node) if estimate.writes() / shards as f64 > node => Some((
                format!(
                    "{} of writes{} exceed the {} one node applies",
                    human_rate(estimate.writes() / shards as f64),
                    on_each(shards),
                    human_rate(node)
                ),
                (estimate.writes() / node).ceil(),
            )),
            _ => None,
        };
        let needed = too_big
            .iter()
            .chain(&too_busy)
            .map(|(_, n)| *n)
            .fold(0.0, f64::max);
        let Some((reason, _)) = too_big.or(too_busy) else {
            continue;
        };
        let sharded = if shards > 1 {
            format!("has {shards} shards")
        } else {
            "is not sharded".to_string()
        };
        out.report(
            Element::Component(id),
            store.attrs.span(attr::SHARDS).unwrap_or(store.id_span),
            format!(
                "`{}` {sharded}, and {reason}: replicas copy everything, they do not split it",
                store.id
            ),
            |d| {
                d.with_label("needs shards").with_help(if shards > 1 {
                    format!(
                        "raise it to at least {needed} shards (`shards: {needed}`), or state larger nodes (`node_storage`, `write_capacity`)"
                    )
                } else {
                    format!(
                        "run at least {needed} shards (`shards: {needed}`) with `partitioning: hash(key: ...)` (or consistent_hash) on the key most queries use"
                    )
                })
            },
        );
    }
}

/// ` on each of its 2 shards`, or nothing for one shard.
fn on_each(shards: u64) -> String {
    if shards > 1 {
        format!(" on each of its {shards} shards")
    } else {
        String::new()
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

    /// 15.8 TB per copy (as in `fires`) over `shards` shards of 4 TB nodes.
    fn fires_sharded(shards: u32) -> Vec<String> {
        let text = format!(
            "client u {{ rate: 1k/s }}\nservice s {{ replicas: 2 }}\ndatabase db {{ record_size: 1KB, retention: 365d, node_storage: 4TB, shards: {shards}, partitioning: hash(key: id) }}\nu -> s -> db {{ ops: write }}\n"
        );
        findings_of(RULE.name, &text)
            .into_iter()
            .map(|d| format!("{} {}", d.message, d.help.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn too_few_shards_fire_and_say_how_many_would_do() {
        // 15.8 TB over 2 shards is 7.9 TB each: two 4 TB nodes do not hold it.
        let found = fires_sharded(2);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("has 2 shards"), "{}", found[0]);
        assert!(found[0].contains("at least 4 shards"), "{}", found[0]);
        assert!(fires_sharded(4).is_empty());
    }

    #[test]
    fn writes_against_one_node_s_write_capacity() {
        assert!(!write_bound("5k/s", 1));
        assert!(write_bound("5.1k/s", 1));
        // Replicas serve reads, not writes: 3 copies apply the same 5.1k/s each.
        assert!(write_bound("5.1k/s", 3));
    }
}
