use super::prelude::*;
use crate::estimate::{percent, percent_against, share_percent};

pub static RULE: Rule = Rule {
    name: "availability-below-target",
    category: Category::Capacity,
    level: Level::Error,
    summary: "a request path less available than the design's target",
    what: "The share of a client's requests that succeed is below the design's `availability`. \
           Each component counts its own availability with its replicas (1 − (1 − a)^n), and \
           its dependencies as the interview does: a caller's in series (each weighted by the \
           share of requests that use it), a load balancer's or dns's targets as alternatives \
           (1 − Π(1 − A)), a gateway's routes by their share, a cdn's origins only for its \
           misses. The finding names the weakest component: the one whose failure costs most.",
    why: "Serial dependencies multiply: five components at 99.9% give 99.5%, which is 44 hours \
          down a year, before counting anything the design leaves out. The target is met by \
          replicating the weakest components (two replicas of a 99.9% component give 99.9999%), \
          by making dependencies asynchronous, or by serving a degraded answer when one fails.",
    bad: example!("availability-below-target", "bad"),
    good: example!("availability-below-target", "good"),
    reading: &[
        "Google SRE book, ch. 3 'Embracing Risk': https://sre.google/sre-book/embracing-risk/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    check_flows(cx, out);
    let Some(target) = cx.model.header.number(attr::AVAILABILITY) else {
        return;
    };
    for path in &cx.estimates.paths {
        let Some((weakest, cost)) = path.weakest else {
            continue;
        };
        if path.availability >= target {
            continue;
        }
        let client = cx.model.component(path.client);
        let route: Vec<&str> = path
            .availability_path
            .iter()
            .map(|id| cx.name(*id))
            .collect();
        let weakest_availability = cx.estimates.components[weakest.index()].availability.value;
        out.report(
            Element::Component(path.client),
            client.id_span,
            format!(
                "requests from `{}` succeed {} of the time, below the {} target; the weakest component is `{}` ({} on its own, reached {}): its downtime fails {} of them",
                client.id,
                percent_against(path.availability, target),
                percent(target),
                cx.name(weakest),
                percent(weakest_availability),
                route.join(" → "),
                share_percent(cost.min(1.0)),
            ),
            |d| {
                let target_span = cx.model.header_span.unwrap_or(client.id_span);
                below_target(d, cx, weakest, target, target_span)
            },
        );
    }
}

/// Each flow against its own target, else the design's.
fn check_flows(cx: &Context, out: &mut Findings) {
    for estimate in &cx.estimates.flows {
        let flow = &cx.model.flows[estimate.flow];
        let (Some((target, target_span)), Some((weakest, cost))) =
            (flow.target(attr::AVAILABILITY, cx.model), estimate.weakest)
        else {
            continue;
        };
        if estimate.availability >= target {
            continue;
        }
        let weakest_availability = cx.estimates.components[weakest.index()].availability.value;
        out.report(
            Element::Flow(estimate.flow),
            flow.id_span,
            format!(
                "flow `{}` succeeds {} of the time, below its {} target; the weakest step is `{}` ({} on its own): its downtime fails {} of the flow",
                flow.id,
                percent_against(estimate.availability, target),
                percent(target),
                cx.name(weakest),
                percent(weakest_availability),
                share_percent(cost.min(1.0)),
            ),
            |d| below_target(d, cx, weakest, target, target_span),
        );
    }
}

/// The finding's label, its weakest component and target as related spans, and the fix.
fn below_target(
    d: hld_syntax::diagnostics::Diagnostic,
    cx: &Context,
    weakest: ComponentId,
    target: f64,
    target_span: hld_syntax::source::Span,
) -> hld_syntax::diagnostics::Diagnostic {
    let own = cx.estimates.components[weakest.index()].availability.value;
    d.with_label("below target")
        .with_related(
            cx.model.component(weakest).id_span,
            format!("weakest: {}", percent(own)),
        )
        .with_related(target_span, format!("target {}", percent(target)))
        .with_help(help(cx, weakest))
}

fn help(cx: &Context, weakest: ComponentId) -> String {
    let component = cx.model.component(weakest);
    let name = &component.id;
    if component.managed() {
        return format!(
            "`{name}` is managed: its provider's availability is the ceiling; add an alternative (a second provider or region behind `dns`), or take it off the synchronous path"
        );
    }
    match component.kind {
        Kind::Dns | Kind::Cdn => format!(
            "use a managed `{name}` (its provider runs it redundantly), add a second provider, or take it off the synchronous path"
        ),
        Kind::External => format!(
            "`{name}` is a third party: call it asynchronously (queue the work), add a fallback provider, or cache its answers"
        ),
        _ => format!(
            "replicate `{name}` (or use a managed engine), or take it off the synchronous path"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn help(weakest: &str) -> String {
        let text = format!(
            "design \"T\" {{ availability: 99.99% }}\nclient u\n{weakest}\nservice api {{ replicas: 3 }}\nu -> w -> api\n"
        );
        let found = findings_of(RULE.name, &text);
        let finding = found
            .first()
            .unwrap_or_else(|| panic!("{weakest}: no finding"));
        finding.help.clone().unwrap()
    }

    #[test]
    fn the_help_fits_the_kind_of_the_weakest_component() {
        // A managed CDN (CloudFront, 99.9%) cannot be given replicas.
        assert!(help("cdn w { engine: cloudfront }").starts_with("`w` is managed"));
        assert!(help("service w").starts_with("replicate `w`"));
        assert!(help("external w").starts_with("`w` is a third party"));
    }
}

#[cfg(test)]
mod flow_tests {
    use crate::elements_of;

    const DESIGN: &str = "design \"D\" { availability: 99.9% }\nclient u { rate: 1k/s }\nservice api { availability: 99.95% }\n\
         database db { availability: 99.9% }\nu -> api\napi -> db { ops: read }\n";

    fn elements(flows: &str) -> Vec<String> {
        elements_of("availability-below-target", &format!("{DESIGN}{flows}"))
    }

    #[test]
    fn each_flow_against_its_own_target_else_the_design_s() {
        // api alone: 99.95% meets 99.9%; api then db: 0.9995 × 0.999 = 99.85%, below.
        assert!(elements("flow status { u -> api }\n").is_empty());
        assert_eq!(elements("flow read { u -> api -> db }\n"), ["read"]);
        // Its own target: 99.8% is met.
        assert!(elements("flow read { availability: 99.8%, u -> api -> db }\n").is_empty());
        // The db on 10% of the flow: 1 − 0.1 × 0.001 = 99.99% × 99.95% meets 99.9%.
        assert!(elements("flow read { u -> api\n api -> db { ratio: 10% } }\n").is_empty());
    }
}
