use super::advice;
use super::prelude::*;
use crate::estimate::{human_rate, significant};

pub static RULE: Rule = Rule {
    name: "low-headroom",
    category: Category::Capacity,
    level: Level::Warning,
    summary: "a component above 80% of its capacity at peak",
    what: "A component whose estimated peak utilization is above 80% (and at most 100%).",
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
            format!("`{}` runs at {}% of its capacity at peak ({} of {}): no room for a replica failing", component.id, significant(utilization * 100.0), human_rate(inbound.peak), human_rate(capacity.value)),
            |d| {
                let needed = advice::replicas_for(component, inbound.peak, capacity.value);
                d.with_label("little headroom").with_help(advice::add_capacity(cx, id, component, needed))
            },
        );
    }
}
