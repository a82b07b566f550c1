//! The watch page in a real browser: headless Chromium (Debian's `chromium`) driven by
//! playwright-core (`tests/browser/watch.mjs`). `.ci/run` installs both and sets
//! `HLD_REQUIRE_BROWSER=1`, so CI fails rather than skips; elsewhere, without them, the
//! test says why it skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the browser test needs, or why it cannot run here.
fn requirements(root: &Path) -> Result<PathBuf, String> {
    let chromium = std::env::var_os("HLD_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        return Err(format!(
            "no Chromium at {} (apt-get install chromium)",
            chromium.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("no node on PATH".to_owned());
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        return Err("playwright-core is not installed (npm ci --prefix tests/browser)".to_owned());
    }
    Ok(chromium)
}

#[test]
fn the_page_swaps_the_diagram_in_place_and_shows_compile_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = match requirements(root) {
        Ok(chromium) => chromium,
        Err(reason) if std::env::var_os("HLD_REQUIRE_BROWSER").is_none() => {
            eprintln!("skipped: the browser test cannot run here: {reason}");
            return;
        }
        Err(reason) => panic!("HLD_REQUIRE_BROWSER is set but {reason}"),
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
