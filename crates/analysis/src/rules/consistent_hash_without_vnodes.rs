use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "consistent-hash-without-vnodes",
    category: Category::Data,
    level: Level::Warning,
    summary: "consistent hashing with too few virtual nodes",
    what: "`consistent_hash(...)` without `vnodes`, or with fewer than 16.",
    why: "With one point per server on the ring, the arcs between points are very uneven: with 10 \
          servers the largest arc is typically 2-3x the average, so one shard takes several times \
          the load and storage of another. Each server placed at many points (virtual nodes, 100-256 \
          is common) evens the arcs out, and when a server leaves its load spreads over all others \
          instead of falling on its one successor.",
    bad: example!("consistent-hash-without-vnodes", "bad"),
    good: example!("consistent-hash-without-vnodes", "good"),
    reading: &[
        "DeCandia et al., 'Dynamo', SOSP 2007, section 4.2",
        "Cassandra: num_tokens: https://cassandra.apache.org/doc/latest/cassandra/architecture/dynamo.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(Value::Call(call)) = store.attrs.get(attr::PARTITIONING) else {
            continue;
        };
        if call.name != call::Name::ConsistentHash {
            continue;
        }
        let vnodes = call.arg(param::VNODES).and_then(Value::as_count);
        if vnodes.is_some_and(|v| v >= 16) {
            continue;
        }
        let message = match vnodes {
            Some(v) => format!(
                "`{}` places each shard at only {v} point(s) on the hash ring: shard loads stay uneven",
                store.id
            ),
            None => format!(
                "`{}` uses consistent hashing without virtual nodes: one point per shard leaves shard loads uneven",
                store.id
            ),
        };
        out.report(
            Element::Component(id),
            store
                .attrs
                .span(attr::PARTITIONING)
                .unwrap_or(store.id_span),
            message,
            |d| {
                d.with_label("few ring positions")
                    .with_help("add `vnodes: 128` to 256 in `consistent_hash(...)`")
            },
        );
    }
}
