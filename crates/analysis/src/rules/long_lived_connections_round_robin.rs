use super::prelude::*;
use hld_model::schema::Target;
use hld_model::values::algorithm::Value as Algorithm;
use hld_model::values::protocol::Value as Protocol;

pub static RULE: Rule = Rule {
    name: "long-lived-connections-round-robin",
    category: Category::Communication,
    level: Level::Warning,
    summary: "long-lived connections balanced by round robin",
    what: "An `lb` that carries `websocket`, `sse` or `long_polling` links and balances by \
           `round_robin` (the default), `weighted_round_robin` or `random`.",
    why: "Round robin balances connection openings, not load: a WebSocket stays open for hours. \
          No balancing algorithm moves an open connection, so after a scale-out the new servers \
          (after a rolling deploy, the last ones restarted) stay nearly empty until clients \
          reconnect; least-connections only sends new connections to the emptiest server. \
          Rebalance by capping connection age (clients reconnect, with jitter) or by draining from \
          the server (a WebSocket close, HTTP/2 GOAWAY); consistent hashing keeps a user on the \
          server holding their state.",
    bad: example!("long-lived-connections-round-robin", "bad"),
    good: example!("long-lived-connections-round-robin", "good"),
    reading: &[
        "HAProxy: balance leastconn for long sessions: https://docs.haproxy.org/2.8/configuration.html#4.2-balance",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, lb) in cx.components() {
        if lb.kind != Kind::Lb {
            continue;
        }
        let algorithm = lb
            .attrs
            .value_or_default(Target::Component(Kind::Lb))
            .unwrap_or(Algorithm::RoundRobin);
        if !matches!(
            algorithm,
            Algorithm::RoundRobin | Algorithm::WeightedRoundRobin | Algorithm::Random
        ) {
            continue;
        }
        let long_lived = cx.touching(id).find_map(|(_, l)| {
            let protocol = l.attrs.value().filter(|p| {
                matches!(
                    p,
                    Protocol::Websocket | Protocol::Sse | Protocol::LongPolling
                )
            })?;
            Some((l, protocol))
        });
        let Some((link, protocol)) = long_lived else {
            continue;
        };
        out.report(
            Element::Component(id),
            lb.attrs.span(attr::ALGORITHM).unwrap_or(lb.id_span),
            format!("`{}` balances long-lived {protocol} connections by {algorithm}: load stays skewed after scale-outs and deploys", lb.id),
            |d| d.with_label(algorithm.as_str().replace('_', " ")).with_related(link.span, format!("{protocol} connection")).with_help("use `algorithm: least_connections` (or `consistent_hash` to keep users on their server)"),
        );
    }
}
