use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "last-write-wins-conflict",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "concurrent updates to multi-leader or leaderless copies are silently dropped",
    what: "A store replicated with `multi_leader` or `leaderless` that resolves concurrent writes \
           by last write wins (its `conflicts`, else its engine's) and takes `read_modify_write` \
           links with no `atomic` (a compare-and-set runs through consensus, as Cassandra's \
           lightweight transactions do), or writes from callers in two or more `region` groups.",
    why: "With more than one copy accepting writes, two writes to one key can both succeed on \
          different copies. Last write wins keeps the one with the later timestamp and discards \
          the other without telling anyone: an increment, a cart's added item or a profile edit \
          vanishes, and with clocks skewed between nodes the 'later' write may not even be the \
          one that happened last. It is safe only for writes that replace a value whole and where \
          losing one of two racing writes is acceptable. Otherwise merge the writes (`conflicts: \
          crdt`: counters and sets that converge, as Riak's data types and Redis Enterprise's \
          active-active do; `merge`: the application resolves siblings), route each key's writes \
          to one home region, or use a single leader or consensus for that data.",
    bad: example!("last-write-wins-conflict", "bad"),
    good: example!("last-write-wins-conflict", "good"),
    reading: &[
        "Kleppmann, DDIA ch. 5 'Replication', 'Handling Write Conflicts' and 'Last write wins'",
        "Shapiro et al., 'Conflict-free Replicated Data Types' (2011): https://inria.hal.science/inria-00609399",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(replication) = store
            .attrs
            .get(attr::REPLICATION)
            .and_then(Value::as_call)
            .filter(|c| c.name == call::Name::MultiLeader || c.name == call::Name::Leaderless)
        else {
            continue;
        };
        let stated = store.attrs.get(attr::CONFLICTS);
        if store.effective() != Some(values::conflicts::Value::LastWriteWins) {
            continue;
        }
        let Some(racing) = racing_writes(cx, id) else {
            continue;
        };
        let whose = if stated.is_some() {
            "it resolves"
        } else {
            "its engine resolves"
        };
        out.report(
            Element::Component(id),
            store
                .attrs
                .span(attr::CONFLICTS)
                .or(store.attrs.span(attr::REPLICATION))
                .unwrap_or(store.id_span),
            format!(
                "`{}` accepts writes on several copies ({}) and {whose} conflicts by last write wins, yet {racing}: one of two concurrent updates is silently dropped",
                store.id, replication.name
            ),
            |d| {
                d.with_label("last write wins").with_help(
                    "merge concurrent writes (`conflicts: crdt` for counters and sets, `conflicts: merge` to resolve in the application), give each key one home region, or keep this data on a single leader or `consensus`",
                )
            },
        );
    }
}

/// Why two writes to one key can race: read-modify-writes with no `atomic` (a
/// compare-and-set runs as a lightweight transaction, through consensus), or writers in
/// two regions.
fn racing_writes(cx: &Context, store: ComponentId) -> Option<String> {
    let writes = || {
        cx.incoming(store)
            .filter(|(_, l)| facts::writes_by_request(l))
    };
    let unguarded = |l: &Link| {
        facts::ops(l) == Ops::ReadModifyWrite
            && l.attrs
                .value::<values::atomic::Value>()
                .is_none_or(|way| way == values::atomic::Value::None)
    };
    if let Some((_, link)) = writes().find(|(_, l)| unguarded(l)) {
        return Some(format!(
            "`{}` reads and writes back its values",
            cx.name(link.from)
        ));
    }
    let mut regions: Vec<_> = writes()
        .filter_map(|(_, l)| cx.model.region_of(cx.model.component(l.from).group))
        .collect();
    regions.sort();
    regions.dedup();
    (regions.len() >= 2).then(|| {
        let names: Vec<String> = regions
            .iter()
            .map(|&g| format!("`{}`", cx.model.groups[g].id))
            .collect();
        format!("it is written from {}", names.join(" and "))
    })
}
