//! The rule catalog of rules.md: every rule's name, category and default level.
//! `@allow` and `hld.toml` name rules and categories from here.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    /// Enabled only by configuration.
    Off,
}

#[derive(Debug)]
pub struct RuleInfo {
    pub name: &'static str,
    pub category: &'static str,
    pub level: Level,
}

const fn rule(name: &'static str, category: &'static str, level: Level) -> RuleInfo {
    RuleInfo {
        name,
        category,
        level,
    }
}

use Level::{Error, Info, Off, Warning};

pub const RULES: &[RuleInfo] = &[
    rule("single-point-of-failure", "availability", Error),
    rule("single-instance", "availability", Warning),
    rule("single-zone", "availability", Warning),
    rule("sync-cycle", "availability", Error),
    rule("even-quorum", "availability", Warning),
    rule("split-brain-risk", "availability", Warning),
    rule("manual-failover", "availability", Info),
    rule("consistency-mismatch", "consistency", Error),
    rule("read-your-writes-risk", "consistency", Warning),
    rule("quorum-overlap", "consistency", Error),
    rule("isolation-mismatch", "consistency", Error),
    rule("two-phase-commit", "consistency", Warning),
    rule("cross-shard-transaction", "consistency", Warning),
    rule("missing-cache", "caching", Warning),
    rule("cache-without-eviction", "caching", Warning),
    rule("write-back-data-loss", "caching", Error),
    rule("cache-as-source-of-truth", "caching", Error),
    rule("thundering-herd", "caching", Warning),
    rule("static-content-without-cdn", "caching", Warning),
    rule("modulo-sharding", "data", Warning),
    rule("consistent-hash-without-vnodes", "data", Warning),
    rule("hot-partition-key", "data", Warning),
    rule("range-query-on-hash-partitioning", "data", Warning),
    rule("query-index-mismatch", "data", Warning),
    rule("needs-sharding", "data", Warning),
    rule("btree-write-heavy", "data", Info),
    rule("blob-in-database", "data", Warning),
    rule("no-backup", "data", Info),
    rule("consumers-exceed-partitions", "messaging", Warning),
    rule("non-idempotent-consumer", "messaging", Warning),
    rule("missing-dlq", "messaging", Warning),
    rule("ordering-across-partitions", "messaging", Error),
    rule("exactly-once-side-effects", "messaging", Warning),
    rule("push-without-persistent-connection", "communication", Error),
    rule("short-polling", "communication", Warning),
    rule(
        "long-lived-connections-round-robin",
        "communication",
        Warning,
    ),
    rule("grpc-behind-l4", "communication", Warning),
    rule("deep-sync-chain", "communication", Warning),
    rule("retry-without-backoff", "resilience", Warning),
    rule("retry-without-jitter", "resilience", Info),
    rule("retry-amplification", "resilience", Warning),
    rule("retry-non-idempotent", "resilience", Error),
    rule("missing-timeout", "resilience", Off),
    rule("timeout-exceeds-caller", "resilience", Warning),
    rule("no-circuit-breaker", "resilience", Info),
    rule("no-rate-limit", "resilience", Warning),
    rule("over-capacity", "capacity", Error),
    rule("low-headroom", "capacity", Warning),
    rule("availability-below-target", "capacity", Error),
    rule("latency-over-budget", "capacity", Warning),
    rule("public-datastore", "security", Error),
    rule("unauthenticated-entry", "security", Warning),
    rule("plaintext-public-traffic", "security", Warning),
    rule("orphan-component", "operability", Warning),
    rule("unreachable-component", "operability", Warning),
    rule("no-observability", "operability", Info),
    rule("no-deploy-strategy", "operability", Off),
    rule("unused-allow", "meta", Warning),
    rule("unknown-engine", "meta", Warning),
];

/// The categories, in catalog order.
pub fn categories() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            RULES[..*i]
                .iter()
                .all(|earlier| earlier.category != r.category)
        })
        .map(|(_, r)| r.category)
}

pub fn find(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

/// A rule or a category: what `@allow` and `hld.toml` accept.
pub fn is_selector(name: &str) -> bool {
    find(name).is_some() || categories().any(|c| c == name)
}

pub fn selectors() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.name).chain(categories())
}
