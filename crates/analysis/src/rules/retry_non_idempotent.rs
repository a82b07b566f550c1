use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "retry-non-idempotent",
    category: Category::Resilience,
    level: Level::Error,
    summary: "retried writes that are not idempotent",
    what: "A link that retries, whose `ops` include writes, and that is not `idempotent: true` (on \
           the link or its target).",
    why: "A timeout does not mean the write failed: the request may have been applied and only the \
          answer lost. Retrying then applies it again: two orders, two payments. Retried writes \
          need an idempotency key the target deduplicates on (as Stripe's API does), or operations \
          that are naturally idempotent (PUT of a full value, upserts).",
    bad: example!("retry-non-idempotent", "bad"),
    good: example!("retry-non-idempotent", "good"),
    reading: &["Stripe: idempotent requests: https://docs.stripe.com/api/idempotent_requests"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if facts::attempts(link) <= 1 || !facts::writes(link) {
            continue;
        }
        if link.attrs.bool(attr::IDEMPOTENT) == Some(true)
            || cx.model.component(link.to).attrs.bool(attr::IDEMPOTENT) == Some(true)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::RETRY).unwrap_or(link.span),
            format!("`{}` retries writes to `{}` ({} attempts) that are not idempotent: a write whose answer was lost is applied again", cx.name(link.from), cx.name(link.to), facts::attempts(link)),
            |d| d.with_label("retried write").with_help("send an idempotency key the target deduplicates on and state `idempotent: true`, or do not retry writes"),
        );
    }
}
