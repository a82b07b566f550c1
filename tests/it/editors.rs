//! Real editors on `hld lsp`: Neovim from Debian, headless, its built-in LSP client
//! started from a Lua script (`tests/editors/neovim.lua`), receives the diagnostics
//! `hld check --format json` reports. `.ci/run` installs Neovim
//! ([`crate::common::required`]).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::{hld, required, runs};

/// A design whose diagnostics are spread over several lines and severities.
const DESIGN: &str = "client users\nservice api { replicas: 2 }\ndatabase db\nqueue events\nusers -> api\napi -> db\napi -> events\n";

#[test]
fn neovim_receives_the_diagnostics_hld_check_reports() {
    let Some(nvim) = required(runs("nvim", &["--version"], "apt-get install neovim")) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.hld");
    std::fs::write(&design, DESIGN).unwrap();
    let out = dir.path().join("diagnostics.json");
    let status = Command::new(&nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", root.join("tests/editors/neovim.lua").display()))
        .env("HLD_DESIGN", &design)
        .env("HLD_OUT", &out)
        .env("HLD_BIN", env!("CARGO_BIN_EXE_hld"))
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "nvim ran");
    let seen: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(seen.get("error").is_none(), "{seen}");
    let in_editor: BTreeSet<(u64, u64, String, String)> = seen["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap_or("").to_owned(),
                message.split("\nhelp: ").next().unwrap().to_owned(),
            )
        })
        .collect();
    let check = hld(&["check", "design.hld", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let reported: BTreeSet<(u64, u64, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!reported.is_empty());
    assert_eq!(in_editor, reported, "Neovim shows what hld check reports");
}
