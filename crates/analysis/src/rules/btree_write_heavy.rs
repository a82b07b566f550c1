use super::prelude::*;
use crate::estimate::human_rate;

pub static RULE: Rule = Rule {
    name: "btree-write-heavy",
    category: Category::Data,
    level: Level::Info,
    summary: "a write-heavy workload on a B-tree store",
    what: "A store whose storage engine is a B-tree (stated or its engine's) and whose estimated \
           write rate exceeds both its read rate and 10k/s.",
    why: "A B-tree updates pages in place: each write reads and rewrites a page (and its WAL \
          record), with random I/O and write amplification that limit sustained write rates. An \
          LSM-tree (Cassandra, RocksDB, ScyllaDB) appends writes sequentially and merges later, \
          absorbing far higher write rates at the price of slower reads and background compaction.",
    bad: example!("btree-write-heavy", "bad"),
    good: example!("btree-write-heavy", "good"),
    reading: &[
        "O'Neil et al., 'The Log-Structured Merge-Tree', Acta Informatica 1996",
        "Kleppmann, DDIA ch. 3 'Comparing B-Trees and LSM-Trees'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let storage = store
            .attrs
            .symbol(attr::STORAGE)
            .or_else(|| store.profile.and_then(|p| p.storage.as_deref()));
        let estimate = &cx.estimates.components[id.index()];
        if storage != Some("btree")
            || estimate.writes() <= estimate.reads()
            || estimate.writes() <= 10_000.0
        {
            continue;
        }
        out.report(
            Element::Component(id),
            store.id_span,
            format!("`{}` takes {} writes against {} reads on a B-tree engine", store.id, human_rate(estimate.writes()), human_rate(estimate.reads())),
            |d| d.with_label("write-heavy B-tree").with_help("consider an LSM engine (cassandra, scylladb) or `storage: lsm` for this workload"),
        );
    }
}
