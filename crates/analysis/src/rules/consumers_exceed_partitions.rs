use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "consumers-exceed-partitions",
    category: Category::Messaging,
    level: Level::Warning,
    summary: "more consumers than the queue has partitions",
    what: "A consumer of a queue with `partitions` stated runs more replicas (or a higher autoscale \
           maximum) than the queue has partitions. Silent for shared subscriptions, where \
           consumers compete for messages: a broker (RabbitMQ, SQS), or a queue that says \
           `consumers: compete` (Pulsar's Shared and Key_Shared subscriptions).",
    why: "In a partitioned log (Kafka, Kinesis, or Pulsar with an Exclusive or Failover \
          subscription) each partition is read by exactly one consumer of a group at a time, to \
          keep its order. With 12 partitions a 20-replica consumer group has 8 replicas that \
          receive nothing: paid for, idle, and no help at peak. Parallelism is capped by \
          partitions, so size partitions for the peak consumer count (they are hard to add later \
          without reshuffling keys). Shared subscriptions (Pulsar's Shared and Key_Shared, a \
          broker's competing consumers) let many consumers read one partition, at the price of \
          its order (Key_Shared keeps it per key).",
    bad: example!("consumers-exceed-partitions", "bad"),
    good: example!("consumers-exceed-partitions", "good"),
    reading: &["Kafka consumer groups: https://kafka.apache.org/documentation/#intro_consumers"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (queue_id, queue) in cx.components() {
        let Some(partitions) = queue
            .attrs
            .count(attr::PARTITIONS)
            .filter(|_| queue.kind == Kind::Queue)
        else {
            continue;
        };
        if shared(queue) {
            continue;
        }
        for (consumer_id, link) in facts::consumers(cx.model, queue_id) {
            let consumer = cx.model.component(consumer_id);
            let (replicas, what) = match consumer.attrs.get(attr::AUTOSCALE) {
                Some(Value::Range(_, max)) => (*max, "scales up to"),
                _ => (consumer.replicas(), "runs"),
            };
            if replicas <= partitions {
                continue;
            }
            out.report(
                Element::Component(consumer_id),
                consumer.attrs.span(attr::AUTOSCALE).or(consumer.attrs.span(attr::REPLICAS)).unwrap_or(consumer.id_span),
                format!(
                    "`{}` {what} {replicas} replicas but `{}` has {partitions} partitions: {} of them idle",
                    consumer.id,
                    queue.id,
                    replicas - partitions
                ),
                |d| {
                    d.with_label("more consumers than partitions")
                        .with_related(queue.attrs.span(attr::PARTITIONS).unwrap_or(queue.id_span), format!("{partitions} partitions"))
                        .with_related(cx.model.link(link).span, "consumes here")
                        .with_help(format!("give `{}` at least {replicas} partitions, or run at most {partitions} consumers", queue.id))
                },
            );
        }
    }
}

/// Whether consumers share the queue's partitions: its `consumers: compete`, else its
/// engine's (a broker).
fn shared(queue: &Component) -> bool {
    queue.effective() == Some(values::consumers::Value::Compete)
}
