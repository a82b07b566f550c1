use super::advice;
use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "single-point-of-failure",
    category: Category::Availability,
    level: Level::Error,
    summary: "a component on a request path runs as one instance",
    what: "A component other than a `client` or an `external` that some client reaches along \
           synchronous links, and whose redundancy is 1: one replica, no replication, not managed, \
           and not one of two or more components of its kind that a load balancer or dns \
           routes among (the router sends around the one that fails).",
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
        if component.kind.is_outside() || cx.facts.look_aside[index] {
            continue;
        }
        let Some(client) = cx.facts.request_path_client[index] else {
            continue;
        };
        // One of several alternatives behind a load balancer or dns: the router sends
        // around it when it fails.
        if cx.facts.redundancy[index] != Redundancy::Copies(1)
            || !cx.facts.alternatives(id).is_empty()
        {
            continue;
        }
        let client = cx.model.component(client);
        let help = advice::add_redundancy(component);
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

#[cfg(test)]
mod tests {
    use crate::findings_of;

    /// Which of single-point-of-failure and single-instance are on `element`.
    fn codes_on(text: &str, element: &str) -> Vec<&'static str> {
        ["single-point-of-failure", "single-instance"]
            .into_iter()
            .flat_map(|code| findings_of(code, text))
            .filter(|d| d.element.as_ref().is_some_and(|e| e.to_string() == element))
            .map(|d| d.code)
            .collect()
    }

    const TWO_BEHIND_LB: &str = "client u\nlb front { replicas: 2 }\nservice api_a\nservice api_b\nu -> front\nfront -> api_a\nfront -> api_b\n";

    #[test]
    fn alternatives_behind_a_load_balancer_are_not_single_points_of_failure() {
        for api in ["api_a", "api_b"] {
            let codes = codes_on(TWO_BEHIND_LB, api);
            assert!(
                !codes.contains(&"single-point-of-failure"),
                "{api}: {codes:?}"
            );
            assert!(!codes.contains(&"single-instance"), "{api}: {codes:?}");
        }
    }

    #[test]
    fn a_caller_that_is_not_a_router_still_depends_on_one_instance() {
        let direct = format!("{TWO_BEHIND_LB}u -> api_a\n");
        assert!(codes_on(&direct, "api_a").contains(&"single-point-of-failure"));
        assert!(!codes_on(&direct, "api_b").contains(&"single-point-of-failure"));
        // One target of its kind is no alternative.
        let alone = "client u\nlb front { replicas: 2 }\nservice api\nu -> front -> api\n";
        assert!(codes_on(alone, "api").contains(&"single-point-of-failure"));
    }

    #[test]
    fn the_help_fits_the_kind() {
        let help = |kind: &str| {
            let text =
                format!("client u\n{kind} x\nservice api {{ replicas: 2 }}\nu -> x -> api\n");
            ["single-point-of-failure", "single-instance"]
                .into_iter()
                .flat_map(|code| findings_of(code, &text))
                .find(|d| d.element.as_ref().is_some_and(|e| e.to_string() == "x"))
                .and_then(|d| d.help)
                .unwrap()
        };
        assert!(help("dns").contains("managed dns"));
        assert!(help("cdn").contains("managed cdn"));
        // A queue is async: off the request path, `single-instance` says it.
        assert!(help("queue").contains("brokers"));
        assert!(help("lb").contains("engine: elb"));
        assert!(help("gateway").contains("2 replicas"));
        assert!(!help("queue").contains("cache"));
    }
}
