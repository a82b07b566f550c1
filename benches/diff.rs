//! `hld diff` on two versions of the generated design of 3,000 components (issue 34:
//! under 1 s for the whole command): both compiled and linted, then compared; and the
//! comparison alone.
//! Run: `cargo bench --bench diff`. Figures are in BENCHMARKS.md.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use hld::Lint;
use std::hint::black_box;

/// A later version: every 20th service one replica more, one service added and linked.
fn changed(text: &str) -> String {
    let mut services = 0;
    let mut out: Vec<String> = text
        .lines()
        .map(|line| {
            if line.starts_with("service ") && line.contains("replicas: 2,") {
                services += 1;
                if services % 20 == 0 {
                    return line.replacen("replicas: 2,", "replicas: 3,", 1);
                }
            }
            line.to_string()
        })
        .collect();
    out.push("service extra { replicas: 2 }".to_string());
    out.push("n62 -> extra".to_string());
    out.join("\n")
}

fn linted(text: &str) -> hld::Compilation {
    let mut compilation = hld::compile("generated.hld", text.as_bytes().to_vec());
    compilation.lint(hld::analysis::Settings::default());
    compilation
}

fn bench_diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    let old = support::design(3_000, 6_000);
    let new = changed(&old);
    group.bench_function("3000/compile-lint-compare", |b| {
        b.iter(|| {
            let (old, new) = (linted(black_box(&old)), linted(black_box(&new)));
            hld::analysis::diff::diff(&old, &new, 0.1).changed.len()
        })
    });
    let (old, new) = (linted(&old), linted(&new));
    group.bench_function("3000/compare", |b| {
        b.iter(|| {
            hld::analysis::diff::diff(black_box(&old), black_box(&new), 0.1)
                .changed
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_diff);
criterion_main!(benches);
