use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "exactly-once-side-effects",
    category: Category::Messaging,
    level: Level::Warning,
    summary: "exactly-once delivery assumed for side effects outside the broker",
    what: "A queue with `delivery: exactly_once` whose consumer writes to a component outside the \
           broker (anything but a queue).",
    why: "Kafka's exactly-once covers reads and writes within Kafka (transactions across topics and \
          offsets). A consumer that writes a database or calls an API acts outside that transaction: \
          after a crash it re-processes from the last committed offset and repeats the side effect. \
          End-to-end, exactly-once is effectively-once: an idempotent consumer, or the side effect \
          and the offset committed in the same database transaction.",
    bad: example!("exactly-once-side-effects", "bad"),
    good: example!("exactly-once-side-effects", "good"),
    reading: &[
        "Confluent: exactly-once semantics: https://www.confluent.io/blog/exactly-once-semantics-are-possible-heres-how-apache-kafka-does-it/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (queue_id, queue) in cx.components() {
        if queue.kind != Kind::Queue || !queue.attrs.is(values::delivery::Value::ExactlyOnce) {
            continue;
        }
        for (consumer_id, consume) in facts::consumers(cx.model, queue_id) {
            let consumer = cx.model.component(consumer_id);
            if consumer.attrs.bool(attr::IDEMPOTENT) == Some(true)
                || cx.model.link(consume).attrs.bool(attr::IDEMPOTENT) == Some(true)
            {
                continue;
            }
            let outside = cx
                .outgoing(consumer_id)
                .find(|(_, l)| facts::writes(l) && cx.model.component(l.to).kind != Kind::Queue);
            let Some((_, write)) = outside else { continue };
            out.report(
                Element::Component(consumer_id),
                consumer.id_span,
                format!("`{}` relies on exactly-once delivery from `{}` but writes `{}`, outside the broker: a re-processed message repeats the write", consumer.id, queue.id, cx.name(write.to)),
                |d| {
                    d.with_label("side effect outside the transaction")
                        .with_related(queue.attrs.span(attr::DELIVERY).unwrap_or(queue.id_span), "exactly-once inside the broker only")
                        .with_help("make the consumer idempotent (`idempotent: true`), or commit the write and the offset in one transaction")
                },
            );
        }
    }
}
