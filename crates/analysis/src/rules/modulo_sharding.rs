use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "modulo-sharding",
    category: Category::Data,
    level: Level::Warning,
    summary: "keys mapped to shards by hash modulo N",
    what: "`partitioning: modulo(...)`: a key goes to shard hash(key) mod N. Silent with \
           `logical` shards (`modulo(key: id, logical: 4096)`: keys modulo a fixed count of \
           logical shards, mapped onto fewer physical ones, as Instagram's were).",
    why: "Modulo placement is simple until N changes: going from N to N+1 shards moves a key unless \
          hash mod N = hash mod (N+1), so about N/(N+1) of all keys move, 90% when growing from 9 to \
          10. Resharding then means copying nearly the whole data set while serving traffic, and \
          every cache keyed the same way goes cold at once. Consistent hashing (with virtual nodes) \
          moves about 1/(N+1) of the keys; a directory moves only what you choose.",
    bad: example!("modulo-sharding", "bad"),
    good: example!("modulo-sharding", "good"),
    reading: &[
        "Karger et al., 'Consistent Hashing and Random Trees', STOC 1997",
        "Kleppmann, DDIA ch. 6 'Rebalancing Partitions'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(Value::Call(call)) = store.attrs.get(attr::PARTITIONING) else {
            continue;
        };
        // Keys modulo a fixed number of logical shards, mapped onto the physical ones:
        // resharding moves whole logical shards and no key changes its logical shard.
        if call.name != call::Name::Modulo || call.arg(param::LOGICAL).is_some() {
            continue;
        }
        let n = store.attrs.count(attr::SHARDS).unwrap_or(0);
        let moved = if n >= 1 {
            format!(
                "about {:.0}% of the keys",
                100.0 * n as f64 / (n + 1) as f64
            )
        } else {
            "almost every key".to_string()
        };
        out.report(
            Element::Component(id),
            store.attrs.span(attr::PARTITIONING).unwrap_or(store.id_span),
            format!("`{}` places keys by hash modulo the shard count: adding a shard moves {moved}", store.id),
            |d| d.with_label("modulo placement").with_help("use `consistent_hash(key: ..., vnodes: 256)` (moves ~1/N of the keys), `directory(key: ...)`, or many logical shards mapped onto the physical ones (`modulo(key: ..., logical: 4096)`)"),
        );
    }
}
