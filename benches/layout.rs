//! The layout engine on generated graphs of 30, 300, 1,000 and 3,000 nodes (about 1.5
//! edges per node, a third of the nodes in groups nested up to 3 deep, a tenth of the
//! edges labelled, some edges pointing back), beside layout-rs (the flat baseline
//! engine, up to its 300-node cap) and Graphviz `dot -Tjson` (whole process, up to 1,000
//! nodes; the 3,000-node file is written for one timed run). Run: `cargo bench --bench layout`.

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hld::layout::layout;
use std::hint::black_box;

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    let dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if !dot {
        eprintln!(
            "Graphviz `dot` is not installed: the comparison is skipped (apt-get install graphviz)"
        );
    }
    for nodes in [30, 300, 1_000, 3_000] {
        let input = support::layout_graph(nodes);
        group.bench_with_input(BenchmarkId::new("hld", nodes), &input, |b, input| {
            b.iter(|| layout(black_box(input)))
        });
        if nodes <= hld::layout::flat::MAX_NODES {
            group.bench_with_input(BenchmarkId::new("layout-rs", nodes), &input, |b, input| {
                b.iter(|| hld::layout::flat::layout(black_box(input)))
            });
        }
        let path = std::env::temp_dir().join(format!("hld-layout-{nodes}.dot"));
        std::fs::write(&path, support::dot_source(&input))
            .expect("the temporary directory is writable");
        // dot takes minutes on 3,000 clustered nodes: compare up to 1,000.
        if dot && nodes <= 1_000 {
            group.bench_with_input(BenchmarkId::new("dot -Tjson", nodes), &path, |b, path| {
                b.iter(|| {
                    std::process::Command::new("dot")
                        .arg("-Tjson")
                        .arg(path)
                        .output()
                        .expect("dot runs")
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
