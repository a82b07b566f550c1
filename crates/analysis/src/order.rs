//! The orders one pass over the design walks in, computed once per design
//! ([`super::Facts`]): a pass in such an order sees each component after everything
//! that sends to it, so it is linear in V + E.

use petgraph::Direction;
use petgraph::visit::EdgeRef;

use hld_model::{ComponentId, Kind, LinkId, Model};

/// An order of every component with the links that would close a cycle cut.
#[derive(Debug, Default)]
pub struct Order {
    /// Every component, each after all its senders over the links not cut.
    pub components: Vec<ComponentId>,
    /// The links cut, sorted: back edges of a depth-first search from the clients.
    pub cut: Vec<LinkId>,
    /// Per link: it is in `cut`.
    pub is_cut: Vec<bool>,
}

impl Order {
    /// Over every link, cycles cut where a depth-first walk from the clients meets
    /// them (the estimate's order: traffic flows from the clients).
    pub fn cutting_cycles(model: &Model) -> Order {
        let cut = back_edges(model);
        let mut is_cut = vec![false; model.links.len()];
        for link in &cut {
            is_cut[link.index()] = true;
        }
        let components = kahn(model, |link| !is_cut[link.index()]);
        Order {
            components,
            cut,
            is_cut,
        }
    }
}

/// Kahn's order of the components over the links `kept` says to follow, ties broken by
/// declaration order. A component in a cycle of kept links, or behind one, is left out.
pub fn kahn(model: &Model, kept: impl Fn(LinkId) -> bool) -> Vec<ComponentId> {
    let n = model.components.len();
    let mut indegree = vec![0usize; n];
    for e in model.graph.edge_references().filter(|e| kept(e.id())) {
        indegree[e.target().index()] += 1;
    }
    let mut ready: Vec<ComponentId> = (0..n)
        .rev()
        .map(ComponentId::new)
        .filter(|id| indegree[id.index()] == 0)
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(id) = ready.pop() {
        order.push(id);
        for e in model
            .graph
            .edges_directed(id, Direction::Outgoing)
            .filter(|e| kept(e.id()))
        {
            indegree[e.target().index()] -= 1;
            if indegree[e.target().index()] == 0 {
                ready.push(e.target());
            }
        }
    }
    order
}

/// Links that close a cycle, found by a depth-first walk from the clients in declaration
/// order, then from every component not yet visited (docs/estimates.md).
fn back_edges(model: &Model) -> Vec<LinkId> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Active,
        Done,
    }
    let n = model.components.len();
    let mut state = vec![State::New; n];
    let mut cut = Vec::new();
    let clients = model
        .graph
        .node_indices()
        .filter(|&id| model.component(id).kind == Kind::Client);
    let roots: Vec<ComponentId> = clients.chain(model.graph.node_indices()).collect();
    for root in roots {
        if state[root.index()] != State::New {
            continue;
        }
        // Iterative DFS over frames: a component, its outgoing links, the next to follow.
        type Frame = (ComponentId, Vec<(LinkId, ComponentId)>, usize);
        let mut stack: Vec<Frame> = Vec::new();
        let edges = |id: ComponentId| {
            let mut e: Vec<(LinkId, ComponentId)> = model
                .graph
                .edges_directed(id, Direction::Outgoing)
                .map(|e| (e.id(), e.target()))
                .collect();
            e.sort();
            e
        };
        state[root.index()] = State::Active;
        stack.push((root, edges(root), 0));
        while let Some((id, out, next)) = stack.last_mut() {
            if let Some(&(link, target)) = out.get(*next) {
                *next += 1;
                match state[target.index()] {
                    State::Active => cut.push(link),
                    State::New => {
                        state[target.index()] = State::Active;
                        let e = edges(target);
                        stack.push((target, e, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[id.index()] = State::Done;
                stack.pop();
            }
        }
    }
    cut.sort();
    cut
}
