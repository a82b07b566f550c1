use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "deep-sync-chain",
    category: Category::Communication,
    level: Level::Warning,
    summary: "a request path with more than 6 synchronous hops",
    what: "A request path with more than 6 synchronous hops after the first component that is not \
           a `client`, `dns` or `cdn`.",
    why: "Each synchronous hop adds its latency and its failure probability to every request: seven \
          hops at 99.9% each give 99.3%, and the p99 of the chain is worse than the sum of p99s \
          because some hop is slow on most requests (tail at scale). Deep chains also make timeouts \
          hard to budget. Collapse hops, call in parallel, or move work off the request path onto \
          queues.",
    bad: example!("deep-sync-chain", "bad"),
    good: example!("deep-sync-chain", "good"),
    reading: &["Dean and Barroso, 'The Tail at Scale', CACM 2013"],
    check,
};

const MAX_HOPS: u32 = 6;

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    // Longest path over synchronous links, counting hops that leave a component other
    // than a client, dns or cdn; Kahn's order, so components in cycles are left out
    // (sync-cycle reports those).
    let n = model.components.len();
    let mut indegree = vec![0usize; n];
    let sync_edges = || {
        model
            .graph
            .edge_references()
            .filter(|e| cx.facts.is_sync(e.id()))
    };
    for e in sync_edges() {
        indegree[e.target().index()] += 1;
    }
    let mut depth = vec![0u32; n];
    let mut via: Vec<Option<LinkId>> = vec![None; n];
    let mut ready: Vec<ComponentId> = (0..n)
        .map(ComponentId::new)
        .filter(|id| indegree[id.index()] == 0)
        .collect();
    let mut deepest: Option<(u32, ComponentId)> = None;
    while let Some(id) = ready.pop() {
        if cx.facts.on_request_path(id)
            && depth[id.index()] > MAX_HOPS
            && deepest.is_none_or(|(d, _)| depth[id.index()] > d)
        {
            deepest = Some((depth[id.index()], id));
        }
        let counts = !matches!(
            model.component(id).kind,
            Kind::Client | Kind::Dns | Kind::Cdn
        );
        let on_path = cx.facts.on_request_path(id);
        for e in model
            .graph
            .edges_directed(id, Direction::Outgoing)
            .filter(|e| cx.facts.is_sync(e.id()))
        {
            let next = e.target().index();
            let candidate = depth[id.index()] + u32::from(counts);
            if on_path && (via[next].is_none() || candidate > depth[next]) {
                depth[next] = depth[next].max(candidate);
                via[next] = Some(e.id());
            }
            indegree[next] -= 1;
            if indegree[next] == 0 {
                ready.push(e.target());
            }
        }
    }
    let Some((hops, end)) = deepest else { return };
    let last = via[end.index()].expect("a deep component is reached by a link");
    out.report(
        Element::Link(last),
        model.link(last).span,
        format!("a request path reaches `{}` after {hops} synchronous hops (more than {MAX_HOPS}): latency and failures add up along it", cx.name(end)),
        |d| d.with_label(format!("hop {hops}")).with_help("collapse hops, call independent services in parallel, or move work behind a queue"),
    );
}
