//! `hld lsp` driven over stdio as an editor drives it: the real binary, framed
//! JSON-RPC, every feature once, and the messages an editor should never send.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// An editor's side of the connection.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else.
    pub notifications: Vec<Value>,
}

impl Client {
    pub fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hld"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hld lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.send_raw(message.to_string().as_bytes());
    }

    /// Sends a request and waits for its response (the whole response: result or error).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_raw(message.to_string().as_bytes());
        self.wait(|m| m["id"] == json!(id))
    }

    /// The next message `wanted` accepts (within 20 s); notifications before it are kept.
    pub fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self
                .incoming
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.notifications.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no answer in 20 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server left"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub fn exit(mut self) -> std::process::ExitStatus {
        let shutdown = self.request("shutdown", Value::Null);
        assert_eq!(shutdown["result"], Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "hld lsp exits after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The 0-based position of the `nth` occurrence of `needle` in `text`, in UTF-16.
fn position(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("in the text").0;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count();
    json!({ "line": line, "character": character })
}

pub fn initialize(client: &mut Client, encodings: &[&str]) -> Value {
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": { "general": { "positionEncodings": encodings } },
        }),
    );
    client.notify("initialized", json!({}));
    response
}

const MAIN: &str = "import \"lib.hld\"\nclient users \"Ünïcode users\"\nservice api { replicas: 2, frobnicate: 1 }\nusers -> api\napi -> db\n";
const FIXED: &str = "import \"lib.hld\"\nclient users \"Ünïcode users\"\nservice api { replicas: 2 }\nusers -> api\napi -> db\n";

#[test]
fn an_editor_session_uses_every_feature() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("lib.hld"), "database db { replicas: 2 }\n").unwrap();
    let main = dir.join("main.hld");
    std::fs::write(&main, MAIN).unwrap();
    let main_uri = uri(&main);
    let doc = json!({ "uri": main_uri });
    let mut client = Client::start(&dir);

    let init = initialize(&mut client, &["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");

    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": main_uri, "languageId": "hld", "version": 1, "text": MAIN } }),
    );
    let opened = client.diagnostics(&main_uri);
    let unknown = opened
        .iter()
        .find(|d| d["code"] == "unknown-attribute")
        .expect("the compile error");
    assert_eq!(unknown["range"]["start"], position(MAIN, "frobnicate", 0));
    assert_eq!(unknown["severity"], 1);

    // An incremental change removes the bad attribute: only findings remain.
    let start = position(MAIN, ", frobnicate", 0);
    let mut end = start.clone();
    end["character"] = json!(start["character"].as_u64().unwrap() + ", frobnicate: 1".len() as u64);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 2 },
            "contentChanges": [{ "range": { "start": start, "end": end }, "text": "" }],
        }),
    );
    let fixed = client.diagnostics(&main_uri);
    assert!(
        fixed.iter().all(|d| d["code"] != "unknown-attribute"),
        "{fixed:?}"
    );
    assert!(
        fixed
            .iter()
            .any(|d| d["code"] == "no-rate-limit" && d["source"] == "hld"),
        "the findings stay: {fixed:?}"
    );

    let at = |needle: &str, nth: usize| json!({ "textDocument": doc, "position": position(FIXED, needle, nth) });
    let hover = client.request("textDocument/hover", at("api", 1));
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**api**") && text.contains("service"),
        "{text}"
    );
    let hover = client.request("textDocument/hover", at("replicas", 0));
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("`replicas`")
    );

    let mut after_arrow = at("db", 0);
    after_arrow["position"]["character"] = json!(7);
    let completion = client.request("textDocument/completion", after_arrow);
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"db") && labels.contains(&"users"),
        "{labels:?}"
    );

    let definition = client.request("textDocument/definition", at("db", 0));
    assert_eq!(definition["result"]["uri"], uri(&dir.join("lib.hld")));
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({ "line": 0, "character": 9 })
    );

    let mut references = at("api", 0);
    references["context"] = json!({ "includeDeclaration": true });
    let references = client.request("textDocument/references", references);
    assert_eq!(references["result"].as_array().unwrap().len(), 3);

    let mut rename = at("api", 0);
    rename["newName"] = json!("backend");
    let rename = client.request("textDocument/rename", rename);
    assert_eq!(
        rename["result"]["changes"][&main_uri]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let mut collision = at("api", 0);
    collision["newName"] = json!("db");
    let collision = client.request("textDocument/rename", collision);
    assert!(
        collision["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already declared"),
        "{collision}"
    );

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": doc }),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["users", "api"]);

    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(formatting["result"].is_array(), "{formatting}");

    let finding = fixed.iter().find(|d| d["code"] == "no-rate-limit").unwrap();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": doc, "range": finding["range"], "context": { "diagnostics": [finding] } }),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Allow `no-rate-limit` here")),
        "{titles:?}"
    );

    // What an editor should not send gets an error, and the session goes on.
    client.send_raw(b"{ not json");
    let parse_error = client.wait(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    let unknown = client.request("hld/unknown", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = client.request("textDocument/hover", json!({ "nope": 1 }));
    assert_eq!(bad_params["error"]["code"], -32602);
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": main_uri, "version": 3 },
            "contentChanges": [{ "text": "service api {{{ \u{1F600}" }],
        }),
    );
    let broken = client.diagnostics(&main_uri);
    assert!(broken.iter().any(|d| d["code"] == "syntax"), "{broken:?}");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": doc, "position": { "line": 0, "character": 9 } }),
    );
    assert!(
        hover.get("result").is_some(),
        "an answer, even on broken text: {hover}"
    );
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": doc, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert!(
        formatting["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not parse")
    );

    assert!(client.exit().success());
}
