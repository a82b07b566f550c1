use super::prelude::*;
use crate::estimate::human_rate;

pub static RULE: Rule = Rule {
    name: "btree-write-heavy",
    category: Category::Data,
    level: Level::Info,
    summary: "a write-heavy workload on a B-tree store",
    what: "A store whose storage engine is a B-tree (stated or its engine's), not managed, whose \
           estimated write rate exceeds its read rate and, per shard, 10k/s. Its help proposes \
           only LSM engines whose consistency gives what the store's readers ask for.",
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

/// Writes a second one shard of a B-tree store absorbs without trouble.
const SHARD_WRITES: f64 = 10_000.0;

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let storage = store.effective();
        // A managed engine's provider scales its storage: its limits are other rules'.
        let managed = store.attrs.bool(attr::MANAGED) == Some(true)
            || store.profile.is_some_and(|p| p.managed);
        let estimate = &cx.estimates.components[id.index()];
        let shards = store.attrs.count(attr::SHARDS).unwrap_or(1).max(1) as f64;
        let per_shard = estimate.writes() / shards;
        if storage != Some(values::storage::Value::Btree)
            || managed
            || estimate.writes() <= estimate.reads()
            || per_shard <= SHARD_WRITES
        {
            continue;
        }
        let shards_text = if shards > 1.0 {
            format!(" ({} per shard of {shards})", human_rate(per_shard))
        } else {
            String::new()
        };
        out.report(
            Element::Component(id),
            store.id_span,
            format!(
                "`{}` takes {} writes{shards_text} against {} reads on a B-tree engine",
                store.id,
                human_rate(estimate.writes()),
                human_rate(estimate.reads())
            ),
            |d| d.with_label("write-heavy B-tree").with_help(help(cx, id)),
        );
    }
}

/// LSM engines of the store's data model, or wide-column ones (the usual home of a
/// write-heavy table), whose consistency meets every need its readers state: the advice
/// never trades the readers' guarantees for write throughput.
fn help(cx: &Context, store: ComponentId) -> String {
    let component = cx.model.component(store);
    let model: Option<values::model::Value> = component.effective();
    let needs: Vec<Consistency> = cx
        .incoming(store)
        .filter(|(_, l)| facts::reads(l))
        .filter_map(|(_, l)| l.attrs.value())
        .collect();
    let engines = hld_model::Engines::get();
    let fitting: Vec<String> = engines
        .names()
        .filter_map(|name| engines.profile(name))
        .filter(|p| {
            p.fits(Kind::Database) && p.default_value() == Some(values::storage::Value::Lsm)
        })
        .filter(|p| {
            let engine_model = p.default_value();
            engine_model == model || engine_model == Some(values::model::Value::WideColumn)
        })
        .filter(|p| {
            let offers = p.consistency.unwrap_or(Consistency::Eventual);
            needs
                .iter()
                .all(|&need| facts::consistency_satisfies(offers, need))
        })
        .map(|p| p.name.clone())
        .collect();
    let shard = "shard it so each shard takes fewer writes (`shards`)";
    match fitting.as_slice() {
        [] => format!("{shard}, or batch the writes"),
        engines => format!(
            "{shard}, or move to an LSM engine that gives what its readers need ({})",
            hld_syntax::diagnostics::one_of(engines)
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::findings_of;

    fn help(read: &str) -> String {
        let text = format!(
            "client sensors {{ rate: 46k/s }}\nservice api {{ replicas: 4 }}\ndatabase readings {{ engine: mysql, replicas: 2 }}\nsensors -> api\napi -> readings {{ ops: write }}\napi -> readings {{ ops: read, rate: 10/s{read} }}\n"
        );
        let found = findings_of("btree-write-heavy", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].help.clone().unwrap_or_default()
    }

    /// Readers that need strong reads are never sent to an eventually consistent engine.
    #[test]
    fn the_advice_keeps_what_the_readers_need() {
        let any = help("");
        assert!(
            any.contains("`cassandra`") && any.contains("`cockroachdb`"),
            "{any}"
        );
        let strong = help(", consistency: strong");
        assert!(
            !strong.contains("`cassandra`") && !strong.contains("`scylladb`"),
            "{strong}"
        );
        assert!(strong.contains("`cockroachdb`"), "{strong}");
    }
}
