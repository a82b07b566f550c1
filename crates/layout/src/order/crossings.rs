//! The crossing count, and sifting by it.

use super::State;
use crate::adjacency::Adjacency;

impl State<'_> {
    /// Sifting: moves each vertex to the place in its gap with the fewest crossings,
    /// while a pass still removes some. Catches what swaps of neighbours cannot (a vertex
    /// that must jump over several others).
    pub(super) fn sift(&mut self, ranks: usize, down: &Adjacency, mut crossings: usize) {
        for _ in 0..3 {
            let before = crossings;
            for scope in 0..self.gaps.len() {
                for r in 0..ranks {
                    for g in 0..self.gaps[scope][r].len() {
                        for v in self.gaps[scope][r][g].clone() {
                            crossings = self.sift_vertex(ranks, down, (scope, r, g), v, crossings);
                        }
                    }
                }
            }
            if crossings == 0 || crossings >= before {
                return;
            }
        }
    }

    /// Puts `v` where its gap has the fewest crossings (ties keep it where it was).
    fn sift_vertex(
        &mut self,
        ranks: usize,
        down: &Adjacency,
        (scope, r, g): (usize, usize, usize),
        v: usize,
        crossings: usize,
    ) -> usize {
        let gap = &mut self.gaps[scope][r][g];
        let Some(from) = gap.iter().position(|&x| x == v) else {
            return crossings;
        };
        gap.remove(from);
        let len = self.gaps[scope][r][g].len();
        let mut best = (crossings, from);
        for place in (0..=len).filter(|&p| p != from) {
            self.gaps[scope][r][g].insert(place, v);
            self.update_positions(ranks);
            let count = self.crossings(ranks, down);
            if count < best.0 {
                best = (count, place);
            }
            self.gaps[scope][r][g].remove(place);
        }
        self.gaps[scope][r][g].insert(best.1, v);
        self.update_positions(ranks);
        best.0
    }

    /// Edge crossings between every two adjacent ranks: per pair, the inversions of the
    /// lower ends when edges are sorted by their upper ends (O(E log V) with a Fenwick
    /// tree).
    pub(super) fn crossings(&self, ranks: usize, down: &Adjacency) -> usize {
        let mut total = 0;
        let mut upper = Vec::new();
        let mut lower = Vec::new();
        let mut tree = Vec::new();
        let mut ends = Vec::new();
        if ranks > 0 {
            self.flatten(self.root(), 0, &mut lower);
        }
        for r in 0..ranks.saturating_sub(1) {
            std::mem::swap(&mut upper, &mut lower);
            lower.clear();
            self.flatten(self.root(), r + 1, &mut lower);
            let width = lower.len();
            let slot = |v: usize| (self.position[v] * width as f64).floor() as usize;
            tree.clear();
            tree.resize(width + 1, 0usize);
            let mut seen = 0;
            for &u in &upper {
                ends.clear();
                ends.extend(down[u].iter().map(|&d| slot(d)));
                ends.sort_unstable();
                for &end in &ends {
                    // Edges seen so far ending right of `end` cross this one.
                    let mut at_or_left = 0;
                    let mut i = end + 1;
                    while i > 0 {
                        at_or_left += tree[i];
                        i &= i - 1;
                    }
                    total += seen - at_or_left;
                }
                for &end in &ends {
                    let mut i = end + 1;
                    while i <= width {
                        tree[i] += 1;
                        i += i & i.wrapping_neg();
                    }
                    seen += 1;
                }
            }
        }
        total
    }
}
