//! `hld diff` on the real binary: identity, not lines (a moved block, a reformatted
//! file, a renamed line change nothing); every section on the pair made for it
//! (examples/diff); the exit code; `REV:path` read from a real git repository with the
//! imports as they were at that revision; the SVG's classes.

use crate::common::{hld, required, runs, stdout};

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn json(args: &[&str], dir: &Path) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = hld(&all, dir);
    let text = stdout(&output);
    let value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text}{}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), value)
}

fn ids(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn a_moved_block_a_reformatted_file_and_a_new_comment_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let design = std::fs::read_to_string(root().join("designs/url-shortener.hld")).unwrap();
    // Blocks reversed (every declaration is one paragraph), then formatted: every line
    // moves, nothing changes.
    let mut paragraphs: Vec<&str> = design.split("\n\n").collect();
    paragraphs.reverse();
    std::fs::write(dir.path().join("old.hld"), &design).unwrap();
    std::fs::write(
        dir.path().join("new.hld"),
        paragraphs.join("\n\n") + "\n// a note\n",
    )
    .unwrap();
    let output = hld(&["fmt", "new.hld"], dir.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = hld(&["diff", "old.hld", "new.hld"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("No change"), "{}", stdout(&output));
}

#[test]
fn a_changed_attribute_is_one_change() {
    let dir = tempfile::tempdir().unwrap();
    let design = std::fs::read_to_string(root().join("designs/url-shortener.hld")).unwrap();
    std::fs::write(dir.path().join("old.hld"), &design).unwrap();
    let line = design.lines().find(|l| l.contains("replicas: ")).unwrap();
    let (before, after) = line.split_once("replicas: ").unwrap();
    let count: String = after.chars().take_while(char::is_ascii_digit).collect();
    let more = format!(
        "{before}replicas: {}{}",
        count.parse::<u32>().unwrap() + 1,
        &after[count.len()..]
    );
    std::fs::write(dir.path().join("new.hld"), design.replacen(line, &more, 1)).unwrap();
    let (code, diff) = json(&["diff", "old.hld", "new.hld"], dir.path());
    assert_eq!(code, Some(0));
    let changed = diff["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{diff:#}");
    let attributes = changed[0]["attributes"].as_array().unwrap();
    assert_eq!(attributes.len(), 1);
    assert_eq!(attributes[0]["name"], "replicas");
    assert_eq!(attributes[0]["old"], count);
}

#[test]
fn every_section_on_the_pair_made_for_it_and_exit_1_for_a_new_error() {
    let (code, diff) = json(
        &[
            "diff",
            "examples/diff/before.hld",
            "examples/diff/after.hld",
        ],
        &root(),
    );
    assert_eq!(code, Some(1), "a new error: {diff:#}");
    assert_eq!(diff["version"], 1);
    assert_eq!(ids(&diff["added"]["components"]), ["audit"]);
    assert_eq!(ids(&diff["added"]["links"]), ["api->audit"]);
    assert_eq!(ids(&diff["added"]["scenarios"]), ["orders_down"]);
    assert_eq!(ids(&diff["removed"]["components"]), ["legacy"]);
    assert_eq!(ids(&diff["removed"]["links"]), ["api->legacy"]);
    let changed: Vec<(&str, &str)> = diff["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            let id = c["id"].as_str().unwrap();
            c["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |a| (id, a["name"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("design", "observability"),
            ("api", "replicas"),
            ("api", "zones"),
            ("orders", "replication")
        ]
    );
    let rules = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["element"]))
            .collect()
    };
    assert_eq!(
        rules(&diff["findings"]["new"]),
        [
            "manual-failover \"orders\"",
            "availability-below-target \"browse\""
        ]
    );
    assert_eq!(rules(&diff["findings"]["fixed"]), ["no-observability null"]);
    // The worst regression first: the flow's availability, by its downtime.
    let first = &diff["estimates"][0];
    assert_eq!(
        (first["id"].as_str(), first["field"].as_str()),
        (Some("browse"), Some("availability"))
    );
    assert_eq!(first["regression"], true);
    let cost = diff["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "design")
        .unwrap();
    assert!(cost["new"].as_f64() > cost["old"].as_f64());
    assert_eq!(diff["whatif"][0]["scenario"], "orders_down");
    assert_eq!(diff["whatif"][0]["new"], "degraded");
    assert!(diff["cost"]["new"].as_f64().unwrap() > diff["cost"]["old"].as_f64().unwrap());
    // The other way round: the error is fixed, nothing new is an error.
    let back = hld(
        &[
            "diff",
            "examples/diff/after.hld",
            "examples/diff/before.hld",
        ],
        &root(),
    );
    assert_eq!(back.status.code(), Some(0));
}

#[test]
fn the_markdown_starts_with_the_summary_and_puts_new_findings_first() {
    let output = hld(
        &[
            "diff",
            "examples/diff/before.hld",
            "examples/diff/after.hld",
            "--format",
            "markdown",
        ],
        &root(),
    );
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("### hld diff"), "{text}");
    assert!(lines[2].starts_with("**3 added, 2 removed"), "{text}");
    let order: Vec<usize> = [
        "#### Findings new",
        "#### What-if",
        "#### Estimates",
        "#### Added",
        "#### Removed",
        "#### Changed",
        "#### Findings fixed",
    ]
    .iter()
    .map(|h| text.find(h).unwrap_or_else(|| panic!("{h}: {text}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn the_svg_marks_added_removed_and_changed_parts() {
    let dir = tempfile::tempdir().unwrap();
    let output = hld(
        &[
            "diff",
            "examples/diff/before.hld",
            "examples/diff/after.hld",
            "--format",
            "svg",
            "-o",
            dir.path().join("d.svg").to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(output.status.code(), Some(1));
    let svg = std::fs::read_to_string(dir.path().join("d.svg")).unwrap();
    for (class, id) in [
        ("added", "audit"),
        ("removed", "legacy"),
        ("changed", "api"),
        ("changed", "orders"),
    ] {
        let mark = format!(r#" {class}" id="c-{id}""#);
        assert!(svg.contains(&mark), "{mark}");
    }
    assert!(svg.contains(r#"class="link sync removed" data-from="api" data-to="legacy""#));
    assert!(
        svg.contains(r#"class="link async added" data-from="api" data-to="audit""#)
            || svg.contains(r#"class="link sync added" data-from="api" data-to="audit""#)
    );
    assert!(svg.contains("green added, amber changed, grey and dashed removed"));
}

#[test]
fn an_unreadable_version_exits_2_and_outside_a_repository_rev_path_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.hld"), "client u { rate: 1/s }\n").unwrap();
    let output = hld(&["diff", "a.hld", "missing.hld"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    if required(runs("git", &["--version"], "apt-get install git")).is_none() {
        return;
    }
    let output = hld(&["diff", "HEAD:a.hld", "a.hld"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn rev_path_reads_the_design_and_its_imports_as_they_were() {
    if required(runs("git", &["--version"], "apt-get install git")).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir_all(repo.join("designs/lib")).unwrap();
    git(repo, &["init", "-q", "-b", "main"]);
    std::fs::write(
        repo.join("designs/shop.hld"),
        "import \"lib/data.hld\"\nclient u { rate: 100/s }\nservice api { replicas: 2 }\nu -> api\napi -> db { ops: read }\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("designs/lib/data.hld"),
        "database db { engine: postgres, replicas: 2 }\n",
    )
    .unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "one"]);
    std::fs::write(
        repo.join("designs/lib/data.hld"),
        "database db { engine: postgres, replicas: 3 }\n",
    )
    .unwrap();
    git(repo, &["commit", "-q", "-am", "two"]);
    // The working tree moves on again: a REV:path must not read it.
    std::fs::write(
        repo.join("designs/lib/data.hld"),
        "database db { engine: mysql, replicas: 9 }\n",
    )
    .unwrap();
    let (code, diff) = json(
        &["diff", "HEAD~1:designs/shop.hld", "HEAD:designs/shop.hld"],
        repo,
    );
    assert_eq!(code, Some(0), "{diff:#}");
    assert_eq!(diff["old"], "HEAD~1:designs/shop.hld");
    let changed = &diff["changed"];
    assert_eq!(changed.as_array().unwrap().len(), 1, "{diff:#}");
    assert_eq!(changed[0]["id"], "db");
    assert_eq!(changed[0]["attributes"][0]["old"], "2");
    assert_eq!(changed[0]["attributes"][0]["new"], "3");
    // From a subdirectory, `./` is relative to it, as in git; against the working tree.
    let (_, diff) = json(
        &["diff", "HEAD:./shop.hld", "shop.hld"],
        &repo.join("designs"),
    );
    let engines: Vec<&str> = diff["changed"][0]["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(engines, ["engine", "replicas"], "{diff:#}");
    // An unknown revision is a clean error.
    let output = hld(
        &["diff", "nosuchrev:designs/shop.hld", "designs/shop.hld"],
        repo,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no revision `nosuchrev`"));
}

/// The script of docs/ci.md, as written there.
fn recipe() -> String {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let start = doc
        .find("```bash\n#!/usr/bin/env bash\n# hld-diff.sh")
        .expect("the recipe")
        + "```bash\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    doc[start..end].to_string() + "\n"
}

/// A repository with two commits (one design changed, one added) and the recipe saved
/// in it; returns the base commit.
fn reviewed_repository(repo: &Path) -> String {
    std::fs::create_dir_all(repo.join("designs")).unwrap();
    std::fs::create_dir_all(repo.join(".github")).unwrap();
    std::fs::write(repo.join(".github/hld-diff.sh"), recipe()).unwrap();
    git(repo, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        root().join("examples/diff/before.hld"),
        repo.join("designs/shop.hld"),
    )
    .unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    let base = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(repo)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/diff/after.hld"),
        repo.join("designs/shop.hld"),
    )
    .unwrap();
    std::fs::copy(
        root().join("designs/pastebin.hld"),
        repo.join("designs/pastebin.hld"),
    )
    .unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "change"]);
    base.trim().to_string()
}

/// A reviewed repository, the stand-ins' directory, and where they keep what they were
/// sent.
struct Review {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    bin: PathBuf,
    state: PathBuf,
    base: String,
}

impl Review {
    fn new() -> Review {
        let dir = tempfile::tempdir().unwrap();
        let (repo, bin, state) = (
            dir.path().join("repo"),
            dir.path().join("bin"),
            dir.path().join("state"),
        );
        std::fs::create_dir_all(&state).unwrap();
        let base = reviewed_repository(&repo);
        Review {
            _dir: dir,
            repo,
            bin,
            state,
            base,
        }
    }
}

/// Runs the recipe with `hld` and the stand-ins in `bin` first on the PATH.
fn run_recipe(repo: &Path, bin: &Path, args: &[&str], env: &[(&str, &str)]) -> Option<i32> {
    let hld_dir = Path::new(env!("CARGO_BIN_EXE_hld")).parent().unwrap();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        hld_dir.display(),
        std::env::var("PATH").unwrap()
    );
    let output = Command::new("bash")
        .arg(".github/hld-diff.sh")
        .args(args)
        .envs(env.iter().copied())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .current_dir(repo)
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output.status.code()
}

fn stand_in(bin: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(bin).unwrap();
    let path = bin.join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn the_ci_recipe_comments_once_and_updates_its_comment_on_github() {
    if required(runs("git", &["--version"], "apt-get install git")).is_none() {
        return;
    }
    let review = Review::new();
    let (repo, bin, state, base) = (&review.repo, &review.bin, &review.state, &review.base);
    // GitHub's CLI, standing in: `gh api` lists the comment it holds (its id, as `--jq`
    // would print it), creates one or edits it, and logs each call.
    stand_in(
        bin,
        "gh",
        r#"#!/usr/bin/env bash
log="$STATE/calls"
case "$*" in
  *"-X POST repos/o/r/issues/7/comments -F body=@out/hld-diff.md"*) echo post >>"$log"; cp out/hld-diff.md "$STATE/comment"; echo 1 >"$STATE/id" ;;
  *"-X PATCH repos/o/r/issues/comments/1 -F body=@out/hld-diff.md"*) echo patch >>"$log"; cp out/hld-diff.md "$STATE/comment" ;;
  "api repos/o/r/issues/7/comments --paginate --jq "*) echo list >>"$log"; cat "$STATE/id" 2>/dev/null ;;
  *) echo "unexpected: gh $*" >&2; exit 3 ;;
esac
"#,
    );
    let env = [
        ("STATE", state.to_str().unwrap()),
        ("GITHUB_REPOSITORY", "o/r"),
        ("GH_TOKEN", "t"),
    ];
    // The change adds an error (after.hld's flow misses its target): exit 1.
    assert_eq!(run_recipe(repo, bin, &[base, "github", "7"], &env), Some(1));
    let comment = std::fs::read_to_string(state.join("comment")).unwrap();
    assert!(
        comment.starts_with("<!-- hld-diff -->\n## What this change does to the designs"),
        "{comment}"
    );
    assert!(
        comment.contains(&format!(
            "### hld diff: `{base}:designs/shop.hld` → `designs/shop.hld`"
        )),
        "{comment}"
    );
    assert!(
        comment.contains("availability\\-below\\-target")
            || comment.contains("availability-below-target"),
        "{comment}"
    );
    assert!(
        comment.contains("designs/pastebin.hld"),
        "the added design: {comment}"
    );
    assert!(repo.join("out/shop.diff.svg").exists() && repo.join("out/pastebin.diff.svg").exists());
    // A later push: the same comment is edited, not another one written.
    assert_eq!(run_recipe(repo, bin, &[base, "github", "7"], &env), Some(1));
    let calls = std::fs::read_to_string(state.join("calls")).unwrap();
    assert_eq!(calls, "list\npost\nlist\npatch\n");
}

#[test]
fn the_ci_recipe_updates_its_note_on_a_gitlab_merge_request() {
    if required(runs("git", &["--version"], "apt-get install git")).is_none()
        || required(runs("jq", &["--version"], "apt-get install jq")).is_none()
    {
        return;
    }
    let review = Review::new();
    let (repo, bin, state, base) = (&review.repo, &review.bin, &review.state, &review.base);
    // GitLab's notes API behind curl, standing in: the notes as JSON (read by the real
    // jq), a note created or edited.
    stand_in(
        bin,
        "curl",
        r#"#!/usr/bin/env bash
log="$STATE/calls"
notes="https://gitlab.example/api/v4/projects/42/merge_requests/7/notes"
case "$*" in
  *"-X POST -H PRIVATE-TOKEN: t --data-urlencode body@out/hld-diff.md $notes") echo post >>"$log"; cp out/hld-diff.md "$STATE/note" ;;
  *"-X PUT -H PRIVATE-TOKEN: t --data-urlencode body@out/hld-diff.md $notes/99") echo put >>"$log"; cp out/hld-diff.md "$STATE/note" ;;
  "-sSf -H PRIVATE-TOKEN: t $notes?per_page=100")
    echo list >>"$log"
    if [ -f "$STATE/note" ]; then jq -n --rawfile body "$STATE/note" '[{id: 5, body: "an earlier review"}, {id: 99, body: $body}]'; else echo '[{"id": 5, "body": "an earlier review"}]'; fi ;;
  *) echo "unexpected: curl $*" >&2; exit 3 ;;
esac
"#,
    );
    let env = [
        ("STATE", state.to_str().unwrap()),
        ("GITLAB_TOKEN", "t"),
        ("CI_API_V4_URL", "https://gitlab.example/api/v4"),
        ("CI_PROJECT_ID", "42"),
        ("CI_MERGE_REQUEST_IID", "7"),
    ];
    assert_eq!(run_recipe(repo, bin, &[base, "gitlab"], &env), Some(1));
    assert_eq!(run_recipe(repo, bin, &[base, "gitlab"], &env), Some(1));
    let calls = std::fs::read_to_string(state.join("calls")).unwrap();
    assert_eq!(calls, "list\npost\nlist\nput\n");
    assert!(
        std::fs::read_to_string(state.join("note"))
            .unwrap()
            .contains("hld diff")
    );
}
