use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "public-datastore",
    category: Category::Security,
    level: Level::Error,
    summary: "a data store exposed to clients or the internet",
    what: "A `client` linked straight to a data component (database, cache, queue, blob, search, \
           coordinator), or a data component with `public: true`. A client → `blob` link with \
           `auth: presigned` is not one: each URL is signed by a service for one object and a \
           short time, which is the access control.",
    why: "A store reachable from outside has no application in front to authenticate, authorize or \
          validate: anyone who finds the endpoint can read or overwrite everything, and open \
          Elasticsearch, MongoDB and S3 buckets are among the most common causes of data breaches. \
          Keep stores on private networks behind services; serve public objects through a CDN \
          with signed URLs.",
    bad: example!("public-datastore", "bad"),
    good: example!("public-datastore", "good"),
    reading: &[
        "OWASP Top 10, A01 Broken Access Control: https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, component) in cx.components() {
        if !component.kind.is_data() {
            continue;
        }
        if component.attrs.bool(attr::PUBLIC) == Some(true) {
            out.report(
                Element::Component(id),
                component.attrs.span(attr::PUBLIC).unwrap_or(component.id_span),
                format!("{} `{}` is reachable from the internet", component.kind, component.id),
                |d| d.with_label("public store").with_help("keep it private and reach it through a service (or a CDN with signed URLs)"),
            );
            continue;
        }
        let presigned =
            |l: &Link| component.kind == Kind::Blob && l.attrs.is(values::auth::Value::Presigned);
        let direct = cx
            .incoming(id)
            .find(|(_, l)| cx.model.component(l.from).kind == Kind::Client && !presigned(l));
        if let Some((_, link)) = direct {
            out.report(
                Element::Component(id),
                component.id_span,
                format!("client `{}` talks to {} `{}` directly: nothing in between checks who it is", cx.name(link.from), component.kind, component.id),
                |d| d.with_label("reached by a client").with_related(link.span, "direct link").with_help(if component.kind == Kind::Blob {
                    "have a service sign a short-lived URL per object and mark the link `auth: presigned`, or put a service (or a CDN with signed URLs) in between"
                } else {
                    "put a service between clients and the store"
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn fires(store: &str, auth: &str) -> bool {
        let text = format!("client u\n{store} s\nu -> s {{ ops: write, auth: {auth} }}\n");
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn a_presigned_upload_to_a_blob_store_is_not_public() {
        assert!(!fires("blob", "presigned"));
        assert!(
            fires("blob", "api_key"),
            "a shared key in every client is public"
        );
        assert!(
            fires("database", "presigned"),
            "only object stores sign URLs"
        );
    }
}
