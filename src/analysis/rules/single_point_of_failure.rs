use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "single-point-of-failure",
    category: Category::Availability,
    level: Level::Error,
    summary: "a component on a request path runs as one instance",
    what: "A component other than a `client` or an `external` that some client reaches along \
           synchronous links, and whose redundancy is 1: one replica, no replication, not managed.",
    why: "Availability multiplies along a request path: when every request must pass through one \
          instance, that instance's downtime (crashes, deploys, host failures, a noisy neighbour) is \
          the whole system's downtime. One instance at 99.9% allows 8.8 hours of outage a year; two \
          independent replicas behind a health-checked balancer allow 1 − (0.001)² ≈ 99.9999%. The \
          price is the second instance and, for stateful components, keeping the copies in step \
          (replication, failover), which is exactly the consistency/availability trade-off of CAP.",
    bad: example!("single-point-of-failure", "bad"),
    good: example!("single-point-of-failure", "good"),
    reading: &[
        "Google SRE book, ch. 3 'Embracing Risk': https://sre.google/sre-book/embracing-risk/",
        "AWS Well-Architected, Reliability pillar: https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (index, component) in cx.model.components.iter().enumerate() {
        let id = ComponentId::new(index);
        if matches!(component.kind, Kind::Client | Kind::External) {
            continue;
        }
        let Some(client) = cx.facts.request_path_client[index] else {
            continue;
        };
        if cx.facts.redundancy[index] != Redundancy::Copies(1) {
            continue;
        }
        let client = cx.model.component(client);
        let help = if component.kind.is_data() {
            "replicate it (`replicas: 2` or `replication: leader_follower(...)`), or mark it `managed: true` if the provider keeps it redundant"
        } else {
            "run at least 2 replicas, or mark it `managed: true` if the provider makes it redundant"
        };
        out.report(
            Element::Component(id),
            component.id_span,
            format!(
                "{} `{}` has 1 instance on the request path from `{}`: when it fails, every such request fails",
                component.kind, component.id, client.id
            ),
            |d| {
                d.with_label("single instance")
                    .with_related(client.id_span, format!("request path from `{}`", client.id))
                    .with_help(help)
            },
        );
    }
}
