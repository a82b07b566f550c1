//! `hld estimate` on the real binary: the table, Markdown, JSON in base units, the
//! formulas of `--explain`, and refusing a design that does not compile.

use crate::common::{hld, stdout};

use std::path::Path;

/// 100M dau × 10/day × 3x = 34.7k/s; 20% of it written to the table; 500 B × 5 y.
const SHORTENER: &str = r#"design "Shortener" { availability: 99.9%, latency: 100ms }
client users { dau: 100M, requests: 10/day, peak: 3x }
lb front { engine: elb }
service api { replicas: 4, capacity: 10k/s, latency: 20ms }
database links { engine: cassandra, replication: 3, record_size: 500B, retention: 5y, latency: 5ms }
users -> front -> api { protocol: https }
api -> links { ops: write, ratio: 20% }
"#;

fn design(dir: &Path) {
    std::fs::write(dir.join("d.hld"), SHORTENER).unwrap();
}

#[test]
fn the_table_shows_rates_capacity_storage_and_paths() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let output = hld(&["estimate", "d.hld"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} row in {text}"))
            .to_string()
    };
    assert!(
        row("users").contains("34.7k/s") && row("users").contains("11.6k/s"),
        "{text}"
    );
    // 4 × 10k/s = 40k/s; 34.7k/s of it is 86.8%.
    assert!(
        row("api").contains("40k/s") && row("api").contains("86.8%"),
        "{text}"
    );
    // 2,315/s average writes × 500 B × 157,680,000 s × 3 copies = 5.475e14 B ≈ 548 TB.
    assert!(
        row("links").contains("6.94k/s") && row("links").contains("548 TB"),
        "{text}"
    );
    assert!(text.contains("users → front → api → links"), "{text}");
    assert!(text.contains("\nAssumptions\n"), "{text}");
}

#[test]
fn explain_shows_each_formula_with_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let text = stdout(&hld(&["estimate", "--explain", "d.hld"], dir.path()));
    assert!(
        text.contains("users: 100M dau × 10/day ÷ 86,400 s × 3x peak = 34.7k/s"),
        "{text}"
    );
    assert!(
        text.contains("links storage: 2.31k/s writes × 500 B × 5y × 3 copies = 548 TB"),
        "{text}"
    );
    assert!(
        text.contains("api capacity: 4 replicas × 10k/s = 40k/s; utilization 86.8%"),
        "{text}"
    );
}

#[test]
fn json_is_in_base_units() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let json: serde_json::Value =
        serde_json::from_slice(&hld(&["estimate", "--format", "json", "d.hld"], dir.path()).stdout)
            .unwrap();
    let component = |id: &str| {
        json["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let peak = component("users")["peak"].as_f64().unwrap();
    assert!((peak - 1e9 * 3.0 / 86_400.0).abs() < 1e-6);
    let storage = component("links")["storage"].as_f64().unwrap();
    assert!((storage - 1e9 / 86_400.0 * 0.2 * 500.0 * 5.0 * 365.0 * 86_400.0 * 3.0).abs() < 1.0);
    assert_eq!(
        json["paths"][0]["latency_path"],
        serde_json::json!(["users", "front", "api", "links"])
    );
    // The elb's default 1ms / 5ms (no published figure), the API's stated 20ms (its p99
    // 5x: 100ms), Cassandra's 5ms / 40ms.
    assert!(
        (json["paths"][0]["latency"].as_f64().unwrap() - 0.026).abs() < 1e-9,
        "elb 1ms + 20ms + 5ms"
    );
    assert!(
        (json["paths"][0]["latency_p99"].as_f64().unwrap() - 0.145).abs() < 1e-9,
        "elb 5ms + 100ms + 40ms"
    );
}

#[test]
fn markdown_is_a_table_for_a_design_doc() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path());
    let text = stdout(&hld(
        &["estimate", "--format", "markdown", "d.hld"],
        dir.path(),
    ));
    assert!(
        text.starts_with("## Estimates: Shortener\n\n| component | kind | peak |"),
        "{text}"
    );
    assert!(text.contains("|---|---|"));
}

#[test]
fn a_design_with_errors_is_not_estimated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.hld"), "servce api\n").unwrap();
    let output = hld(&["estimate", "bad.hld"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown-kind"));
    assert_eq!(
        hld(&["estimate", "missing.hld"], dir.path()).status.code(),
        Some(2)
    );
}

/// The shapes of issue 13 in one design (examples/traffic/shop.hld): none of v1's false
/// findings, and the estimate splits where requests split.
#[test]
fn zones_routes_consumer_groups_leases_and_replicas_estimate_as_drawn() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = "examples/traffic/shop.hld";
    let check = hld(&["check", "--format", "json", design], root);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(check.status.code(), Some(0), "{report:#}");
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );

    let output = hld(&["estimate", "--format", "json", design], root);
    let estimate: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let component = |id: &str| {
        estimate["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let peak = |id: &str| component(id)["peak"].as_f64().unwrap_or(0.0);
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    // 10M × 20/day ÷ 86,400 s × 3 = 6,944/s, half to each zone.
    let shoppers = peak("shoppers");
    assert!(near(shoppers, 10e6 * 20.0 / 86_400.0 * 3.0));
    assert!(near(peak("web_a"), shoppers / 2.0) && near(peak("web_b"), shoppers / 2.0));
    // The gateway: 60% to the catalog, the other three share the 40% left.
    assert!(near(peak("catalog"), shoppers * 0.6));
    for route in ["cart", "orders", "accounts"] {
        assert!(near(peak(route), shoppers * 0.4 / 3.0), "{route}");
    }
    // Kafka: each consumer group reads every event the store's change stream publishes.
    let writes = component("orders_db")["writes"].as_f64().unwrap();
    assert!(near(writes, peak("orders")));
    assert!(near(peak("emails"), writes) && near(peak("analytics"), writes));
    // The lease carries nothing; the replica takes the writes, never the reads.
    assert!(component("lock")["peak"].is_null());
    assert!(near(
        component("orders_eu")["writes"].as_f64().unwrap(),
        writes
    ));
    assert_eq!(component("orders_eu")["reads"].as_f64(), Some(0.0));
    // Neither the lease nor the replica is on the request path.
    let path = &estimate["paths"][0];
    let slowest: Vec<&str> = path["latency_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        !slowest.contains(&"lock") && !slowest.contains(&"orders_eu"),
        "{slowest:?}"
    );
    assert!(path["availability"].as_f64().unwrap() >= 0.9995, "{path}");

    // The table shows the split numbers, `--explain` how they were split.
    let explained = stdout(&hld(&["estimate", "--explain", design], root));
    for line in [
        "web_a: 6.94k/s through `front` ÷ 2 = 3.47k/s",
        "cart: (6.94k/s through `api` − 4.17k/s stated) ÷ 3 = 926/s",
        "emails: 926/s of `order_events`: each consumer group reads every message = 926/s",
        "orders_eu: 926/s writes of `orders_db` replicated = 926/s",
    ] {
        assert!(explained.contains(line), "{line}\n{explained}");
    }
}

// ---- hld what-if -------------------------------------------------------------------

const ZONES: &str = r#"design "Zones" { availability: 99.9% }
client users { rate: 2.8k/s }
lb front { engine: elb }
zone a { service web_a { replicas: 2, capacity: 1k/s } }
zone b { service web_b { replicas: 2, capacity: 1k/s } }
database db { replication: consensus(n: 3), zones: 3 }
users -> front
front -> web_a
front -> web_b
web_a -> db
web_b -> db
flow browse { critical: true, users -> front -> web_a -> db }
scenario zone_a "Zone a goes dark" { fail: [a] }
scenario db_down { fail: [db] }
"#;

#[test]
fn what_if_runs_every_declared_scenario_in_the_json_of_cli_md() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("z.hld"), ZONES).unwrap();
    let output = hld(&["what-if", "--format", "json", "z.hld"], dir.path());
    // It reports; `hld check` judges.
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let scenarios = report["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 2);
    let zone_a = &scenarios[0];
    assert_eq!(zone_a["id"], "zone_a");
    assert_eq!(zone_a["fail"], serde_json::json!(["a"]));
    assert_eq!(zone_a["partition"], serde_json::json!([]));
    let outcome = &zone_a["outcomes"][0];
    assert_eq!(outcome["flow"], "browse");
    assert_eq!(outcome["outcome"], "degraded");
    assert_eq!(outcome["why"], "over capacity (`web_b` at 140%)");
    assert!(outcome["cause"].is_null());
    let web_b = zone_a["utilization"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == "web_b")
        .unwrap();
    assert!((web_b["utilization"].as_f64().unwrap() - 1.4).abs() < 1e-9);
    let down = &scenarios[1]["outcomes"][0];
    assert_eq!(
        (&down["outcome"], &down["cause"]),
        (
            &serde_json::json!("down"),
            &serde_json::json!("`db` is down")
        )
    );
    // And `hld check` judges: the critical flow down is an error.
    let check = hld(&["check", "--format", "json", "z.hld"], dir.path());
    assert_eq!(check.status.code(), Some(1));
    let codes = String::from_utf8_lossy(&check.stdout);
    assert!(
        codes.contains("scenario-breaks-critical-flow") && codes.contains("scenario-over-capacity"),
        "{codes}"
    );
}

#[test]
fn what_if_asks_ad_hoc_and_names_what_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("z.hld"), ZONES).unwrap();
    let output = hld(&["what-if", "--fail", "web_a", "z.hld"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("what-if: fail web_a\n"), "{text}");
    assert!(
        text.contains("browse  users   degraded (over capacity (`web_b` at 140%))"),
        "{text}"
    );
    let json = hld(
        &["what-if", "--partition", "a,b", "--format", "json", "z.hld"],
        dir.path(),
    );
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["scenarios"][0]["id"], "what-if");
    assert_eq!(
        report["scenarios"][0]["partition"],
        serde_json::json!(["a", "b"])
    );
    let unknown = hld(&["what-if", "--fail", "web_c", "z.hld"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no component or group is called `web_c`: did you mean `web_a`?")
    );
    let one_side = hld(&["what-if", "--partition", "a,a", "z.hld"], dir.path());
    assert_eq!(one_side.status.code(), Some(2));
}

// ---- v3: the data tier, on the designs of examples/data --------------------------------

/// `hld estimate --format json` on an example design, and one of its components.
fn data_estimate(design: &str) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = hld(
        &[
            "estimate",
            "--format",
            "json",
            &format!("examples/data/{design}"),
        ],
        root,
    );
    assert_eq!(output.status.code(), Some(0), "{design}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn component<'v>(estimate: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    estimate["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id}"))
}

fn explained(design: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    stdout(&hld(
        &["estimate", "--explain", &format!("examples/data/{design}")],
        root,
    ))
}

fn near(a: &serde_json::Value, b: f64) -> bool {
    a.as_f64()
        .is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

#[test]
fn a_store_s_reads_and_writes_each_meet_their_own_capacity() {
    let estimate = data_estimate("stores.hld");
    let orders = component(&estimate, "orders");
    // 2 shards × 3 copies serving × 50k/s reads; 2 shards × 5k/s writes, replicas or not.
    assert!(near(&orders["read_capacity"], 300_000.0), "{orders}");
    assert!(near(&orders["write_capacity"], 10_000.0), "{orders}");
    assert!(near(&orders["read_utilization"], 12_000.0 / 300_000.0));
    assert!(near(&orders["write_utilization"], 1.2));
    assert!(near(&orders["utilization"], 1.24));
    // Manual failover: writes fail for 30 min of every hour's repair; reads from any copy.
    assert!(near(&orders["write_availability"], 1.0 - 0.001 * 0.5));
    assert!(near(&orders["read_availability"], 1.0 - 0.001f64.powi(3)));
    assert!(
        orders["lost_writes_per_failover"].is_null(),
        "semi-sync loses none"
    );
    let carts = component(&estimate, "carts");
    // Any 2 of 3 copies: 3a²(1 − a) + a³.
    let a: f64 = 0.999;
    let quorum = 3.0 * a * a * (1.0 - a) + a.powi(3);
    assert!(near(&carts["write_availability"], quorum), "{carts}");
    assert!(near(&carts["read_availability"], quorum));
    let text = explained("stores.hld");
    for line in [
        "orders read capacity: 2 shards × 3 copies serving × 50k/s reads per node = 300k/s (4% used)",
        "orders write capacity: 2 shards × 5k/s writes per node = 10k/s (120% used)",
        "orders write availability: 1 − (1 − 99.9%) × min(1, 30min failover ÷ 1h mttr) = 99.95%",
        "carts read capacity: 3 copies serving × 10k/s reads per node ÷ 2 copies per read = 15k/s",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(text.contains("A failed node is repaired in 1h (`mttr`): `orders`, `carts`."));
}

#[test]
fn one_hot_key_fills_one_partition_and_a_stream_its_shards() {
    let estimate = data_estimate("hot-keys.hld");
    let likes = component(&estimate, "likes");
    // Half of 6k/s on one key: 3k/s against DynamoDB's 1k/s per partition.
    assert!(near(&likes["hot_partition"]["rate"], 3_000.0), "{likes}");
    assert!(
        near(&likes["hot_partition"]["capacity"], 1_000.0),
        "{likes}"
    );
    assert!(
        likes["write_capacity"].is_null(),
        "a managed store has no aggregate limit"
    );
    let clicks = component(&estimate, "clicks");
    assert!(near(&clicks["write_capacity"], 4_000.0), "{clicks}");
    assert!(near(&clicks["utilization"], 1.5));
    assert!(explained("hot-keys.hld").contains(
        "likes hottest partition: hot key 50% × 6k/s, the rest spread over partitions the provider adds = 3k/s writes of 1k/s one partition serves: 300%"
    ));
}

#[test]
fn an_async_failover_loses_the_lag_and_a_restore_takes_a_shard_over_the_rate() {
    let estimate = data_estimate("failover.hld");
    let entries = component(&estimate, "entries");
    // 3k/s writes × 1 s of lag.
    assert!(
        near(&entries["lost_writes_per_failover"], 3_000.0),
        "{entries}"
    );
    // 1.5k/s × 500 B × 2 y = 47.3 TB per copy, at 200 MB/s.
    let per_copy = 1_500.0 * 500.0 * 2.0 * 365.0 * 86_400.0;
    assert!(
        near(&entries["restore_time"], per_copy / 200e6),
        "{entries}"
    );
    let text = explained("failover.hld");
    assert!(text.contains(
        "entries writes lost per failover: 3k/s writes × 1s replication lag = 3k writes"
    ));
    assert!(
        text.contains("entries restore time: 47.3 TB per copy of one shard ÷ 200 MB/s = 2.74d")
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = stdout(&hld(
        &["check", "--format", "json", "examples/data/failover.hld"],
        root,
    ));
    assert!(check.contains("failover-loses-writes") && check.contains("restore-exceeds-rto"));
}

#[test]
fn latency_is_a_pair_that_never_counts_an_unstated_component_as_zero() {
    let estimate = data_estimate("latency.hld");
    let payments = component(&estimate, "payments");
    assert!(near(&payments["latency"], 0.1) && near(&payments["latency_p99"], 1.0));
    let path = &estimate["paths"][0];
    // checkout (1ms / 5ms, the default) then the payment provider (100ms / 1s).
    assert!(near(&path["latency"], 0.101), "{path}");
    assert!(near(&path["latency_p99"], 1.005), "{path}");
    // Carts are read by buyer, not by cart: every read goes to all 12 shards.
    assert!(near(&component(&estimate, "carts")["reads"], 12.0 * 500.0));
    let text = explained("latency.hld");
    assert!(text.contains("checkout->tax round trip: 70ms"));
    assert!(text.contains(
        "A link between two regions without `rtt` pays a 70ms round trip: `checkout->tax`."
    ));
    assert!(text.contains("an external 100ms / 1s; a cdn 10ms / 50ms; data components and coordinators 1ms / 10ms: `checkout`, `payments`."));
}

#[test]
fn every_component_and_the_design_have_a_monthly_cost() {
    let estimate = data_estimate("cost.hld");
    // 4 replicas at a stated $0.17/h; Postgres's 3 copies at $0.504/h; 720 h a month.
    assert!(near(
        &component(&estimate, "api")["cost"],
        4.0 * 0.17 * 720.0
    ));
    assert!(near(
        &component(&estimate, "meta")["cost"],
        3.0 * 0.504 * 720.0
    ));
    assert!(component(&estimate, "viewers")["cost"].is_null());
    let sum: f64 = estimate["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["cost"].as_f64())
        .sum();
    assert!(near(&estimate["cost"], sum), "{}", estimate["cost"]);
    let text = explained("cost.hld");
    assert!(
        text.contains("Cost: $49.2k/month in all at list prices, over the budget of $10k/month."),
        "{text}"
    );
    assert!(text.contains("meta cost: 3 nodes × $363/month = $1.09k/month"));
}
