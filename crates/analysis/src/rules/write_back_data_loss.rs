use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "write-back-data-loss",
    category: Category::Caching,
    level: Level::Error,
    summary: "a write-back cache that can lose acknowledged writes",
    what: "A `write_back` cache with `persistence: none` or redundancy 1.",
    why: "A write-back cache acknowledges a write before the store has it and flushes later, which \
          absorbs write bursts. Until the flush, the cache holds the only copy: if that single \
          process restarts, or its memory is not persisted, acknowledged writes are gone. \
          Write-back needs the cache to be durable itself (replicated, with an append-only log); \
          otherwise use write-through and pay the store's latency on each write.",
    bad: example!("write-back-data-loss", "bad"),
    good: example!("write-back-data-loss", "good"),
    reading: &[
        "AWS caching strategies: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Strategies.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, cache) in cx.components() {
        if cache.kind != Kind::Cache || !cache.attrs.is(values::strategy::Value::WriteBack) {
            continue;
        }
        let volatile = cache
            .attrs
            .value_or_default(hld_model::schema::Target::Component(Kind::Cache))
            == Some(values::persistence::Value::None);
        let single = cx.facts.redundancy[id.index()] == Redundancy::Copies(1);
        if !volatile && !single {
            continue;
        }
        let why = match (volatile, single) {
            (true, true) => "a single instance that persists nothing",
            (true, false) => "nothing is persisted",
            _ => "it runs one instance",
        };
        out.report(
            Element::Component(id),
            cache.attrs.span(attr::STRATEGY).unwrap_or(cache.id_span),
            format!("cache `{}` acknowledges writes before the store has them, and {why}: a restart loses them", cache.id),
            |d| d.with_label("holds the only copy").with_help("give it `persistence: aof` and 2+ replicas, or use `strategy: write_through`"),
        );
    }
}
