use super::prelude::*;
use hld_model::values::auth::Value as Auth;

pub static RULE: Rule = Rule {
    name: "unauthenticated-entry",
    category: Category::Security,
    level: Level::Warning,
    summary: "a service reachable from clients with no authentication on the way",
    what: "A client reaches `service`s with no `auth` on any `gateway`, `service` or link along \
           the way: one finding per client and entry point (the first component after the \
           client, where the fix goes), naming the services reached (five, and how many more). \
           Silent for a client that says `internal: true` (inside the network), and past a \
           component that says `auth: none` (anonymous by requirement).",
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

/// An `auth` that checks who calls (`none` does not).
pub(super) fn authenticates(auth: Option<Auth>) -> bool {
    auth.is_some_and(|a| a != Auth::None)
}

fn check(cx: &Context, out: &mut Findings) {
    // A component that states `auth: none` is anonymous by requirement (a public page,
    // a sign-up form): the decision is made, and what lies behind it is its to guard.
    let guards = |c: &Component| {
        let auth = c.attrs.value::<Auth>();
        auth == Some(Auth::None)
            || (matches!(c.kind, Kind::Gateway | Kind::Service) && authenticates(auth))
    };
    let ways_in = facts::unguarded_entries(cx.model, cx.facts, guards, |l| {
        authenticates(l.attrs.value())
    });
    for way_in in ways_in {
        let entry = cx.model.component(way_in.entry);
        let help = match entry.kind {
            Kind::Gateway => format!("set `auth:` (jwt, oauth, api_key, mtls) on `{}`", entry.id),
            Kind::Service => format!(
                "set `auth:` on `{}`, or put an authenticating gateway in front of it",
                entry.id
            ),
            _ => format!(
                "authenticate behind `{}`: a gateway with `auth:` (jwt, oauth, api_key, mtls), or `auth:` on the services",
                entry.id
            ),
        };
        out.report(
            Element::Component(way_in.entry),
            entry.id_span,
            format!(
                "`{}` reaches {} {} without authenticating anywhere on the way",
                cx.name(way_in.client),
                services_in_words(cx, &way_in),
                through(cx, &way_in)
            ),
            |d| {
                with_services(cx, &way_in, d.with_label("unauthenticated from here"))
                    .with_help(help)
            },
        );
    }
}

/// How the client gets in: "through `edge`", "from `api`" (a service called
/// directly, which reaches others), or "directly".
pub(super) fn through(cx: &Context, way_in: &facts::Entry) -> String {
    let entry = cx.name(way_in.entry);
    match way_in.services.as_slice() {
        [only] if *only == way_in.entry => "directly".to_string(),
        _ if cx.model.component(way_in.entry).kind == Kind::Service => format!("from `{entry}`"),
        _ => format!("through `{entry}`"),
    }
}

/// "service `api`", or "3 services (`api`, `kgs`, `search`)", or "at least 900
/// services (...)" when the walk stopped at [`facts::REACH_LIMIT`] components.
/// Services named in a finding's message and marked in its spans, at most: a client
/// that reaches hundreds of services gets a readable message (and a finding whose size
/// does not grow with the whole design for every client).
const NAMED: usize = 5;

pub(super) fn services_in_words(cx: &Context, way_in: &facts::Entry) -> String {
    let names: Vec<String> = way_in
        .services
        .iter()
        .take(NAMED)
        .map(|s| format!("`{}`", cx.name(*s)))
        .collect();
    let more = way_in.services.len() - names.len();
    let floor = if way_in.beyond { "at least " } else { "" };
    match (names.as_slice(), more) {
        ([one], 0) => format!("{floor}service {one}"),
        (some, 0) => format!("{floor}{} services ({})", some.len(), some.join(", ")),
        (some, more) => format!(
            "{floor}{} services ({} and {more} more)",
            way_in.services.len(),
            some.join(", ")
        ),
    }
}

pub(super) fn with_services(
    cx: &Context,
    way_in: &facts::Entry,
    diagnostic: hld_syntax::diagnostics::Diagnostic,
) -> hld_syntax::diagnostics::Diagnostic {
    let client = cx.model.component(way_in.client).id_span;
    let reached = way_in
        .services
        .iter()
        .filter(|s| **s != way_in.entry)
        .take(NAMED)
        .map(|s| cx.model.component(*s).id_span);
    reached.fold(diagnostic.with_related(client, "the client"), |d, span| {
        d.with_related(span, "reached")
    })
}
