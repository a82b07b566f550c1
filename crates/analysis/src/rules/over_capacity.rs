use super::advice;
use super::prelude::*;
use crate::estimate::{human_rate, significant};

pub static RULE: Rule = Rule {
    name: "over-capacity",
    category: Category::Capacity,
    level: Level::Error,
    summary: "a component receives more than its replicas can serve",
    what: "A component whose estimated peak inbound rate exceeds its redundancy × per-replica \
           `capacity` (the engine's by default). A store's reads and writes are measured \
           against their own capacities and its utilization is the sum of the two parts: \
           its copies that serve reads × shards for reads, shards × one node's \
           `write_capacity` for writes (every copy applies every write). Also a component \
           holding more open connections (its clients' `concurrent` users over websockets and \
           streams) than its replicas × `connections`.",
    why: "Past saturation queues grow without bound: latency climbs from milliseconds to the \
          timeout, callers retry and add load, and the component fails for everyone rather than \
          for the excess. Capacity planning sizes for the peak with headroom: replicas = peak ÷ \
          per-replica capacity ÷ target utilization (often 60-70%), and for stores shards when \
          one node's write capacity is the limit.",
    bad: example!("over-capacity", "bad"),
    good: example!("over-capacity", "good"),
    reading: &[
        "Google SRE book, ch. 18 'Software Engineering in SRE' (capacity planning): https://sre.google/sre-book/software-engineering-in-sre/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let Some((inbound, capacity, utilization)) = cx.estimates.saturation(id) else {
            continue;
        };
        if utilization <= 1.0 {
            continue;
        }
        let needed = advice::replicas_for(component, inbound.peak, capacity.value);
        let estimate = &cx.estimates.components[id.index()];
        let message = match advice::store_parts(estimate) {
            Some(parts) => format!(
                "`{}` is {}% utilized at peak: {parts}",
                component.id,
                significant(utilization * 100.0)
            ),
            None => format!(
                "`{}` takes {} at peak but {} = {}: {}% utilized",
                component.id,
                human_rate(inbound.peak),
                capacity.formula,
                human_rate(capacity.value),
                significant(utilization * 100.0)
            ),
        };
        out.report(Element::Component(id), component.id_span, message, |d| {
            d.with_label("over capacity")
                .with_help(advice::add_capacity(cx, id, component, needed))
        });
    }
    advice::report_connections(
        cx,
        out,
        |utilization| utilization > 1.0,
        "more connections than its replicas hold",
    );
}
