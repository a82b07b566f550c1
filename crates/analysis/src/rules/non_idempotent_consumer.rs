use super::prelude::*;
use hld_model::schema::Target;

pub static RULE: Rule = Rule {
    name: "non-idempotent-consumer",
    category: Category::Messaging,
    level: Level::Warning,
    summary: "an at-least-once consumer that writes and is not idempotent",
    what: "A consumer of an `at_least_once` queue (the default) that has write links and is not \
           `idempotent: true` (on the component or its consume link).",
    why: "At-least-once delivery redelivers any message whose acknowledgement was lost: after a \
          consumer crash, a rebalance or a timeout. A consumer that applies the same message twice \
          charges a card twice or counts a view twice. Make processing idempotent (a dedup key, an \
          upsert, a conditional write) so a redelivery is harmless; that is cheaper and more robust \
          than trying to get exactly-once delivery.",
    bad: example!("non-idempotent-consumer", "bad"),
    good: example!("non-idempotent-consumer", "good"),
    reading: &[
        "Kleppmann, DDIA ch. 11 'Idempotence'",
        "AWS SQS at-least-once delivery: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (queue_id, queue) in cx.components() {
        if queue.kind != Kind::Queue {
            continue;
        }
        let delivery = queue.attrs.value_or_default(Target::Component(Kind::Queue));
        if delivery != Some(values::delivery::Value::AtLeastOnce) {
            continue;
        }
        for (consumer_id, consume) in facts::consumers(cx.model, queue_id) {
            let consumer = cx.model.component(consumer_id);
            let idempotent = consumer.attrs.bool(attr::IDEMPOTENT) == Some(true)
                || cx.model.link(consume).attrs.bool(attr::IDEMPOTENT) == Some(true);
            let write = cx
                .outgoing(consumer_id)
                .find(|(_, l)| l.to != queue_id && facts::writes(l));
            let Some((_, write)) = write.filter(|_| !idempotent) else {
                continue;
            };
            out.report(
                Element::Component(consumer_id),
                consumer.id_span,
                format!("`{}` consumes `{}` at least once and writes `{}` without being idempotent: a redelivered message is applied twice", consumer.id, queue.id, cx.name(write.to)),
                |d| d.with_label("not idempotent").with_related(write.span, "writes here").with_help("make processing idempotent (dedup key, upsert, conditional write) and state `idempotent: true`"),
            );
        }
    }
}
