use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "split-brain-risk",
    category: Category::Availability,
    level: Level::Warning,
    summary: "automatic failover with nothing to elect the leader",
    what: "A store with `leader_follower(failover: automatic)` on an engine without built-in leader \
           election (its profile), linked to no `coordinator`.",
    why: "Automatic failover must decide that the leader is dead and promote exactly one follower. \
          Without a consensus service (etcd, ZooKeeper, Consul) a network partition can convince both \
          sides that the other is gone: two leaders accept writes, and the writes of one side are \
          lost or conflict when the partition heals. PostgreSQL with Patroni and MySQL with \
          Orchestrator rely on such a store; engines such as MongoDB elect leaders themselves.",
    bad: example!("split-brain-risk", "bad"),
    good: example!("split-brain-risk", "good"),
    reading: &[
        "Patroni: https://patroni.readthedocs.io/en/latest/",
        "Kleppmann, DDIA ch. 8 'The leader and the lock'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        let Some(Value::Call(call)) = component.attrs.get(attr::REPLICATION) else {
            continue;
        };
        let automatic = call.name == call::Name::LeaderFollower
            && call.arg_value() == Some(values::failover::Value::Automatic);
        let Some(profile) = component.profile else {
            continue;
        };
        if !automatic || profile.leader_election {
            continue;
        }
        let has_coordinator = cx
            .model
            .graph
            .neighbors_undirected(id)
            .any(|n| cx.model.component(n).kind == Kind::Coordinator);
        if has_coordinator {
            continue;
        }
        out.report(
            Element::Component(id),
            component.attrs.span(attr::REPLICATION).unwrap_or(component.id_span),
            format!(
                "`{}` fails over automatically, but {} has no built-in leader election and no coordinator is linked",
                component.id, profile.name
            ),
            |d| d.with_label("who elects the leader?").with_help("link it to a `coordinator` (etcd, ZooKeeper) that holds the leader lease, or use `failover: manual`"),
        );
    }
}
