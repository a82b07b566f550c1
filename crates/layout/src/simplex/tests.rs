use super::*;

fn edge(upper: usize, lower: usize) -> Edge {
    Edge {
        upper,
        lower,
        minlen: 1,
        weight: 1,
    }
}

fn length(rank: &[usize], edges: &[Edge]) -> usize {
    edges.iter().map(|e| rank[e.lower] - rank[e.upper]).sum()
}

#[test]
fn a_source_feeding_a_deep_node_moves_down_beside_it() {
    // 0 → 1 → 2 → 3, and 4 → 3: longest path puts 4 on rank 0 (an edge of length 3).
    let edges = [edge(0, 1), edge(1, 2), edge(2, 3), edge(4, 3)];
    let rank = rank(5, &edges);
    assert_eq!(rank, vec![0, 1, 2, 3, 2]);
    assert_eq!(length(&rank, &edges), 4);
}

#[test]
fn every_edge_keeps_its_minimum_length() {
    let edges = [
        edge(0, 1),
        Edge {
            minlen: 2,
            ..edge(1, 2)
        },
        edge(0, 2),
        edge(3, 2),
    ];
    let rank = rank(4, &edges);
    for e in &edges {
        assert!(rank[e.lower] >= rank[e.upper] + e.minlen, "{rank:?}");
    }
    assert_eq!(rank[2] - rank[1], 2);
}

#[test]
fn the_optimum_beats_longest_path_on_a_diamond_with_a_tail() {
    // Two sources into a chain: both sit just above their targets.
    let edges = [edge(0, 2), edge(2, 3), edge(3, 4), edge(1, 4), edge(5, 3)];
    let rank = rank(6, &edges);
    assert_eq!(length(&rank, &edges), 5, "{rank:?}");
}

/// Longest-path ranks: feasible, and never shorter than the optimum.
fn longest_path(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut rank = vec![0; n];
    // Edges go from lower to higher index here, so one pass in index order is enough.
    let mut sorted = edges.to_vec();
    sorted.sort_by_key(|e| e.upper);
    for e in sorted {
        rank[e.lower] = rank[e.lower].max(rank[e.upper] + e.minlen);
    }
    rank
}

proptest::proptest! {
    #[test]
    fn ranks_are_feasible_and_no_longer_than_longest_path(
        n in 1usize..40,
        raw in proptest::collection::vec((0usize..40, 0usize..40, 1usize..3, 1usize..4), 0..80),
    ) {
        let edges: Vec<Edge> = raw
            .into_iter()
            .filter_map(|(a, b, minlen, weight)| {
                let (a, b) = (a % n, b % n);
                (a != b).then(|| Edge { upper: a.min(b), lower: a.max(b), minlen, weight })
            })
            .collect();
        let ours = rank(n, &edges);
        for e in &edges {
            proptest::prop_assert!(ours[e.lower] >= ours[e.upper] + e.minlen);
        }
        let weighted = |r: &[usize]| -> usize {
            edges.iter().map(|e| e.weight * (r[e.lower] - r[e.upper])).sum()
        };
        proptest::prop_assert!(weighted(&ours) <= weighted(&longest_path(n, &edges)));
    }
}

proptest::proptest! {
    /// After the exchanges, the numbering and cut values kept up to date are those
    /// computed afresh, every tree edge is tight, and none has a negative cut value
    /// (the optimum), unless the exchange bound stopped it.
    #[test]
    fn incremental_updates_match_a_fresh_computation(
        n in 2usize..30,
        raw in proptest::collection::vec((0usize..30, 0usize..30, 1usize..3, 1usize..4), 1..80),
    ) {
        let mut edges: Vec<Edge> = raw
            .into_iter()
            .filter_map(|(a, b, minlen, weight)| {
                let (a, b) = (a % n, b % n);
                (a != b).then(|| Edge { upper: a.min(b), lower: a.max(b), minlen, weight })
            })
            .collect();
        // One connected part: a path through every node.
        edges.extend((1..n).map(|v| edge(v - 1, v)));
        let part = Part { nodes: (0..n).collect(), edges: (0..edges.len()).collect() };
        let mut component = Component::new(&part, &edges);
        component.optimise();
        let kept = (component.low.clone(), component.lim.clone(), component.cut.clone());
        component.number_tree();
        proptest::prop_assert_eq!(kept, (component.low.clone(), component.lim.clone(), component.cut.clone()));
        for e in (0..component.edges.len()).filter(|&e| component.in_tree[e]) {
            proptest::prop_assert_eq!(component.slack(e), 0);
            proptest::prop_assert!(component.cut[e] >= 0);
        }
    }
}

#[test]
fn disconnected_parts_each_start_at_rank_zero() {
    let rank = rank(5, &[edge(0, 1), edge(2, 3)]);
    assert_eq!(rank, vec![0, 1, 0, 1, 0]);
}
