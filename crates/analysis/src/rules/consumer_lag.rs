use super::prelude::*;
use crate::estimate::{human_count, human_rate};

pub static RULE: Rule = Rule {
    name: "consumer-lag",
    category: Category::Capacity,
    level: Level::Error,
    summary: "a consumer group receives more messages than it can process",
    what: "A consumer group (a component a queue delivers to) whose estimated inbound rate \
           exceeds its replicas × per-replica `capacity`. On a log (Kafka, Kinesis, Pulsar, or \
           `consumers: fanout`) every group receives the whole stream; on a broker the groups \
           split it. The finding is on the queue's link to the group: the backlog grows there.",
    why: "A queue decouples the producer from the consumer's speed, but only for bursts: when \
          the consumers are slower than the producers on average at the peak, the backlog grows \
          by the difference every second, end-to-end latency grows with it, and messages age \
          past the queue's retention and are lost. Size a consumer group for the peak it \
          receives (on a log, each group receives everything, not a share), and give the queue \
          at least as many partitions as the group needs replicas, since replicas beyond the \
          partitions idle.",
    bad: example!("consumer-lag", "bad"),
    good: example!("consumer-lag", "good"),
    reading: &[
        "Kafka documentation, 'Consumers' and consumer groups: https://kafka.apache.org/documentation/#intro_consumers",
        "Kleppmann, DDIA ch. 11 'Partitioned Logs' (consumer offsets and lag)",
    ],
    check,
};

const HOUR: f64 = 3600.0;

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let queue = cx.model.component(link.from);
        if queue.kind != Kind::Queue || matches!(facts::ops(link), Ops::Control | Ops::Replicate) {
            continue;
        }
        let Some((inbound, capacity, utilization)) = cx.estimates.saturation(link.to) else {
            continue;
        };
        let Some(delivered) = cx.estimates.links[id.index()].rate else {
            continue;
        };
        if utilization <= 1.0 || inbound.peak <= 0.0 {
            continue;
        }
        // The group's excess, in the proportion this queue delivers of its inbound.
        let backlog = (inbound.peak - capacity.value) * delivered.peak / inbound.peak;
        let group = cx.model.component(link.to);
        let needed = replicas_needed(group, inbound.peak);
        out.report(
            Element::Link(id),
            link.span,
            format!(
                "`{}` receives {} from `{}` but consumes at most {} ({}): the backlog grows by {} messages a second, {} an hour",
                group.id,
                human_rate(inbound.peak),
                queue.id,
                human_rate(capacity.value),
                capacity.formula,
                human_count(backlog),
                human_count(backlog * HOUR),
            ),
            |d| {
                d.with_label("lags")
                    .with_related(group.id_span, format!("consumes {}", human_rate(capacity.value)))
                    .with_help(help(queue, group, needed))
            },
        );
    }
}

/// Replicas that keep the group at 70% of its capacity at peak, when its per-replica
/// capacity is known.
fn replicas_needed(group: &Component, inbound: f64) -> Option<u64> {
    let per_replica = group
        .attrs
        .number(attr::CAPACITY)
        .or_else(|| group.profile.and_then(|p| p.capacity))?;
    Some((inbound / per_replica / 0.7).ceil() as u64)
}

fn help(queue: &Component, group: &Component, needed: Option<u64>) -> String {
    let Some(needed) = needed else {
        return format!(
            "give `{}` more replicas or more capacity per replica",
            group.id
        );
    };
    match queue.attrs.count(attr::PARTITIONS) {
        Some(partitions) if partitions < needed => format!(
            "run about {needed} replicas of `{}` (70% at peak), and give `{}` at least {needed} partitions: it has {partitions}, and replicas beyond them idle",
            group.id, queue.id
        ),
        _ => format!(
            "run about {needed} replicas of `{}` (70% at peak), or make each consume faster (batching)",
            group.id
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::findings_of;

    fn lag(engine: &str, replicas: u64) -> Vec<String> {
        let text = format!(
            "client u {{ rate: 3.5k/s }}\nservice api {{ replicas: 2 }}\nqueue events {{ engine: {engine}, partitions: 4 }}\n\
             worker index {{ replicas: {replicas}, capacity: 1k/s }}\nworker audit {{ replicas: 4, capacity: 1k/s }}\n\
             u -> api -> events\nevents -> index\nevents -> audit\n"
        );
        findings_of("consumer-lag", &text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn on_a_log_each_group_receives_the_whole_stream() {
        // Kafka: each group gets 3.5k/s. `index` with 3 replicas × 1k/s = 3k/s lags by
        // 500/s = 1.8M an hour; `audit` (4k/s) keeps up.
        let found = lag("kafka", 3);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("grows by 500 messages a second, 1.8M an hour"),
            "{}",
            found[0]
        );
        // At exactly its capacity a group keeps up.
        assert!(lag("kafka", 4).is_empty());
    }

    #[test]
    fn on_a_broker_the_groups_split_the_messages() {
        // RabbitMQ: 1.75k/s each; 2 replicas × 1k/s keep up, 1 does not.
        assert!(lag("rabbitmq", 2).is_empty());
        assert_eq!(lag("rabbitmq", 1).len(), 1);
    }
}
