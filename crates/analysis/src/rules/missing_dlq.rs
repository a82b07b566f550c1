use super::prelude::*;
use hld_model::schema::Target;

pub static RULE: Rule = Rule {
    name: "missing-dlq",
    category: Category::Messaging,
    level: Level::Warning,
    summary: "an at-least-once queue with consumers and no dead-letter queue",
    what: "A queue with consumers and `at_least_once` delivery that names no `dlq`.",
    why: "A message that always fails (malformed, or hitting a bug) is redelivered forever: it \
          blocks its partition or burns consumer capacity in a retry loop, and the messages behind \
          it wait (head-of-line blocking). A dead-letter queue takes it after N attempts so the \
          rest flows, and keeps it for inspection and replay once fixed.",
    bad: example!("missing-dlq", "bad"),
    good: example!("missing-dlq", "good"),
    reading: &[
        "AWS SQS dead-letter queues: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, queue) in cx.components() {
        if queue.kind != Kind::Queue
            || queue.attrs.get(attr::DLQ).is_some()
            || cx.facts.is_dlq[id.index()]
        {
            continue;
        }
        let delivery = queue.attrs.value_or_default(Target::Component(Kind::Queue));
        let consumers = facts::consumers(cx.model, id);
        if delivery != Some(values::delivery::Value::AtLeastOnce) || consumers.is_empty() {
            continue;
        }
        out.report(
            Element::Component(id),
            queue.id_span,
            format!("queue `{}` redelivers failed messages to `{}` with no dead-letter queue: a poison message is retried forever", queue.id, cx.name(consumers[0].0)),
            |d| d.with_label("no dead-letter queue").with_help(format!("declare `queue {0}_dlq` and set `dlq: {0}_dlq`", queue.id)),
        );
    }
}
