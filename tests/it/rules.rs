//! Every rule against its own examples: it fires on `examples/rules/<rule>.bad.hld` at
//! the element named by the file's `// expect:` line, stays silent on the good one, and
//! is silenced by `@allow` and by `hld.toml`.

use hld::Lint;
use hld::analysis::rule::{Level, Rule};
use hld::analysis::{Settings, explain, rules};
use hld::diagnostics::Severity;
use hld::{Compilation, compile};

fn lint(name: &str, text: &str, settings: Settings) -> Compilation {
    let mut compilation = compile(format!("examples/rules/{name}"), text.as_bytes().to_vec());
    let errors: Vec<&str> = compilation
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(!compilation.has_errors(), "{name} compiles: {errors:?}");
    compilation.lint(settings);
    compilation
}

fn codes(compilation: &Compilation) -> Vec<String> {
    compilation
        .diagnostics
        .iter()
        .map(|d| format!("{} ({:?})", d.code, d.element))
        .collect()
}

fn expected_element(rule: &Rule) -> &str {
    rule.bad
        .lines()
        .find_map(|line| line.strip_prefix("// expect: "))
        .unwrap_or_else(|| panic!("{}.bad.hld starts with `// expect: <element>`", rule.name))
        .trim()
}

/// The bad example with `@allow(rule)` for the whole file.
fn allowed(rule: &Rule) -> String {
    let annotation = format!("@allow({}, \"accepted in this test\")\n", rule.name);
    match rule.bad.find("design \"") {
        Some(at) => format!("{}{annotation}{}", &rule.bad[..at], &rule.bad[at..]),
        None => format!("{annotation}design \"Allowed\"\n{}", rule.bad),
    }
}

/// Every check of one rule, so that a failure names its rule and hides no other:
/// its bad example fires at the `// expect:` element, its good example is clean,
/// `@allow` and `hld.toml` silence it (and `deny` raises it), its threshold fixtures
/// (`examples/rules/<rule>.<case>.hld`) fire or stay silent as their `// expect:` line
/// says, and what it says is a reviewed snapshot.
fn check_rule(name: &str) {
    let rule = rules::find(name).unwrap_or_else(|| panic!("`{name}` is a rule"));
    fires_on_its_bad_example(rule);
    its_good_example_is_clean(rule);
    allow_silences_it(rule);
    config_turns_it_off_and_can_raise_it(rule);
    its_thresholds_hold(rule);
    rendered_findings(rule);
}

/// Settings under which a rule that is off by default is on, the way users enable it.
fn enabled(rule: &Rule, dir: &std::path::Path) -> hld::config::ConfigFile {
    let toml = format!("[lint]\nwarn = [\"{}\"]\n", rule.name);
    std::fs::write(dir.join("hld.toml"), toml).unwrap();
    hld::config::load(&dir.join("hld.toml"))
}

/// Whether `rule` reports at `expected` (`(design)`: on the design itself).
fn fires_at(rule: &Rule, file: &str, text: &str, expected: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let config = enabled(rule, dir.path());
    let settings = Settings {
        config: config.config.as_ref().filter(|_| rule.level == Level::Off),
        deny_warnings: false,
        deny_single_failures: false,
    };
    let compilation = lint(file, text, settings);
    let expected = Some(expected).filter(|e| *e != "(design)");
    let found = compilation.diagnostics.iter().any(|d| {
        d.code == rule.name && d.element.as_ref().map(ToString::to_string).as_deref() == expected
    });
    match found {
        true => Ok(()),
        false => Err(format!(
            "{file}: {} fires at `{expected:?}`; found {:?}",
            rule.name,
            codes(&compilation)
        )),
    }
}

fn fires_on_its_bad_example(rule: &Rule) {
    let file = format!("{}.bad.hld", rule.name);
    if let Err(message) = fires_at(rule, &file, rule.bad, expected_element(rule)) {
        panic!("{message}");
    }
}

fn its_good_example_is_clean(rule: &Rule) {
    let compilation = lint(
        &format!("{}.good.hld", rule.name),
        rule.good,
        Settings::default(),
    );
    let noisy: Vec<String> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info || d.code == rule.name)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(
        noisy.is_empty(),
        "{}.good.hld reports {noisy:#?}",
        rule.name
    );
}

fn allow_silences_it(rule: &Rule) {
    if rule.name == "unused-allow" {
        return;
    }
    let compilation = lint(
        &format!("{}.bad.hld", rule.name),
        &allowed(rule),
        Settings::default(),
    );
    let left: Vec<String> = codes(&compilation)
        .into_iter()
        .filter(|c| c.starts_with(&format!("{} ", rule.name)) || c.starts_with("unused-allow"))
        .collect();
    assert!(
        left.is_empty(),
        "@allow({}) silences it, and is used: {left:?}",
        rule.name
    );
}

fn config_turns_it_off_and_can_raise_it(rule: &Rule) {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.hld");
    std::fs::write(&design, rule.bad).unwrap();
    for (table, expect) in [("allow", None), ("deny", Some(Severity::Error))] {
        std::fs::write(
            dir.path().join("hld.toml"),
            format!("[lint]\n{table} = [\"{}\"]\n", rule.name),
        )
        .unwrap();
        let file = hld::config::load(&dir.path().join("hld.toml"));
        assert!(file.diagnostics.is_empty());
        let settings = Settings {
            config: file.config.as_ref(),
            deny_warnings: false,
            deny_single_failures: false,
        };
        let mut compilation = hld::compile_file(&design);
        compilation.lint(settings);
        let severities: Vec<Severity> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.code == rule.name)
            .map(|d| d.severity)
            .collect();
        match expect {
            None => assert!(
                severities.is_empty(),
                "{table} = [{}] turns it off",
                rule.name
            ),
            Some(severity) => assert!(
                !severities.is_empty() && severities.iter().all(|s| *s == severity),
                "{table} = [{}] raises it: {severities:?}",
                rule.name
            ),
        }
    }
}

/// `examples/rules/<rule>.<case>.hld` beside the bad and good pair: designs at a
/// threshold, each saying `// expect: <element>` or `// expect: nothing`.
fn threshold_fixtures(rule: &Rule) -> Vec<(String, String)> {
    let mut fixtures: Vec<(String, String)> = std::fs::read_dir("examples/rules")
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|file| {
            let case = file
                .strip_prefix(rule.name)
                .and_then(|rest| rest.strip_prefix('.'))
                .and_then(|rest| rest.strip_suffix(".hld"));
            case.is_some_and(|case| !["bad", "good"].contains(&case) && !case.contains('.'))
        })
        .map(|file| {
            let text = std::fs::read_to_string(format!("examples/rules/{file}")).unwrap();
            (file, text)
        })
        .collect();
    fixtures.sort();
    fixtures
}

fn its_thresholds_hold(rule: &Rule) {
    for (file, text) in threshold_fixtures(rule) {
        let expected = text
            .lines()
            .find_map(|line| line.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{file} starts with `// expect: <element or nothing>`"))
            .trim()
            .to_string();
        if expected == "nothing" {
            let compilation = lint(&file, &text, Settings::default());
            let found: Vec<String> = codes(&compilation)
                .into_iter()
                .filter(|c| c.starts_with(&format!("{} ", rule.name)))
                .collect();
            assert!(
                found.is_empty(),
                "{file}: {} stays silent; found {found:?}",
                rule.name
            );
        } else if let Err(message) = fires_at(rule, &file, &text, &expected) {
            panic!("{message}");
        }
    }
}

/// What a rule says on its bad example, as a user sees it: a wording change is a
/// reviewed snapshot diff.
fn rendered_findings(rule: &Rule) {
    if rule.level == Level::Off {
        return;
    }
    let compilation = lint(
        &format!("{}.bad.hld", rule.name),
        rule.bad,
        Settings::default(),
    );
    let rendered: String = compilation
        .diagnostics
        .iter()
        .filter(|d| d.code == rule.name)
        .map(|d| hld::diagnostics::render_human(&compilation.sources, d, false))
        .collect();
    insta::assert_snapshot!(rule.name, rendered);
}

/// One test per rule (`cargo test --test it rules::each::missing_cache`).
macro_rules! rule_tests {
    ($($test:ident: $name:literal,)*) => {
        mod each {
            $(
                #[test]
                fn $test() {
                    super::check_rule($name);
                }
            )*
        }

        /// The rules with a test above.
        const TESTED: &[&str] = &[$($name),*];
    };
}

#[test]
fn every_rule_has_its_own_test() {
    let mut rules: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
    let mut tested = TESTED.to_vec();
    rules.sort();
    tested.sort();
    assert_eq!(rules, tested, "list every rule in `rule_tests!`");
}

/// A fixture names a rule (a typo would make it check nothing).
#[test]
fn every_fixture_belongs_to_a_rule() {
    for entry in std::fs::read_dir("examples/rules").unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let rule = file.split('.').next().unwrap();
        assert!(rules::find(rule).is_some(), "{file} names no rule");
    }
}

#[test]
fn the_rule_reference_is_in_sync() {
    let committed = std::fs::read_to_string("docs/rules.md").unwrap_or_default();
    if committed != explain::reference() {
        std::fs::write("docs/rules.md.new", explain::reference()).unwrap();
        panic!(
            "docs/rules.md is stale: review docs/rules.md.new (`hld rules --format markdown`) and move it over"
        );
    }
}

/// The catalogue table that opens docs/rules.md (the user's reference) names exactly
/// the rules implemented, each with its category and default level.
#[test]
fn the_catalogue_in_the_rule_reference_matches_the_rules() {
    let reference = std::fs::read_to_string("docs/rules.md").expect("docs/rules.md");
    let listed: Vec<(String, String, String)> = reference
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let name = cells.get(1)?.strip_prefix("[`")?.split('`').next()?;
            Some((name.to_string(), cells[2].to_string(), cells[3].to_string()))
        })
        .collect();
    assert_eq!(listed.len(), rules::ALL.len(), "one row per rule");
    for (name, category, level) in listed {
        let rule = rules::find(&name).unwrap_or_else(|| panic!("docs/rules.md names `{name}`"));
        assert_eq!(rule.category.as_str(), category, "{name}'s category");
        assert_eq!(rule.level.as_str(), level, "{name}'s level");
    }
}

rule_tests! {
    availability_below_target: "availability-below-target",
    blob_in_database: "blob-in-database",
    btree_write_heavy: "btree-write-heavy",
    cache_as_source_of_truth: "cache-as-source-of-truth",
    cache_without_eviction: "cache-without-eviction",
    consistency_mismatch: "consistency-mismatch",
    consistent_hash_without_vnodes: "consistent-hash-without-vnodes",
    consumer_lag: "consumer-lag",
    consumers_exceed_partitions: "consumers-exceed-partitions",
    cross_shard_transaction: "cross-shard-transaction",
    deep_sync_chain: "deep-sync-chain",
    dual_write: "dual-write",
    even_quorum: "even-quorum",
    exactly_once_side_effects: "exactly-once-side-effects",
    failover_loses_writes: "failover-loses-writes",
    grpc_behind_l4: "grpc-behind-l4",
    hot_key: "hot-key",
    hot_partition_key: "hot-partition-key",
    isolation_mismatch: "isolation-mismatch",
    last_write_wins_conflict: "last-write-wins-conflict",
    latency_over_budget: "latency-over-budget",
    long_lived_connections_round_robin: "long-lived-connections-round-robin",
    lost_update: "lost-update",
    low_headroom: "low-headroom",
    manual_failover: "manual-failover",
    message_expires_before_recovery: "message-expires-before-recovery",
    missing_cache: "missing-cache",
    missing_dlq: "missing-dlq",
    missing_timeout: "missing-timeout",
    modulo_sharding: "modulo-sharding",
    needs_sharding: "needs-sharding",
    no_backup: "no-backup",
    no_circuit_breaker: "no-circuit-breaker",
    no_deploy_strategy: "no-deploy-strategy",
    no_observability: "no-observability",
    no_rate_limit: "no-rate-limit",
    non_idempotent_consumer: "non-idempotent-consumer",
    ordering_across_partitions: "ordering-across-partitions",
    orphan_component: "orphan-component",
    over_budget: "over-budget",
    over_capacity: "over-capacity",
    plaintext_public_traffic: "plaintext-public-traffic",
    public_datastore: "public-datastore",
    push_without_persistent_connection: "push-without-persistent-connection",
    query_index_mismatch: "query-index-mismatch",
    quorum_overlap: "quorum-overlap",
    range_query_on_hash_partitioning: "range-query-on-hash-partitioning",
    read_your_writes_risk: "read-your-writes-risk",
    restore_exceeds_rto: "restore-exceeds-rto",
    retry_amplification: "retry-amplification",
    retry_exceeds_timeout: "retry-exceeds-timeout",
    retry_non_idempotent: "retry-non-idempotent",
    retry_without_backoff: "retry-without-backoff",
    retry_without_jitter: "retry-without-jitter",
    scatter_query: "scatter-query",
    scenario_breaks_critical_flow: "scenario-breaks-critical-flow",
    scenario_metastable: "scenario-metastable",
    scenario_over_capacity: "scenario-over-capacity",
    short_polling: "short-polling",
    single_failure_breaks_critical_flow: "single-failure-breaks-critical-flow",
    single_instance: "single-instance",
    single_point_of_failure: "single-point-of-failure",
    single_zone: "single-zone",
    split_brain_risk: "split-brain-risk",
    stale_cdn_content: "stale-cdn-content",
    static_content_without_cdn: "static-content-without-cdn",
    sync_cycle: "sync-cycle",
    third_party_without_timeout: "third-party-without-timeout",
    thundering_herd: "thundering-herd",
    timeout_exceeds_caller: "timeout-exceeds-caller",
    two_phase_commit: "two-phase-commit",
    unauthenticated_entry: "unauthenticated-entry",
    unauthenticated_webhook: "unauthenticated-webhook",
    unbounded_partition: "unbounded-partition",
    unknown_engine: "unknown-engine",
    unreachable_component: "unreachable-component",
    unused_allow: "unused-allow",
    upload_through_service: "upload-through-service",
    write_back_data_loss: "write-back-data-loss",
}

/// A client that reaches many services through one entry gets one finding naming five
/// of them and counting the rest, with five of them marked: the finding stays readable,
/// and its size does not grow with the design for every client.
#[test]
fn unauthenticated_entry_names_at_most_five_services() {
    let mut text = String::from("client users\ngateway edge { replicas: 2, rate_limit: 1k/s }\n");
    for i in 0..7 {
        text.push_str(&format!("service s{i} {{ replicas: 2 }}\nedge -> s{i}\n"));
    }
    text.push_str("users -> edge { protocol: https }\n");
    let compilation = lint("many-services.hld", &text, Settings::default());
    let finding = compilation
        .diagnostics
        .iter()
        .find(|d| d.code == "unauthenticated-entry")
        .expect("one finding at the gateway");
    assert!(
        finding
            .message
            .contains("7 services (`s0`, `s1`, `s2`, `s3`, `s4` and 2 more)"),
        "{}",
        finding.message
    );
    let reached = finding.related.iter().filter(|r| r.message == "reached");
    assert_eq!(reached.count(), 5, "{:?}", finding.related);
}
