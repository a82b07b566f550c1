use super::prelude::*;
use crate::estimate::store::mttr;
use crate::estimate::{human_count, human_duration, human_rate};

pub static RULE: Rule = Rule {
    name: "message-expires-before-recovery",
    category: Category::Messaging,
    level: Level::Warning,
    summary: "messages expire before a failed consumer group recovers and catches up",
    what: "A queue with a stated `retention` shorter than the time its consumer group needs to \
           come back from an outage and read what piled up: the group's `mttr` (1h unless \
           stated) plus the backlog of that time (peak inbound × mttr) drained at the group's \
           spare capacity (capacity − inbound). With no capacity known, the mttr alone.",
    why: "A queue deletes a message when its retention ends, read or not (Kafka by segment age, \
          SQS after its retention period). While the consumers are down, messages keep arriving; \
          after the repair the group reads the backlog only as fast as its capacity exceeds the \
          live traffic, so the oldest messages wait longest. If they outlive the retention they \
          are deleted unread: orders never fulfilled, events never indexed, with nothing to \
          replay. Retention must cover the worst repair plus the drain, with margin (Kafka \
          defaults to 7 days, SQS to 4, up to 14); or the group needs enough spare capacity to \
          drain quickly, or a dead-letter or archive copy (S3) to replay from.",
    bad: example!("message-expires-before-recovery", "bad"),
    good: example!("message-expires-before-recovery", "good"),
    reading: &[
        "Apache Kafka documentation, 'log.retention.hours': https://kafka.apache.org/documentation/#brokerconfigs_log.retention.hours",
        "AWS, 'Amazon SQS message retention' (MessageRetentionPeriod): https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-architecture.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let queue = cx.model.component(link.from);
        if queue.kind != Kind::Queue || matches!(facts::ops(link), Ops::Control | Ops::Replicate) {
            continue;
        }
        let Some(retention) = queue.attrs.number(attr::RETENTION) else {
            continue;
        };
        let group = cx.model.component(link.to);
        let Some(recovery) = recovery(cx, link.to) else {
            continue;
        };
        if retention >= recovery.seconds {
            continue;
        }
        out.report(
            Element::Link(id),
            queue.attrs.span(attr::RETENTION).unwrap_or(queue.id_span),
            format!(
                "`{}` keeps messages for {}, but `{}` needs {} to recover from an outage ({}): the oldest messages expire unread",
                queue.id,
                human_duration(retention),
                group.id,
                human_duration(recovery.seconds),
                recovery.formula
            ),
            |d| {
                d.with_label("expires first")
                    .with_related(group.id_span, "the consumer group")
                    .with_help(format!(
                        "keep messages longer than the recovery with margin (`retention: {}h` or more), give `{}` spare capacity to drain faster, or archive the stream to replay it",
                        (2.0 * recovery.seconds / 3600.0).ceil(),
                        group.id
                    ))
            },
        );
    }
}

struct Recovery {
    seconds: f64,
    formula: String,
}

/// The consumer group's repair time plus the time its spare capacity takes to read
/// what arrived meanwhile; `None` when it never catches up (`consumer-lag` says so) or
/// nothing arrives.
fn recovery(cx: &Context, group: ComponentId) -> Option<Recovery> {
    let component = cx.model.component(group);
    let repair = mttr(component);
    let repair_text = if component.attrs.get(attr::MTTR).is_some() {
        format!("its mttr of {}", human_duration(repair))
    } else {
        format!("{} of repair (mttr unstated)", human_duration(repair))
    };
    let estimate = &cx.estimates.components[group.index()];
    let inbound = estimate.inbound?.peak;
    let Some(capacity) = estimate.capacity.as_ref().map(|c| c.value) else {
        return Some(Recovery {
            seconds: repair,
            formula: format!("{repair_text}; the drain after it not counted: no capacity known"),
        });
    };
    if inbound <= 0.0 || capacity <= inbound {
        return None;
    }
    let backlog = inbound * repair;
    let drain = backlog / (capacity - inbound);
    Some(Recovery {
        seconds: repair + drain,
        formula: format!(
            "{repair_text} + {} to drain the {} messages that arrived meanwhile at {}, at its spare {}",
            human_duration(drain),
            human_count(backlog),
            human_rate(inbound),
            human_rate(capacity - inbound)
        ),
    })
}
