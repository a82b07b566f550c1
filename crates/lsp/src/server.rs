//! The session: initialize, then requests and notifications until shutdown and exit.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, RenameOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, WorkDoneProgressOptions,
};
use serde_json::Value;

use crate::position::Encoding;
use crate::uri;
use crate::world::World;

/// How long diagnostics wait after a change, so that a burst of keystrokes is
/// compiled once (the client's `initializationOptions.debounceMs` may set it).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// A request hld does not know: `hld/render`, the preview's (the design as SVG).
pub const RENDER: &str = "hld/render";

pub fn serve(connection: &Connection) -> std::io::Result<()> {
    let Some((world, debounce)) = initialize(connection)? else {
        return Ok(());
    };
    Session {
        connection,
        world,
        debounce,
        dirty: BTreeSet::new(),
        deadline: None,
        shutdown: false,
    }
    .run()
}

/// Answers `initialize` (anything else before it is refused, as the protocol says).
fn initialize(connection: &Connection) -> std::io::Result<Option<(World, Duration)>> {
    loop {
        let message = match connection.receiver.recv() {
            Ok(message) => message,
            Err(_) => return Ok(None),
        };
        match message {
            Message::Request(request) if request.method == req::Initialize::METHOD => {
                let params: InitializeParams =
                    serde_json::from_value(request.params).unwrap_or_default();
                let offered = params
                    .capabilities
                    .general
                    .as_ref()
                    .and_then(|g| g.position_encodings.as_deref());
                let encoding = Encoding::negotiate(offered);
                let debounce = params
                    .initialization_options
                    .as_ref()
                    .and_then(|o| o.get("debounceMs"))
                    .and_then(Value::as_u64)
                    .map_or(DEBOUNCE, |ms| Duration::from_millis(ms.min(10_000)));
                let result = serde_json::json!({
                    "capabilities": capabilities(encoding),
                    "serverInfo": ServerInfo {
                        name: "hld".to_owned(),
                        version: Some(env!("CARGO_PKG_VERSION").to_owned()),
                    },
                });
                send(connection, Response::new_ok(request.id, result));
                return Ok(Some((World::new(encoding), debounce)));
            }
            Message::Request(request) => send(
                connection,
                Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "initialize first".to_owned(),
                ),
            ),
            Message::Notification(n) if n.method == notify::Exit::METHOD => return Ok(None),
            _ => {}
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", ">", "(", "\"", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(lsp_types::FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn send(connection: &Connection, response: Response) {
    let _ = connection.sender.send(Message::Response(response));
}

struct Session<'a> {
    connection: &'a Connection,
    world: World,
    debounce: Duration,
    /// Files changed since diagnostics were last published.
    dirty: BTreeSet<PathBuf>,
    deadline: Option<Instant>,
    shutdown: bool,
}

impl Session<'_> {
    fn run(mut self) -> std::io::Result<()> {
        loop {
            let message = match self.deadline {
                Some(deadline) => match self.connection.receiver.recv_deadline(deadline) {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => {
                        self.publish_dirty();
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                },
                None => match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(notification) => {
                    if notification.method == notify::Exit::METHOD {
                        return Ok(());
                    }
                    self.notification(notification);
                }
                Message::Response(_) => {}
            }
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            let message = "the server is shutting down".to_owned();
            return send(
                self.connection,
                Response::new_err(id, ErrorCode::InvalidRequest as i32, message),
            );
        }
        if request.method == req::Shutdown::METHOD {
            self.shutdown = true;
            return send(self.connection, Response::new_ok(id, Value::Null));
        }
        // Answers see the diagnostics' view of the documents: pending changes are
        // compiled first (analyses are cached per change, so this costs once).
        let response = match self.answer(&request) {
            Ok(value) => Response::new_ok(id, value),
            Err(Failure(code, message)) => Response::new_err(id, code as i32, message),
        };
        send(self.connection, response);
    }

    fn answer(&mut self, request: &Request) -> Result<Value, Failure> {
        let world = &self.world;
        let params = request.params.clone();
        match request.method.as_str() {
            req::HoverRequest::METHOD => to_json(crate::hover::hover(world, parse(params)?)),
            req::Completion::METHOD => to_json(crate::completion::complete(world, parse(params)?)),
            req::GotoDefinition::METHOD => {
                to_json(crate::navigation::definition(world, parse(params)?))
            }
            req::References::METHOD => {
                to_json(crate::navigation::references(world, parse(params)?))
            }
            req::PrepareRenameRequest::METHOD => {
                to_json(crate::navigation::prepare_rename(world, parse(params)?))
            }
            req::Rename::METHOD => to_json(crate::navigation::rename(world, parse(params)?)?),
            req::DocumentSymbolRequest::METHOD => {
                to_json(crate::navigation::document_symbols(world, parse(params)?))
            }
            req::WorkspaceSymbolRequest::METHOD => {
                to_json(crate::navigation::workspace_symbols(world, parse(params)?))
            }
            req::Formatting::METHOD => to_json(crate::editing::format(world, parse(params)?)?),
            req::FoldingRangeRequest::METHOD => {
                to_json(crate::editing::folding(world, parse(params)?))
            }
            req::CodeActionRequest::METHOD => {
                to_json(crate::actions::code_actions(world, parse(params)?))
            }
            RENDER => to_json(crate::editing::render(world, parse(params)?)?),
            method => Err(Failure(
                ErrorCode::MethodNotFound,
                format!("hld does not answer `{method}`"),
            )),
        }
    }

    fn notification(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(path) = uri::to_path(&p.text_document.uri) {
                    self.world
                        .set(path.clone(), p.text_document.text, p.text_document.version);
                    // Opening is shown at once; typing waits for a pause.
                    self.dirty.insert(path);
                    self.publish_dirty();
                }
            }
            notify::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                let Some(document) = self.world.documents.get(&path) else {
                    return;
                };
                let text =
                    crate::editing::apply(&document.text, &p.content_changes, self.world.encoding);
                self.world.set(path.clone(), text, p.text_document.version);
                self.dirty.insert(path);
                self.deadline = Some(Instant::now() + self.debounce);
            }
            notify::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(path) = uri::to_path(&p.text_document.uri) {
                    self.world.close(&path);
                    crate::diagnostics::clear(self.connection, &p.text_document.uri);
                    self.dirty.insert(path);
                    self.publish_dirty();
                }
            }
            _ => {}
        }
    }

    /// Diagnostics for every open design that reads a changed file.
    fn publish_dirty(&mut self) {
        self.deadline = None;
        let mut roots = BTreeSet::new();
        for path in std::mem::take(&mut self.dirty) {
            roots.extend(self.world.readers_of(&path));
        }
        for root in roots {
            crate::diagnostics::publish(self.connection, &self.world, &root);
        }
    }
}

/// A request that could not be answered, and why.
pub struct Failure(pub ErrorCode, pub String);

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, Failure> {
    serde_json::from_value(params)
        .map_err(|e| Failure(ErrorCode::InvalidParams, format!("bad parameters: {e}")))
}

fn to_json(value: impl serde::Serialize) -> Result<Value, Failure> {
    Ok(serde_json::to_value(value).unwrap_or(Value::Null))
}

/// For the features: a request about a document that is not open.
pub fn not_open() -> Failure {
    Failure(
        ErrorCode::InvalidParams,
        "the document is not open (didOpen it first)".to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use lsp_server::{Message, Notification, Request, RequestId};
    use serde_json::json;

    use super::*;

    /// Requests all over every design and language example (and their text cut short,
    /// as while typing) are answered, never with a crash.
    #[test]
    fn every_position_of_every_example_gets_an_answer() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files: Vec<std::path::PathBuf> = ["designs", "examples/language"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "hld"))
            .collect();
        files.sort();
        let (server, client) = Connection::memory();
        let session = std::thread::spawn(move || serve(&server));
        let mut id = 0;
        let mut request = |method: &str, params: Value| {
            id += 1;
            let request = Request::new(RequestId::from(id), method.to_owned(), params);
            client.sender.send(Message::Request(request)).unwrap();
            loop {
                match client.receiver.recv().expect("the session is alive") {
                    Message::Response(response) => return response,
                    _ => continue,
                }
            }
        };
        request(
            "initialize",
            json!({ "capabilities": {}, "initializationOptions": { "debounceMs": 0 } }),
        );
        for (n, path) in files.iter().enumerate() {
            let full = std::fs::read_to_string(path).unwrap();
            // Half of the files cut in the middle: unclosed blocks, strings, comments.
            let text = if n % 2 == 0 { full.clone() } else { cut(&full) };
            let uri = crate::uri::from_path(&std::path::absolute(path).unwrap());
            let open = json!({ "textDocument": { "uri": uri, "languageId": "hld", "version": 1, "text": text } });
            let notification = Notification::new("textDocument/didOpen".to_owned(), open);
            client
                .sender
                .send(Message::Notification(notification))
                .unwrap();
            let lines = crate::position::Lines::new(&text, Encoding::Utf16);
            for offset in (0..=text.len())
                .step_by(5)
                .filter(|o| text.is_char_boundary(*o))
            {
                let position = lines.position(offset);
                let at = json!({ "textDocument": { "uri": uri }, "position": position });
                for method in [
                    "textDocument/hover",
                    "textDocument/completion",
                    "textDocument/definition",
                ] {
                    let response = request(method, at.clone());
                    assert!(
                        response.response_result.is_ok(),
                        "{method} at {offset} of {}: {response:?}",
                        path.display()
                    );
                }
            }
            let whole = json!({ "textDocument": { "uri": uri } });
            for method in ["textDocument/documentSymbol", "textDocument/foldingRange"] {
                assert!(request(method, whole.clone()).response_result.is_ok());
            }
            let everything = json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": 0, "character": 0 }, "end": lines.position(text.len()) },
                "context": { "diagnostics": [] },
            });
            assert!(
                request("textDocument/codeAction", everything)
                    .response_result
                    .is_ok()
            );
        }
        request("shutdown", Value::Null);
        let exit = Notification::new("exit".to_owned(), Value::Null);
        client.sender.send(Message::Notification(exit)).unwrap();
        session.join().unwrap().unwrap();
    }

    fn cut(text: &str) -> String {
        let mut at = text.len() * 2 / 3;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text[..at].to_owned()
    }
}
