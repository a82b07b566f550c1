use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "sync-cycle",
    category: Category::Availability,
    level: Level::Error,
    summary: "synchronous calls that form a cycle",
    what: "Synchronous links (not `<->` connections) that lead from a component back to itself.",
    why: "A synchronous cycle couples the components' availability and capacity both ways: each waits \
          on the other, so a slowdown anywhere in the loop holds threads everywhere in it and can \
          deadlock under load (every worker of A waits on B, which waits on A). Retries multiply \
          around the loop. Break it with an asynchronous hop (a queue or an event), or by moving \
          the shared logic into one component.",
    bad: example!("sync-cycle", "bad"),
    good: example!("sync-cycle", "good"),
    reading: &[
        "Microsoft Azure Architecture Center, 'Chatty I/O' and cyclic dependencies: https://learn.microsoft.com/azure/architecture/antipatterns/chatty-io/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let sync_graph = model.graph.filter_map(
        |_, _| Some(()),
        |edge, _| {
            let link = model.link(edge);
            (cx.facts.is_sync(edge) && !link.bidirectional).then_some(edge)
        },
    );
    let components = petgraph::algo::tarjan_scc(&sync_graph);
    let mut scc_of = vec![usize::MAX; model.components.len()];
    for (index, members) in components.iter().enumerate() {
        for member in members {
            scc_of[member.index()] = index;
        }
    }
    let mut links_of: Vec<Vec<LinkId>> = vec![Vec::new(); components.len()];
    for e in sync_graph.edge_references() {
        if scc_of[e.source().index()] == scc_of[e.target().index()] {
            links_of[scc_of[e.source().index()]].push(*e.weight());
        }
    }
    for (members, in_cycle) in components.into_iter().zip(links_of) {
        if members.len() < 2 && in_cycle.is_empty() {
            continue;
        }
        let Some(&first) = in_cycle.iter().min() else {
            continue;
        };
        let mut names: Vec<&str> = members.iter().map(|&m| cx.name(m)).collect();
        names.sort_unstable();
        let link = model.link(first);
        out.report(
            Element::Link(first),
            link.span,
            format!("synchronous calls form a cycle through {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
            |mut d| {
                for &other in in_cycle.iter().filter(|&&l| l != first) {
                    d = d.with_related(model.link(other).span, "and this call");
                }
                d.with_label("part of a synchronous cycle")
                    .with_help("make one hop asynchronous (`mode: async` or through a queue), or merge the logic that needs both")
            },
        );
    }
}
