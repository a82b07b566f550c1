//! Links and relations as drawn: their routes under the title, the label each link
//! shows, and links joining the same two components moved apart.

use std::collections::BTreeMap;

use super::anatomy::{EDGE_LABEL_PADDING, EDGE_LABEL_SIZE};
use super::{LinkPath, RelationPath};
use crate::text::{self, Weight};
use hld_analysis::facts;
use hld_layout::{Direction, Layout, Rect, Size};
use hld_model::Model;
use hld_model::values::ops::Value as Ops;

/// Per link: the label it shows, and whether it draws it (see `link_labels`).
pub(super) type LinkLabels = Vec<Option<(String, bool)>>;

/// Every link on its route, moved down by `top` (the title's room); `curved`: runs
/// between ranks are drawn as curves (hld's routes).
pub(super) fn links(
    model: &Model,
    geometry: &Layout,
    labels: &LinkLabels,
    (top, curved): (f64, bool),
) -> Vec<LinkPath> {
    let shift = |r: Rect| Rect { y: r.y + top, ..r };
    model
        .links
        .iter()
        .zip(&geometry.edges)
        .zip(labels)
        .map(|((link, route), label)| LinkPath {
            from: model.component(link.from).id.clone(),
            to: model.component(link.to).id.clone(),
            points: route.points.iter().map(|&(x, y)| (x, y + top)).collect(),
            sync: facts::link_is_sync(model, link),
            bidirectional: link.bidirectional,
            curved,
            text: link.text().map(str::to_owned),
            label: match (label, route.label) {
                (Some((text, true)), Some(rect)) => Some((text.clone(), shift(rect))),
                _ => None,
            },
            plane: Some(link.ops()).filter(|ops| matches!(ops, Ops::Replicate | Ops::Control)),
        })
        .collect()
}

/// What attributes relate (`dlq`, `caches`), on the routes laid out after the links'.
pub(super) fn relations(
    model: &Model,
    geometry: &Layout,
    (top, curved): (f64, bool),
) -> Vec<RelationPath> {
    model
        .relations()
        .into_iter()
        .zip(&geometry.edges[model.links.len()..])
        .map(|(relation, route)| RelationPath {
            class: relation.kind.attribute.name(),
            tooltip: relation.kind.tooltip,
            from: model.component(relation.from).id.clone(),
            to: model.component(relation.to).id.clone(),
            points: route.points.iter().map(|&(x, y)| (x, y + top)).collect(),
            curved,
        })
        .collect()
}

/// The label each link shows: its `label`, else its `protocol`. Links joining the same
/// two components share one route, so they share one label listing each distinct text;
/// the flag says which link draws it (the first).
pub(super) fn link_labels(model: &Model) -> Vec<Option<(String, bool)>> {
    let mut by_pair: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, link) in model.links.iter().enumerate() {
        let (a, b) = (link.from.index(), link.to.index());
        by_pair.entry((a.min(b), a.max(b))).or_default().push(i);
    }
    let mut labels = vec![None; model.links.len()];
    for members in by_pair.values() {
        let mut texts: Vec<&str> = Vec::new();
        for &i in members {
            if let Some(text) = model.links[i].text().filter(|t| !texts.contains(t)) {
                texts.push(text);
            }
        }
        if texts.is_empty() {
            continue;
        }
        let joined = texts.join(", ");
        for (n, &i) in members.iter().enumerate() {
            labels[i] = Some((joined.clone(), n == 0));
        }
    }
    labels
}

pub(super) fn edge_label_size(text: &str) -> Size {
    Size {
        width: text::width(text, EDGE_LABEL_SIZE, Weight::Regular) + 2.0 * EDGE_LABEL_PADDING,
        height: EDGE_LABEL_SIZE + 2.0 * EDGE_LABEL_PADDING,
    }
}

/// Room between two links that join the same components, so each is seen.
const PARALLEL_GAP: f64 = 8.0;

/// Where a route ends on a component, with the pair the route belongs to.
type PairEnd = (usize, (f64, f64));

/// Links joining the same two components share one route in the layout; each is moved
/// off it across the flow, by its place among them, so every one is drawn on its own,
/// no further than the room its ends have (see `room` below).
pub(super) fn separate_parallel_links(links: &mut [LinkPath], direction: Direction) {
    let mut by_pair: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, link) in links.iter().enumerate() {
        if link.from != link.to {
            let pair = (
                link.from.as_str().min(&link.to),
                link.from.as_str().max(&link.to),
            );
            by_pair.entry(pair).or_default().push(i);
        }
    }
    let offsets: Vec<(usize, f64)> = by_pair
        .values()
        .filter(|members| members.len() > 1)
        .flat_map(|members| {
            let middle = (members.len() - 1) as f64 / 2.0;
            members
                .iter()
                .enumerate()
                .map(move |(k, &i)| (i, (k as f64 - middle) * PARALLEL_GAP))
        })
        .collect();
    // Per link, the first link of its pair (itself when it has no parallel).
    let mut pair_of: Vec<usize> = (0..links.len()).collect();
    for members in by_pair.values() {
        for &i in members {
            pair_of[i] = members[0];
        }
    }
    // Per component, where routes end on it, with the pair each belongs to.
    let mut ends_at: BTreeMap<String, Vec<PairEnd>> = BTreeMap::new();
    for (j, link) in links.iter().enumerate() {
        for (node, end) in [
            (&link.from, link.points.first()),
            (&link.to, link.points.last()),
        ] {
            if let Some(&end) = end {
                ends_at
                    .entry(node.clone())
                    .or_default()
                    .push((pair_of[j], end));
            }
        }
    }
    for (i, offset) in offsets {
        // Other routes meeting the node close by (ports packed along a busy side) leave
        // less room: the pair moves at most a third of the way to the nearest, so it
        // never crosses them where they converge.
        let room = |node: &str, end: Option<&(f64, f64)>| {
            let Some(end) = end else {
                return f64::INFINITY;
            };
            ends_at[node]
                .iter()
                .filter(|(pair, _)| *pair != pair_of[i])
                .map(|(_, p)| (p.0 - end.0).hypot(p.1 - end.1))
                .fold(f64::INFINITY, f64::min)
        };
        let link = &links[i];
        let room = room(&link.from, link.points.first()).min(room(&link.to, link.points.last()));
        let offset = offset.clamp(-room / 3.0, room / 3.0);
        for point in &mut links[i].points {
            match direction {
                Direction::Right => point.1 += offset,
                Direction::Down => point.0 += offset,
            }
        }
    }
}

/// The point halfway along a route.
pub(super) fn halfway(points: &[(f64, f64)]) -> (f64, f64) {
    let length = |a: (f64, f64), b: (f64, f64)| ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    let total: f64 = points.windows(2).map(|p| length(p[0], p[1])).sum();
    let mut left = total / 2.0;
    for pair in points.windows(2) {
        let step = length(pair[0], pair[1]);
        if step >= left && step > 0.0 {
            let t = left / step;
            return (
                pair[0].0 + (pair[1].0 - pair[0].0) * t,
                pair[0].1 + (pair[1].1 - pair[0].1) * t,
            );
        }
        left -= step;
    }
    points.first().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::halfway;

    /// Halfway by length, not by points: along an L of 30 then 10, at 20 on the first leg.
    #[test]
    fn halfway_is_measured_along_the_route() {
        assert_eq!(
            halfway(&[(0.0, 0.0), (30.0, 0.0), (30.0, 10.0)]),
            (20.0, 0.0)
        );
        assert_eq!(halfway(&[(5.0, 5.0)]), (5.0, 5.0));
        assert_eq!(halfway(&[]), (0.0, 0.0));
    }
}
