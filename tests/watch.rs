//! `hld watch`: the real binary on a temporary design, every way editors save, broken
//! saves, imports, the routes (and nothing else), Ctrl-C.

mod common;

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
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("shared.hld"),
            "database db { replicas: 2 }\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("design.hld"), design(2)).unwrap();
        let (child, port) = common::spawn_watch(dir.path(), "design.hld");
        let events = subscribe(port);
        let mut watch = Watch {
            child,
            port,
            events,
            revision: 0,
            dir,
        };
        let first = watch.next_update();
        assert_eq!(first["ok"], true);
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
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
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
    write!(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
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
    assert!(page.contains("EventSource(\"/events\")"));
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
