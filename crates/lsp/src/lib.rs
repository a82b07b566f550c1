//! `hld lsp`: a language server on stdio (docs/editors.md). Synchronous, over
//! lsp-server's message types: one thread answers requests in order, so every answer
//! sees the document versions before it. Diagnostics go out about 50 ms after the last
//! change (a burst of keystrokes is compiled once), for the changed file and every open
//! design that imports it.

mod actions;
mod completion;
mod diagnostics;
mod editing;
mod hover;
mod index;
pub mod jsonrpc;
mod navigation;
mod position;
mod server;
mod transport;
mod uri;
mod world;

/// The session on any connection (`lsp_server::Connection::memory()` in benchmarks).
pub use server::serve;

/// Serves one editor on stdin and stdout until it says `exit` (or the input ends).
pub fn run() -> std::io::Result<()> {
    let (connection, threads) = transport::stdio();
    let result = server::serve(&connection);
    drop(connection);
    threads.join()?;
    result
}
