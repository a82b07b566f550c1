//! Across the flow: the packed pieces placed top-down, then each row pulled toward its
//! neighbours on the ranks above and below.

use super::near::{self, Earlier};
use super::packing::{Packing, Piece, row_offsets};
use crate::adjacency::Adjacency;
use crate::group_tree::Scope;
use crate::order::Ordered;
use crate::{GROUP_PADDING, NODE_SPACING};

/// Where each vertex goes across the flow, and each group's slab (left, width): the
/// pieces placed top-down from the packing, then rows pulled toward their neighbours.
/// With `across` (per node, its place in an earlier drawing), nodes drawn before are
/// then pulled back to those places instead.
pub(super) fn placement(
    packing: &Packing,
    across: Option<&[Option<f64>]>,
) -> (Vec<f64>, Vec<(f64, f64)>) {
    let scopes = packing.tree.scopes();
    let mut placement = Placement {
        x_of: vec![0.0; packing.ordered.vertices.len()],
        slab: vec![(0.0, 0.0); packing.tree.groups()],
        pieces: vec![Vec::new(); scopes],
        inner: vec![(0.0, 0.0); scopes],
    };
    let root = packing.tree.root();
    place_scope(packing, (root, 0.0), &mut placement, None);
    align(packing.ordered, &mut placement, None, 4);
    // Near an earlier drawing: the groups moved as a whole toward where their nodes
    // were, then every node pulled to its own earlier place.
    let earlier = across.and_then(|across| Earlier::of(packing.ordered, &placement.x_of, across));
    if let Some(earlier) = earlier {
        let wanted = earlier.group_moves(packing, &placement.x_of);
        place_scope(packing, (root, 0.0), &mut placement, Some((&wanted, 0.0)));
        align(packing.ordered, &mut placement, Some(&earlier), 2);
    }
    (placement.x_of, placement.slab)
}

/// Where each vertex goes, and each group's slab and each piece's interval found on the way.
struct Placement {
    x_of: Vec<f64>,
    slab: Vec<(f64, f64)>,
    /// Per scope, the pieces on each rank: (rank, piece, left, width), by rank and then
    /// in order (a child group once per rank it holds).
    pieces: Vec<Vec<(usize, Piece, f64, f64)>>,
    /// Per scope: the interval its own vertices may use (inside padding and title).
    inner: Vec<(f64, f64)>,
}

/// Places a scope's pieces from `left`; near an earlier drawing (`near`: each group's
/// wanted move, and how far this scope has been moved already), its child groups are
/// moved toward their wanted places, in order and no closer than packed.
fn place_scope(
    packing: &Packing,
    (scope, left): (usize, f64),
    placement: &mut Placement,
    near: Option<(&[Option<f64>], f64)>,
) {
    let ordered = packing.ordered;
    let width = packing.width[scope];
    let mut start = left;
    let mut inner = (left, left + width);
    if let Scope::Group(group) = packing.tree.scope(scope) {
        placement.slab[group] = (left, width);
        let title = packing.titles.across(group);
        inner = (left + GROUP_PADDING + title, left + width - GROUP_PADDING);
        // A title wider than the content centers the content under it.
        start = inner.0 + ((inner.1 - inner.0) - packing.content[scope]).max(0.0) / 2.0;
    }
    placement.inner[scope] = inner;
    let open = scope == packing.tree.root();
    let moves = near.map(|(wanted, moved)| {
        let bounds = if open { None } else { Some(inner) };
        near::child_moves(packing, (scope, start), bounds, (wanted, moved))
    });
    let mut pieces = Vec::new();
    let mut children = 0;
    let mut moved = 0.0;
    for &(piece, offset, piece_width) in &packing.pieces[scope] {
        if let (Piece::Child(_), Some(moves)) = (piece, &moves) {
            moved = moves[children];
            children += 1;
        }
        let x = start + offset + moved;
        match piece {
            Piece::Row { gap, rank } => {
                let row = &ordered.gaps[scope][rank][gap];
                let (offsets, _) = row_offsets(ordered, row);
                for (&v, offset) in row.iter().zip(offsets) {
                    placement.x_of[v] = x + offset;
                }
                pieces.push((rank, piece, x, piece_width));
            }
            Piece::Child(child) => {
                let held = (0..packing.ranks).filter(|&r| packing.occupied[child][r]);
                pieces.extend(held.map(|r| (r, piece, x, piece_width)));
                let inside = near.map(|(wanted, before)| (wanted, before + moved));
                place_scope(packing, (child, x), placement, inside);
            }
        }
    }
    // Stable: on each rank the pieces stay in order.
    pieces.sort_by_key(|&(rank, ..)| rank);
    placement.pieces[scope] = pieces;
}

/// How much more a node's earlier place weighs than where an edge's bend wants to be:
/// near an earlier drawing the boxes stay and the bends give way.
const EARLIER_WEIGHT: f64 = 100.0;

/// Sweeps that move each row of a gap toward the mean centre of each vertex's
/// neighbours on the rank above (then below), keeping order, spacing and the gap's
/// bounds: a least-squares fit under those constraints (isotonic regression). Nodes of
/// an `earlier` drawing are moved toward their places there instead.
fn align(ordered: &Ordered, placement: &mut Placement, earlier: Option<&Earlier>, sweeps: usize) {
    let (up, down) = (&ordered.up, &ordered.down);
    let ranks = ordered.gaps.first().map_or(0, Vec::len);
    // Per rank, the scopes with a row there, in order: walking every scope on every
    // rank grew as scopes × ranks.
    let mut with_rows: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for (scope, pieces) in placement.pieces.iter().enumerate() {
        for &(rank, piece, ..) in pieces {
            if matches!(piece, Piece::Row { .. }) && with_rows[rank].last() != Some(&scope) {
                with_rows[rank].push(scope);
            }
        }
    }
    for sweep in 0..sweeps {
        let (neighbours, order): (&Adjacency, Vec<usize>) = if sweep % 2 == 0 {
            (up, (1..ranks).collect())
        } else {
            (down, (0..ranks.saturating_sub(1)).rev().collect())
        };
        for &rank in &order {
            for &scope in &with_rows[rank] {
                // The whole drawing has no box: near an earlier drawing its rows may
                // reach past the packed width rather than be pushed back into it.
                let open = earlier.is_some() && scope == placement.pieces.len() - 1;
                for (left, right, row) in segments(ordered, placement, (scope, open), rank) {
                    let wanted = (neighbours, earlier);
                    fit_segment(ordered, placement, wanted, &row, (left, right));
                }
            }
        }
    }
}

/// The rows of a scope on one rank, each with its bounds: the vertices of its gaps
/// between two child groups that hold this rank, free to use the stretch between them.
fn segments(
    ordered: &Ordered,
    placement: &Placement,
    (scope, open): (usize, bool),
    rank: usize,
) -> Vec<(f64, f64, Vec<usize>)> {
    let (inner_left, inner_right) = if open {
        (f64::NEG_INFINITY, f64::INFINITY)
    } else {
        placement.inner[scope]
    };
    let mut segments = Vec::new();
    let mut left = inner_left;
    let mut row: Vec<usize> = Vec::new();
    let pieces = &placement.pieces[scope];
    let first = pieces.partition_point(|&(r, ..)| r < rank);
    let on_rank = pieces[first..].iter().take_while(|&&(r, ..)| r == rank);
    for &(_, piece, x, width) in on_rank {
        match piece {
            Piece::Row { gap, .. } => row.extend_from_slice(&ordered.gaps[scope][rank][gap]),
            Piece::Child(_) => {
                if !row.is_empty() {
                    segments.push((left, x - NODE_SPACING, std::mem::take(&mut row)));
                }
                left = x + width + NODE_SPACING;
            }
        }
    }
    if !row.is_empty() {
        segments.push((left, inner_right, row));
    }
    segments
}

/// Moves a row toward the mean centre of each vertex's neighbours, within bounds.
fn fit_segment(
    ordered: &Ordered,
    placement: &mut Placement,
    (neighbours, earlier): (&Adjacency, Option<&Earlier>),
    row: &[usize],
    (left, right): (f64, f64),
) {
    let centre = |v: usize| placement.x_of[v] + ordered.vertices[v].size.width / 2.0;
    let desired: Vec<(f64, f64)> = row
        .iter()
        .map(|&v| {
            let others = &neighbours[v];
            let half = ordered.vertices[v].size.width / 2.0;
            if let Some(at) = earlier.and_then(|e| e.centre(v)) {
                return (at - half, EARLIER_WEIGHT);
            }
            let wanted = if others.is_empty() {
                centre(v)
            } else {
                others.iter().map(|&o| centre(o)).sum::<f64>() / others.len() as f64
            };
            (wanted - half, 1.0)
        })
        .collect();
    let offsets = row_offsets(ordered, row);
    for (v, x) in row
        .iter()
        .zip(fit_weighted_row(&desired, offsets, (left, right)))
    {
        placement.x_of[*v] = x;
    }
}

/// Left edges as close as possible to `desired` (least squares), in order, at least
/// as far apart as packed at `offsets` (a row `total` wide), within `[left, right]`.
pub(crate) fn fit_row(desired: &[f64], packed: (Vec<f64>, f64), left: f64, right: f64) -> Vec<f64> {
    let weighted: Vec<(f64, f64)> = desired.iter().map(|&d| (d, 1.0)).collect();
    fit_weighted_row(&weighted, packed, (left, right))
}

/// [`fit_row`] with a weight per box: a heavier box moves less from where it wants
/// to be when the row must give (a node held to its earlier place against the bends
/// of edges beside it).
fn fit_weighted_row(
    desired: &[(f64, f64)],
    (offsets, total): (Vec<f64>, f64),
    (left, right): (f64, f64),
) -> Vec<f64> {
    // With offsets taken out, the constraints are only "non-decreasing". Pool adjacent
    // violators: blocks of (weighted mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (&(d, weight), o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, weight, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (b_mean, b_weight, b_count) = blocks.pop().expect("two blocks");
            let a = blocks.last_mut().expect("two blocks");
            a.0 = (a.0 * a.1 + b_mean * b_weight) / (a.1 + b_weight);
            a.1 += b_weight;
            a.2 += b_count;
        }
    }
    let (low, high) = (left, (right - total).max(left));
    blocks
        .iter()
        .flat_map(|&(mean, _, count)| std::iter::repeat_n(mean.clamp(low, high), count))
        .zip(&offsets)
        .map(|(q, o)| q + o)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fit_row;

    /// Two boxes 10 wide that both want x = 0 cannot overlap: least squares puts them
    /// symmetrically about it, one each side.
    #[test]
    fn a_row_that_wants_one_place_spreads_evenly_around_it() {
        let lefts = fit_row(&[0.0, 0.0], (vec![0.0, 10.0], 20.0), -100.0, 100.0);
        assert_eq!(lefts, [-5.0, 5.0]);
    }

    /// Desired places already in order and apart are kept; bounds clamp the whole row.
    #[test]
    fn a_row_keeps_free_places_and_stays_in_bounds() {
        let packed = (vec![0.0, 10.0], 20.0);
        assert_eq!(
            fit_row(&[0.0, 50.0], packed.clone(), -100.0, 100.0),
            [0.0, 50.0]
        );
        assert_eq!(fit_row(&[-80.0, -70.0], packed, 0.0, 100.0), [0.0, 10.0]);
    }
}
