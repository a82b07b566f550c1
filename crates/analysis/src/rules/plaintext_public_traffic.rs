use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "plaintext-public-traffic",
    category: Category::Security,
    level: Level::Warning,
    summary: "clients connect over plain HTTP",
    what: "A link from a `client` with `protocol: http`, unless the client says `internal: true` \
           (inside the network).",
    why: "Plain HTTP crosses networks you do not control in clear text: credentials and session \
          cookies can be read on any Wi-Fi, and responses can be altered in transit. TLS costs a \
          handshake (one round trip with TLS 1.3) and little CPU; terminate it at the edge (CDN or \
          load balancer).",
    bad: example!("plaintext-public-traffic", "bad"),
    good: example!("plaintext-public-traffic", "good"),
    reading: &[
        "MDN: Strict-Transport-Security: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if !facts::is_internet_client(cx.model.component(link.from))
            || !link.attrs.is(values::protocol::Value::Http)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::PROTOCOL).unwrap_or(link.span),
            format!("`{}` reaches `{}` over plain HTTP: credentials and data cross the internet unencrypted", cx.name(link.from), cx.name(link.to)),
            |d| d.with_label("plain HTTP").with_help("use `protocol: https` and terminate TLS at the edge"),
        );
    }
}
