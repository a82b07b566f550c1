//! Running the real `hld` binary from the integration tests (each uses part of this).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `hld ARGS` in `dir`, without colour.
pub fn hld(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("hld runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
