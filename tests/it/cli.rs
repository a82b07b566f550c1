//! The real `hld` binary on real files: exit codes, output formats, paths, fmt.

use crate::common::{hld, stdout};

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

/// A chain of `n` synchronous calls from a client.
fn chain_of_calls(n: usize) -> String {
    let mut text = String::from("client c { dau: 1M, requests: 10/day }\nc -> s0\n");
    for i in 0..n {
        text.push_str(&format!("service s{i}\n"));
    }
    for i in 1..n {
        text.push_str(&format!("s{} -> s{i}\n", i - 1));
    }
    text
}

/// The rules walk chains of calls (cycles of synchronous calls, paths) recursively and
/// run on rayon's workers: a chain of 20,000 is linted on the stacks they grow, in
/// this process (whose workers keep rayon's 2 MB stacks, which it overflowed before)
/// and by the binary (whose workers have 16 MB).
#[test]
fn a_long_chain_of_calls_is_checked_without_overflowing_the_stack() {
    let text = chain_of_calls(20_000);
    let mut compilation = hld::compile("chain.hld", text.clone().into_bytes());
    hld::Lint::lint(&mut compilation, Default::default());
    assert!(
        compilation
            .diagnostics
            .iter()
            .any(|d| d.code == "single-point-of-failure")
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "chain.hld", &text);
    let output = hld(&["check", "--format", "json", "chain.hld"], dir.path());
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(json(&output)["summary"]["warnings"].as_u64().unwrap() > 0);
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
            // Every design walks its main requests as flows and teaches a failure.
            let output = hld(
                &["what-if", "--format", "json", path.to_str().unwrap()],
                root,
            );
            assert_eq!(output.status.code(), Some(0), "{path:?}");
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let scenarios = report["scenarios"].as_array().unwrap();
            assert!(!scenarios.is_empty(), "{path:?} declares a scenario");
            for scenario in scenarios {
                let outcomes = scenario["outcomes"].as_array().unwrap();
                assert!(
                    !outcomes.is_empty() && outcomes.iter().all(|o| o["flow"].is_string()),
                    "{path:?}: every client's requests are in flows: {scenario}"
                );
            }
        }
    }
}

/// The figures a design's `// Estimates` header states: rates (`463k/s`, `40/day`),
/// sizes (`1.08 PB`), percentages and durations in milliseconds.
fn header_figures(design: &str) -> Vec<String> {
    let header: String = design
        .lines()
        .skip_while(|l| !l.starts_with("// Estimates"))
        .take_while(|l| l.starts_with("//"))
        .map(|l| l.trim_start_matches('/'))
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = header
        .split(|c: char| c.is_whitespace() || "();,≈".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let numeric = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    let mut figures = Vec::new();
    for (index, word) in words.iter().enumerate() {
        let word = word.trim_end_matches(['.', ':']);
        if !numeric(word) {
            continue;
        }
        let next = words.get(index + 1).map(|w| w.trim_end_matches(['.', ':']));
        if word.ends_with("/s") || word.ends_with("/day") || word.ends_with('%') {
            figures.push(word.to_string());
        } else if let Some(unit @ ("B" | "KB" | "MB" | "GB" | "TB" | "PB" | "ms")) = next {
            figures.push(format!("{word} {unit}"));
        }
    }
    figures
}

#[test]
fn every_design_s_header_states_what_hld_estimate_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(root.join("designs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "hld") {
            continue;
        }
        let design = std::fs::read_to_string(&path).unwrap();
        let figures = header_figures(&design);
        assert!(
            figures.len() >= 3,
            "{path:?} states its estimates: {figures:?}"
        );
        let printed = stdout(&hld(
            &["estimate", "--explain", path.to_str().unwrap()],
            root,
        ));
        // The estimate writes `90d` and `5ms` where prose writes `90 d`, `5 ms`.
        let printed_compact = printed.replace(" ms", "ms");
        let missing: Vec<&String> = figures
            .iter()
            .filter(|f| {
                !printed.contains(f.as_str()) && !printed_compact.contains(&f.replace(" ms", "ms"))
            })
            .collect();
        if !missing.is_empty() {
            wrong.push(format!("{}: {missing:?}", path.display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "headers state figures `hld estimate --explain` does not print:\n{}",
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------------------------
// Hardening: no crash on any input, no output over an input, no hang on special files.

/// Ended by itself with one of hld's exit codes: no panic (101), no signal.
fn assert_no_crash(output: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0..=2)) && !stderr.contains("panicked"),
        "{what}: {:?}\n{stderr}",
        output.status
    );
}

/// Every command that reads a design, on one file.
fn every_command(dir: &Path, file: &str) -> Vec<(String, Output)> {
    let commands: [&[&str]; 8] = [
        &["check", file],
        &["check", "--format", "json", file],
        &["check", "--format", "sarif", file],
        &["estimate", file],
        &["estimate", "--explain", "--format", "markdown", file],
        &["what-if", "--format", "json", file],
        &["render", file, "-o", "out.svg"],
        &["fmt", "--check", file],
    ];
    commands
        .iter()
        .map(|args| (args.join(" "), hld(args, dir)))
        .collect()
}

#[test]
fn a_diagnostic_past_column_65535_is_shown_in_a_window() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "x.hld",
        &format!("{}service a {{ ttl: 5min }}\n", " ".repeat(65_536)),
    );
    for (what, output) in every_command(dir.path(), "x.hld") {
        assert_no_crash(&output, &what);
    }
    let output = hld(&["check", "x.hld"], dir.path());
    let text = stdout(&output);
    assert!(text.contains("x.hld:1:65549"), "{text}");
    assert!(text.contains("line 1 of x.hld is long: columns"), "{text}");
    assert!(text.len() < 4_000, "{} bytes", text.len());
}

#[test]
fn huge_ids_and_long_paths_fit_the_estimate_table() {
    let dir = tempfile::tempdir().unwrap();
    let long_id = "a".repeat(70_000);
    write(
        dir.path(),
        "wide.hld",
        &format!("client u\nservice {long_id}\nu -> {long_id}\n"),
    );
    let hops = (0..10_000).map(|i| format!("s{i}")).collect::<Vec<_>>();
    let chain = format!(
        "client u\n{}\nu -> {}\n",
        hops.iter()
            .map(|h| format!("service {h}"))
            .collect::<Vec<_>>()
            .join("\n"),
        hops.join(" -> ")
    );
    write(dir.path(), "long.hld", &chain);
    for file in ["wide.hld", "long.hld"] {
        let output = hld(&["estimate", file], dir.path());
        assert_no_crash(&output, file);
        assert_eq!(output.status.code(), Some(0), "{file}");
        let widest = stdout(&output)
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap();
        assert!(widest < 800, "{file}: a line of {widest} characters");
    }
}

#[test]
fn brackets_inside_comments_do_not_escape_the_nesting_limit() {
    let dir = tempfile::tempdir().unwrap();
    let deep = "[".repeat(100_000);
    for (name, prefix) in [("line.hld", "/* // */"), ("quote.hld", "/* \" */")] {
        write(
            dir.path(),
            name,
            &format!("{prefix} service a {{ x: {deep} }}\n"),
        );
        for (what, output) in every_command(dir.path(), name) {
            assert_no_crash(&output, &what);
        }
        let output = hld(&["check", name], dir.path());
        assert_eq!(output.status.code(), Some(1));
        assert!(stdout(&output).contains("nests blocks more than 10000 levels"));
    }
}

#[test]
fn a_reader_that_leaves_ends_the_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let mut many = String::new();
    for i in 0..2_000 {
        many.push_str(&format!("service s{i}\n"));
    }
    write(dir.path(), "many.hld", &many);
    let commands: [&[&str]; 5] = [
        &["rules"],
        &["explain", "single-zone"],
        &["check", "many.hld"],
        &["estimate", "many.hld"],
        &["fmt", "-"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hld"))
            .args(args)
            .current_dir(dir.path())
            .stdin(std::fs::File::open(dir.path().join("many.hld")).unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader takes one byte and leaves, as `head -c1` does.
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_no_crash(&output, &args.join(" "));
        assert!(
            output.stderr.is_empty(),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(hld(&["rules"], dir.path()).status.code(), Some(0));
}

#[test]
fn fmt_keeps_comments_apart_from_the_code_after_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.hld",
        "service a // c\n/* x\ny */ \"Label\"\n",
    );
    write(
        dir.path(),
        "b.hld",
        "client a\nservice b\nservice c\na -> // one\nb -> /*\nservice injected\n// */ c\n",
    );
    // The components and links a file declares, as `hld estimate` sees them.
    let design = |file: &str| {
        let output = hld(&["estimate", "--format", "json", file], dir.path());
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (report["components"].clone(), report["links"].clone())
    };
    for file in ["a.hld", "b.hld"] {
        let before = design(file);
        assert_eq!(hld(&["fmt", file], dir.path()).status.code(), Some(0));
        let formatted = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert_eq!(design(file), before, "{file}:\n{formatted}");
        assert_eq!(
            hld(&["fmt", "--check", file], dir.path()).status.code(),
            Some(0),
            "{formatted}"
        );
    }
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d.hld", CLEAN);
    write(dir.path(), "design.svg", CLEAN);
    write(dir.path(), "lib.hld", "service extra\n");
    write(dir.path(), "main.hld", "import \"lib.hld\"\nservice a\n");
    std::os::unix::fs::symlink("d.hld", dir.path().join("link.svg")).unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["render", "d.hld", "-o", "d.hld"], "d.hld"),
        (&["render", "design.svg"], "design.svg"),
        (&["render", "d.hld", "-o", "link.svg"], "d.hld"),
        (&["render", "main.hld", "-o", "lib.hld"], "lib.hld"),
    ];
    let watch: [(&[&str], &str); 1] = [(&["watch", "d.hld", "-o", "d.hld"], "d.hld")];
    for (args, input) in cases.into_iter().chain(watch) {
        let before = std::fs::read(dir.path().join(input)).unwrap();
        let output = hld_within(args, dir.path(), 20);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("an input of the design"), "{stderr}");
        assert_eq!(
            std::fs::read(dir.path().join(input)).unwrap(),
            before,
            "{args:?}"
        );
    }
}

#[test]
fn writes_go_through_symlinks_and_keep_hard_links_and_modes() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    write(dir.path(), "d.hld", CLEAN);
    write(dir.path(), "real.svg", "old");
    std::fs::set_permissions(path("real.svg"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("real.svg", path("link.svg")).unwrap();
    std::fs::hard_link(path("real.svg"), path("hard.svg")).unwrap();
    let output = hld(&["render", "d.hld", "-o", "link.svg"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        std::fs::symlink_metadata(path("link.svg"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let svg = std::fs::read_to_string(path("hard.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "the hard link sees the drawing");
    let metadata = std::fs::metadata(path("real.svg")).unwrap();
    assert_eq!(metadata.mode() & 0o777, 0o640);
    assert_eq!(metadata.nlink(), 2);
    // fmt through a symlinked design formats its target.
    write(dir.path(), "target.hld", "service   a\n");
    std::os::unix::fs::symlink("target.hld", path("design.hld")).unwrap();
    assert_eq!(
        hld(&["fmt", "design.hld"], dir.path()).status.code(),
        Some(0)
    );
    assert!(
        std::fs::symlink_metadata(path("design.hld"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(path("target.hld")).unwrap(),
        "service a\n"
    );
}

/// As another user, a file that user may not write is not replaced, though the
/// directory would let a rename do it. Run as root here (CI), hld drops to `nobody`.
#[test]
fn a_file_the_user_may_not_write_is_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    write(dir.path(), "d.hld", CLEAN);
    write(dir.path(), "out.svg", "theirs");
    std::fs::set_permissions(
        dir.path().join("out.svg"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    std::fs::set_permissions(
        dir.path().join("d.hld"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let root = std::process::Command::new("id").arg("-u").output().unwrap();
    let mut command = if String::from_utf8_lossy(&root.stdout).trim() == "0" {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_hld"));
        c
    } else {
        std::fs::set_permissions(
            dir.path().join("out.svg"),
            std::fs::Permissions::from_mode(0o444),
        )
        .unwrap();
        Command::new(env!("CARGO_BIN_EXE_hld"))
    };
    let output = command
        .args(["render", "d.hld", "-o", "out.svg"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("permission denied"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.svg")).unwrap(),
        "theirs"
    );
}

/// Runs hld with a deadline: a hang is a failure, not a stuck test.
fn hld_within(args: &[&str], dir: &Path, seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("hld {args:?} still runs after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn special_files_and_huge_files_are_refused_with_io() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = |name: &str| {
        let status = Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(status.success());
    };
    fifo("pipe.hld");
    std::fs::create_dir(dir.path().join("tree")).unwrap();
    fifo("tree/pipe.hld");
    write(
        dir.path(),
        "imports-pipe.hld",
        "import \"pipe.hld\"\nservice a\n",
    );
    write(
        dir.path(),
        "imports-zero.hld",
        "import \"/dev/zero\"\nservice a\n",
    );
    let big = std::fs::File::create(dir.path().join("big.hld")).unwrap();
    big.set_len(65 << 20).unwrap();
    for (file, expected) in [
        ("pipe.hld", "not a regular file"),
        ("tree", "not a regular file"),
        ("imports-pipe.hld", "not a regular file"),
        ("imports-zero.hld", "not a regular file"),
        ("big.hld", "larger than 64 MiB"),
    ] {
        let output = hld_within(&["check", "--format", "json", file], dir.path(), 20);
        assert_eq!(output.status.code(), Some(2), "{file}: {output:?}");
        let report = json(&output);
        let io = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "io")
            .unwrap_or_else(|| panic!("{file}: {report}"));
        assert!(
            io["message"].as_str().unwrap().contains(expected),
            "{file}: {io}"
        );
    }
    for args in [
        &["render", "pipe.hld"][..],
        &["fmt", "pipe.hld"],
        &["estimate", "pipe.hld"],
    ] {
        assert_eq!(
            hld_within(args, dir.path(), 20).status.code(),
            Some(2),
            "{args:?}"
        );
    }
}

#[test]
fn control_characters_in_source_lines_are_not_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.hld",
        "service a \"\x1b[2J\x07bell\" { ttl: 5min }\n",
    );
    let output = hld(&["check", "c.hld"], dir.path());
    let text = stdout(&output);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("\u{241b}[2J\u{2407}bell"), "{text}");
}

#[test]
fn fmt_reports_bad_utf8_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.hld"), b"service a\nservice \xff\n").unwrap();
    let output = hld(&["fmt", "b.hld"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("b.hld:2:9"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
}

#[test]
fn one_finding_with_thousands_of_related_spans_stays_short() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2_000;
    let mut text = String::from("design \"Cycle\"\n");
    for i in 0..n {
        text.push_str(&format!("service s{i} {{ replicas: 2 }}\n"));
    }
    for i in 0..n {
        text.push_str(&format!("s{i} -> s{} {{ timeout: 1s }}\n", (i + 1) % n));
    }
    write(dir.path(), "cycle.hld", &text);
    let output = hld(&["check", "cycle.hld"], dir.path());
    let text = stdout(&output);
    assert!(
        text.contains("sync-cycle"),
        "{}",
        &text[..text.len().min(2_000)]
    );
    assert!(
        text.contains("more related locations not shown"),
        "{}",
        &text[..2_000]
    );
}

#[test]
fn fmt_of_deep_nesting_stays_the_size_of_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 9_999;
    let text: String = (0..depth)
        .map(|i| format!("group g{i} {{\n"))
        .collect::<String>()
        + &"}\n".repeat(depth);
    write(dir.path(), "deep.hld", &text);
    let output = hld_within(&["fmt", "deep.hld"], dir.path(), 60);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let formatted = std::fs::metadata(dir.path().join("deep.hld"))
        .unwrap()
        .len();
    // Each of the 2 × depth lines is indented by at most 32 levels of two spaces.
    assert!(
        formatted <= text.len() as u64 + 2 * 64 * depth as u64,
        "{} bytes in, {formatted} out",
        text.len()
    );
    assert_eq!(
        hld(&["fmt", "--check", "deep.hld"], dir.path())
            .status
            .code(),
        Some(0)
    );
}

/// A file's name is text on the terminal: a line break in it cannot start a line of its
/// own (GitHub Actions runs `::error` lines of any step's output as commands), and an
/// escape sequence cannot recolour the terminal.
#[test]
fn a_file_name_cannot_start_a_workflow_command_or_move_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error file=a::injected\x1b[31m.hld";
    std::fs::write(dir.path().join(name), "servce api\n").unwrap();
    for args in [vec!["check", name], vec!["fmt", "--check", name]] {
        let output = hld(&args, dir.path());
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.lines().any(|l| l.trim_start().starts_with("::")),
                "{args:?}: {text}"
            );
            assert!(!text.contains('\x1b'), "{args:?}: {text:?}");
        }
    }
}

/// An output that is a named pipe nothing reads is an error at once, not a wait for a
/// reader that never comes (`hld watch` blocked for good when its output became one).
#[cfg(unix)]
#[test]
fn a_named_pipe_as_output_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.hld"),
        "client u\nservice api\nu -> api\n",
    )
    .unwrap();
    let fifo = dir.path().join("out.svg");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let output = hld_within(&["render", "d.hld", "-o", "out.svg"], dir.path(), 20);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("named pipe that nothing reads"), "{stderr}");
}
