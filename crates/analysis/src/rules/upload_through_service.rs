use std::collections::{HashSet, VecDeque};

use super::prelude::*;
use crate::estimate::human_size;

pub static RULE: Rule = Rule {
    name: "upload-through-service",
    category: Category::Communication,
    level: Level::Warning,
    summary: "large uploads pass through a service on their way to object storage",
    what: "A client's link that writes with a `payload` of 1 MB or more reaches, through load \
           balancers, gateways and services, a `service` that writes a `blob` store.",
    why: "Every uploaded byte crosses the service twice, in from the client and out to the \
          bucket, and a slow client holds one of its connections and a buffer for the whole \
          upload: a few hundred concurrent uploads of video exhaust the service's memory and \
          connections while it adds no value to the bytes. Object stores take uploads directly: \
          the service checks the request and signs a short-lived URL for one object (an S3 \
          presigned URL, a GCS signed URL), the client sends the bytes to the bucket, in parts \
          that resume after a failure (multipart upload), and the service is told when it is done.",
    bad: example!("upload-through-service", "bad"),
    good: example!("upload-through-service", "good"),
    reading: &[
        "AWS, 'Uploading objects with presigned URLs' (S3 User Guide): https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html",
        "Google Cloud, 'Signed URLs': https://cloud.google.com/storage/docs/access-control/signed-urls",
    ],
    check,
};

/// Requests from this size up are uploads worth sending straight to the bucket.
const LARGE: f64 = 1e6;

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if cx.model.component(link.from).kind != Kind::Client || !facts::writes(link) {
            continue;
        }
        let Some(payload) = link.attrs.number(attr::PAYLOAD).filter(|&p| p >= LARGE) else {
            continue;
        };
        let Some((service, blob)) = service_writing_a_blob(cx, link.to) else {
            continue;
        };
        out.report(
            Element::Link(id),
            link.attrs.span(attr::PAYLOAD).unwrap_or(link.span),
            format!(
                "`{}` sends {} writes through `{}` into blob store `{}`: the service receives and resends every byte and holds a connection for each upload",
                cx.name(link.from),
                human_size(payload),
                cx.name(service),
                cx.name(blob)
            ),
            |d| {
                d.with_label("uploads through a service")
                    .with_related(cx.model.component(service).id_span, "relays the bytes")
                    .with_related(cx.model.component(blob).id_span, "where they go")
                    .with_help(format!(
                        "let `{}` write `{}` directly with a URL `{}` signs: `{} -> {} {{ ops: write, auth: presigned }}`, and send `{}` only the request for the URL",
                        cx.name(link.from),
                        cx.name(blob),
                        cx.name(service),
                        cx.name(link.from),
                        cx.name(blob),
                        cx.name(service)
                    ))
            },
        );
    }
}

/// The first service reached from `start` through proxies and services (breadth-first,
/// along synchronous links) that writes a blob store, with that store.
fn service_writing_a_blob(cx: &Context, start: ComponentId) -> Option<(ComponentId, ComponentId)> {
    let relays = |kind: Kind| matches!(kind, Kind::Lb | Kind::Gateway | Kind::Cdn | Kind::Service);
    // Only what is reached is remembered: a design may have many upload links.
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(id) = queue.pop_front() {
        let component = cx.model.component(id);
        if !relays(component.kind) {
            continue;
        }
        for (link_id, link) in cx.outgoing(id) {
            let target = cx.model.component(link.to);
            if component.kind == Kind::Service && target.kind == Kind::Blob && facts::writes(link) {
                return Some((id, link.to));
            }
            if cx.facts.is_sync(link_id) && seen.insert(link.to) {
                queue.push_back(link.to);
            }
        }
    }
    None
}
