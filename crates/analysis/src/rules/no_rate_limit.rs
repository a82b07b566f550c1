use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "no-rate-limit",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "a service reachable from clients with no rate limit on the way",
    what: "A client reaches `service`s with no `rate_limit` on any `cdn`, `lb`, `gateway` or \
           `service` along the way (the service included): one finding per client and entry \
           point (the first component after the client, where the fix goes), naming the \
           services reached (five, and how many more). Silent for a client that says \
           `internal: true` (inside the network).",
    why: "Capacity is finite; demand from the internet is not. Without a limit, one misbehaving \
          client, a retry storm or a scraper can take the service's whole capacity and everyone's \
          requests fail. A limit at the edge (token bucket per client or API key) sheds the excess \
          with cheap 429s and protects fair use; it is also the first line against abuse.",
    bad: example!("no-rate-limit", "bad"),
    good: example!("no-rate-limit", "good"),
    reading: &[
        "Stripe engineering, 'Scaling your API with rate limiters': https://stripe.com/blog/rate-limiters",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let limits = |c: &Component| {
        matches!(c.kind, Kind::Cdn | Kind::Lb | Kind::Gateway | Kind::Service)
            && c.attrs.get(attr::RATE_LIMIT).is_some()
    };
    for way_in in facts::unguarded_entries(cx.model, cx.facts, limits, |_| false) {
        let entry = cx.model.component(way_in.entry);
        let reached = super::unauthenticated_entry::services_in_words(cx, &way_in);
        let help = if matches!(entry.kind, Kind::Cdn | Kind::Lb | Kind::Gateway) {
            format!(
                "set `rate_limit:` on `{}` (e.g. `token_bucket(rate: 100/s, burst: 50)`)",
                entry.id
            )
        } else {
            format!(
                "put a gateway with `rate_limit:` in front of `{}`, or set `rate_limit:` on it",
                entry.id
            )
        };
        out.report(
            Element::Component(way_in.entry),
            entry.id_span,
            format!(
                "`{}` reaches {reached} {} with no rate limit on the way: one client can take all of {} capacity",
                cx.name(way_in.client),
                super::unauthenticated_entry::through(cx, &way_in),
                if way_in.services.len() == 1 { "its" } else { "their" }
            ),
            |d| {
                super::unauthenticated_entry::with_services(cx, &way_in, d.with_label("no rate limit from here"))
                    .with_help(help)
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn findings(text: &str) -> Vec<(Option<String>, String, usize)> {
        findings_of(RULE.name, text)
            .into_iter()
            .map(|d| (d.element.map(|e| e.to_string()), d.message, d.related.len()))
            .collect()
    }

    #[test]
    fn one_finding_per_client_and_entry_point_naming_every_service() {
        let found = findings(
            "client web\nclient mobile\ngateway edge { replicas: 2 }\nservice a\nservice b\nservice c\nweb -> edge\nmobile -> edge\nedge -> a -> b\nedge -> c\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        for (element, message, related) in &found {
            assert_eq!(element.as_deref(), Some("edge"));
            assert!(
                message.contains("3 services (`a`, `b`, `c`) through `edge`"),
                "{message}"
            );
            assert_eq!(*related, 4, "the client and the three services");
        }
    }

    #[test]
    fn a_limit_on_the_entry_point_guards_everything_behind_it() {
        let text = "client web\ngateway edge { replicas: 2, rate_limit: 1k/s }\nservice a\nweb -> edge -> a\n";
        assert!(findings(text).is_empty());
        // A client calling a service directly: the service is the entry point.
        let direct = findings("client web\nservice a\nweb -> a\n");
        assert_eq!(direct[0].0.as_deref(), Some("a"));
        assert!(
            direct[0].1.contains("reaches service `a` directly"),
            "{direct:?}"
        );
    }

    #[test]
    fn a_walk_past_the_reach_limit_counts_a_floor() {
        let chain = |n: usize| {
            let mut text = String::from("client web\nweb -> s0\n");
            for i in 0..n {
                text.push_str(&format!("service s{i}\n"));
            }
            for i in 1..n {
                text.push_str(&format!("s{} -> s{i}\n", i - 1));
            }
            text
        };
        let limit = crate::facts::REACH_LIMIT;
        let found = findings(&chain(limit + 200));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].1.contains(&format!(
                "reaches at least {limit} services (`s0`, `s1`, `s2`, `s3`, `s4` and {} more)",
                limit - 5
            )),
            "{found:?}"
        );
        // Within the limit the count is exact.
        let exact = findings(&chain(limit));
        assert!(
            exact[0].1.contains(&format!("reaches {limit} services")),
            "{exact:?}"
        );
    }
}
