use super::prelude::*;
use hld_model::values::indexes::Value as Index;
use hld_model::values::query::Value as Query;

pub static RULE: Rule = Rule {
    name: "query-index-mismatch",
    category: Category::Data,
    level: Level::Warning,
    summary: "an access pattern the target has no index for",
    what: "A link whose `query` its target does not serve through its `indexes` or its engine: \
           `radius`/`nearest` need `geohash`, `quadtree`, `s2` or `h3` (or a geo-capable engine); \
           `full_text` needs `inverted` or a `search` component; `rank` needs `sorted_set` (or an \
           engine with sorted sets); `prefix` needs `trie` or `btree`; `graph` needs `model: graph`.",
    why: "Without a matching index the store answers by scanning: \"drivers within 2 km\" over 1M \
          rows reads all of them (O(n)) where a geohash or quadtree reads a few cells (O(log n + k)); \
          a LIKE '%word%' cannot use a B-tree; a top-100 leaderboard over 10M scores re-sorts them on \
          each read unless a sorted set keeps them ordered. The choice of index is the data \
          structure the interview question is really about.",
    bad: example!("query-index-mismatch", "bad"),
    good: example!("query-index-mismatch", "good"),
    reading: &[
        "Uber H3: https://h3geo.org/docs/",
        "Redis sorted sets: https://redis.io/docs/latest/develop/data-types/sorted-sets/",
    ],
    check,
};

/// What serves a query, in words, and whether the target has it.
fn served(query: Query, target: &Component) -> Option<(bool, &'static str)> {
    let indexes = target.attrs.values::<Index>();
    let has = |names: &[Index]| indexes.iter().any(|i| names.contains(i));
    let profile = target.profile;
    Some(match query {
        Query::Radius | Query::Nearest => (
            has(&[Index::Geohash, Index::Quadtree, Index::S2, Index::H3])
                || profile.is_some_and(|p| p.geo),
            "a geospatial index (`indexes: [geohash]`, `quadtree`, `s2`, `h3`) or a geo-capable engine",
        ),
        Query::FullText => (
            has(&[Index::Inverted])
                || target.kind == Kind::Search
                || profile.is_some_and(|p| p.full_text),
            "an inverted index (`indexes: [inverted]`) or a `search` component",
        ),
        Query::Rank => (
            has(&[Index::SortedSet]) || profile.is_some_and(|p| p.sorted_sets),
            "a sorted set (`indexes: [sorted_set]`, or an engine such as redis)",
        ),
        Query::Prefix => (
            has(&[Index::Trie, Index::Btree])
                || target.effective() == Some(values::storage::Value::Btree),
            "a trie or a B-tree index (`indexes: [trie]`)",
        ),
        Query::Graph => (
            target.effective() == Some(values::model::Value::Graph),
            "a graph store (`model: graph`, or an engine such as neo4j)",
        ),
        Query::Point | Query::Range | Query::Scan | Query::Aggregate => return None,
    })
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(query) = link.attrs.value::<Query>() else {
            continue;
        };
        let target = cx.model.component(link.to);
        if !target.kind.is_data() {
            continue;
        }
        let Some((true_or_false, needs)) = served(query, target) else {
            continue;
        };
        if true_or_false {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::QUERY).unwrap_or(link.span),
            format!(
                "`{}` runs `{query}` queries on `{}`, which has no index for them: each one scans",
                cx.name(link.from),
                target.id
            ),
            |d| {
                d.with_label("no index for this query")
                    .with_related(target.id_span, "the target")
                    .with_help(format!("`{query}` needs {needs}"))
            },
        );
    }
}
