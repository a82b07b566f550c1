use super::prelude::*;
use crate::whatif::Outcome;

pub static RULE: Rule = Rule {
    name: "scenario-breaks-critical-flow",
    category: Category::Availability,
    level: Level::Error,
    summary: "a declared failure takes a critical flow down",
    what: "A flow with `critical: true` is `down` in one of the design's scenarios: the \
           failure it names leaves the flow a step whose target (and every alternative of it) \
           is down or cut off.",
    why: "A scenario is a failure the design means to survive: a zone going dark, a region cut \
          off, a cache lost. A critical flow (checkout, login, the redirect that is the whole \
          product) that goes down in it is an outage the design already predicts. Survive it \
          with redundancy across the failure's boundary (replicas in two zones, a second \
          region behind dns, automatic failover), or a degraded answer (a cache, a default), \
          or take the dependency off the flow's synchronous path.",
    bad: example!("scenario-breaks-critical-flow", "bad"),
    good: example!("scenario-breaks-critical-flow", "good"),
    reading: &[
        "Google SRE book, ch. 26 'Data Integrity' and ch. 22 'Addressing Cascading Failures': https://sre.google/sre-book/addressing-cascading-failures/",
        "AWS Well-Architected, Reliability pillar, 'Use fault isolation to protect your workload'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (scenario, result) in cx.model.scenarios.iter().zip(cx.what_ifs) {
        for outcome in &result.outcomes {
            let (Some(flow_id), Outcome::Down(cause)) = (outcome.flow, &outcome.outcome) else {
                continue;
            };
            let flow = &cx.model.flows[flow_id];
            if flow.attrs.bool(attr::CRITICAL) != Some(true) {
                continue;
            }
            out.report(
                Element::Flow(flow_id),
                flow.id_span,
                format!(
                    "critical flow `{}` is down in scenario `{}`: {cause}",
                    flow.id, scenario.id
                ),
                |d| {
                    d.with_label("down in a declared failure")
                        .with_related(scenario.id_span, format!("scenario `{}`", scenario.id))
                        .with_help("give what fails a survivor across the failure (replicas in other zones, automatic failover, an alternative behind an lb or dns), or take it off the flow's synchronous steps")
                },
            );
        }
    }
}
