use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "isolation-mismatch",
    category: Category::Consistency,
    level: Level::Error,
    summary: "a caller needs stronger transaction isolation than its store runs",
    what: "A link whose `isolation` its target's `isolation` does not give. The levels are a \
           partial order: read_uncommitted < read_committed < repeatable_read and snapshot < \
           serializable, where repeatable_read and snapshot are incomparable: each allows an \
           anomaly the other forbids (write skew under snapshot; phantoms under repeatable read), \
           so neither satisfies a caller that needs the other.",
    why: "Weaker isolation admits anomalies: read committed allows lost updates and non-repeatable \
          reads, snapshot isolation allows write skew (two doctors both going off call). A caller \
          that assumes serializable behaviour on a read-committed store has races that pass every \
          test and corrupt data under concurrency. Raise the store's level (and pay in aborts and \
          retries), or make the caller safe under the weaker level (explicit locks, constraints).",
    bad: example!("isolation-mismatch", "bad"),
    good: example!("isolation-mismatch", "good"),
    reading: &[
        "Berenson et al., 'A Critique of ANSI SQL Isolation Levels', SIGMOD 1995",
        "PostgreSQL: Transaction Isolation: https://www.postgresql.org/docs/current/transaction-iso.html",
    ],
    check,
};

/// Whether transactions run at `provided` are at least as isolated as `needed`.
/// Isolation levels are a partial order: serializable above all; snapshot and repeatable
/// read each above read committed, but incomparable (snapshot allows write skew, which
/// lock-based repeatable read forbids; repeatable read allows phantoms, which a
/// snapshot does not show); read committed above read uncommitted.
fn satisfies(provided: Isolation, needed: Isolation) -> bool {
    use Isolation::*;
    let below = |level: Isolation| -> &[Isolation] {
        match level {
            Serializable => &[Snapshot, RepeatableRead, ReadCommitted, ReadUncommitted],
            Snapshot | RepeatableRead => &[ReadCommitted, ReadUncommitted],
            ReadCommitted => &[ReadUncommitted],
            ReadUncommitted => &[],
        }
    };
    provided == needed || below(provided).contains(&needed)
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let target = cx.model.component(link.to);
        let (Some(needed), Some(provided)) = (
            link.attrs.value::<Isolation>(),
            target.attrs.value::<Isolation>(),
        ) else {
            continue;
        };
        if satisfies(provided, needed) {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::ISOLATION).unwrap_or(link.span),
            format!("`{}` needs {needed} transactions on `{}`, which runs {provided}", cx.name(link.from), target.id),
            |d| {
                d.with_label(format!("needs {needed}"))
                    .with_related(target.attrs.span(attr::ISOLATION).unwrap_or(target.id_span), format!("runs {provided}"))
                    .with_help(format!("raise `isolation` on `{}` to {needed}, or make the caller safe under {provided}", target.id))
            },
        );
    }
}
