//! Shared by the benches; each uses part of it.
//!
//! Generated designs for the benches: deterministic, shaped like real system designs
//! (clients in front, services in the middle, stores behind), with a third of the
//! components in groups.
#![allow(dead_code)]

use hld::layout::{Direction, EdgeSpec, GroupSpec, Input, NodeSpec, Size};

/// A small deterministic generator (64-bit LCG), so every run benches the same input.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

const TIERS: &[(&str, &str)] = &[
    ("lb", "{ replicas: 2, algorithm: least_connections }"),
    (
        "service",
        "{ replicas: 3, deploy: canary, autoscale: 3..12 }",
    ),
    (
        "service",
        "{ replicas: 2, rate_limit: token_bucket(rate: 100/s, burst: 20) }",
    ),
    ("cache", "{ engine: redis, ttl: 10min, replicas: 2 }"),
    (
        "database",
        "{ engine: postgres, replication: leader_follower(mode: async, followers: 2), record_size: 1KB, retention: 1y }",
    ),
    ("queue", "{ engine: kafka, partitions: 12, replication: 3 }"),
    ("worker", "{ replicas: 4, idempotent: true }"),
];

/// A design of `components` components and about `links` links.
pub fn design(components: usize, links: usize) -> String {
    let mut rng = Lcg(components as u64);
    let mut text = String::from("design \"Generated\" { availability: 99.9%, latency: 500ms }\n");
    let clients = (components / 50).max(1);
    for i in 0..clients {
        text.push_str(&format!("client c{i} {{ dau: 10M, requests: 20/day }}\n"));
    }
    let mut group_open = false;
    for i in clients..components {
        if i % 30 == 0 {
            if group_open {
                text.push_str("}\n");
            }
            group_open = rng.next(3) == 0;
            if group_open {
                text.push_str(&format!("group g{i} \"Team {i}\" {{\n"));
            }
        }
        let (kind, attrs) = TIERS[rng.next(TIERS.len())];
        text.push_str(&format!("{kind} n{i} \"Component {i}\" {attrs}\n"));
    }
    if group_open {
        text.push_str("}\n");
    }
    let id = |i: usize| {
        if i < clients {
            format!("c{i}")
        } else {
            format!("n{i}")
        }
    };
    for l in 0..links {
        // Mostly forward links (request paths flow one way), a few back edges.
        let from = rng.next(components);
        let to = if l % 20 == 0 {
            rng.next(components)
        } else {
            (from + 1 + rng.next(40)).min(components - 1)
        };
        let attrs = match rng.next(4) {
            0 => " { protocol: grpc, timeout: 200ms }",
            1 => " { ops: read, ratio: 50% }",
            2 => " { retry: exponential(attempts: 3, base: 20ms, jitter: true) }",
            _ => "",
        };
        text.push_str(&format!("{} -> {}{attrs}\n", id(from), id(to.max(clients))));
    }
    text
}

/// A layout input of `nodes` nodes (see benches/layout.rs).
pub fn layout_graph(nodes: usize) -> Input {
    let mut rng = Lcg(nodes as u64);
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
pub fn dot_source(input: &Input) -> String {
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

/// A chain of `n` services with a link from the first to each (issue 12's layout
/// family: the long links cross N²/2 ranks in all).
pub fn fan_out_chain(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("service s{i}\n"));
    }
    for i in 0..n - 1 {
        text.push_str(&format!("s{i} -> s{}\n", i + 1));
    }
    for i in 2..n {
        text.push_str(&format!("s0 -> s{i}\n"));
    }
    text
}

/// `n` services calling each other in one ring of synchronous links: one `sync-cycle`
/// finding that names all of them.
pub fn sync_ring(n: usize) -> String {
    let mut text = String::from("design \"Ring\" { observability: [metrics] }\n");
    for i in 0..n {
        text.push_str(&format!("service s{i} {{ replicas: 2 }}\n"));
    }
    for i in 0..n {
        text.push_str(&format!("s{i} -> s{} {{ timeout: 1s }}\n", (i + 1) % n));
    }
    text
}
