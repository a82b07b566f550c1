//! Alternatives that share a dependency (docs/estimates.md: series and parallel).
//!
//! Two zonal deployments behind one load balancer usually write one database. The
//! parallel rule 1 − Π(1 − A) treats each alternative's dependencies as its own, so the
//! database's downtime would be masked by the other zone, which it is not: when it is
//! down, both are. Before applying the rule, the components every alternative reaches
//! are factored out: the alternatives are combined with those taken as always up, and
//! the result is multiplied by what the shared part costs the best of them.

use super::paths::{Combine, Dependency, combined};
use hld_model::ComponentId;

/// What one router's alternatives all depend on.
pub(super) struct Shared {
    /// Per dependency of the router, its availability with the shared components up.
    pub without: Vec<f64>,
    /// A(T) ÷ A⁻(T) for the alternative T that loses least to the shared part.
    pub factor: f64,
    /// The shared components the alternatives reach first.
    pub entries: Vec<ComponentId>,
}

/// The graph the passes share, and scratch space reused across routers.
pub(super) struct Region<'a> {
    pub dependencies: &'a [Vec<Dependency>],
    pub combine: &'a [Combine],
    pub own: &'a [f64],
    /// Per component, its place in the topological order.
    pub position: &'a [usize],
    /// Visits left before the factoring stops (it is O(alternatives × reach) per
    /// router; the budget keeps the whole linear in the design's size).
    pub budget: usize,
    /// Set when the budget ran out: later routers were combined as independent.
    pub exhausted: bool,
    /// Per component, how many alternatives of the current router reach it (valid
    /// where `counted_for` is the current router's generation).
    reached_by: Vec<u32>,
    counted_for: Vec<u32>,
    router_generation: u32,
    /// Visited in the current walk (one per alternative).
    stamp: Vec<u32>,
    generation: u32,
    without: Vec<f64>,
}

impl<'a> Region<'a> {
    pub fn new(
        dependencies: &'a [Vec<Dependency>],
        combine: &'a [Combine],
        own: &'a [f64],
        position: &'a [usize],
        budget: usize,
    ) -> Region<'a> {
        let n = own.len();
        Region {
            dependencies,
            combine,
            own,
            position,
            budget,
            exhausted: false,
            reached_by: vec![0; n],
            counted_for: vec![0; n],
            router_generation: 0,
            stamp: vec![0; n],
            generation: 0,
            without: vec![1.0; n],
        }
    }

    /// The shared part of `router`'s alternatives, when they have one.
    pub fn shared(&mut self, router: ComponentId, expected: &[f64]) -> Option<Shared> {
        let deps = &self.dependencies[router.index()];
        if deps.len() < 2 || self.exhausted {
            return None;
        }
        let union = self.reach_counts(deps)?;
        let everyone = deps.len() as u32;
        let in_shared = |region: &Region, id: ComponentId| {
            region.counted_for[id.index()] == region.router_generation
                && region.reached_by[id.index()] == everyone
        };
        if deps.iter().any(|d| in_shared(self, d.target)) {
            // One alternative depends on another: not alternatives in the sense of the rule.
            return None;
        }
        let mut own_part: Vec<ComponentId> = union
            .iter()
            .copied()
            .filter(|&c| !in_shared(self, c))
            .collect();
        if own_part.len() == union.len() {
            return None;
        }
        // Children before parents: the reverse of the topological order.
        own_part.sort_by_key(|c| std::cmp::Reverse(self.position[c.index()]));
        let mut entries = Vec::new();
        let mut values = Vec::new();
        for &id in &own_part {
            let deps = &self.dependencies[id.index()];
            values.clear();
            for d in deps {
                if in_shared(self, d.target) {
                    // Entered once: the walk stamps are free again here.
                    if self.stamp[d.target.index()] != self.generation + 1 {
                        self.stamp[d.target.index()] = self.generation + 1;
                        entries.push(d.target);
                    }
                    values.push(1.0);
                } else {
                    values.push(self.without[d.target.index()]);
                }
            }
            self.without[id.index()] =
                self.own[id.index()] * combined(self.combine[id.index()], deps, &values);
        }
        self.generation += 1;
        entries.sort();
        let without: Vec<f64> = deps
            .iter()
            .map(|d| self.without[d.target.index()])
            .collect();
        let factor = deps
            .iter()
            .zip(&without)
            .filter(|(_, w)| **w > 0.0)
            .map(|(d, w)| (expected[d.target.index()] / w).min(1.0))
            .fold(0.0f64, f64::max);
        Some(Shared {
            without,
            factor,
            entries,
        })
    }

    /// Counts, per component, how many of the alternatives reach it; returns every
    /// component reached. `None` when the budget runs out.
    fn reach_counts(&mut self, deps: &[Dependency]) -> Option<Vec<ComponentId>> {
        self.router_generation += 1;
        let mut union = Vec::new();
        let mut stack = Vec::new();
        for dep in deps {
            self.generation += 1;
            stack.push(dep.target);
            self.stamp[dep.target.index()] = self.generation;
            while let Some(id) = stack.pop() {
                let cost = 1 + self.dependencies[id.index()].len();
                if cost > self.budget {
                    self.exhausted = true;
                    return None;
                }
                self.budget -= cost;
                if self.counted_for[id.index()] != self.router_generation {
                    self.counted_for[id.index()] = self.router_generation;
                    self.reached_by[id.index()] = 0;
                    union.push(id);
                }
                self.reached_by[id.index()] += 1;
                for next in &self.dependencies[id.index()] {
                    if self.stamp[next.target.index()] != self.generation {
                        self.stamp[next.target.index()] = self.generation;
                        stack.push(next.target);
                    }
                }
            }
        }
        Some(union)
    }
}
