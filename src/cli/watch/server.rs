//! The live page's HTTP server, on 127.0.0.1 only. Four routes and nothing else: no
//! file is ever read from disk, so no path can reach outside them. One thread per
//! connection; `/events` holds its connection open and streams Server-Sent Events.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The page: the diagram, the diagnostics beside it, swapped in place on every event.
const PAGE: &str = include_str!("page.html");

/// What the last build produced.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last good SVG (kept while the source does not compile).
    pub svg: Option<Arc<String>>,
    /// The diagnostics of the last build, as `hld check --format json` prints them.
    pub diagnostics: Arc<String>,
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    pub revision: u64,
}

impl Snapshot {
    /// The `update` event's data (cli.md).
    pub fn event_data(&self) -> String {
        format!(
            r#"{{"ok": {}, "errors": {}, "warnings": {}, "revision": {}}}"#,
            self.ok, self.errors, self.warnings, self.revision
        )
    }
}

/// The state shared by the build loop and the connections.
#[derive(Default)]
pub struct Shared {
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
    stopping: AtomicBool,
}

impl Shared {
    pub fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()) = snapshot;
        self.changed.notify_all();
    }

    pub fn current(&self) -> Snapshot {
        self.snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Waits until the revision differs from `seen`, or a while has passed (the caller
    /// then sends a keep-alive, which also finds closed connections).
    fn wait_past(&self, seen: u64) -> Option<Snapshot> {
        let guard = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, Duration::from_secs(10), |s| {
                s.revision == seen && !self.stopping()
            })
            .unwrap_or_else(|e| e.into_inner());
        (guard.revision != seen).then(|| guard.clone())
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) and serves in the background.
pub fn serve(port: u16, shared: Arc<Shared>) -> std::io::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let shared = shared.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &shared);
            });
        }
    });
    Ok(port)
}

/// The request line's method and path (without a query), after reading the headers.
fn read_request(stream: &TcpStream) -> std::io::Result<(String, String)> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    // A request head larger than this is not one of ours.
    let mut reader = BufReader::new(std::io::Read::take(stream, 16 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Headers are read and ignored, up to the blank line.
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("");
    let path = target.split(['?', '#']).next().unwrap_or("").to_owned();
    Ok((method, path))
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (method, path) = read_request(&stream)?;
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
            false,
        );
    }
    let snapshot = shared.current();
    match path.as_str() {
        "/" => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            PAGE.as_bytes(),
            head_only,
        ),
        "/diagram.svg" => match &snapshot.svg {
            Some(svg) => respond(
                &mut stream,
                "200 OK",
                "image/svg+xml",
                svg.as_bytes(),
                head_only,
            ),
            None => respond(
                &mut stream,
                "404 Not Found",
                "text/plain",
                b"no diagram yet: the design has not compiled\n",
                head_only,
            ),
        },
        "/diagnostics" => respond(
            &mut stream,
            "200 OK",
            "application/json",
            snapshot.diagnostics.as_bytes(),
            head_only,
        ),
        "/events" => events(stream, shared, snapshot),
        _ => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            head_only,
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Server-Sent Events: the current state at once, then one `update` per build.
fn events(mut stream: TcpStream, shared: &Shared, mut snapshot: Snapshot) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    loop {
        let event = format!("event: update\ndata: {}\n\n", snapshot.event_data());
        stream.write_all(event.as_bytes())?;
        stream.flush()?;
        loop {
            if shared.stopping() {
                return Ok(());
            }
            match shared.wait_past(snapshot.revision) {
                Some(next) => {
                    snapshot = next;
                    break;
                }
                None => {
                    stream.write_all(b": keep-alive\n\n")?;
                    stream.flush()?;
                }
            }
        }
    }
}
