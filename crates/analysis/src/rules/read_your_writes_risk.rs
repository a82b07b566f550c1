use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "read-your-writes-risk",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a component reads back its own writes from asynchronous followers",
    what: "A component that writes a store and reads it, where the store replicates asynchronously \
           and serves reads from followers (`read_from: followers` or `nearest`), or that writes \
           one store and reads another fed from it by `ops: replicate` (another region's copy, an \
           index); and the read does not say `consistency: eventual`.",
    why: "Replication lag is usually milliseconds but grows to seconds or minutes under load or \
          during a follower's catch-up. A user who saves a profile and reloads it is routed to a \
          follower that has not applied the write yet and sees the old value: a read-your-writes \
          violation that users report as lost data. Read your own recent writes from the leader \
          (or pin the session to it for a while), or state that the read tolerates staleness.",
    bad: example!("read-your-writes-risk", "bad"),
    good: example!("read-your-writes-risk", "good"),
    reading: &["Kleppmann, DDIA ch. 5 'Reading Your Own Writes'"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, read) in cx.links() {
        let store = cx.model.component(read.to);
        if !facts::reads(read) || read.attrs.is(values::consistency::Value::Eventual) {
            continue;
        }
        if !facts::reads_from_async_followers(store, Some(read)) {
            reads_a_replicated_copy(cx, id, read, out);
            continue;
        }
        let write = cx
            .outgoing(read.from)
            .find(|(_, l)| l.to == read.to && facts::writes(l));
        let Some((_, write)) = write else { continue };
        out.report(
            Element::Link(id),
            read.span,
            format!(
                "`{}` writes `{}` and reads it back from asynchronous followers: a read right after a write can miss it",
                cx.name(read.from),
                store.id
            ),
            |d| {
                let d = if write.span != read.span { d.with_related(write.span, "the write") } else { d };
                d.with_label("may read stale data")
                    .with_related(read.attrs.span(attr::READ_FROM).or(store.attrs.span(attr::READ_FROM)).unwrap_or(store.id_span), "reads served by followers")
                    .with_help("read recent writes from the leader (`read_from: leader`, or a separate read link), or state `consistency: eventual` on the read if staleness is fine")
            },
        );
    }
}

/// A caller that writes one store and reads another that the first copies its writes
/// to (`ops: replicate`: another region's copy, a search index fed by change data
/// capture) reads its own writes only once the copy has them.
fn reads_a_replicated_copy(cx: &Context, id: LinkId, read: &Link, out: &mut Findings) {
    let copied_from = cx.outgoing(read.from).find(|(_, write)| {
        write.to != read.to
            && facts::writes(write)
            && cx
                .outgoing(write.to)
                .any(|(_, l)| l.to == read.to && facts::ops(l) == Ops::Replicate)
    });
    let Some((_, write)) = copied_from else {
        return;
    };
    let (source, copy) = (cx.name(write.to), cx.name(read.to));
    out.report(
        Element::Link(id),
        read.span,
        format!(
            "`{}` writes `{source}` and reads `{copy}`, which `{source}` replicates to: a read right after a write can miss it until the copy catches up",
            cx.name(read.from)
        ),
        |d| {
            d.with_label("reads a copy")
                .with_related(write.span, "the write")
                .with_help(format!(
                    "read recent writes from `{source}` (for a while after the user's own write, or always for that user's data), or state `consistency: eventual` on the read if staleness is fine"
                ))
        },
    );
}

#[cfg(test)]
mod tests {
    use crate::findings_of;

    const STORE: &str = "service profiles { replicas: 2 }\nservice edge { replicas: 2 }\n";

    fn findings(store_read_from: &str, link_read_from: &str) -> usize {
        let text = format!(
            "{STORE}database users {{ engine: mysql, replication: leader_follower(mode: async, followers: 2){store_read_from} }}\nedge -> profiles\nprofiles -> users {{ ops: write }}\nprofiles -> users {{ ops: read{link_read_from} }}\n"
        );
        findings_of("read-your-writes-risk", &text).len()
    }

    #[test]
    fn the_read_link_s_read_from_overrides_the_store_s() {
        assert_eq!(findings(", read_from: followers", ""), 1);
        assert_eq!(findings(", read_from: followers", ", read_from: leader"), 0);
        assert_eq!(findings("", ", read_from: nearest"), 1);
        assert_eq!(findings("", ""), 0);
    }
}
