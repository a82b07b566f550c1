use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "isolation-mismatch",
    category: Category::Consistency,
    level: Level::Error,
    summary: "a caller needs stronger transaction isolation than its store runs",
    what: "A link whose `isolation` is stronger than its target's `isolation` (read_uncommitted < \
           read_committed < repeatable_read = snapshot < serializable).",
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

fn rank(level: &str) -> u8 {
    match level {
        "read_uncommitted" => 0,
        "read_committed" => 1,
        "repeatable_read" | "snapshot" => 2,
        _ => 3,
    }
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let target = cx.model.component(link.to);
        let (Some(needed), Some(provided)) = (
            link.attrs.symbol(attr::ISOLATION),
            target.attrs.symbol(attr::ISOLATION),
        ) else {
            continue;
        };
        if rank(needed) <= rank(provided) {
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
