use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "missing-timeout",
    category: Category::Resilience,
    level: Level::Off,
    summary: "a synchronous call with no timeout",
    what: "A synchronous link between your own components without `timeout`. Off by default; \
           enable it with `warn = [\"missing-timeout\"]`. Calls to an `external` are \
           `third-party-without-timeout`'s, on by default.",
    why: "Without a timeout a caller waits as long as the callee hangs, holding a thread, a \
          connection and the user's request; when a dependency hangs, callers exhaust their pools and \
          fail too (cascading failure). A timeout a little above the callee's p99.9 bounds the \
          damage, and timeouts must shrink down the chain so the caller gives up last.",
    bad: example!("missing-timeout", "bad"),
    good: example!("missing-timeout", "good"),
    reading: &[
        "AWS Builders' Library, 'Timeouts, retries, and backoff with jitter': https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let external = cx.model.component(link.to).kind == Kind::External;
        if external || !cx.facts.is_sync(id) || link.attrs.get(attr::TIMEOUT).is_some() {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!("`{}` calls `{}` synchronously with no timeout: a hang holds the caller's resources", cx.name(link.from), cx.name(link.to)),
            |d| d.with_label("no timeout").with_help("set `timeout:` a little above the callee's p99"),
        );
    }
}
