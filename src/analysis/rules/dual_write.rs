use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "dual-write",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a component writes a database and publishes to a queue, with nothing tying the two",
    what: "One component has a write link to a `database` and a link publishing to a `queue` \
           that some of its requests take both of (their `ratio`s, 100% when unstated, add up \
           to more than 100%), the queue is not fed by that database's change stream (no \
           database → queue link), and neither link says `transaction: saga`.",
    why: "The two writes cannot commit together: the process can crash, or the broker be \
          down, between them. Commit the row and lose the event, and the search index, the \
          cache or the downstream service never hears of the change; publish first and fail \
          the commit, and they act on something that never happened. Retrying does not fix \
          it, it only changes which half is missing. Use a transactional outbox (the event \
          is written in the same transaction as the row, and a relay or change data capture \
          publishes it: `orders -> events`), or make the flow a saga whose steps compensate.",
    bad: example!("dual-write", "bad"),
    good: example!("dual-write", "good"),
    reading: &[
        "Chris Richardson, 'Pattern: Transactional outbox': https://microservices.io/patterns/data/transactional-outbox.html",
        "Martin Kleppmann, Designing Data-Intensive Applications, ch. 11 'Keeping Systems in Sync' (dual writes)",
    ],
    check,
};

fn is_saga(link: &Link) -> bool {
    link.attrs.symbol("transaction") == Some("saga")
}

/// The share of the caller's requests that take a link.
fn ratio(link: &Link) -> f64 {
    link.attrs.number("ratio").unwrap_or(1.0)
}

fn check(cx: &Context, out: &mut Findings) {
    for (writer, _) in cx.components() {
        let stores: Vec<(LinkId, &Link)> = cx
            .outgoing(writer)
            .filter(|(_, l)| cx.model.component(l.to).kind == Kind::Database)
            .filter(|(_, l)| facts::writes(l) && !is_saga(l))
            .collect();
        if stores.is_empty() {
            continue;
        }
        for (id, publish) in cx.outgoing(writer) {
            let queue = publish.to;
            if cx.model.component(queue).kind != Kind::Queue
                || facts::ops(publish) == "read"
                || is_saga(publish)
            {
                continue;
            }
            // A store whose change stream feeds the queue makes the publish derived.
            let fed_by = |store: ComponentId| cx.outgoing(store).any(|(_, l)| l.to == queue);
            // Some requests take both links only when their shares overlap.
            let both = |store: &Link| ratio(store) + ratio(publish) > 1.0 + 1e-9;
            let Some((_, store)) = stores.iter().find(|(_, s)| !fed_by(s.to) && both(s)) else {
                continue;
            };
            out.report(
                Element::Link(id),
                publish.span,
                format!(
                    "`{}` writes `{}` and publishes to `{}` as two separate writes: a crash between them leaves one without the other",
                    cx.name(writer),
                    cx.name(store.to),
                    cx.name(queue)
                ),
                |d| {
                    d.with_label("second write")
                        .with_related(store.span, "the first write")
                        .with_help(format!(
                            "use an outbox: write the event with the row and let `{}`'s change stream publish it (`{} -> {}`), or mark both links `transaction: saga`",
                            cx.name(store.to),
                            cx.name(store.to),
                            cx.name(queue)
                        ))
                },
            );
        }
    }
}
