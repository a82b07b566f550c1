use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "cache-as-source-of-truth",
    category: Category::Caching,
    level: Level::Error,
    summary: "data written only to a cache that persists nothing",
    what: "A component writes a cache with `persistence: none`, and neither the writer nor the \
           cache writes to any `database` or `blob`.",
    why: "A cache is allowed to forget: it evicts under memory pressure, expires keys, and restarts \
          empty. Data whose only home is a cache (sessions, carts, counters) disappears on the next \
          eviction or deploy. Keep the source of truth in a durable store and treat the cache as \
          a copy, or make the cache durable (persistence, replicas) and call it a database.",
    bad: example!("cache-as-source-of-truth", "bad"),
    good: example!("cache-as-source-of-truth", "good"),
    reading: &[
        "Redis persistence: https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/",
    ],
    check,
};

fn writes_durably(cx: &Context, from: ComponentId) -> bool {
    cx.model
        .graph
        .edges_directed(from, Direction::Outgoing)
        .any(|e| {
            facts::writes(cx.model.link(e.id()))
                && matches!(
                    cx.model.component(e.target()).kind,
                    Kind::Database | Kind::Blob
                )
        })
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let cache = cx.model.component(link.to);
        if cache.kind != Kind::Cache || !facts::writes(link) {
            continue;
        }
        let persistence = cache
            .attrs
            .get_or_default(
                "persistence",
                crate::model::schema::Target::Component(Kind::Cache),
            )
            .and_then(Value::as_str);
        if persistence != Some("none")
            || writes_durably(cx, link.from)
            || writes_durably(cx, link.to)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!("`{}` writes `{}`, a cache that persists nothing, and the data reaches no database or blob store", cx.name(link.from), cache.id),
            |d| {
                d.with_label("the only copy is in a cache")
                    .with_related(cache.id_span, "evicts and restarts empty")
                    .with_help("also write the data to a durable store, or give the cache `persistence: aof` and replicas")
            },
        );
    }
}
