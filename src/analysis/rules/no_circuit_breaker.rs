use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-circuit-breaker",
    category: Category::Resilience,
    level: Level::Info,
    summary: "a synchronous call to a third party without a circuit breaker",
    what: "A synchronous link to an `external` component without `circuit_breaker: true`.",
    why: "A third-party API fails on its own schedule. Without a breaker, every request keeps \
          calling it while it is down, each waiting for its timeout: threads pile up and the outage \
          spreads into your system. A circuit breaker fails fast after a run of errors, gives the \
          dependency room to recover, and lets you serve a fallback (a cached answer, a queued \
          retry) instead.",
    bad: example!("no-circuit-breaker", "bad"),
    good: example!("no-circuit-breaker", "good"),
    reading: &[
        "Martin Fowler, 'CircuitBreaker': https://martinfowler.com/bliki/CircuitBreaker.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let target = cx.model.component(link.to);
        if target.kind != Kind::External
            || !cx.facts.is_sync(id)
            || link.attrs.bool("circuit_breaker") == Some(true)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!(
                "`{}` calls third-party `{}` synchronously without a circuit breaker",
                cx.name(link.from),
                target.id
            ),
            |d| {
                d.with_label("no circuit breaker")
                    .with_help("set `circuit_breaker: true` and plan a fallback")
            },
        );
    }
}
