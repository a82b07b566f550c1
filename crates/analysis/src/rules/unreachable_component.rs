use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "unreachable-component",
    category: Category::Operability,
    level: Level::Warning,
    summary: "a component no client or scheduled job leads to",
    what: "A component (not a client, not a `cron`/`batch` worker, not an orphan) that no path \
           reaches from a client, a scheduled worker or an `external` that calls in (webhooks), \
           following links in their direction and `dlq` references.",
    why: "Links say who calls whom. A component nothing leads to receives no traffic in the design: \
          either an arrow points the wrong way (a consumer drawn as producing into its queue) or an \
          entry point is missing. The capacity estimates give it zero load and the rules treat it \
          as off every request path, so findings about it would be wrong.",
    bad: example!("unreachable-component", "bad"),
    good: example!("unreachable-component", "good"),
    reading: &["C4 model, dynamic diagrams: https://c4model.com/"],
    check,
};

/// Where work starts: clients, scheduled jobs, and external systems that call in (a
/// payment provider's webhooks send work as a client does).
fn is_root(cx: &Context, id: ComponentId, component: &Component) -> bool {
    match component.kind {
        Kind::Client => true,
        Kind::Worker => matches!(
            component.attrs.value(),
            Some(values::mode::Value::Cron | values::mode::Value::Batch)
        ),
        Kind::External => cx.outgoing(id).next().is_some(),
        _ => false,
    }
}

fn check(cx: &Context, out: &mut Findings) {
    let roots = cx
        .components()
        .filter(|(id, c)| is_root(cx, *id, c))
        .map(|(id, _)| id);
    let reached = facts::reachable_from(cx.model, roots);
    for (id, component) in cx.components() {
        if reached[id.index()]
            || is_root(cx, id, component)
            || super::orphan_component::is_orphan(cx, id)
        {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            format!("no client or scheduled job leads to {} `{}`: nothing in the design sends it work", component.kind, component.id),
            |d| d.with_label("unreachable").with_help("check the direction of its links (a consumer is `queue -> worker`), or link it from what calls it"),
        );
    }
}
