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

/// Starts `hld watch FILE --port 0` in `dir` and returns it with the port it printed.
/// Its output is drained in the background, so it never blocks on a full pipe.
pub fn spawn_watch(dir: &Path, file: &str) -> (std::process::Child, u16) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(["watch", file, "--port", "0"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hld watch starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut port = None;
    let mut line = String::new();
    while port.is_none() && stdout.read_line(&mut line).unwrap_or(0) > 0 {
        port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok());
        line.clear();
    }
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (child, port.expect("the URL is printed at start"))
}

/// The model without spans: what a design means, not where it was written.
pub fn model_summary(model: &hld::model::Model) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    writeln!(
        out,
        "title {:?} header {:?}",
        model.title,
        attrs(&model.header)
    )
    .unwrap();
    for c in &model.components {
        let group = c.group.map(|g| &model.groups[g].id);
        writeln!(
            out,
            "{} {} {:?} in {group:?} {:?}",
            c.kind,
            c.id,
            c.label,
            attrs(&c.attrs)
        )
        .unwrap();
    }
    for l in &model.links {
        let (from, to) = (&model.component(l.from).id, &model.component(l.to).id);
        writeln!(
            out,
            "{from} -> {to} ({}) {:?} {:?}",
            l.bidirectional,
            l.label,
            attrs(&l.attrs)
        )
        .unwrap();
    }
    for g in &model.groups {
        let parent = g.parent.map(|p| &model.groups[p].id);
        writeln!(
            out,
            "{:?} {} {:?} in {parent:?} {:?}",
            g.kind,
            g.id,
            g.label,
            attrs(&g.attrs)
        )
        .unwrap();
    }
    for a in &model.allows {
        let rules: Vec<&str> = a.rules.iter().map(|(r, _)| r.as_str()).collect();
        writeln!(out, "allow {rules:?} {:?} {:?}", a.reason, a.target).unwrap();
    }
    out
}

fn attrs(attributes: &hld::model::Attributes) -> Vec<String> {
    attributes
        .iter()
        .map(|e| format!("{}={:?}", e.name, e.value))
        .collect()
}

/// What a test that runs a peer tool (a browser, mermaid-cli, D2, Graphviz, pre-commit)
/// gets: the tool, or `None` when it is not installed here. `.ci/run` installs every
/// tool and sets `HLD_REQUIRE_TOOLS=1`, so in CI a missing tool fails the test instead;
/// elsewhere the test says why it skipped.
pub fn required<T>(tool: Result<T, String>) -> Option<T> {
    match tool {
        Ok(tool) => Some(tool),
        Err(reason) if std::env::var_os("HLD_REQUIRE_TOOLS").is_none() => {
            eprintln!("skipped: {reason} (HLD_REQUIRE_TOOLS=1 makes this fail)");
            None
        }
        Err(reason) => panic!("HLD_REQUIRE_TOOLS is set but {reason}"),
    }
}

/// Debian's Chromium (or `HLD_CHROMIUM`).
pub fn chromium() -> Result<std::path::PathBuf, String> {
    let chromium = std::env::var_os("HLD_CHROMIUM")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("/usr/bin/chromium"));
    if chromium.exists() {
        Ok(chromium)
    } else {
        Err(format!(
            "no Chromium at {} (apt-get install chromium)",
            chromium.display()
        ))
    }
}

/// What the tests that drive a page need: Chromium, node and tests/browser's
/// playwright-core; Chromium's path, or why one is missing.
pub fn browser() -> Result<std::path::PathBuf, String> {
    let chromium = chromium()?;
    runs("node", &["--version"], "apt-get install nodejs")?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        return Err("playwright-core is not installed (npm ci --prefix tests/browser)".to_owned());
    }
    Ok(chromium)
}

/// `program` when it runs (`program ARGS` exits), else how to install it.
pub fn runs(program: &str, args: &[&str], install: &str) -> Result<String, String> {
    match Command::new(program).args(args).output() {
        Ok(output) if output.status.success() => Ok(program.to_owned()),
        _ => Err(format!("`{program}` does not run here ({install})")),
    }
}

/// The designs in `designs/`, sorted.
pub fn designs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<_> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .collect();
    designs.sort();
    designs
}

/// Runs `command`, fails the test unless it succeeds, and returns what it printed
/// (stdout, then stderr), which the test also passes on to its own output.
pub fn succeeds(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?}: {report}");
    eprintln!("{report}");
    report
}

/// `node SCRIPT ARGS` in `dir`, which must succeed.
pub fn node<S: AsRef<std::ffi::OsStr>>(script: S, args: &[S], dir: &Path) -> String {
    succeeds(Command::new("node").arg(script).args(args).current_dir(dir))
}

/// The directory whose `node_modules` holds `package` (installed by `.ci/run`), or how
/// to install it.
pub fn npm_tools(dir: &str, package: &str) -> Result<std::path::PathBuf, String> {
    runs("node", &["--version"], "apt-get install nodejs")?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if root.join(dir).join("node_modules").join(package).exists() {
        Ok(root.join(dir))
    } else {
        Err(format!(
            "{package} is not installed (npm ci --prefix {dir})"
        ))
    }
}
