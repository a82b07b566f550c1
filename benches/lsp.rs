//! `hld lsp` on a generated 300-component design: diagnostics after a change (the
//! debounce set to 0), hover on a component and completion after `->`. Measured twice:
//! server side (the session in this process on an in-memory connection: from the
//! message sent to the answer queued, JSON encoding and pipes excluded) and as an editor
//! sees it (the release binary over stdio). Not criterion: each sample is one round
//! trip. Prints the median and p95 of each.
//! Run: `cargo bench --bench lsp` (BENCHMARKS.md records the figures).

#[path = "../tests/it/lsp_client.rs"]
mod lsp_client;
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use lsp_client::{Client, initialize_with, uri};

const SAMPLES: usize = 60;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.hld");
    let text = support::design(300, 450);
    std::fs::write(&path, &text).unwrap();
    println!("server side (in process):");
    server_side(&path, &text);
    println!("over stdio (the release binary):");
    over_stdio(&path, &text, dir.path());
}

/// The session on an in-memory connection.
fn server_side(path: &Path, text: &str) {
    use lsp_server::{Message, Notification, Request, RequestId};
    let (server, client) = lsp_server::Connection::memory();
    let session = std::thread::spawn(move || hld::lsp::serve(&server));
    let request = |id: i32, method: &str, params: serde_json::Value| {
        client
            .sender
            .send(Message::Request(Request::new(
                RequestId::from(id),
                method.to_owned(),
                params,
            )))
            .unwrap();
        loop {
            if let Message::Response(response) = client.receiver.recv().unwrap() {
                return response;
            }
        }
    };
    let notify = |method: &str, params: serde_json::Value| {
        client
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .unwrap();
    };
    let published = || loop {
        if let Message::Notification(n) = client.receiver.recv().unwrap()
            && n.method == "textDocument/publishDiagnostics"
        {
            return;
        }
    };
    let uri = uri(path);
    request(
        0,
        "initialize",
        json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
    );
    notify("initialized", json!({}));
    notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "hld", "version": 1, "text": text } }),
    );
    published();
    let mut changes = Vec::new();
    for version in 2..2 + SAMPLES as i64 {
        let edited = format!("{text}// edit {version}\n");
        let started = Instant::now();
        notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": edited }] }),
        );
        published();
        changes.push(started.elapsed());
    }
    report("diagnostics after a change", &mut changes);
    let (hover, completion) = positions(&uri, text);
    let mut hovers = Vec::new();
    let mut completions = Vec::new();
    for id in 1..=SAMPLES as i32 {
        let started = Instant::now();
        request(id, "textDocument/hover", hover.clone());
        hovers.push(started.elapsed());
        let started = Instant::now();
        request(-id, "textDocument/completion", completion.clone());
        completions.push(started.elapsed());
    }
    report("hover on a component", &mut hovers);
    report("completion after `->`", &mut completions);
    request(SAMPLES as i32 + 1, "shutdown", serde_json::Value::Null);
    notify("exit", serde_json::Value::Null);
    session.join().unwrap().unwrap();
}

/// A hover on the first service's id, and a completion after the first `->`.
fn positions(uri: &str, text: &str) -> (serde_json::Value, serde_json::Value) {
    let line = text
        .lines()
        .position(|l| l.starts_with("service "))
        .unwrap();
    let hover =
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 9 } });
    let arrow = text.lines().position(|l| l.contains(" -> ")).unwrap();
    let column = text.lines().nth(arrow).unwrap().find(" -> ").unwrap() + 4;
    let completion = json!({ "textDocument": { "uri": uri }, "position": { "line": arrow, "character": column } });
    (hover, completion)
}

fn over_stdio(path: &Path, text: &str, dir: &Path) {
    let binary = Path::new(env!("CARGO_BIN_EXE_hld"));
    let uri = uri(path);
    let text = text.to_owned();
    let mut client = Client::start_binary(binary, dir);
    initialize_with(&mut client, &["utf-16"], json!({ "debounceMs": 0 }));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "hld", "version": 1, "text": text } }),
    );
    client.diagnostics(&uri);

    let mut changes = Vec::new();
    for version in 2..2 + SAMPLES as i64 {
        // A comment at the end: the whole design is compiled and linted again.
        let edited = format!("{text}// edit {version}\n");
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": edited }] }),
        );
        client.diagnostics(&uri);
        changes.push(started.elapsed());
    }
    report("diagnostics after a change", &mut changes);

    let (hover, completion) = positions(&uri, &text);
    let mut hovers = Vec::new();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let answer = client.request("textDocument/hover", hover.clone());
        hovers.push(started.elapsed());
        assert!(
            answer["result"]["contents"]["value"].is_string(),
            "{answer}"
        );
    }
    report("hover on a component", &mut hovers);

    let mut completions = Vec::new();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let answer = client.request("textDocument/completion", completion.clone());
        completions.push(started.elapsed());
        assert!(
            answer["result"].as_array().is_some_and(|a| a.len() >= 300),
            "{answer}"
        );
    }
    report("completion after `->`", &mut completions);
    assert!(client.exit().success());
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.2} ms, p95 {:.2} ms ({} samples)",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        samples.len()
    );
}
