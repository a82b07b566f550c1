//! The layout engine on generated graphs of 30, 300, 1,000 and 3,000 nodes (about 1.5
//! edges per node, a third of the nodes in groups nested up to 3 deep, a tenth of the
//! edges labelled, some edges pointing back). Run: `cargo bench --bench layout`.

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hld::layout::{Direction, EdgeSpec, GroupSpec, Input, NodeSpec, Size, layout};
use std::hint::black_box;

fn graph(nodes: usize) -> Input {
    let mut rng = support::Lcg(nodes as u64);
    let group_count = (nodes / 30).max(1);
    let groups: Vec<GroupSpec> = (0..group_count)
        .map(|g| GroupSpec {
            parent: (g % 3 != 0 && g > 0).then(|| g - 1),
            label: Size {
                width: 80.0,
                height: 16.0,
            },
        })
        .collect();
    let node_specs: Vec<NodeSpec> = (0..nodes)
        .map(|i| NodeSpec {
            size: Size {
                width: 80.0 + rng.next(80) as f64,
                height: 44.0,
            },
            group: (i % 3 == 0).then(|| rng.next(group_count)),
        })
        .collect();
    let edges: Vec<EdgeSpec> = (0..nodes * 3 / 2)
        .map(|e| {
            let from = rng.next(nodes);
            let to = if e % 20 == 0 {
                rng.next(nodes)
            } else {
                (from + 1 + rng.next(30)).min(nodes - 1)
            };
            let label = (e % 10 == 0).then_some(Size {
                width: 40.0,
                height: 14.0,
            });
            EdgeSpec { from, to, label }
        })
        .collect();
    Input {
        direction: Direction::Right,
        nodes: node_specs,
        groups,
        edges,
    }
}

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    for nodes in [30, 300, 1_000, 3_000] {
        let input = graph(nodes);
        group.bench_with_input(BenchmarkId::from_parameter(nodes), &input, |b, input| {
            b.iter(|| layout(black_box(input)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
