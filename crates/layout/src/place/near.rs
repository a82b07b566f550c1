//! Near an earlier drawing ([`crate::Hint`]): where its nodes were across the flow, the
//! moves that bring each group back toward them, and those moves made for a scope's
//! child groups in order.

use super::align::fit_row;
use super::packing::{Packing, Piece};
use crate::order::Ordered;

/// Where the nodes of an earlier drawing were across the flow, in this drawing's frame:
/// shifted by the median of how far they moved (the drawing's origin moves when it
/// grows on its left).
pub(super) struct Earlier<'a> {
    across: &'a [Option<f64>],
    shift: f64,
}

impl<'a> Earlier<'a> {
    pub(super) fn of(ordered: &Ordered, x_of: &[f64], across: &'a [Option<f64>]) -> Option<Self> {
        let centre = |v: usize| x_of[v] + ordered.vertices[v].size.width / 2.0;
        let mut moved: Vec<f64> = (across.iter().enumerate())
            .filter_map(|(v, at)| Some(at.as_ref()? - centre(v)))
            .collect();
        moved.sort_by(f64::total_cmp);
        let shift = *moved.get(moved.len() / 2)?;
        Some(Earlier { across, shift })
    }

    /// A node's earlier centre in this frame, if it was drawn before.
    pub(super) fn centre(&self, v: usize) -> Option<f64> {
        Some(self.across.get(v).copied()?? - self.shift)
    }
}

impl Earlier<'_> {
    /// Per group: how far its nodes drawn before are, on average, from their earlier
    /// places (`None` for a group with none of them).
    pub(super) fn group_moves(&self, packing: &Packing, x_of: &[f64]) -> Vec<Option<f64>> {
        let vertices = &packing.ordered.vertices;
        let mut sum = vec![(0.0, 0usize); packing.tree.groups()];
        for (v, vertex) in vertices.iter().enumerate().take(self.across.len()) {
            let Some(at) = self.centre(v) else {
                continue;
            };
            let wanted = at - (x_of[v] + vertex.size.width / 2.0);
            for g in packing.tree.ancestors(vertex.group) {
                sum[g].0 += wanted;
                sum[g].1 += 1;
            }
        }
        (sum.iter())
            .map(|&(total, count)| (count > 0).then(|| total / count as f64))
            .collect()
    }
}

/// How far each child group of `scope` moves from where it was packed: toward its
/// wanted move (less what its enclosing groups moved already; a group without one as
/// the one before it), least squares, in order, no closer together than packed, and
/// within `bounds` (the scope's inner interval; none for the whole drawing).
pub(super) fn child_moves(
    packing: &Packing,
    (scope, start): (usize, f64),
    bounds: Option<(f64, f64)>,
    (wanted, moved): (&[Option<f64>], f64),
) -> Vec<f64> {
    let children: Vec<(usize, f64)> = (packing.pieces[scope].iter())
        .filter_map(|&(piece, offset, _)| match piece {
            Piece::Child(child) => Some((child, offset)),
            Piece::Row { .. } => None,
        })
        .collect();
    let mut previous = 0.0;
    let desired: Vec<f64> = (children.iter())
        .map(|&(child, offset)| {
            previous = wanted[child].map_or(previous, |w| w - moved);
            start + offset + previous
        })
        .collect();
    let offsets: Vec<f64> = children.iter().map(|&(_, offset)| offset).collect();
    let (low, high) = match bounds {
        Some((left, right)) => (left, right),
        None => (f64::NEG_INFINITY, f64::INFINITY),
    };
    let total = packing.content[scope];
    let lefts = fit_row(&desired, (offsets.clone(), total), low, high);
    (lefts.iter().zip(&offsets))
        .map(|(left, offset)| left - (start + offset))
        .collect()
}
