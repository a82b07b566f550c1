//! The real `hld` binary on real files: exit codes, output formats, paths, fmt.

mod common;

use common::{hld, stdout};

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn hld_stdin(args: &[&str], dir: &Path, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hld runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CLEAN: &str = "design \"Clean\" { observability: [metrics] }\nclient u\ngateway g { replicas: 2, auth: jwt, rate_limit: 100/s }\nservice api { replicas: 2 }\nu -> g -> api { protocol: https }\n";

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("check --format json prints JSON")
}

#[test]
fn check_passes_a_good_design_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.hld", CLEAN);
    let output = hld(&["check", "ok.hld"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stdout(&output),
        "1 file checked: 0 errors, 0 warnings, 0 infos\n"
    );
}

#[test]
fn check_reports_errors_with_exit_1_and_goes_on_with_other_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.hld", "servce api\n");
    write(dir.path(), "b.hld", "service api { replicas: two }\n");
    let output = hld(&["check", "a.hld", "b.hld"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("unknown-kind") && text.contains("a.hld:1:1"),
        "{text}"
    );
    assert!(
        text.contains("invalid-value") && text.contains("b.hld:1:25"),
        "{text}"
    );
    assert!(
        text.ends_with("2 files checked: 2 errors, 0 warnings, 0 infos\n"),
        "{text}"
    );
}

#[test]
fn check_json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "d.hld",
        "service api\napi -> dbb\ndatabase db\n",
    );
    let output = hld(&["check", "--format", "json", "d.hld"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["files"], 1);
    assert_eq!(report["summary"]["errors"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "unknown-component");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "d.hld");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(8))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(d["message"], "no component is called `dbb`");
    assert_eq!(d["help"], "did you mean `db`?");
    assert!(d["related"].is_array());
}

#[test]
fn check_searches_directories_recursively_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "designs/z.hld", "servce z\n");
    write(dir.path(), "designs/nested/a.hld", "servce a\n");
    write(dir.path(), "designs/notes.txt", "not a design");
    let output = hld(&["check", "--format", "json", "designs"], dir.path());
    let report = json(&output);
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["designs/nested/a.hld", "designs/z.hld"]);
}

#[test]
fn check_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let output = hld_stdin(
        &["check", "-"],
        dir.path(),
        b"service api { replicas: 0 }\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("-:1:25"), "{}", stdout(&output));
}

#[test]
fn an_unopenable_path_is_io_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.hld", "service api\n");
    let output = hld(
        &["check", "--format", "json", "missing.hld", "ok.hld"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["diagnostics"][0]["code"], "io");
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn invalid_utf8_is_a_syntax_error_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.hld"), b"service \xc3\x28 api\n").unwrap();
    let output = hld(&["check", "--format", "json", "bad.hld"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let d = &json(&output)["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["column"].as_u64()),
        (Some("syntax"), Some(9))
    );
}

#[test]
fn quiet_leaves_out_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.hld", CLEAN);
    let output = hld(&["check", "--quiet", "ok.hld"], dir.path());
    assert_eq!(
        (output.status.code(), stdout(&output)),
        (Some(0), String::new())
    );
}

#[test]
fn a_file_imported_by_two_designs_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib/common.hld", "servce shared\n");
    write(dir.path(), "a.hld", "import \"lib/common.hld\"\n");
    write(dir.path(), "b.hld", "import \"lib/common.hld\"\n");
    let output = hld(&["check", "--format", "json", "a.hld", "b.hld"], dir.path());
    let report = json(&output);
    assert_eq!(report["summary"]["errors"], 1, "{report}");
    assert_eq!(report["summary"]["files"], 3);
}

#[test]
fn deep_nesting_and_huge_labels_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 2000;
    let nested = format!(
        "{}service deep\n{}",
        "group g { ".repeat(depth).replace("g {", "g_ {"),
        "}\n".repeat(depth)
    );
    let nested = (0..depth).fold(nested, |text, i| {
        text.replacen("g_ {", &format!("g{i} {{"), 1)
    });
    write(dir.path(), "deep.hld", &nested);
    write(
        dir.path(),
        "label.hld",
        &format!("service api \"{}\"\n", "é".repeat(100_000)),
    );
    let output = hld(&["check", "deep.hld", "label.hld"], dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    let too_deep = "group g {".repeat(20_000);
    write(dir.path(), "too-deep.hld", &too_deep);
    let output = hld(&["check", "--format", "json", "too-deep.hld"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        json(&output)["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("levels deep")
    );
}

#[test]
fn fmt_check_lists_unformatted_files_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "messy.hld", "service   api{replicas:2}\n");
    write(dir.path(), "tidy.hld", "service api { replicas: 2 }\n");
    let output = hld(&["fmt", "--check", "."], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "would reformat ./messy.hld\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("messy.hld")).unwrap(),
        "service   api{replicas:2}\n"
    );
}

#[test]
fn fmt_rewrites_files_in_place() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "messy.hld", "service   api{replicas:2}\n");
    let output = hld(&["fmt", "messy.hld"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("messy.hld")).unwrap(),
        "service api { replicas: 2 }\n"
    );
    assert_eq!(
        hld(&["fmt", "--check", "messy.hld"], dir.path())
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn fmt_refuses_a_file_that_does_not_parse_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "broken.hld", "service api {\n");
    let output = hld(&["fmt", "broken.hld"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("syntax"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("broken.hld")).unwrap(),
        "service api {\n"
    );
}

#[test]
fn fmt_formats_stdin_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let output = hld_stdin(&["fmt", "-"], dir.path(), b"a->b\nservice a\nservice b");
    assert_eq!(stdout(&output), "a -> b\nservice a\nservice b\n");
}

#[test]
fn bad_usage_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        hld(&["check", "--format", "yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(hld(&["frobnicate"], dir.path()).status.code(), Some(2));
}

#[test]
fn the_good_rule_examples_and_the_annotations_example_check_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = vec![
        "check".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ];
    let mut goods: Vec<String> = std::fs::read_dir(root.join("examples/rules"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".good.hld"))
        .collect();
    goods.sort();
    assert!(goods.len() >= 50);
    args.extend(goods);
    args.push(
        root.join("examples/language/annotations.hld")
            .display()
            .to_string(),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = hld(&args, root);
    let report = json(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert_eq!(
        (
            report["summary"]["errors"].as_u64(),
            report["summary"]["warnings"].as_u64()
        ),
        (Some(0), Some(0)),
        "{report}"
    );
}

#[test]
fn the_reference_designs_check_clean_are_formatted_and_estimate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = hld(&["check", "--format", "json", "designs"], root);
    let report = json(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert_eq!(report["summary"]["files"], 12, "the twelve case studies");
    let noisy: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
    assert_eq!(
        hld(&["fmt", "--check", "designs"], root).status.code(),
        Some(0)
    );
    for entry in std::fs::read_dir(root.join("designs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "hld") {
            let output = hld(
                &["estimate", "--format", "json", path.to_str().unwrap()],
                root,
            );
            assert_eq!(output.status.code(), Some(0), "{path:?}");
            let estimate: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let loaded = estimate["components"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["peak"].as_f64().is_some_and(|p| p > 0.0));
            assert!(loaded, "{path:?} states load figures");
        }
    }
}
