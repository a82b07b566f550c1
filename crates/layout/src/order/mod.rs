//! Phase 2: virtual nodes for long edges, and the order of every rank under the group
//! tree. Each scope (a group, or the whole graph) keeps one order of its child groups
//! on every rank, with its own vertices in the gaps between them: that is what lets
//! `place` give each group a slab of its own.
//!
//! The driver here; `chains` makes the virtual vertices, `sweep` the first order and
//! the barycenter sweeps with transposition, `crossings` the count and sifting by it,
//! `sides` moves vertices across a sibling group whose box their edges would cross.

mod chains;
mod crossings;
mod earlier;

pub use earlier::Earlier;
mod sides;
mod sweep;

use super::adjacency::Adjacency;
use super::group_tree::GroupTree;
use super::rank::Ranked;
use super::{NodeSpec, Size};
use chains::Chains;

/// One scope's vertices on one rank, gap by gap: gap i lies before child group i, the
/// last after every child (one more gap than children).
pub type RankGaps = Vec<Vec<usize>>;

/// Per scope, per rank: its gaps.
pub type Gaps = Vec<Vec<RankGaps>>;

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
    /// in the channel between the ranks (`labels`), so labels cost no ranks.
    pub channel_labels: Vec<(usize, Size)>,
    /// Per scope (`GroupTree`'s indices): child groups in order.
    pub children: Vec<Vec<usize>>,
    pub gaps: Gaps,
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
const LARGE_PATIENCE: usize = 2;

/// The order of every rank; near an `earlier` drawing, its order (what is new put beside
/// its neighbours, then transposition's local swaps) rather than the fewest crossings
/// the starts find.
pub fn order(
    nodes: &[NodeSpec],
    tree: &GroupTree,
    ranked: &Ranked,
    earlier: Option<&Earlier>,
) -> Ordered {
    let Chains {
        vertices,
        chains,
        label_vertex,
        channel_labels,
        up,
        down,
    } = chains::chains(nodes, ranked);
    let ranks = ranked.ranks.max(1);
    let children: Vec<Vec<usize>> = (0..tree.scopes())
        .map(|s| tree.children(s).to_vec())
        .collect();
    let mut gaps: Gaps = children
        .iter()
        .map(|c| vec![vec![Vec::new(); c.len() + 1]; ranks])
        .collect();
    // Per scope and rank: whether it or a group inside it has a vertex there. A vertex
    // never changes scope, so this holds for every order; sweeps skip the rest.
    let mut present = vec![vec![false; ranks]; tree.scopes()];
    for (v, vertex) in vertices.iter().enumerate() {
        gaps[tree.scope_of(vertex.group)][vertex.rank][0].push(v);
        for s in tree.enclosing_scopes(vertex.group) {
            if std::mem::replace(&mut present[s][vertex.rank], true) {
                break;
            }
        }
    }
    // Per scope, the ranks where it has vertices of its own (transposition swaps only
    // those): walking every scope's gaps on every rank grew as scopes × ranks.
    let own_ranks = (gaps.iter())
        .map(|ranks| {
            let held = ranks.iter().enumerate();
            held.filter(|(_, gaps)| gaps.iter().any(|gap| !gap.is_empty()))
                .map(|(rank, _)| rank)
                .collect()
        })
        .collect();
    let mut by_rank = vec![Vec::new(); ranks];
    for (v, vertex) in vertices.iter().enumerate() {
        by_rank[vertex.rank].push(v);
    }
    let present_ranks = (present.iter())
        .map(|row| (0..ranks as u32).filter(|&r| row[r as usize]).collect())
        .collect();
    let held = vec![Vec::new(); children.len()];
    let mut state = State {
        tree,
        children,
        present,
        own_ranks,
        present_ranks,
        held,
        by_rank,
        gaps,
        position: vec![0.0; vertices.len()],
        key: vec![0.0; vertices.len()],
    };
    (0..state.children.len()).for_each(|scope| state.hold(scope));
    state.update_positions(ranks);
    let fresh = state.snapshot();
    // The earlier drawing's order, with what is new put beside its neighbours and only
    // transposition's local swaps: the order a small edit should keep.
    let earlier = earlier.map(|earlier| {
        state.earlier_order(ranks, (&vertices, &chains, ranked), earlier);
        state.transpose(ranks, &up, &down);
        (state.crossings(ranks, &down), state.snapshot())
    });
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
        state.restore(&fresh);
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
    let (crossings, order) = earlier.or(best).expect("one start at least");
    state.restore(&order);
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
        channel_labels,
        children: state.children,
        gaps: state.gaps,
    }
}

/// The order being sought: the sweeps, transposition, sifting and the group sides each
/// change it in place.
struct State<'g> {
    tree: &'g GroupTree,
    /// Per scope: its child groups in order.
    children: Vec<Vec<usize>>,
    /// Per scope and rank: it has vertices there (its own or its groups').
    present: Vec<Vec<bool>>,
    /// Per scope: the ranks where it has vertices of its own, in order.
    own_ranks: Vec<Vec<usize>>,
    /// Per scope: the ranks where it is present, in order (`present`, sparse).
    present_ranks: Vec<Vec<u32>>,
    /// Per scope with children, per rank: the places in `children[scope]` of the
    /// children present on that rank, in order; kept with `children` (see `hold`). The
    /// walks of a rank visit these, not every child: the root of a design of 333
    /// regions on 343 ranks has at most a few present on each.
    held: Vec<Vec<Vec<u32>>>,
    /// Per rank: its vertices, in no particular order.
    by_rank: Vec<Vec<usize>>,
    gaps: Gaps,
    /// Per vertex: its place in its rank, normalized to [0, 1].
    position: Vec<f64>,
    /// Scratch: the sort key of the rank being ordered.
    key: Vec<f64>,
}

/// The order of every scope, compactly: its child groups, and each vertex's scope,
/// rank, gap and place in the gap. (The gaps are a small list per scope, rank and gap;
/// copying and freeing them whole for every better order seen was a third of the
/// ordering's time at 10,000 components.)
#[derive(Clone)]
struct Snapshot {
    children: Vec<Vec<usize>>,
    at: Vec<[u32; 4]>,
}

impl State<'_> {
    fn root(&self) -> usize {
        self.tree.root()
    }

    fn snapshot(&self) -> Snapshot {
        let mut at = vec![[0; 4]; self.position.len()];
        // A scope's vertices lie on its own ranks only (walking every scope's gaps on
        // every rank grew as scopes × ranks × children).
        for (scope, ranks) in self.own_ranks.iter().enumerate() {
            for &rank in ranks {
                for (gap, list) in self.gaps[scope][rank].iter().enumerate() {
                    for (index, &v) in list.iter().enumerate() {
                        at[v] = [scope, rank, gap, index].map(|n| n as u32);
                    }
                }
            }
        }
        Snapshot {
            children: self.children.clone(),
            at,
        }
    }

    fn restore(&mut self, snapshot: &Snapshot) {
        for (scope, children) in snapshot.children.iter().enumerate() {
            if *children != self.children[scope] {
                self.children[scope].clone_from(children);
                self.hold(scope);
            }
        }
        for (scope, ranks) in self.own_ranks.iter().enumerate() {
            for &rank in ranks {
                self.gaps[scope][rank].iter_mut().for_each(Vec::clear);
            }
        }
        // Each gap's places are 0..len, one vertex each: filled in any order.
        for (v, place) in snapshot.at.iter().enumerate() {
            let [scope, rank, gap, index] = place.map(|n| n as usize);
            let list = &mut self.gaps[scope][rank][gap];
            if list.len() <= index {
                list.resize(index + 1, usize::MAX);
            }
            list[index] = v;
        }
    }

    /// The vertices of one rank, left to right.
    fn flatten(&self, scope: usize, rank: usize, out: &mut Vec<usize>) {
        let present = self.held_on(scope, rank);
        if !self.owns(scope, rank) {
            for &i in present {
                self.flatten(self.children[scope][i as usize], rank, out);
            }
            return;
        }
        // Gap i, then child i when it is present on this rank, and so on.
        let gaps = &self.gaps[scope][rank];
        let mut next = 0;
        for &i in present {
            let i = i as usize;
            gaps[next..=i]
                .iter()
                .for_each(|gap| out.extend_from_slice(gap));
            self.flatten(self.children[scope][i], rank, out);
            next = i + 1;
        }
        gaps[next..]
            .iter()
            .for_each(|gap| out.extend_from_slice(gap));
    }

    /// The places of `scope`'s children present on `rank` (see `held`).
    fn held_on(&self, scope: usize, rank: usize) -> &[u32] {
        self.held[scope].get(rank).map_or(&[], Vec::as_slice)
    }

    /// Whether `scope` has vertices of its own on `rank`.
    fn owns(&self, scope: usize, rank: usize) -> bool {
        self.own_ranks[scope].binary_search(&rank).is_ok()
    }

    /// Lists again where `scope`'s children are present, after their order changed.
    fn hold(&mut self, scope: usize) {
        let mut held = std::mem::take(&mut self.held[scope]);
        held.iter_mut().for_each(Vec::clear);
        if !self.children[scope].is_empty() {
            held.resize(self.present[scope].len(), Vec::new());
        }
        for (place, &child) in self.children[scope].iter().enumerate() {
            for &rank in &self.present_ranks[child] {
                held[rank as usize].push(place as u32);
            }
        }
        self.held[scope] = held;
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
        for (scope, ranks) in self.own_ranks.iter().enumerate() {
            for &rank in ranks {
                for (gap, row) in self.gaps[scope][rank].iter().enumerate() {
                    row.iter().for_each(|&v| place[v] = 2 * gap);
                }
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
}
