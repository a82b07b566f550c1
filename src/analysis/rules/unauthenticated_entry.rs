use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "unauthenticated-entry",
    category: Category::Security,
    level: Level::Warning,
    summary: "a service reachable from clients with no authentication on the way",
    what: "A request path reaches a `service` with no `auth` (other than `none`) on any `gateway`, \
           `service` or link along the way.",
    why: "Whatever a client can reach, an attacker can reach. A path with no authentication means \
          anyone can call the service: read other users' data, write as them, or run its most \
          expensive operation in a loop. Authenticate at the entry (a gateway validating JWTs or \
          API keys) and authorize in the service; state `auth: none` on purpose for public \
          endpoints and allow the finding there.",
    bad: example!("unauthenticated-entry", "bad"),
    good: example!("unauthenticated-entry", "good"),
    reading: &[
        "OWASP API Security Top 10, API2 Broken Authentication: https://owasp.org/API-Security/",
    ],
    check,
};

fn authenticates(auth: Option<&str>) -> bool {
    auth.is_some_and(|a| a != "none")
}

fn check(cx: &Context, out: &mut Findings) {
    let guards = |c: &Component| {
        matches!(c.kind, Kind::Gateway | Kind::Service) && authenticates(c.attrs.symbol("auth"))
    };
    let reached = facts::reached_unguarded(cx.model, cx.facts, guards, |l| {
        authenticates(l.attrs.symbol("auth"))
    });
    for (id, component) in cx.components() {
        let Some(client) = reached[id.index()] else {
            continue;
        };
        if component.kind != Kind::Service {
            continue;
        }
        out.report(
            Element::Component(id),
            component.id_span,
            format!("`{}` reaches service `{}` without authenticating anywhere on the way", cx.name(client), component.id),
            |d| d.with_label("unauthenticated").with_related(cx.model.component(client).id_span, "the client").with_help("set `auth:` (jwt, oauth, api_key, mtls) on the gateway in front, the service, or the link"),
        );
    }
}
