//! `hld mcp`: a Model Context Protocol server on stdio (docs/agents.md), so that a coding
//! agent can check, estimate, play failures on, draw, diff and grade the design it just
//! wrote, deterministically. Messages are JSON-RPC 2.0, one per line (MCP's stdio
//! transport), read by the language server's JSON-RPC code (`hld_lsp::jsonrpc`);
//! requests are answered in order on one thread.
//!
//! `session` speaks the protocol (initialize, tools, resources), `tools` holds each
//! tool's schema and what it runs, `design` turns a tool's arguments into a compiled
//! design (text and the files its imports name, or a path inside the workspace, never
//! outside it), `resources` the language reference and the rule catalogue.

mod design;
mod resources;
mod session;
mod tools;

pub use session::{PROTOCOL_VERSIONS, serve};

/// Serves on stdin and stdout; the workspace is the working directory.
pub fn run() -> std::io::Result<()> {
    let workspace = std::env::current_dir()?;
    serve(
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &workspace,
    )
}
