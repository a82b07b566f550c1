use super::prelude::*;
use crate::estimate::human_rate;

pub static RULE: Rule = Rule {
    name: "missing-cache",
    category: Category::Caching,
    level: Level::Warning,
    summary: "heavy reads on a store with no cache",
    what: "A caller reads a database, search index or blob store at half the store's read \
           capacity or more (1k/s or more when no capacity is known), the link does not say \
           `keys: unique` (each key read about once: nothing for a cache to reuse), and neither \
           the caller reads a cache that holds this store (its `caches` names the store, or \
           it does not say what it holds), nor a `read_through` cache fronts the store, nor a CDN \
           serves the path.",
    why: "Read-heavy workloads (100:1 is common) read the same hot keys over and over: a cache \
          with a 90% hit ratio cuts store reads tenfold and answers in about a millisecond instead \
          of 5-10 ms. The price is staleness (bounded by the TTL or invalidation) and one more \
          component to run; without it the store is sized for the full read peak.",
    bad: example!("missing-cache", "bad"),
    good: example!("missing-cache", "good"),
    reading: &["AWS: caching best practices: https://aws.amazon.com/caching/best-practices/"],
    check,
};

/// Reads a second that call for a cache when the store's capacity is unknown.
const UNKNOWN_CAPACITY_READS: f64 = 1000.0;

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let without_cdn = facts::reached_unguarded(model, cx.facts, |c| c.kind == Kind::Cdn, |_| false);
    for (id, link) in cx.links() {
        let store = model.component(link.to);
        // Each key read about once (a crawl frontier, a dedup check): nothing to reuse.
        if !matches!(store.kind, Kind::Database | Kind::Search | Kind::Blob)
            || facts::ops(link) != Ops::Read
            || link.attrs.is(values::keys::Value::Unique)
        {
            continue;
        }
        let Some(rate) = cx.estimates.links[id.index()].rate else {
            continue;
        };
        let store_estimate = &cx.estimates.components[link.to.index()];
        let read_capacity = store_estimate
            .read_capacity()
            .or(store_estimate.capacity.as_ref().map(|c| c.value));
        let heavy = match read_capacity {
            Some(capacity) => rate.peak >= capacity / 2.0,
            None => rate.peak >= UNKNOWN_CAPACITY_READS,
        };
        if !heavy {
            continue;
        }
        // A cache the caller reads first, for this store: one that says it `caches` the
        // store, or says nothing of what it holds (a presence cache it only writes, or one
        // that holds another store's rows, takes nothing off these reads).
        let caller_caches = cx.outgoing(link.from).any(|(_, l)| {
            let cache = model.component(l.to);
            let holds = cache.attrs.symbol(attr::CACHES);
            cache.kind == Kind::Cache
                && facts::ops(l) != Ops::Write
                && holds.is_none_or(|held| held == store.id)
        });
        let fronted = cx.incoming(link.to).any(|(_, l)| {
            let cache = model.component(l.from);
            cache.kind == Kind::Cache && cache.attrs.is(values::strategy::Value::ReadThrough)
        });
        let behind_cdn =
            cx.facts.on_request_path(link.from) && without_cdn[link.from.index()].is_none();
        if caller_caches || fronted || behind_cdn {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!("`{}` reads `{}` at {} with no cache in front", cx.name(link.from), store.id, human_rate(rate.peak)),
            |d| d.with_label("uncached reads").with_help(format!("add a `cache` that `{}` reads first (look-aside), or a read-through cache in front of `{}`", cx.name(link.from), store.id)),
        );
    }
}
