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
