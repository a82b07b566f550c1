//! The first order (a depth-first walk), barycenter sweeps under the group tree, and
//! transposition of neighbours after each sweep.

use super::{
    LARGE_MAX_SWEEPS, LARGE_MIN_SWEEPS, LARGE_PATIENCE, MAX_SWEEPS, PATIENCE, SWEEP_BUDGET,
    Snapshot, State, Vertex,
};
use crate::adjacency::Adjacency;

/// The order the depth-first walk takes its roots in, for start number `start`: input
/// order, reversed, then shuffles by a fixed-seed generator (deterministic output).
fn start_order(n: usize, start: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    match start {
        0 => {}
        1 => order.reverse(),
        _ => {
            let mut state = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(start as u64 + 1);
            for i in (1..n).rev() {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
        }
    }
    order
}

impl State<'_> {
    /// A first order from a depth-first walk down the edges, from the nodes in input
    /// order: connected vertices start close together (the sweeps refine it).
    pub(super) fn initial_order(
        &mut self,
        ranks: usize,
        vertices: &[Vertex],
        down: &Adjacency,
        start: usize,
    ) {
        let mut seen = vec![false; vertices.len()];
        let mut next_in_rank = vec![0usize; ranks];
        let mut key = std::mem::take(&mut self.key);
        let mut stack = Vec::new();
        let starts = start_order(vertices.len(), start);
        for start in starts {
            if seen[start] {
                continue;
            }
            stack.push(start);
            while let Some(v) = stack.pop() {
                if std::mem::replace(&mut seen[v], true) {
                    continue;
                }
                let rank = vertices[v].rank;
                key[v] = next_in_rank[rank] as f64;
                next_in_rank[rank] += 1;
                stack.extend(down[v].iter().rev().filter(|&&d| !seen[d]));
            }
        }
        for r in 0..ranks {
            self.reorder_scope(self.root(), r, &key);
        }
        self.key = key;
        self.reorder_children(vertices);
        self.update_positions(ranks);
    }

    /// Barycenter sweeps down and up, each followed by transposition, until they stop
    /// paying; returns the best order seen and its crossings.
    pub(super) fn sweeps(
        &mut self,
        ranks: usize,
        vertices: &[Vertex],
        up: &Adjacency,
        down: &Adjacency,
        large: bool,
    ) -> (usize, Snapshot) {
        let (max_sweeps, patience) = if large {
            let budget = SWEEP_BUDGET / vertices.len().max(1);
            (
                budget.clamp(LARGE_MIN_SWEEPS, LARGE_MAX_SWEEPS),
                LARGE_PATIENCE,
            )
        } else {
            (MAX_SWEEPS, PATIENCE)
        };
        let mut best = (self.crossings(ranks, down), self.snapshot());
        let mut stale = 0;
        for _ in 0..max_sweeps {
            if best.0 == 0 {
                break;
            }
            for r in 1..ranks {
                self.reorder_rank(r, up);
            }
            for r in (0..ranks.saturating_sub(1)).rev() {
                self.reorder_rank(r, down);
            }
            self.reorder_children(vertices);
            self.update_positions(ranks);
            self.transpose(ranks, up, down);
            let crossings = self.crossings(ranks, down);
            if crossings < best.0 {
                best = (crossings, self.snapshot());
                stale = 0;
            } else {
                stale += 1;
                if stale >= patience {
                    break;
                }
            }
        }
        best
    }

    /// Orders rank `r` by the barycenter of each vertex's neighbours in `adjacent`.
    fn reorder_rank(&mut self, r: usize, adjacent: &Adjacency) {
        let barycenter = |v: usize, position: &[f64]| {
            let neighbours = &adjacent[v];
            if neighbours.is_empty() {
                position[v]
            } else {
                neighbours.iter().map(|&n| position[n]).sum::<f64>() / neighbours.len() as f64
            }
        };
        // Only this rank's entries of the scratch key are read.
        let mut key = std::mem::take(&mut self.key);
        for &v in &self.by_rank[r] {
            key[v] = barycenter(v, &self.position);
        }
        self.reorder_scope(self.root(), r, &key);
        self.key = key;
        let mut new_row = Vec::new();
        self.flatten(self.root(), r, &mut new_row);
        let count = new_row.len().max(1) as f64;
        for (i, v) in new_row.into_iter().enumerate() {
            self.position[v] = (i as f64 + 0.5) / count;
        }
    }

    /// Sorts a scope's vertices on rank `r` by `key` and puts each in the gap between
    /// the child groups whose centers surround it; then the children, recursively.
    /// Returns the scope's center on this rank, if it has vertices there.
    pub(super) fn reorder_scope(&mut self, scope: usize, r: usize, key: &[f64]) -> Option<f64> {
        // Taken out while the children are ordered (none of them changes this scope's
        // lists), rather than copied once per scope and rank. Only the children present
        // on this rank are visited; each has a center there.
        let children = std::mem::take(&mut self.children[scope]);
        let held = std::mem::take(&mut self.held[scope]);
        let present = held.get(r).map_or(&[][..], Vec::as_slice);
        let centers: Vec<(usize, f64)> = (present.iter())
            .filter_map(|&place| {
                let place = place as usize;
                Some((place, self.reorder_scope(children[place], r, key)?))
            })
            .collect();
        let places = children.len();
        self.children[scope] = children;
        self.held[scope] = held;
        let mut own: Vec<usize> = Vec::new();
        if self.owns(scope, r) {
            let row = &mut self.gaps[scope][r];
            own = row.iter().flatten().copied().collect();
            own.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
            // The gaps are refilled in place (one per child and one more, as made).
            row.iter_mut().for_each(Vec::clear);
            // The gap before the first present child whose center is not left of the
            // vertex (children absent from this rank keep the gap of their neighbours).
            // The vertices come in key order, so the child looked at only moves right.
            let mut next = 0;
            for &v in &own {
                while centers.get(next).is_some_and(|&(_, c)| c < key[v]) {
                    next += 1;
                }
                let gap = centers.get(next).map_or(places, |&(place, _)| place);
                row[gap].push(v);
            }
        }
        let mut values: Vec<f64> = own.iter().map(|&v| key[v]).collect();
        values.extend(centers.into_iter().map(|(_, c)| c));
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// Transposition: swaps neighbours in the same gap while that removes crossings
    /// with the ranks above and below (barycenters alone leave some local crossings).
    pub(super) fn transpose(&mut self, ranks: usize, up: &Adjacency, down: &Adjacency) {
        // Crossings between the edges of `a` and of `b`: with `a` left of `b`, and with
        // `b` left of `a` (one pass over the pairs of their neighbours counts both).
        let crossings = |a: usize, b: usize, position: &[f64]| -> (usize, usize) {
            let mut counts = (0, 0);
            for adjacent in [up, down] {
                for &x in &adjacent[a] {
                    for &y in &adjacent[b] {
                        if position[y] < position[x] {
                            counts.0 += 1;
                        } else if position[x] < position[y] {
                            counts.1 += 1;
                        }
                    }
                }
            }
            counts
        };
        // A pair's crossings depend only on its own rank and the two beside it, so after
        // the first pass only ranks next to a swap of the pass before are looked at again
        // (the same swaps, found sooner).
        let mut swapped = vec![true; ranks];
        for _ in 0..4 {
            let mut improved = false;
            let dirty: Vec<bool> = (0..ranks)
                .map(|r| swapped[r.saturating_sub(1)..(r + 2).min(ranks)].contains(&true))
                .collect();
            swapped.fill(false);
            for scope in 0..self.gaps.len() {
                for held in 0..self.own_ranks[scope].len() {
                    let r = self.own_ranks[scope][held];
                    if !dirty[r] {
                        continue;
                    }
                    for g in 0..self.gaps[scope][r].len() {
                        for i in 1..self.gaps[scope][r][g].len() {
                            let (a, b) = (self.gaps[scope][r][g][i - 1], self.gaps[scope][r][g][i]);
                            let (kept, swapped_over) = crossings(a, b, &self.position);
                            if kept > swapped_over {
                                self.gaps[scope][r][g].swap(i - 1, i);
                                let (pa, pb) = (self.position[a], self.position[b]);
                                self.position[a] = pb;
                                self.position[b] = pa;
                                improved = true;
                                swapped[r] = true;
                            }
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Orders each scope's child groups by the mean position of everything in them.
    pub(super) fn reorder_children(&mut self, vertices: &[Vertex]) {
        let mut sum = vec![0.0; self.tree.groups()];
        let mut count = vec![0usize; self.tree.groups()];
        for (v, vertex) in vertices.iter().enumerate() {
            for g in self.tree.ancestors(vertex.group) {
                sum[g] += self.position[v];
                count[g] += 1;
            }
        }
        let mean = |g: usize| {
            if count[g] == 0 {
                f64::MAX
            } else {
                sum[g] / count[g] as f64
            }
        };
        for scope in 0..self.children.len() {
            let mut children = self.children[scope].clone();
            children.sort_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(a.cmp(&b)));
            if children != self.children[scope] {
                // Vertices keep their gaps by position; regroup them around the new order
                // (on the ranks where the scope has vertices of its own: the others hold
                // none).
                for held in 0..self.own_ranks[scope].len() {
                    let r = self.own_ranks[scope][held];
                    let mut own: Vec<usize> =
                        self.gaps[scope][r].iter().flatten().copied().collect();
                    own.sort_by(|&a, &b| {
                        self.position[a]
                            .total_cmp(&self.position[b])
                            .then(a.cmp(&b))
                    });
                    let mut gaps = vec![Vec::new(); children.len() + 1];
                    let mut gap = 0;
                    for v in own {
                        while children
                            .get(gap)
                            .is_some_and(|&c| mean(c) < self.position[v])
                        {
                            gap += 1;
                        }
                        gaps[gap].push(v);
                    }
                    self.gaps[scope][r] = gaps;
                }
                self.children[scope] = children;
                self.hold(scope);
            }
        }
    }
}
