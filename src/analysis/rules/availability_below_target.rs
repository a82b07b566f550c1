use super::prelude::*;
use crate::analysis::estimate::{percent, percent_against, share_percent};

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
    let Some(target) = cx.model.header.number("availability") else {
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
                d.with_label("below target")
                    .with_related(
                        cx.model.component(weakest).id_span,
                        format!("weakest: {}", percent(weakest_availability)),
                    )
                    .with_related(
                        cx.model.header_span.unwrap_or(client.id_span),
                        format!("target {}", percent(target)),
                    )
                    .with_help(help(cx, weakest))
            },
        );
    }
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
    use crate::analysis::findings_of;

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
