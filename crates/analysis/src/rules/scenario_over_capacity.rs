use super::prelude::*;
use crate::estimate::{human_rate, share_percent};

pub static RULE: Rule = Rule {
    name: "scenario-over-capacity",
    category: Category::Capacity,
    level: Level::Warning,
    summary: "in a declared failure, a survivor takes more than it can serve",
    what: "In one of the design's scenarios, a component that survives runs above 100% of its \
           remaining capacity: the load of the alternatives and replicas that failed moved to \
           it (the estimate is propagated again over the survivors). A component already over \
           capacity with nothing failing is reported here only when the failure makes it \
           worse (`over-capacity` reports it once); a scenario that only shapes traffic is \
           played by `hld simulate` instead.",
    why: "Redundancy only helps if the survivors can carry the load: two zones each at 70% \
          become one zone at 140% when the other goes dark, and an overloaded survivor then \
          fails too (a cascading failure). Size each failure domain for the load it inherits: \
          with N zones, keep each below (N − 1)/N of its capacity at peak, or shed load on \
          purpose (rate limits, degraded answers).",
    bad: example!("scenario-over-capacity", "bad"),
    good: example!("scenario-over-capacity", "good"),
    reading: &[
        "Google SRE book, ch. 22 'Addressing Cascading Failures': https://sre.google/sre-book/addressing-cascading-failures/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (scenario, result) in cx.model.scenarios.iter().zip(cx.what_ifs) {
        // A scenario that fails nothing (a traffic shape alone) is `hld simulate`'s.
        if scenario.fail.is_empty() && scenario.partition.is_none() {
            continue;
        }
        for &(id, utilization) in &result.utilization {
            let normal = cx.estimates.components[id.index()].utilization;
            // Over capacity with nothing failing is `over-capacity`'s finding, once; here
            // only what the failure adds.
            let no_worse = normal.is_some_and(|n| n > 1.0 && utilization <= n * (1.0 + 1e-9));
            if utilization <= 1.0 || no_worse {
                continue;
            }
            let component = cx.model.component(id);
            let capacity = cx.estimates.components[id.index()]
                .capacity
                .as_ref()
                .map(|c| c.value);
            out.report(
                Element::Component(id),
                component.id_span,
                format!(
                    "in scenario `{}`, `{}` runs at {} of what survives of its capacity{}",
                    scenario.id,
                    component.id,
                    share_percent(utilization),
                    match (normal, capacity) {
                        (Some(normal), Some(capacity)) => format!(
                            " (normally {} of {})",
                            share_percent(normal),
                            human_rate(capacity)
                        ),
                        _ => String::new(),
                    }
                ),
                |d| {
                    d.with_label("over capacity in a failure")
                        .with_related(scenario.id_span, format!("scenario `{}`", scenario.id))
                        .with_help(format!(
                            "size `{}` for the load it inherits when `{}` happens (more replicas, or lower peak utilization per failure domain), or shed load on purpose",
                            component.id, scenario.id
                        ))
                },
            );
        }
    }
}
