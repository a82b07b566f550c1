//! Phase 2: virtual nodes for long edges, and the order of every rank under the group
//! tree. Each scope (a group, or the whole graph) keeps one order of its child groups
//! on every rank, with its own vertices in the gaps between them: that is what lets
//! `place` give each group a slab of its own.

use super::rank::Ranked;
use super::{GroupSpec, NodeSpec, Size, VIRTUAL_WIDTH};

#[derive(Clone, Debug)]
pub struct Vertex {
    pub rank: usize,
    pub size: Size,
    /// The scope the vertex is laid out in: its node's group, or for a virtual vertex the
    /// group of the nearer end of its edge.
    pub group: Option<usize>,
}

pub struct Ordered {
    pub vertices: Vec<Vertex>,
    /// Per ranked edge: its vertices from upper to lower, endpoints included.
    pub chains: Vec<Vec<usize>>,
    /// Per ranked edge: the virtual vertex that carries its label.
    pub label_vertex: Vec<Option<usize>>,
    /// Per scope (group index; the root is `groups.len()`): child groups in order.
    pub children: Vec<Vec<usize>>,
    /// Per scope, per rank, per gap (one more than the children): vertices in order.
    pub gaps: Vec<Vec<Vec<Vec<usize>>>>,
}

const SWEEPS: usize = 8;

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
        })
        .collect();
    let mut chains = Vec::with_capacity(ranked.edges.len());
    let mut label_vertex = vec![None; ranked.edges.len()];
    for (index, edge) in ranked.edges.iter().enumerate() {
        let (top, bottom) = (ranked.rank[edge.upper], ranked.rank[edge.lower]);
        let middle = (top + bottom) / 2;
        let mut chain = vec![edge.upper];
        for r in top + 1..bottom {
            let labelled = edge.label.is_some() && r == middle;
            let size = match edge.label {
                Some(label) if labelled => {
                    label_vertex[index] = Some(vertices.len());
                    label
                }
                _ => Size {
                    width: VIRTUAL_WIDTH,
                    height: 0.0,
                },
            };
            // A long edge runs in its source's group down to its middle (its label
            // included) and in its target's group after: it enters groups through their
            // slabs instead of going round them.
            let owner = if r < middle || labelled {
                nodes[edge.upper].group
            } else {
                nodes[edge.lower].group
            };
            chain.push(vertices.len());
            vertices.push(Vertex {
                rank: r,
                size,
                group: owner,
            });
        }
        chain.push(edge.lower);
        chains.push(chain);
    }
    // Neighbours on the rank above and below, through the chains.
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for chain in &chains {
        for pair in chain.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.len() + 1];
    for (g, group) in groups.iter().enumerate() {
        children[scope(group.parent)].push(g);
    }
    let ranks = ranked.ranks.max(1);
    let mut gaps: Vec<Vec<Vec<Vec<usize>>>> = children
        .iter()
        .map(|c| vec![vec![Vec::new(); c.len() + 1]; ranks])
        .collect();
    for (v, vertex) in vertices.iter().enumerate() {
        gaps[scope(vertex.group)][vertex.rank][0].push(v);
    }
    let mut state = State {
        groups,
        children,
        gaps,
        position: vec![0.0; vertices.len()],
        key: vec![0.0; vertices.len()],
    };
    state.update_positions(ranks);
    for _ in 0..SWEEPS {
        for r in 1..ranks {
            state.reorder_rank(r, &up);
        }
        for r in (0..ranks.saturating_sub(1)).rev() {
            state.reorder_rank(r, &down);
        }
        state.reorder_children(&vertices);
        state.update_positions(ranks);
    }
    state.transpose(ranks, &up, &down);
    Ordered {
        vertices,
        chains,
        label_vertex,
        children: state.children,
        gaps: state.gaps,
    }
}

struct State<'g> {
    groups: &'g [GroupSpec],
    children: Vec<Vec<usize>>,
    gaps: Vec<Vec<Vec<Vec<usize>>>>,
    /// Per vertex: its place in its rank, normalized to [0, 1].
    position: Vec<f64>,
    /// Scratch: the sort key of the rank being ordered.
    key: Vec<f64>,
}

impl State<'_> {
    fn root(&self) -> usize {
        self.groups.len()
    }

    /// The vertices of one rank, left to right.
    fn flatten(&self, scope: usize, rank: usize, out: &mut Vec<usize>) {
        let gaps = &self.gaps[scope][rank];
        for (i, gap) in gaps.iter().enumerate() {
            out.extend_from_slice(gap);
            if let Some(&child) = self.children[scope].get(i) {
                self.flatten(child, rank, out);
            }
        }
    }

    fn update_positions(&mut self, ranks: usize) {
        for r in 0..ranks {
            let mut row = Vec::new();
            self.flatten(self.root(), r, &mut row);
            let count = row.len().max(1) as f64;
            for (i, v) in row.into_iter().enumerate() {
                self.position[v] = (i as f64 + 0.5) / count;
            }
        }
    }

    /// Orders rank `r` by the barycenter of each vertex's neighbours in `adjacent`.
    fn reorder_rank(&mut self, r: usize, adjacent: &[Vec<usize>]) {
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
        let centers: Vec<Option<f64>> = children
            .iter()
            .map(|&c| self.reorder_scope(c, r, key))
            .collect();
        let mut own: Vec<usize> = self.gaps[scope][r].iter().flatten().copied().collect();
        own.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
        let mut gaps = vec![Vec::new(); children.len() + 1];
        for &v in &own {
            // The gap after every child whose center lies left of the vertex; children
            // absent from this rank keep the gap of their neighbours.
            let gap = centers
                .iter()
                .take_while(|c| c.is_none_or(|c| c < key[v]))
                .count();
            gaps[gap].push(v);
        }
        self.gaps[scope][r] = gaps;
        let mut values: Vec<f64> = own.iter().map(|&v| key[v]).collect();
        values.extend(centers.into_iter().flatten());
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }

    /// Transposition: swaps neighbours in the same gap while that removes crossings
    /// with the ranks above and below (barycenters alone leave some local crossings).
    fn transpose(&mut self, ranks: usize, up: &[Vec<usize>], down: &[Vec<usize>]) {
        // Crossings between the edges of `a` and of `b` when `a` is left of `b`.
        let crossings = |a: usize, b: usize, position: &[f64]| -> usize {
            [up, down]
                .iter()
                .map(|adjacent| {
                    adjacent[a]
                        .iter()
                        .map(|&x| {
                            adjacent[b]
                                .iter()
                                .filter(|&&y| position[y] < position[x])
                                .count()
                        })
                        .sum::<usize>()
                })
                .sum()
        };
        for _ in 0..4 {
            let mut improved = false;
            for scope in 0..self.gaps.len() {
                for r in 0..ranks {
                    for g in 0..self.gaps[scope][r].len() {
                        for i in 1..self.gaps[scope][r][g].len() {
                            let (a, b) = (self.gaps[scope][r][g][i - 1], self.gaps[scope][r][g][i]);
                            if crossings(a, b, &self.position) > crossings(b, a, &self.position) {
                                self.gaps[scope][r][g].swap(i - 1, i);
                                let (pa, pb) = (self.position[a], self.position[b]);
                                self.position[a] = pb;
                                self.position[b] = pa;
                                improved = true;
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
                    for v in own {
                        let gap = children
                            .iter()
                            .take_while(|&&c| mean(c) < self.position[v])
                            .count();
                        gaps[gap].push(v);
                    }
                    self.gaps[scope][r] = gaps;
                }
                self.children[scope] = children;
            }
        }
    }
}
