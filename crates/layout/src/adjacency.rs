//! Each vertex's neighbours on one side of it, in one array.

/// Each vertex's neighbours on one side, in one array (vertex `v`'s are
/// `targets[offsets[v]..offsets[v + 1]]`): the sweeps read every vertex's neighbours many
/// times, and a list per vertex costs a cache miss each.
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    /// From (vertex, neighbour) pairs; each vertex keeps its neighbours in pair order.
    pub fn new(vertices: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Adjacency {
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
