use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "consistency-mismatch",
    category: Category::Consistency,
    level: Level::Error,
    summary: "a caller needs stronger consistency than its store provides",
    what: "A link whose `consistency` (what the caller needs) is stronger than what its target \
           provides: the store's `consistency`, else its engine's; every cache provides at most \
           eventual, and so do reads served by asynchronous followers. The levels are a partial \
           order: strong above all; causal above read-your-writes and monotonic reads (which do \
           not imply each other); bounded staleness above eventual only (incomparable with \
           causal: within its bound a read may miss the reader's own write).",
    why: "The PACELC trade-off: a replicated store either waits for replicas to agree (consistency, \
          more latency, unavailable in a partition) or answers from one copy (latency and \
          availability, possibly stale). A caller that needs strong reads, such as a balance check \
          before a withdrawal, gets stale data from an eventually consistent store, and no amount \
          of retrying fixes it. Read from the leader or a strongly consistent store, or relax what \
          the caller needs.",
    bad: example!("consistency-mismatch", "bad"),
    good: example!("consistency-mismatch", "good"),
    reading: &[
        "Abadi, 'Consistency Tradeoffs in Modern Distributed Database System Design' (PACELC), IEEE Computer 2012",
        "Jepsen consistency models: https://jepsen.io/consistency",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(needed) = link.attrs.value::<Consistency>() else {
            continue;
        };
        let target = cx.model.component(link.to);
        let Some(provided) = facts::effective_consistency(target, Some(link)) else {
            continue;
        };
        if facts::consistency_satisfies(provided, needed) {
            continue;
        }
        let why = if target.kind == Kind::Cache {
            "a cache is at most eventually consistent".to_string()
        } else if facts::reads_from_async_followers(target, Some(link)) {
            "it serves reads from asynchronous followers".to_string()
        } else {
            match target.attrs.get(attr::CONSISTENCY) {
                Some(_) => format!("it is declared `consistency: {provided}`"),
                None => format!(
                    "{} is {provided} by default",
                    target.profile.map_or("its engine", |p| p.name.as_str())
                ),
            }
        };
        out.report(
            Element::Link(id),
            link.attrs.span(attr::CONSISTENCY).unwrap_or(link.span),
            format!("`{}` needs {needed} reads from `{}`, which provides {provided}: {why}", cx.name(link.from), target.id, ),
            |d| {
                d.with_label(format!("needs {needed}"))
                    .with_related(target.id_span, format!("provides {provided}"))
                    .with_help("read from a store (or the leader) that provides it, or relax `consistency` on this link if stale reads are acceptable")
            },
        );
    }
}
