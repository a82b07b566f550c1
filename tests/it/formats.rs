//! `hld check --format sarif|github|gitlab`, `hld rules`, `hld explain`: the real binary.

use crate::common::{hld, stdout};

use std::path::Path;

/// A design with an error, a warning and an info finding, and a compile warning-free body.
const DESIGN: &str = "client users\nservice api { auth: jwt, rate_limit: 10/s }\ndatabase db { engine: postgres, replicas: 2 }\nusers -> api { protocol: https }\napi -> db\n";

fn sarif(dir: &Path) -> serde_json::Value {
    std::fs::write(dir.join("shop.hld"), DESIGN).unwrap();
    let output = hld(&["check", "--format", "sarif", "shop.hld"], dir);
    assert_eq!(
        output.status.code(),
        Some(1),
        "single-point-of-failure is an error"
    );
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = tempfile::tempdir().unwrap();
    let log = sarif(dir.path());
    let text = std::fs::read_to_string("tests/schemas/sarif-2.1.0-rtm.5.json").unwrap();
    // The schema's `run.language` pattern has a stray `]` (an erratum of rtm.5) that
    // the validator rejects as a regex; that one pattern is corrected here, in memory.
    let text = text.replace(
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(
        !validator.is_valid(&broken),
        "the validator does reject a wrong log"
    );
}

/// Every compile code is described, so each result's `ruleIndex` resolves: a flow step
/// no link joins (`unknown-link`) had no description before the codes became one list.
#[test]
fn sarif_describes_every_compile_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flow.hld"),
        "client u { rate: 1/s }\nservice a\nservice b\nu -> a\nflow f { u -> a -> b }\n",
    )
    .unwrap();
    let output = hld(&["check", "--format", "sarif", "flow.hld"], dir.path());
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for (code, _) in hld::diagnostics::code::ALL {
        assert!(
            rules.iter().any(|r| r["id"] == *code),
            "{code} is described"
        );
    }
    let results = run["results"].as_array().unwrap();
    let unknown_link = results
        .iter()
        .find(|r| r["ruleId"] == "unknown-link")
        .expect("the step is reported");
    let index = unknown_link["ruleIndex"].as_u64().expect("it resolves") as usize;
    assert_eq!(rules[index]["id"], "unknown-link");
}

#[test]
fn sarif_describes_rules_and_locates_results() {
    let dir = tempfile::tempdir().unwrap();
    let log = sarif(dir.path());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let spof = rules
        .iter()
        .find(|r| r["id"] == "single-point-of-failure")
        .expect("rules are described");
    assert!(
        spof["help"]["text"]
            .as_str()
            .unwrap()
            .contains("Why it matters")
    );
    let results = run["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "single-point-of-failure")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "single-point-of-failure"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "shop.hld");
    assert_eq!(
        (
            location["region"]["startLine"].as_u64(),
            location["region"]["startColumn"].as_u64()
        ),
        (Some(2), Some(9))
    );
    let info = results.iter().find(|r| r["ruleId"] == "no-backup").unwrap();
    assert_eq!(info["level"], "note");
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("my designs")).unwrap();
    std::fs::write(dir.path().join("my designs/shop #1.hld"), DESIGN).unwrap();
    let output = hld(&["check", "--format", "sarif", "my designs"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let uri = &report["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "my%20designs/shop%20%231.hld");
}

#[test]
fn github_format_prints_escaped_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shop.hld"), DESIGN).unwrap();
    let output = hld(&["check", "--format", "github", "shop.hld"], dir.path());
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|l| l.contains("single-point-of-failure"))
        .expect("a line per finding");
    assert!(line.starts_with("::error file=shop.hld,line=2,col=9,endLine=2,endColumn=12,title=hld single-point-of-failure::"), "{line}");
    assert!(
        line.contains("%0Ahelp: "),
        "the help follows on an escaped new line: {line}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::notice ") && l.contains("no-backup"))
    );
    assert!(
        text.lines().all(|l| l.starts_with("::")),
        "one command per line: {text}"
    );
}

#[test]
fn gitlab_format_is_a_code_quality_report_with_unique_stable_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    // Two identical findings (two databases without backups at the same place would
    // differ by element; a second copy of the file differs by path).
    std::fs::write(dir.path().join("shop.hld"), DESIGN).unwrap();
    std::fs::write(dir.path().join("copy.hld"), DESIGN).unwrap();
    let report = |dir: &Path| -> Vec<serde_json::Value> {
        let output = hld(&["check", "--format", "gitlab", "."], dir);
        assert_eq!(output.status.code(), Some(1), "the exit code is check's");
        serde_json::from_slice(&output.stdout).expect("a JSON array")
    };
    let issues = report(dir.path());
    let spof = issues
        .iter()
        .find(|i| {
            i["check_name"] == "single-point-of-failure" && i["location"]["path"] == "shop.hld"
        })
        .expect("an issue per finding");
    assert_eq!(spof["type"], "issue");
    assert_eq!(spof["severity"], "major", "errors are major");
    assert_eq!(spof["location"]["lines"]["begin"], 2);
    assert!(spof["description"].as_str().unwrap().contains(". Fix: "));
    let info = issues
        .iter()
        .find(|i| i["check_name"] == "no-backup")
        .unwrap();
    assert_eq!(info["severity"], "info");
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let count = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count, "each fingerprint is unique");
    // A line added above moves the findings, not their fingerprints.
    std::fs::write(dir.path().join("shop.hld"), format!("// moved\n{DESIGN}")).unwrap();
    let moved = report(dir.path());
    let fingerprint = |issues: &[serde_json::Value], code: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == code && i["location"]["path"] == "shop.hld")
            .map(|i| i["fingerprint"].clone())
    };
    assert_eq!(
        fingerprint(&moved, "single-point-of-failure"),
        fingerprint(&issues, "single-point-of-failure")
    );
}

#[test]
fn rules_lists_every_rule_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let table = stdout(&hld(&["rules"], dir.path()));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("single-point-of-failure ")
                && l.contains("availability")
                && l.contains("error"))
    );
    let json: serde_json::Value =
        serde_json::from_slice(&hld(&["rules", "--format", "json"], dir.path()).stdout).unwrap();
    assert_eq!(
        json.as_array().unwrap().len(),
        hld::analysis::rules::ALL.len()
    );
    let markdown = stdout(&hld(&["rules", "--format", "markdown"], dir.path()));
    assert_eq!(markdown, hld::analysis::explain::reference());
}

#[test]
fn explain_teaches_the_trade_off_with_both_examples() {
    let dir = tempfile::tempdir().unwrap();
    let output = hld(&["explain", "modulo-sharding"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for section in [
        "What it finds",
        "Why it matters",
        "Bad",
        "Good",
        "Further reading",
    ] {
        assert!(
            text.contains(&format!("\n{section}\n")),
            "{section} in {text}"
        );
    }
    assert!(
        text.contains("partitioning: modulo(key: code)")
            && text.contains("consistent_hash(key: code, vnodes: 256)")
    );
    assert!(!text.contains("// expect:"), "test markers are not shown");
    let unknown = hld(&["explain", "modulo-shardin"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `modulo-sharding`?"));
}
