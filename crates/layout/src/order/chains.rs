//! Long edges become chains of virtual vertices, one per rank they pass, and trunks
//! shared by bundled edges; the pairs of neighbours on adjacent ranks become the two
//! `Adjacency` tables the sweeps read.

use super::{Chain, Vertex};
use crate::adjacency::Adjacency;
use crate::rank::Ranked;
use crate::{NodeSpec, Size};

/// Long edges are bundled into trunks only when they would need more virtual vertices
/// than this: the graphs that ordering treats as large.
const BUNDLE_ABOVE: usize = super::LARGE;

/// What the chains make: every vertex (the nodes first, then the virtual ones), the
/// chain of each ranked edge, and who neighbours whom.
pub(super) struct Chains {
    pub vertices: Vec<Vertex>,
    pub chains: Vec<Chain>,
    pub label_vertex: Vec<Option<usize>>,
    pub channel_labels: Vec<(usize, Size)>,
    pub up: Adjacency,
    pub down: Adjacency,
}

pub(super) fn chains(nodes: &[NodeSpec], ranked: &Ranked) -> Chains {
    let mut vertices: Vec<Vertex> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Vertex {
            rank: ranked.rank[i],
            size: n.size,
            group: n.group,
            bend: false,
        })
        .collect();
    let mut virtuals = Virtuals {
        vertices: &mut vertices,
        down: Vec::new(),
    };
    let bundles = bundles(nodes, ranked);
    let mut trunks: Vec<Option<std::ops::Range<usize>>> = vec![None; bundles.extents.len()];
    let mut chains = Vec::with_capacity(ranked.edges.len());
    let mut label_vertex = vec![None; ranked.edges.len()];
    let mut channel_labels = Vec::new();
    for (index, edge) in ranked.edges.iter().enumerate() {
        let (top, bottom) = (ranked.rank[edge.upper], ranked.rank[edge.lower]);
        let chain = match bundles.of_edge[index] {
            Some(bundle) => {
                let trunk = trunks[bundle].get_or_insert_with(|| {
                    let extent = &bundles.extents[bundle];
                    virtuals.trunk(extent, nodes[extent.end].group)
                });
                let first_rank = bundles.extents[bundle].ranks.start;
                let start = trunk.start + (top + 1).max(first_rank) - first_rank;
                let end = trunk.start + bottom - first_rank;
                let chain = Chain {
                    upper: edge.upper,
                    virtuals: start..end,
                    lower: edge.lower,
                };
                // Where the edge joins or leaves the shared trunk.
                match bundles.extents[bundle].side {
                    Side::Upper => virtuals.down.push((chain.before_lower(), edge.lower)),
                    Side::Lower => virtuals.down.push((edge.upper, chain.after_upper())),
                }
                chain
            }
            None => virtuals.own_chain(nodes, ranked, index, &mut label_vertex[index]),
        };
        if let Some(label) = edge.label.filter(|_| label_vertex[index].is_none()) {
            channel_labels.push((index, label));
        }
        chains.push(chain);
    }
    // Neighbours on the rank above and below. Each pair was recorded once: parallel
    // edges were merged when ranked, and a trunk's own pairs when it was made.
    let pairs = std::mem::take(&mut virtuals.down);
    let down = Adjacency::new(vertices.len(), pairs.iter().copied());
    let up = Adjacency::new(vertices.len(), pairs.iter().map(|&(a, b)| (b, a)));
    Chains {
        vertices,
        chains,
        label_vertex,
        channel_labels,
        up,
        down,
    }
}

/// Which end of its edges a trunk is shared at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Edges from one node down to several: the trunk leaves the node.
    Upper,
    /// Edges from several nodes into one: the trunk enters the node.
    Lower,
}

/// The vertical extent of a trunk.
struct Extent {
    side: Side,
    /// The node the trunk is shared at.
    end: usize,
    /// The ranks of its virtual vertices.
    ranks: std::ops::Range<usize>,
}

struct Bundles {
    /// Per ranked edge: the trunk it runs in, if any.
    of_edge: Vec<Option<usize>>,
    extents: Vec<Extent>,
}

/// Long edges that leave one node for two or more others (or enter one from two or
/// more) share their virtual vertices: one trunk per such node, as far as the farthest
/// of them reaches, and each edge leaves (or joins) it on the rank next to its other
/// end, as Graphviz's `concentrate` draws them. A fan-out of k long edges then costs
/// the longest span in virtual vertices, not the sum of the spans (a chain of N nodes
/// with an edge from the first to each: N instead of N²/2). Only unlabelled edges
/// within one group are bundled: a label needs a vertex of its own, and an edge between
/// groups runs half in each. Only graphs whose long edges would need more than
/// [`BUNDLE_ABOVE`] virtual vertices are bundled: below that each edge is cheap and
/// clearer drawn on its own (and ordering finds fewer crossings).
fn bundles(nodes: &[NodeSpec], ranked: &Ranked) -> Bundles {
    let rank = |v: usize| ranked.rank[v];
    let mut bundles = Bundles {
        of_edge: vec![None; ranked.edges.len()],
        extents: Vec::new(),
    };
    let unbundled: usize = ranked
        .edges
        .iter()
        .map(|e| rank(e.lower).saturating_sub(rank(e.upper) + 1))
        .sum();
    if unbundled <= BUNDLE_ABOVE {
        return bundles;
    }
    let eligible: Vec<bool> = ranked
        .edges
        .iter()
        .map(|e| {
            e.label.is_none()
                && rank(e.lower) >= rank(e.upper) + 2
                && nodes[e.upper].group == nodes[e.lower].group
        })
        .collect();
    let mut leaving = vec![0usize; nodes.len()];
    let mut entering = vec![0usize; nodes.len()];
    for (e, _) in ranked.edges.iter().zip(&eligible).filter(|(_, ok)| **ok) {
        leaving[e.upper] += 1;
        entering[e.lower] += 1;
    }
    let mut index_of: std::collections::HashMap<(usize, bool), usize> = Default::default();
    for (i, edge) in ranked.edges.iter().enumerate() {
        if !eligible[i] {
            continue;
        }
        let (side, end) = if leaving[edge.upper] >= 2 {
            (Side::Upper, edge.upper)
        } else if entering[edge.lower] >= 2 {
            (Side::Lower, edge.lower)
        } else {
            continue;
        };
        let (top, bottom) = (rank(edge.upper) + 1, rank(edge.lower));
        let b = *index_of
            .entry((end, side == Side::Upper))
            .or_insert_with(|| {
                bundles.extents.push(Extent {
                    side,
                    end,
                    ranks: top..bottom,
                });
                bundles.extents.len() - 1
            });
        let ranks = &mut bundles.extents[b].ranks;
        *ranks = ranks.start.min(top)..ranks.end.max(bottom);
        bundles.of_edge[i] = Some(b);
    }
    bundles
}

/// Makes the virtual vertices, and records the pairs of vertices on adjacent ranks.
struct Virtuals<'v> {
    vertices: &'v mut Vec<Vertex>,
    /// (upper, lower) pairs of neighbours, in the order the chains were made.
    down: Vec<(usize, usize)>,
}

impl Virtuals<'_> {
    /// A virtual vertex: a label's box, or a bend (`None`).
    fn push(&mut self, rank: usize, label: Option<Size>, group: Option<usize>) -> usize {
        let bend = Size {
            width: 0.0,
            height: 0.0,
        };
        self.vertices.push(Vertex {
            rank,
            size: label.unwrap_or(bend),
            group,
            bend: label.is_none(),
        });
        self.vertices.len() - 1
    }

    /// A trunk's vertices, one per rank of its extent, linked to each other and to the
    /// node it is shared at.
    fn trunk(&mut self, extent: &Extent, group: Option<usize>) -> std::ops::Range<usize> {
        let start = self.vertices.len();
        for r in extent.ranks.clone() {
            self.push(r, None, group);
        }
        let range = start..self.vertices.len();
        for v in range.start + 1..range.end {
            self.down.push((v - 1, v));
        }
        match extent.side {
            Side::Upper => self.down.push((extent.end, range.start)),
            Side::Lower => self.down.push((range.end - 1, extent.end)),
        }
        range
    }

    /// The chain of an edge of its own: a virtual vertex per rank between its ends.
    fn own_chain(
        &mut self,
        nodes: &[NodeSpec],
        ranked: &Ranked,
        index: usize,
        label_vertex: &mut Option<usize>,
    ) -> Chain {
        let edge = &ranked.edges[index];
        let (top, bottom) = (ranked.rank[edge.upper], ranked.rank[edge.lower]);
        let middle = (top + bottom) / 2;
        let start = self.vertices.len();
        for r in top + 1..bottom {
            let labelled = edge.label.is_some() && r == middle;
            let label = edge.label.filter(|_| labelled);
            if label.is_some() {
                *label_vertex = Some(self.vertices.len());
            }
            // A long edge runs in its source's group down to its middle (its label
            // included) and in its target's group after: it enters groups through their
            // slabs instead of going round them.
            let owner = if r < middle || labelled {
                nodes[edge.upper].group
            } else {
                nodes[edge.lower].group
            };
            self.push(r, label, owner);
        }
        let chain = Chain {
            upper: edge.upper,
            virtuals: start..self.vertices.len(),
            lower: edge.lower,
        };
        let mut previous = chain.upper;
        for v in chain.vertices().skip(1) {
            self.down.push((previous, v));
            previous = v;
        }
        chain
    }
}
