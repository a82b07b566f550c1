use super::prelude::*;
use hld_model::values::protocol::Value as Protocol;

pub static RULE: Rule = Rule {
    name: "push-without-persistent-connection",
    category: Category::Communication,
    level: Level::Error,
    summary: "server push over a protocol that cannot push",
    what: "A link with `push: true` whose `protocol` cannot carry server push: `http`, `https`, \
           `polling`, and `grpc` or `graphql` unless the link says `streaming: true` (a gRPC \
           server stream or a GraphQL subscription, which can push).",
    why: "Request/response protocols only answer: the server cannot send a chat message or a price \
          tick until the client asks. Push needs a connection the server can write to: WebSocket \
          (full duplex), Server-Sent Events (server to client over HTTP), long polling (a held \
          request) or gRPC server streaming. Each held connection costs server memory and a \
          file descriptor, so push-heavy tiers are sized by concurrent connections, not requests.",
    bad: example!("push-without-persistent-connection", "bad"),
    good: example!("push-without-persistent-connection", "good"),
    reading: &[
        "MDN: Server-sent events: https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events",
        "RFC 6455 (WebSocket)",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if link.attrs.bool(attr::PUSH) != Some(true) {
            continue;
        }
        // gRPC server streaming and GraphQL subscriptions keep a stream open to push on.
        let streams = link.attrs.bool(attr::STREAMING) == Some(true);
        let can_stream = |p: &Protocol| matches!(p, Protocol::Grpc | Protocol::Graphql);
        let Some(protocol) = link
            .attrs
            .value::<Protocol>()
            .filter(|p| {
                matches!(
                    p,
                    Protocol::Http
                        | Protocol::Https
                        | Protocol::Grpc
                        | Protocol::Polling
                        | Protocol::Graphql
                )
            })
            .filter(|p| !(streams && can_stream(p)))
        else {
            continue;
        };
        out.report(
            Element::Link(id),
            link.attrs.span(attr::PROTOCOL).unwrap_or(link.span),
            format!(
                "`{}` ↔ `{}` pushes from the server over {protocol}, which only answers requests",
                cx.name(link.from),
                cx.name(link.to)
            ),
            |d| {
                d.with_label("cannot push")
                    .with_related(
                        link.attrs.span(attr::PUSH).unwrap_or(link.span),
                        "push: true",
                    )
                    .with_help(match protocol {
                        Protocol::Grpc | Protocol::Graphql => "say `streaming: true` (a gRPC server stream or a GraphQL subscription), or use `protocol: websocket`, `sse` or `long_polling`",
                        _ => "use `protocol: websocket`, `sse` or `long_polling`",
                    })
            },
        );
    }
}
