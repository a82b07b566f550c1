//! The live page's HTTP server, on 127.0.0.1 only. Four routes and nothing else: no
//! file is ever read from disk, so no path can reach outside them. One thread per
//! connection; `/events` holds its connection open and streams Server-Sent Events.
//!
//! What keeps it safe from other pages and other local programs: only requests whose
//! `Host` is this server's (`127.0.0.1:PORT`, `localhost:PORT`) are answered, so a page
//! on a rebinding DNS name cannot read the design; the page is sent with a
//! Content-Security-Policy that runs no script but its own; connections are capped
//! (the oldest connection still sending its head dropped for a newcomer, 503 when none
//! is), event streams in a pool of their own so that they cannot lock the page out; a
//! request head must arrive whole within [`HEAD_DEADLINE`].

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The page: the diagram, the diagnostics beside it, swapped in place on every event.
const PAGE: &str = include_str!("page.html");
/// The page's script, served as a file of its own so that the page's policy can allow
/// scripts from this server alone (`script-src 'self'`), with no hash to keep in step.
const SCRIPT: &str = include_str!("page.js");

/// Connections reading a request or being answered, at most.
pub const MAX_REQUESTS: usize = 32;
/// Event streams open at once, at most (each open page holds one).
pub const MAX_EVENT_STREAMS: usize = 16;
/// A request head (line and headers) must arrive within this time.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// A request head larger than this is not one of ours.
const MAX_HEAD: usize = 16 * 1024;
/// A client that does not take what is written within this time is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the last build produced.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last good SVG (kept while the source does not compile).
    pub svg: Option<Arc<String>>,
    /// The last good SVG of each flow and scenario (`flow=ID`, `scenario=ID`), drawn
    /// with the design, and `/views`' JSON listing them.
    pub views: Arc<std::collections::BTreeMap<String, String>>,
    pub views_json: Arc<String>,
    /// The diagnostics of the last build, as `hld check --format json` prints them.
    pub diagnostics: Arc<String>,
    pub ok: bool,
    pub errors: usize,
    pub warnings: usize,
    pub revision: u64,
}

impl Snapshot {
    /// The `update` event's data (docs/cli.md).
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
    let pools = Arc::new(Pools::default());
    std::thread::spawn(move || {
        loop {
            match listener.accept() {
                Ok((stream, _)) => accept(stream, port, &shared, &pools),
                // Out of file descriptors, say: wait for connections to close instead
                // of spinning on the same error.
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    });
    Ok(port)
}

/// The open connections, counted per pool, and those still reading their request head.
#[derive(Default)]
struct Pools {
    requests: Arc<AtomicUsize>,
    event_streams: Arc<AtomicUsize>,
    heads: Heads,
}

/// The connections still sending their request head, oldest first: when every place is
/// taken, the oldest of them is dropped for the newcomer, so slow clients cannot hold
/// every place and lock the page out.
#[derive(Default)]
struct Heads {
    next: std::sync::atomic::AtomicU64,
    open: Mutex<std::collections::VecDeque<(u64, TcpStream)>>,
}

impl Heads {
    /// Notes a connection that starts reading its head; `None` when it cannot be noted
    /// (it then cannot be dropped early, only by its deadline).
    fn register(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        self.lock().push_back((id, clone));
        Some(id)
    }

    fn done(&self, id: Option<u64>) {
        if let Some(id) = id {
            self.lock().retain(|(open, _)| *open != id);
        }
    }

    /// Shuts the oldest connection still reading its head; whether there was one.
    fn drop_oldest(&self) -> bool {
        let oldest = self.lock().pop_front();
        oldest.is_some_and(|(_, stream)| {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            true
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::VecDeque<(u64, TcpStream)>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A place taken in a pool, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(pool: &Arc<AtomicUsize>, cap: usize) -> Option<Slot> {
        pool.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < cap).then_some(n + 1)
        })
        .ok()
        .map(|_| Slot(pool.clone()))
    }

    /// The place of a connection just dropped, whose thread has yet to give it back.
    fn inherit(pool: &Arc<AtomicUsize>) -> Slot {
        pool.fetch_add(1, Ordering::SeqCst);
        Slot(pool.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Hands the connection to a thread of its own, when the pool has room: the slot is
/// taken here, before the thread exists, so a burst cannot start more threads.
fn accept(stream: TcpStream, port: u16, shared: &Arc<Shared>, pools: &Arc<Pools>) {
    let slot = match Slot::take(&pools.requests, MAX_REQUESTS) {
        Some(slot) => slot,
        // Full: the oldest client still sending its head makes room, else 503.
        None if pools.heads.drop_oldest() => Slot::inherit(&pools.requests),
        None => return refuse_busy(stream),
    };
    let (shared, pools) = (shared.clone(), pools.clone());
    std::thread::spawn(move || {
        let _ = handle(stream, port, &shared, &pools, slot);
    });
}

/// 503 without waiting for the client: a fresh socket's buffer takes this at once.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 22\r\nRetry-After: 1\r\nConnection: close\r\n\r\ntoo many connections\r\n",
    );
}

/// A request as far as this server cares.
struct Request {
    method: String,
    /// The path, without query or fragment.
    path: String,
    /// The query, without `?`: `flow=ID` or `scenario=ID` picks a view of the diagram.
    query: String,
    host: Option<String>,
}

enum HeadError {
    /// Not a request this server can read (not UTF-8, no path): 400.
    Malformed,
    /// Too slow, too large, or the connection closed: dropped without an answer.
    Gone,
}

/// Reads the request head within [`HEAD_DEADLINE`] in all (a byte every few seconds
/// does not keep a connection), at most [`MAX_HEAD`] bytes.
fn read_request(stream: &mut TcpStream) -> Result<Request, HeadError> {
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || head.len() > MAX_HEAD {
            return Err(HeadError::Gone);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Gone)?;
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    parse_head(&head)
}

fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.lines();
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(HeadError::Malformed);
    };
    if !target.starts_with('/') {
        return Err(HeadError::Malformed);
    }
    let host = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim().to_ascii_lowercase());
    let without_fragment = target.split('#').next().unwrap_or("");
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    Ok(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        host,
    })
}

/// Whether the request names this server: a name that resolves elsewhere (DNS
/// rebinding) must not read the design.
fn is_own_host(host: Option<&str>, port: u16) -> bool {
    host.is_some_and(|host| {
        host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
    })
}

fn handle(
    mut stream: TcpStream,
    port: u16,
    shared: &Shared,
    pools: &Pools,
    slot: Slot,
) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let head = pools.heads.register(&stream);
    let read = read_request(&mut stream);
    pools.heads.done(head);
    let request = match read {
        Ok(request) => request,
        Err(HeadError::Malformed) => {
            return Response::text("400 Bad Request", b"bad request\n").write(&mut stream, false);
        }
        Err(HeadError::Gone) => return Ok(()),
    };
    let head_only = request.method == "HEAD";
    let streams = request.path == "/events" && !head_only;
    if streams && refusal(&request, port).is_none() {
        let Some(_stream_slot) = Slot::take(&pools.event_streams, MAX_EVENT_STREAMS) else {
            return Response::text("503 Service Unavailable", b"too many open pages\n")
                .with_header("Retry-After", "5")
                .write(&mut stream, false);
        };
        // A stream counts in its own pool, not against the page's requests.
        drop(slot);
        return events(stream, shared, shared.current());
    }
    let snapshot = shared.current();
    respond(&request, port, &snapshot).write(&mut stream, head_only)
}

/// Why a request is not served, if it is not: another host's name, or a method
/// other than GET and HEAD.
fn refusal(request: &Request, port: u16) -> Option<Response<'static>> {
    if !is_own_host(request.host.as_deref(), port) {
        return Some(Response::text(
            "403 Forbidden",
            b"this server answers only 127.0.0.1 and localhost\n",
        ));
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Some(
            Response::text("405 Method Not Allowed", b"GET only\n")
                .with_header("Allow", "GET, HEAD"),
        );
    }
    None
}

/// The answer to a request, but for the event stream's body.
fn respond<'a>(request: &Request, port: u16, snapshot: &'a Snapshot) -> Response<'a> {
    if let Some(refused) = refusal(request, port) {
        return refused;
    }
    match request.path.as_str() {
        "/" => Response::new("200 OK", "text/html; charset=utf-8", PAGE.as_bytes())
            .with_header("Content-Security-Policy", PAGE_POLICY),
        "/page.js" => Response::new(
            "200 OK",
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes(),
        ),
        "/diagram.svg" if !request.query.is_empty() => match view(snapshot, &request.query) {
            Some(svg) => Response::new("200 OK", "image/svg+xml", svg.as_bytes()),
            None => Response::text(
                "404 Not Found",
                b"no such flow or scenario in the last diagram drawn\n",
            ),
        },
        "/diagram.svg" => match &snapshot.svg {
            Some(svg) => Response::new("200 OK", "image/svg+xml", svg.as_bytes()),
            None => Response::text(
                "404 Not Found",
                b"no diagram yet: the design has not compiled\n",
            ),
        },
        "/simulation.svg" => match simulation(snapshot, &request.query) {
            Some(svg) => Response::new("200 OK", "image/svg+xml", svg.as_bytes()),
            None => Response::text(
                "404 Not Found",
                b"no timed scenario of that name in the last diagram drawn\n",
            ),
        },
        "/views" => Response::new("200 OK", "application/json", snapshot.views_json.as_bytes()),
        "/diagnostics" => Response::new(
            "200 OK",
            "application/json",
            snapshot.diagnostics.as_bytes(),
        ),
        // HEAD: the stream's head, and no stream.
        "/events" => Response::new("200 OK", "text/event-stream", b""),
        _ => Response::text("404 Not Found", b"not found\n"),
    }
}

/// The view a query picks: the first `flow=` or `scenario=` parameter; with
/// `as=sequence`, the flow as a sequence diagram.
fn view<'a>(snapshot: &'a Snapshot, query: &str) -> Option<&'a String> {
    let key = query
        .split('&')
        .find(|p| p.starts_with("flow=") || p.starts_with("scenario="))?;
    let sequence = query.split('&').any(|p| p == "as=sequence");
    match key.strip_prefix("flow=") {
        Some(flow) if sequence => snapshot.views.get(&format!("sequence={flow}")),
        _ => snapshot.views.get(key),
    }
}

/// The charts of a timed scenario's run (`?scenario=ID`).
fn simulation<'a>(snapshot: &'a Snapshot, query: &str) -> Option<&'a String> {
    let id = query.split('&').find_map(|p| p.strip_prefix("scenario="))?;
    snapshot.views.get(&format!("simulation={id}"))
}

struct Response<'a> {
    status: &'static str,
    content_type: &'static str,
    headers: Vec<(&'static str, &'a str)>,
    body: &'a [u8],
}

impl<'a> Response<'a> {
    fn new(status: &'static str, content_type: &'static str, body: &'a [u8]) -> Response<'a> {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body,
        }
    }

    fn text(status: &'static str, body: &'a [u8]) -> Response<'a> {
        Response::new(status, "text/plain", body)
    }

    fn with_header(mut self, name: &'static str, value: &'a str) -> Response<'a> {
        self.headers.push((name, value));
        self
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(self.body)?;
        }
        stream.flush()
    }
}

/// The page's Content-Security-Policy: its own script (`/page.js`) and nothing else
/// runs; it may fetch only from this server.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
