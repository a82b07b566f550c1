//! Labels of edges between adjacent ranks: a row across the middle of the channel
//! between the ranks, which grows to hold them; routes that would run through a label
//! pass beside the row's labels.

use crate::order::Ordered;
use crate::place::{Ranks, fit_row, side_by_side};
use crate::{EDGE_SPACING, RANK_SPACING, Rect, Route, Size};

/// Room a channel label keeps from the ranks on either side of it, and from the nodes
/// its edge joins: room for an arrowhead (the renderer's are 9 long) and a little air.
const LABEL_AIR: f64 = 4.0;
const ARROW_ROOM: f64 = 12.0;

/// The depth of the channel after each rank: `RANK_SPACING`, or more where a label sits
/// in it, so the label keeps `LABEL_AIR` from both ranks and `ARROW_ROOM` from both its
/// ends (a node shorter than its rank's body leaves some of that room inside the rank).
/// `depth` is each rank's body, `rooms` the room above and below it for groups.
pub fn channel_depths(ordered: &Ordered, depth: &[f64], rooms: (&[f64], &[f64])) -> Vec<f64> {
    let (top_room, bottom_room) = rooms;
    let mut channels = vec![RANK_SPACING; depth.len()];
    for &(chain, label) in &ordered.channel_labels {
        let chain = &ordered.chains[chain];
        let (upper, lower) = (
            &ordered.vertices[chain.upper],
            &ordered.vertices[chain.lower],
        );
        let rank = upper.rank;
        // How far each end's node stands back from the channel.
        let above = (depth[rank] - upper.size.height) / 2.0 + bottom_room[rank];
        let below = (depth[rank + 1] - lower.size.height) / 2.0 + top_room[rank + 1];
        let margin = (ARROW_ROOM - above.min(below)).max(LABEL_AIR);
        channels[rank] = channels[rank].max(label.height + 2.0 * margin);
    }
    channels
}

/// The labels of edges between adjacent ranks, in a row across the middle of the
/// channel between them (`label_row`), each route running straight through its label.
/// Other routes that would run through a label pass beside the labels instead, each on
/// a line of its own, straight across the row, at the free place nearest where it
/// crossed.
pub fn place_channel_labels(ordered: &Ordered, ranks: &Ranks, routes: &mut [Route]) {
    let (extents, bodies) = (&ranks.extents, &ranks.bodies);
    let mut by_channel: Vec<Vec<(usize, Size)>> = vec![Vec::new(); extents.len()];
    for &(chain, label) in &ordered.channel_labels {
        by_channel[ordered.vertices[ordered.chains[chain].upper].rank].push((chain, label));
    }
    // The routes through each channel that holds labels (O(V′) in all: a chain crosses
    // one channel per rank it spans).
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); extents.len()];
    for (index, chain) in ordered.chains.iter().enumerate() {
        let (upper, lower) = (
            ordered.vertices[chain.upper].rank,
            ordered.vertices[chain.lower].rank,
        );
        for rank in (upper..lower).filter(|&r| !by_channel[r].is_empty()) {
            through[rank].push(index);
        }
    }
    for (rank, labels) in by_channel.iter().enumerate() {
        if labels.is_empty() {
            continue;
        }
        let y = (extents[rank].1 + extents[rank + 1].0) / 2.0;
        let height = labels.iter().map(|(_, l)| l.height).fold(0.0, f64::max);
        let row = Row {
            across: (y - height / 2.0, y + height / 2.0),
            free: (bodies[rank].1, bodies[rank + 1].0),
        };
        let placed = label_row(labels, y, row, routes);
        let mut labelled: Vec<usize> = labels.iter().map(|&(chain, _)| chain).collect();
        labelled.sort_unstable();
        let mut taken = Taken::default();
        for label in &placed {
            taken.insert((label.x - LABEL_AIR, label.right() + LABEL_AIR));
        }
        let mut passing: Vec<(f64, usize)> = through[rank]
            .iter()
            .filter(|chain| labelled.binary_search(chain).is_err())
            .filter(|&&chain| {
                let points = &routes[chain].points;
                let (a, b) = (x_at(points, row.across.0), x_at(points, row.across.1));
                taken.meets((a.min(b), a.max(b)))
            })
            .map(|&chain| (x_at(&routes[chain].points, y), chain))
            .collect();
        passing.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (x, chain) in passing {
            let line = taken.nearest_free(x);
            run_across(&mut routes[chain], line, row);
            taken.insert((line - EDGE_SPACING, line + EDGE_SPACING));
        }
    }
}

/// Places one channel's labels side by side in the row (least squares, in the order
/// their routes cross the channel), each route straight through its label.
fn label_row(labels: &[(usize, Size)], y: f64, row: Row, routes: &mut [Route]) -> Vec<Rect> {
    let mut labels: Vec<(f64, usize, Size)> = labels
        .iter()
        .map(|&(chain, label)| (x_at(&routes[chain].points, y), chain, label))
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let desired: Vec<f64> = labels.iter().map(|(x, _, l)| x - l.width / 2.0).collect();
    let packed = side_by_side(labels.iter().map(|(_, _, l)| (EDGE_SPACING, l.width)));
    let lefts = fit_row(&desired, packed, f64::NEG_INFINITY, f64::INFINITY);
    labels
        .iter()
        .zip(lefts)
        .map(|(&(_, chain, label), left)| {
            run_across(&mut routes[chain], left + label.width / 2.0, row);
            let rect = Rect {
                x: left,
                y: y - label.height / 2.0,
                width: label.width,
                height: label.height,
            };
            routes[chain].label = Some(rect);
            rect
        })
        .collect()
}

/// The stretches of a label row that labels and the routes passing them have taken:
/// disjoint open intervals across the flow, in order.
#[derive(Default)]
struct Taken(Vec<(f64, f64)>);

impl Taken {
    /// Takes `(low, high)`, merged with the stretches it meets or touches.
    fn insert(&mut self, (mut low, mut high): (f64, f64)) {
        let start = self.0.partition_point(|&(_, h)| h < low);
        let mut end = start;
        while let Some(&(l, h)) = self.0.get(end).filter(|&&(l, _)| l <= high) {
            (low, high) = (low.min(l), high.max(h));
            end += 1;
        }
        self.0.splice(start..end, [(low, high)]);
    }

    /// Whether `(low, high)` overlaps a taken stretch.
    fn meets(&self, (low, high): (f64, f64)) -> bool {
        let i = self.0.partition_point(|&(_, h)| h <= low);
        self.0.get(i).is_some_and(|&(l, _)| l < high)
    }

    /// The free place nearest `x`: `x`, or an end of the stretch that holds it.
    fn nearest_free(&self, x: f64) -> f64 {
        let i = self.0.partition_point(|&(_, h)| h <= x);
        match self.0.get(i) {
            Some(&(low, high)) if low < x => {
                if x - low <= high - x {
                    low
                } else {
                    high
                }
            }
            _ => x,
        }
    }
}

/// A row of labels in a channel: where the labels are along the flow, and the stretch
/// between the two ranks' bodies, where no vertex is and a route may bend.
#[derive(Clone, Copy)]
struct Row {
    across: (f64, f64),
    free: (f64, f64),
}

/// Bends a route so it crosses the label row straight at `x`, leaving its course only
/// between the two bodies (a long edge's straight run through many ranks keeps it
/// outside the channel).
fn run_across(route: &mut Route, x: f64, row: Row) {
    let (top, bottom) = row.across;
    let after = route
        .points
        .iter()
        .position(|p| p.1 > top)
        .expect("a route through a channel crosses its middle");
    let (from, to) = (route.points[after - 1], route.points[after]);
    let on_course = |y: f64| (x_at(&[from, to], y), y);
    let mut bend = Vec::with_capacity(4);
    if from.1 < row.free.0 {
        bend.push(on_course(row.free.0));
    }
    bend.extend([(x, top), (x, bottom)]);
    if to.1 > row.free.1 {
        bend.push(on_course(row.free.1));
    }
    route.points.splice(after..after, bend);
}

/// Where a top-down route (its points in order along the flow) crosses the line across
/// the flow at `y`.
fn x_at(points: &[(f64, f64)], y: f64) -> f64 {
    let after = points.partition_point(|p| p.1 < y);
    match (after.checked_sub(1).map(|i| points[i]), points.get(after)) {
        (Some((x0, y0)), Some(&(x1, y1))) if y1 - y0 > 1e-9 => {
            x0 + (x1 - x0) * (y - y0) / (y1 - y0)
        }
        (_, Some(&(x, _))) | (Some((x, _)), None) => x,
        (None, None) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::{Taken, x_at};

    #[test]
    fn taken_stretches_merge_and_the_nearest_free_place_is_an_end() {
        let mut taken = Taken::default();
        taken.insert((0.0, 10.0));
        taken.insert((20.0, 30.0));
        taken.insert((10.0, 20.0));
        assert_eq!(taken.0, [(0.0, 30.0)]);
        assert!(taken.meets((29.0, 40.0)));
        assert!(!taken.meets((30.0, 40.0)));
        assert_eq!(taken.nearest_free(12.0), 0.0);
        assert_eq!(taken.nearest_free(18.0), 30.0);
        assert_eq!(taken.nearest_free(35.0), 35.0);
    }

    #[test]
    fn a_route_crosses_a_line_where_its_segment_does() {
        let points = [(0.0, 0.0), (0.0, 10.0), (10.0, 20.0)];
        assert_eq!(x_at(&points, 15.0), 5.0);
        assert_eq!(x_at(&points, 5.0), 0.0);
        assert_eq!(x_at(&points, 30.0), 10.0);
    }
}
