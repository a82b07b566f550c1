use super::prelude::*;
use hld_model::GroupKind;

pub static RULE: Rule = Rule {
    name: "single-zone",
    category: Category::Availability,
    level: Level::Warning,
    summary: "replicas that all sit in one availability zone",
    what: "In a design that places components in zones (a `zone` group or `zones:` anywhere), a \
           component with 2 or more replicas whose replicas sit in one zone only: it is inside \
           exactly one `zone` group, or says `zones: 1`. Silent when it is one of several \
           alternatives behind a load balancer or dns that sit in two or more zones or \
           regions (zonal deployments).",
    why: "Replicas protect against a machine failing, not against the zone failing: a power, cooling \
          or network event takes out every replica in it together. Cloud providers design zones to \
          fail independently, so spreading replicas over 2-3 zones turns a zone outage into lost \
          capacity instead of downtime. The cost is cross-zone latency (about 1 ms) and traffic \
          charges, and for stores, synchronous replication across zones.",
    bad: example!("single-zone", "bad"),
    good: example!("single-zone", "good"),
    reading: &[
        "AWS: Regions and Availability Zones: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let zoned = model.groups.iter().any(|g| g.kind == GroupKind::Zone)
        || model
            .components
            .iter()
            .any(|c| c.attrs.get(attr::ZONES).is_some());
    if !zoned {
        return;
    }
    for (id, component) in cx.components() {
        let Redundancy::Copies(copies) = cx.facts.redundancy[id.index()] else {
            continue;
        };
        if copies < 2 {
            continue;
        }
        if spans_zones(cx, cx.facts.alternatives(id)) {
            continue;
        }
        let zone = model
            .enclosing_groups(component.group)
            .find(|g| model.groups[*g].kind == GroupKind::Zone);
        let (one_zone, where_) = match (component.attrs.count(attr::ZONES), zone) {
            (Some(1), _) => (true, "`zones: 1`".to_string()),
            (None, Some(zone)) => (true, format!("zone `{}`", model.groups[zone].id)),
            _ => (false, String::new()),
        };
        if one_zone {
            out.report(
                Element::Component(id),
                component.id_span,
                format!("`{}` runs {copies} replicas, all in {where_}: one zone outage takes every replica", component.id),
                |d| d.with_label("replicas in one zone").with_help("spread the replicas: `zones: 2` or more, or declare it outside a single zone"),
            );
        }
    }
}

/// Whether alternatives (behind one load balancer or dns) sit in two or more zones or
/// regions: one zone's outage leaves the others serving.
fn spans_zones(cx: &Context, alternatives: &[ComponentId]) -> bool {
    let model = cx.model;
    let mut places: Vec<Option<usize>> = alternatives
        .iter()
        .map(|&a| {
            model
                .enclosing_groups(model.component(a).group)
                .find(|g| matches!(model.groups[*g].kind, GroupKind::Zone | GroupKind::Region))
        })
        .collect();
    places.sort();
    places.dedup();
    places.len() >= 2
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn single_zone(text: &str) -> Vec<String> {
        findings_of(RULE.name, text)
            .into_iter()
            .filter_map(|d| d.element.map(|e| e.to_string()))
            .collect()
    }

    fn zonal(b_zone: &str) -> String {
        format!(
            "client u\nlb front {{ replicas: 2, zones: 2 }}\nzone a {{ service api_a {{ replicas: 2 }} }}\nzone {b_zone} {{ service api_b {{ replicas: 2 }} }}\nu -> front\nfront -> api_a\nfront -> api_b\n"
        )
    }

    #[test]
    fn zonal_deployments_behind_one_load_balancer_span_the_zones() {
        assert!(single_zone(&zonal("b")).is_empty());
    }

    #[test]
    fn alternatives_all_in_one_zone_are_still_single_zone() {
        let text = "client u\nlb front { replicas: 2, zones: 2 }\nzone a {\n  service api_a { replicas: 2 }\n  service api_b { replicas: 2 }\n}\nu -> front\nfront -> api_a\nfront -> api_b\n";
        assert_eq!(single_zone(text), ["api_a", "api_b"]);
    }
}
