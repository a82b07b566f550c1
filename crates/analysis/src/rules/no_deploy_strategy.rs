use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-deploy-strategy",
    category: Category::Operability,
    level: Level::Off,
    summary: "a service with no deploy strategy",
    what: "A `service` without `deploy`. Off by default; enable it with `warn = [\"no-deploy-strategy\"]`.",
    why: "Most outages start with a change. How a new version rolls out decides how many users a bad \
          release reaches and how fast it is undone: a canary exposes 1-5% of traffic first, \
          blue-green switches back instantly, rolling updates keep capacity while they go, \
          recreate takes the service down. Deciding it up front is part of the design.",
    bad: example!("no-deploy-strategy", "bad"),
    good: example!("no-deploy-strategy", "good"),
    reading: &[
        "Google SRE workbook, ch. 16 'Canarying Releases': https://sre.google/workbook/canarying-releases/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, service) in cx.components() {
        if service.kind != Kind::Service || service.attrs.get(attr::DEPLOY).is_some() {
            continue;
        }
        out.report(
            Element::Component(id),
            service.id_span,
            format!("service `{}` has no deploy strategy", service.id),
            |d| {
                d.with_label("no deploy")
                    .with_help("set `deploy: canary` (or rolling, blue_green, recreate)")
            },
        );
    }
}
