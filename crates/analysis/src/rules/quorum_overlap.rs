use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "quorum-overlap",
    category: Category::Consistency,
    level: Level::Error,
    summary: "read and write quorums that need not overlap, where consistency is promised",
    what: "`replication: leaderless(n, w, r)` with w + r ≤ n, while the store or a reader asks for \
           more than eventual consistency.",
    why: "In a Dynamo-style store a write is acknowledged by w replicas and a read asks r replicas. \
          Only when w + r > n must every read quorum include a replica that has the latest write; \
          with n = 3, w = 1, r = 1 a read can hit the two replicas the write has not reached. Low \
          quorums buy latency and availability (PA/EL), which is the right choice only when the \
          readers accept stale data.",
    bad: example!("quorum-overlap", "bad"),
    good: example!("quorum-overlap", "good"),
    reading: &[
        "DeCandia et al., 'Dynamo: Amazon's Highly Available Key-value Store', SOSP 2007",
        "Kleppmann, DDIA ch. 5 'Quorums for reading and writing'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(Value::Call(call)) = store.attrs.get(attr::REPLICATION) else {
            continue;
        };
        if call.name != call::Name::Leaderless {
            continue;
        }
        let arg = |name| call.arg(name).and_then(Value::as_count).unwrap_or(0);
        let (n, w, r) = (arg(param::N), arg(param::W), arg(param::R));
        if w + r > n {
            continue;
        }
        let stated = store
            .attrs
            .value::<Consistency>()
            .filter(|&c| c != Consistency::Eventual);
        let reader = cx.incoming(id).find(|(_, l)| {
            l.attrs
                .value::<Consistency>()
                .is_some_and(|c| c != Consistency::Eventual)
        });
        let promise = match (stated, reader) {
            (Some(level), _) => (
                level.to_string(),
                store.attrs.span(attr::CONSISTENCY).unwrap_or(store.id_span),
            ),
            (None, Some((_, link))) => (
                link.attrs
                    .value::<Consistency>()
                    .map_or_else(String::new, |c| c.to_string()),
                link.span,
            ),
            (None, None) => continue,
        };
        out.report(
            Element::Component(id),
            store.attrs.span(attr::REPLICATION).unwrap_or(store.id_span),
            format!("`{}` has w + r = {w} + {r} = {} ≤ n = {n}: a read quorum can miss the latest write, yet {} is expected", store.id, w + r, promise.0),
            |d| {
                d.with_label("quorums need not overlap")
                    .with_related(promise.1, format!("{} expected here", promise.0))
                    .with_help(format!("choose w + r > n, e.g. leaderless(n: {n}, w: {}, r: {}), or accept eventual consistency", n / 2 + 1, n / 2 + 1))
            },
        );
    }
}
