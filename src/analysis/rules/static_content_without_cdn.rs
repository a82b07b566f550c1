use super::prelude::*;
use std::collections::VecDeque;

pub static RULE: Rule = Rule {
    name: "static-content-without-cdn",
    category: Category::Caching,
    level: Level::Warning,
    summary: "clients read object storage with no CDN on the way",
    what: "A client reads a `blob` store, directly or through services, on a path that passes no `cdn`.",
    why: "Static objects (images, video segments, downloads) are large, immutable and read many times \
          from everywhere. Served from the origin, every read pays cross-region latency (100-300 ms \
          for a distant user) and egress from the bucket, and a popular object concentrates load on \
          one prefix. A CDN caches them at the edge near users: hit ratios above 90% cut origin load \
          tenfold and latency to tens of milliseconds.",
    bad: example!("static-content-without-cdn", "bad"),
    good: example!("static-content-without-cdn", "good"),
    reading: &[
        "Cloudflare: What is a CDN?: https://www.cloudflare.com/learning/cdn/what-is-a-cdn/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let model = cx.model;
    // Components reached from a client along reading, synchronous links without a CDN.
    let mut from_client: Vec<Option<ComponentId>> = vec![None; model.components.len()];
    let mut queue = VecDeque::new();
    for (id, c) in cx.components() {
        if c.kind == Kind::Client {
            from_client[id.index()] = Some(id);
            queue.push_back(id);
        }
    }
    let mut reported = vec![false; model.components.len()];
    while let Some(id) = queue.pop_front() {
        for edge in model.graph.edges_directed(id, Direction::Outgoing) {
            let (link, next) = (model.link(edge.id()), edge.target());
            let target = model.component(next);
            if !cx.facts.is_sync(edge.id()) || !facts::reads(link) || target.kind == Kind::Cdn {
                continue;
            }
            if target.kind == Kind::Blob && !reported[next.index()] {
                reported[next.index()] = true;
                let client = from_client[id.index()].expect("set before queueing");
                out.report(
                    Element::Component(next),
                    target.id_span,
                    format!("`{}` reads blob store `{}` with no CDN on the way: every read goes to the origin", cx.name(client), target.id),
                    |d| d.with_label("served from the origin").with_related(model.component(client).id_span, "the client").with_help("put a `cdn` between the clients and the objects (`users -> edge -> media`)"),
                );
            }
            if from_client[next.index()].is_none() {
                from_client[next.index()] = from_client[id.index()];
                queue.push_back(next);
            }
        }
    }
}
