use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "retry-without-backoff",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "retries at once or at a fixed interval",
    what: "A link with `retry: immediate(...)` or `fixed(...)`.",
    why: "When a dependency slows down or fails, every caller retrying at once (or every 100 ms) \
          multiplies the load exactly when it has least capacity: 3 attempts triple the traffic on \
          a struggling service and keep it from recovering (a retry storm). Exponential backoff \
          spreads retries out over time; jitter keeps callers from retrying in lockstep.",
    bad: example!("retry-without-backoff", "bad"),
    good: example!("retry-without-backoff", "good"),
    reading: &[
        "AWS Builders' Library, 'Timeouts, retries, and backoff with jitter': https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(Value::Call(retry)) = link.attrs.get(attr::RETRY) else {
            continue;
        };
        if !matches!(retry.name, call::Name::Immediate | call::Name::Fixed) {
            continue;
        }
        let attempts = facts::attempts(link);
        out.report(
            Element::Link(id),
            link.attrs.span(attr::RETRY).unwrap_or(link.span),
            format!("`{}` retries `{}` {} without backoff: {attempts} attempts hit it together when it is already struggling", cx.name(link.from), cx.name(link.to), if retry.name == call::Name::Immediate { "immediately" } else { "at a fixed interval" }),
            |d| d.with_label("no backoff").with_help(format!("use `retry: exponential(attempts: {attempts}, base: 50ms, jitter: true)`")),
        );
    }
}
