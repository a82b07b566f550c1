//! Group sides: a vertex moves to the other side of a sibling group when fewer of its
//! edges then run through group boxes.

use super::{State, Vertex};
use crate::adjacency::Adjacency;

impl State<'_> {
    /// Moves a vertex to the other side of a child group beside it when fewer of its
    /// edges then run through child groups of its scope: an edge between two vertices on
    /// either side of a group that spans both their ranks crosses the group's box (the
    /// sweeps see crossings of edges, not of boxes). Two passes, each O(E′ · groups
    /// between an edge's ends).
    pub(super) fn keep_edges_off_groups(
        &mut self,
        ranks: usize,
        vertices: &[Vertex],
        adjacent: (&Adjacency, &Adjacency),
    ) {
        let root = self.root();
        let spans = self.group_spans();
        // Each group's place among its parent's children.
        let mut index = vec![0usize; root];
        for children in &self.children {
            children.iter().enumerate().for_each(|(k, &c)| index[c] = k);
        }
        let mut place = self.places(vertices.len());
        // Where `w` lies seen from `scope` (as in `places`): its gap, or the child group
        // holding it; none when it lies outside the scope.
        let tree = self.tree;
        let seen_from = |scope: usize, w: usize, place: &[usize]| -> Option<usize> {
            let group = vertices[w].group;
            if tree.scope_of(group) == scope {
                return Some(place[w]);
            }
            tree.ancestors(group)
                .find(|&g| tree.parent_scope(g) == scope)
                .map(|g| 2 * index[g] + 1)
        };
        let (mut moves, mut others) = (Vec::new(), Vec::new());
        for _ in 0..2 {
            moves.clear();
            for scope in (0..=root).filter(|&s| !self.children[s].is_empty()) {
                let children = &self.children[scope];
                let through = |from: usize, to: usize, ranks: (usize, usize)| {
                    let (low, high) = (from.min(to), from.max(to));
                    let (top, bottom) = (ranks.0.min(ranks.1), ranks.0.max(ranks.1));
                    // The children strictly between the two places.
                    let between = children.get(low.div_ceil(2)..high / 2).unwrap_or_default();
                    between
                        .iter()
                        .filter(|&&c| spans[c].is_some_and(|(a, b)| a <= top && bottom <= b))
                        .count()
                };
                for r in 0..ranks {
                    for gap in 0..=children.len() {
                        for &v in &self.gaps[scope][r][gap] {
                            others.clear();
                            others.extend(
                                [adjacent.0, adjacent.1]
                                    .iter()
                                    .flat_map(|a| a[v].iter())
                                    .filter_map(|&w| {
                                        Some((seen_from(scope, w, &place)?, vertices[w].rank))
                                    }),
                            );
                            let cost = |at: usize| -> usize {
                                others
                                    .iter()
                                    .map(|&(p, rank)| through(at, p, (r, rank)))
                                    .sum()
                            };
                            let here = cost(2 * gap);
                            if here == 0 {
                                continue;
                            }
                            let sides = [
                                gap.checked_sub(1),
                                (gap < children.len()).then_some(gap + 1),
                            ];
                            if let Some((_, to)) = sides
                                .into_iter()
                                .flatten()
                                .map(|to| (cost(2 * to), to))
                                .filter(|&(c, _)| c < here)
                                .min()
                            {
                                place[v] = 2 * to;
                                moves.push((scope, r, gap, to, v));
                            }
                        }
                    }
                }
            }
            if moves.is_empty() {
                break;
            }
            for &(scope, r, gap, to, v) in &moves {
                self.gaps[scope][r][gap].retain(|&x| x != v);
                let row = &mut self.gaps[scope][r][to];
                // Beside the group it crossed: at the end of the gap before it, or at
                // the start of the one after.
                if to < gap {
                    row.push(v)
                } else {
                    row.insert(0, v)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group_tree::GroupTree;
    use crate::{GroupSpec, Size};

    /// a (rank 0) left of a group spanning ranks 0 and 1, b (rank 1) right of it, an
    /// edge a → b: it runs through the group's box. Moving a to the group's right takes
    /// it off; b, whose one edge then runs clear, stays.
    #[test]
    fn a_vertex_moves_across_a_group_its_edge_would_cross() {
        let vertex = |rank, group| Vertex {
            rank,
            size: Size {
                width: 80.0,
                height: 40.0,
            },
            group,
            bend: false,
        };
        let (a, b, g0, g1) = (0, 1, 2, 3);
        let vertices = vec![
            vertex(0, None),
            vertex(1, None),
            vertex(0, Some(0)),
            vertex(1, Some(0)),
        ];
        let edges = [(a, b), (g0, g1)];
        let down = Adjacency::new(4, edges.iter().copied());
        let up = Adjacency::new(4, edges.iter().map(|&(u, l)| (l, u)));
        let tree = GroupTree::new(&[GroupSpec {
            parent: None,
            label: Size {
                width: 40.0,
                height: 14.0,
            },
        }]);
        let mut state = State {
            tree: &tree,
            children: vec![vec![], vec![0]],
            present: vec![vec![true, true], vec![true, true]],
            own_ranks: vec![vec![0, 1], vec![0, 1]],
            present_ranks: vec![vec![0, 1], vec![0, 1]],
            held: vec![vec![], vec![vec![0], vec![0]]],
            by_rank: vec![vec![0, 2], vec![1, 3]],
            gaps: vec![
                vec![vec![vec![g0]], vec![vec![g1]]],
                vec![vec![vec![a], vec![]], vec![vec![], vec![b]]],
            ],
            position: vec![0.0; 4],
            key: vec![0.0; 4],
        };
        state.keep_edges_off_groups(2, &vertices, (&up, &down));
        assert_eq!(
            state.gaps[1],
            vec![vec![vec![], vec![a]], vec![vec![], vec![b]]]
        );
        assert_eq!(state.gaps[0], vec![vec![vec![g0]], vec![vec![g1]]]);
    }
}
