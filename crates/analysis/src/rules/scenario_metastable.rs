use super::prelude::*;
use crate::simulate::{Outcome, human_clock};

pub static RULE: Rule = Rule {
    name: "scenario-metastable",
    category: Category::Resilience,
    level: Level::Error,
    summary: "a timed scenario leaves a flow failing after it ended",
    what: "A scenario with `at:`, `for:` or `traffic:` is played by `hld simulate` (10 \
           minutes, 1-second steps): a flow is still failing or slow at the end of the run, after the failure \
           ended. Retries, a cold cache or a backlog keep the design overloaded.",
    why: "A metastable failure outlives its trigger: the failure is repaired, yet the system \
          stays down because the work it does to recover (retrying timed-out requests, \
          refilling a cold cache from the database, draining a backlog) keeps it past its \
          capacity. Slack's outage of 2022-02-22 and AWS's of 2021-12-07 both ran this way: \
          the trigger was brief, the outage was hours. Break the loop: retry less (fewer \
          attempts, a retry budget), stop retrying a dependency that cannot answer (a circuit \
          breaker), give the store room for the cache's misses, or shed load.",
    bad: example!("scenario-metastable", "bad"),
    good: example!("scenario-metastable", "good"),
    reading: &[
        "Bronson et al., 'Metastable Failures in Distributed Systems', HotOS 2021: https://sigops.org/s/conferences/hotos/2021/papers/hotos21-s11-bronson.pdf",
        "Huang et al., 'Metastable Failures in the Wild', OSDI 2022",
        "Slack, 'Slack's Incident on 2-22-22': https://slack.engineering/slacks-incident-on-2-22-22/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (scenario, run) in cx.runs {
        for outcome in &run.outcomes {
            if outcome.outcome != Outcome::Metastable {
                continue;
            }
            let ended = run.trigger.map_or(0.0, |w| w.end);
            let (element, span) = match cx.model.flows.iter().position(|f| f.id == outcome.flow) {
                Some(flow) if outcome.is_flow => {
                    (Element::Flow(flow), cx.model.flows[flow].id_span)
                }
                _ => match cx.model.find(&outcome.flow) {
                    Some(client) => (
                        Element::Component(client),
                        cx.model.component(client).id_span,
                    ),
                    None => continue,
                },
            };
            let why = outcome.why.as_deref().unwrap_or("it is still failing");
            out.report(
                element,
                span,
                format!(
                    "`{}` is still failing after scenario `{}` ended (at {} of a {} run): {why}",
                    outcome.flow,
                    scenario.id,
                    human_clock(ended),
                    human_clock(run.duration),
                ),
                |d| {
                    d.with_label("still failing after the trigger ended")
                        .with_related(scenario.id_span, format!("scenario `{}`", scenario.id))
                        .with_help(format!("`hld simulate FILE --scenario {}` shows it step by step; retry less (fewer attempts, backoff), add a circuit breaker on the retried link, or give the overloaded component room for the recovery's load", scenario.id))
                },
            );
        }
    }
}
