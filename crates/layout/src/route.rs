//! Routes: each chain's polyline from the placed vertices, with ports spread along a
//! node's side; then one route per input edge (reversed edges turned back, self-loops).

use crate::order::Ordered;
use crate::place::Ranks;
use crate::rank::{InputEdge, Ranked};
use crate::{NODE_SPACING, Rect, Route};

/// One route per chain, top-down. A route crosses from one rank to the next only
/// between the two ranks' extents: it runs straight along the flow through the room
/// for the padding and titles of groups ending or starting there, so it never cuts the
/// corner of a group box that begins or ends at that channel.
pub fn chain_routes(
    ordered: &Ordered,
    ranks: &Ranks,
    rect_of: &dyn Fn(usize) -> Rect,
) -> Vec<Route> {
    let (extents, bodies) = (&ranks.extents, &ranks.bodies);
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
                let body = bodies[rank];
                if i > 0 {
                    points.push((cx, extents[rank].0));
                    points.push((cx, if i == last { rect.y } else { body.0 }));
                }
                if i < last {
                    points.push((cx, if i == 0 { rect.bottom() } else { body.1 }));
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
pub fn input_routes(ranked: &Ranked, chain_routes: &[Route], node_rects: &[Rect]) -> Vec<Route> {
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
    let reach = NODE_SPACING * 0.6;
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

#[cfg(test)]
mod tests {
    use super::Polyline;

    /// A straight run keeps its two ends; a repeated point is dropped.
    #[test]
    fn a_vertical_run_keeps_only_its_ends() {
        let mut line = Polyline::default();
        for point in [(0.0, 0.0), (0.0, 5.0), (0.0, 5.0), (0.0, 9.0), (3.0, 12.0)] {
            line.push(point);
        }
        assert_eq!(line.0, [(0.0, 0.0), (0.0, 9.0), (3.0, 12.0)]);
    }
}
