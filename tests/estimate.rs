//! `hld estimate` on the real binary: the table, Markdown, JSON in base units, the
//! formulas of `--explain`, and refusing a design that does not compile.

mod common;

use common::{hld, stdout};

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
    assert!(
        (json["paths"][0]["latency"].as_f64().unwrap() - 0.030).abs() < 1e-9,
        "elb 5ms + 20ms + 5ms"
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
