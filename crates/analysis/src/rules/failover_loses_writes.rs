use super::advice;
use super::prelude::*;
use crate::estimate::store::LAG;
use crate::estimate::{human_count, human_duration};

pub static RULE: Rule = Rule {
    name: "failover-loses-writes",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "automatic failover over asynchronous replication drops acknowledged writes",
    what: "A store on a request path that takes writes and replicates with \
           `leader_follower(mode: async, failover: automatic)` (async is the mode when none is \
           written). The message gives the writes lost per failover: the peak write rate × the \
           replication lag (`lag`, 1s unless stated); it stays silent below one write per failover, \
           and when the `rpo` of the flows writing it (else the design's) accepts losing the \
           lag's writes.",
    why: "The leader acknowledges a write before any follower has it. When the leader dies, the \
          follower promoted in its place lacks the writes of the last lag interval, and those \
          acknowledged writes are gone: the client was told they succeeded. When the old leader \
          comes back, its extra writes conflict with the new history and are discarded or must be \
          reconciled by hand (GitHub's 2018 failover left 954 writes on one cluster to reconcile). \
          Semi-synchronous replication (one follower acknowledges before the client is told) or a \
          consensus protocol loses none, at the price of a round trip on every write.",
    bad: example!("failover-loses-writes", "bad"),
    good: example!("failover-loses-writes", "good"),
    reading: &[
        "GitHub, 'October 21 post-incident analysis' (2018): https://github.blog/2018-10-30-oct21-post-incident-analysis/",
        "Kleppmann, DDIA ch. 5 'Replication', 'Handling Node Outages: Leader failover'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        if !cx.facts.on_request_path(id) {
            continue;
        }
        // A loss within the recovery point objective is accepted.
        let lag = store.attrs.number(attr::LAG).unwrap_or(LAG);
        let rpo = advice::recovery_objective(cx, id, attr::RPO, facts::writes);
        if rpo.as_ref().is_some_and(|(rpo, _)| lag <= *rpo) {
            continue;
        }
        // Below one write per failover at peak, nothing acknowledged is at stake.
        let Some(lost) = cx.estimates.components[id.index()]
            .lost_writes
            .as_ref()
            .filter(|lost| lost.value >= 1.0)
        else {
            continue;
        };
        out.report(
            Element::Component(id),
            store.attrs.span(attr::REPLICATION).unwrap_or(store.id_span),
            format!(
                "`{}` fails over automatically over asynchronous replication: each failover drops about {} acknowledged writes ({}){}",
                store.id,
                human_count(lost.value),
                lost.formula,
                rpo.map_or(String::new(), |(rpo, whose)| format!(
                    ", beyond {whose} rpo of {}",
                    human_duration(rpo)
                ))
            ),
            |d| {
                d.with_label("async failover").with_help(
                    "use `mode: semi_sync` (a follower confirms each write before the client is told) or `replication: consensus(n: 3)`; or accept the loss with `@allow` and state it as the design's `rpo`",
                )
            },
        );
    }
}
