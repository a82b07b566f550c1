use super::advice;
use super::prelude::*;
use crate::estimate::{human_rate, significant};

pub static RULE: Rule = Rule {
    name: "low-headroom",
    category: Category::Capacity,
    level: Level::Warning,
    summary: "a component above 80% of its capacity at peak",
    what: "A component whose estimated peak utilization is above 80% (and at most 100%), of \
           requests or of open connections (against its replicas × `connections`).",
    why: "Queueing delay grows as 1/(1 − utilization): at 80% a request waits 4× its service time \
          on average, at 95% 19×. Above 80% there is no room for a replica failing (its load moves \
          to the others), a deploy draining instances, or traffic above the estimate. N+1 or N+2 \
          sizing keeps the peak below 60-70% with one replica down.",
    bad: example!("low-headroom", "bad"),
    good: example!("low-headroom", "good"),
    reading: &["Harchol-Balter, 'Performance Modeling and Design of Computer Systems', ch. 1"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let Some((inbound, capacity, utilization)) = cx.estimates.saturation(id) else {
            continue;
        };
        if utilization <= 0.8 || utilization > 1.0 {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            headroom_message(cx, id, component, inbound.peak, capacity.value, utilization),
            |d| {
                let needed = advice::replicas_for(component, inbound.peak, capacity.value);
                d.with_label("little headroom")
                    .with_help(advice::add_capacity(cx, id, component, needed))
            },
        );
    }
    advice::report_connections(
        cx,
        out,
        |utilization| utilization > 0.8 && utilization <= 1.0,
        "little connection headroom",
    );
}

/// Names the side that binds for a store (its reads and writes have their own limits).
fn headroom_message(
    cx: &Context,
    id: ComponentId,
    component: &Component,
    inbound: f64,
    capacity: f64,
    utilization: f64,
) -> String {
    let percent = significant(utilization * 100.0);
    match advice::store_parts(&cx.estimates.components[id.index()]) {
        Some(parts) => format!(
            "`{}` runs at {percent}% of its capacity at peak, {parts}: no room for a node failing",
            component.id
        ),
        None => format!(
            "`{}` runs at {percent}% of its capacity at peak ({} of {}): no room for a replica failing",
            component.id,
            human_rate(inbound),
            human_rate(capacity)
        ),
    }
}
