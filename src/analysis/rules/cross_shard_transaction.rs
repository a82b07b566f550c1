use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "cross-shard-transaction",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a local transaction against a sharded store without distributed transactions",
    what: "A link with `transaction: local` into a store with `shards` > 1 whose engine has no \
           distributed transactions (its profile).",
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
        if link.attrs.symbol("transaction") != Some("local") {
            continue;
        }
        let store = cx.model.component(link.to);
        let shards = store.attrs.count("shards").unwrap_or(1);
        let Some(profile) = store.profile else {
            continue;
        };
        if shards <= 1 || profile.distributed_transactions {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span("transaction").unwrap_or(link.span),
            format!("`{}` runs local transactions on `{}`, split over {shards} shards, and {} has no distributed transactions", cx.name(link.from), store.id, profile.name),
            |d| {
                d.with_label("atomic on one shard only")
                    .with_related(store.attrs.span("shards").unwrap_or(store.id_span), format!("{shards} shards"))
                    .with_help("keep each transaction's rows on one shard (partition by the key they share), use an engine with distributed transactions, or a saga")
            },
        );
    }
}
