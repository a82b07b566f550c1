use super::advice;
use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "single-instance",
    category: Category::Availability,
    level: Level::Warning,
    summary: "a component off the request paths runs as one instance",
    what: "A worker, consumer, batch job or store that no client reaches synchronously, running with \
           redundancy 1 (and not one of several alternatives behind a load balancer or dns).",
    why: "Off the request path a single instance does not fail user requests at once, but while it is \
          down its work piles up: a queue's backlog grows, derived data goes stale, a nightly job is \
          missed. With one consumer at 500 messages/s, a 20-minute outage leaves 600k messages to \
          drain. A second instance costs little when the work is idempotent and partitioned; accept \
          the risk explicitly with `@allow` when a missed run is cheap.",
    bad: example!("single-instance", "bad"),
    good: example!("single-instance", "good"),
    reading: &["Designing Data-Intensive Applications, ch. 11 (stream processing fault tolerance)"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        if component.kind.is_outside()
            || cx.facts.on_request_path(id)
            || cx.facts.look_aside[id.index()]
        {
            continue;
        }
        if cx.facts.redundancy[id.index()] != Redundancy::Copies(1)
            || !cx.facts.alternatives(id).is_empty()
        {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            format!("{} `{}` runs 1 instance: while it is down its work waits", component.kind, component.id),
            |d| {
                d.with_label("single instance")
                    .with_help(match component.kind {
                        Kind::Service | Kind::Worker | Kind::Gateway => "run at least 2 replicas, or `@allow(single-instance, \"why a missed run is acceptable\")`",
                        _ => advice::add_redundancy(component),
                    })
            },
        );
    }
}
