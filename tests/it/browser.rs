//! The watch page in a real browser: headless Chromium (Debian's `chromium`) driven by
//! playwright-core (`tests/browser/watch.mjs`). `.ci/run` installs both and sets
//! `HLD_REQUIRE_TOOLS=1`, so CI fails rather than skips ([`crate::common::required`]).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_page_swaps_the_diagram_in_place_and_shows_compile_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(chromium) = crate::common::required(crate::common::browser()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.hld");
    std::fs::write(
        &design,
        "client users\nservice api { replicas: 2 }\nusers -> api\n",
    )
    .unwrap();
    let (mut watch, port) = crate::common::spawn_watch(dir.path(), "design.hld");
    let url = format!("http://127.0.0.1:{port}/");
    let mut node = Command::new("node")
        .arg(root.join("tests/browser/watch.mjs"))
        .arg(&url)
        .arg(&design)
        .arg(&chromium)
        .current_dir(root.join("tests/browser"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Bounded: the script's own waits are 10 s each; a hung browser is killed.
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = node.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = node.wait_with_output().unwrap();
    let _ = watch.kill();
    let _ = watch.wait();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let status = status.unwrap_or_else(|| panic!("the browser test timed out:\n{report}"));
    assert!(status.success(), "{report}");
}
