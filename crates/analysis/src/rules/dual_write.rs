use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "dual-write",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a component writes a database and publishes to a queue, with nothing tying the two",
    what: "One component has a write link to a `database` and a link publishing to a `queue` \
           that some of its requests take both of (their shares of its requests, by the \
           estimate or their `ratio`s, 100% when unstated, add up to more than 100%), the queue is not fed by that database's change stream (no \
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
    link.attrs.is(values::transaction::Value::Saga)
}

/// The share of the writer's requests that take a link: its estimated rate over the
/// writer's inbound, else its `ratio`, else all of them.
fn share(cx: &Context, id: LinkId, link: &Link) -> f64 {
    let carried = cx.estimates.links[id.index()].rate.map(|r| r.peak);
    let inbound = cx.estimates.components[link.from.index()]
        .inbound
        .map(|r| r.peak);
    match (carried, inbound) {
        (Some(carried), Some(inbound)) if inbound > 0.0 => carried / inbound,
        _ => link.attrs.number(attr::RATIO).unwrap_or(1.0),
    }
}

fn check(cx: &Context, out: &mut Findings) {
    for (writer, component) in cx.components() {
        // A store's links out are its change stream (the outbox itself), and a replica
        // applies the source's writes: neither is a second write of a request.
        if component.kind.is_data() {
            continue;
        }
        let stores: Vec<(LinkId, &Link)> = cx
            .outgoing(writer)
            .filter(|(_, l)| cx.model.component(l.to).kind == Kind::Database)
            .filter(|(_, l)| facts::writes_by_request(l) && !is_saga(l))
            .collect();
        if stores.is_empty() {
            continue;
        }
        for (id, publish) in cx.outgoing(writer) {
            let queue = publish.to;
            if cx.model.component(queue).kind != Kind::Queue
                || facts::ops(publish) == Ops::Read
                || is_saga(publish)
            {
                continue;
            }
            // A store whose change stream feeds the queue makes the publish derived.
            let fed_by = |store: ComponentId| cx.outgoing(store).any(|(_, l)| l.to == queue);
            // Some requests take both links only when their shares overlap.
            let both = |store: LinkId, link: &Link| {
                share(cx, store, link) + share(cx, id, publish) > 1.0 + 1e-9
            };
            let Some((_, store)) = stores
                .iter()
                .find(|(store_id, s)| !fed_by(s.to) && both(*store_id, s))
            else {
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

#[cfg(test)]
mod tests {
    use crate::findings_of;

    fn dual_writes(write: &str, publish: &str, more: &str) -> usize {
        let text = format!(
            "client u {{ rate: 1k/s }}\nservice api {{ replicas: 2 }}\ndatabase db {{ replicas: 2 }}\nqueue q\nworker w {{ replicas: 2 }}\n\
             u -> api\napi -> db {{ ops: write{write} }}\napi -> q {{ ops: write{publish} }}\nq -> w\n{more}"
        );
        findings_of("dual-write", &text).len()
    }

    #[test]
    fn only_when_some_requests_take_both_writes() {
        // 100% + 100%: every request writes twice.
        assert_eq!(dual_writes("", "", ""), 1);
        // 50% + 50%: the shares can be disjoint (writes or publishes, never both).
        assert_eq!(dual_writes(", ratio: 50%", ", ratio: 50%", ""), 0);
        // 60% + 50% > 100%: at least 10% of the requests take both.
        assert_eq!(dual_writes(", ratio: 60%", ", ratio: 50%", ""), 1);
    }

    #[test]
    fn silent_for_an_outbox_or_a_saga() {
        assert_eq!(dual_writes("", "", "db -> q\n"), 0);
        assert_eq!(
            dual_writes(", transaction: saga", ", transaction: saga", ""),
            0
        );
    }
}
