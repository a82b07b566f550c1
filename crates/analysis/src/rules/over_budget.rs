use super::prelude::*;
use crate::estimate::human_money;

pub static RULE: Rule = Rule {
    name: "over-budget",
    category: Category::Cost,
    level: Level::Warning,
    summary: "the design costs more a month than its budget",
    what: "A design whose estimated monthly cost, at list prices (its components' `price`, \
           else their engines' list prices, else hld's default replica), exceeds the \
           `budget` in its header. The message names the components that cost most.",
    why: "Cost is a requirement like latency and availability, and interviewers probe it: a \
          design that meets every other target by running everything in triplicate on large \
          nodes may be unaffordable. The estimate prices what the design states (replicas, \
          shards, managed requests and storage), so the levers are visible: fewer or smaller \
          nodes where utilization is low, a cache instead of read replicas, tiered or expiring \
          storage, or reserved and committed-use prices (list prices are on-demand).",
    bad: example!("over-budget", "bad"),
    good: example!("over-budget", "good"),
    reading: &[
        "AWS Well-Architected, Cost Optimization pillar: https://docs.aws.amazon.com/wellarchitected/latest/cost-optimization-pillar/welcome.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let Some(budget) = cx.model.header.number(attr::BUDGET) else {
        return;
    };
    let total = cx.estimates.cost;
    if total <= budget {
        return;
    }
    let mut costly: Vec<(ComponentId, f64)> = cx
        .components()
        .filter_map(|(id, _)| Some((id, cx.estimates.components[id.index()].cost.as_ref()?.value)))
        .collect();
    costly.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let named: Vec<String> = costly
        .iter()
        .take(3)
        .map(|(id, cost)| format!("`{}` {}", cx.name(*id), human_money(*cost)))
        .collect();
    let span = cx
        .model
        .header
        .span(attr::BUDGET)
        .or(cx.model.header_span)
        .expect("a design with a budget has a header");
    out.report(
        Element::Design,
        span,
        format!(
            "the design costs {} at list prices, over its budget of {}; most of it: {}",
            human_money(total),
            human_money(budget),
            named.join(", ")
        ),
        |d| {
            d.with_label("over budget").with_help(
                "run fewer or smaller nodes where utilization is low (`hld estimate` shows both), cache reads instead of adding replicas, expire or tier storage, or state the price you pay (`price:`) where it is below list",
            )
        },
    );
}
