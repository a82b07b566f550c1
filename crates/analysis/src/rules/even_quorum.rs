use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "even-quorum",
    category: Category::Availability,
    level: Level::Warning,
    summary: "a consensus group with an even number of members, or fewer than 3",
    what: "A `coordinator`, or a store with `replication: consensus(n)`, whose member count is even \
           or below 3.",
    why: "A consensus group (Raft, Paxos, ZAB) commits when a majority agrees: n members tolerate \
          ⌊(n−1)/2⌋ failures. 3 members tolerate 1 and so do 4, so the fourth adds cost, another \
          machine that can fail and a larger quorum to wait for, without tolerating more failures; 5 \
          tolerate 2. With 1 or 2 members a single failure stops all writes.",
    bad: example!("even-quorum", "bad"),
    good: example!("even-quorum", "good"),
    reading: &["etcd FAQ, 'Why an odd number of cluster members?': https://etcd.io/docs/v3.5/faq/"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let (members, span) = if component.kind == Kind::Coordinator {
            if component.managed() {
                continue;
            }
            (
                component.replicas(),
                component
                    .attrs
                    .span(attr::REPLICAS)
                    .unwrap_or(component.id_span),
            )
        } else if let Some(Value::Call(call)) = component
            .attrs
            .get(attr::REPLICATION)
            .filter(|v| v.as_call().is_some_and(|c| c.name == call::Name::Consensus))
        {
            let n = call.arg(param::N).and_then(Value::as_count).unwrap_or(1);
            (
                n,
                component
                    .attrs
                    .span(attr::REPLICATION)
                    .unwrap_or(component.id_span),
            )
        } else {
            continue;
        };
        if members >= 3 && members % 2 == 1 {
            continue;
        }
        let tolerated = (members.max(1) - 1) / 2;
        let better = if members < 3 { 3 } else { members + 1 };
        out.report(
            Element::Component(id),
            span,
            format!(
                "`{}` has {members} consensus member{}: a majority is {}, so it survives {tolerated} failure{}",
                component.id,
                if members == 1 { "" } else { "s" },
                members / 2 + 1,
                if tolerated == 1 { "" } else { "s" }
            ),
            |d| d.with_label("even or too few members").with_help(format!("use an odd number, at least 3: {better} members survive {} failure(s)", (better - 1) / 2)),
        );
    }
}
