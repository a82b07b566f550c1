use super::prelude::*;
use crate::estimate::{human_duration, human_rate};
use hld_model::schema::Target;

pub static RULE: Rule = Rule {
    name: "thundering-herd",
    category: Category::Caching,
    level: Level::Warning,
    summary: "a hot cache with expiring keys and no stampede protection",
    what: "A cache with a `ttl` that takes 10k/s or more reads and has `stampede: none` (the \
           default), unless its reads are spread over one key per user (`keys: per_user`): a \
           stampede needs many readers of one key.",
    why: "When a hot key expires, every request that misses at that moment goes to the store at \
          once to rebuild it: at 34.7k/s, a 50 ms rebuild sends about 1,700 identical queries, \
          which can take the store down and keep the key from ever being cached again. Locking or \
          request coalescing lets one request rebuild while the others wait; early (probabilistic) \
          expiration refreshes keys before they expire.",
    bad: example!("thundering-herd", "bad"),
    good: example!("thundering-herd", "good"),
    reading: &["Vattani et al., 'Optimal Probabilistic Cache Stampede Prevention', VLDB 2015"],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, cache) in cx.components() {
        if cache.kind != Kind::Cache {
            continue;
        }
        let Some(ttl) = cache.attrs.number(attr::TTL) else {
            continue;
        };
        let stampede = cache.attrs.value_or_default(Target::Component(Kind::Cache));
        let per_user = cache.attrs.is(values::keys::Value::PerUser);
        let reads = cx.estimates.components[id.index()].reads();
        if stampede != Some(values::stampede::Value::None) || per_user || reads < 10_000.0 {
            continue;
        }
        out.report(
            Element::Component(id),
            cache.attrs.span(attr::TTL).unwrap_or(cache.id_span),
            format!("cache `{}` takes {} reads with ttl {} and no stampede protection: an expiring hot key sends every miss to the store at once", cache.id, human_rate(reads), human_duration(ttl)),
            |d| d.with_label("expires under load").with_help("set `stampede: request_coalescing` (or `locking`, `early_expiration`); if each key is read by one user only, say so with `keys: per_user`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn fires(cache: &str) -> bool {
        let text = format!(
            "client users {{ dau: 100M, requests: 10/day, peak: 3x }}\nservice api {{ replicas: 10 }}\ncache hot {{ engine: redis, ttl: 1h{cache} }}\nusers -> api -> hot {{ ops: read }}\n"
        );
        !findings_of(RULE.name, &text).is_empty()
    }

    #[test]
    fn reads_spread_over_per_user_keys_cannot_stampede() {
        // 100M × 10/day ÷ 86,400 s × 3 = 34.7k/s reads, over the 10k/s threshold.
        assert!(fires(""));
        assert!(fires(", keys: shared"));
        assert!(!fires(", keys: per_user"));
    }

    #[test]
    fn below_10k_reads_a_second_there_is_no_herd() {
        // 10M × 10/day ÷ 86,400 s × 3 = 3.47k/s.
        let text = "client users { dau: 10M, requests: 10/day, peak: 3x }\nservice api { replicas: 10 }\ncache hot { engine: redis, ttl: 1h }\nusers -> api -> hot { ops: read }\n";
        assert!(findings_of(RULE.name, text).is_empty());
    }
}
