//! `hld.toml` and the command-line levels, on the real binary: discovery, categories
//! and names, per-file sections, `--deny warnings`, `--config`, and bad entries.

use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_hld"))
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("hld runs");
    let report = serde_json::from_slice(&output.stdout).expect("JSON report");
    (output.status.code(), report)
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// (code, severity) of every diagnostic in a file.
fn findings(report: &serde_json::Value, file_suffix: &str) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with(file_suffix))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn severity_of(report: &serde_json::Value, file: &str, code: &str) -> Option<String> {
    findings(report, file)
        .into_iter()
        .find(|(c, _)| c == code)
        .map(|(_, s)| s)
}

/// Warns `single-instance` (a lone worker), infos `no-observability`.
const DESIGN: &str = "client u\ngateway g { replicas: 2, auth: jwt, rate_limit: 1/s }\nqueue q { engine: sqs, dlq: d }\nqueue d { engine: sqs }\nworker w { idempotent: true }\nu -> g -> q { ops: write }\nq -> w\n";

#[test]
fn defaults_apply_without_a_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["a.hld"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        severity_of(&report, "a.hld", "single-instance").as_deref(),
        Some("warning")
    );
    assert_eq!(
        severity_of(&report, "a.hld", "no-observability").as_deref(),
        Some("info")
    );
}

#[test]
fn the_nearest_config_upward_applies_names_over_categories() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hld.toml",
        "[lint]\ndeny = [\"availability\"]\nallow = [\"single-instance\", \"operability\"]\nwarn = [\"missing-timeout\"]\n",
    );
    write(dir.path(), "designs/deep/a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["designs"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(
        severity_of(&report, "a.hld", "single-instance"),
        None,
        "the rule name beats its category"
    );
    assert_eq!(
        severity_of(&report, "a.hld", "no-observability"),
        None,
        "a category is allowed"
    );
    assert_eq!(
        severity_of(&report, "a.hld", "missing-timeout").as_deref(),
        Some("warning"),
        "an off rule is enabled"
    );
}

#[test]
fn per_file_sections_override_the_lint_table() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hld.toml",
        "[lint]\nallow = [\"single-instance\"]\n\n[lint.per-file]\n\"legacy/*.hld\" = { deny = [\"single-instance\"] }\n",
    );
    write(dir.path(), "legacy/old.hld", DESIGN);
    write(dir.path(), "new.hld", DESIGN);
    let (code, report) = check(dir.path(), &["legacy/old.hld", "new.hld"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        severity_of(&report, "old.hld", "single-instance").as_deref(),
        Some("error")
    );
    assert_eq!(severity_of(&report, "new.hld", "single-instance"), None);
}

#[test]
fn deny_warnings_raises_every_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["--deny", "warnings", "a.hld"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        severity_of(&report, "a.hld", "single-instance").as_deref(),
        Some("error")
    );
    assert_eq!(
        severity_of(&report, "a.hld", "no-observability").as_deref(),
        Some("info")
    );
}

#[test]
fn an_explicit_config_replaces_discovery() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hld.toml",
        "[lint]\ndeny = [\"single-instance\"]\n",
    );
    write(
        dir.path(),
        "ci/strict.toml",
        "[lint]\nallow = [\"single-instance\"]\n",
    );
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["--config", "ci/strict.toml", "a.hld"]);
    assert_eq!(
        (code, severity_of(&report, "a.hld", "single-instance")),
        (Some(0), None)
    );
}

#[test]
fn unknown_names_in_the_config_are_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "hld.toml",
        "[lint]\nallow = [\"single-instanse\"]\n",
    );
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["a.hld"]);
    assert_eq!(code, Some(1));
    let d = &findings(&report, "hld.toml");
    assert_eq!(d, &vec![("unknown-rule".to_string(), "error".to_string())]);
    let diagnostic = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-rule")
        .unwrap();
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(2), Some(10))
    );
    assert_eq!(diagnostic["help"], "did you mean `single-instance`?");
}

/// The first diagnostic reported in the hld.toml itself.
fn config_diagnostic(report: &serde_json::Value) -> &serde_json::Value {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with("hld.toml"))
        .expect("a diagnostic in hld.toml")
}

#[test]
fn a_malformed_config_is_a_syntax_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "hld.toml", "[lint]\nallow = single-instance\n");
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["a.hld"]);
    assert_eq!(code, Some(1));
    let d = config_diagnostic(&report);
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64()),
        (Some("syntax"), Some(2))
    );
}

#[test]
fn a_config_that_is_not_utf8_is_a_syntax_error_at_its_byte() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hld.toml"), b"[lint]\ndeny = [\"\xff\"]\n").unwrap();
    write(dir.path(), "a.hld", DESIGN);
    let (code, report) = check(dir.path(), &["a.hld"]);
    assert_eq!(
        code,
        Some(1),
        "a config error, not an unreadable file: {report}"
    );
    let d = config_diagnostic(&report);
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("syntax"), Some(2), Some(10))
    );
}

#[test]
fn allow_on_a_group_covers_its_members_and_unused_allows_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let design = format!(
        "{}@allow(single-instance, \"batch work\")\ngroup jobs {{\n  worker nightly {{ mode: cron }}\n}}\n@allow(caching, \"nothing to cache here\")\nservice idle {{ replicas: 2 }}\ng -> idle\n",
        DESIGN.replace(
            "worker w { idempotent: true }",
            "worker w { idempotent: true, replicas: 2 }"
        )
    );
    write(dir.path(), "a.hld", &design);
    let (_, report) = check(dir.path(), &["a.hld"]);
    let codes: Vec<String> = findings(&report, "a.hld")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert!(!codes.contains(&"single-instance".to_string()), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "unused-allow").count(),
        1,
        "{codes:?}"
    );
}

/// `two-phase-commit` (a warning) reports an error when its coordinator is a single
/// instance; a level the configuration states wins over that escalation, both ways.
#[test]
fn an_explicit_level_wins_over_a_rule_s_own_escalation() {
    const ESCALATED: &str = "client users\ngateway edge { replicas: 2, auth: jwt, rate_limit: 1k/s }\nservice orders\ndatabase payments { engine: postgres, replicas: 2, backup: true }\nusers -> edge -> orders { protocol: https }\norders -> payments { ops: write, transaction: two_phase_commit }\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.hld", ESCALATED);
    let (_, report) = check(dir.path(), &["a.hld"]);
    assert_eq!(
        severity_of(&report, "a.hld", "two-phase-commit").as_deref(),
        Some("error"),
        "without a config the escalation stands: {report}"
    );
    for (list, expected) in [
        ("warn", Some("warning")),
        ("allow", None),
        ("deny", Some("error")),
    ] {
        write(
            dir.path(),
            "hld.toml",
            &format!("[lint]\n{list} = [\"two-phase-commit\"]\n"),
        );
        let (_, report) = check(dir.path(), &["a.hld"]);
        assert_eq!(
            severity_of(&report, "a.hld", "two-phase-commit").as_deref(),
            expected,
            "`{list} = [\"two-phase-commit\"]`: {report}"
        );
    }
}
