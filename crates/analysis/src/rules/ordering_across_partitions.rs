use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "ordering-across-partitions",
    category: Category::Messaging,
    level: Level::Error,
    summary: "FIFO promised over several partitions of a partition-ordered log",
    what: "A queue with `ordering: fifo` and `partitions` > 1 on an engine that orders messages \
           only within a partition (its profile: Kafka, Kinesis, Pulsar; a Pulsar Shared \
           subscription does not even keep that, Key_Shared keeps it per key).",
    why: "A partitioned log orders each partition, not the topic: messages in partitions 3 and 7 are \
          consumed in parallel, in no defined order relative to each other. A design that needs \
          all events in order (a ledger) must either use one partition (and its throughput limit, \
          about one consumer's speed) or, usually, only needs order per key: route by key \
          (`ordering: partition`) so each account's events share a partition.",
    bad: example!("ordering-across-partitions", "bad"),
    good: example!("ordering-across-partitions", "good"),
    reading: &[
        "Kafka: message ordering guarantees: https://kafka.apache.org/documentation/#intro_concepts_and_terms",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, queue) in cx.components() {
        let partitions = queue.attrs.count(attr::PARTITIONS).unwrap_or(1);
        let Some(profile) = queue.profile else {
            continue;
        };
        if !queue.attrs.is(values::ordering::Value::Fifo)
            || partitions <= 1
            || profile.default_value() != Some(values::ordering::Value::Partition)
        {
            continue;
        }
        out.report(
            Element::Component(id),
            queue.attrs.span(attr::ORDERING).unwrap_or(queue.id_span),
            format!("`{}` promises FIFO over {partitions} partitions, but {} orders messages only within a partition", queue.id, profile.name),
            |d| {
                d.with_label("no total order")
                    .with_related(queue.attrs.span(attr::PARTITIONS).unwrap_or(queue.id_span), format!("{partitions} partitions"))
                    .with_help("use `ordering: partition` and a partition key for what must stay in order, or 1 partition if everything must")
            },
        );
    }
}
