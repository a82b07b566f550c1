//! `hld check` and `hld estimate` on generated designs: parse, parse + model,
//! estimate, lint (which includes the estimate), and everything; `hld what-if` with
//! ten scenarios.
//! Run: `cargo bench --bench check`. Figures are in BENCHMARKS.md.

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hld::Lint;
use std::hint::black_box;

fn bench_check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for (components, links) in [(300, 600), (3_000, 6_000)] {
        let text = support::design(components, links);
        let compiled = hld::compile("generated.hld", text.clone().into_bytes());
        assert!(!compiled.has_errors(), "the generated design compiles");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("parse/{components}"), |b| {
            b.iter(|| hld::syntax::parse(hld::source::FileId(0), black_box(&text)))
        });
        group.bench_function(format!("parse+model/{components}"), |b| {
            b.iter(|| hld::compile("generated.hld", black_box(text.clone().into_bytes())))
        });
        group.bench_function(format!("estimate/{components}"), |b| {
            b.iter(|| {
                let facts = hld::analysis::facts::Facts::new(&compiled.model);
                hld::analysis::estimate::Estimates::new(black_box(&compiled.model), &facts)
            })
        });
        group.bench_function(format!("lint/{components}"), |b| {
            b.iter(|| {
                hld::analysis::lint(
                    &compiled.model,
                    &compiled.sources,
                    hld::analysis::Settings::default(),
                )
            })
        });
        group.bench_function(format!("parse+model+lint/{components}"), |b| {
            b.iter(|| {
                let mut compilation =
                    hld::compile("generated.hld", black_box(text.clone().into_bytes()));
                compilation.lint(hld::analysis::Settings::default());
                compilation
            })
        });
    }
    group.finish();
}

/// Human output (`hld check` without `--format`): every finding rendered with its
/// source lines, on the generated design and on one finding with thousands of
/// related spans.
fn bench_human_output(c: &mut Criterion) {
    let mut group = c.benchmark_group("human");
    group.sample_size(10);
    let designs = [
        ("design/3000".to_string(), support::design(3_000, 6_000)),
        ("ring/2000".to_string(), support::sync_ring(2_000)),
        ("ring/10000".to_string(), support::sync_ring(10_000)),
    ];
    for (name, text) in designs {
        let mut compilation = hld::compile("generated.hld", text.into_bytes());
        compilation.lint(hld::analysis::Settings::default());
        group.bench_function(name, |b| {
            b.iter(|| {
                compilation
                    .diagnostics
                    .iter()
                    .map(|d| hld::diagnostics::render_human(&compilation.sources, d, false).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

/// `hld what-if` on the 3,000-component design with 10 scenarios, each failing a
/// component and a group (issue 14: under 1 s).
fn bench_what_if(c: &mut Criterion) {
    let mut group = c.benchmark_group("what-if");
    group.sample_size(10);
    let mut text = support::design(3_000, 6_000);
    let mut rng = support::Lcg(14);
    for k in 0..10 {
        let component = 60 + rng.next(2_940);
        text.push_str(&format!("scenario s{k} {{ fail: [n{component}] }}\n"));
    }
    let compiled = hld::compile("generated.hld", text.into_bytes());
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics.first());
    let model = &compiled.model;
    group.bench_function("10-scenarios/3000", |b| {
        b.iter(|| {
            let facts = hld::analysis::facts::Facts::new(model);
            model
                .scenarios
                .iter()
                .map(|s| {
                    hld::analysis::whatif::what_if(black_box(model), &facts, s)
                        .outcomes
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_check, bench_human_output, bench_what_if);
criterion_main!(benches);
