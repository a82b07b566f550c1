use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-observability",
    category: Category::Operability,
    level: Level::Info,
    summary: "nothing in the design declares metrics, logs or traces",
    what: "Neither the design header nor any component declares `observability`.",
    why: "You cannot operate what you cannot see: the availability and latency targets of the \
          design are only meaningful if something measures them. Metrics tell you that something is \
          wrong (the four golden signals: latency, traffic, errors, saturation), logs what happened, \
          traces where in a request path the time went.",
    bad: example!("no-observability", "bad"),
    good: example!("no-observability", "good"),
    reading: &[
        "Google SRE book, ch. 6 'Monitoring Distributed Systems': https://sre.google/sre-book/monitoring-distributed-systems/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    if model.header.get(attr::OBSERVABILITY).is_some()
        || model
            .components
            .iter()
            .any(|c| c.attrs.get(attr::OBSERVABILITY).is_some())
    {
        return;
    }
    let Some(span) = model
        .header_span
        .or_else(|| model.components.first().map(|c| c.id_span))
    else {
        return;
    };
    out.report(
        Element::Design,
        span,
        "nothing in this design declares metrics, logs or traces".to_string(),
        |d| d.with_label("no observability").with_help("add `observability: [metrics, logs, traces]` to the design header (it applies to every component)"),
    );
}
