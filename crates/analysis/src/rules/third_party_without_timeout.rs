use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "third-party-without-timeout",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "a synchronous call to an external system with no timeout",
    what: "A synchronous link to an `external` component without `timeout`. (`missing-timeout`, \
           off by default, covers the links between your own components.)",
    why: "A third party is the dependency you control least: its latency, its outages and its \
          rate limits are its own, and it does not page your on-call. Without a timeout, a \
          payment provider or an identity service that hangs holds a thread and a connection \
          of yours per request until the caller's pool is exhausted and your service fails \
          with it. Give every call out of your system a timeout a little above the provider's \
          documented p99, and decide what happens when it fires (retry with backoff, queue \
          the work, or degrade).",
    bad: example!("third-party-without-timeout", "bad"),
    good: example!("third-party-without-timeout", "good"),
    reading: &[
        "AWS Builders' Library, 'Timeouts, retries, and backoff with jitter': https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
        "Michael Nygard, Release It! (2nd ed.), ch. 5 'Stability Patterns: Timeouts'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let external = cx.model.component(link.to).kind == Kind::External;
        if !external || !cx.facts.is_sync(id) || link.attrs.get(attr::TIMEOUT).is_some() {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!(
                "`{}` calls the external `{}` synchronously with no timeout: when the third party hangs, so does `{}`",
                cx.name(link.from),
                cx.name(link.to),
                cx.name(link.from)
            ),
            |d| {
                d.with_label("no timeout")
                    .with_help("set `timeout:` a little above the provider's p99 (e.g. `timeout: 2s`) and plan for when it fires")
            },
        );
    }
}
