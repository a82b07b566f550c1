//! The whole drawing pipeline, parse → model → lint → layout → SVG, on generated designs
//! of 30, 300 and 3,000 components (1.5 links per component), beside Graphviz
//! `dot -Tsvg` (whole process) on the same graph: the same boxes, clusters and labels.
//! Run: `cargo bench --bench render`. Figures are in BENCHMARKS.md.

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hld::Lint;
use hld::render::{self, Format, Settings};
use std::hint::black_box;

fn settings() -> Settings {
    Settings::new(Format::Svg)
}

fn draw(text: &str) -> Vec<u8> {
    let mut compilation = hld::compile("generated.hld", text.as_bytes().to_vec());
    compilation.lint(hld::analysis::Settings::default());
    render::render(&compilation, &settings()).expect("renders")
}

fn bench_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    let dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if !dot {
        eprintln!(
            "Graphviz `dot` is not installed: the comparison is skipped (apt-get install graphviz)"
        );
    }
    for components in [30, 300, 3_000] {
        let text = support::design(components, components * 3 / 2);
        group.bench_with_input(
            BenchmarkId::new("hld parse+lint+layout+svg", components),
            &text,
            |b, text| b.iter(|| draw(black_box(text))),
        );
        let compilation = hld::compile("generated.hld", text.clone().into_bytes());
        let input = render::scene::layout_input(&compilation, &settings().options);
        let path = std::env::temp_dir().join(format!("hld-render-{components}.dot"));
        std::fs::write(&path, support::dot_source(&input)).expect("writable");
        // dot needs minutes for 3,000 clustered nodes: BENCHMARKS.md has one timed run
        // of `dot -Tsvg` on the file written here.
        if dot && components <= 300 {
            group.bench_with_input(
                BenchmarkId::new("dot -Tsvg", components),
                &path,
                |b, path| {
                    b.iter(|| {
                        std::process::Command::new("dot")
                            .arg("-Tsvg")
                            .arg(path)
                            .output()
                            .expect("dot runs")
                    })
                },
            );
        }
    }
    group.finish();
}

/// A chain of N services with a link from the first to each (issue 12): the long links
/// run in one trunk, so the cost stays near linear.
fn bench_fan_out_chain(c: &mut Criterion) {
    let mut group = c.benchmark_group("fan-out chain");
    group.sample_size(10);
    for n in [500, 1_000, 2_000, 4_000] {
        let text = support::fan_out_chain(n);
        group.bench_with_input(BenchmarkId::new("hld render", n), &text, |b, text| {
            b.iter(|| draw(black_box(text)).len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_render, bench_fan_out_chain);
criterion_main!(benches);
