//! The playground (`web/`, built by `web/build.sh` into `web/dist`): the WebAssembly
//! build draws the reference designs byte for byte as the command line does (in Node),
//! and the page works in headless Chromium. `.ci/run` builds it and installs the tools
//! ([`crate::common::required`]).

use std::path::{Path, PathBuf};

use crate::common::node;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn built() -> Result<PathBuf, String> {
    crate::common::runs("node", &["--version"], "apt-get install nodejs")?;
    let dist = root().join("web/dist");
    if dist.join("hld.wasm").exists() && dist.join("main.js").exists() {
        Ok(dist)
    } else {
        Err("the playground is not built (web/build.sh)".to_owned())
    }
}

#[test]
fn the_wasm_build_draws_every_design_as_the_command_line_does() {
    let Some(_) = crate::common::required(built()) else {
        return;
    };
    node(root().join("web/test/render.mjs"), &[], root());
}

#[test]
fn the_playground_works_in_chromium() {
    let requirements = built().and_then(|dist| Ok((dist, crate::common::chromium()?)));
    let Some((dist, chromium)) = crate::common::required(requirements) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Findings to list and click (a single point of failure, no backup).
    let design = dir.path().join("design.hld");
    std::fs::write(
        &design,
        "client users\nservice api\ndatabase db\nusers -> api\napi -> db\n",
    )
    .unwrap();
    node(
        root().join("tests/browser/playground.mjs"),
        &[dist, design, chromium],
        &root().join("tests/browser"),
    );
}
