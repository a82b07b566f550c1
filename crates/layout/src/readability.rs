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

/// A segment of a route: the route's index and its two ends.
type Segment = (usize, Point, Point);

/// Proper crossings between segments of different routes (touching ends, as routes
/// leaving one box do, and overlapping runs are not crossings). The drawing is cut into
/// a grid ([`CELLS_PER_SEGMENT`]); each segment is listed in the cells its
/// bounding box covers, segments sharing a cell are compared, and a crossing is counted
/// in the one cell that holds its point. (A sweep by x compared every pair of segments
/// whose x-ranges overlap: long runs across a wide drawing made it quadratic, 3.6 G of
/// the 6.1 G instructions of rendering a 3,000-component design.)
fn crossings(routes: &[&[Point]]) -> usize {
    let segments: Vec<Segment> = (routes.iter().enumerate())
        .flat_map(|(r, route)| route.windows(2).map(move |w| (r, w[0], w[1])))
        .collect();
    let Some(grid) = Grid::over(&segments) else {
        return 0;
    };
    let mut listed: Vec<(u64, u32)> = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        grid.cells_of(segment, |cell| listed.push((cell, index as u32)));
    }
    listed.sort_unstable();
    let mut count = 0;
    for run in listed.chunk_by(|a, b| a.0 == b.0) {
        for (i, &(cell, a)) in run.iter().enumerate() {
            let a = &segments[a as usize];
            for &(_, b) in &run[i + 1..] {
                let b = &segments[b as usize];
                if a.0 != b.0
                    && properly_cross(a.1, a.2, b.1, b.2)
                    && grid.cell_at(meeting(a, b)) == cell
                {
                    count += 1;
                }
            }
        }
    }
    count
}

/// Cells of the grid per segment: fewer cells list a long run in fewer of them, more
/// compare fewer pairs in each; measured on the generated 3,000-component design, 0.25
/// beat 1 and 4 (0.58 G, 0.71 G and 1.11 G instructions for the measure).
const CELLS_PER_SEGMENT: f64 = 0.25;

/// A uniform grid over the segments' extent.
struct Grid {
    origin: Point,
    size: f64,
    columns: u64,
    rows: u64,
}

impl Grid {
    fn over(segments: &[Segment]) -> Option<Grid> {
        let points = || segments.iter().flat_map(|s| [s.1, s.2]);
        let low = points().reduce(|a, b| (a.0.min(b.0), a.1.min(b.1)))?;
        let high = points().reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))?;
        let (width, height) = ((high.0 - low.0).max(1.0), (high.1 - low.1).max(1.0));
        let size = (width * height / (CELLS_PER_SEGMENT * segments.len() as f64))
            .sqrt()
            .max(1.0);
        let count = |extent: f64| (extent / size).floor() as u64 + 1;
        Some(Grid {
            origin: low,
            size,
            columns: count(width),
            rows: count(height),
        })
    }

    /// The cell holding a point (clamped into the grid).
    fn cell(&self, (x, y): Point) -> (u64, u64) {
        let along = |v: f64, start: f64, cells: u64| {
            (((v - start) / self.size).floor().max(0.0) as u64).min(cells - 1)
        };
        (
            along(x, self.origin.0, self.columns),
            along(y, self.origin.1, self.rows),
        )
    }

    fn cell_at(&self, point: Point) -> u64 {
        let (column, row) = self.cell(point);
        row * self.columns + column
    }

    /// Calls `list` with every cell the segment's bounding box covers.
    fn cells_of(&self, s: &Segment, mut list: impl FnMut(u64)) {
        let (a, b) = (self.cell(s.1), self.cell(s.2));
        for row in a.1.min(b.1)..=a.1.max(b.1) {
            for column in a.0.min(b.0)..=a.0.max(b.0) {
                list(row * self.columns + column);
            }
        }
    }
}

/// Where two crossing segments meet, kept inside both bounding boxes (so rounding
/// cannot put it in a cell one of them is not listed in).
fn meeting(a: &Segment, b: &Segment) -> Point {
    let ((p, q), (r, s)) = ((a.1, a.2), (b.1, b.2));
    let denominator = (q.0 - p.0) * (s.1 - r.1) - (q.1 - p.1) * (s.0 - r.0);
    let t = ((r.0 - p.0) * (s.1 - r.1) - (r.1 - p.1) * (s.0 - r.0)) / denominator;
    let point = (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1));
    let clamp = |v: f64, ends: [f64; 4]| {
        let low = ends[0].min(ends[1]).max(ends[2].min(ends[3]));
        let high = ends[0].max(ends[1]).min(ends[2].max(ends[3]));
        v.clamp(low.min(high), high.max(low))
    };
    (
        clamp(point.0, [p.0, q.0, r.0, s.0]),
        clamp(point.1, [p.1, q.1, r.1, s.1]),
    )
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

    /// The grid counts what comparing every pair of segments counts, on routes of
    /// random bends (axis-aligned runs, diagonals, shared ends and overlaps included).
    #[test]
    fn the_grid_counts_every_crossing_once() {
        let mut state = 7u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % bound) as f64
        };
        let routes: Vec<Vec<Point>> = (0..120)
            .map(|_| (0..4).map(|_| (10.0 * next(40), 10.0 * next(30))).collect())
            .collect();
        let borrowed: Vec<&[Point]> = routes.iter().map(Vec::as_slice).collect();
        let segments: Vec<Segment> = (borrowed.iter().enumerate())
            .flat_map(|(r, route)| route.windows(2).map(move |w| (r, w[0], w[1])))
            .collect();
        let mut every_pair = 0;
        for (i, a) in segments.iter().enumerate() {
            for b in &segments[i + 1..] {
                if a.0 != b.0 && properly_cross(a.1, a.2, b.1, b.2) {
                    every_pair += 1;
                }
            }
        }
        assert!(every_pair > 1000, "a test with crossings: {every_pair}");
        assert_eq!(crossings(&borrowed), every_pair);
    }
}
