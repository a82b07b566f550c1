use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-backup",
    category: Category::Data,
    level: Level::Info,
    summary: "a self-run database with no backup",
    what: "A `database` that is not `managed` and does not state `backup: true`.",
    why: "Replication protects against losing a machine, not against losing data: a bad migration, \
          a `DELETE` without `WHERE`, a bug or ransomware is replicated to every copy within \
          milliseconds. Only a backup taken before the mistake, and restored in a drill, brings the \
          data back. Your recovery point objective is the interval between backups (or continuous \
          log archiving), your recovery time the time a restore takes.",
    bad: example!("no-backup", "bad"),
    good: example!("no-backup", "good"),
    reading: &[
        "PostgreSQL: continuous archiving and point-in-time recovery: https://www.postgresql.org/docs/current/continuous-archiving.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, db) in cx.components() {
        if db.kind != Kind::Database || db.managed() || db.attrs.bool(attr::BACKUP) == Some(true) {
            continue;
        }
        out.report(
            Element::Component(id),
            db.id_span,
            format!("database `{}` has no backup: replicas copy mistakes too", db.id),
            |d| d.with_label("no backup").with_help("set `backup: true` (and restore it in a drill), or use a managed engine with backups"),
        );
    }
}
