//! Phase 1: an acyclic orientation, merged parallel edges, and ranks.

use std::collections::{BTreeMap, BTreeSet};

use super::simplex;
use super::{EdgeSpec, GroupSpec, NodeSpec, Size};

/// An edge after merging and orientation: `upper` is ranked above `lower`.
#[derive(Clone, Debug)]
pub struct RankedEdge {
    pub upper: usize,
    pub lower: usize,
    pub label: Option<Size>,
}

pub struct Ranked {
    pub rank: Vec<usize>,
    pub ranks: usize,
    pub edges: Vec<RankedEdge>,
    /// Per input edge, where its route comes from.
    pub input: Vec<InputEdge>,
}

#[derive(Clone, Copy, Debug)]
pub enum InputEdge {
    /// A merged edge, and whether the input edge runs from `lower` to `upper`.
    Merged {
        edge: usize,
        reversed: bool,
    },
    SelfLoop {
        node: usize,
    },
}

impl Ranked {
    /// The points the input edges' routes will hold at least: one per rank each
    /// crosses, ends included (a self-loop's few count as its node's one).
    pub fn route_points(&self) -> usize {
        self.input
            .iter()
            .map(|input| match *input {
                InputEdge::Merged { edge, .. } => {
                    let edge = &self.edges[edge];
                    self.rank[edge.lower].abs_diff(self.rank[edge.upper]) + 1
                }
                InputEdge::SelfLoop { .. } => 1,
            })
            .sum()
    }
}

pub fn rank(nodes: &[NodeSpec], groups: &[GroupSpec], edges: &[EdgeSpec]) -> Ranked {
    let n = nodes.len();
    let back = fewer_reversed(
        depth_first_back_edges(n, edges),
        greedy_back_edges(n, edges),
    );
    // Merge edges joining the same two nodes, whichever way they point.
    let mut merged: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut ranked_edges: Vec<RankedEdge> = Vec::new();
    let mut input = Vec::with_capacity(edges.len());
    for (index, edge) in edges.iter().enumerate() {
        if edge.from == edge.to {
            input.push(InputEdge::SelfLoop { node: edge.from });
            continue;
        }
        let (upper, lower) = if back[index] {
            (edge.to, edge.from)
        } else {
            (edge.from, edge.to)
        };
        let key = (upper.min(lower), upper.max(lower));
        let merged_index = *merged.entry(key).or_insert_with(|| {
            ranked_edges.push(RankedEdge {
                upper,
                lower,
                label: None,
            });
            ranked_edges.len() - 1
        });
        let route = &mut ranked_edges[merged_index];
        if route.label.is_none() {
            route.label = edge.label;
        }
        input.push(InputEdge::Merged {
            edge: merged_index,
            reversed: edge.from != route.upper,
        });
    }
    let mut weight = vec![0usize; ranked_edges.len()];
    for input_edge in &input {
        if let InputEdge::Merged { edge, .. } = input_edge {
            weight[*edge] += 1;
        }
    }
    let mut simplex_edges: Vec<simplex::Edge> = ranked_edges
        .iter()
        .zip(&weight)
        .map(|(edge, &weight)| simplex::Edge {
            upper: edge.upper,
            lower: edge.lower,
            minlen: 1,
            weight,
        })
        .collect();
    let frames = group_frames(nodes, groups, &simplex_edges);
    simplex_edges.extend(frames);
    let mut rank = simplex::rank(n + 2 * groups.len(), &simplex_edges);
    rank.truncate(n);
    let first = rank.iter().copied().min().unwrap_or(0);
    rank.iter_mut().for_each(|r| *r -= first);
    spread_isolated(&mut rank, &ranked_edges);
    let ranks = rank.iter().copied().max().map_or(0, |r| r + 1);
    Ranked {
        rank,
        ranks,
        edges: ranked_edges,
        input,
    }
}

/// How much a group's length along the flow weighs in the ranking, against 1 for each
/// edge: a group whose members spread over many ranks is a long box that the routes
/// between the groups beside it must cross. Measured on the quality tool's graphs
/// (random 30 / 100 / 300) when the frames came in (BENCHMARKS.md, "the shape of the
/// pictures"): 1 took the drawings from 911k / 4,790k / 24,728k to 786k / 4,253k /
/// 25,347k and the routes through groups holding neither end from 5 / 25 / 712 to 0 /
/// 25 / 678; 2 or more stretched the edges (random 300: 26,140k at 2, more crossings),
/// and so did edges inside a group weighing twice those between groups.
const GROUP_SPAN_WEIGHT: usize = 1;

/// Edges that keep each group's ranks together (as Graphviz's ranking with clusters
/// does): a group `g` has a top frame node `n + 2g` above each of its members and a
/// bottom one `n + 2g + 1` below them (a parent's frame holds its children's), and the
/// edge from top to bottom weighs the group's length by `GROUP_SPAN_WEIGHT`. A member
/// below another member of its group is below the top already, so only the first
/// members get an edge from the top, and only the last an edge to the bottom (in a
/// generated 10,000-component design that halves the frame edges).
fn group_frames(
    nodes: &[NodeSpec],
    groups: &[GroupSpec],
    edges: &[simplex::Edge],
) -> Vec<simplex::Edge> {
    let n = nodes.len();
    let top = |g: usize| n + 2 * g;
    let bottom = |g: usize| n + 2 * g + 1;
    let frame = |upper, lower, weight| simplex::Edge {
        upper,
        lower,
        minlen: 0,
        weight,
    };
    let (mut first, mut last) = (vec![true; n], vec![true; n]);
    for edge in edges {
        if nodes[edge.upper].group == nodes[edge.lower].group {
            first[edge.lower] = false;
            last[edge.upper] = false;
        }
    }
    let mut frames = Vec::new();
    for (v, node) in nodes.iter().enumerate() {
        if let Some(g) = node.group {
            if first[v] {
                frames.push(frame(top(g), v, 0));
            }
            if last[v] {
                frames.push(frame(v, bottom(g), 0));
            }
        }
    }
    for (g, group) in groups.iter().enumerate() {
        frames.push(frame(top(g), bottom(g), GROUP_SPAN_WEIGHT));
        if let Some(p) = group.parent {
            frames.push(frame(top(p), top(g), 0));
            frames.push(frame(bottom(g), bottom(p), 0));
        }
    }
    frames
}

/// The orientation that reverses fewer edges; the depth-first one on a tie, since it
/// keeps links as written where it can.
fn fewer_reversed(depth_first: Vec<bool>, greedy: Vec<bool>) -> Vec<bool> {
    let count = |back: &[bool]| back.iter().filter(|&&b| b).count();
    if count(&greedy) < count(&depth_first) {
        greedy
    } else {
        depth_first
    }
}

/// Back edges of the Eades–Lin–Smyth order ("A fast and effective heuristic for the
/// feedback arc set problem", 1993; ELK's greedy cycle breaker): sinks go to the end,
/// sources to the front, otherwise the node with the most more edges out than in goes
/// next. A depth-first walk can reverse a long run of forward links when a few links
/// point back across the graph (on generated 3,000-component designs, 739 reversed
/// where 154 links point back); this order reverses about the links that point back.
/// O((V + E) log V); ties go to the lower index, so the result is deterministic.
fn greedy_back_edges(n: usize, edges: &[EdgeSpec]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    for edge in edges.iter().filter(|e| e.from != e.to) {
        out[edge.from].push(edge.to);
        into[edge.to].push(edge.from);
    }
    let mut outdegree: Vec<i64> = out.iter().map(|o| o.len() as i64).collect();
    let mut indegree: Vec<i64> = into.iter().map(|i| i.len() as i64).collect();
    let mut by_delta: BTreeSet<(i64, usize)> =
        (0..n).map(|v| (indegree[v] - outdegree[v], v)).collect();
    let mut sinks: BTreeSet<usize> = (0..n).filter(|&v| outdegree[v] == 0).collect();
    let mut sources: BTreeSet<usize> = (0..n)
        .filter(|&v| indegree[v] == 0 && outdegree[v] > 0)
        .collect();
    let mut removed = vec![false; n];
    let (mut front, mut back): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    // Sinks first, then sources, then the greatest out-minus-in.
    while let Some((v, to_front)) = sinks
        .pop_first()
        .map(|v| (v, false))
        .or_else(|| sources.pop_first().map(|v| (v, true)))
        .or_else(|| by_delta.first().map(|&(_, v)| (v, true)))
    {
        by_delta.remove(&(indegree[v] - outdegree[v], v));
        sources.remove(&v);
        removed[v] = true;
        if to_front {
            front.push(v);
        } else {
            back.push(v);
        }
        for &w in out[v].iter().filter(|&&w| !removed[w]) {
            by_delta.remove(&(indegree[w] - outdegree[w], w));
            indegree[w] -= 1;
            by_delta.insert((indegree[w] - outdegree[w], w));
            if indegree[w] == 0 && outdegree[w] > 0 {
                sources.insert(w);
            }
        }
        for &u in into[v].iter().filter(|&&u| !removed[u]) {
            by_delta.remove(&(indegree[u] - outdegree[u], u));
            outdegree[u] -= 1;
            by_delta.insert((indegree[u] - outdegree[u], u));
            if outdegree[u] == 0 {
                sources.remove(&u);
                sinks.insert(u);
            }
        }
    }
    let mut position = vec![0usize; n];
    for (p, &v) in front.iter().chain(back.iter().rev()).enumerate() {
        position[v] = p;
    }
    edges
        .iter()
        .map(|e| e.from != e.to && position[e.from] > position[e.to])
        .collect()
}

/// Edges that close a cycle in a depth-first walk from every node in index order.
fn depth_first_back_edges(n: usize, edges: &[EdgeSpec]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (index, edge) in edges.iter().enumerate() {
        if edge.from != edge.to {
            out[edge.from].push(index);
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Active,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut back = vec![false; edges.len()];
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::Active;
        let mut stack = vec![(root, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&edge) = out[*node].get(*next) {
                *next += 1;
                let target = edges[edge].to;
                match state[target] {
                    State::Active => back[edge] = true,
                    State::New => {
                        state[target] = State::Active;
                        stack.push((target, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[*node] = State::Done;
                stack.pop();
            }
        }
    }
    back
}

/// Nodes without edges would all sit on the first rank, one long row (a design that
/// lists its components before linking them); they are dealt over the ranks instead, and
/// over at least √n ranks, so they form a block.
fn spread_isolated(rank: &mut [usize], edges: &[RankedEdge]) {
    let mut linked = vec![false; rank.len()];
    for edge in edges {
        linked[edge.upper] = true;
        linked[edge.lower] = true;
    }
    let isolated: Vec<usize> = (0..rank.len()).filter(|&v| !linked[v]).collect();
    let used = (0..rank.len())
        .filter(|&v| linked[v])
        .map(|v| rank[v] + 1)
        .max()
        .unwrap_or(0);
    let columns = used
        .max((isolated.len() as f64).sqrt().ceil() as usize)
        .max(1);
    for (i, v) in isolated.into_iter().enumerate() {
        rank[v] = i % columns;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize) -> EdgeSpec {
        EdgeSpec {
            from,
            to,
            label: None,
        }
    }

    /// Whether the edges, with the back ones reversed, have no cycle (Kahn's algorithm).
    fn acyclic(n: usize, edges: &[EdgeSpec], back: &[bool]) -> bool {
        let oriented: Vec<(usize, usize)> = edges
            .iter()
            .zip(back)
            .filter(|(e, _)| e.from != e.to)
            .map(|(e, &b)| if b { (e.to, e.from) } else { (e.from, e.to) })
            .collect();
        let mut indegree = vec![0; n];
        oriented.iter().for_each(|&(_, w)| indegree[w] += 1);
        let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
        let mut seen = 0;
        while let Some(v) = ready.pop() {
            seen += 1;
            for &(_, w) in oriented.iter().filter(|&&(u, _)| u == v) {
                indegree[w] -= 1;
                if indegree[w] == 0 {
                    ready.push(w);
                }
            }
        }
        seen == n
    }

    /// Request paths flowing forward with a few links back across the graph, as the
    /// generated designs have: the depth-first walk, entering the back links early,
    /// reverses runs of forward links; the greedy order reverses little more than the
    /// links that point back.
    #[test]
    fn the_greedy_order_reverses_about_the_links_that_point_back() {
        let n = 300;
        let mut state = 7u64;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % bound
        };
        let mut edges = Vec::new();
        for l in 0..2 * n {
            let from = next(n);
            let to = if l % 20 == 0 {
                next(n)
            } else {
                (from + 1 + next(10)).min(n - 1)
            };
            edges.push(edge(from, to));
        }
        let pointing_back = edges.iter().filter(|e| e.to < e.from).count();
        let count = |back: &[bool]| back.iter().filter(|&&b| b).count();
        let greedy = greedy_back_edges(n, &edges);
        let depth_first = depth_first_back_edges(n, &edges);
        assert!(acyclic(n, &edges, &greedy) && acyclic(n, &edges, &depth_first));
        let (greedy_count, depth_first_count) = (count(&greedy), count(&depth_first));
        assert!(
            greedy_count <= pointing_back * 5 / 4 && 2 * depth_first_count > 3 * greedy_count,
            "{pointing_back} point back; greedy reverses {greedy_count}, depth-first {depth_first_count}"
        );
        assert_eq!(fewer_reversed(depth_first, greedy.clone()), greedy);
    }

    proptest::proptest! {
        /// Either orientation leaves no cycle, on any graph.
        #[test]
        fn both_orientations_are_acyclic(
            n in 1usize..30,
            raw in proptest::collection::vec((0usize..30, 0usize..30), 0..90),
        ) {
            let edges: Vec<EdgeSpec> = raw.into_iter().map(|(a, b)| edge(a % n, b % n)).collect();
            proptest::prop_assert!(acyclic(n, &edges, &greedy_back_edges(n, &edges)));
            proptest::prop_assert!(acyclic(n, &edges, &depth_first_back_edges(n, &edges)));
        }
    }

    /// On a tie the walk's orientation is kept: it reverses links as they were written.
    #[test]
    fn a_tie_keeps_the_depth_first_orientation() {
        // A cycle 0 → 1 → 2 → 0 with a detour 1 → 3 → 2: the walk from 0 reverses
        // 2 → 0, the greedy order (1 first: most out over in) reverses 0 → 1. One each:
        // the walk's is kept.
        let edges = [edge(0, 1), edge(1, 2), edge(2, 0), edge(1, 3), edge(3, 2)];
        let depth_first = depth_first_back_edges(4, &edges);
        let greedy = greedy_back_edges(4, &edges);
        assert_eq!(depth_first, [false, false, true, false, false]);
        assert_eq!(greedy, [true, false, false, false, false]);
        assert_eq!(fewer_reversed(depth_first.clone(), greedy), depth_first);
    }
}
