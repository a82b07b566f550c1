use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "hot-partition-key",
    category: Category::Data,
    level: Level::Warning,
    summary: "range partitioning on a key that only grows",
    what: "`range(key: k)` where k only grows: `monotonic: true`, or a name such as `*_at`, \
           `*time*`, `*date*`, `timestamp`, `seq`, or `id` with `auto_increment: true`.",
    why: "With range partitioning, consecutive keys land in the same partition. When every new key \
          is larger than the last (timestamps, sequence numbers), all writes go to the last \
          partition: one node takes 100% of the write load while the others idle, however many \
          shards there are. Prefix the key with a hash or a bucket (`hash(user_id), created_at`), \
          or partition by hash and keep the time order inside each partition.",
    bad: example!("hot-partition-key", "bad"),
    good: example!("hot-partition-key", "good"),
    reading: &[
        "Bigtable/HBase row key design: https://cloud.google.com/bigtable/docs/schema-design#row-keys",
        "Kleppmann, DDIA ch. 6 'Partitioning by Key Range'",
    ],
    check,
};

fn grows(key: &str, call: &hld_model::CallValue) -> bool {
    let stated = |param: Param| call.arg(param).and_then(Value::as_bool) == Some(true);
    let lower = key.to_ascii_lowercase();
    stated(param::MONOTONIC)
        || lower.ends_with("_at")
        || lower.contains("time")
        || lower.contains("date")
        || lower == "seq"
        || lower.ends_with("_seq")
        || (stated(param::AUTO_INCREMENT) && (lower == "id" || lower.ends_with("_id")))
}

fn check(cx: &Context, out: &mut Findings) {
    for (id, store) in cx.components() {
        let Some(Value::Call(call)) = store.attrs.get(attr::PARTITIONING) else {
            continue;
        };
        if call.name != call::Name::Range {
            continue;
        }
        let Some(key) = call.arg(param::KEY).and_then(Value::as_str) else {
            continue;
        };
        if !grows(key, call) {
            continue;
        }
        out.report(
            Element::Component(id),
            store.attrs.span(attr::PARTITIONING).unwrap_or(store.id_span),
            format!("`{}` is range-partitioned on `{key}`, which only grows: every new write lands in the last partition", store.id),
            |d| d.with_label("hot last partition").with_help(format!("partition by `hash(key: ...)` of another field, or prefix `{key}` with a hash bucket")),
        );
    }
}
