//! The layout engine: a compound layered (Sugiyama-style) layout.
//!
//! Input: sized nodes, nested groups, edges with optional label sizes, a direction.
//! Output: node boxes, group boxes, edge routes and label boxes, in user units.
//! Architecture invariant: the layout knows nothing of kinds, SVG or the model; it
//! sees boxes and edges only.
//!
//! Phases (ARCHITECTURE.md gives their complexity):
//! 1. `rank`: break cycles (a depth-first walk or the Eades–Lin–Smyth greedy order,
//!    whichever reverses fewer edges), merge parallel edges, assign ranks by network simplex (`simplex`: the least total edge length, each
//!    group's length along the flow counted like one more edge), deal isolated nodes
//!    over the ranks. Labels cost no ranks: every edge is at least one
//!    rank long, labelled or not.
//! 2. `order`: long edges become chains of virtual nodes, the upper half in the
//!    source's group and the lower half in the target's; ranks are ordered from a
//!    depth-first start by barycenter sweeps under the group tree, so a group's members
//!    stay together, with transposition of neighbours after each sweep; the order with
//!    the fewest crossings wins (up to 8 starts); then a vertex moves across a sibling
//!    group beside it when fewer of its edges would run through group boxes.
//! 3. `place`: every group gets a vertical slab, reserved on the ranks it holds (packed
//!    rank by rank, so groups on different ranks may share a stretch), with its direct
//!    members and virtual nodes in the gaps between its child groups' slabs, each gap's
//!    row on each rank packed on its own. So a group box holds exactly its members and
//!    no other box. Rows are then pulled toward their neighbours (least squares under
//!    order and spacing). `route`: edges run through the channels between ranks and
//!    through their own virtual nodes, never through a node. A long edge's label is its
//!    middle virtual node; `labels`: the label of an edge between adjacent ranks sits in
//!    the channel between them, which grows to hold it.
//! 4. `fold` (`layouts` with more than one band): the placed ranks cut where no group
//!    box spans the cut, the bands set side by side, routes across a cut led around the
//!    band's end. Ranking, ordering and placement are done once for every fold.
//!
//! Everything is computed top-down (`Direction::Down`) and transposed for `Right`.
//! `group_tree` is the one walk of the group tree the phases share; the words scope,
//! gap, body, extent, channel and band are defined in ARCHITECTURE.md and `place`.

mod adjacency;
pub mod flat;
mod fold;
mod group_tree;
mod labels;
mod order;
mod place;
mod rank;
mod readability;
mod route;
mod simplex;

use group_tree::GroupTree;
use serde::Serialize;

pub use readability::{Readability, readability};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Right,
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug)]
pub struct NodeSpec {
    pub size: Size,
    /// The innermost group holding the node.
    pub group: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct GroupSpec {
    pub parent: Option<usize>,
    /// Room for the group's title, kept free at the top-left of its box in either
    /// direction (not transposed for `Right`: titles read horizontally).
    pub label: Size,
}

#[derive(Clone, Debug)]
pub struct EdgeSpec {
    pub from: usize,
    pub to: usize,
    pub label: Option<Size>,
}

#[derive(Clone, Debug)]
pub struct Input {
    pub direction: Direction,
    pub nodes: Vec<NodeSpec>,
    pub groups: Vec<GroupSpec>,
    pub edges: Vec<EdgeSpec>,
}

impl Input {
    /// Whether `node` is inside `group`, directly or through nested groups.
    pub fn in_group(&self, node: usize, group: usize) -> bool {
        std::iter::successors(self.nodes[node].group, |&g| self.groups[g].parent)
            .any(|g| g == group)
    }
}

/// A box: (x, y) is the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - 1e-6
            && other.y >= self.y - 1e-6
            && other.right() <= self.right() + 1e-6
            && other.bottom() <= self.bottom() + 1e-6
    }

    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() - 1e-6
            && other.x < self.right() - 1e-6
            && self.y < other.bottom() - 1e-6
            && other.y < self.bottom() - 1e-6
    }

    /// Whether the segment from `p` to `q` passes through the inside of the box
    /// (touching its border is not enough).
    pub fn meets_segment(&self, p: (f64, f64), q: (f64, f64)) -> bool {
        // Liang–Barsky: clip p + t (q - p), t in [0, 1], to the box.
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let (mut low, mut high) = (0.0f64, 1.0f64);
        let sides = [
            (-dx, p.0 - self.x),
            (dx, self.right() - p.0),
            (-dy, p.1 - self.y),
            (dy, self.bottom() - p.1),
        ];
        for (step, room) in sides {
            if step == 0.0 {
                if room <= 0.0 {
                    return false;
                }
            } else if step < 0.0 {
                low = low.max(room / step);
            } else {
                high = high.min(room / step);
            }
        }
        low < high
    }

    fn transposed(&self) -> Rect {
        Rect {
            x: self.y,
            y: self.x,
            width: self.height,
            height: self.width,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Route {
    /// From the source's border to the target's border; parallel edges share a route.
    pub points: Vec<(f64, f64)>,
    pub label: Option<Rect>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<Rect>,
    pub groups: Vec<Rect>,
    /// One per input edge, in input order.
    pub edges: Vec<Route>,
}

/// Spacing, in user units: between two boxes side by side on a rank.
pub(crate) const NODE_SPACING: f64 = 18.0;
/// Between two long edges running side by side through a rank (ELK's edge-to-edge
/// spacing): a route is a line, not a box, so it needs less room than a node.
pub(crate) const EDGE_SPACING: f64 = 10.0;
/// The least depth of the channel between two ranks (ELK's between-layers spacing).
pub(crate) const RANK_SPACING: f64 = 36.0;
pub(crate) const GROUP_PADDING: f64 = 12.0;
pub(crate) const MARGIN: f64 = 16.0;

/// Route points a drawing may hold: about 1 GB in all (a complete graph of 300
/// services, 44,850 links, needs 4.5 million and took 810 MB). Past it the graph is
/// refused rather than drawn in gigabytes and minutes: the picture would be unreadable.
pub const MAX_ROUTE_POINTS: usize = 5_000_000;

/// A graph too dense to draw: its links would run through more than
/// [`MAX_ROUTE_POINTS`] bends.
#[derive(Clone, Debug, PartialEq)]
pub struct TooDense {
    pub points: usize,
    pub edges: usize,
}

impl std::fmt::Display for TooDense {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} links would be drawn through {} points, more than the {MAX_ROUTE_POINTS} \
             hld draws (about 1 GB): the picture would be too dense to read; draw a part of \
             the design (a file that imports only it), or fewer links between far ranks",
            self.edges, self.points
        )
    }
}

/// Lays out the graph. Deterministic: the same input gives the same output.
pub fn layout(input: &Input) -> Result<Layout, TooDense> {
    Ok(layouts(input, &[1])?.next().expect("one layout asked for"))
}

/// Where an earlier drawing of this graph, laid out the same way, put its nodes: each
/// node's centre then, in this input's node order (`None` for a node new since). The
/// layout stays near it as far as its invariants allow, so a small edit moves little
/// else (watch mode and the playground pass the drawing before each save).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hint {
    pub centres: Vec<Option<(f64, f64)>>,
    /// Per input edge, its earlier route (empty when it is new): where a long edge ran
    /// between the boxes it passes.
    pub routes: Vec<Vec<(f64, f64)>>,
}

impl Hint {
    /// The hint in the top-down frame the phases work in: (across, along) the flow.
    fn earlier(&self, nodes: usize, transposed: bool) -> order::Earlier {
        let frame = |(x, y): (f64, f64)| if transposed { (y, x) } else { (x, y) };
        let centres: Vec<Option<(f64, f64)>> = (0..nodes)
            .map(|n| Some(frame((*self.centres.get(n)?)?)))
            .collect();
        let routes = (self.routes.iter())
            .map(|route| route.iter().copied().map(frame).collect())
            .collect();
        order::Earlier { centres, routes }
    }
}

/// The graph laid out once per entry of `bands`, sharing the ranking and the ordering:
/// 1 is the plain layout; more cuts the ranks into up to that many bands side by side
/// across the flow (`Right`: under each other; `Down`: beside each other), so a deep
/// graph is not a strip. Cuts fall only where no group box spans them. Each layout is
/// made when the iterator reaches it, so a caller choosing among them holds one at a
/// time (a dense graph's routes are most of its memory).
pub fn layouts<'b>(
    input: &Input,
    bands: &'b [usize],
) -> Result<impl Iterator<Item = Layout> + 'b, TooDense> {
    layouts_near(input, bands, None)
}

/// [`layouts`], staying near an earlier drawing when one is given ([`Hint`]): its order
/// of each rank is the first one tried and kept unless another crosses fewer edges, and
/// nodes are pulled to their earlier places rather than toward their neighbours.
pub fn layouts_near<'b>(
    input: &Input,
    bands: &'b [usize],
    hint: Option<&Hint>,
) -> Result<impl Iterator<Item = Layout> + 'b, TooDense> {
    // Work top-down; for `Right`, lay out the transposed sizes and transpose back.
    let transposed = input.direction == Direction::Right;
    let flip = move |s: Size| {
        if transposed {
            Size {
                width: s.height,
                height: s.width,
            }
        } else {
            s
        }
    };
    let nodes: Vec<NodeSpec> = input
        .nodes
        .iter()
        .map(|n| NodeSpec {
            size: flip(n.size),
            group: n.group,
        })
        .collect();
    let edges: Vec<EdgeSpec> = input
        .edges
        .iter()
        .map(|e| EdgeSpec {
            from: e.from,
            to: e.to,
            label: e.label.map(flip),
        })
        .collect();
    let ranked = rank::rank(&nodes, &input.groups, &edges);
    let points = ranked.route_points();
    if points > MAX_ROUTE_POINTS {
        return Err(TooDense {
            points,
            edges: edges.len(),
        });
    }
    let tree = GroupTree::new(&input.groups);
    let earlier = hint.map(|hint| hint.earlier(nodes.len(), transposed));
    let ordered = order::order(&nodes, &tree, &ranked, earlier.as_ref());
    let across: Option<Vec<Option<f64>>> =
        (earlier.as_ref()).map(|e| e.centres.iter().map(|c| c.map(|c| c.0)).collect());
    let placed = place::place(
        &nodes,
        (&tree, &input.groups),
        (&ordered, across.as_deref()),
        transposed,
    );
    Ok(bands.iter().map(move |&bands| {
        let layout = placed.layout(&ranked, bands);
        if transposed {
            transpose(layout)
        } else {
            layout
        }
    }))
}

fn transpose(mut placed: Layout) -> Layout {
    // In place: a dense graph's routes hold millions of points.
    std::mem::swap(&mut placed.width, &mut placed.height);
    for rect in placed.nodes.iter_mut().chain(placed.groups.iter_mut()) {
        *rect = rect.transposed();
    }
    for route in &mut placed.edges {
        for point in &mut route.points {
            *point = (point.1, point.0);
        }
        route.label = route.label.map(|l| l.transposed());
    }
    placed
}
