//! How easily a drawing reads (docs/cli.md, the geometry's `readability`): the total
//! length of its edges, the length of edge segments running against the flow, the bends
//! and the crossings, each a cost; `auto` keeps the drawing that costs least. Lengths are
//! in units of the boxes' mean size (half of width + height), so designs of any size
//! compare. Parallel links share one route: it is counted once.

use serde::Serialize;

use super::{Direction, Layout};

/// What a backward unit of length costs beside a forward one: a reader follows the flow
/// and must turn round to follow a link that runs back.
const BACKWARD_WEIGHT: f64 = 2.0;
/// A bend costs as much as this many box sizes of straight line.
const BEND_WEIGHT: f64 = 0.5;
/// A crossing costs as much as this many box sizes of straight line.
const CROSSING_WEIGHT: f64 = 2.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Readability {
    /// The edges' total length, in box sizes.
    pub edge_length: f64,
    /// The length of edge segments running against the flow, in box sizes.
    pub backward: f64,
    pub bends: usize,
    pub crossings: usize,
    /// edge_length + 2 × backward + 0.5 × bends + 2 × crossings: lower reads better.
    pub score: f64,
}

type Point = (f64, f64);

/// The readability of `layout`, drawn in `direction`.
pub fn readability(layout: &Layout, direction: Direction) -> Readability {
    let unit = box_size(layout);
    let mut routes: Vec<&[Point]> = layout.edges.iter().map(|e| e.points.as_slice()).collect();
    routes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    routes.dedup();
    let mut length = 0.0;
    let mut backward = 0.0;
    let mut bends = 0;
    for route in &routes {
        for pair in route.windows(2) {
            let (dx, dy) = (pair[1].0 - pair[0].0, pair[1].1 - pair[0].1);
            length += dx.hypot(dy);
            let along = match direction {
                Direction::Right => dx,
                Direction::Down => dy,
            };
            backward += (-along).max(0.0);
        }
        bends += route.windows(3).filter(|w| turns(w[0], w[1], w[2])).count();
    }
    let crossings = crossings(&routes);
    let (edge_length, backward) = (length / unit, backward / unit);
    Readability {
        edge_length,
        backward,
        bends,
        crossings,
        score: edge_length
            + BACKWARD_WEIGHT * backward
            + BEND_WEIGHT * bends as f64
            + CROSSING_WEIGHT * crossings as f64,
    }
}

/// The boxes' mean size, half of width + height (1 for a drawing with none).
fn box_size(layout: &Layout) -> f64 {
    if layout.nodes.is_empty() {
        return 1.0;
    }
    let total: f64 = layout
        .nodes
        .iter()
        .map(|r| (r.width + r.height) / 2.0)
        .sum();
    (total / layout.nodes.len() as f64).max(1.0)
}

/// Whether the route changes direction at `b`.
fn turns(a: Point, b: Point, c: Point) -> bool {
    let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0);
    let scale = ((b.0 - a.0).hypot(b.1 - a.1) * (c.0 - b.0).hypot(c.1 - b.1)).max(1e-9);
    (cross / scale).abs() > 1e-6
}

/// Proper crossings between segments of different routes (touching ends, as routes
/// leaving one box do, and overlapping runs are not crossings). Segments are swept in
/// order of their left end, each compared with those whose x-range overlaps it.
fn crossings(routes: &[&[Point]]) -> usize {
    let mut segments: Vec<(usize, Point, Point)> = routes
        .iter()
        .enumerate()
        .flat_map(|(r, route)| route.windows(2).map(move |w| (r, w[0], w[1])))
        .collect();
    let left = |s: &(usize, Point, Point)| s.1.0.min(s.2.0);
    let right = |s: &(usize, Point, Point)| s.1.0.max(s.2.0);
    segments.sort_by(|a, b| left(a).total_cmp(&left(b)));
    let mut count = 0;
    for (i, a) in segments.iter().enumerate() {
        for b in segments[i + 1..].iter().take_while(|b| left(b) <= right(a)) {
            if a.0 != b.0 && properly_cross(a.1, a.2, b.1, b.2) {
                count += 1;
            }
        }
    }
    count
}

fn orientation(a: Point, b: Point, c: Point) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Whether segments pq and rs cross at a point inside both.
fn properly_cross(p: Point, q: Point, r: Point, s: Point) -> bool {
    const EPSILON: f64 = 1e-9;
    let (d1, d2) = (orientation(r, s, p), orientation(r, s, q));
    let (d3, d4) = (orientation(p, q, r), orientation(p, q, s));
    ((d1 > EPSILON && d2 < -EPSILON) || (d1 < -EPSILON && d2 > EPSILON))
        && ((d3 > EPSILON && d4 < -EPSILON) || (d3 < -EPSILON && d4 > EPSILON))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Rect, Route};

    fn layout(routes: Vec<Vec<Point>>) -> Layout {
        Layout {
            width: 100.0,
            height: 100.0,
            nodes: vec![Rect {
                x: 0.0,
                y: 0.0,
                width: 20.0,
                height: 10.0,
            }],
            groups: Vec::new(),
            edges: routes
                .into_iter()
                .map(|points| Route {
                    points,
                    label: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_straight_forward_edge_costs_its_length_in_box_sizes() {
        // Box size (20 + 10) / 2 = 15; a 30-long edge rightward.
        let r = readability(
            &layout(vec![vec![(0.0, 0.0), (30.0, 0.0)]]),
            Direction::Right,
        );
        assert_eq!(
            (r.edge_length, r.backward, r.bends, r.crossings),
            (2.0, 0.0, 0, 0)
        );
        assert_eq!(r.score, 2.0);
        // Drawn down, the same edge runs across the flow: no backward length either.
        assert_eq!(
            readability(
                &layout(vec![vec![(0.0, 0.0), (30.0, 0.0)]]),
                Direction::Down
            )
            .backward,
            0.0
        );
    }

    #[test]
    fn a_loop_back_costs_its_backward_run_and_bends() {
        // Right, down, back left 45: one 3-segment route with two bends.
        let r = readability(
            &layout(vec![vec![
                (0.0, 0.0),
                (15.0, 0.0),
                (15.0, 15.0),
                (-30.0, 15.0),
            ]]),
            Direction::Right,
        );
        assert_eq!(r.bends, 2);
        assert_eq!(r.backward, 3.0);
        assert_eq!(r.edge_length, 5.0);
        assert_eq!(r.score, 5.0 + 2.0 * 3.0 + 0.5 * 2.0);
    }

    #[test]
    fn crossings_count_proper_intersections_of_different_routes_only() {
        let r = readability(
            &layout(vec![
                vec![(0.0, 0.0), (10.0, 10.0)],
                vec![(0.0, 10.0), (10.0, 0.0)],
                // Starts where the first starts: a touch, not a crossing.
                vec![(0.0, 0.0), (10.0, -10.0)],
                // The first again (a parallel link on the same route): counted once.
                vec![(0.0, 0.0), (10.0, 10.0)],
            ]),
            Direction::Right,
        );
        assert_eq!(r.crossings, 1);
        assert!(!properly_cross(
            (0.0, 0.0),
            (10.0, 0.0),
            (5.0, 0.0),
            (15.0, 0.0)
        ));
    }
}
