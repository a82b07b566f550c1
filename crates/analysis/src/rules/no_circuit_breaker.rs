use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-circuit-breaker",
    category: Category::Resilience,
    level: Level::Info,
    summary: "a synchronous call to a third party without a circuit breaker",
    what: "A synchronous link to an `external` component without `circuit_breaker: true`, from \
           a component on a request path (reached from a client along synchronous links; a \
           cron or batch job's calls are not).",
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
        // Off request paths (a cron or batch job, a consumer) a failing third party
        // delays work that can wait: nobody's request piles up behind it.
        if target.kind != Kind::External
            || !cx.facts.is_sync(id)
            || !cx.facts.on_request_path(link.from)
            || link.attrs.bool(attr::CIRCUIT_BREAKER) == Some(true)
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

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn fires(text: &str) -> bool {
        !findings_of(RULE.name, text).is_empty()
    }

    #[test]
    fn only_calls_on_request_paths_need_a_breaker() {
        assert!(fires(
            "client u\nservice s\nexternal x\nu -> s -> x { timeout: 1s }\n"
        ));
        assert!(fires("client u\nexternal x\nu -> x { timeout: 1s }\n"));
        assert!(!fires(
            "worker nightly { mode: cron }\nexternal x\nnightly -> x { timeout: 1s }\n"
        ));
        assert!(!fires(
            "worker job { mode: batch }\nexternal x\njob -> x { timeout: 1s }\n"
        ));
    }
}
