//! Group boxes, and the room their titles take.

use super::{Ranks, Spans};
use crate::group_tree::GroupTree;
use crate::order::Vertex;
use crate::{GROUP_PADDING, GroupSpec, Rect};

/// The room group titles take, along the ranks or across them.
#[derive(Clone, Copy)]
pub(super) struct Titles<'a> {
    pub groups: &'a [GroupSpec],
    pub transposed: bool,
}

impl Titles<'_> {
    /// Room before a group's first rank.
    pub fn along(&self, g: usize) -> f64 {
        if self.transposed {
            0.0
        } else {
            self.groups[g].label.height
        }
    }

    /// Room at the start of a group's slab.
    pub fn across(&self, g: usize) -> f64 {
        if self.transposed {
            self.groups[g].label.height
        } else {
            0.0
        }
    }

    /// How far an empty group reaches along the ranks: far enough for its title.
    pub fn empty_extent(&self, g: usize) -> f64 {
        let label = self.groups[g].label;
        if self.transposed {
            label.width
        } else {
            label.height
        }
    }

    /// The least width of a group's slab.
    pub fn min_width(&self, g: usize) -> f64 {
        if self.transposed {
            0.0
        } else {
            self.groups[g].label.width
        }
    }
}

/// Each group's box: around its nodes and its child groups' boxes along the flow, its
/// slab across it, with padding and room for its title.
pub(super) fn group_boxes(
    (tree, titles): (&GroupTree, Titles),
    nodes: &[Vertex],
    (slab, span): (&[(f64, f64)], &Spans),
    ranks: &Ranks,
    rect_of: &dyn Fn(usize) -> Rect,
) -> Vec<Rect> {
    // Content extents, then each group around its content and its child groups, deepest
    // first.
    let mut top = vec![f64::MAX; tree.groups()];
    let mut bottom = vec![f64::MIN; tree.groups()];
    for (v, vertex) in nodes.iter().enumerate() {
        if let Some(g) = vertex.group {
            let rect = rect_of(v);
            top[g] = top[g].min(rect.y);
            bottom[g] = bottom[g].max(rect.bottom());
        }
    }
    let mut boxes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        tree.groups()
    ];
    for g in tree.deepest_first() {
        if top[g] == f64::MAX {
            // An empty group: a title-high box at the top of its span.
            let rank = span[g].map_or(0, |s| s.0);
            let body_top = ranks.bodies[rank].0;
            top[g] = body_top;
            bottom[g] = body_top + ranks.depth[rank].min(titles.empty_extent(g));
        }
        let (x, width) = slab[g];
        let y = top[g] - GROUP_PADDING - titles.along(g);
        boxes[g] = Rect {
            x,
            y,
            width,
            height: bottom[g] + GROUP_PADDING - y,
        };
        if let Some(parent) = tree.parent(g) {
            top[parent] = top[parent].min(boxes[g].y);
            bottom[parent] = bottom[parent].max(boxes[g].bottom());
        }
    }
    boxes
}
