use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "cache-as-source-of-truth",
    category: Category::Caching,
    level: Level::Warning,
    summary: "data written only to a cache that persists nothing",
    what: "A component writes a cache with `persistence: none`, neither the writer nor the \
           cache writes to any `database` or `blob`, and the cached data does not come from \
           one either: no store feeds the cache (a change-data-capture or replication link \
           from a `database`, `blob` or `search` into it) and the cache does not say it \
           `caches:` one (the writer then fills it with what it read there).",
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

fn is_durable(kind: Kind) -> bool {
    matches!(kind, Kind::Database | Kind::Blob | Kind::Search)
}

/// A store links into the cache: its change stream (or replication) fills it.
fn fed_by_a_store(cx: &Context, cache: ComponentId) -> bool {
    cx.incoming(cache)
        .any(|(_, l)| is_durable(cx.model.component(l.from).kind))
}

/// The cache names the durable store it holds a copy of.
fn caches_a_store(cx: &Context, cache: &Component) -> bool {
    cache
        .attrs
        .symbol(attr::CACHES)
        .and_then(|store| cx.model.find(store))
        .is_some_and(|store| is_durable(cx.model.component(store).kind))
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let cache = cx.model.component(link.to);
        if cache.kind != Kind::Cache || !facts::writes(link) {
            continue;
        }
        let persistence = cache
            .attrs
            .value_or_default(hld_model::schema::Target::Component(Kind::Cache));
        if persistence != Some(values::persistence::Value::None)
            || writes_durably(cx, link.from)
            || writes_durably(cx, link.to)
            || fed_by_a_store(cx, link.to)
            || caches_a_store(cx, cache)
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn fires(more: &str) -> bool {
        fires_with_cache(&format!(
            "cache carts {{ engine: redis, replicas: 2 }}\n{more}"
        ))
    }

    fn fires_with_cache(cache_and_more: &str) -> bool {
        let text = format!(
            "client u\nservice cart {{ replicas: 2 }}\nu -> cart\ncart -> carts {{ ops: write }}\n{cache_and_more}"
        );
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn a_cache_filled_from_a_durable_store_is_not_the_source_of_truth() {
        assert!(fires(""));
        let cdc = "database db\ndb -> carts \"change stream\"\n";
        assert!(!fires(cdc), "fed by CDC");
        assert!(
            !fires("database db\ncart -> db { ops: write }\n"),
            "written through"
        );
        assert!(
            fires("service other\nother -> carts\n"),
            "fed by a service, not a store"
        );
        // Reading some store says nothing of what is cached (a limiter reads its rules
        // and keeps its counters in the cache): only `caches:` says which store it is.
        assert!(fires("database rules\ncart -> rules { ops: read }\n"));
        let copy = "cache carts { engine: redis, replicas: 2, caches: db }\ndatabase db\ncart -> db { ops: read }\n";
        assert!(!fires_with_cache(copy), "a copy of `db`");
    }
}
