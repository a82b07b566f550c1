use super::prelude::*;
use crate::analysis::estimate::percent;

pub static RULE: Rule = Rule {
    name: "availability-below-target",
    category: Category::Capacity,
    level: Level::Error,
    summary: "a request path less available than the design's target",
    what: "A client's least available request path, estimated as the product of its components' \
           availability (1 − (1 − a)^n for n replicas), is below the design's `availability`.",
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
        if path.availability >= target || path.availability_path.len() < 2 {
            continue;
        }
        let weakest = path.availability_path[1..]
            .iter()
            .copied()
            .min_by(|a, b| {
                cx.estimates.components[a.index()]
                    .availability
                    .value
                    .total_cmp(&cx.estimates.components[b.index()].availability.value)
            })
            .expect("the path has components after the client");
        let names: Vec<&str> = path
            .availability_path
            .iter()
            .map(|id| cx.name(*id))
            .collect();
        let client = cx.model.component(path.client);
        let weakest_availability = cx.estimates.components[weakest.index()].availability.value;
        out.report(
            Element::Component(path.client),
            client.id_span,
            format!(
                "the request path {} is {} available, below the {} target",
                names.join(" → "),
                percent(path.availability),
                percent(target)
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

/// What raises the weakest component's availability, for the kind it is: a managed
/// component cannot be given replicas, a client-facing router is doubled by another
/// behind DNS, the rest by replicas.
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
