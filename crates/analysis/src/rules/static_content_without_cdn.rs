use super::prelude::*;

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
    // Clients reaching each component along reading, synchronous links without a CDN.
    let reached = facts::reached_unguarded(
        cx.model,
        cx.facts,
        |c| c.kind == Kind::Cdn,
        |l| !facts::reads(l),
    );
    for (id, blob) in cx.components() {
        let Some(client) = reached[id.index()].filter(|_| blob.kind == Kind::Blob) else {
            continue;
        };
        out.report(
            Element::Component(id),
            blob.id_span,
            format!("`{}` reads blob store `{}` with no CDN on the way: every read goes to the origin", cx.name(client), blob.id),
            |d| {
                d.with_label("served from the origin")
                    .with_related(cx.model.component(client).id_span, "the client")
                    .with_help("put a `cdn` between the clients and the objects (`users -> edge -> media`)")
            },
        );
    }
}
