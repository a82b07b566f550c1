use super::prelude::*;
use crate::estimate::human_duration;

pub static RULE: Rule = Rule {
    name: "stale-cdn-content",
    category: Category::Caching,
    level: Level::Warning,
    summary: "a CDN keeps serving changed content until its ttl ends",
    what: "A `cdn` with a `ttl` over one minute in front of an origin whose content can change \
           (anything but a `blob` with `immutable: true`), and no `invalidation` (`purge` or \
           `versioned_urls`).",
    why: "An edge serves its copy until the copy expires, so a changed object (a fixed price, a \
          corrected article, a new deploy's bundle) stays old for up to the ttl in every edge \
          location that cached it, and different users see different versions meanwhile. A short \
          ttl bounds that but sends more requests to the origin. The usual answers keep the long \
          ttl: content-addressed or versioned URLs (`app.3f9c1.js`: a change is a new object, \
          nothing cached goes stale), or a purge issued on every change (CloudFront \
          invalidations, Fastly's instant purge, Cloudflare's purge by URL or tag), which takes \
          seconds to minutes to reach every edge.",
    bad: example!("stale-cdn-content", "bad"),
    good: example!("stale-cdn-content", "good"),
    reading: &[
        "AWS, 'Invalidating files' (CloudFront Developer Guide): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Invalidation.html",
        "web.dev, 'Love your cache' (versioned URLs with long max-age): https://web.dev/articles/love-your-cache",
    ],
    check,
};

/// A ttl up to this keeps content at most this stale: short enough to accept.
const STALE_ACCEPTED: f64 = 60.0;

fn check(cx: &Context, out: &mut Findings) {
    for (id, cdn) in cx.components() {
        if cdn.kind != Kind::Cdn
            || cdn
                .attrs
                .value::<values::invalidation::Value>()
                .is_some_and(|way| way != values::invalidation::Value::None)
        {
            continue;
        }
        let Some(ttl) = cdn.attrs.number(attr::TTL).filter(|&t| t > STALE_ACCEPTED) else {
            continue;
        };
        let Some((origin, _)) = cx
            .outgoing(id)
            .map(|(_, l)| (l.to, cx.model.component(l.to)))
            .find(|(_, origin)| !immutable(origin))
        else {
            continue;
        };
        out.report(
            Element::Component(id),
            cdn.attrs.span(attr::TTL).unwrap_or(cdn.id_span),
            format!(
                "`{}` caches what `{}` returns for {} with no invalidation: a change to it reaches users only when each edge's copy expires",
                cdn.id,
                cx.name(origin),
                human_duration(ttl)
            ),
            |d| {
                d.with_label("stale for up to the ttl")
                    .with_related(cx.model.component(origin).id_span, "content that can change")
                    .with_help(format!(
                        "set `invalidation: versioned_urls` (a changed object gets a new URL) or `invalidation: purge` on `{}`; or `immutable: true` on a blob origin that never overwrites",
                        cdn.id
                    ))
            },
        );
    }
}

/// Content that never changes under one name: a blob store that never overwrites.
fn immutable(origin: &Component) -> bool {
    origin.kind == Kind::Blob && origin.attrs.bool(attr::IMMUTABLE) == Some(true)
}
