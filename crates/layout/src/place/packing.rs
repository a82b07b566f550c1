//! Widths, bottom-up: every scope's pieces (the rows of its gaps, its child groups)
//! packed rank by rank.

use super::Spans;
use super::boxes::Titles;
use crate::group_tree::{GroupTree, Scope};
use crate::order::{Ordered, Vertex};
use crate::{EDGE_SPACING, GROUP_PADDING, NODE_SPACING};

/// Per group, per rank: whether the group holds that rank (see `place`).
pub(super) fn occupied_ranks(
    tree: &GroupTree,
    vertices: &[Vertex],
    span: &Spans,
    ranks: usize,
) -> Vec<Vec<bool>> {
    let mut occupied = vec![vec![false; ranks]; tree.groups()];
    // A group without members anywhere below it has its box on the first rank, and
    // every group above it reaches up there too.
    let mut reaches_first = vec![false; tree.groups()];
    for (g, _) in span.iter().enumerate().filter(|(_, s)| s.is_none()) {
        tree.ancestors(Some(g))
            .for_each(|c| reaches_first[c] = true);
    }
    for ((held, span), reaches_first) in occupied.iter_mut().zip(span).zip(reaches_first) {
        let (first, last) = span.unwrap_or((0, 0));
        let first = if reaches_first { 0 } else { first };
        let last = last.min(ranks - 1);
        held[first..=last].iter_mut().for_each(|h| *h = true);
    }
    for vertex in vertices {
        for g in tree.ancestors(vertex.group) {
            occupied[g][vertex.rank] = true;
        }
    }
    occupied
}

#[derive(Clone, Copy)]
pub(super) enum Piece {
    /// The vertices of a scope's gap (before its child `gap`) on one rank.
    Row {
        gap: usize,
        rank: usize,
    },
    Child(usize),
}

/// The widths of every scope, bottom-up. A scope's pieces (the rows of its gaps and its
/// child groups, in order) are packed rank by rank: each goes as far left as the pieces
/// before it allow on the ranks it holds, so two groups on different ranks can share the
/// same stretch across the flow, and a gap's row on one rank does not push a group aside
/// on another (the long edges between groups run through every rank they span), while
/// on any one rank the pieces keep their order and never overlap.
pub(super) struct Packing<'a> {
    pub ordered: &'a Ordered,
    pub tree: &'a GroupTree,
    pub titles: Titles<'a>,
    pub occupied: &'a [Vec<bool>],
    pub ranks: usize,
    /// Per scope: (piece, offset from the scope's content start, width).
    pub pieces: Vec<Vec<(Piece, f64, f64)>>,
    /// Per scope: the width of its packed pieces.
    pub content: Vec<f64>,
    /// Per scope: its full width (a group's includes its padding and title).
    pub width: Vec<f64>,
}

impl<'a> Packing<'a> {
    pub fn new(
        ordered: &'a Ordered,
        tree: &'a GroupTree,
        titles: Titles<'a>,
        occupied: &'a [Vec<bool>],
    ) -> Packing<'a> {
        let scopes = tree.scopes();
        Packing {
            ordered,
            tree,
            titles,
            occupied,
            ranks: ordered.gaps.first().map_or(1, Vec::len),
            pieces: vec![Vec::new(); scopes],
            content: vec![0.0; scopes],
            width: vec![0.0; scopes],
        }
    }

    pub fn compute(&mut self, scope: usize) {
        for &child in &self.ordered.children[scope] {
            self.compute(child);
        }
        let mut next_free = vec![0.0f64; self.ranks];
        let mut content = 0.0f64;
        let mut pieces = Vec::new();
        for (piece, width, held) in self.candidates(scope) {
            let x = held.iter().map(|&r| next_free[r]).fold(0.0, f64::max);
            for &r in &held {
                next_free[r] = x + width + NODE_SPACING;
            }
            content = content.max(x + width);
            pieces.push((piece, x, width));
        }
        let width = match self.tree.scope(scope) {
            Scope::Root => content,
            Scope::Group(g) => {
                (content + self.titles.across(g)).max(self.titles.min_width(g))
                    + 2.0 * GROUP_PADDING
            }
        };
        self.pieces[scope] = pieces;
        self.content[scope] = content;
        self.width[scope] = width;
    }

    /// A scope's non-empty pieces in order: each with its width and the ranks it holds.
    fn candidates(&self, scope: usize) -> Vec<(Piece, f64, Vec<usize>)> {
        let gaps = &self.ordered.gaps[scope];
        let children = &self.ordered.children[scope];
        let mut out = Vec::new();
        for i in 0..=children.len() {
            for (r, rank) in gaps.iter().enumerate() {
                let row = &rank[i];
                if !row.is_empty() {
                    let piece = Piece::Row { gap: i, rank: r };
                    out.push((piece, row_width(self.ordered, row), vec![r]));
                }
            }
            if let Some(&child) = children.get(i) {
                let held: Vec<usize> = (0..self.ranks)
                    .filter(|&r| self.occupied[child][r])
                    .collect();
                out.push((Piece::Child(child), self.width[child], held));
            }
        }
        out
    }
}

/// The room between two vertices side by side: less between two bends, which are
/// lines, than beside a box.
fn spacing(ordered: &Ordered, a: usize, b: usize) -> f64 {
    if ordered.vertices[a].bend && ordered.vertices[b].bend {
        EDGE_SPACING
    } else {
        NODE_SPACING
    }
}

/// Where each vertex of a row starts, packed side by side from 0, and the row's width.
pub(super) fn row_offsets(ordered: &Ordered, row: &[usize]) -> (Vec<f64>, f64) {
    side_by_side(row.iter().enumerate().map(|(i, &v)| {
        let before = i
            .checked_sub(1)
            .map_or(0.0, |p| spacing(ordered, row[p], v));
        (before, ordered.vertices[v].size.width)
    }))
}

/// Boxes packed side by side from 0, each `(room before it, width)` (the first box's
/// room is ignored): where each starts, and the width of them all.
pub(crate) fn side_by_side(boxes: impl Iterator<Item = (f64, f64)>) -> (Vec<f64>, f64) {
    let mut offsets = Vec::new();
    let mut end = 0.0;
    for (before, width) in boxes {
        let start = if offsets.is_empty() {
            0.0
        } else {
            end + before
        };
        offsets.push(start);
        end = start + width;
    }
    (offsets, end)
}

/// The width of a row of vertices side by side.
fn row_width(ordered: &Ordered, row: &[usize]) -> f64 {
    row_offsets(ordered, row).1
}

#[cfg(test)]
mod tests {
    use super::side_by_side;

    /// The first box's room before it is ignored; each next starts after the room.
    #[test]
    fn boxes_side_by_side_start_after_the_room_before_them() {
        let (offsets, width) = side_by_side([(99.0, 10.0), (5.0, 20.0), (5.0, 1.0)].into_iter());
        assert_eq!(offsets, [0.0, 15.0, 40.0]);
        assert_eq!(width, 41.0);
    }
}
