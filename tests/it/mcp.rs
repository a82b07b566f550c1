//! `hld mcp`: the official MCP TypeScript SDK's client drives the real binary over stdio
//! (tests/browser/mcp.mjs: the handshake, every tool, resources, tool errors, paths
//! outside the workspace, an input over the limit); and raw lines that are no message,
//! answered with JSON-RPC errors while the server goes on.

use crate::common::{node, npm_tools, required};

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn the_sdk_client_lists_and_calls_every_tool() {
    let Some(tools) = required(npm_tools("tests/browser", "@modelcontextprotocol/sdk")) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    node(
        "mcp.mjs",
        &[env!("CARGO_BIN_EXE_hld"), root.to_str().unwrap()],
        &tools,
    );
}

#[test]
fn lines_that_are_no_message_are_answered_and_the_server_goes_on() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_hld"))
        .arg("mcp")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = server.stdin.take().unwrap();
    let mut output = BufReader::new(server.stdout.take().unwrap());
    let mut answer = |line: &[u8]| -> serde_json::Value {
        input.write_all(line).unwrap();
        input.write_all(b"\n").unwrap();
        input.flush().unwrap();
        let mut text = String::new();
        output.read_line(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(answer(b"{ not json")["error"]["code"], -32700);
    assert_eq!(answer(b"[1, 2]")["error"]["code"], -32600);
    assert_eq!(answer(b"\xff\xfe")["error"]["code"], -32700);
    let unknown = answer(br#"{"jsonrpc":"2.0","id":7,"method":"sample"}"#);
    assert_eq!(
        (unknown["id"].as_i64(), unknown["error"]["code"].as_i64()),
        (Some(7), Some(-32601))
    );
    // A line longer than any design could make is skipped as it is read, not held.
    let long = vec![b'x'; (80 << 20) + 10];
    let refused = answer(&long);
    assert_eq!(refused["error"]["code"], -32700);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("MiB")
    );
    // A notification gets no answer: the line read next is the ping's.
    let ping = answer(
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}",
    );
    assert_eq!(
        (
            ping["id"].as_str(),
            ping["result"].as_object().map(|o| o.len())
        ),
        (Some("p"), Some(0))
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
