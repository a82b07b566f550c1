//! The order of an earlier drawing (a [`crate::Hint`]): each rank sorted by where its
//! vertices were across the flow, what is new put beside its neighbours.

use super::{Chain, State, Vertex};
use crate::rank::{InputEdge, Ranked};

/// An earlier drawing in the top-down frame: per node its centre (across, along the
/// flow), per input edge its route (empty when it is new).
pub struct Earlier {
    pub centres: Vec<Option<(f64, f64)>>,
    pub routes: Vec<Vec<(f64, f64)>>,
}

impl State<'_> {
    /// Orders every rank by the earlier places: a node where it was; a long edge's
    /// virtual vertex where its earlier route crossed that rank (else on the line
    /// between its ends); a new node at the mean place of its neighbours (once they
    /// have one); what has no place left goes last on its rank.
    pub(super) fn earlier_order(
        &mut self,
        ranks: usize,
        (vertices, chains, ranked): (&[Vertex], &[Chain], &Ranked),
        earlier: &Earlier,
    ) {
        let nodes = earlier.centres.len();
        let mut place: Vec<Option<f64>> = vec![None; vertices.len()];
        for (v, centre) in earlier.centres.iter().enumerate() {
            place[v] = centre.map(|c| c.0);
        }
        place_on_routes(&mut place, (vertices, chains, ranked), earlier);
        // Twice: a new node between two new ones finds its place on the second pass.
        for _ in 0..2 {
            place_new_nodes(&mut place, nodes, chains);
        }
        let last = place.iter().flatten().fold(0.0f64, |a, &b| a.max(b)) + 1.0;
        let mut key = std::mem::take(&mut self.key);
        for (v, place) in place.iter().enumerate() {
            key[v] = place.unwrap_or(last);
        }
        for r in 0..ranks {
            self.reorder_scope(self.root(), r, &key);
        }
        self.key = key;
        self.reorder_children(vertices);
        self.update_positions(ranks);
    }
}

/// Each long edge drawn before: its virtual vertices where its route crossed their
/// ranks (a rank lies, along the flow, where its nodes drawn before were on average).
fn place_on_routes(
    place: &mut [Option<f64>],
    (vertices, chains, ranked): (&[Vertex], &[Chain], &Ranked),
    earlier: &Earlier,
) {
    let mut along = vec![(0.0, 0usize); ranked.ranks.max(1)];
    for (v, centre) in earlier.centres.iter().enumerate() {
        if let Some((_, y)) = centre {
            let entry = &mut along[vertices[v].rank];
            *entry = (entry.0 + y, entry.1 + 1);
        }
    }
    let along_rank = |r: usize| (along[r].1 > 0).then(|| along[r].0 / along[r].1 as f64);
    for (input, route) in ranked.input.iter().zip(&earlier.routes) {
        let InputEdge::Merged { edge, .. } = *input else {
            continue;
        };
        for v in chains[edge].virtuals.clone() {
            if place[v].is_none() {
                place[v] = along_rank(vertices[v].rank).and_then(|y| across_at(route, y));
            }
        }
    }
}

/// Where a route runs across the flow at `along`: on its first segment that reaches it.
fn across_at(route: &[(f64, f64)], along: f64) -> Option<f64> {
    route.windows(2).find_map(|pair| {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let (low, high) = (y0.min(y1), y0.max(y1));
        if !(low..=high).contains(&along) {
            return None;
        }
        let t = if high > low {
            (along - y0) / (y1 - y0)
        } else {
            0.5
        };
        Some(x0 + (x1 - x0) * t)
    })
}

/// One pass: each unplaced node of the first `nodes` at the mean place of the other
/// ends of its edges that have one, then every long edge's virtual vertices on the line
/// between its placed ends.
fn place_new_nodes(place: &mut [Option<f64>], nodes: usize, chains: &[Chain]) {
    let mut sum = vec![(0.0, 0usize); nodes];
    for chain in chains {
        for (end, other) in [(chain.upper, chain.lower), (chain.lower, chain.upper)] {
            if let (None, Some(at)) = (place[end], place[other]) {
                sum[end].0 += at;
                sum[end].1 += 1;
            }
        }
    }
    for (v, &(total, count)) in sum.iter().enumerate() {
        if count > 0 {
            place[v] = Some(total / count as f64);
        }
    }
    for chain in chains {
        let (Some(upper), Some(lower)) = (place[chain.upper], place[chain.lower]) else {
            continue;
        };
        let steps = chain.virtuals.len() + 1;
        for (i, v) in chain.virtuals.clone().enumerate() {
            let t = (i + 1) as f64 / steps as f64;
            place[v].get_or_insert(upper + (lower - upper) * t);
        }
    }
}
