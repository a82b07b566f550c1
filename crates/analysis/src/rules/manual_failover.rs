use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "manual-failover",
    category: Category::Availability,
    level: Level::Info,
    summary: "a store on a request path fails over by hand",
    what: "A store on a request path with `leader_follower(failover: manual)`.",
    why: "With manual failover the time to recover from a leader failure is the time for someone to \
          be paged, diagnose and promote a follower: typically 15-60 minutes of failed writes. That \
          alone spends a 99.95% monthly budget (22 minutes). It avoids split-brain without a \
          coordinator; automatic failover with a consensus-backed lease recovers in seconds.",
    bad: example!("manual-failover", "bad"),
    good: example!("manual-failover", "good"),
    reading: &[
        "Google SRE book, ch. 4 'Service Level Objectives': https://sre.google/sre-book/service-level-objectives/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let Some(Value::Call(call)) = component.attrs.get(attr::REPLICATION) else {
            continue;
        };
        let manual = call.name == call::Name::LeaderFollower
            && call.arg_value() == Some(values::failover::Value::Manual);
        if !manual || !cx.facts.on_request_path(id) {
            continue;
        }
        out.report(
            Element::Component(id),
            component.attrs.span(attr::REPLICATION).unwrap_or(component.id_span),
            format!("`{}` is on a request path and fails over by hand: writes fail until someone promotes a follower", component.id),
            |d| d.with_label("manual failover").with_help("use `failover: automatic` with a coordinator, or state the recovery time you accept with `@allow`"),
        );
    }
}
