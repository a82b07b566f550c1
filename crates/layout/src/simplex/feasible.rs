//! The feasible start of network simplex: a spanning tree of tight edges grown from
//! node 0 over the first ranks (Gansner et al.'s `feasible_tree`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::Component;

/// The feasible tree while it grows (see `Component::feasible_tree`).
struct Growth {
    in_tree_node: Vec<bool>,
    /// How far the tree has moved since it started: a tree node's rank is its kept rank
    /// plus this.
    shift: i64,
    /// Edges from a tree node down to a node outside, by slack + shift (constant while
    /// the tree moves), then index.
    leaving_down: BinaryHeap<Reverse<(i64, usize)>>,
    /// Edges from a node outside down to a tree node, by slack − shift, then index.
    leaving_up: BinaryHeap<Reverse<(i64, usize)>>,
}

impl Growth {
    /// The rank of `v` now.
    fn rank(&self, component: &Component, v: usize) -> i64 {
        component.rank[v] + if self.in_tree_node[v] { self.shift } else { 0 }
    }
}

impl Component {
    /// Grows a tree of tight edges from node 0; while it does not span the part, shifts
    /// the tree by the least slack of an edge leaving it, which makes that edge tight.
    ///
    /// The shift is kept as one offset of every tree node's rank, and the edges leaving
    /// the tree wait in two heaps keyed so that the offset does not change their keys
    /// (an edge whose upper end is in the tree loses slack as the tree moves down, one
    /// whose lower end is gains it): each node and edge is handled a bounded number of
    /// times, where scanning every edge and moving every tree node at each shift made
    /// the start quadratic (70 ms of a 12,654-node part).
    pub(super) fn feasible_tree(&mut self) {
        let mut grown = Growth {
            in_tree_node: vec![false; self.n],
            shift: 0,
            leaving_down: BinaryHeap::new(),
            leaving_up: BinaryHeap::new(),
        };
        let mut size = 1;
        size += self.grow_tight(&mut grown, 0);
        while size < self.n {
            let Some((slack, e)) = self.least_slack_leaving(&mut grown) else {
                break;
            };
            let edge = self.edges[e];
            let (outside, down) = if grown.in_tree_node[edge.upper] {
                (edge.lower, true)
            } else {
                (edge.upper, false)
            };
            // Move the tree toward the outside node by the slack.
            grown.shift += if down { slack } else { -slack };
            self.in_tree[e] = true;
            size += 1 + self.grow_tight(&mut grown, outside);
        }
        for (rank, _) in (self.rank.iter_mut())
            .zip(&grown.in_tree_node)
            .filter(|(_, t)| **t)
        {
            *rank += grown.shift;
        }
    }

    /// Adds `start` to the tree and every node reachable from it through tight edges;
    /// returns how many were added after `start`. Edges found leaving the tree wait in
    /// the heaps.
    fn grow_tight(&mut self, grown: &mut Growth, start: usize) -> usize {
        // A node joins at its rank, kept less the tree's shift (see `Growth::rank`).
        let join = |component: &mut Component, grown: &mut Growth, v: usize| {
            grown.in_tree_node[v] = true;
            component.rank[v] -= grown.shift;
        };
        join(self, grown, start);
        let mut stack = vec![start];
        let mut added = 0;
        while let Some(v) = stack.pop() {
            for i in 0..self.incident[v].len() {
                let e = self.incident[v][i];
                let w = self.other_end(e, v);
                if grown.in_tree_node[w] {
                    continue;
                }
                let edge = self.edges[e];
                let slack = grown.rank(self, edge.lower)
                    - grown.rank(self, edge.upper)
                    - edge.minlen as i64;
                if slack == 0 {
                    join(self, grown, w);
                    self.in_tree[e] = true;
                    added += 1;
                    stack.push(w);
                } else if edge.upper == v {
                    grown.leaving_down.push(Reverse((slack + grown.shift, e)));
                } else {
                    grown.leaving_up.push(Reverse((slack - grown.shift, e)));
                }
            }
        }
        added
    }

    /// The edge of least slack with one end in the tree (the lowest index among equals),
    /// and its slack; edges that came to have both ends in the tree are dropped.
    fn least_slack_leaving(&self, grown: &mut Growth) -> Option<(i64, usize)> {
        let crossing = |grown: &Growth, e: usize| {
            let edge = self.edges[e];
            grown.in_tree_node[edge.upper] != grown.in_tree_node[edge.lower]
        };
        while let Some(&Reverse((_, e))) = grown.leaving_down.peek() {
            if crossing(grown, e) {
                break;
            }
            grown.leaving_down.pop();
        }
        while let Some(&Reverse((_, e))) = grown.leaving_up.peek() {
            if crossing(grown, e) {
                break;
            }
            grown.leaving_up.pop();
        }
        let down = (grown.leaving_down.peek()).map(|&Reverse((key, e))| (key - grown.shift, e));
        let up = (grown.leaving_up.peek()).map(|&Reverse((key, e))| (key + grown.shift, e));
        let least = match (down, up) {
            (Some(d), Some(u)) => d.min(u),
            (d, u) => d.or(u)?,
        };
        if Some(least) == down {
            grown.leaving_down.pop();
        } else {
            grown.leaving_up.pop();
        }
        Some(least)
    }
}
