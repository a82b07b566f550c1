use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-rate-limit",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "a service reachable from clients with no rate limit on the way",
    what: "A request path from a client reaches a `service` with no `rate_limit` on any `cdn`, `lb`, \
           `gateway` or `service` along the way (the service included).",
    why: "Capacity is finite; demand from the internet is not. Without a limit, one misbehaving \
          client, a retry storm or a scraper can take the service's whole capacity and everyone's \
          requests fail. A limit at the edge (token bucket per client or API key) sheds the excess \
          with cheap 429s and protects fair use; it is also the first line against abuse.",
    bad: example!("no-rate-limit", "bad"),
    good: example!("no-rate-limit", "good"),
    reading: &[
        "Stripe engineering, 'Scaling your API with rate limiters': https://stripe.com/blog/rate-limiters",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let limits = |c: &Component| {
        matches!(c.kind, Kind::Cdn | Kind::Lb | Kind::Gateway | Kind::Service)
            && c.attrs.get("rate_limit").is_some()
    };
    let reached = facts::reached_unguarded(cx.model, cx.facts, limits, |_| false);
    for (id, component) in cx.components() {
        let Some(client) = reached[id.index()] else {
            continue;
        };
        if component.kind != Kind::Service {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            format!("`{}` reaches service `{}` with no rate limit on the way: one client can take all its capacity", cx.name(client), component.id),
            |d| d.with_label("no rate limit").with_related(cx.model.component(client).id_span, "the client").with_help("set `rate_limit:` on the gateway or load balancer in front (e.g. `token_bucket(rate: 100/s, burst: 50)`)"),
        );
    }
}
