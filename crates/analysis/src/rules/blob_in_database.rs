use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "blob-in-database",
    category: Category::Data,
    level: Level::Warning,
    summary: "large objects stored in a database",
    what: "A `database` with `record_size` of 1 MB or more, or a write link into one carrying a \
           `payload` of 1 MB or more.",
    why: "Databases are built for many small rows: large values bloat the buffer cache (one 5 MB \
          image evicts thousands of rows), slow replication and backups, and make every query that \
          touches the row move megabytes. Object storage costs a fraction per GB, streams ranges, \
          and sits behind a CDN. Store the object in a `blob` store and keep its key and metadata \
          in the database.",
    bad: example!("blob-in-database", "bad"),
    good: example!("blob-in-database", "good"),
    reading: &["Sears et al., 'To BLOB or Not To BLOB', Microsoft Research 2006"],
    check,
};

const LARGE: f64 = 1e6;

fn check(cx: &Context, out: &mut Findings) {
    for (id, db) in cx.components() {
        if db.kind != Kind::Database {
            continue;
        }
        let record = db.attrs.number(attr::RECORD_SIZE).filter(|s| *s >= LARGE);
        let payload = cx
            .incoming(id)
            .filter(|(_, l)| facts::writes(l))
            .find_map(|(_, l)| {
                l.attrs
                    .number(attr::PAYLOAD)
                    .filter(|p| *p >= LARGE)
                    .map(|p| (p, l))
            });
        let (size, span) = match (record, payload) {
            (Some(size), _) => (size, db.attrs.span(attr::RECORD_SIZE).unwrap_or(db.id_span)),
            (None, Some((size, link))) => {
                (size, link.attrs.span(attr::PAYLOAD).unwrap_or(link.span))
            }
            _ => continue,
        };
        out.report(
            Element::Component(id),
            span,
            format!("database `{}` stores objects of {:.1} MB: large values crowd out rows in cache, replication and backups", db.id, size / 1e6),
            |d| d.with_label("large object").with_help("store the object in a `blob` store (s3, gcs) and keep its key in the database"),
        );
    }
}
