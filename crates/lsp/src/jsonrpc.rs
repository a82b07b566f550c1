//! JSON-RPC 2.0 messages, whatever frames them: `Content-Length` headers for the
//! language server (`transport.rs`), one line each for the MCP server (`hld mcp`). A text
//! that is not JSON is a parse error (`-32700`), JSON that is no message an invalid
//! request (`-32600`), answered with a null id.

use lsp_server::Message;

/// One message's text as a message, or the error to answer it with.
pub fn parse(text: &str) -> Result<Message, (lsp_server::ErrorCode, String)> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| (lsp_server::ErrorCode::ParseError, format!("not JSON: {e}")))?;
    serde_json::from_value(value).map_err(|e| {
        (
            lsp_server::ErrorCode::InvalidRequest,
            format!("not a JSON-RPC message: {e}"),
        )
    })
}

/// The JSON-RPC error response to a message whose id is unknown (`"id": null`, which
/// lsp-server's `Response` cannot hold).
pub fn error(code: lsp_server::ErrorCode, message: String) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code as i32, "message": message },
    })
    .to_string()
}

/// Reads up to the end of the current line, holding at most a buffer of it (a header or
/// a message line too long to keep).
pub fn skip_line(input: &mut impl std::io::BufRead) -> std::io::Result<()> {
    loop {
        let (done, used) = {
            let buffer = input.fill_buf()?;
            if buffer.is_empty() {
                return Ok(());
            }
            match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => (true, at + 1),
                None => (false, buffer.len()),
            }
        };
        input.consume(used);
        if done {
            return Ok(());
        }
    }
}
