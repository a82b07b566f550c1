//! Phase 3: coordinates. Each group is a slab across the flow, reserved on the ranks it
//! holds (its box's and its vertices'); its own vertices sit in the gaps between its
//! child groups' slabs. Pieces (a gap's row on one rank, or a child group) are packed
//! rank by rank, so groups on different ranks may share a stretch across the flow.
//! Ranks are bands, with room above and below for the titles and padding of the groups
//! that start or end there. Edges leave a node straight down past that room, cross to
//! the next rank's, and run straight through their virtual vertices.

use super::fold;
use super::order::{Adjacency, Ordered};
use super::rank::{InputEdge, Ranked};
use super::{
    EDGE_GAP, GROUP_PADDING, GroupSpec, Layout, MARGIN, NODE_GAP, NodeSpec, RANK_GAP, Rect, Route,
    Size,
};

/// The placed drawing, top-down, before it is folded and shifted to the margin.
pub struct Placed {
    nodes: Vec<Rect>,
    groups: Vec<Rect>,
    /// One per chain, top-down.
    chain_routes: Vec<Route>,
    /// Per rank, (start, end) along the flow, room for titles and padding included.
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
        let routes = input_routes(ranked, &chain_routes, &nodes);
        normalize(nodes, groups, routes)
    }
}

pub fn place(
    nodes: &[NodeSpec],
    groups: &[GroupSpec],
    ordered: &Ordered,
    transposed: bool,
) -> Placed {
    // Where each group's title goes, in these top-down coordinates: above its first
    // rank, or, when the picture is transposed (its top is our left), in its slab.
    let titles = Titles { groups, transposed };
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
            total += titles.along(c) + GROUP_PADDING;
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
    let gap_after = rank_gaps(ordered, &band_height, (&top_room, &bottom_room));
    let mut band_top = vec![0.0f64; ranks];
    let mut y = 0.0;
    for r in 0..ranks {
        y += top_room[r];
        band_top[r] = y;
        y += band_height[r] + bottom_room[r] + gap_after[r];
    }
    // Each rank's extent along the flow, room for titles and padding included.
    let extents: Vec<(f64, f64)> = (0..ranks)
        .map(|r| {
            let start = band_top[r] - top_room[r];
            (start, band_top[r] + band_height[r] + bottom_room[r])
        })
        .collect();

    // Which ranks each group holds: every rank its box reaches (an empty group's box
    // sits on the first rank, and its ancestors' boxes reach up to it) and every rank
    // with a vertex of it, virtual ones included. Elsewhere its slab is free.
    let occupied = occupied_ranks(groups, vertices, &span, ranks);

    // Widths, bottom-up through the scope tree: pieces packed per rank.
    let mut packing = Packing {
        ordered,
        titles,
        occupied: &occupied,
        ranks,
        pieces: vec![Vec::new(); root + 1],
        content: vec![0.0; root + 1],
        width: vec![0.0; root + 1],
    };
    packing.compute(root, root);

    // Horizontal placement, top-down, then nodes pulled toward their neighbours.
    let mut placement = Placement {
        x_of: vec![0.0; vertices.len()],
        slab: vec![(0.0, 0.0); groups.len()],
        pieces: vec![Vec::new(); root + 1],
        inner: vec![(0.0, 0.0); root + 1],
    };
    place_scope(&packing, root, root, 0.0, &mut placement);
    align(ordered, &mut placement);
    let Placement { x_of, slab, .. } = placement;

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
        titles,
        vertices,
        &slab,
        &span,
        &band_top,
        &band_height,
        &rect_of,
    );
    let bands: Vec<(f64, f64)> = (0..ranks)
        .map(|r| (band_top[r], band_top[r] + band_height[r]))
        .collect();
    let mut routes = chain_routes(ordered, (&extents, &bands), &rect_of);
    place_gap_labels(ordered, (&extents, &bands), &mut routes);
    Placed {
        nodes: node_rects,
        groups: group_rects,
        chain_routes: routes,
        ranks: extents,
    }
}

/// Room a gap label keeps from the ranks on either side of it, and from the nodes its
/// edge joins: room for an arrowhead (the renderer's are 9 long) and a little air.
const LABEL_AIR: f64 = 4.0;
const ARROW_ROOM: f64 = 12.0;

/// The gap after each rank: `RANK_GAP`, or more where a label sits in it, so the label
/// keeps `LABEL_AIR` from both ranks and `ARROW_ROOM` from both its ends (a node shorter
/// than its rank leaves some of that room inside the rank).
fn rank_gaps(ordered: &Ordered, band_height: &[f64], rooms: (&[f64], &[f64])) -> Vec<f64> {
    let (top_room, bottom_room) = rooms;
    let mut gaps = vec![RANK_GAP; band_height.len()];
    for &(chain, label) in &ordered.gap_labels {
        let chain = &ordered.chains[chain];
        let (upper, lower) = (
            &ordered.vertices[chain.upper],
            &ordered.vertices[chain.lower],
        );
        let rank = upper.rank;
        // How far each end's node stands back from the gap.
        let above = (band_height[rank] - upper.size.height) / 2.0 + bottom_room[rank];
        let below = (band_height[rank + 1] - lower.size.height) / 2.0 + top_room[rank + 1];
        let margin = (ARROW_ROOM - above.min(below)).max(LABEL_AIR);
        gaps[rank] = gaps[rank].max(label.height + 2.0 * margin);
    }
    gaps
}

/// The labels of edges between adjacent ranks, in a row across the middle of the gap
/// between them (`label_row`), each route running straight through its label. Other
/// routes that would run through a label pass beside the labels instead, each on a line
/// of its own, straight across the row, at the free place nearest where it crossed.
/// `ranks` gives each rank's extent (with room for group titles and padding) and its
/// band (where its vertices are).
fn place_gap_labels(ordered: &Ordered, ranks: Ranks, routes: &mut [Route]) {
    let (extents, bands) = ranks;
    let mut by_gap: Vec<Vec<(usize, Size)>> = vec![Vec::new(); extents.len()];
    for &(chain, label) in &ordered.gap_labels {
        by_gap[ordered.vertices[ordered.chains[chain].upper].rank].push((chain, label));
    }
    // The routes through each gap that holds labels (O(V′) in all: a chain crosses one
    // gap per rank it spans).
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); extents.len()];
    for (index, chain) in ordered.chains.iter().enumerate() {
        let (upper, lower) = (
            ordered.vertices[chain.upper].rank,
            ordered.vertices[chain.lower].rank,
        );
        for rank in (upper..lower).filter(|&r| !by_gap[r].is_empty()) {
            through[rank].push(index);
        }
    }
    for (rank, labels) in by_gap.iter().enumerate() {
        if labels.is_empty() {
            continue;
        }
        let y = (extents[rank].1 + extents[rank + 1].0) / 2.0;
        let height = labels.iter().map(|(_, l)| l.height).fold(0.0, f64::max);
        let row = Row {
            across: (y - height / 2.0, y + height / 2.0),
            free: (bands[rank].1, bands[rank + 1].0),
        };
        let placed = label_row(labels, y, row, routes);
        let mut labelled: Vec<usize> = labels.iter().map(|&(chain, _)| chain).collect();
        labelled.sort_unstable();
        let mut taken = Taken::default();
        for label in &placed {
            taken.insert((label.x - LABEL_AIR, label.right() + LABEL_AIR));
        }
        let mut passing: Vec<(f64, usize)> = through[rank]
            .iter()
            .filter(|chain| labelled.binary_search(chain).is_err())
            .filter(|&&chain| {
                let points = &routes[chain].points;
                let (a, b) = (x_at(points, row.across.0), x_at(points, row.across.1));
                taken.meets((a.min(b), a.max(b)))
            })
            .map(|&chain| (x_at(&routes[chain].points, y), chain))
            .collect();
        passing.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (x, chain) in passing {
            let line = taken.nearest_free(x);
            run_across(&mut routes[chain], line, row);
            taken.insert((line - EDGE_GAP, line + EDGE_GAP));
        }
    }
}

/// Places one gap's labels side by side in the row (least squares, in the order their
/// routes cross the gap), each route straight through its label.
fn label_row(labels: &[(usize, Size)], y: f64, row: Row, routes: &mut [Route]) -> Vec<Rect> {
    let mut labels: Vec<(f64, usize, Size)> = labels
        .iter()
        .map(|&(chain, label)| (x_at(&routes[chain].points, y), chain, label))
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let desired: Vec<f64> = labels.iter().map(|(x, _, l)| x - l.width / 2.0).collect();
    let packed = side_by_side(labels.iter().map(|(_, _, l)| (EDGE_GAP, l.width)));
    let lefts = fit_row(&desired, packed, f64::NEG_INFINITY, f64::INFINITY);
    labels
        .iter()
        .zip(lefts)
        .map(|(&(_, chain, label), left)| {
            run_across(&mut routes[chain], left + label.width / 2.0, row);
            let rect = Rect {
                x: left,
                y: y - label.height / 2.0,
                width: label.width,
                height: label.height,
            };
            routes[chain].label = Some(rect);
            rect
        })
        .collect()
}

/// The stretches of a label row that labels and the routes passing them have taken:
/// disjoint open intervals across the flow, in order.
#[derive(Default)]
struct Taken(Vec<(f64, f64)>);

impl Taken {
    /// Takes `(low, high)`, merged with the stretches it meets or touches.
    fn insert(&mut self, (mut low, mut high): (f64, f64)) {
        let start = self.0.partition_point(|&(_, h)| h < low);
        let mut end = start;
        while let Some(&(l, h)) = self.0.get(end).filter(|&&(l, _)| l <= high) {
            (low, high) = (low.min(l), high.max(h));
            end += 1;
        }
        self.0.splice(start..end, [(low, high)]);
    }

    /// Whether `(low, high)` overlaps a taken stretch.
    fn meets(&self, (low, high): (f64, f64)) -> bool {
        let i = self.0.partition_point(|&(_, h)| h <= low);
        self.0.get(i).is_some_and(|&(l, _)| l < high)
    }

    /// The free place nearest `x`: `x`, or an end of the stretch that holds it.
    fn nearest_free(&self, x: f64) -> f64 {
        let i = self.0.partition_point(|&(_, h)| h <= x);
        match self.0.get(i) {
            Some(&(low, high)) if low < x => {
                if x - low <= high - x {
                    low
                } else {
                    high
                }
            }
            _ => x,
        }
    }
}

/// Per rank, its extent and its band, each as (start, end) along the flow.
type Ranks<'a> = (&'a [(f64, f64)], &'a [(f64, f64)]);

/// A row of labels in a gap: where the labels are along the flow, and the stretch
/// between the two ranks' bands, where no vertex is and a route may bend.
#[derive(Clone, Copy)]
struct Row {
    across: (f64, f64),
    free: (f64, f64),
}

/// Bends a route so it crosses the label row straight at `x`, leaving its course only
/// between the two bands (a long edge's straight run through many ranks keeps it
/// outside the gap).
fn run_across(route: &mut Route, x: f64, row: Row) {
    let (top, bottom) = row.across;
    let after = route
        .points
        .iter()
        .position(|p| p.1 > top)
        .expect("a route through a gap crosses the middle of the gap");
    let (from, to) = (route.points[after - 1], route.points[after]);
    let on_course = |y: f64| (x_at(&[from, to], y), y);
    let mut bend = Vec::with_capacity(4);
    if from.1 < row.free.0 {
        bend.push(on_course(row.free.0));
    }
    bend.extend([(x, top), (x, bottom)]);
    if to.1 > row.free.1 {
        bend.push(on_course(row.free.1));
    }
    route.points.splice(after..after, bend);
}

/// Where a top-down route (its points in order along the flow) crosses the line across
/// the flow at `y`.
fn x_at(points: &[(f64, f64)], y: f64) -> f64 {
    let after = points.partition_point(|p| p.1 < y);
    match (after.checked_sub(1).map(|i| points[i]), points.get(after)) {
        (Some((x0, y0)), Some(&(x1, y1))) if y1 - y0 > 1e-9 => {
            x0 + (x1 - x0) * (y - y0) / (y1 - y0)
        }
        (_, Some(&(x, _))) | (Some((x, _)), None) => x,
        (None, None) => 0.0,
    }
}

/// The room group titles take, along the ranks or across them.
#[derive(Clone, Copy)]
struct Titles<'a> {
    groups: &'a [GroupSpec],
    transposed: bool,
}

impl Titles<'_> {
    /// Room before a group's first rank.
    fn along(&self, g: usize) -> f64 {
        if self.transposed {
            0.0
        } else {
            self.groups[g].label.height
        }
    }

    /// Room at the start of a group's slab.
    fn across(&self, g: usize) -> f64 {
        if self.transposed {
            self.groups[g].label.height
        } else {
            0.0
        }
    }

    /// How far an empty group reaches along the ranks: far enough for its title.
    fn empty_extent(&self, g: usize) -> f64 {
        let label = self.groups[g].label;
        if self.transposed {
            label.width
        } else {
            label.height
        }
    }

    /// The least width of a group's slab.
    fn min_width(&self, g: usize) -> f64 {
        if self.transposed {
            0.0
        } else {
            self.groups[g].label.width
        }
    }
}

/// Per group, per rank: whether the group holds that rank (see `place`).
fn occupied_ranks(
    groups: &[GroupSpec],
    vertices: &[super::order::Vertex],
    span: &[Option<(usize, usize)>],
    ranks: usize,
) -> Vec<Vec<bool>> {
    let mut occupied = vec![vec![false; ranks]; groups.len()];
    // A group without members anywhere below it has its box on the first rank, and
    // every group above it reaches up there too.
    let mut reaches_first = vec![false; groups.len()];
    for (g, _) in span.iter().enumerate().filter(|(_, s)| s.is_none()) {
        let mut current = Some(g);
        while let Some(c) = current {
            reaches_first[c] = true;
            current = groups[c].parent;
        }
    }
    for ((held, span), reaches_first) in occupied.iter_mut().zip(span).zip(reaches_first) {
        let (first, last) = span.unwrap_or((0, 0));
        let first = if reaches_first { 0 } else { first };
        let last = last.min(ranks - 1);
        held[first..=last].iter_mut().for_each(|h| *h = true);
    }
    for vertex in vertices {
        let mut g = vertex.group;
        while let Some(current) = g {
            occupied[current][vertex.rank] = true;
            g = groups[current].parent;
        }
    }
    occupied
}

#[derive(Clone, Copy)]
enum Piece {
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
struct Packing<'a> {
    ordered: &'a Ordered,
    titles: Titles<'a>,
    occupied: &'a [Vec<bool>],
    ranks: usize,
    /// Per scope: (piece, offset from the scope's content start, width).
    pieces: Vec<Vec<(Piece, f64, f64)>>,
    /// Per scope: the width of its packed pieces.
    content: Vec<f64>,
    /// Per scope: its full width (a group's includes its padding and title).
    width: Vec<f64>,
}

impl Packing<'_> {
    fn compute(&mut self, scope: usize, root: usize) {
        for &child in &self.ordered.children[scope] {
            self.compute(child, root);
        }
        let mut next_free = vec![0.0f64; self.ranks];
        let mut content = 0.0f64;
        let mut pieces = Vec::new();
        for (piece, width, held) in self.candidates(scope) {
            let x = held.iter().map(|&r| next_free[r]).fold(0.0, f64::max);
            for &r in &held {
                next_free[r] = x + width + NODE_GAP;
            }
            content = content.max(x + width);
            pieces.push((piece, x, width));
        }
        let width = if scope == root {
            content
        } else {
            (content + self.titles.across(scope)).max(self.titles.min_width(scope))
                + 2.0 * GROUP_PADDING
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
        EDGE_GAP
    } else {
        NODE_GAP
    }
}

/// Where each vertex of a row starts, packed side by side from 0, and the row's width.
fn row_offsets(ordered: &Ordered, row: &[usize]) -> (Vec<f64>, f64) {
    side_by_side(row.iter().enumerate().map(|(i, &v)| {
        let before = i
            .checked_sub(1)
            .map_or(0.0, |p| spacing(ordered, row[p], v));
        (before, ordered.vertices[v].size.width)
    }))
}

/// Boxes packed side by side from 0, each `(room before it, width)` (the first box's
/// room is ignored): where each starts, and the width of them all.
fn side_by_side(boxes: impl Iterator<Item = (f64, f64)>) -> (Vec<f64>, f64) {
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

fn place_scope(packing: &Packing, scope: usize, root: usize, left: f64, placement: &mut Placement) {
    let ordered = packing.ordered;
    let width = packing.width[scope];
    let mut start = left;
    let mut inner = (left, left + width);
    if scope != root {
        placement.slab[scope] = (left, width);
        let title = packing.titles.across(scope);
        inner = (left + GROUP_PADDING + title, left + width - GROUP_PADDING);
        // A title wider than the content centers the content under it.
        start = inner.0 + ((inner.1 - inner.0) - packing.content[scope]).max(0.0) / 2.0;
    }
    placement.inner[scope] = inner;
    let mut pieces = Vec::new();
    for &(piece, offset, piece_width) in &packing.pieces[scope] {
        let x = start + offset;
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
                place_scope(packing, child, root, x, placement);
            }
        }
    }
    // Stable: on each rank the pieces stay in order.
    pieces.sort_by_key(|&(rank, ..)| rank);
    placement.pieces[scope] = pieces;
}

/// Sweeps that move each row of a gap toward the mean centre of each vertex's
/// neighbours on the rank above (then below), keeping order, spacing and the gap's
/// bounds: a least-squares fit under those constraints (isotonic regression).
fn align(ordered: &Ordered, placement: &mut Placement) {
    let (up, down) = (&ordered.up, &ordered.down);
    let ranks = ordered.gaps.first().map_or(0, Vec::len);
    for sweep in 0..4 {
        let (neighbours, order): (&Adjacency, Vec<usize>) = if sweep % 2 == 0 {
            (up, (1..ranks).collect())
        } else {
            (down, (0..ranks.saturating_sub(1)).rev().collect())
        };
        for &rank in &order {
            for scope in 0..placement.pieces.len() {
                for (left, right, row) in segments(ordered, placement, scope, rank) {
                    fit_segment(ordered, placement, neighbours, &row, left, right);
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
    scope: usize,
    rank: usize,
) -> Vec<(f64, f64, Vec<usize>)> {
    let (inner_left, inner_right) = placement.inner[scope];
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
                    segments.push((left, x - NODE_GAP, std::mem::take(&mut row)));
                }
                left = x + width + NODE_GAP;
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
    neighbours: &Adjacency,
    row: &[usize],
    left: f64,
    right: f64,
) {
    let centre = |v: usize| placement.x_of[v] + ordered.vertices[v].size.width / 2.0;
    let desired: Vec<f64> = row
        .iter()
        .map(|&v| {
            let others = &neighbours[v];
            let wanted = if others.is_empty() {
                centre(v)
            } else {
                others.iter().map(|&o| centre(o)).sum::<f64>() / others.len() as f64
            };
            wanted - ordered.vertices[v].size.width / 2.0
        })
        .collect();
    let offsets = row_offsets(ordered, row);
    for (v, x) in row.iter().zip(fit_row(&desired, offsets, left, right)) {
        placement.x_of[*v] = x;
    }
}

/// Left edges as close as possible to `desired` (least squares), in order, at least
/// as far apart as packed at `offsets` (a row `total` wide), within `[left, right]`.
fn fit_row(desired: &[f64], (offsets, total): (Vec<f64>, f64), left: f64, right: f64) -> Vec<f64> {
    // With offsets taken out, the constraints are only "non-decreasing".    // Pool adjacent violators: blocks of (mean, count).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (b_mean, b_count) = blocks.pop().expect("two blocks");
            let a = blocks.last_mut().expect("two blocks");
            a.0 = (a.0 * a.1 as f64 + b_mean * b_count as f64) / (a.1 + b_count) as f64;
            a.1 += b_count;
        }
    }
    let (low, high) = (left, (right - total).max(left));
    blocks
        .iter()
        .flat_map(|&(mean, count)| std::iter::repeat_n(mean.clamp(low, high), count))
        .zip(&offsets)
        .map(|(q, o)| q + o)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn group_boxes(
    node_count: usize,
    titles: Titles,
    vertices: &[super::order::Vertex],
    slab: &[(f64, f64)],
    span: &[Option<(usize, usize)>],
    band_top: &[f64],
    band_height: &[f64],
    rect_of: &dyn Fn(usize) -> Rect,
) -> Vec<Rect> {
    let groups = titles.groups;
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
            bottom[g] = band_top[rank] + band_height[rank].min(titles.empty_extent(g));
        }
        let (x, width) = slab[g];
        let y = top[g] - GROUP_PADDING - titles.along(g);
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

/// One route per chain, top-down. A route crosses from one rank to the next only
/// between the two ranks' extents: it runs straight along the flow through the room
/// for the padding and titles of groups ending or starting there, so it never cuts the
/// corner of a group box that begins or ends at that gap.
fn chain_routes(ordered: &Ordered, ranks: Ranks, rect_of: &dyn Fn(usize) -> Rect) -> Vec<Route> {
    let (extents, bands) = ranks;
    let (leave, enter) = ports(ordered, rect_of);
    ordered
        .chains
        .iter()
        .enumerate()
        .map(|(index, chain)| {
            let mut points = Polyline::default();
            let last = chain.virtuals.len() + 1;
            for (i, v) in chain.vertices().enumerate() {
                let rect = rect_of(v);
                let rank = ordered.vertices[v].rank;
                let port = if i == 0 {
                    leave[index]
                } else if i == last {
                    enter[index]
                } else {
                    0.0
                };
                let cx = rect.x + rect.width / 2.0 + port;
                let band = bands[rank];
                if i > 0 {
                    points.push((cx, extents[rank].0));
                    points.push((cx, if i == last { rect.y } else { band.0 }));
                }
                if i < last {
                    points.push((cx, if i == 0 { rect.bottom() } else { band.1 }));
                    points.push((cx, extents[rank].1));
                }
            }
            let points = points.0;
            let label = ordered.label_vertex[index].map(rect_of);
            Route { points, label }
        })
        .collect()
}

/// One route per input edge, in input order: its chain's (reversed for a reversed edge),
/// or a loop beside its node.
fn input_routes(ranked: &Ranked, chain_routes: &[Route], node_rects: &[Rect]) -> Vec<Route> {
    ranked
        .input
        .iter()
        .map(|input| match *input {
            InputEdge::Merged { edge, reversed } => {
                let mut route = chain_routes[edge].clone();
                if reversed {
                    route.points.reverse();
                }
                route
            }
            InputEdge::SelfLoop { node } => self_loop(&node_rects[node]),
        })
        .collect()
}

/// Where each route leaves its upper node and enters its lower one, as an offset from
/// the node's centre: the routes of a node are spread along its side in the order of
/// their other ends, so they do not meet in one point (nor their arrowheads). The
/// offsets stay within the middle of the side, so a route still only touches its own
/// node's slot.
fn ports(ordered: &Ordered, rect_of: &dyn Fn(usize) -> Rect) -> (Vec<f64>, Vec<f64>) {
    let chains = &ordered.chains;
    let mut leaving: Vec<Vec<usize>> = vec![Vec::new(); ordered.vertices.len()];
    let mut entering: Vec<Vec<usize>> = vec![Vec::new(); ordered.vertices.len()];
    for (index, chain) in chains.iter().enumerate() {
        leaving[chain.upper].push(index);
        entering[chain.lower].push(index);
    }
    let centre = |v: usize| {
        let r = rect_of(v);
        r.x + r.width / 2.0
    };
    // Routes that go on to the same vertex (a shared trunk) share a port too.
    let spread = |node: usize,
                  routes: &mut Vec<usize>,
                  neighbour: &dyn Fn(usize) -> usize,
                  out: &mut [f64]| {
        routes.sort_by(|&a, &b| {
            centre(neighbour(a))
                .total_cmp(&centre(neighbour(b)))
                .then(neighbour(a).cmp(&neighbour(b)))
                .then(a.cmp(&b))
        });
        let mut slots: Vec<usize> = Vec::with_capacity(routes.len());
        for (k, &route) in routes.iter().enumerate() {
            let shared = k > 0 && neighbour(routes[k - 1]) == neighbour(route);
            let slot = slots.last().map_or(0, |&s| if shared { s } else { s + 1 });
            slots.push(slot);
        }
        let count = slots.last().map_or(0, |&s| s + 1);
        if count < 2 {
            return;
        }
        let width = rect_of(node).width;
        let step = (width * 0.5 / (count - 1) as f64).min(PORT_SPACING);
        let first = -step * (count - 1) as f64 / 2.0;
        for (&route, &slot) in routes.iter().zip(&slots) {
            out[route] = first + step * slot as f64;
        }
    };
    let mut leave = vec![0.0; chains.len()];
    let mut enter = vec![0.0; chains.len()];
    for node in 0..ordered.vertices.len() {
        spread(
            node,
            &mut leaving[node],
            &|route| chains[route].after_upper(),
            &mut leave,
        );
        spread(
            node,
            &mut entering[node],
            &|route| chains[route].before_lower(),
            &mut enter,
        );
    }
    (leave, enter)
}

/// Points of a route (top-down, so each point is at or below the one before), each
/// vertical run kept as its two ends: a long edge straight through many ranks is one
/// segment, not points per rank.
#[derive(Default)]
struct Polyline(Vec<(f64, f64)>);

impl Polyline {
    fn push(&mut self, point: (f64, f64)) {
        let points = &mut self.0;
        if points.last() == Some(&point) {
            return;
        }
        if let [.., a, b] = points.as_slice()
            && a.0 == b.0
            && b.0 == point.0
        {
            *points.last_mut().expect("two points") = point;
            return;
        }
        points.push(point);
    }
}

/// The distance between two routes at a node's side, at most.
const PORT_SPACING: f64 = 14.0;

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
