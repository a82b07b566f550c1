//! The legend: a glyph per kind drawn, then a sample of each line style.

use super::anatomy::{DETAIL_SIZE, ICON, MARGIN};
use super::{LinkPath, RelationPath};
use crate::text::{self, Weight};
use hld_model::values::ops::Value as Ops;
use hld_model::{Kind, Model};

#[derive(Clone)]
pub struct Legend {
    pub y: f64,
    pub kinds: Vec<Kind>,
    /// The line samples after the kinds: `sync`, `async`, then the planes and
    /// relations the design has.
    pub lines: Vec<LegendLine>,
}

/// A line style the legend shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendLine {
    Sync,
    Async,
    /// `replicate` or `control`.
    Plane(Ops),
    /// A relation's attribute: `dlq` or `caches`.
    Relation(&'static str),
}

impl LegendLine {
    /// Its name in the legend, the class of the lines it samples.
    pub fn name(self) -> &'static str {
        match self {
            LegendLine::Sync => "sync",
            LegendLine::Async => "async",
            LegendLine::Plane(ops) => ops.as_str(),
            LegendLine::Relation(class) => class,
        }
    }
}

/// Room for one legend entry per kind and the line styles.
pub fn legend_entries(kinds: &[Kind]) -> Vec<(f64, f64)> {
    let mut x = MARGIN;
    let mut entries = Vec::new();
    for kind in kinds {
        let width = ICON + 6.0 + text::width(kind.as_str(), DETAIL_SIZE, Weight::Regular) + 16.0;
        entries.push((x, width));
        x += width;
    }
    entries
}

/// Where each line sample (`sync`, `async`, ...) starts after the kinds, and its width:
/// the sample, then its name.
pub fn legend_line_entries(legend: &Legend) -> Vec<(f64, f64)> {
    let kinds = legend_entries(&legend.kinds);
    let mut x = kinds.last().map_or(MARGIN, |(x, w)| x + w);
    let mut entries = Vec::new();
    for line in &legend.lines {
        let width =
            LEGEND_SAMPLE + 6.0 + text::width(line.name(), DETAIL_SIZE, Weight::Regular) + 16.0;
        entries.push((x, width));
        x += width;
    }
    entries
}

/// The length of a legend's line sample.
pub const LEGEND_SAMPLE: f64 = 36.0;

impl Legend {
    /// The legend of what the picture draws, at `y`: each kind drawn, both modes, and
    /// each plane and relation drawn.
    pub(super) fn of(
        model: &Model,
        links: &[LinkPath],
        relations: &[RelationPath],
        y: f64,
    ) -> Legend {
        Legend {
            y,
            kinds: Kind::ALL
                .into_iter()
                .filter(|k| model.components.iter().any(|c| c.kind == *k))
                .collect(),
            lines: legend_lines(links, relations),
        }
    }

    pub(super) fn width(&self) -> f64 {
        legend_line_entries(self)
            .last()
            .map_or(MARGIN, |(x, w)| x + w)
            + MARGIN
    }
}

/// The lines a legend shows: both modes, then each plane and relation drawn.
fn legend_lines(links: &[LinkPath], relations: &[RelationPath]) -> Vec<LegendLine> {
    let mut lines = vec![LegendLine::Sync, LegendLine::Async];
    for plane in [Ops::Replicate, Ops::Control] {
        if links.iter().any(|l| l.plane == Some(plane)) {
            lines.push(LegendLine::Plane(plane));
        }
    }
    for class in hld_model::RELATIONS.iter().map(|r| r.attribute.name()) {
        if relations.iter().any(|r| r.class == class) {
            lines.push(LegendLine::Relation(class));
        }
    }
    lines
}
