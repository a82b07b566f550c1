use super::prelude::*;
use crate::estimate::human_duration;

pub static RULE: Rule = Rule {
    name: "latency-over-budget",
    category: Category::Capacity,
    level: Level::Warning,
    summary: "a request path slower than the design's latency budget",
    what: "A client's slowest request path (or a flow), estimated as the sum of its \
           components' p99 (`latency_p99`, else the engine's, else a default by kind; never \
           0), with the round trips between regions and the tail of every fan-out, exceeds \
           the design's (or the flow's) `latency`, which is a p99 budget.",
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
    check_flows(cx, out);
    let Some(budget) = cx.model.header.number(attr::LATENCY) else {
        return;
    };
    for path in &cx.estimates.paths {
        if path.latency_p99 <= budget {
            continue;
        }
        let slowest = path.latency_path[1..]
            .iter()
            .copied()
            .max_by(|a, b| {
                let latency = |id: &ComponentId| p99(cx, *id);
                latency(a).total_cmp(&latency(b))
            })
            .expect("a path over budget has components");
        let names: Vec<&str> = path.latency_path.iter().map(|id| cx.name(*id)).collect();
        let client = cx.model.component(path.client);
        out.report(
            Element::Component(path.client),
            client.id_span,
            format!(
                "the request path {} takes {} at p99 (at most; {} at the median), over the {} budget",
                names.join(" → "),
                human_duration(path.latency_p99),
                human_duration(path.latency),
                human_duration(budget)
            ),
            |d| {
                d.with_label("over budget")
                    .with_related(
                        cx.model.component(slowest).id_span,
                        format!(
                            "slowest: {} at p99",
                            human_duration(p99(cx, slowest))
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

/// Each flow's sum of synchronous steps against its own budget, else the design's.
fn check_flows(cx: &Context, out: &mut Findings) {
    for estimate in &cx.estimates.flows {
        let flow = &cx.model.flows[estimate.flow];
        let Some((budget, budget_span)) = flow
            .target(attr::LATENCY, cx.model)
            .filter(|(b, _)| estimate.latency_p99 > *b)
        else {
            continue;
        };
        let latency = |id: &ComponentId| p99(cx, *id);
        let Some(slowest) = estimate
            .sync_path
            .iter()
            .max_by(|a, b| latency(a).total_cmp(&latency(b)))
        else {
            continue;
        };
        let names: Vec<&str> = estimate.sync_path.iter().map(|id| cx.name(*id)).collect();
        out.report(
            Element::Flow(estimate.flow),
            flow.id_span,
            format!(
                "flow `{}` takes {} at p99 (at most) along {}, over its {} budget",
                flow.id,
                human_duration(estimate.latency_p99),
                names.join(" → "),
                human_duration(budget)
            ),
            |d| {
                d.with_label("over budget")
                    .with_related(
                        cx.model.component(*slowest).id_span,
                        format!("slowest: {} at p99", human_duration(latency(slowest))),
                    )
                    .with_related(budget_span, format!("budget {}", human_duration(budget)))
                    .with_help(format!(
                        "cache or parallelize around `{}`, or move work off the request path",
                        cx.name(*slowest)
                    ))
            },
        );
    }
}

/// A component's own p99.
fn p99(cx: &Context, id: ComponentId) -> f64 {
    cx.estimates.components[id.index()]
        .latency_p99
        .unwrap_or(0.0)
}

#[cfg(test)]
mod flow_tests {
    use crate::elements_of;

    const DESIGN: &str = "design \"D\" { latency: 100ms }\nclient u { rate: 1k/s }\nservice api { latency: 10ms, latency_p99: 30ms }\n\
         database db { latency: 20ms, latency_p99: 80ms }\ncache hot { latency: 0.5ms, latency_p99: 1ms }\nu -> api\napi -> hot { ops: read }\napi -> db { ops: read }\n";

    fn elements(flows: &str) -> Vec<String> {
        elements_of("latency-over-budget", &format!("{DESIGN}{flows}"))
    }

    #[test]
    fn each_flow_against_its_own_budget_else_the_design_s() {
        // p99s: hit 30 + 1 = 31ms; miss 30 + 1 + 80 = 111ms, over the design's 100ms.
        assert!(elements("flow hit { u -> api -> hot }\n").is_empty());
        assert_eq!(
            elements("flow miss { share: 10%, u -> api -> hot\n api -> db }\n"),
            ["miss"]
        );
        // Its own budget: 120ms is enough, 20ms is not.
        assert!(elements("flow miss { latency: 120ms, u -> api -> hot\n api -> db }\n").is_empty());
        assert_eq!(
            elements("flow hit { latency: 20ms, u -> api -> hot }\n"),
            ["hit"]
        );
    }

    #[test]
    fn an_allow_on_the_flow_silences_it() {
        let allowed = "@allow(latency-over-budget, \"a cold read; the cache is warmed\")\nflow miss { u -> api -> hot\n api -> db }\n";
        assert!(elements(allowed).is_empty());
    }
}
