use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "deep-sync-chain",
    category: Category::Communication,
    level: Level::Warning,
    summary: "a request path with more than 6 synchronous hops",
    what: "A request path with more than 6 synchronous hops after the first component that is not \
           a `client`, `dns` or `cdn`.",
    why: "Each synchronous hop adds its latency to every request, and availabilities multiply: seven \
          hops at 99.9% each give 99.3%. Tails compound too: with seven independent hops about 7% of \
          requests (1 - 0.99^7) meet some hop's slowest 1%, so the chain's p99, though not the sum of \
          the hops' p99s, is at least the worst one's and grows with each hop. Deep chains also make \
          timeouts hard to budget. Collapse hops, call in parallel (a fan-out waits for its slowest \
          callee: the tail at scale), or move work off the request path onto queues.",
    bad: example!("deep-sync-chain", "bad"),
    good: example!("deep-sync-chain", "good"),
    reading: &["Dean and Barroso, 'The Tail at Scale', CACM 2013"],
    check,
};

const MAX_HOPS: u32 = 6;

fn check(cx: &Context, out: &mut Findings) {
    check_flows(cx, out);
    // Clients with flows are checked along their flows.
    let every_client_has_flows = cx
        .components()
        .filter(|(_, c)| c.kind == Kind::Client)
        .all(|(id, _)| cx.model.flows.iter().any(|f| f.start == id));
    if !cx.model.flows.is_empty() && every_client_has_flows {
        return;
    }
    let model = cx.model;
    // Longest path over synchronous links, counting hops that leave a component other
    // than a client, dns or cdn, in the synchronous order (which leaves components in
    // cycles out: sync-cycle reports those).
    let n = model.components.len();
    let mut depth = vec![0u32; n];
    let mut via: Vec<Option<LinkId>> = vec![None; n];
    let mut deepest: Option<(u32, ComponentId)> = None;
    for &id in &cx.facts.sync_order {
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

/// Per flow: the synchronous hops along its steps, counted as on a request path.
fn check_flows(cx: &Context, out: &mut Findings) {
    for (index, flow) in cx.model.flows.iter().enumerate() {
        let mut depth: std::collections::HashMap<ComponentId, u32> =
            std::collections::HashMap::from([(flow.start, 0)]);
        let mut deepest: Option<(u32, &hld_model::FlowStep)> = None;
        for step in &flow.steps {
            let link = cx.model.link(step.link);
            let Some(&at) = depth.get(&link.from) else {
                continue;
            };
            if !cx.facts.is_sync(step.link) {
                continue;
            }
            let counts = !matches!(
                cx.model.component(link.from).kind,
                Kind::Client | Kind::Dns | Kind::Cdn
            );
            let hops = at + u32::from(counts);
            let entry = depth.entry(link.to).or_insert(0);
            *entry = (*entry).max(hops);
            if hops > MAX_HOPS && deepest.is_none_or(|(d, _)| hops > d) {
                deepest = Some((hops, step));
            }
        }
        let Some((hops, step)) = deepest else {
            continue;
        };
        out.report(
            Element::Flow(index),
            flow.id_span,
            format!(
                "flow `{}` reaches `{}` after {hops} synchronous hops (more than {MAX_HOPS}): latency and failures add up along it",
                flow.id,
                cx.name(cx.model.link(step.link).to)
            ),
            |d| {
                d.with_label("deep flow")
                    .with_related(step.span, format!("hop {hops}"))
                    .with_help("collapse hops, call independent services in parallel, or move work behind a queue")
            },
        );
    }
}

#[cfg(test)]
mod flow_tests {
    use crate::elements_of;

    /// A chain of `n` services after the client, and one flow along `steps` of them.
    fn elements(n: usize, steps: usize) -> Vec<String> {
        let services: String = (0..n).map(|i| format!("service s{i}\n")).collect();
        let chain: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        let text = format!(
            "client u\n{services}u -> {}\nflow f {{ u -> {} }}\n",
            chain.join(" -> "),
            chain[..steps].join(" -> ")
        );
        elements_of("deep-sync-chain", &text)
    }

    #[test]
    fn a_flow_counts_its_own_hops() {
        // Every client has flows, so the flow's hops decide: 7 services are 6 hops after
        // the first (fine), 8 are 7 (too deep), whatever the rest of the chain.
        assert!(elements(10, 7).is_empty());
        assert_eq!(elements(10, 8), ["f"]);
    }
}
