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

/// The same graph for Graphviz: nodes of the same size (inches at 72 per inch),
/// groups as nested clusters, labels as edge labels.
fn dot_source(input: &Input) -> String {
    let mut out = String::from("digraph g {\n  rankdir=LR;\n  node [shape=box, fixedsize=true];\n");
    let root = input.groups.len();
    let mut members: Vec<Vec<String>> = vec![Vec::new(); root + 1];
    for (i, node) in input.nodes.iter().enumerate() {
        let line = format!(
            "n{i} [width={:.3}, height={:.3}];\n",
            node.size.width / 72.0,
            node.size.height / 72.0
        );
        members[node.group.unwrap_or(root)].push(line);
    }
    fn write_scope(input: &Input, members: &[Vec<String>], scope: usize, out: &mut String) {
        members[scope].iter().for_each(|line| out.push_str(line));
        let parent = (scope < input.groups.len()).then_some(scope);
        for (child, spec) in input.groups.iter().enumerate() {
            if spec.parent == parent {
                out.push_str(&format!(
                    "subgraph cluster_{child} {{ label=\"g{child}\";\n"
                ));
                write_scope(input, members, child, out);
                out.push_str("}\n");
            }
        }
    }
    write_scope(input, &members, root, &mut out);
    for edge in &input.edges {
        let label = if edge.label.is_some() {
            " [label=\"https\"]"
        } else {
            ""
        };
        out.push_str(&format!("n{} -> n{}{label};\n", edge.from, edge.to));
    }
    out.push_str("}\n");
    out
}

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
        let input = graph(nodes);
        group.bench_with_input(BenchmarkId::new("hld", nodes), &input, |b, input| {
            b.iter(|| layout(black_box(input)))
        });
        // dot takes minutes on 3,000 clustered nodes: compare up to 1,000.
        if dot && nodes <= 1_000 {
            let path = std::env::temp_dir().join(format!("hld-layout-{nodes}.dot"));
            std::fs::write(&path, dot_source(&input)).expect("the temporary directory is writable");
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
