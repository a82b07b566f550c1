use super::prelude::*;
use super::unauthenticated_entry::authenticates;

pub static RULE: Rule = Rule {
    name: "unauthenticated-webhook",
    category: Category::Security,
    level: Level::Warning,
    summary: "an external system calls in with no authentication",
    what: "An `external` component calls a `service` or `gateway`, and neither the link nor \
           the component it calls has `auth` (other than `none`).",
    why: "A webhook endpoint is public: whoever learns its URL can post to it. Without a \
          check that the call comes from the provider (a signature over the body with a \
          shared secret, as Stripe and GitHub send; mutual TLS; an API key), anyone can \
          forge a 'payment succeeded' or 'push received' event and your system will act on \
          it. Verify every inbound call from a third party at the point where it enters, \
          and reject replays (a timestamp in the signed payload).",
    bad: example!("unauthenticated-webhook", "bad"),
    good: example!("unauthenticated-webhook", "good"),
    reading: &[
        "Stripe, 'Verify webhook signatures': https://docs.stripe.com/webhooks#verify-events",
        "OWASP API Security Top 10, API2 Broken Authentication: https://owasp.org/API-Security/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let (from, to) = (cx.model.component(link.from), cx.model.component(link.to));
        let entry = matches!(to.kind, Kind::Service | Kind::Gateway);
        if from.kind != Kind::External
            || !entry
            || authenticates(link.attrs.value())
            || authenticates(to.attrs.value())
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.span,
            format!(
                "the external `{}` calls {} `{}` with no authentication: anyone who finds the endpoint can send it forged events",
                from.id, to.kind, to.id
            ),
            |d| {
                d.with_label("unauthenticated inbound call")
                    .with_related(from.id_span, "the third party")
                    .with_help(format!(
                        "verify the sender: `auth: api_key` (a signed payload with a shared secret) or `auth: mtls` on the link or on `{}`",
                        to.id
                    ))
            },
        );
    }
}
