//! The direction and folding of the drawing: as the design or hld.toml states, else
//! each way laid out and the one closest to 16:9 kept.

use super::anatomy::GROUP_LABEL_SIZE;
use super::links::{self, LinkLabels};
use super::node::Content;
use super::{Options, Title, title_width};
use crate::text::{self, Weight};
use crate::{Engine, RenderError};
use hld_layout::{Direction, EdgeSpec, GroupSpec, Input, Layout, NodeSpec, Size};
use hld_model::Model;
use hld_model::values::direction::Value as Stated;

/// A direction asked for outside the design: a `--direction` flag, and hld.toml's
/// `direction`. The design's own stands between them ([`resolve`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirectionAsked {
    pub flag: Option<Stated>,
    pub config: Option<Stated>,
}

/// The one way every front end chooses the direction: the flag, else the design's
/// `direction`, else hld.toml's; `auto` (or nothing stated) leaves hld to choose (`None`).
pub fn resolve(
    flag: Option<Stated>,
    design: Option<Stated>,
    config: Option<Stated>,
) -> Option<Direction> {
    match flag.or(design).or(config)? {
        Stated::Right => Some(Direction::Right),
        Stated::Down => Some(Direction::Down),
        Stated::Auto => None,
    }
}

/// The direction the options and the design's header state; `None` for `auto`.
pub(super) fn stated(model: &Model, options: &Options) -> Option<Direction> {
    let asked = options.direction;
    resolve(asked.flag, model.header.value(), asked.config)
}

/// `auto` lays a design out both ways up to this many components and keeps the drawing
/// closer to 16:9; a larger one is laid out `right` only, to keep to the time budget
/// (laying out twice doubles the cost).
pub const AUTO_LIMIT: usize = 1_000;

/// `auto` lays each way out plain and folded into 2 and 3 bands (one ranking and
/// ordering for all three) and keeps a drawing within 2.5:1 if there is one, the one
/// closest to 16:9 on a log scale, each cut counting as `FOLD_COST` farther: a fold
/// reads less easily than a straight flow, so it is drawn only when it is clearly closer
/// (e^0.6 ≈ 1.8 times in aspect ratio per cut). A deep design (a long request path, a
/// component or two wide) is a strip either way plain, and folds.
const BANDS: [usize; 3] = [1, 2, 3];

const FOLD_COST: f64 = 0.6;

const TOLERANCE: f64 = 2.5;

fn within_tolerance(ratio: f64) -> bool {
    (1.0 / TOLERANCE..=TOLERANCE).contains(&ratio)
}

/// How far an aspect ratio is from 16:9, on a log scale (2:1 and 1:2 of it are as far).
fn distance_from_widescreen(ratio: f64) -> f64 {
    (ratio.ln() - (16.0f64 / 9.0).ln()).abs()
}

/// What the layout is given, with what each box and link says.
pub(super) struct Prepared {
    pub input: Input,
    pub contents: Vec<Content>,
    pub labels: LinkLabels,
}

pub(super) fn prepare(model: &Model, direction: Direction) -> Prepared {
    let contents: Vec<Content> = model.components.iter().map(Content::new).collect();
    let labels = links::link_labels(model);
    let input = Input {
        direction,
        nodes: model
            .components
            .iter()
            .zip(&contents)
            .map(|(c, content)| NodeSpec {
                size: content.size,
                group: c.group,
            })
            .collect(),
        groups: model
            .groups
            .iter()
            .map(|g| GroupSpec {
                parent: g.parent,
                label: Size {
                    width: text::width(g.name(), GROUP_LABEL_SIZE, Weight::SemiBold) + 8.0,
                    height: GROUP_LABEL_SIZE + 8.0,
                },
            })
            .collect(),
        edges: model
            .links
            .iter()
            .enumerate()
            .map(|(i, link)| EdgeSpec {
                from: link.from.index(),
                to: link.to.index(),
                label: labels[i]
                    .as_ref()
                    .map(|(text, _)| links::edge_label_size(text)),
            })
            .chain(model.relations().into_iter().map(|relation| EdgeSpec {
                from: relation.from.index(),
                to: relation.to.index(),
                label: None,
            }))
            .collect(),
    };
    Prepared {
        input,
        contents,
        labels,
    }
}

/// One way of drawing the design, as the choice among them sees it.
struct Candidate {
    /// Outside the tolerated aspect, then the distance from 16:9 with folds counted.
    score: (bool, f64),
    bands: usize,
    down: bool,
}

impl Candidate {
    /// Better scored, or as good and plainer (fewer bands, then right before down).
    fn beats(&self, other: &Candidate) -> bool {
        match self.score.partial_cmp(&other.score).expect("finite ratios") {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => (self.bands, self.down) < (other.bands, other.down),
        }
    }
}

/// The drawing kept: laid out as the design or hld.toml states, else each way plain and
/// folded (see `BANDS`), scored with the title's width and height (`title`).
pub(super) fn choose(
    model: &Model,
    options: &Options,
    mut input: Input,
    (title, top): (&Option<Title>, f64),
) -> Result<(Direction, Layout), RenderError> {
    // Within 2.5:1 first, then the closest to 16:9, each cut counting as `FOLD_COST`
    // farther; on a tie, the plainer drawing, right before down. Candidates are scored
    // as they are made and only the best is kept: a dense graph's routes run to
    // hundreds of MB each.
    let score = |bands: usize, geometry: &Layout| {
        let ratio =
            geometry.width.max(title_width(title)).max(1.0) / (geometry.height + top).max(1.0);
        let cost = distance_from_widescreen(ratio) + FOLD_COST * (bands - 1) as f64;
        (!within_tolerance(ratio), cost)
    };
    let mut best: Option<(Candidate, Layout)> = None;
    let mut lay_out = |direction, bands: &[usize]| -> Result<(), RenderError> {
        input.direction = direction;
        let mut keep = |bands: usize, geometry: Layout| {
            let candidate = Candidate {
                score: score(bands, &geometry),
                bands,
                down: direction == Direction::Down,
            };
            if best.as_ref().is_none_or(|(kept, _)| candidate.beats(kept)) {
                best = Some((candidate, geometry));
            }
        };
        match options.engine {
            Engine::Hld => {
                let drawings = hld_layout::layouts(&input, bands)
                    .map_err(|too_dense| RenderError::Layout(too_dense.to_string()))?;
                for (geometry, &bands) in drawings.zip(bands) {
                    keep(bands, geometry);
                }
            }
            Engine::LayoutRs => keep(
                1,
                hld_layout::flat::layout(&input).map_err(RenderError::Layout)?,
            ),
        }
        Ok(())
    };
    match stated(model, options) {
        Some(direction) => lay_out(direction, &[1])?,
        None if model.components.len() > AUTO_LIMIT => lay_out(Direction::Right, &[1])?,
        None => {
            lay_out(Direction::Right, &BANDS)?;
            lay_out(Direction::Down, &BANDS)?;
        }
    }
    let (Candidate { down, .. }, geometry) = best.expect("one drawing at least");
    let direction = if down {
        Direction::Down
    } else {
        Direction::Right
    };
    Ok((direction, geometry))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 16:9 itself is no distance; 2:1 beyond it and 2:1 short of it are as far; within
    /// 2.5:1 either way is tolerated.
    #[test]
    fn aspect_ratios_are_judged_on_a_log_scale() {
        let widescreen = 16.0 / 9.0;
        assert!(distance_from_widescreen(widescreen) < 1e-12);
        let (wider, narrower) = (widescreen * 2.0, widescreen / 2.0);
        assert!(
            (distance_from_widescreen(wider) - distance_from_widescreen(narrower)).abs() < 1e-12
        );
        assert!(within_tolerance(2.5) && within_tolerance(0.4));
        assert!(!within_tolerance(2.6) && !within_tolerance(0.39));
    }

    /// The flag, then the design, then hld.toml; `auto` stated first wins too.
    #[test]
    fn the_flag_beats_the_design_which_beats_the_config() {
        use Stated::{Auto, Down, Right};
        assert_eq!(
            resolve(Some(Right), Some(Down), Some(Down)),
            Some(Direction::Right)
        );
        assert_eq!(
            resolve(None, Some(Down), Some(Right)),
            Some(Direction::Down)
        );
        assert_eq!(resolve(None, None, Some(Down)), Some(Direction::Down));
        assert_eq!(resolve(Some(Auto), Some(Down), None), None);
        assert_eq!(resolve(None, Some(Auto), Some(Down)), None);
        assert_eq!(resolve(None, None, None), None);
    }
}
