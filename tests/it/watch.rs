//! `hld watch`: the real binary on a temporary design, every way editors save, broken
//! saves, imports, the routes (and nothing else), Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

fn design(replicas: u32) -> String {
    format!(
        "import \"shared.hld\"\nclient users\nservice api {{ replicas: {replicas} }}\nusers -> api -> db\n"
    )
}

struct Watch {
    child: Child,
    port: u16,
    events: Receiver<Value>,
    revision: u64,
    dir: tempfile::TempDir,
}

impl Watch {
    fn start() -> Watch {
        Watch::start_with(
            &[
                ("shared.hld", "database db { replicas: 2 }\n"),
                ("design.hld", &design(2)),
            ],
            true,
        )
    }

    /// Writes the files (`design.hld` among them, or made by `prepare`), starts the
    /// watch on `design.hld` and checks whether the first build drew.
    fn start_with(files: &[(&str, &str)], ok: bool) -> Watch {
        Watch::start_prepared(files, |_| {}, ok)
    }

    fn start_prepared(files: &[(&str, &str)], prepare: impl FnOnce(&Path), ok: bool) -> Watch {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        prepare(dir.path());
        let (child, port) = crate::common::spawn_watch(dir.path(), "design.hld");
        let events = subscribe(port);
        let mut watch = Watch {
            child,
            port,
            events,
            revision: 0,
            dir,
        };
        let first = watch.next_update();
        assert_eq!(first["ok"], ok, "{first}");
        watch
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The next `update` with a revision past the last one seen.
    fn next_update(&mut self) -> Value {
        loop {
            let event = self
                .events
                .recv_timeout(WAIT)
                .expect("an update event arrives");
            let revision = event["revision"].as_u64().unwrap();
            if revision > self.revision {
                self.revision = revision;
                return event;
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    fn svg(&self) -> String {
        let (status, body) = self.get("/diagram.svg");
        assert_eq!(status, 200);
        body
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// Reads `/events` in the background: each `data:` line of an `update` as JSON.
fn subscribe(port: u16) -> Receiver<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        let mut in_update = false;
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if line == "event: update" {
                in_update = true;
            } else if let Some(data) = line.strip_prefix("data: ").filter(|_| in_update) {
                in_update = false;
                if sender.send(serde_json::from_str(data).unwrap()).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

fn replace_in_place(path: &Path, contents: &str) {
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.write_all(contents.as_bytes()).unwrap();
    file.set_len(contents.len() as u64).unwrap();
    file.sync_all().unwrap();
}

/// One way an editor saves a file: (path, new contents).
type Save = dyn Fn(&Path, &str);

#[test]
fn every_way_of_saving_redraws() {
    let mut watch = Watch::start();
    let design_path = watch.path("design.hld");
    assert!(watch.svg().contains("×2"));
    let saves: [(&str, &Save); 4] = [
        ("write in place", &|p, c| replace_in_place(p, c)),
        ("truncate and write", &|p, c| std::fs::write(p, c).unwrap()),
        ("write a temporary file and rename it over", &|p, c| {
            let temporary = p.with_extension("hld.tmp~");
            std::fs::write(&temporary, c).unwrap();
            std::fs::rename(&temporary, p).unwrap();
        }),
        ("delete then create", &|p, c| {
            std::fs::remove_file(p).unwrap();
            std::fs::write(p, c).unwrap();
        }),
    ];
    for (replicas, (how, save)) in (3..).zip(saves) {
        save(&design_path, &design(replicas));
        let update = watch.next_update();
        // A delete-then-create may be seen as two changes: wait for the drawn one.
        let update = if update["ok"] == false {
            watch.next_update()
        } else {
            update
        };
        assert_eq!(update["ok"], true, "{how}");
        assert!(
            watch.svg().contains(&format!("×{replicas}")),
            "{how}: the diagram changed"
        );
        assert!(
            std::fs::read_to_string(watch.path("design.svg"))
                .unwrap()
                .contains(&format!("×{replicas}")),
            "{how}: OUT is written"
        );
    }
}

#[test]
fn a_broken_save_keeps_the_last_diagram_and_a_fix_recovers() {
    let mut watch = Watch::start();
    let good = watch.svg();
    std::fs::write(watch.path("design.hld"), "service api {\n  replicas 2\n}\n").unwrap();
    let update = watch.next_update();
    assert_eq!(update["ok"], false);
    assert_eq!(update["errors"], 1);
    assert_eq!(watch.svg(), good, "the last good SVG is served");
    let (_, diagnostics) = watch.get("/diagnostics");
    let report: Value = serde_json::from_str(&diagnostics).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "syntax");
    assert_eq!(report["diagnostics"][0]["line"], 2);
    std::fs::write(watch.path("design.hld"), design(5)).unwrap();
    let update = watch.next_update();
    assert_eq!(update["ok"], true);
    assert!(watch.svg().contains("×5"));
}

#[test]
fn a_file_that_disappears_is_an_error_until_it_returns() {
    let mut watch = Watch::start();
    std::fs::remove_file(watch.path("design.hld")).unwrap();
    assert_eq!(watch.next_update()["ok"], false);
    std::fs::write(watch.path("design.hld"), design(6)).unwrap();
    let update = watch.next_update();
    assert_eq!(update["ok"], true);
    assert!(watch.svg().contains("×6"));
}

#[test]
fn imported_files_are_watched_including_new_imports() {
    let mut watch = Watch::start();
    std::fs::write(watch.path("shared.hld"), "database db { replicas: 7 }\n").unwrap();
    assert_eq!(watch.next_update()["ok"], true);
    assert!(watch.svg().contains("×7"), "a change to an import redraws");
    std::fs::create_dir(watch.path("more")).unwrap();
    std::fs::write(watch.path("more/cache.hld"), "cache hot { replicas: 2 }\n").unwrap();
    let with_import = format!("import \"more/cache.hld\"\n{}api -> hot\n", design(2));
    std::fs::write(watch.path("design.hld"), with_import).unwrap();
    assert_eq!(watch.next_update()["ok"], true);
    std::fs::write(watch.path("more/cache.hld"), "cache hot { replicas: 8 }\n").unwrap();
    assert_eq!(watch.next_update()["ok"], true);
    assert!(watch.svg().contains("×8"), "a new import is watched too");
}

#[test]
fn only_the_routes_are_served() {
    let watch = Watch::start();
    let (status, page) = watch.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"/page.js\"></script>"));
    let (status, script) = watch.get("/page.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource(\"/events\")"));
    let (status, diagnostics) = watch.get("/diagnostics");
    assert_eq!(status, 200);
    let report: Value = serde_json::from_str(&diagnostics).unwrap();
    assert_eq!(report["version"], 1);
    for path in [
        "/../Cargo.toml",
        "/design.hld",
        "/shared.hld",
        "/nope",
        "/diagram.svg/../design.hld",
    ] {
        assert_eq!(watch.get(path).0, 404, "{path}");
    }
}

#[test]
fn the_picker_serves_each_flow_and_scenario_and_404_for_others() {
    let watch = Watch::start_with(
        &[(
            "design.hld",
            "client users\nservice api { replicas: 2 }\ndatabase db { replicas: 2 }\nusers -> api -> db\n\
             flow browse \"Browse\" { users -> api -> db }\nscenario db_down { fail: [db] }\n",
        )],
        true,
    );
    let (status, views) = watch.get("/views");
    assert_eq!(status, 200);
    let views: Value = serde_json::from_str(&views).unwrap();
    assert_eq!(views["flows"][0]["id"], "browse");
    assert_eq!(views["flows"][0]["label"], "Browse");
    assert_eq!(views["scenarios"][0]["id"], "db_down");
    let (status, flow) = watch.get("/diagram.svg?flow=browse");
    assert_eq!(status, 200);
    assert!(
        flow.contains(r#"class="flow-step" data-flow="browse" data-step="1""#),
        "{flow}"
    );
    let (status, scenario) = watch.get("/diagram.svg?scenario=db_down");
    assert_eq!(status, 200);
    assert!(scenario.contains("kind-database failed"));
    assert_eq!(watch.get("/diagram.svg?flow=nope").0, 404);
    assert_eq!(watch.get("/diagram.svg?scenario=browse").0, 404);
    // Without a query, the design as ever.
    assert!(!watch.svg().contains("flow-step"));
}

#[test]
fn ctrl_c_stops_cleanly_with_exit_0() {
    let mut watch = Watch::start();
    let status = Command::new("kill")
        .args(["-INT", &watch.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for _ in 0..200 {
        if let Some(status) = watch.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("hld watch did not stop on SIGINT");
}

#[test]
fn a_missing_import_is_picked_up_when_it_appears() {
    let design = design(2).replace("shared.hld", "lib/shared.hld");
    let mut watch = Watch::start_with(&[("design.hld", &design)], false);
    std::fs::create_dir(watch.path("lib")).unwrap();
    std::fs::write(
        watch.path("lib/shared.hld"),
        "database db { replicas: 4 }\n",
    )
    .unwrap();
    // The directory's creation is an update too; the file's follows.
    while watch.next_update()["ok"] != true {}
    assert!(watch.svg().contains("×4"));
}

#[test]
fn an_imported_directory_made_again_is_watched_again() {
    let design = design(2).replace("shared.hld", "lib/shared.hld");
    let mut watch = Watch::start_with(
        &[
            ("design.hld", &design),
            ("lib/shared.hld", "database db { replicas: 2 }\n"),
        ],
        true,
    );
    std::fs::remove_dir_all(watch.path("lib")).unwrap();
    assert_eq!(watch.next_update()["ok"], false);
    std::fs::create_dir(watch.path("lib")).unwrap();
    std::fs::write(
        watch.path("lib/shared.hld"),
        "database db { replicas: 7 }\n",
    )
    .unwrap();
    while watch.next_update()["ok"] != true {}
    assert!(watch.svg().contains("×7"));
    replace_in_place(
        &watch.path("lib/shared.hld"),
        "database db { replicas: 8 }\n",
    );
    assert_eq!(watch.next_update()["ok"], true);
    assert!(watch.svg().contains("×8"), "the new directory is watched");
}

#[test]
fn a_design_that_is_a_symlink_follows_its_target() {
    let mut watch = Watch::start_prepared(
        &[
            ("shared.hld", "database db { replicas: 2 }\n"),
            // Imports are relative to the design as named: the link.
            ("elsewhere/real.hld", &design(2)),
        ],
        |dir| std::os::unix::fs::symlink("elsewhere/real.hld", dir.join("design.hld")).unwrap(),
        true,
    );
    replace_in_place(&watch.path("elsewhere/real.hld"), &design(9));
    assert_eq!(watch.next_update()["ok"], true);
    assert!(watch.svg().contains("×9"));
}

#[test]
fn a_fifo_in_place_of_the_design_does_not_block_the_watch() {
    let mut watch = Watch::start();
    std::fs::remove_file(watch.path("design.hld")).unwrap();
    let status = Command::new("mkfifo")
        .arg(watch.path("design.hld"))
        .status()
        .unwrap();
    assert!(status.success());
    while watch.next_update()["ok"] != false {}
    let (status, diagnostics) = watch.get("/diagnostics");
    assert_eq!(status, 200);
    assert!(diagnostics.contains("not a regular file"), "{diagnostics}");
    std::fs::remove_file(watch.path("design.hld")).unwrap();
    std::fs::write(watch.path("design.hld"), design(3)).unwrap();
    while watch.next_update()["ok"] != true {}
    assert!(watch.svg().contains("×3"));
}

/// Sends raw bytes, returns the whole response (the server closes after it).
fn raw(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn only_requests_for_this_host_are_answered() {
    let watch = Watch::start();
    let port = watch.port;
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1:1",
    ] {
        let response = raw(
            port,
            format!("GET /diagram.svg HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert!(response.starts_with("HTTP/1.1 403"), "{host}: {response}");
        assert!(!response.contains("<svg"));
    }
    let response = raw(port, b"GET /diagnostics HTTP/1.0\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 403"), "no Host: {response}");
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let response = raw(
            port,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert!(response.starts_with("HTTP/1.1 200"), "{host}: {response}");
        let policy = response
            .lines()
            .find_map(|l| l.strip_prefix("Content-Security-Policy: "))
            .expect("the page has a Content-Security-Policy");
        assert!(
            policy.contains("default-src 'none'") && policy.contains("script-src 'self'"),
            "{policy}"
        );
    }
}

#[test]
fn malformed_and_unusual_requests_get_their_status() {
    let watch = Watch::start();
    let port = watch.port;
    let host = format!("Host: 127.0.0.1:{port}");
    let response = raw(
        port,
        format!("POST / HTTP/1.1\r\n{host}\r\n\r\n").as_bytes(),
    );
    assert!(
        response.starts_with("HTTP/1.1 405") && response.contains("\r\nAllow: GET, HEAD\r\n"),
        "{response}"
    );
    let response = raw(port, b"GET /\xff\xfe HTTP/1.1\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    // HEAD of the event stream answers with its head and ends.
    let response = raw(
        port,
        format!("HEAD /events HTTP/1.1\r\n{host}\r\n\r\n").as_bytes(),
    );
    assert!(
        response.starts_with("HTTP/1.1 200") && response.contains("text/event-stream"),
        "{response}"
    );
}

#[test]
fn connections_are_capped_and_event_streams_cannot_lock_the_page_out() {
    let watch = Watch::start();
    let port = watch.port;
    // Slow clients that send a little of a head and wait fill the pool of requests:
    // each newcomer drops the oldest of them, so the page still loads.
    let slow: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(s, "GET / HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let response = raw(
        port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "slow clients do not lock the page out: {response}"
    );
    // Room was made by dropping slow clients, unanswered (their head deadline is
    // seconds away: nothing else closes them yet).
    let dropped = slow
        .into_iter()
        .filter(|s| {
            let mut s = s;
            s.set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            let mut rest = Vec::new();
            s.read_to_end(&mut rest).ok() == Some(0)
        })
        .count();
    assert!(dropped >= 1, "no slow client was dropped");
    std::thread::sleep(Duration::from_millis(200));
    // Open pages (event streams) fill a pool of their own.
    let streams: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(s, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let busy = streams
        .into_iter()
        .filter_map(|mut s| {
            s.set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
            let mut head = [0u8; 12];
            s.read_exact(&mut head).ok()?;
            Some(String::from_utf8_lossy(&head).into_owned())
        })
        .filter(|head| head.starts_with("HTTP/1.1 503"))
        .count();
    assert_eq!(busy, 5, "the test's own stream and 20 more: 16 served");
    let response = raw(
        port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "the page still loads: {response}"
    );
}

#[test]
fn a_request_head_sent_slowly_is_dropped() {
    let watch = Watch::start();
    let mut stream = TcpStream::connect(("127.0.0.1", watch.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut closed = false;
    // A byte a second keeps each read alive but not the head: the server gives up on
    // it after 5 s in all.
    for byte in b"GET / HTTP/1.1\r\nX-Slow: ".iter().cycle().take(30) {
        if stream.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 64];
        if matches!(stream.read(&mut buffer), Ok(0)) {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(900));
    }
    assert!(closed, "still open after {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(15));
}
