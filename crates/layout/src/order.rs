//! Phase 2: virtual nodes for long edges, and the order of every rank under the group
//! tree. Each scope (a group, or the whole graph) keeps one order of its child groups
//! on every rank, with its own vertices in the gaps between them: that is what lets
//! `place` give each group a slab of its own.

use super::rank::Ranked;
use super::{GroupSpec, NodeSpec, Size};

#[derive(Clone, Debug)]
pub struct Vertex {
    pub rank: usize,
    pub size: Size,
    /// The scope the vertex is laid out in: its node's group, or for a virtual vertex the
    /// group of the nearer end of its edge.
    pub group: Option<usize>,
    /// A virtual vertex without a label: a point a long edge runs through, not a box
    /// (its size is zero).
    pub bend: bool,
}

/// A ranked edge's vertices from upper to lower: its ends and the virtual vertices
/// between them, which have consecutive indices (shared with other edges' in a trunk).
#[derive(Clone, Debug)]
pub struct Chain {
    pub upper: usize,
    pub virtuals: std::ops::Range<usize>,
    pub lower: usize,
}

impl Chain {
    pub fn vertices(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.upper)
            .chain(self.virtuals.clone())
            .chain(std::iter::once(self.lower))
    }

    /// The vertex after the upper end: where the edge goes when it leaves it.
    pub fn after_upper(&self) -> usize {
        if self.virtuals.is_empty() {
            self.lower
        } else {
            self.virtuals.start
        }
    }

    /// The vertex before the lower end: where the edge comes from into it.
    pub fn before_lower(&self) -> usize {
        if self.virtuals.is_empty() {
            self.upper
        } else {
            self.virtuals.end - 1
        }
    }
}

pub struct Ordered {
    pub vertices: Vec<Vertex>,
    /// Per ranked edge: its vertices.
    pub chains: Vec<Chain>,
    /// Per vertex: its neighbours on the rank above and below, each pair once (a trunk
    /// shared by many edges is one line).
    pub up: Adjacency,
    pub down: Adjacency,
    /// Per ranked edge: the virtual vertex that carries its label (a long edge's).
    pub label_vertex: Vec<Option<usize>>,
    /// Labelled edges between adjacent ranks, with their labels' sizes: their labels go
    /// in the gap between the ranks (`place`), so labels cost no ranks.
    pub gap_labels: Vec<(usize, Size)>,
    /// Per scope (group index; the root is `groups.len()`): child groups in order.
    pub children: Vec<Vec<usize>>,
    /// Per scope, per rank, per gap (one more than the children): vertices in order.
    pub gaps: Vec<Vec<Vec<Vec<usize>>>>,
}

/// Sweeps stop after this many, or after `PATIENCE` sweeps without fewer crossings; the
/// best order seen is kept (a sweep can make things worse). Graphs larger than `LARGE`
/// vertices (virtual ones included) get one start and fewer sweeps: each sweep costs
/// O(V log V), and watch mode waits for it.
const MAX_SWEEPS: usize = 24;
const PATIENCE: usize = 4;
const LARGE: usize = 20_000;
/// Graphs up to this many vertices (most designs) try more starts: it costs little and
/// each start may settle in a different local optimum.
const SMALL: usize = 2_000;
const SMALL_STARTS: usize = 8;
/// Graphs up to this many vertices are finished by sifting: each vertex tried at every
/// place in its gap, with a full crossing count each time (O(V · gap · E log V)).
const SIFT: usize = 400;
const LARGE_MAX_SWEEPS: usize = 8;
/// Past `LARGE`, ordering effort is a budget of vertex-sweeps (as Graphviz's `mclimit`
/// scales dot's): a graph gets `SWEEP_BUDGET / V` sweeps, at least `LARGE_MIN_SWEEPS`.
/// A sweep's cost grows faster than V (its memory outgrows the caches), and beyond a
/// few hundred thousand vertices further sweeps remove few crossings (on the generated
/// 10,000-component design, 434,000 vertices, the second sweep removes 4% of the first's
/// crossings and a third 1.2%, for a third of the ordering's time): the time is better
/// spent elsewhere, so rendering stays near linear in the design's size.
const SWEEP_BUDGET: usize = 1_000_000;
const LARGE_MIN_SWEEPS: usize = 2;
/// Long edges are bundled into trunks only when they would need more virtual vertices
/// than this: the graphs that ordering treats as large.
const BUNDLE_ABOVE: usize = LARGE;
const LARGE_PATIENCE: usize = 2;

pub fn order(nodes: &[NodeSpec], groups: &[GroupSpec], ranked: &Ranked) -> Ordered {
    let root = groups.len();
    let scope = |group: Option<usize>| group.unwrap_or(root);
    let mut vertices: Vec<Vertex> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Vertex {
            rank: ranked.rank[i],
            size: n.size,
            group: n.group,
            bend: false,
        })
        .collect();
    let mut virtuals = Virtuals {
        vertices: &mut vertices,
        down: Vec::new(),
    };
    let bundles = bundles(nodes, ranked);
    let mut trunks: Vec<Option<std::ops::Range<usize>>> = vec![None; bundles.extents.len()];
    let mut chains = Vec::with_capacity(ranked.edges.len());
    let mut label_vertex = vec![None; ranked.edges.len()];
    let mut gap_labels = Vec::new();
    for (index, edge) in ranked.edges.iter().enumerate() {
        let (top, bottom) = (ranked.rank[edge.upper], ranked.rank[edge.lower]);
        let chain = match bundles.of_edge[index] {
            Some(bundle) => {
                let trunk = trunks[bundle].get_or_insert_with(|| {
                    let extent = &bundles.extents[bundle];
                    virtuals.trunk(extent, nodes[extent.end].group)
                });
                let first_rank = bundles.extents[bundle].ranks.start;
                let start = trunk.start + (top + 1).max(first_rank) - first_rank;
                let end = trunk.start + bottom - first_rank;
                let chain = Chain {
                    upper: edge.upper,
                    virtuals: start..end,
                    lower: edge.lower,
                };
                // Where the edge joins or leaves the shared trunk.
                match bundles.extents[bundle].side {
                    Side::Upper => virtuals.down.push((chain.before_lower(), edge.lower)),
                    Side::Lower => virtuals.down.push((edge.upper, chain.after_upper())),
                }
                chain
            }
            None => virtuals.own_chain(nodes, ranked, index, &mut label_vertex[index]),
        };
        if let Some(label) = edge.label.filter(|_| label_vertex[index].is_none()) {
            gap_labels.push((index, label));
        }
        chains.push(chain);
    }
    // Neighbours on the rank above and below. Each pair was recorded once: parallel
    // edges were merged when ranked, and a trunk's own pairs when it was made.
    let pairs = std::mem::take(&mut virtuals.down);
    let down = Adjacency::new(vertices.len(), pairs.iter().copied());
    let up = Adjacency::new(vertices.len(), pairs.iter().map(|&(a, b)| (b, a)));
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    for (g, group) in groups.iter().enumerate() {
        children[scope(group.parent)].push(g);
    }
    let ranks = ranked.ranks.max(1);
    let mut gaps: Vec<Vec<Vec<Vec<usize>>>> = children
        .iter()
        .map(|c| vec![vec![Vec::new(); c.len() + 1]; ranks])
        .collect();
    // Per scope and rank: whether it or a group inside it has a vertex there. A vertex
    // never changes scope, so this holds for every order; sweeps skip the rest.
    let mut present = vec![vec![false; ranks]; children.len()];
    for (v, vertex) in vertices.iter().enumerate() {
        gaps[scope(vertex.group)][vertex.rank][0].push(v);
        let mut at = Some(scope(vertex.group));
        while let Some(s) = at.filter(|&s| !present[s][vertex.rank]) {
            present[s][vertex.rank] = true;
            at = (s != groups.len()).then(|| scope(groups[s].parent));
        }
    }
    let mut state = State {
        groups,
        children,
        present,
        gaps,
        position: vec![0.0; vertices.len()],
        key: vec![0.0; vertices.len()],
    };
    state.update_positions(ranks);
    let fresh = state.snapshot();
    // Several starts (depth-first from the nodes in input order, reversed, shuffled):
    // sweeps settle in a local optimum that depends on the start; the fewest crossings win.
    let mut best: Option<(usize, Snapshot)> = None;
    let large = vertices.len() > LARGE;
    let starts = if large {
        1
    } else if vertices.len() <= SMALL {
        SMALL_STARTS
    } else {
        2
    };
    for start in 0..starts {
        state.restore(fresh.clone());
        state.update_positions(ranks);
        state.initial_order(ranks, &vertices, &down, start);
        let found = state.sweeps(ranks, &vertices, &up, &down, large);
        if best.as_ref().is_none_or(|b| found.0 < b.0) {
            best = Some(found);
        }
        if best.as_ref().is_some_and(|b| b.0 == 0) {
            break;
        }
    }
    let (crossings, order) = best.expect("one start at least");
    state.restore(order);
    state.keep_edges_off_groups(ranks, &vertices, (&up, &down));
    state.update_positions(ranks);
    if vertices.len() <= SIFT && crossings > 0 {
        state.sift(ranks, &down, crossings);
    }
    Ordered {
        vertices,
        chains,
        up,
        down,
        label_vertex,
        gap_labels,
        children: state.children,
        gaps: state.gaps,
    }
}

/// Each vertex's neighbours on one side, in one array (vertex `v`'s are
/// `targets[offsets[v]..offsets[v + 1]]`): the sweeps read every vertex's neighbours many
/// times, and a list per vertex costs a cache miss each.
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    /// From (vertex, neighbour) pairs; each vertex keeps its neighbours in pair order.
    fn new(vertices: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Adjacency {
        let mut offsets = vec![0usize; vertices + 1];
        for (v, _) in pairs.clone() {
            offsets[v + 1] += 1;
        }
        for v in 0..vertices {
            offsets[v + 1] += offsets[v];
        }
        let mut next = offsets.clone();
        let mut targets = vec![0usize; offsets[vertices]];
        for (v, w) in pairs {
            targets[next[v]] = w;
            next[v] += 1;
        }
        Adjacency { offsets, targets }
    }
}

impl std::ops::Index<usize> for Adjacency {
    type Output = [usize];

    fn index(&self, v: usize) -> &[usize] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }
}

/// Which end of its edges a trunk is shared at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Edges from one node down to several: the trunk leaves the node.
    Upper,
    /// Edges from several nodes into one: the trunk enters the node.
    Lower,
}

/// The vertical extent of a trunk.
struct Extent {
    side: Side,
    /// The node the trunk is shared at.
    end: usize,
    /// The ranks of its virtual vertices.
    ranks: std::ops::Range<usize>,
}

struct Bundles {
    /// Per ranked edge: the trunk it runs in, if any.
    of_edge: Vec<Option<usize>>,
    extents: Vec<Extent>,
}

/// Long edges that leave one node for two or more others (or enter one from two or
/// more) share their virtual vertices: one trunk per such node, as far as the farthest
/// of them reaches, and each edge leaves (or joins) it on the rank next to its other
/// end, as Graphviz's `concentrate` draws them. A fan-out of k long edges then costs
/// the longest span in virtual vertices, not the sum of the spans (a chain of N nodes
/// with an edge from the first to each: N instead of N²/2). Only unlabelled edges
/// within one group are bundled: a label needs a vertex of its own, and an edge between
/// groups runs half in each. Only graphs whose long edges would need more than
/// [`BUNDLE_ABOVE`] virtual vertices are bundled: below that each edge is cheap and
/// clearer drawn on its own (and ordering finds fewer crossings).
fn bundles(nodes: &[NodeSpec], ranked: &Ranked) -> Bundles {
    let rank = |v: usize| ranked.rank[v];
    let mut bundles = Bundles {
        of_edge: vec![None; ranked.edges.len()],
        extents: Vec::new(),
    };
    let unbundled: usize = ranked
        .edges
        .iter()
        .map(|e| rank(e.lower).saturating_sub(rank(e.upper) + 1))
        .sum();
    if unbundled <= BUNDLE_ABOVE {
        return bundles;
    }
    let eligible: Vec<bool> = ranked
        .edges
        .iter()
        .map(|e| {
            e.label.is_none()
                && rank(e.lower) >= rank(e.upper) + 2
                && nodes[e.upper].group == nodes[e.lower].group
        })
        .collect();
    let mut leaving = vec![0usize; nodes.len()];
    let mut entering = vec![0usize; nodes.len()];
    for (e, _) in ranked.edges.iter().zip(&eligible).filter(|(_, ok)| **ok) {
        leaving[e.upper] += 1;
        entering[e.lower] += 1;
    }
    let mut index_of: std::collections::HashMap<(usize, bool), usize> = Default::default();
    for (i, edge) in ranked.edges.iter().enumerate() {
        if !eligible[i] {
            continue;
        }
        let (side, end) = if leaving[edge.upper] >= 2 {
            (Side::Upper, edge.upper)
        } else if entering[edge.lower] >= 2 {
            (Side::Lower, edge.lower)
        } else {
            continue;
        };
        let (top, bottom) = (rank(edge.upper) + 1, rank(edge.lower));
        let b = *index_of
            .entry((end, side == Side::Upper))
            .or_insert_with(|| {
                bundles.extents.push(Extent {
                    side,
                    end,
                    ranks: top..bottom,
                });
                bundles.extents.len() - 1
            });
        let ranks = &mut bundles.extents[b].ranks;
        *ranks = ranks.start.min(top)..ranks.end.max(bottom);
        bundles.of_edge[i] = Some(b);
    }
    bundles
}

/// Makes the virtual vertices, and records the pairs of vertices on adjacent ranks.
struct Virtuals<'v> {
    vertices: &'v mut Vec<Vertex>,
    /// (upper, lower) pairs of neighbours, in the order the chains were made.
    down: Vec<(usize, usize)>,
}

impl Virtuals<'_> {
    /// A virtual vertex: a label's box, or a bend (`None`).
    fn push(&mut self, rank: usize, label: Option<Size>, group: Option<usize>) -> usize {
        let bend = Size {
            width: 0.0,
            height: 0.0,
        };
        self.vertices.push(Vertex {
            rank,
            size: label.unwrap_or(bend),
            group,
            bend: label.is_none(),
        });
        self.vertices.len() - 1
    }

    /// A trunk's vertices, one per rank of its extent, linked to each other and to the
    /// node it is shared at.
    fn trunk(&mut self, extent: &Extent, group: Option<usize>) -> std::ops::Range<usize> {
        let start = self.vertices.len();
        for r in extent.ranks.clone() {
            self.push(r, None, group);
        }
        let range = start..self.vertices.len();
        for v in range.start + 1..range.end {
            self.down.push((v - 1, v));
        }
        match extent.side {
            Side::Upper => self.down.push((extent.end, range.start)),
            Side::Lower => self.down.push((range.end - 1, extent.end)),
        }
        range
    }

    /// The chain of an edge of its own: a virtual vertex per rank between its ends.
    fn own_chain(
        &mut self,
        nodes: &[NodeSpec],
        ranked: &Ranked,
        index: usize,
        label_vertex: &mut Option<usize>,
    ) -> Chain {
        let edge = &ranked.edges[index];
        let (top, bottom) = (ranked.rank[edge.upper], ranked.rank[edge.lower]);
        let middle = (top + bottom) / 2;
        let start = self.vertices.len();
        for r in top + 1..bottom {
            let labelled = edge.label.is_some() && r == middle;
            let label = edge.label.filter(|_| labelled);
            if label.is_some() {
                *label_vertex = Some(self.vertices.len());
            }
            // A long edge runs in its source's group down to its middle (its label
            // included) and in its target's group after: it enters groups through their
            // slabs instead of going round them.
            let owner = if r < middle || labelled {
                nodes[edge.upper].group
            } else {
                nodes[edge.lower].group
            };
            self.push(r, label, owner);
        }
        let chain = Chain {
            upper: edge.upper,
            virtuals: start..self.vertices.len(),
            lower: edge.lower,
        };
        let mut previous = chain.upper;
        for v in chain.vertices().skip(1) {
            self.down.push((previous, v));
            previous = v;
        }
        chain
    }
}

struct State<'g> {
    groups: &'g [GroupSpec],
    children: Vec<Vec<usize>>,
    /// Per scope and rank: it has vertices there (its own or its groups').
    present: Vec<Vec<bool>>,
    gaps: Vec<Vec<Vec<Vec<usize>>>>,
    /// Per vertex: its place in its rank, normalized to [0, 1].
    position: Vec<f64>,
    /// Scratch: the sort key of the rank being ordered.
    key: Vec<f64>,
}

/// The order the depth-first walk takes its roots in, for start number `start`: input
/// order, reversed, then shuffles by a fixed-seed generator (deterministic output).
fn start_order(n: usize, start: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    match start {
        0 => {}
        1 => order.reverse(),
        _ => {
            let mut state = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(start as u64 + 1);
            for i in (1..n).rev() {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
        }
    }
    order
}

/// The order of every scope: its child groups and its gaps.
type Snapshot = (Vec<Vec<usize>>, Vec<Vec<Vec<Vec<usize>>>>);

impl State<'_> {
    fn root(&self) -> usize {
        self.groups.len()
    }

    fn snapshot(&self) -> Snapshot {
        (self.children.clone(), self.gaps.clone())
    }

    fn restore(&mut self, (children, gaps): Snapshot) {
        self.children = children;
        self.gaps = gaps;
    }

    /// A first order from a depth-first walk down the edges, from the nodes in input
    /// order: connected vertices start close together (the sweeps refine it).
    fn initial_order(&mut self, ranks: usize, vertices: &[Vertex], down: &Adjacency, start: usize) {
        let mut seen = vec![false; vertices.len()];
        let mut next_in_rank = vec![0usize; ranks];
        let mut key = std::mem::take(&mut self.key);
        let mut stack = Vec::new();
        let starts = start_order(vertices.len(), start);
        for start in starts {
            if seen[start] {
                continue;
            }
            stack.push(start);
            while let Some(v) = stack.pop() {
                if std::mem::replace(&mut seen[v], true) {
                    continue;
                }
                let rank = vertices[v].rank;
                key[v] = next_in_rank[rank] as f64;
                next_in_rank[rank] += 1;
                stack.extend(down[v].iter().rev().filter(|&&d| !seen[d]));
            }
        }
        for r in 0..ranks {
            self.reorder_scope(self.root(), r, &key);
        }
        self.key = key;
        self.reorder_children(vertices);
        self.update_positions(ranks);
    }

    /// Barycenter sweeps down and up, each followed by transposition, until they stop
    /// paying; returns the best order seen and its crossings.
    fn sweeps(
        &mut self,
        ranks: usize,
        vertices: &[Vertex],
        up: &Adjacency,
        down: &Adjacency,
        large: bool,
    ) -> (usize, Snapshot) {
        let (max_sweeps, patience) = if large {
            let budget = SWEEP_BUDGET / vertices.len().max(1);
            (
                budget.clamp(LARGE_MIN_SWEEPS, LARGE_MAX_SWEEPS),
                LARGE_PATIENCE,
            )
        } else {
            (MAX_SWEEPS, PATIENCE)
        };
        let mut best = (self.crossings(ranks, down), self.snapshot());
        let mut stale = 0;
        for _ in 0..max_sweeps {
            if best.0 == 0 {
                break;
            }
            for r in 1..ranks {
                self.reorder_rank(r, up);
            }
            for r in (0..ranks.saturating_sub(1)).rev() {
                self.reorder_rank(r, down);
            }
            self.reorder_children(vertices);
            self.update_positions(ranks);
            self.transpose(ranks, up, down);
            let crossings = self.crossings(ranks, down);
            if crossings < best.0 {
                best = (crossings, self.snapshot());
                stale = 0;
            } else {
                stale += 1;
                if stale >= patience {
                    break;
                }
            }
        }
        best
    }

    /// Sifting: moves each vertex to the place in its gap with the fewest crossings,
    /// while a pass still removes some. Catches what swaps of neighbours cannot (a vertex
    /// that must jump over several others).
    fn sift(&mut self, ranks: usize, down: &Adjacency, mut crossings: usize) {
        for _ in 0..3 {
            let before = crossings;
            for scope in 0..self.gaps.len() {
                for r in 0..ranks {
                    for g in 0..self.gaps[scope][r].len() {
                        for v in self.gaps[scope][r][g].clone() {
                            crossings = self.sift_vertex(ranks, down, (scope, r, g), v, crossings);
                        }
                    }
                }
            }
            if crossings == 0 || crossings >= before {
                return;
            }
        }
    }

    /// Puts `v` where its gap has the fewest crossings (ties keep it where it was).
    fn sift_vertex(
        &mut self,
        ranks: usize,
        down: &Adjacency,
        (scope, r, g): (usize, usize, usize),
        v: usize,
        crossings: usize,
    ) -> usize {
        let gap = &mut self.gaps[scope][r][g];
        let Some(from) = gap.iter().position(|&x| x == v) else {
            return crossings;
        };
        gap.remove(from);
        let len = self.gaps[scope][r][g].len();
        let mut best = (crossings, from);
        for place in (0..=len).filter(|&p| p != from) {
            self.gaps[scope][r][g].insert(place, v);
            self.update_positions(ranks);
            let count = self.crossings(ranks, down);
            if count < best.0 {
                best = (count, place);
            }
            self.gaps[scope][r][g].remove(place);
        }
        self.gaps[scope][r][g].insert(best.1, v);
        self.update_positions(ranks);
        best.0
    }

    /// Edge crossings between every two adjacent ranks: per pair, the inversions of the
    /// lower ends when edges are sorted by their upper ends (O(E log V) with a Fenwick
    /// tree).
    fn crossings(&self, ranks: usize, down: &Adjacency) -> usize {
        let mut total = 0;
        let mut upper = Vec::new();
        let mut lower = Vec::new();
        let mut tree = Vec::new();
        let mut ends = Vec::new();
        if ranks > 0 {
            self.flatten(self.root(), 0, &mut lower);
        }
        for r in 0..ranks.saturating_sub(1) {
            std::mem::swap(&mut upper, &mut lower);
            lower.clear();
            self.flatten(self.root(), r + 1, &mut lower);
            let width = lower.len();
            let slot = |v: usize| (self.position[v] * width as f64).floor() as usize;
            tree.clear();
            tree.resize(width + 1, 0usize);
            let mut seen = 0;
            for &u in &upper {
                ends.clear();
                ends.extend(down[u].iter().map(|&d| slot(d)));
                ends.sort_unstable();
                for &end in &ends {
                    // Edges seen so far ending right of `end` cross this one.
                    let mut at_or_left = 0;
                    let mut i = end + 1;
                    while i > 0 {
                        at_or_left += tree[i];
                        i &= i - 1;
                    }
                    total += seen - at_or_left;
                }
                for &end in &ends {
                    let mut i = end + 1;
                    while i <= width {
                        tree[i] += 1;
                        i += i & i.wrapping_neg();
                    }
                    seen += 1;
                }
            }
        }
        total
    }

    /// The vertices of one rank, left to right.
    fn flatten(&self, scope: usize, rank: usize, out: &mut Vec<usize>) {
        let gaps = &self.gaps[scope][rank];
        for (i, gap) in gaps.iter().enumerate() {
            out.extend_from_slice(gap);
            if let Some(&child) = self.children[scope].get(i)
                && self.present[child][rank]
            {
                self.flatten(child, rank, out);
            }
        }
    }

    /// Moves a vertex to the other side of a child group beside it when fewer of its
    /// edges then run through child groups of its scope: an edge between two vertices on
    /// either side of a group that spans both their ranks crosses the group's box (the
    /// sweeps see crossings of edges, not of boxes). Two passes, each O(E′ · groups
    /// between an edge's ends).
    fn keep_edges_off_groups(
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
        let seen_from = |scope: usize, w: usize, place: &[usize]| -> Option<usize> {
            let mut g = vertices[w].group;
            if g.unwrap_or(root) == scope {
                return Some(place[w]);
            }
            while let Some(current) = g {
                let parent = self.groups[current].parent;
                if parent.unwrap_or(root) == scope {
                    return Some(2 * index[current] + 1);
                }
                g = parent;
            }
            None
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

    /// Each group's ranks, first to last (its box reaches all of them), if it has any.
    fn group_spans(&self) -> Vec<Option<(usize, usize)>> {
        self.present[..self.root()]
            .iter()
            .map(|held| {
                Some((
                    held.iter().position(|&h| h)?,
                    held.iter().rposition(|&h| h)?,
                ))
            })
            .collect()
    }

    /// Per vertex: where it lies in its scope, in halves: 2i in gap i (between child
    /// i − 1 and child i), 2k + 1 for what lies in child k.
    fn places(&self, vertices: usize) -> Vec<usize> {
        let mut place = vec![0usize; vertices];
        for rank in self.gaps.iter().flatten() {
            for (gap, row) in rank.iter().enumerate() {
                row.iter().for_each(|&v| place[v] = 2 * gap);
            }
        }
        place
    }

    fn update_positions(&mut self, ranks: usize) {
        let mut row = Vec::new();
        for r in 0..ranks {
            row.clear();
            self.flatten(self.root(), r, &mut row);
            let count = row.len().max(1) as f64;
            for (i, &v) in row.iter().enumerate() {
                self.position[v] = (i as f64 + 0.5) / count;
            }
        }
    }

    /// Orders rank `r` by the barycenter of each vertex's neighbours in `adjacent`.
    fn reorder_rank(&mut self, r: usize, adjacent: &Adjacency) {
        let mut row = Vec::new();
        self.flatten(self.root(), r, &mut row);
        let barycenter = |v: usize, position: &[f64]| {
            let neighbours = &adjacent[v];
            if neighbours.is_empty() {
                position[v]
            } else {
                neighbours.iter().map(|&n| position[n]).sum::<f64>() / neighbours.len() as f64
            }
        };
        // Only this rank's entries of the scratch key are read.
        let mut key = std::mem::take(&mut self.key);
        for &v in &row {
            key[v] = barycenter(v, &self.position);
        }
        self.reorder_scope(self.root(), r, &key);
        self.key = key;
        let mut new_row = Vec::new();
        self.flatten(self.root(), r, &mut new_row);
        let count = new_row.len().max(1) as f64;
        for (i, v) in new_row.into_iter().enumerate() {
            self.position[v] = (i as f64 + 0.5) / count;
        }
    }

    /// Sorts a scope's vertices on rank `r` by `key` and puts each in the gap between
    /// the child groups whose centers surround it; then the children, recursively.
    /// Returns the scope's center on this rank, if it has vertices there.
    fn reorder_scope(&mut self, scope: usize, r: usize, key: &[f64]) -> Option<f64> {
        let children = self.children[scope].clone();
        // A child with no vertex on this rank has nothing to order and no center.
        let centers: Vec<Option<f64>> = children
            .iter()
            .map(|&c| {
                if self.present[c][r] {
                    self.reorder_scope(c, r, key)
                } else {
                    None
                }
            })
            .collect();
        let mut own: Vec<usize> = self.gaps[scope][r].iter().flatten().copied().collect();
        own.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
        let mut gaps = vec![Vec::new(); children.len() + 1];
        // The gap after every child whose center lies left of the vertex; children absent
        // from this rank keep the gap of their neighbours. The vertices come in key
        // order, so the gap only moves right.
        let mut gap = 0;
        for &v in &own {
            while centers
                .get(gap)
                .is_some_and(|c| c.is_none_or(|c| c < key[v]))
            {
                gap += 1;
            }
            gaps[gap].push(v);
        }
        self.gaps[scope][r] = gaps;
        let mut values: Vec<f64> = own.iter().map(|&v| key[v]).collect();
        values.extend(centers.into_iter().flatten());
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// Transposition: swaps neighbours in the same gap while that removes crossings
    /// with the ranks above and below (barycenters alone leave some local crossings).
    fn transpose(&mut self, ranks: usize, up: &Adjacency, down: &Adjacency) {
        // Crossings between the edges of `a` and of `b`: with `a` left of `b`, and with
        // `b` left of `a` (one pass over the pairs of their neighbours counts both).
        let crossings = |a: usize, b: usize, position: &[f64]| -> (usize, usize) {
            let mut counts = (0, 0);
            for adjacent in [up, down] {
                for &x in &adjacent[a] {
                    for &y in &adjacent[b] {
                        if position[y] < position[x] {
                            counts.0 += 1;
                        } else if position[x] < position[y] {
                            counts.1 += 1;
                        }
                    }
                }
            }
            counts
        };
        // A pair's crossings depend only on its own rank and the two beside it, so after
        // the first pass only ranks next to a swap of the pass before are looked at again
        // (the same swaps, found sooner).
        let mut swapped = vec![true; ranks];
        for _ in 0..4 {
            let mut improved = false;
            let dirty: Vec<bool> = (0..ranks)
                .map(|r| swapped[r.saturating_sub(1)..(r + 2).min(ranks)].contains(&true))
                .collect();
            swapped.fill(false);
            for scope in 0..self.gaps.len() {
                for r in (0..ranks).filter(|&r| dirty[r]) {
                    for g in 0..self.gaps[scope][r].len() {
                        for i in 1..self.gaps[scope][r][g].len() {
                            let (a, b) = (self.gaps[scope][r][g][i - 1], self.gaps[scope][r][g][i]);
                            let (kept, swapped_over) = crossings(a, b, &self.position);
                            if kept > swapped_over {
                                self.gaps[scope][r][g].swap(i - 1, i);
                                let (pa, pb) = (self.position[a], self.position[b]);
                                self.position[a] = pb;
                                self.position[b] = pa;
                                improved = true;
                                swapped[r] = true;
                            }
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Orders each scope's child groups by the mean position of everything in them.
    fn reorder_children(&mut self, vertices: &[Vertex]) {
        let mut sum = vec![0.0; self.groups.len()];
        let mut count = vec![0usize; self.groups.len()];
        for (v, vertex) in vertices.iter().enumerate() {
            let mut g = vertex.group;
            while let Some(current) = g {
                sum[current] += self.position[v];
                count[current] += 1;
                g = self.groups[current].parent;
            }
        }
        let mean = |g: usize| {
            if count[g] == 0 {
                f64::MAX
            } else {
                sum[g] / count[g] as f64
            }
        };
        for scope in 0..self.children.len() {
            let mut children = self.children[scope].clone();
            children.sort_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(a.cmp(&b)));
            if children != self.children[scope] {
                // Vertices keep their gaps by position; regroup them around the new order.
                let ranks = self.gaps[scope].len();
                for r in 0..ranks {
                    let mut own: Vec<usize> =
                        self.gaps[scope][r].iter().flatten().copied().collect();
                    own.sort_by(|&a, &b| {
                        self.position[a]
                            .total_cmp(&self.position[b])
                            .then(a.cmp(&b))
                    });
                    let mut gaps = vec![Vec::new(); children.len() + 1];
                    let mut gap = 0;
                    for v in own {
                        while children
                            .get(gap)
                            .is_some_and(|&c| mean(c) < self.position[v])
                        {
                            gap += 1;
                        }
                        gaps[gap].push(v);
                    }
                    self.gaps[scope][r] = gaps;
                }
                self.children[scope] = children;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let groups = [GroupSpec {
            parent: None,
            label: Size {
                width: 40.0,
                height: 14.0,
            },
        }];
        let mut state = State {
            groups: &groups,
            children: vec![vec![], vec![0]],
            present: vec![vec![true, true], vec![true, true]],
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
