use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "lost-update",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "concurrent read-modify-writes overwrite each other",
    what: "A link with `ops: read_modify_write` into a store, from a caller that runs two or more \
           replicas (or from one of two or more callers doing so), with no `atomic` (`cas`, `lock`, \
           `script`, `transaction`) and an isolation (the link's, else the store's) other than \
           `serializable` or `snapshot`.",
    why: "Two requests read the same value (3 seats left, a balance of 100, a counter at 41), each \
          computes its change and writes its result: the second write replaces the first, and one \
          update is gone: a seat sold twice, a withdrawal that never happened, one like lost. \
          Read committed and MySQL's repeatable read let it happen. The fixes make the write \
          depend on what was read: a compare-and-set (`UPDATE ... WHERE version = 7`, a \
          conditional put), a lock taken by the read (`SELECT ... FOR UPDATE`), an atomic \
          operation the store runs itself (`UPDATE seats SET left = left - 1 WHERE left > 0`, \
          Redis INCR or a Lua script), or a transaction under snapshot isolation (which aborts \
          the second of two concurrent writers of a row) or serializable isolation.",
    bad: example!("lost-update", "bad"),
    good: example!("lost-update", "good"),
    reading: &[
        "Kleppmann, DDIA ch. 7 'Transactions', 'Preventing Lost Updates'",
        "Berenson et al., 'A Critique of ANSI SQL Isolation Levels' (1995): https://www.microsoft.com/en-us/research/publication/a-critique-of-ansi-sql-isolation-levels/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        if !store.kind.is_data() {
            continue;
        }
        let exposed: Vec<(LinkId, &Link)> = cx
            .incoming(id)
            .filter(|(_, link)| facts::ops(link) == Ops::ReadModifyWrite)
            .filter(|(_, link)| !made_safe(store, link))
            .collect();
        let callers = {
            let mut callers: Vec<ComponentId> = exposed.iter().map(|(_, l)| l.from).collect();
            callers.sort();
            callers.dedup();
            callers.len()
        };
        for &(link_id, link) in &exposed {
            let caller = cx.model.component(link.from);
            let concurrent = match (caller.attrs.get(attr::AUTOSCALE), caller.replicas()) {
                (Some(_), _) => "autoscaled replicas".to_owned(),
                (None, replicas) if replicas >= 2 => format!("{replicas} replicas"),
                _ if callers >= 2 => format!("{callers} callers"),
                _ => continue,
            };
            out.report(
                Element::Link(link_id),
                link.attrs.span(attr::OPS).unwrap_or(link.span),
                format!(
                    "`{}` reads `{}` and writes it back with no `atomic` ({concurrent} run it at once): two requests can read the same value and the second write erases the first (a double booking, a lost increment)",
                    caller.id, store.id
                ),
                |d| {
                    d.with_label("unguarded read-modify-write").with_help(
                        "make the write depend on the read: `atomic: cas` (a version check or conditional write), `atomic: lock` (SELECT ... FOR UPDATE), `atomic: script` (an atomic increment or script the store runs), or `isolation: serializable`",
                    )
                },
            );
        }
    }
}

/// Whether the link guards its read-modify-write: an `atomic` way, or an isolation that
/// aborts one of two concurrent writers (snapshot's first committer wins; serializable).
fn made_safe(store: &Component, link: &Link) -> bool {
    let atomic = link
        .attrs
        .value::<values::atomic::Value>()
        .is_some_and(|way| way != values::atomic::Value::None);
    let isolation = link.attrs.value().or_else(|| store.attrs.value());
    atomic
        || matches!(
            isolation,
            Some(values::isolation::Value::Serializable | values::isolation::Value::Snapshot)
        )
}
