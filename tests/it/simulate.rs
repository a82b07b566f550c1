//! `hld simulate` on the real binary: docs/simulate.md's retry storm and its fix, the
//! JSON of docs/cli.md, determinism, and the refusals.

use crate::common::{hld, stdout};

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// A temporary directory holding `text` as `d.hld`.
fn design_in_a_directory(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.hld"), text).unwrap();
    dir
}

fn outcome_row(text: &str) -> String {
    text.lines()
        .find(|l| l.starts_with("users "))
        .unwrap_or_else(|| panic!("no users row in {text}"))
        .to_string()
}

#[test]
fn the_retry_storm_of_the_docs_is_metastable_and_its_fix_recovers() {
    let storm = hld(
        &[
            "simulate",
            "examples/simulate/retry-storm.hld",
            "--scenario",
            "blip",
        ],
        &root(),
    );
    assert_eq!(storm.status.code(), Some(0));
    let text = stdout(&storm);
    let row = outcome_row(&text);
    assert!(
        row.contains("metastable") && row.contains("`api` is at 250%"),
        "{text}"
    );
    assert!(text.contains("Assumptions"), "{text}");
    let fixed = hld(
        &[
            "simulate",
            "examples/simulate/retry-storm-fixed.hld",
            "--scenario",
            "blip",
        ],
        &root(),
    );
    let text = stdout(&fixed);
    assert!(outcome_row(&text).contains("recovered after 31s"), "{text}");
    let docs = std::fs::read_to_string(root().join("docs/simulate.md")).unwrap();
    for line in [outcome_row(&stdout(&storm)), outcome_row(&text)] {
        assert!(
            docs.contains(line.trim_end()),
            "docs/simulate.md lacks {line}"
        );
    }
}

#[test]
fn the_json_has_a_series_per_component_and_flow_and_an_outcome_per_flow() {
    let output = hld(
        &[
            "simulate",
            "examples/simulate/retry-storm.hld",
            "--scenario",
            "blip",
            "--duration",
            "2min",
            "--step",
            "500ms",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["step"], 0.5);
    assert_eq!(json["trigger"]["start"], 60.0);
    assert_eq!(json["trigger"]["end"], 90.0);
    assert_eq!(json["scenario"], "blip");
    let series = json["series"].as_array().unwrap();
    let api = series.iter().find(|s| s["id"] == "api").unwrap();
    assert_eq!(api["kind"], "component");
    assert_eq!(api["t"].as_array().unwrap().len(), 240);
    for field in [
        "offered",
        "served",
        "errors",
        "p50",
        "p99",
        "utilization",
        "backlog",
        "retries",
    ] {
        assert_eq!(api[field].as_array().unwrap().len(), 240, "{field}");
    }
    assert_eq!(api["utilization"][0], 0.833333);
    // Past the spike the line holds 2 s of work: the p99 is the wait of that line.
    assert!(api["p99"][200].as_f64().unwrap() > 1.0);
    let users = series.iter().find(|s| s["id"] == "users").unwrap();
    assert!(users["p99"][0].is_null() && users["utilization"][0].is_null());
    let outcome = &json["outcomes"][0];
    assert_eq!(outcome["flow"], "users");
    assert_eq!(outcome["outcome"], "metastable");
    assert!(outcome["recovered_after"].is_null());
}

#[test]
fn the_same_design_gives_the_same_bytes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let design = root().join("examples/simulate/retry-storm-fixed.hld");
    for format in ["json", "svg", "html", "table"] {
        let mut outputs = Vec::new();
        for run in ["a", "b"] {
            let out = dir.path().join(format!("{run}.{format}"));
            let args = [
                "simulate",
                design.to_str().unwrap(),
                "--scenario",
                "blip",
                "--format",
                format,
                "-o",
                out.to_str().unwrap(),
            ];
            assert_eq!(hld(&args, dir.path()).status.code(), Some(0), "{format}");
            outputs.push(std::fs::read(&out).unwrap());
        }
        assert!(!outputs[0].is_empty(), "{format}");
        assert_eq!(outputs[0], outputs[1], "{format}");
    }
}

#[test]
fn an_unknown_scenario_a_bad_step_and_an_input_as_output_are_refused() {
    let dir = design_in_a_directory(
        "client u { rate: 10/s }\nservice a\nu -> a\nscenario a_down { fail: [a] }\n",
    );
    let unknown = hld(&["simulate", "d.hld", "--scenario", "a_dwon"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        message.contains("no scenario `a_dwon`") && message.contains("a_down"),
        "{message}"
    );
    let long = hld(
        &["simulate", "d.hld", "--duration", "30d", "--step", "1s"],
        dir.path(),
    );
    assert_eq!(long.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&long.stderr).contains("more than the 100000"));
    let bad = hld(&["simulate", "d.hld", "--step", "fast"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a duration"));
    // Without `for`, the failure lasts the component's `mttr` (an hour): past the run.
    let down = stdout(&hld(
        &["simulate", "d.hld", "--scenario", "a_down"],
        dir.path(),
    ));
    let row = down.lines().find(|l| l.starts_with("u ")).unwrap();
    assert!(
        row.contains("degraded") && row.contains("`a` is down until the end of the run"),
        "{down}"
    );
    let over = hld(&["simulate", "d.hld", "-o", "d.hld"], dir.path());
    assert_eq!(over.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(dir.path().join("d.hld"))
            .unwrap()
            .contains("a_down")
    );
}

#[test]
fn a_scenario_may_only_change_the_traffic() {
    let dir = design_in_a_directory(
        "client u { rate: 100/s }\nservice a { capacity: 150/s }\nu -> a { timeout: 2s }\nscenario launch { traffic: spike(2x, at: 1min, for: 1min) }\n",
    );
    let output = hld(&["simulate", "d.hld", "--scenario", "launch"], dir.path());
    let text = stdout(&output);
    // 200/s against 150/s for a minute: the line passes the 2 s timeout; then it drains.
    let row = text.lines().find(|l| l.starts_with("u ")).unwrap();
    assert!(row.contains("recovered after"), "{text}");
    assert!(text.contains("133% at 1:00"), "{text}");
}

#[test]
fn the_charts_shade_the_trigger_and_chart_each_flow_and_busy_component() {
    let output = hld(
        &[
            "simulate",
            "examples/simulate/retry-storm.hld",
            "--scenario",
            "blip",
            "--format",
            "svg",
        ],
        &root(),
    );
    assert_eq!(output.status.code(), Some(0));
    let svg = stdout(&output);
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let charts: Vec<(String, String)> = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart"))
        .map(|n| {
            (
                n.attribute("data-kind").unwrap().to_string(),
                n.attribute("data-id").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        charts,
        [
            ("component".to_string(), "api".to_string()),
            ("flow".to_string(), "users".to_string())
        ]
    );
    for class in ["trigger", "errors", "p99", "utilization", "capacity"] {
        assert!(svg.contains(&format!("class=\"{class}\"")), "{class}");
    }
    assert!(svg.contains("flow users · metastable"), "{svg}");
}

#[test]
fn chromium_plays_the_run_on_the_picture_without_fetching_anything() {
    let Some(chromium) = crate::common::required(crate::common::browser()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("storm.html");
    let output = hld(
        &[
            "simulate",
            "examples/simulate/retry-storm.hld",
            "--scenario",
            "blip",
            "--format",
            "html",
            "-o",
            page.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("https://"), "no external resource");
    crate::common::node(
        root().join("tests/browser/playback.mjs"),
        &[page, PathBuf::from("api"), PathBuf::from("200"), chromium],
        &root().join("tests/browser"),
    );
}

#[test]
fn a_queue_holding_late_work_is_listed_though_it_is_far_from_full() {
    // Workers stalled for three minutes behind a queue of ample capacity: the queue's
    // backlog is the late work, listed with when it peaked.
    let dir = design_in_a_directory(
        "client users { rate: 100/s }
service api { replicas: 2 }
queue jobs { engine: kafka, replication: 3, partitions: 12, retention: 1d }
worker runners { replicas: 2, capacity: 200/s, idempotent: true }
users -> api
api -> jobs
jobs -> runners
scenario stall { fail: [runners], at: 1min, for: 3min }
",
    );
    let output = hld(&["simulate", "d.hld", "--scenario", "stall"], dir.path());
    let text = stdout(&output);
    let row = text
        .lines()
        .find(|l| l.starts_with("jobs "))
        .unwrap_or_else(|| panic!("no row for the queue: {text}"));
    // 100/s for 180 s: 18k messages at 4:00.
    assert!(
        row.contains("18k at 3:59") || row.contains("18k at 4:00"),
        "{row}"
    );
}
