//! `hld simulate` and the failure sweep (`hld what-if --all`) on the generated design of
//! 3,000 components and on the peer graph shape: ten minutes in 1-second steps (issue
//! 32: under 1 s), and the depth-1 sweep (under 2 s).
//! Run: `cargo bench --bench simulate`. Figures are in BENCHMARKS.md.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench_over_time(c: &mut Criterion) {
    let mut group = c.benchmark_group("over-time");
    group.sample_size(10);
    let text = support::design(3_000, 6_000);
    let compiled = hld::compile("generated.hld", text.into_bytes());
    assert!(!compiled.has_errors(), "the generated design compiles");
    let model = &compiled.model;
    let facts = hld::analysis::facts::Facts::new(model);
    group.bench_function("simulate/3000/10min", |b| {
        b.iter(|| {
            let settings = hld::analysis::simulate::Settings::default();
            hld::analysis::simulate::simulate(black_box(model), &facts, None, settings)
        })
    });
    group.bench_function("sweep/3000/depth-1", |b| {
        b.iter(|| hld::analysis::whatif::sweep::sweep(black_box(model), &facts, 1))
    });
    group.finish();
}

criterion_group!(benches, bench_over_time);
criterion_main!(benches);
