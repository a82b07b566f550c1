//! Properties of the layout engine on generated graphs (random DAGs with cycles, groups
//! nested 3 deep, empty groups, parallel edges, self-loops, labels, disconnected parts):
//! no node overlap, every group box holds exactly its members, no edge through a node,
//! labels clear of nodes and of each other, and the same output every time; each plain
//! and folded into up to three bands, from one ranking and ordering.

use hld::layout::{
    Direction, EdgeSpec, GroupSpec, Hint, Input, Layout, MAX_ROUTE_POINTS, NodeSpec, Rect, Size,
    TooDense, layouts, layouts_near,
};

/// The layout of a graph the tests know to be drawable.
fn layout(input: &Input) -> Layout {
    hld::layout::layout(input).expect("drawable")
}
use proptest::prelude::*;

/// A graph and how many bands to fold it into.
fn graph() -> impl Strategy<Value = (Input, usize)> {
    (1usize..40, 0usize..8, any::<bool>(), 1usize..4)
        .prop_flat_map(|(nodes, groups, right, bands)| {
            let group_parents = (0..groups)
                .map(|g| {
                    if g == 0 {
                        Just(None).boxed()
                    } else {
                        prop::option::of(0..g).boxed()
                    }
                })
                .collect::<Vec<_>>();
            let node_specs = prop::collection::vec(
                (
                    40.0f64..160.0,
                    20.0f64..60.0,
                    prop::option::of(0..groups.max(1)),
                ),
                nodes,
            );
            let edges = prop::collection::vec(
                (
                    0..nodes,
                    0..nodes,
                    prop::option::of((20.0f64..80.0, 10.0f64..20.0)),
                ),
                0..nodes * 2,
            );
            let shape = (Just(right), Just(groups), Just(bands));
            (group_parents, node_specs, edges, shape)
        })
        .prop_map(|(parents, nodes, edges, (right, groups, bands))| {
            let input = Input {
                direction: if right {
                    Direction::Right
                } else {
                    Direction::Down
                },
                groups: parents
                    .into_iter()
                    .map(|parent| GroupSpec {
                        parent,
                        label: Size {
                            width: 60.0,
                            height: 14.0,
                        },
                    })
                    .collect(),
                nodes: nodes
                    .into_iter()
                    .map(|(width, height, group)| NodeSpec {
                        size: Size { width, height },
                        group: group.filter(|_| groups > 0),
                    })
                    .collect(),
                edges: edges
                    .into_iter()
                    .map(|(from, to, label)| EdgeSpec {
                        from,
                        to,
                        label: label.map(|(width, height)| Size { width, height }),
                    })
                    .collect(),
            };
            (input, bands)
        })
}

fn members(input: &Input, group: usize) -> Vec<usize> {
    (0..input.nodes.len())
        .filter(|&n| input.in_group(n, group))
        .collect()
}

fn is_ancestor(input: &Input, ancestor: usize, mut group: usize) -> bool {
    loop {
        if group == ancestor {
            return true;
        }
        match input.groups[group].parent {
            Some(parent) => group = parent,
            None => return false,
        }
    }
}

/// Whether the segment enters the rectangle shrunk by one unit.
fn crosses(a: (f64, f64), b: (f64, f64), r: &Rect) -> bool {
    let r = Rect {
        x: r.x + 1.0,
        y: r.y + 1.0,
        width: r.width - 2.0,
        height: r.height - 2.0,
    };
    let steps = 64;
    (0..=steps).any(|i| {
        let t = i as f64 / steps as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x > r.x && x < r.right() && y > r.y && y < r.bottom()
    })
}

fn check(input: &Input, out: &Layout) -> Result<(), TestCaseError> {
    for (i, a) in out.nodes.iter().enumerate() {
        let size = input.nodes[i].size;
        prop_assert!(
            (a.width - size.width).abs() < 1e-9 && (a.height - size.height).abs() < 1e-9,
            "node {i} keeps its size"
        );
        for (j, b) in out.nodes.iter().enumerate().skip(i + 1) {
            prop_assert!(!a.overlaps(b), "nodes {i} and {j} overlap: {a:?} {b:?}");
        }
    }
    for (g, group) in out.groups.iter().enumerate() {
        // The title's strip at the top of the box is left to the title.
        let label = input.groups[g].label;
        let title = Rect {
            height: label.height,
            width: label.width.min(group.width),
            ..*group
        };
        for (n, node) in out.nodes.iter().enumerate() {
            prop_assert!(
                !title.overlaps(node),
                "node {n} covers the title of group {g}"
            );
        }
        let inside = members(input, g);
        for (n, node) in out.nodes.iter().enumerate() {
            if inside.contains(&n) {
                prop_assert!(
                    group.contains(node),
                    "group {g} does not hold its member {n}: {group:?} {node:?}"
                );
            } else {
                prop_assert!(
                    !group.overlaps(node),
                    "group {g} overlaps non-member {n}: {group:?} {node:?}"
                );
            }
        }
        for (h, other) in out.groups.iter().enumerate() {
            if h != g && !is_ancestor(input, g, h) && !is_ancestor(input, h, g) {
                prop_assert!(!group.overlaps(other), "groups {g} and {h} overlap");
            }
            if h != g && is_ancestor(input, g, h) {
                prop_assert!(
                    group.contains(other),
                    "group {g} does not hold its child {h}"
                );
            }
        }
    }
    for (e, (edge, route)) in input.edges.iter().zip(&out.edges).enumerate() {
        for pair in route.points.windows(2) {
            for (n, node) in out.nodes.iter().enumerate() {
                if n != edge.from && n != edge.to {
                    prop_assert!(
                        !crosses(pair[0], pair[1], node),
                        "edge {e} passes through node {n}"
                    );
                }
            }
        }
        if let Some(label) = &route.label {
            for (n, node) in out.nodes.iter().enumerate() {
                prop_assert!(
                    !label.overlaps(node),
                    "the label of edge {e} covers node {n}"
                );
            }
        }
    }
    let labels: Vec<&Rect> = out.edges.iter().filter_map(|r| r.label.as_ref()).collect();
    for (i, a) in labels.iter().enumerate() {
        for b in labels.iter().skip(i + 1) {
            prop_assert!(a == b || !a.overlaps(b), "labels overlap");
        }
    }
    // No route runs through the label of an edge between two other nodes (edges
    // joining the same two nodes share a route and its label).
    let pair = |e: &EdgeSpec| (e.from.min(e.to), e.from.max(e.to));
    for (e, route) in out.edges.iter().enumerate() {
        let Some(label) = route.label else { continue };
        let inner = Rect {
            x: label.x + 1.0,
            y: label.y + 1.0,
            width: label.width - 2.0,
            height: label.height - 2.0,
        };
        for (f, other) in out.edges.iter().enumerate() {
            if pair(&input.edges[f]) != pair(&input.edges[e]) {
                prop_assert!(
                    !other
                        .points
                        .windows(2)
                        .any(|s| inner.meets_segment(s[0], s[1])),
                    "edge {f} runs through the label of edge {e}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn layouts_keep_their_invariants((input, bands) in graph()) {
        let out: Vec<_> = layouts(&input, &[1, bands]).expect("drawable").collect();
        check(&input, &out[0])?;
        check(&input, &out[1])?;
        prop_assert_eq!(&out[0], &layout(&input), "one ranking and ordering for every fold");
        let again: Vec<_> = layouts(&input, &[1, bands]).expect("drawable").collect();
        prop_assert_eq!(out, again, "deterministic");
    }

    /// Near an earlier drawing (a node added, called by another: watch mode after a
    /// save) the layout keeps every invariant, plain and folded.
    #[test]
    fn layouts_near_an_earlier_drawing_keep_their_invariants(
        (input, bands) in graph(),
        caller in any::<prop::sample::Index>(),
    ) {
        let before = layout(&input);
        let mut edited = input.clone();
        edited.nodes.push(box_node(None));
        let added = edited.nodes.len() - 1;
        edited.edges.push(plain_edge(caller.index(input.nodes.len()), added));
        let centre = |r: &Rect| (r.x + r.width / 2.0, r.y + r.height / 2.0);
        let hint = Hint {
            centres: before.nodes.iter().map(|r| Some(centre(r))).collect(),
            routes: before.edges.iter().map(|route| route.points.clone()).collect(),
        };
        let near: Vec<_> = layouts_near(&edited, &[1, bands], Some(&hint))
            .expect("drawable")
            .collect();
        check(&edited, &near[0])?;
        check(&edited, &near[1])?;
    }
}

/// A box 80 × 40.
fn box_node(group: Option<usize>) -> NodeSpec {
    NodeSpec {
        size: Size {
            width: 80.0,
            height: 40.0,
        },
        group,
    }
}

fn plain_edge(from: usize, to: usize) -> EdgeSpec {
    EdgeSpec {
        from,
        to,
        label: None,
    }
}

/// A graph whose routes would need more than [`MAX_ROUTE_POINTS`] points is refused
/// before it is ordered or placed, with the figures: a chain of 2,000 nodes and 2,600
/// parallel links from its first node to its last, each 2,000 ranks long.
#[test]
fn a_graph_too_dense_to_draw_is_refused() {
    let chain = 2_000;
    let node = box_node(None);
    let mut edges: Vec<EdgeSpec> = (1..chain).map(|i| plain_edge(i - 1, i)).collect();
    let long = MAX_ROUTE_POINTS / chain + 100;
    edges.extend((0..long).map(|_| plain_edge(0, chain - 1)));
    let input = Input {
        direction: Direction::Down,
        nodes: vec![node; chain],
        groups: vec![],
        edges,
    };
    let points = 2 * (chain - 1) + long * chain;
    let refused = hld::layout::layout(&input).expect_err("too dense");
    assert_eq!(
        refused,
        TooDense {
            points,
            edges: chain - 1 + long
        }
    );
    assert!(
        refused
            .to_string()
            .contains(&format!("through {points} points"))
    );
}

#[test]
fn an_empty_graph_has_an_empty_layout() {
    let out = layout(&Input {
        direction: Direction::Down,
        nodes: vec![],
        groups: vec![],
        edges: vec![],
    });
    assert!(out.nodes.is_empty() && out.width > 0.0);
}

#[test]
fn a_chain_flows_in_the_direction_asked() {
    let node = box_node(None);
    let edges = vec![plain_edge(0, 1), plain_edge(1, 2)];
    for direction in [Direction::Down, Direction::Right] {
        let out = layout(&Input {
            direction,
            nodes: vec![node.clone(); 3],
            groups: vec![],
            edges: edges.clone(),
        });
        let along = |r: &Rect| {
            if direction == Direction::Down {
                r.y
            } else {
                r.x
            }
        };
        assert!(
            along(&out.nodes[0]) < along(&out.nodes[1])
                && along(&out.nodes[1]) < along(&out.nodes[2]),
            "{direction:?}"
        );
    }
}

/// A chain of N nodes with an edge from the first to each and a chain into the last
/// from each: N²/2 ranks crossed by long edges. The fan-out and the fan-in each run in
/// one trunk, so the routes have a bounded number of points each, and the invariants
/// hold.
#[test]
fn fan_outs_over_long_chains_cost_linear_points() {
    let n = 600;
    let node = box_node(None);
    let mut edges: Vec<EdgeSpec> = (0..n - 1).map(|i| plain_edge(i, i + 1)).collect();
    edges.extend((2..n).map(|i| plain_edge(0, i)));
    edges.extend((1..n - 2).map(|i| plain_edge(i, n - 1)));
    let input = Input {
        direction: Direction::Down,
        nodes: vec![node; n],
        groups: vec![],
        edges,
    };
    let out = layout(&input);
    check(&input, &out).unwrap();
    let points: usize = out.edges.iter().map(|route| route.points.len()).sum();
    assert!(
        points < 40 * input.edges.len(),
        "{points} points for {} edges",
        input.edges.len()
    );
}

/// A label costs no rank: of a node with a labelled edge to each of three nodes, the
/// three are on the next rank, side by side, each label between the two ranks on its
/// own route and clear of the others (and of the other routes: `check`). The gap grows
/// for the labels' length along the flow, with room for the arrowheads on both sides.
#[test]
fn labels_of_short_edges_sit_between_the_ranks() {
    let node = box_node(None);
    let label = Size {
        width: 50.0,
        height: 14.0,
    };
    for direction in [Direction::Down, Direction::Right] {
        let input = Input {
            direction,
            nodes: vec![node.clone(); 4],
            groups: vec![],
            edges: (1..4)
                .map(|to| EdgeSpec {
                    from: 0,
                    to,
                    label: Some(label),
                })
                .collect(),
        };
        let out = layout(&input);
        check(&input, &out).unwrap();
        // Seen top-down, whichever way the drawing goes.
        let down = direction == Direction::Down;
        let top_down = |r: &Rect| {
            if down {
                *r
            } else {
                Rect {
                    x: r.y,
                    y: r.x,
                    width: r.height,
                    height: r.width,
                }
            }
        };
        let source_end = top_down(&out.nodes[0]).bottom();
        let targets = top_down(&out.nodes[1]).y;
        for (n, target) in out.nodes.iter().enumerate().skip(1) {
            assert_eq!(
                top_down(target).y,
                targets,
                "{direction:?}: node {n} on the next rank"
            );
        }
        for route in &out.edges {
            let label = route.label.expect("every edge keeps its label");
            let seen = top_down(&label);
            assert!(
                seen.y >= source_end + 4.0 && seen.bottom() <= targets - 4.0,
                "{direction:?}: the label {label:?} lies between the ranks"
            );
            let centre = (label.x + label.width / 2.0, label.y + label.height / 2.0);
            let through_centre = route.points.windows(2).any(|s| {
                let ((x0, y0), (x1, y1)) = (s[0], s[1]);
                let cross = (x1 - x0) * (centre.1 - y0) - (y1 - y0) * (centre.0 - x0);
                let within = (centre.0 - x0) * (centre.0 - x1) <= 1e-9
                    && (centre.1 - y0) * (centre.1 - y1) <= 1e-9;
                cross.abs() < 1e-6 && within
            });
            assert!(
                through_centre,
                "{direction:?}: the route {:?} goes through its label's centre {centre:?}",
                route.points
            );
        }
        let gap = targets - source_end;
        let length = match direction {
            Direction::Down => label.height,
            Direction::Right => label.width,
        };
        assert!(
            gap >= length + 24.0 - 1e-9 && gap <= length + 40.0,
            "{direction:?}: a gap of {gap} for labels {length} long"
        );
    }
}

/// `ungrouped` nodes, then `grouped` nodes in one group, laid out top-down with the
/// invariants checked.
fn with_one_group(ungrouped: usize, grouped: usize, edges: Vec<EdgeSpec>) -> Layout {
    let mut nodes = vec![box_node(None); ungrouped];
    nodes.extend(vec![box_node(Some(0)); grouped]);
    let input = Input {
        direction: Direction::Down,
        nodes,
        groups: vec![GroupSpec {
            parent: None,
            label: Size {
                width: 40.0,
                height: 14.0,
            },
        }],
        edges,
    };
    let out = layout(&input);
    check(&input, &out).unwrap();
    out
}

/// A group is kept short along the flow: of a chain a0 → a1 → a2 → a3 and a group
/// holding x and y (a0 → x → y, a3 → y), x could sit on any rank from a0's next to
/// a3's at the same total edge length; the group's length decides, so x sits on the
/// rank just above y (a3's) and the group box spans two ranks, not four.
#[test]
fn a_group_is_ranked_compactly() {
    let (x, y) = (4, 5);
    let mut edges: Vec<EdgeSpec> = (0..3).map(|i| plain_edge(i, i + 1)).collect();
    edges.extend([plain_edge(0, x), plain_edge(x, y), plain_edge(3, y)]);
    let out = with_one_group(4, 2, edges);
    assert_eq!(
        out.nodes[x].y, out.nodes[3].y,
        "x on a3's rank, just above y"
    );
    assert!(out.nodes[y].y > out.nodes[3].y, "y below a3");
}

/// A wide row on one rank does not push a group aside on the ranks below it: s fans out
/// to five nodes, and under them the first leads to l, the middle one into a group of
/// two, the last to r. The group sits between l and r, which are narrower than the row
/// above: the drawing is no wider than that row packed (a gap's rows packed as one
/// column put the group past the widest of them: 619 wide).
#[test]
fn a_group_shares_the_width_of_a_wide_row_on_another_rank() {
    let (s, l, r, g1, g2) = (0, 6, 7, 8, 9);
    let mut edges: Vec<EdgeSpec> = (1..6).map(|w| plain_edge(s, w)).collect();
    edges.extend([
        plain_edge(1, l),
        plain_edge(3, g1),
        plain_edge(5, r),
        plain_edge(g1, g2),
    ]);
    let out = with_one_group(8, 2, edges);
    // Five boxes 80 wide, 18 apart, and the margins.
    let row = 5.0 * 80.0 + 4.0 * 18.0;
    assert!(
        out.width <= row + 2.0 * 16.0 + 1e-6,
        "{} wide for a row {row} wide",
        out.width
    );
}
