//! Folding: a long layout cut into bands laid side by side across the flow, so a deep
//! design is not a strip (ELK calls it wrapping). It works on the placed drawing, top-down:
//! the ranks are cut where no group box spans the cut, each band keeps its geometry and
//! moves right of the one before (for `Right`, transposed afterwards, below it), and a
//! route that crossed a cut runs around instead: down past the end of its band, along a
//! corridor between the bands, over the top of the next band and down into it. Each
//! route has lanes of its own, nested so that routes kept in order across the cut do
//! not cross in the detour.

use super::{RANK_SPACING, Rect, Route};

/// The first lane's distance from a band's edge, and the distance between lanes.
const LANE_OFFSET: f64 = 20.0;
const LANE_GAP: f64 = 10.0;

/// The placed drawing, top-down, with each rank's extent along the flow.
pub struct Drawing<'a> {
    pub nodes: &'a mut [Rect],
    pub groups: &'a mut [Rect],
    /// Top-down: every point at or below the one before.
    pub routes: &'a mut [Route],
    /// Per rank, (start, end) along the flow, room for group titles and padding
    /// included; increasing and disjoint.
    pub ranks: &'a [(f64, f64)],
}

/// Cuts the drawing into at most `bands` bands (fewer when groups leave fewer places to
/// cut) and lays them side by side.
pub fn fold(drawing: Drawing, bands: usize) {
    let cuts = cuts(&drawing, bands);
    if cuts.is_empty() {
        return;
    }
    let band_of = |y: f64| cuts.iter().filter(|&&cut| cut < y).count();
    let extents = extents(&drawing, &band_of, cuts.len() + 1);
    let lanes = Lanes::new(drawing.routes, &band_of, cuts.len());
    let shifts = shifts(&extents, &lanes);
    let shift = |b: usize, (x, y): (f64, f64)| (x + shifts[b].0, y + shifts[b].1);
    for rect in drawing.nodes.iter_mut().chain(drawing.groups.iter_mut()) {
        *rect = moved(*rect, shifts[band_of(rect.y)]);
    }
    for route in drawing.routes.iter_mut() {
        if let Some(label) = &mut route.label {
            *label = moved(*label, shifts[band_of(label.y)]);
        }
        let mut points = Vec::with_capacity(route.points.len());
        for (i, &point) in route.points.iter().enumerate() {
            let band = band_of(point.1);
            if let Some(&before) = i.checked_sub(1).and_then(|j| route.points.get(j)) {
                for (cut, exit, entry) in crossed_cuts([before, point], &band_of) {
                    let lane = lanes.lane(cut, exit, entry);
                    let (from, to) = (shift(cut, (exit, 0.0)).0, shift(cut + 1, (entry, 0.0)).0);
                    let below = extents[cut].bottom() + shifts[cut].1 + lane.depth();
                    let corridor = extents[cut].right() + shifts[cut].0 + lane.across();
                    let above = -lane.height();
                    points.extend([
                        (from, below),
                        (corridor, below),
                        (corridor, above),
                        (to, above),
                    ]);
                }
            }
            points.push(shift(band, point));
        }
        route.points = points;
    }
}

/// Where to cut, along the flow: between two ranks that no group box spans and no label
/// sits between (a label belongs to its route, which a cut sends around), near equal
/// lengths (within a quarter of a band's length of them) and, among those, where the
/// fewest routes cross, since each crossing route runs around the band.
fn cuts(drawing: &Drawing, bands: usize) -> Vec<f64> {
    let ranks = drawing.ranks;
    let (Some(first), Some(last)) = (ranks.first(), ranks.last()) else {
        return Vec::new();
    };
    let places: Vec<(f64, usize)> = ranks
        .windows(2)
        .map(|pair| (pair[0].1 + pair[1].0) / 2.0)
        .filter(|&y| !drawing.groups.iter().any(|g| g.y < y && y < g.bottom()))
        .filter(|&y| {
            let mut labels = drawing.routes.iter().filter_map(|r| r.label.as_ref());
            !labels.any(|l| l.y < y && y < l.bottom())
        })
        .map(|y| (y, crossing(drawing.routes, y)))
        .collect();
    let band = (last.1 - first.0) / bands as f64;
    let mut cuts: Vec<f64> = Vec::new();
    for k in 1..bands {
        let ideal = first.0 + band * k as f64;
        let after = cuts.last().copied().unwrap_or(f64::MIN);
        let off = |y: f64| (y - ideal).abs();
        // Near places first, then the fewest crossings, then the nearest.
        let key = |&(y, crossings): &(f64, usize)| (off(y) > band / 4.0, crossings, off(y));
        let best = places.iter().filter(|p| p.0 > after).min_by(|a, b| {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        cuts.extend(best.map(|p| p.0));
    }
    cuts
}

/// The cuts a segment of a route crosses, each with where it leaves the band above (its
/// start, or its straight run for a later cut) and where it enters the band below.
fn crossed_cuts(
    [from, to]: [(f64, f64); 2],
    band_of: &dyn Fn(f64) -> usize,
) -> impl Iterator<Item = (usize, f64, f64)> {
    let first = band_of(from.1);
    (first..band_of(to.1)).map(move |cut| (cut, if cut == first { from.0 } else { to.0 }, to.0))
}

/// How many routes cross the line across the flow at `y`.
fn crossing(routes: &[Route], y: f64) -> usize {
    routes
        .iter()
        .filter(|route| {
            route
                .points
                .windows(2)
                .any(|pair| pair[0].1 < y && y < pair[1].1)
        })
        .count()
}

/// Each band's bounding box before it moves.
fn extents(drawing: &Drawing, band_of: &dyn Fn(f64) -> usize, bands: usize) -> Vec<Rect> {
    let mut min = vec![(f64::MAX, f64::MAX); bands];
    let mut max = vec![(f64::MIN, f64::MIN); bands];
    let mut extend = |x: f64, y: f64, band: usize| {
        min[band] = (min[band].0.min(x), min[band].1.min(y));
        max[band] = (max[band].0.max(x), max[band].1.max(y));
    };
    let labels = drawing.routes.iter().filter_map(|r| r.label.as_ref());
    for rect in drawing
        .nodes
        .iter()
        .chain(drawing.groups.iter())
        .chain(labels)
    {
        let band = band_of(rect.y);
        extend(rect.x, rect.y, band);
        extend(rect.right(), rect.bottom(), band);
    }
    for &(x, y) in drawing.routes.iter().flat_map(|r| &r.points) {
        extend(x, y, band_of(y));
    }
    // A route straight through a band (from a band before it to one after) has no point
    // there, but its run holds its place across the band.
    for pair in drawing.routes.iter().flat_map(|r| r.points.windows(2)) {
        let (first, last) = (band_of(pair[0].1), band_of(pair[1].1));
        for band in first + 1..last {
            min[band].0 = min[band].0.min(pair[1].0);
            max[band].0 = max[band].0.max(pair[1].0);
        }
    }
    min.into_iter()
        .zip(max)
        .map(|(min, max)| {
            let span = |low: f64, high: f64| {
                if low > high {
                    (0.0, 0.0)
                } else {
                    (low, high - low)
                }
            };
            let ((x, width), (y, height)) = (span(min.0, max.0), span(min.1, max.1));
            Rect {
                x,
                y,
                width,
                height,
            }
        })
        .collect()
}

/// How far each band moves: all bands start at the top, each right of the one before
/// with the corridor for the routes between them.
fn shifts(extents: &[Rect], lanes: &Lanes) -> Vec<(f64, f64)> {
    let mut x = 0.0;
    let mut shifts = Vec::with_capacity(extents.len());
    for (band, extent) in extents.iter().enumerate() {
        shifts.push((x - extent.x, -extent.y));
        x += extent.width + lanes.corridor(band);
    }
    shifts
}

/// The routes that cross each cut, in the order of where they leave the band above it
/// (then where they enter the next), one lane per distinct pair of ends: a shared trunk
/// keeps one lane.
struct Lanes {
    crossings: Vec<Vec<(f64, f64)>>,
}

impl Lanes {
    fn new(routes: &[Route], band_of: &dyn Fn(f64) -> usize, cuts: usize) -> Lanes {
        let mut crossings = vec![Vec::new(); cuts];
        for pair in routes.iter().flat_map(|r| r.points.windows(2)) {
            for (cut, exit, entry) in crossed_cuts([pair[0], pair[1]], band_of) {
                crossings[cut].push((exit, entry));
            }
        }
        for pairs in &mut crossings {
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            pairs.dedup();
        }
        Lanes { crossings }
    }

    /// The lane of the route leaving the band above `cut` at `exit` for `entry`.
    fn lane(&self, cut: usize, exit: f64, entry: f64) -> Lane {
        let pairs = &self.crossings[cut];
        let index = pairs
            .binary_search_by(|p| p.0.total_cmp(&exit).then(p.1.total_cmp(&entry)))
            .expect("every crossing was counted from the same points");
        Lane {
            from_left: index,
            from_right: pairs.len().saturating_sub(index + 1),
        }
    }

    /// The width of the corridor after a band.
    fn corridor(&self, band: usize) -> f64 {
        let count = self.crossings.get(band).map_or(0, Vec::len);
        RANK_SPACING + LANE_GAP * count.saturating_sub(1) as f64
    }
}

/// A route's place among the routes crossing one cut, counted from both sides.
struct Lane {
    from_left: usize,
    from_right: usize,
}

impl Lane {
    /// Below the band: the leftmost route goes deepest, so no route's turn crosses
    /// another's descent.
    fn depth(&self) -> f64 {
        LANE_OFFSET + LANE_GAP * self.from_right as f64
    }

    /// In the corridor, from the band's right edge: the leftmost route furthest out.
    fn across(&self) -> f64 {
        RANK_SPACING / 2.0 + LANE_GAP * self.from_right as f64
    }

    /// Above the bands: the leftmost route lowest.
    fn height(&self) -> f64 {
        LANE_OFFSET + LANE_GAP * self.from_left as f64
    }
}

fn moved(rect: Rect, (dx, dy): (f64, f64)) -> Rect {
    Rect {
        x: rect.x + dx,
        y: rect.y + dy,
        ..rect
    }
}
