//! Phase 1: an acyclic orientation, merged parallel edges, and ranks.

use std::collections::BTreeMap;

use super::simplex;
use super::{EdgeSpec, NodeSpec, Size};

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

pub fn rank(nodes: &[NodeSpec], edges: &[EdgeSpec]) -> Ranked {
    let n = nodes.len();
    let back = back_edges(n, edges);
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
    let simplex_edges: Vec<simplex::Edge> = ranked_edges
        .iter()
        .zip(&weight)
        .map(|(edge, &weight)| simplex::Edge {
            upper: edge.upper,
            lower: edge.lower,
            minlen: span(edge),
            weight,
        })
        .collect();
    let mut rank = simplex::rank(n, &simplex_edges);
    spread_isolated(&mut rank, &ranked_edges);
    let ranks = rank.iter().copied().max().map_or(0, |r| r + 1);
    Ranked {
        rank,
        ranks,
        edges: ranked_edges,
        input,
    }
}

/// Edges that close a cycle in a depth-first walk from every node in index order.
fn back_edges(n: usize, edges: &[EdgeSpec]) -> Vec<bool> {
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

/// A labelled edge spans two ranks, so its label gets a rank of its own.
fn span(edge: &RankedEdge) -> usize {
    if edge.label.is_some() { 2 } else { 1 }
}
