//! Real editors on `hld lsp`: Neovim from Debian, headless, its built-in LSP client
//! started from a Lua script (`tests/editors/neovim.lua`), receives the diagnostics
//! `hld check --format json` reports; the VS Code extension's grammar runs in the
//! engine VS Code uses (`tests/browser/grammar.mjs`), and the extension packages with
//! vsce. `.ci/run` installs the tools ([`crate::common::required`]).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::{hld, node, npm_tools, required, runs, succeeds};

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
        .arg(format!(
            "luafile {}",
            root.join("tests/editors/neovim.lua").display()
        ))
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

#[test]
fn vs_code_s_grammar_engine_gives_each_token_class_its_scope() {
    let Some(tools) = required(npm_tools("tests/browser", "vscode-textmate")) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = ["designs", "examples/language"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let grammar = root.join("editors/vscode/syntaxes/hld.tmLanguage.json");
    let mut args = vec![grammar.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    node("grammar.mjs", &args, &tools);
}

#[test]
fn the_vs_code_extension_packages_into_a_vsix() {
    let Some(extension) = required(npm_tools("editors/vscode", "@vscode/vsce")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vsix = dir.path().join("hld.vsix");
    succeeds(
        Command::new("npx")
            .args(["--no-install", "vsce", "package", "--out"])
            .arg(&vsix)
            .current_dir(&extension),
    );
    // A .vsix is a zip: its entries' names are in the clear.
    let bytes = std::fs::read(&vsix).unwrap();
    let holds = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    for entry in [
        "extension/package.json",
        "extension/extension.js",
        "extension/syntaxes/hld.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/snippets/hld.json",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(holds(entry), "the package holds {entry}");
    }
}

/// The kinds the editors highlight are the model's kind table, no more and no less: the
/// VS Code grammar's declaration pattern and the playground's keyword lists name every
/// component kind and group kind (a kind added in one place is caught here).
#[test]
fn the_editors_name_exactly_the_model_s_kinds() {
    use hld::model::{GroupKind, Kind};
    let mut expected: Vec<String> = Kind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .chain(GroupKind::ALL.iter().map(|g| g.as_str().to_owned()))
        .collect();
    expected.sort();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The grammar: `\b(client|dns|...|group|flow|scenario)\s+(id)`.
    let grammar =
        std::fs::read_to_string(root.join("editors/vscode/syntaxes/hld.tmLanguage.json")).unwrap();
    let alternatives = grammar
        .split("\"match\": \"\\\\b(")
        .find_map(|rest| rest.split_once(")\\\\s+(").map(|(words, _)| words))
        .filter(|words| words.contains("coordinator"))
        .expect("the grammar's declaration pattern");
    let mut declared: Vec<String> = alternatives
        .split('|')
        .filter(|w| !matches!(*w, "flow" | "scenario"))
        .map(str::to_owned)
        .collect();
    declared.sort();
    assert_eq!(declared, expected, "the VS Code grammar's kinds");
    // The playground: `KINDS` and the group kinds among `KEYWORDS`.
    let language = std::fs::read_to_string(root.join("web/src/language.js")).unwrap();
    let words = |name: &str| -> Vec<String> {
        let list = language
            .split_once(&format!("const {name} = new Set(["))
            .and_then(|(_, rest)| rest.split_once("])"))
            .map(|(list, _)| list)
            .unwrap_or_else(|| panic!("web/src/language.js has {name}"));
        list.split(',')
            .map(|w| w.trim().trim_matches('"').to_owned())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut playground: Vec<String> = words("KINDS")
        .into_iter()
        .chain(
            words("KEYWORDS")
                .into_iter()
                .filter(|w| GroupKind::ALL.iter().any(|g| g.as_str() == w)),
        )
        .collect();
    playground.sort();
    assert_eq!(playground, expected, "the playground's kinds");
}
