//! `hld what-if --all` on the real binary: the twelve reference designs' worst failures,
//! `--deny down`, `--depth 2`, and `hld check --deny-single-failures`.

use crate::common::{hld, stdout};

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn sweep_json(design: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["what-if", design, "--all", "--format", "json"];
    args.extend_from_slice(extra);
    let output = hld(&args, &root());
    assert_eq!(output.status.code(), Some(0), "{design}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn named(failure: &serde_json::Value) -> String {
    let list = |key: &str| -> Vec<String> {
        failure[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let mut parts: Vec<String> = list("fail");
    parts.extend(
        list("replica")
            .into_iter()
            .map(|r| format!("a copy of {r}")),
    );
    let partition = list("partition");
    if !partition.is_empty() {
        parts.push(partition.join(" | "));
    }
    parts.join(" + ")
}

/// Per reference design: the failure with the widest blast radius (a managed or
/// replicated component failing whole: a bad deploy, a provider outage), and the worst
/// single failure (one node, zone or region), which these designs mostly survive.
#[test]
fn the_twelve_designs_worst_failures_hold() {
    let expected = [
        ("chat", "front", None),
        ("file-sync", "front", None),
        ("live-leaderboard", "front", None),
        ("nearby-places", "front", None),
        ("news-feed", "front", None),
        ("pastebin", "front", None),
        ("rate-limiter", "front", None),
        ("ride-hailing", "driver_gw", Some("maps")),
        ("typeahead", "tries", None),
        ("url-shortener", "front", None),
        ("video-streaming", "front", None),
        ("web-crawler", "frontier", Some("websites")),
    ];
    for (design, worst, single) in expected {
        let json = sweep_json(&format!("designs/{design}.hld"), &[]);
        assert_eq!(json["version"], 1);
        let failures = json["failures"].as_array().unwrap();
        assert_eq!(named(&failures[0]), worst, "{design}: {:#}", failures[0]);
        let worst_single = (!json["worst_single"].is_null()).then(|| named(&json["worst_single"]));
        assert_eq!(worst_single.as_deref(), single, "{design}");
        assert_eq!(json["critical_down"], false, "{design}");
    }
}

#[test]
fn deny_down_fails_when_one_instance_takes_a_critical_flow_down() {
    let bad = "examples/rules/single-failure-breaks-critical-flow.bad.hld";
    let output = hld(&["what-if", bad, "--all", "--deny", "down"], &root());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("Worst single failure: `orders` (100% of the traffic down"),
        "{text}"
    );
    let good = "examples/rules/single-failure-breaks-critical-flow.good.hld";
    let output = hld(&["what-if", good, "--all", "--deny", "down"], &root());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let check = hld(&["check", "--deny-single-failures", bad], &root());
    assert_eq!(check.status.code(), Some(1));
    let text = stdout(&check);
    assert!(
        text.contains("single-failure-breaks-critical-flow"),
        "{text}"
    );
    assert!(
        text.contains("goes down when any one of these fails: `orders`"),
        "{text}"
    );
    // Off by default: a plain check does not sweep.
    let plain = hld(&["check", "--format", "json", bad], &root());
    assert!(!stdout(&plain).contains("\"code\": \"single-failure-breaks-critical-flow\""));
}

#[test]
fn depth_two_lists_the_pairs_that_only_together_take_a_flow_down() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.hld"),
        "client u { rate: 10/s }\nlb front { engine: elb }\nservice a\nservice b\nu -> front\nfront -> a\nfront -> b\nflow f { critical: true\n  u -> front -> a\n}\n",
    )
    .unwrap();
    let depth = |n: &str| {
        let output = hld(
            &[
                "what-if", "d.hld", "--all", "--depth", n, "--format", "json",
            ],
            dir.path(),
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let one = depth("1");
    assert!(
        one["flows"][0]["down_by"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["fail"].as_array().unwrap().len() == 1)
    );
    let two = depth("2");
    let pairs: Vec<String> = two["flows"][0]["down_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(named)
        .collect();
    assert!(pairs.contains(&"a + b".to_string()), "{pairs:?}");
    let bad = hld(&["what-if", "d.hld", "--all", "--depth", "3"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    let without_all = hld(&["what-if", "d.hld", "--depth", "2"], dir.path());
    assert_eq!(without_all.status.code(), Some(2));
}
