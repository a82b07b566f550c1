//! Phase 3: coordinates. Each group is a slab across the flow, reserved on the ranks it
//! holds (its box's and its vertices'); its own vertices sit in the gaps between its
//! child groups' slabs. Pieces (a gap's row on one rank, or a child group) are packed
//! rank by rank, so groups on different ranks may share a stretch across the flow.
//!
//! Along the flow, each rank has a body (where its vertices are) and an extent (the
//! body with room above for the titles of groups starting there and below for the
//! padding of groups ending there); between two ranks' extents runs their channel.
//! Edges leave a node straight down past that room, cross to the next rank's in the
//! channel, and run straight through their virtual vertices.
//!
//! The driver here; `packing` gives every scope its width bottom-up, `align` places
//! the pieces top-down and pulls rows toward their neighbours, `boxes` draws the group
//! boxes around what they hold. Routes (`route`) and channel labels (`labels`) follow.

mod align;
mod boxes;
mod near;
mod packing;

use super::fold;
use super::group_tree::GroupTree;
use super::order::Ordered;
use super::rank::Ranked;
use super::{GROUP_PADDING, GroupSpec, Layout, MARGIN, NodeSpec, Rect, Route, labels, route};
pub(crate) use align::fit_row;
use boxes::Titles;
use packing::Packing;
pub(crate) use packing::side_by_side;

/// The placed drawing, top-down, before it is folded and shifted to the margin.
pub struct Placed {
    nodes: Vec<Rect>,
    groups: Vec<Rect>,
    /// One per chain, top-down.
    chain_routes: Vec<Route>,
    /// Per rank, its extent: (start, end) along the flow.
    ranks: Vec<(f64, f64)>,
}

impl Placed {
    /// The layout in `bands` bands (1: as placed), routes per input edge.
    pub fn layout(&self, ranked: &Ranked, bands: usize) -> Layout {
        let (mut nodes, mut groups) = (self.nodes.clone(), self.groups.clone());
        let mut chain_routes = self.chain_routes.clone();
        if bands > 1 {
            let drawing = fold::Drawing {
                nodes: &mut nodes,
                groups: &mut groups,
                routes: &mut chain_routes,
                ranks: &self.ranks,
            };
            fold::fold(drawing, bands);
        }
        let routes = route::input_routes(ranked, &chain_routes, &nodes);
        normalize(nodes, groups, routes)
    }
}

/// Where each rank lies along the flow, each as (start, end).
pub struct Ranks {
    /// Room for the titles and padding of groups starting or ending there included.
    pub extents: Vec<(f64, f64)>,
    /// Where its vertices are: as deep as its deepest.
    pub bodies: Vec<(f64, f64)>,
    /// The depth of each body (its vertices are centred in it).
    pub depth: Vec<f64>,
}

/// Per group: the first and last rank of its nodes, inner groups' included (none for a
/// group without nodes).
type Spans = [Option<(usize, usize)>];

pub fn place(
    nodes: &[NodeSpec],
    (tree, groups): (&GroupTree, &[GroupSpec]),
    (ordered, across): (&Ordered, Option<&[Option<f64>]>),
    transposed: bool,
) -> Placed {
    // Where each group's title goes, in these top-down coordinates: above its first
    // rank, or, when the picture is transposed (its top is our left), in its slab.
    let titles = Titles { groups, transposed };
    let rank_count = ordered.gaps.first().map_or(1, Vec::len);
    let vertices = &ordered.vertices;
    // Which ranks each group's nodes span (virtual vertices run through slabs freely).
    let mut span: Vec<Option<(usize, usize)>> = vec![None; tree.groups()];
    for vertex in &vertices[..nodes.len()] {
        for g in tree.ancestors(vertex.group) {
            let entry = span[g].get_or_insert((vertex.rank, vertex.rank));
            *entry = (entry.0.min(vertex.rank), entry.1.max(vertex.rank));
        }
    }
    let ranks = rank_lines(ordered, tree, titles, &span, rank_count);
    // Which ranks each group holds: every rank its box reaches (an empty group's box
    // sits on the first rank, and its ancestors' boxes reach up to it) and every rank
    // with a vertex of it, virtual ones included. Elsewhere its slab is free.
    let occupied = packing::occupied_ranks(tree, vertices, &span, rank_count);
    // Widths, bottom-up through the scope tree: pieces packed per rank.
    let mut packing = Packing::new(ordered, tree, titles, &occupied);
    packing.compute(tree.root());
    // Horizontal placement, top-down, then nodes pulled toward their neighbours (or
    // their places in an earlier drawing).
    let (x_of, slab) = align::placement(&packing, across);
    let rect_of = |v: usize| {
        let vertex = &vertices[v];
        let top = ranks.bodies[vertex.rank].0;
        Rect {
            x: x_of[v],
            y: top + (ranks.depth[vertex.rank] - vertex.size.height) / 2.0,
            width: vertex.size.width,
            height: vertex.size.height,
        }
    };
    let node_rects: Vec<Rect> = (0..nodes.len()).map(rect_of).collect();
    let group_rects = boxes::group_boxes(
        (tree, titles),
        &vertices[..nodes.len()],
        (&slab, &span),
        &ranks,
        &rect_of,
    );
    let mut routes = route::chain_routes(ordered, &ranks, &rect_of);
    labels::place_channel_labels(ordered, &ranks, &mut routes);
    Placed {
        nodes: node_rects,
        groups: group_rects,
        chain_routes: routes,
        ranks: ranks.extents,
    }
}

/// The ranks along the flow: each body as deep as its deepest vertex, room for titles
/// above and padding below, and channels between them as deep as their labels need.
fn rank_lines(
    ordered: &Ordered,
    tree: &GroupTree,
    titles: Titles,
    span: &Spans,
    ranks: usize,
) -> Ranks {
    let span_of = |g: usize| span[g].unwrap_or((0, 0));
    // Room above a rank for the titles of groups starting there (nested ones stack), and
    // below for the padding of groups ending there.
    let above = |g: usize| -> f64 {
        tree.ancestors(Some(g))
            .take_while(|&c| span_of(c).0 == span_of(g).0)
            .map(|c| titles.along(c) + GROUP_PADDING)
            .sum()
    };
    let below = |g: usize| -> f64 {
        let ending = tree
            .ancestors(Some(g))
            .take_while(|&c| span_of(c).1 == span_of(g).1);
        ending.count() as f64 * GROUP_PADDING
    };
    let mut top_room = vec![0.0f64; ranks];
    let mut bottom_room = vec![0.0f64; ranks];
    for g in 0..tree.groups() {
        let (first, last) = span_of(g);
        top_room[first] = top_room[first].max(above(g));
        bottom_room[last] = bottom_room[last].max(below(g));
    }
    let mut depth = vec![0.0f64; ranks];
    for vertex in &ordered.vertices {
        depth[vertex.rank] = depth[vertex.rank].max(vertex.size.height);
    }
    let channels = labels::channel_depths(ordered, &depth, (&top_room, &bottom_room));
    let (mut extents, mut bodies) = (Vec::with_capacity(ranks), Vec::with_capacity(ranks));
    let mut y = 0.0;
    for r in 0..ranks {
        y += top_room[r];
        bodies.push((y, y + depth[r]));
        extents.push((y - top_room[r], y + depth[r] + bottom_room[r]));
        y += depth[r] + bottom_room[r] + channels[r];
    }
    Ranks {
        extents,
        bodies,
        depth,
    }
}

pub(super) fn normalize(
    mut nodes: Vec<Rect>,
    mut groups: Vec<Rect>,
    mut edges: Vec<Route>,
) -> Layout {
    let mut min = (f64::MAX, f64::MAX);
    let mut max = (f64::MIN, f64::MIN);
    let mut extend = |x: f64, y: f64| {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    };
    for r in nodes
        .iter()
        .chain(&groups)
        .chain(edges.iter().filter_map(|e| e.label.as_ref()))
    {
        extend(r.x, r.y);
        extend(r.right(), r.bottom());
    }
    for e in &edges {
        for &(x, y) in &e.points {
            extend(x, y);
        }
    }
    if min.0 == f64::MAX {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            nodes,
            groups,
            edges,
        };
    }
    let (dx, dy) = (MARGIN - min.0, MARGIN - min.1);
    for r in nodes.iter_mut().chain(groups.iter_mut()) {
        r.x += dx;
        r.y += dy;
    }
    for e in &mut edges {
        for p in &mut e.points {
            *p = (p.0 + dx, p.1 + dy);
        }
        if let Some(l) = &mut e.label {
            l.x += dx;
            l.y += dy;
        }
    }
    Layout {
        width: max.0 + dx + MARGIN,
        height: max.1 + dy + MARGIN,
        nodes,
        groups,
        edges,
    }
}
