use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "timeout-exceeds-caller",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "a downstream timeout at least as long as its caller's",
    what: "A→B has timeout t, and one of B's synchronous links onward has a timeout of t or more.",
    why: "When A gives up after 1 s, B's call to C that may take 2 s keeps running for nobody: the \
          work is wasted, B's threads stay busy, and a retry from A starts a second copy. Timeouts \
          must shrink along the chain (each one below its caller's, minus the caller's own work), \
          or be propagated as a deadline (gRPC deadlines do this).",
    bad: example!("timeout-exceeds-caller", "bad"),
    good: example!("timeout-exceeds-caller", "good"),
    reading: &["gRPC deadlines: https://grpc.io/docs/guides/deadlines/"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (_, inbound) in cx.links() {
        let Some(outer) = inbound.attrs.number(attr::TIMEOUT) else {
            continue;
        };
        for (id, onward) in cx
            .outgoing(inbound.to)
            .filter(|(id, _)| cx.facts.is_sync(*id))
        {
            let Some(inner) = onward.attrs.number(attr::TIMEOUT) else {
                continue;
            };
            if inner < outer {
                continue;
            }
            out.report(
                Element::Link(id),
                onward.attrs.span(attr::TIMEOUT).unwrap_or(onward.span),
                format!(
                    "`{}` waits up to {} for `{}`, but its own caller `{}` gives up after {}",
                    cx.name(onward.from),
                    seconds(inner),
                    cx.name(onward.to),
                    cx.name(inbound.from),
                    seconds(outer)
                ),
                |d| {
                    d.with_label("outlives the caller")
                        .with_related(
                            inbound.attrs.span(attr::TIMEOUT).unwrap_or(inbound.span),
                            "the caller's timeout",
                        )
                        .with_help(
                            "make each timeout shorter than its caller's, or propagate a deadline",
                        )
                },
            );
        }
    }
}

fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{:.0}ms", s * 1000.0)
    } else {
        format!("{s}s")
    }
}
