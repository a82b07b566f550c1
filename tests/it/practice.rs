//! `hld practice` on the real binary: every reference design scores full marks on its
//! prompt; a deliberately flawed answer loses the right dimension with the right hint;
//! `show` never tells the checks; `new` writes a starter and never over a file.

use crate::common::{hld, stdout};

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn grade(prompt: &str, design: &Path) -> serde_json::Value {
    let output = hld(
        &[
            "practice",
            "grade",
            prompt,
            design.to_str().unwrap(),
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The failed checks of one dimension, with their first hint.
fn failed(grade: &serde_json::Value, dimension: &str) -> Vec<(String, String)> {
    let dimension = grade["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == dimension)
        .unwrap();
    dimension["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_string(),
                c["hints"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(" | "),
            )
        })
        .collect()
}

#[test]
fn every_reference_design_scores_full_marks_on_its_prompt() {
    let list = stdout(&hld(&["practice", "list"], &root()));
    let names: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names.len(), 14, "{list}");
    for name in names {
        let grade = grade(name, &key(name));
        assert_eq!(grade["version"], 1);
        assert_eq!(grade["prompt"], name);
        assert_eq!(grade["score"], 100, "{name}: {grade:#}");
        let dimensions: Vec<&str> = grade["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            dimensions,
            [
                "scalability",
                "availability",
                "latency",
                "consistency",
                "cost",
                "trade-offs"
            ]
        );
    }
}

/// A prompt's answer key: its reference design, else `practice/keys/<name>.hld`.
fn key(name: &str) -> PathBuf {
    let design = root().join(format!("designs/{name}.hld"));
    if design.exists() {
        design
    } else {
        root().join(format!("practice/keys/{name}.hld"))
    }
}

/// The key with `from` replaced by `to`, in a temporary directory.
fn flawed(name: &str, from: &str, to: &str) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(key(name)).unwrap();
    assert!(text.contains(from), "{name} holds {from:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answer.hld");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    (dir, path)
}

#[test]
fn an_oversized_fleet_loses_cost() {
    let (_dir, answer) = flawed(
        "url-shortener",
        "replicas: 4\n  capacity: 2k/s",
        "replicas: 400\n  capacity: 2k/s",
    );
    let grade = grade("url-shortener", &answer);
    let lost = failed(&grade, "cost");
    assert_eq!(lost.len(), 1, "{grade:#}");
    assert!(
        lost[0].1.contains("a month; the budget is $7400"),
        "{lost:?}"
    );
    assert!(failed(&grade, "availability").is_empty());
}

#[test]
fn a_single_database_loses_availability() {
    // The trips database without its followers: one node, on the critical path.
    let (_dir, answer) = flawed(
        "ride-hailing",
        "replication: leader_follower(mode: semi_sync, followers: 2, failover: automatic)",
        "replication: none",
    );
    let grade = grade("ride-hailing", &answer);
    let lost = failed(&grade, "availability");
    assert!(
        lost.iter().any(|(check, hint)| check == "single-failures"
            && hint.contains("`trips` failing alone takes `request_ride` down")),
        "{grade:#}"
    );
}

#[test]
fn a_cache_lost_in_front_of_the_store_only_degrades_the_reads() {
    // With the cache answering 90% of redirects, one link table node failing does not
    // take redirects down: the single-failure check holds; sharding is what fails.
    let (_dir, answer) = flawed("url-shortener", "engine: dynamodb", "engine: postgres");
    let grade = grade("url-shortener", &answer);
    assert!(
        failed(&grade, "availability")
            .iter()
            .all(|(c, _)| c != "single-failures"),
        "{grade:#}"
    );
    assert!(
        failed(&grade, "scalability")
            .iter()
            .any(|(c, _)| c == "storage"),
        "{grade:#}"
    );
}

#[test]
fn a_double_booking_loses_consistency() {
    // Read the seat, write it back as sold, with nothing to stop a second buyer between.
    let (_dir, answer) = flawed(
        "ticket-booking",
        "ops: read_modify_write, atomic: cas",
        "ops: read_modify_write",
    );
    let grade = grade("ticket-booking", &answer);
    let lost = failed(&grade, "consistency");
    assert!(
        lost.iter()
            .any(|(check, hint)| check == "no-double-booking" && hint.contains("lost-update")),
        "{grade:#}"
    );
    assert!(failed(&grade, "availability").is_empty(), "{grade:#}");
}

#[test]
fn a_consumer_that_does_not_deduplicate_loses_consistency() {
    let (_dir, answer) = flawed(
        "notification-service",
        "worker push_workers \"Push senders\" { replicas: 40, zones: 3, capacity: 2k/s, idempotent: true }",
        "worker push_workers \"Push senders\" { replicas: 40, zones: 3, capacity: 2k/s }",
    );
    let grade = grade("notification-service", &answer);
    let lost = failed(&grade, "consistency");
    assert!(
        lost.iter().any(
            |(check, hint)| check == "at-most-once" && hint.contains("non-idempotent-consumer")
        ),
        "{grade:#}"
    );
}

#[test]
fn a_hint_ladder_goes_from_the_prompt_to_the_rule() {
    let (_dir, answer) = flawed(
        "ride-hailing",
        "replication: leader_follower(mode: semi_sync, followers: 2, failover: automatic)",
        "replication: none",
    );
    let text = stdout(&hld(
        &[
            "practice",
            "grade",
            "ride-hailing",
            answer.to_str().unwrap(),
            "--hints",
            "3",
        ],
        &root(),
    ));
    assert!(text.contains("FAIL  single-failures"), "{text}");
    assert!(
        text.contains("hint: One machine, zone or region failing"),
        "{text}"
    );
    assert!(text.contains("hint: `hld what-if FILE --all`"), "{text}");
    assert!(
        text.contains("hint: `single-failure-breaks-critical-flow`:"),
        "{text}"
    );
}

#[test]
fn show_tells_the_prompt_not_the_checks_and_new_writes_a_starter_once() {
    let shown = stdout(&hld(&["practice", "show", "url-shortener"], &root()));
    assert!(
        shown.contains("Follow a short link") && shown.contains("99.9%"),
        "{shown}"
    );
    for secret in ["no_rule", "missing-cache", "hint", "over-capacity"] {
        assert!(
            !shown.contains(secret),
            "show gives away {secret}:\n{shown}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let starter = dir.path().join("mine.hld");
    let new = hld(
        &[
            "practice",
            "new",
            "url-shortener",
            "-o",
            starter.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(new.status.code(), Some(0));
    let text = std::fs::read_to_string(&starter).unwrap();
    assert!(
        text.contains("client users \"Browsers and apps\" { dau: 100M"),
        "{text}"
    );
    assert!(
        text.contains("flow redirect \"Follow a short link\" {"),
        "{text}"
    );
    let again = hld(
        &[
            "practice",
            "new",
            "url-shortener",
            "-o",
            starter.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(again.status.code(), Some(2));
    // Graded as it is, the starter fails everything and says why.
    let grade = grade("url-shortener", &starter);
    assert_eq!(grade["score"], 0, "{grade:#}");
    let unknown = hld(&["practice", "show", "url-shortner"], &root());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("url-shortener"));
}
