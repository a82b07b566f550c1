//! Phase 3: coordinates. Each group is a slab reserved on every rank; its own vertices
//! sit in the gaps between its child groups' slabs, centered in their gap. Ranks are
//! bands, with room above and below for the titles and padding of the groups that
//! start or end there. Edges leave a node straight down to the bottom of its band,
//! cross to the next band, and run straight through their virtual vertices.

use super::order::Ordered;
use super::rank::{InputEdge, Ranked};
use super::{GROUP_PADDING, GroupSpec, Layout, MARGIN, NODE_GAP, NodeSpec, RANK_GAP, Rect, Route};

pub fn place(
    nodes: &[NodeSpec],
    groups: &[GroupSpec],
    ranked: &Ranked,
    ordered: &Ordered,
) -> Layout {
    let ranks = ordered.gaps.first().map_or(1, Vec::len);
    let root = groups.len();
    let vertices = &ordered.vertices;

    // Which ranks each group's nodes span (virtual vertices run through slabs freely).
    let mut span: Vec<Option<(usize, usize)>> = vec![None; groups.len()];
    for vertex in &vertices[..nodes.len()] {
        let mut g = vertex.group;
        while let Some(current) = g {
            let entry = span[current].get_or_insert((vertex.rank, vertex.rank));
            *entry = (entry.0.min(vertex.rank), entry.1.max(vertex.rank));
            g = groups[current].parent;
        }
    }
    let span_of = |g: usize| span[g].unwrap_or((0, 0));
    // Room above a rank for the titles of groups starting there (nested ones stack), and
    // below for the padding of groups ending there.
    let above = |g: usize| -> f64 {
        let mut total = 0.0;
        let mut current = Some(g);
        while let Some(c) = current.filter(|&c| span_of(c).0 == span_of(g).0) {
            total += groups[c].label.height + GROUP_PADDING;
            current = groups[c].parent;
        }
        total
    };
    let below = |g: usize| -> f64 {
        let mut total = 0.0;
        let mut current = Some(g);
        while let Some(c) = current.filter(|&c| span_of(c).1 == span_of(g).1) {
            total += GROUP_PADDING;
            current = groups[c].parent;
        }
        total
    };
    let mut top_room = vec![0.0f64; ranks];
    let mut bottom_room = vec![0.0f64; ranks];
    for g in 0..groups.len() {
        let (first, last) = span_of(g);
        top_room[first] = top_room[first].max(above(g));
        bottom_room[last] = bottom_room[last].max(below(g));
    }
    let mut band_height = vec![0.0f64; ranks];
    for vertex in vertices {
        band_height[vertex.rank] = band_height[vertex.rank].max(vertex.size.height);
    }
    let mut band_top = vec![0.0f64; ranks];
    let mut y = 0.0;
    for r in 0..ranks {
        y += top_room[r];
        band_top[r] = y;
        y += band_height[r] + bottom_room[r] + RANK_GAP;
    }

    // Widths, bottom-up through the scope tree.
    let mut widths = Widths {
        ordered,
        groups,
        gap: vec![Vec::new(); root + 1],
        scope: vec![0.0; root + 1],
    };
    widths.compute(root, root);

    // Horizontal placement, top-down.
    let mut x_of = vec![0.0f64; vertices.len()];
    let mut slab = vec![(0.0f64, 0.0f64); groups.len()];
    place_scope(&widths, root, root, 0.0, &mut x_of, &mut slab);

    let rect_of = |v: usize| {
        let vertex = &vertices[v];
        Rect {
            x: x_of[v],
            y: band_top[vertex.rank] + (band_height[vertex.rank] - vertex.size.height) / 2.0,
            width: vertex.size.width,
            height: vertex.size.height,
        }
    };
    let node_rects: Vec<Rect> = (0..nodes.len()).map(rect_of).collect();
    let group_rects = group_boxes(
        nodes.len(),
        groups,
        vertices,
        &slab,
        &span,
        &band_top,
        &band_height,
        &rect_of,
    );
    let routes = routes(
        ordered,
        ranked,
        &node_rects,
        &band_top,
        &band_height,
        &rect_of,
    );
    normalize(node_rects, group_rects, routes)
}

struct Widths<'a> {
    ordered: &'a Ordered,
    groups: &'a [GroupSpec],
    /// Per scope, per gap: the widest row that gap holds on any rank.
    gap: Vec<Vec<f64>>,
    /// Per scope: its full width (a group's includes its padding).
    scope: Vec<f64>,
}

impl Widths<'_> {
    fn compute(&mut self, scope: usize, root: usize) {
        for &child in &self.ordered.children[scope] {
            self.compute(child, root);
        }
        let gaps = &self.ordered.gaps[scope];
        let count = self.ordered.children[scope].len() + 1;
        let mut gap_widths = vec![0.0f64; count];
        for rank in gaps {
            for (i, gap) in rank.iter().enumerate() {
                let row: f64 = gap
                    .iter()
                    .map(|&v| self.ordered.vertices[v].size.width)
                    .sum::<f64>()
                    + NODE_GAP * gap.len().saturating_sub(1) as f64;
                gap_widths[i] = gap_widths[i].max(row);
            }
        }
        let pieces: Vec<f64> = self.pieces(scope, &gap_widths).map(|(_, w)| w).collect();
        let mut inner =
            pieces.iter().sum::<f64>() + NODE_GAP * pieces.len().saturating_sub(1) as f64;
        if scope != root {
            inner = inner.max(self.groups[scope].label.width) + 2.0 * GROUP_PADDING;
        }
        self.gap[scope] = gap_widths;
        self.scope[scope] = inner;
    }

    /// The non-empty pieces of a scope, left to right: gaps and child slabs.
    fn pieces<'s>(
        &'s self,
        scope: usize,
        gap_widths: &'s [f64],
    ) -> impl Iterator<Item = (Piece, f64)> + 's {
        let children = &self.ordered.children[scope];
        gap_widths
            .iter()
            .enumerate()
            .flat_map(move |(i, &w)| {
                let gap = std::iter::once((Piece::Gap(i), w));
                let child = children.get(i).map(|&c| (Piece::Child(c), self.scope[c]));
                gap.chain(child)
            })
            .filter(|(_, w)| *w > 0.0)
    }
}

#[derive(Clone, Copy)]
enum Piece {
    Gap(usize),
    Child(usize),
}

fn place_scope(
    widths: &Widths,
    scope: usize,
    root: usize,
    left: f64,
    x_of: &mut [f64],
    slab: &mut [(f64, f64)],
) {
    let ordered = widths.ordered;
    let mut x = left;
    if scope != root {
        slab[scope] = (left, widths.scope[scope]);
        x += GROUP_PADDING;
        // A title wider than the content centers the content under it.
        let content: f64 = widths
            .pieces(scope, &widths.gap[scope])
            .map(|(_, w)| w)
            .sum::<f64>();
        let inner = widths.scope[scope] - 2.0 * GROUP_PADDING;
        let pieces = widths.pieces(scope, &widths.gap[scope]).count();
        let content = content + NODE_GAP * pieces.saturating_sub(1) as f64;
        x += (inner - content).max(0.0) / 2.0;
    }
    let pieces: Vec<(Piece, f64)> = widths.pieces(scope, &widths.gap[scope]).collect();
    for (piece, width) in pieces {
        match piece {
            Piece::Gap(i) => {
                for rank in &ordered.gaps[scope] {
                    let gap = &rank[i];
                    let row: f64 = gap
                        .iter()
                        .map(|&v| ordered.vertices[v].size.width)
                        .sum::<f64>()
                        + NODE_GAP * gap.len().saturating_sub(1) as f64;
                    let mut cursor = x + (width - row) / 2.0;
                    for &v in gap {
                        x_of[v] = cursor;
                        cursor += ordered.vertices[v].size.width + NODE_GAP;
                    }
                }
            }
            Piece::Child(child) => place_scope(widths, child, root, x, x_of, slab),
        }
        x += width + NODE_GAP;
    }
}

#[allow(clippy::too_many_arguments)]
fn group_boxes(
    node_count: usize,
    groups: &[GroupSpec],
    vertices: &[super::order::Vertex],
    slab: &[(f64, f64)],
    span: &[Option<(usize, usize)>],
    band_top: &[f64],
    band_height: &[f64],
    rect_of: &dyn Fn(usize) -> Rect,
) -> Vec<Rect> {
    // Content extents, then each group around its content and its child groups, deepest
    // first (a child's index is not ordered against its parent's, so walk by depth).
    let mut top = vec![f64::MAX; groups.len()];
    let mut bottom = vec![f64::MIN; groups.len()];
    for (v, vertex) in vertices.iter().enumerate().take(node_count) {
        if let Some(g) = vertex.group {
            let rect = rect_of(v);
            top[g] = top[g].min(rect.y);
            bottom[g] = bottom[g].max(rect.bottom());
        }
    }
    let depth = |mut g: usize| {
        let mut d = 0;
        while let Some(parent) = groups[g].parent {
            d += 1;
            g = parent;
        }
        d
    };
    let mut by_depth: Vec<usize> = (0..groups.len()).collect();
    by_depth.sort_by_key(|&g| std::cmp::Reverse(depth(g)));
    let mut boxes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        groups.len()
    ];
    for g in by_depth {
        if top[g] == f64::MAX {
            // An empty group: a title-high box at the top of its span.
            let rank = span[g].map_or(0, |s| s.0);
            top[g] = band_top[rank];
            bottom[g] = band_top[rank] + band_height[rank].min(groups[g].label.height);
        }
        let (x, width) = slab[g];
        let y = top[g] - GROUP_PADDING - groups[g].label.height;
        boxes[g] = Rect {
            x,
            y,
            width,
            height: bottom[g] + GROUP_PADDING - y,
        };
        if let Some(parent) = groups[g].parent {
            top[parent] = top[parent].min(boxes[g].y);
            bottom[parent] = bottom[parent].max(boxes[g].bottom());
        }
    }
    boxes
}

fn routes(
    ordered: &Ordered,
    ranked: &Ranked,
    node_rects: &[Rect],
    band_top: &[f64],
    band_height: &[f64],
    rect_of: &dyn Fn(usize) -> Rect,
) -> Vec<Route> {
    let merged: Vec<Route> = ordered
        .chains
        .iter()
        .enumerate()
        .map(|(index, chain)| {
            let mut points: Vec<(f64, f64)> = Vec::new();
            for (i, &v) in chain.iter().enumerate() {
                let rect = rect_of(v);
                let rank = ordered.vertices[v].rank;
                let cx = rect.x + rect.width / 2.0;
                let band = (band_top[rank], band_top[rank] + band_height[rank]);
                if i > 0 {
                    points.push((cx, band.0));
                    points.push((cx, if i + 1 == chain.len() { rect.y } else { band.0 }));
                }
                if i + 1 < chain.len() {
                    points.push((cx, if i == 0 { rect.bottom() } else { band.1 }));
                    points.push((cx, band.1));
                }
            }
            points.dedup();
            let label = ordered.label_vertex[index].map(rect_of);
            Route { points, label }
        })
        .collect();
    ranked
        .input
        .iter()
        .map(|input| match *input {
            InputEdge::Merged { edge, reversed } => {
                let mut route = merged[edge].clone();
                if reversed {
                    route.points.reverse();
                }
                route
            }
            InputEdge::SelfLoop { node } => self_loop(&node_rects[node]),
        })
        .collect()
}

fn self_loop(node: &Rect) -> Route {
    let (right, cy) = (node.right(), node.y + node.height / 2.0);
    let reach = NODE_GAP * 0.6;
    Route {
        points: vec![
            (right, cy - 6.0),
            (right + reach, cy - 6.0),
            (right + reach, cy + 6.0),
            (right, cy + 6.0),
        ],
        label: None,
    }
}

fn normalize(mut nodes: Vec<Rect>, mut groups: Vec<Rect>, mut edges: Vec<Route>) -> Layout {
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
