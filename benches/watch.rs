//! Save → `update` event latency of `hld watch` on every design in `designs/`: the real
//! binary, a real file write, the event read from `/events`. Not criterion: each sample
//! is a save. Prints the median and p95 per design and overall.
//! Run: `cargo bench --bench watch` (BENCHMARKS.md records the figures).

// The tests' helper that starts `hld watch` and reads the port it prints.
#[path = "../tests/it/common.rs"]
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SAVES: usize = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter, if any, selects designs by name.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<_> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .filter(|p| {
            filter
                .as_ref()
                .is_none_or(|f| p.to_string_lossy().contains(f))
        })
        .collect();
    designs.sort();
    let mut all = Vec::new();
    println!("{:<22} {:>8} {:>8}", "design", "median", "p95");
    for design in designs {
        let mut latencies = measure(&design);
        latencies.sort();
        println!(
            "{:<22} {:>6.1}ms {:>6.1}ms",
            design.file_stem().unwrap().to_string_lossy(),
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.95).as_secs_f64() * 1e3
        );
        all.extend(latencies);
    }
    all.sort();
    if !all.is_empty() {
        println!(
            "{:<22} {:>6.1}ms {:>6.1}ms   ({} saves)",
            "all",
            percentile(&all, 0.5).as_secs_f64() * 1e3,
            percentile(&all, 0.95).as_secs_f64() * 1e3,
            all.len()
        );
    }
}

fn measure(design: &std::path::Path) -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(design).unwrap();
    let file = dir.path().join("design.hld");
    std::fs::write(&file, &text).unwrap();
    let (mut child, port) = common::spawn_watch(dir.path(), "design.hld");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if line.starts_with("data: ") && sender.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    // The initial state (and the first build, if the connection came first).
    receiver.recv_timeout(Duration::from_secs(10)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    while receiver.try_recv().is_ok() {}
    let mut latencies = Vec::new();
    for save in 0..SAVES {
        let saved = Instant::now();
        std::fs::write(&file, format!("{text}// save {save}\n")).unwrap();
        let arrived = receiver.recv_timeout(Duration::from_secs(10)).unwrap();
        latencies.push(arrived.duration_since(saved));
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    latencies
}
