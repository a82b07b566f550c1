use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "grpc-behind-l4",
    category: Category::Communication,
    level: Level::Warning,
    summary: "gRPC through a layer-4 load balancer",
    what: "A `grpc` link into or out of an `lb` with `layer: l4`.",
    why: "gRPC multiplexes every call of a client over one long-lived HTTP/2 connection. A layer-4 \
          balancer picks a backend per connection, so each client pins all its calls to one backend: \
          with 3 clients and 10 backends, 7 backends idle. Balance per request with an L7 (HTTP/2 \
          aware) proxy such as Envoy, or balance on the client side.",
    bad: example!("grpc-behind-l4", "bad"),
    good: example!("grpc-behind-l4", "good"),
    reading: &["gRPC blog, 'gRPC Load Balancing': https://grpc.io/blog/grpc-load-balancing/"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, lb) in cx.components() {
        if lb.kind != Kind::Lb || !lb.attrs.is(values::layer::Value::L4) {
            continue;
        }
        let grpc = cx
            .touching(id)
            .find(|(_, l)| l.attrs.is(values::protocol::Value::Grpc));
        let Some((_, link)) = grpc else { continue };
        out.report(
            Element::Component(id),
            lb.attrs.span(attr::LAYER).unwrap_or(lb.id_span),
            format!("`{}` balances gRPC at layer 4: each client's calls share one connection, so they all go to one backend", lb.id),
            |d| d.with_label("per-connection balancing").with_related(link.span, "gRPC").with_help("use `layer: l7` (an HTTP/2-aware proxy such as envoy) or client-side balancing"),
        );
    }
}
