use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "retry-amplification",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "retries at several layers of a request path",
    what: "Along a request path, the product of retry attempts exceeds 10, or more than one hop \
           retries.",
    why: "Retries multiply down a call chain: a client that tries 3 times, calling a service that \
          tries 3 times, calling a database that tries 3 times, sends up to 27 requests to the \
          database for one user action, just when the database is failing. Retry at one layer \
          (usually the one closest to the user, or the one that knows the operation is \
          idempotent) and fail fast everywhere else.",
    bad: example!("retry-amplification", "bad"),
    good: example!("retry-amplification", "good"),
    reading: &[
        "Google SRE book, ch. 22 'Addressing Cascading Failures': https://sre.google/sre-book/addressing-cascading-failures/",
    ],
    check,
};

/// The worst retry product reaching a component, and the retrying links on that path.
#[derive(Clone, Default)]
struct Worst {
    product: u64,
    retrying: Vec<LinkId>,
}

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    let n = model.components.len();
    let sync = |e: &petgraph::graph::EdgeReference<()>| cx.facts.is_sync(e.id());
    let mut worst = vec![
        Worst {
            product: 1,
            retrying: Vec::new()
        };
        n
    ];
    let mut reported = vec![false; model.links.len()];
    for &id in &cx.facts.sync_order {
        let here = worst[id.index()].clone();
        for e in model
            .graph
            .edges_directed(id, Direction::Outgoing)
            .filter(sync)
        {
            let attempts = facts::attempts(model.link(e.id()));
            let mut next = Worst {
                product: here.product * attempts,
                retrying: here.retrying.clone(),
            };
            if attempts > 1 {
                next.retrying.push(e.id());
            }
            let amplified = next.product > 10 || next.retrying.len() > 1;
            if amplified
                && attempts > 1
                && cx.facts.on_request_path(id)
                && !reported[e.id().index()]
            {
                reported[e.id().index()] = true;
                report(cx, out, e.id(), &next);
            }
            let target = e.target().index();
            if next.product > worst[target].product
                || next.retrying.len() > worst[target].retrying.len()
            {
                worst[target] = next;
            }
        }
    }
}

fn report(cx: &Context, out: &mut Findings, link: LinkId, worst: &Worst) {
    let model = cx.model;
    let chain: Vec<String> = worst
        .retrying
        .iter()
        .map(|l| {
            format!(
                "{} × {}",
                model.link(*l).element(model),
                facts::attempts(model.link(*l))
            )
        })
        .collect();
    let target = cx.name(model.link(link).to);
    out.report(
        Element::Link(link),
        model.link(link).attrs.span(attr::RETRY).unwrap_or(model.link(link).span),
        format!("retries multiply along this request path: {} = up to {} calls to `{target}` per request", chain.join(", "), worst.product),
        |mut d| {
            for earlier in worst.retrying.iter().filter(|l| **l != link) {
                d = d.with_related(model.link(*earlier).span, "also retries");
            }
            d.with_label("retries on top of retries").with_help("retry at one layer only (nearest the user, or where the operation is idempotent) and fail fast elsewhere")
        },
    );
}
