use super::prelude::*;
use crate::analysis::estimate::human_duration;

pub static RULE: Rule = Rule {
    name: "latency-over-budget",
    category: Category::Capacity,
    level: Level::Warning,
    summary: "a request path slower than the design's latency budget",
    what: "A client's slowest request path, estimated as the sum of its components' `latency` \
           (the engines' by default), exceeds the design's `latency`.",
    why: "Latency adds up along synchronous calls, and the budget is spent before the network, \
          retries and queueing are counted. The usual levers: cache the slowest reads, call \
          independent services in parallel instead of one after another, move work off the \
          request path onto a queue, or serve from closer to the user (a CDN, a regional replica).",
    bad: example!("latency-over-budget", "bad"),
    good: example!("latency-over-budget", "good"),
    reading: &["Dean and Barroso, 'The Tail at Scale', CACM 2013"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let Some(budget) = cx.model.header.number("latency") else {
        return;
    };
    for path in &cx.estimates.paths {
        if path.latency <= budget {
            continue;
        }
        let slowest = path.latency_path[1..]
            .iter()
            .copied()
            .max_by(|a, b| {
                let latency =
                    |id: &ComponentId| cx.estimates.components[id.index()].latency.unwrap_or(0.0);
                latency(a).total_cmp(&latency(b))
            })
            .expect("a path over budget has components");
        let names: Vec<&str> = path.latency_path.iter().map(|id| cx.name(*id)).collect();
        let client = cx.model.component(path.client);
        out.report(
            Element::Component(path.client),
            client.id_span,
            format!(
                "the request path {} takes {}, over the {} budget",
                names.join(" → "),
                human_duration(path.latency),
                human_duration(budget)
            ),
            |d| {
                d.with_label("over budget")
                    .with_related(
                        cx.model.component(slowest).id_span,
                        format!(
                            "slowest: {}",
                            human_duration(
                                cx.estimates.components[slowest.index()]
                                    .latency
                                    .unwrap_or(0.0)
                            )
                        ),
                    )
                    .with_help(format!(
                        "cache or parallelize around `{}`, or move work off the request path",
                        cx.name(slowest)
                    ))
            },
        );
    }
}
