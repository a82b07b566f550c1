use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "cross-shard-transaction",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a local transaction against a sharded store without distributed transactions",
    what: "A link with `transaction: local` into a store with `shards` > 1 whose engine has no \
           distributed transactions (its profile), unless the link's `key` is the store's \
           partition key (every row the transaction touches is then on one shard).",
    why: "A local transaction is atomic within one shard. When the rows it touches live on \
          different shards (a transfer between two accounts hashed apart), the engine commits each \
          shard on its own, so a crash between them leaves half a transaction. Either keep every \
          transaction's data on one shard (choose the partition key for it), use an engine with \
          distributed transactions (Spanner, CockroachDB), or model the operation as a saga.",
    bad: example!("cross-shard-transaction", "bad"),
    good: example!("cross-shard-transaction", "good"),
    reading: &[
        "Vitess: distributed transactions: https://vitess.io/docs/reference/features/distributed-transaction/",
        "Corbett et al., 'Spanner', OSDI 2012",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if !link.attrs.is(values::transaction::Value::Local) {
            continue;
        }
        let store = cx.model.component(link.to);
        let shards = store.attrs.count(attr::SHARDS).unwrap_or(1);
        let Some(profile) = store.profile else {
            continue;
        };
        if shards <= 1 || profile.distributed_transactions || on_one_shard(link, store) {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::TRANSACTION).unwrap_or(link.span),
            format!("`{}` runs local transactions on `{}`, split over {shards} shards, and {} has no distributed transactions", cx.name(link.from), store.id, profile.name),
            |d| {
                d.with_label("atomic on one shard only")
                    .with_related(store.attrs.span(attr::SHARDS).unwrap_or(store.id_span), format!("{shards} shards"))
                    .with_help(match partition_key(store) {
                        Some(key) => format!("if every row it touches shares `{key}`, say so with `key: {key}` on the link; else use an engine with distributed transactions, or a saga"),
                        None => "keep each transaction's rows on one shard (partition by the key they share, and say so with `key:` on the link), use an engine with distributed transactions, or a saga".to_string(),
                    })
            },
        );
    }
}

fn partition_key(store: &Component) -> Option<&str> {
    store
        .attrs
        .get(attr::PARTITIONING)
        .and_then(Value::as_call)
        .and_then(|call| call.arg(param::KEY))
        .and_then(Value::as_str)
}

/// The transaction is addressed by the store's partition key: one shard holds it all.
fn on_one_shard(link: &Link, store: &Component) -> bool {
    link.attrs
        .symbol(attr::KEY)
        .is_some_and(|key| partition_key(store) == Some(key))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn fires(key: &str) -> bool {
        let text = format!(
            "client u\nservice s {{ replicas: 2 }}\ndatabase db {{ engine: mysql, shards: 8, partitioning: hash(key: account_id), replicas: 2, backup: true }}\nu -> s\ns -> db {{ ops: write, transaction: local{key} }}\n"
        );
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn a_transaction_addressed_by_the_partition_key_stays_on_one_shard() {
        assert!(fires(""));
        assert!(!fires(", key: account_id"));
        assert!(fires(", key: user_id"), "another key may span shards");
    }
}
