use super::prelude::*;
use crate::whatif::sweep::Candidate;

pub static RULE: Rule = Rule {
    name: "single-failure-breaks-critical-flow",
    category: Category::Availability,
    level: Level::Off,
    summary: "one component, zone or region failing takes a critical flow down",
    what: "A flow with `critical: true` goes `down` when one component, one zone or one \
           region fails, or when two regions are cut off from each other: the sweep of \
           `hld what-if --all` finds the failure without anyone declaring it. Off by \
           default; on through `hld.toml` or `hld check --deny-single-failures`.",
    why: "Declared scenarios answer the failures someone thought of. A critical flow that a \
          single failure takes down has a single point of failure on its synchronous path, \
          whatever the scenarios say: the load balancer, the one database, the zone it all \
          sits in. Each is a redundancy decision (a second replica or zone, automatic \
          failover, an alternative behind an lb or dns) or a degraded answer (a `fallback`), \
          and a reviewer wants to see each one made on purpose; `@allow` records the ones \
          accepted.",
    bad: example!("single-failure-breaks-critical-flow", "bad"),
    good: example!("single-failure-breaks-critical-flow", "good"),
    reading: &[
        "Google SRE book, ch. 22 'Addressing Cascading Failures': https://sre.google/sre-book/addressing-cascading-failures/",
        "AWS Well-Architected, Reliability pillar, REL10 'Use fault isolation to protect your workload'",
    ],
    check,
};

/// Failures named in one finding at most; the rest are counted.
const NAMED: usize = 5;

fn check(cx: &Context, out: &mut Findings) {
    let Some(sweep) = cx.sweep else {
        return;
    };
    for (index, judged) in sweep.judged.iter().enumerate() {
        let Some(flow_id) = judged.flow.filter(|_| judged.critical) else {
            continue;
        };
        let singles: Vec<Candidate> = sweep
            .downed_by(index)
            .into_iter()
            .filter_map(|set| (set.len() == 1).then_some(set[0]))
            .filter(|c| c.is_single(cx.facts))
            .collect();
        if singles.is_empty() {
            continue;
        }
        let flow = &cx.model.flows[flow_id];
        let mut names: Vec<String> = singles
            .iter()
            .take(NAMED)
            .map(|c| c.name(cx.model))
            .collect();
        if singles.len() > NAMED {
            names.push(format!("{} more", singles.len() - NAMED));
        }
        out.report(
            Element::Flow(flow_id),
            flow.id_span,
            format!(
                "critical flow `{}` goes down when any one of these fails: {}",
                flow.id,
                names.join(", ")
            ),
            |mut d| {
                for candidate in singles.iter().take(NAMED) {
                    if let Candidate::Component(id) = candidate {
                        d = d.with_related(cx.model.component(*id).id_span, "fails alone");
                    }
                }
                d.with_label("a single failure takes it down")
                    .with_help("give each a survivor (a second replica or zone, automatic failover, an alternative behind an lb or dns) or a `fallback`, or `@allow` the ones you accept with the reason; `hld what-if FILE --all` lists them")
            },
        );
    }
}
