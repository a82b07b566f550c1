use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "orphan-component",
    category: Category::Operability,
    level: Level::Warning,
    summary: "a component with no links",
    what: "A component with no links at all that no attribute refers to (a queue named as another's \
           `dlq` is referred to).",
    why: "A box with no arrows is either a leftover (the design moved on and it was not removed) or \
          a dependency someone forgot to draw. Either way the diagram and the checks reason about a \
          system that differs from the real one: capacity, availability and consistency findings \
          all follow links.",
    bad: example!("orphan-component", "bad"),
    good: example!("orphan-component", "good"),
    reading: &["C4 model, container diagrams: https://c4model.com/"],
    check,
};

pub(crate) fn is_orphan(cx: &Context, id: ComponentId) -> bool {
    cx.model.graph.neighbors_undirected(id).next().is_none() && !cx.facts.is_dlq[id.index()]
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        if !is_orphan(cx, id) {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            format!(
                "{} `{}` has no links: nothing calls it and it calls nothing",
                component.kind, component.id
            ),
            |d| {
                d.with_label("not connected")
                    .with_help("link it to what uses it, or remove it")
            },
        );
    }
}
