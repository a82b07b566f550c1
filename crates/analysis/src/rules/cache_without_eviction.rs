use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "cache-without-eviction",
    category: Category::Caching,
    level: Level::Warning,
    summary: "a cache that neither evicts nor expires",
    what: "A cache with `eviction: none` and no `ttl`.",
    why: "A cache holds a hot subset of the data in memory, which is far smaller than the data: \
          10 GB of RAM in front of a 1 TB table. With no eviction policy and no expiry it only \
          grows; when memory fills, writes fail (Redis `noeviction` answers OOM errors) or the \
          process is killed, and the cache turns from an accelerator into an outage. LRU or LFU \
          keeps the working set; a TTL also bounds staleness.",
    bad: example!("cache-without-eviction", "bad"),
    good: example!("cache-without-eviction", "good"),
    reading: &["Redis: key eviction: https://redis.io/docs/latest/develop/reference/eviction/"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, cache) in cx.components() {
        if cache.kind != Kind::Cache
            || !cache.attrs.is(values::eviction::Value::None)
            || cache.attrs.get(attr::TTL).is_some()
        {
            continue;
        }
        out.report(
            Element::Component(id),
            cache.attrs.span(attr::EVICTION).unwrap_or(cache.id_span),
            format!(
                "cache `{}` has `eviction: none` and no `ttl`: it grows until memory runs out",
                cache.id
            ),
            |d| {
                d.with_label("never evicts").with_help(
                    "set `eviction: lru` (or `lfu`), or a `ttl` that bounds what it holds",
                )
            },
        );
    }
}
