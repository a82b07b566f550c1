use super::prelude::*;
use crate::model::GroupKind;

pub static RULE: Rule = Rule {
    name: "single-zone",
    category: Category::Availability,
    level: Level::Warning,
    summary: "replicas that all sit in one availability zone",
    what: "In a design that places components in zones (a `zone` group or `zones:` anywhere), a \
           component with 2 or more replicas whose replicas sit in one zone only: it is inside \
           exactly one `zone` group, or says `zones: 1`.",
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
            .any(|c| c.attrs.get("zones").is_some());
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
        let zone = model
            .enclosing_groups(component.group)
            .find(|g| model.groups[*g].kind == GroupKind::Zone);
        let (one_zone, where_) = match (component.attrs.count("zones"), zone) {
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
