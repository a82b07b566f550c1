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
    assert_eq!(names.len(), 20, "{list}");
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
    flawed_by(name, &[(from, to)])
}

/// The key with each `(from, to)` replaced in turn, in a temporary directory.
fn flawed_by(name: &str, edits: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let mut text = std::fs::read_to_string(key(name)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{name} holds {from:?}");
        text = text.replacen(from, to, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answer.hld");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// Grades `name`'s key with `edits` and asserts that `dimension` lost check `check`
/// with a hint ladder that says `hint`.
fn loses(name: &str, edits: &[(&str, &str)], dimension: &str, check: &str, hint: &str) {
    let (_dir, answer) = flawed_by(name, edits);
    let grade = grade(name, &answer);
    assert!(grade["score"].as_u64().unwrap() < 100, "{name}: {grade:#}");
    let lost = failed(&grade, dimension);
    assert!(
        lost.iter().any(|(c, h)| c == check && h.contains(hint)),
        "{name}: {dimension}/{check} with {hint:?}: {lost:?}"
    );
}

#[test]
fn each_interview_prompt_loses_the_right_dimension_for_its_classic_flaw() {
    // Instagram without the timeline cache: every feed page reads the posts of everyone
    // followed (200 a page) from the store. A missing cache on a read-heavy prompt.
    let no_cache = [
        (
            "feed -> timelines { ops: read, query: point, key: user_id, timeout: 50ms }\nfeed -> posts { ops: read, query: point, key: author_id, timeout: 100ms, label: \"timeline misses\" }",
            "feed -> posts { ops: read, ratio: 20000%, query: point, key: author_id, timeout: 100ms }",
        ),
        (
            "  users -> front -> api_gw -> feed -> timelines\n  feed -> posts\n",
            "  users -> front -> api_gw -> feed -> posts\n",
        ),
    ];
    loses(
        "instagram",
        &no_cache,
        "scalability",
        "read-path",
        "with no cache in front",
    );
    loses(
        "instagram",
        &no_cache,
        "scalability",
        "capacity",
        "over-capacity",
    );
    // A key-value store on one copy: a node failing takes gets down.
    let one_copy = [(
        "replication: leaderless(n: 3, w: 2, r: 2)",
        "replication: none",
    )];
    loses(
        "key-value-store",
        &one_copy,
        "availability",
        "single-failures",
        "failing alone takes `get` down",
    );
    // Payments retried without an idempotency key: a card charged twice.
    let retried = [(
        "  retry: exponential(attempts: 2, base: 200ms, jitter: true)\n  idempotent: true\n",
        "  retry: exponential(attempts: 2, base: 200ms, jitter: true)\n",
    )];
    loses(
        "payment-system",
        &retried,
        "consistency",
        "charge-once",
        "retry-non-idempotent",
    );
    // Metrics written straight to one unsharded store.
    let unsharded = [
        ("  shards: 64\n", ""),
        (
            "batches -> writers\n",
            "intake -> writers { timeout: 600ms }\n",
        ),
        (
            "  batches -> writers -> tsdb\n",
            "  intake -> writers -> tsdb\n",
        ),
    ];
    loses(
        "metrics-monitoring",
        &unsharded,
        "scalability",
        "storage",
        "needs-sharding",
    );
    // The editor's operation log on a single database.
    let single = [(
        "replication: leader_follower(mode: semi_sync, followers: 2, failover: automatic)",
        "replication: none",
    )];
    loses(
        "collaborative-editor",
        &single,
        "availability",
        "single-failures",
        "failing alone takes `edit` down",
    );
    // Job runners that run a redelivered job again.
    let repeat = [(
        "worker runners \"Job runners\" { replicas: 45, zones: 3, capacity: 1k/s, idempotent: true }",
        "worker runners \"Job runners\" { replicas: 45, zones: 3, capacity: 1k/s }",
    )];
    loses(
        "job-scheduler",
        &repeat,
        "consistency",
        "harmless-duplicates",
        "non-idempotent-consumer",
    );
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
        lost[0]
            .1
            .contains("at list prices; the budget is $7.4k/month"),
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

#[test]
fn each_case_study_loses_the_right_dimension_for_its_classic_flaw() {
    // No CDN and no cache: every paste body is read from the bucket through the API.
    loses(
        "pastebin",
        &[
            (
                "readers -> edge { protocol: https }",
                "readers -> front { protocol: https }",
            ),
            (
                "api -> bodies { ops: write, ratio: 5%,",
                "api -> bodies { ops: read, query: point, timeout: 500ms }\napi -> bodies { ops: write, ratio: 5%,",
            ),
            (
                "  readers -> edge\n  // The cdn answers bodies it holds and fetches the rest from S3; the page's\n  // metadata comes from the API.\n  edge -> bodies { ratio: 70% }\n  edge -> front { ratio: 30% }\n  front -> api_gw -> api -> meta { ops: read }",
                "  readers -> front -> api_gw -> api -> meta { ops: read }\n  api -> bodies { ops: read }",
            ),
        ],
        "scalability",
        "read-path",
        "missing-cache: `api` reads `bodies`",
    );
    // Fan-out on read without the feed cache: every page reads the posts of 200 authors.
    loses(
        "news-feed",
        &[
            (
                "feed -> feeds { ops: read, query: point, timeout: 50ms, label: \"one user's sorted set\" }\n",
                "",
            ),
            (
                "  readers -> front -> api_gw -> feed -> feeds\n  feed -> posts { ratio: 10% }",
                "  readers -> front -> api_gw -> feed -> posts",
            ),
            (
                "  ratio: 10%\n  query: point",
                "  ratio: 20000%\n  query: point",
            ),
        ],
        "scalability",
        "read-path",
        "missing-cache: `feed` reads `posts`",
    );
    // Messages split by time: every new message lands on the newest partition.
    loses(
        "chat",
        &[(
            "partitioning: consistent_hash(key: conversation_id, vnodes: 256)",
            "partitioning: range(key: sent_at)",
        )],
        "scalability",
        "hot-keys",
        "hot-partition-key: `messages` is range-partitioned on `sent_at`",
    );
    // Every counter on one unsharded Redis.
    loses(
        "rate-limiter",
        &[("  shards: 16\n", "")],
        "scalability",
        "capacity",
        "over-capacity: `counters`",
    );
    // Every keystroke reaches the table: no CDN, no prefix cache.
    loses(
        "typeahead",
        &[
            (
                "users -> edge { protocol: https }\nedge -> front { protocol: https, ratio: 40% }",
                "users -> front { protocol: https }",
            ),
            (
                "  users -> edge\n  edge -> front { ratio: 40% }\n  front -> api_gw -> suggest -> prefixes\n  suggest -> tries { ratio: 20% }",
                "  users -> front -> api_gw -> suggest -> tries",
            ),
            (
                "suggest -> prefixes { ops: read, query: point, timeout: 10ms, label: \"by prefix\" }\nsuggest -> tries { ops: read, ratio: 20%,",
                "suggest -> tries { ops: read,",
            ),
        ],
        "scalability",
        "read-path",
        "missing-cache: `suggest` reads `tries`",
    );
    // The geo index on one node, without followers.
    loses(
        "nearby-places",
        &[(
            "  replication: leader_follower(mode: semi_sync, followers: 4, failover: automatic)\n  read_from: followers\n",
            "",
        )],
        "availability",
        "update_place-availability",
        "flow `update_place` succeeds",
    );
    // Segments served from the bucket, without a CDN.
    loses(
        "video-streaming",
        &[
            (
                "viewers -> edge { protocol: https, bitrate: 4Mbps }",
                "viewers -> segments { ops: read, protocol: https, bitrate: 4Mbps, response: 1MB, auth: presigned }\nviewers -> front { protocol: https, ratio: 5% }",
            ),
            (
                "  viewers -> edge\n  // Segments the cdn does not hold come from the origin bucket; the page's metadata\n  // from the API.\n  edge -> segments { ratio: 5% }\n  edge -> front { ratio: 5% }\n  front -> api_gw",
                "  viewers -> segments\n  viewers -> front -> api_gw",
            ),
        ],
        "scalability",
        "read-path",
        "missing-cache: `viewers` reads `segments`",
    );
    // The change journal split by time.
    loses(
        "file-sync",
        &[(
            "partitioning: hash(key: namespace_id)\n  replication",
            "partitioning: range(key: changed_at)\n  replication",
        )],
        "scalability",
        "hot-keys",
        "hot-partition-key: `metadata` is range-partitioned on `changed_at`",
    );
    // The URL table on one node.
    loses(
        "web-crawler",
        &[(
            "  shards: 128\n  partitioning: consistent_hash(key: url_hash, vnodes: 256)\n",
            "",
        )],
        "scalability",
        "storage",
        "needs-sharding: `urls` is not sharded",
    );
    // The sorted sets on one Redis node, without a follower.
    loses(
        "live-leaderboard",
        &[(
            "  replication: leader_follower(mode: async, followers: 1, failover: automatic)\n",
            "",
        )],
        "availability",
        "watch_board-availability",
        "flow `watch_board` succeeds",
    );
}
