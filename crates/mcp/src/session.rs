//! The protocol: one JSON-RPC message a line in, one answer a line out, in order.
//! `initialize` agrees on a protocol version (the client's when hld speaks it, else
//! hld's newest); `tools/list` and `tools/call`, `resources/list` and `resources/read`;
//! `ping`. A line that is no message is answered with JSON-RPC's error and the next one
//! read; a line longer than any design could make is skipped, not held.

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use hld_lsp::jsonrpc;
use lsp_server::{ErrorCode, Message, Request};
use serde_json::{Value, json};

use super::design::Workspace;
use super::{resources, tools};

/// The protocol versions hld speaks, newest first (modelcontextprotocol.io/specification).
pub const PROTOCOL_VERSIONS: [&str; 4] = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// The longest line read: a design may be 64 MiB (docs/cli.md), with room for JSON.
const MAX_LINE: u64 = 80 << 20;

/// MCP's error for a resource that does not exist.
const RESOURCE_NOT_FOUND: i32 = -32002;

const INSTRUCTIONS: &str = "hld checks system designs written in its language (read hld://docs/language.md). Write a design, then call `check` and fix what it finds (`explain` says why a rule matters); `estimate` gives its numbers, `what_if` and `simulate` play failures and load, `render` draws it, `diff` says what an edit changed, `practice_grade` grades an interview design. Designs are given as `text` (with `files` for imports) or as a `path` in the workspace.";

/// Answers every message on `input` until it ends.
pub fn serve(
    input: &mut impl BufRead,
    output: &mut impl Write,
    workspace: &Path,
) -> io::Result<()> {
    let workspace = Workspace::new(workspace);
    loop {
        let answer = match line(input)? {
            Line::End => return Ok(()),
            Line::TooLong => Some(jsonrpc::error(
                ErrorCode::ParseError,
                format!("a message over {} MiB is refused", MAX_LINE >> 20),
            )),
            Line::Text(text) if text.trim().is_empty() => None,
            Line::Text(text) => match jsonrpc::parse(&text) {
                Err((code, why)) => Some(jsonrpc::error(code, why)),
                Ok(Message::Request(request)) => Some(answer(request, &workspace)),
                // Notifications (`initialized`, `cancelled`) and responses need no answer.
                Ok(_) => None,
            },
        };
        if let Some(answer) = answer {
            debug_assert!(!answer.contains('\n'));
            writeln!(output, "{answer}")?;
            output.flush()?;
        }
    }
}

enum Line {
    End,
    Text(String),
    TooLong,
}

fn line(input: &mut impl BufRead) -> io::Result<Line> {
    let mut bytes = Vec::new();
    let read = input
        .by_ref()
        .take(MAX_LINE + 1)
        .read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if read as u64 > MAX_LINE && !bytes.ends_with(b"\n") {
        jsonrpc::skip_line(input)?;
        return Ok(Line::TooLong);
    }
    Ok(Line::Text(String::from_utf8_lossy(&bytes).into_owned()))
}

fn answer(request: Request, workspace: &Workspace) -> String {
    let result = match request.method.as_str() {
        "initialize" => Ok(initialize(&request.params)),
        "ping" => Ok(json!({})),
        "tools/list" => {
            Ok(json!({ "tools": tools::TOOLS.iter().map(tools::Tool::listed).collect::<Vec<_>>() }))
        }
        "tools/call" => call(&request.params, workspace),
        "resources/list" => Ok(resources::list()),
        "resources/templates/list" => Ok(json!({ "resourceTemplates": [] })),
        "resources/read" => {
            let uri = request
                .params
                .get("uri")
                .and_then(Value::as_str)
                .unwrap_or_default();
            resources::read(uri).ok_or((RESOURCE_NOT_FOUND, format!("no resource is at `{uri}`")))
        }
        other => Err((
            ErrorCode::MethodNotFound as i32,
            format!("hld does not answer `{other}`"),
        )),
    };
    let mut message = json!({ "jsonrpc": "2.0", "id": request.id });
    match result {
        Ok(result) => message["result"] = result,
        Err((code, text)) => message["error"] = json!({ "code": code, "message": text }),
    }
    message.to_string()
}

fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked
        .filter(|v| PROTOCOL_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": {
            "tools": { "listChanged": false },
            "resources": { "listChanged": false },
        },
        "serverInfo": { "name": "hld", "title": "hld: system designs as code", "version": env!("CARGO_PKG_VERSION") },
        "instructions": INSTRUCTIONS,
    })
}

/// `tools/call`: an unknown tool is a protocol error; what goes wrong inside a tool
/// (bad arguments, a design that does not compile) is a result with `isError`.
fn call(params: &Value, workspace: &Workspace) -> Result<Value, (i32, String)> {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let tool = tools::find(name).ok_or_else(|| {
        (
            ErrorCode::InvalidParams as i32,
            format!("no tool is called `{name}`"),
        )
    })?;
    let empty = serde_json::Map::new();
    let arguments = match params.get("arguments") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(arguments)) => arguments,
        Some(_) => {
            return Err((
                ErrorCode::InvalidParams as i32,
                "`arguments` must be an object".to_string(),
            ));
        }
    };
    Ok(match tool.run(arguments, workspace) {
        Ok(output) => json!({
            "content": [{ "type": "text", "text": output.text }],
            "structuredContent": output.structured,
            "isError": false,
        }),
        Err(failure) => {
            let mut content = vec![json!({ "type": "text", "text": failure.message })];
            if let Some(diagnostics) = failure.diagnostics {
                let text = serde_json::to_string_pretty(&diagnostics).expect("JSON serializes");
                content.push(json!({ "type": "text", "text": text }));
            }
            json!({ "content": content, "isError": true })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The answers `serve` writes for `input`, one JSON value a line.
    fn answers(input: &[u8]) -> Vec<Value> {
        let dir = tempfile::tempdir().unwrap();
        let mut output = Vec::new();
        serve(&mut io::Cursor::new(input), &mut output, dir.path()).unwrap();
        String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn initialize_agrees_on_the_clients_version_or_offers_the_newest() {
        let asked = |version: &str| {
            let request = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": version}});
            answers(format!("{request}\n").as_bytes())[0]["result"]["protocolVersion"].clone()
        };
        assert_eq!(asked("2025-06-18"), "2025-06-18");
        assert_eq!(asked("1999-01-01"), PROTOCOL_VERSIONS[0]);
    }

    proptest! {
        // Whatever the lines, each that is not blank or a notification is answered with
        // one line of JSON, and nothing panics.
        #[test]
        fn any_lines_are_answered_without_a_panic(lines in proptest::collection::vec("[ -~]{0,40}", 0..8)) {
            let input = lines.join("\n");
            let answered = answers(input.as_bytes());
            prop_assert!(answered.len() <= lines.len());
            for answer in answered {
                prop_assert_eq!(&answer["jsonrpc"], "2.0");
            }
        }

        #[test]
        fn any_tool_arguments_are_a_result_or_a_tool_error(name in "(check|estimate|what_if|simulate|explain|render|diff|practice_grade)", text in "[ -~]{0,60}", key in "(text|path|rule|old|fail|files)") {
            let request = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": {key: text}}});
            let answered = answers(format!("{request}\n").as_bytes());
            prop_assert_eq!(answered.len(), 1);
            prop_assert!(answered[0]["result"]["isError"].is_boolean(), "{}", answered[0]);
        }
    }
}
