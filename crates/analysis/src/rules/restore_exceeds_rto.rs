use super::advice;
use super::prelude::*;
use crate::estimate::human_duration;

pub static RULE: Rule = Rule {
    name: "restore-exceeds-rto",
    category: Category::Availability,
    level: Level::Warning,
    summary: "restoring a store from its backup takes longer than the design's rto",
    what: "A store with `backup: true` whose restore time, the storage per copy of one shard ÷ \
           `restore_rate` (100 MB/s unless stated; shards restore in parallel), exceeds the \
           `rto` of a flow whose steps reach it, else the design's.",
    why: "A backup is only as good as the time it takes to bring back: when every copy is lost or \
          corrupted (a bad migration, a `DELETE` replicated everywhere), the service is down until \
          the restore ends. A 20 TB shard at 100 MB/s takes more than two days. Smaller shards \
          restore in parallel, snapshots restore faster than logical dumps, and a delayed replica \
          keeps a recent copy ready without any restore.",
    bad: example!("restore-exceeds-rto", "bad"),
    good: example!("restore-exceeds-rto", "good"),
    reading: &[
        "Google SRE book, ch. 26 'Data Integrity: What You Read Is What You Wrote': https://sre.google/sre-book/data-integrity/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(restore) = &cx.estimates.components[id.index()].restore_time else {
            continue;
        };
        let Some((rto, whose)) = advice::recovery_objective(cx, id, attr::RTO, |_| true) else {
            continue;
        };
        if restore.value <= rto {
            continue;
        }
        out.report(
            Element::Component(id),
            store.attrs.span(attr::BACKUP).unwrap_or(store.id_span),
            format!(
                "`{}` takes {} to restore from its backup ({}), beyond {whose} rto of {}",
                store.id,
                human_duration(restore.value),
                restore.formula,
                human_duration(rto)
            ),
            |d| {
                d.with_label("slow restore").with_help(
                    "split it into more shards (they restore in parallel), raise `restore_rate` (snapshots restore faster than dumps), or keep a delayed replica so a restore is not the way back",
                )
            },
        );
    }
}
