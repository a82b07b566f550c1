use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "short-polling",
    category: Category::Communication,
    level: Level::Warning,
    summary: "clients poll for updates",
    what: "A link from a `client` with `protocol: polling`.",
    why: "Polling trades latency against load: 10M clients polling every 5 s send 2M requests/s, \
          nearly all of them answered \"nothing new\", and updates still arrive up to 5 s late. \
          Long polling, Server-Sent Events or WebSockets deliver updates when they happen, with one \
          held connection per client instead of a stream of empty requests.",
    bad: example!("short-polling", "bad"),
    good: example!("short-polling", "good"),
    reading: &[
        "RFC 6202, 'Known Issues and Best Practices for the Use of Long Polling and Streaming in Bidirectional HTTP'",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if cx.model.component(link.from).kind != Kind::Client
            || !link.attrs.is(values::protocol::Value::Polling)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::PROTOCOL).unwrap_or(link.span),
            format!(
                "`{}` polls `{}`: most polls return nothing, and updates wait for the next poll",
                cx.name(link.from),
                cx.name(link.to)
            ),
            |d| {
                d.with_label("short polling").with_help(
                    "use `protocol: long_polling`, `sse` or `websocket` with `push: true`",
                )
            },
        );
    }
}
