//! The direction and folding of the drawing: as the design or hld.toml states, else
//! each way laid out, plain and folded, and the one that reads best kept (its
//! readability: edge length, backward runs, bends, crossings; `hld_layout::readability`).

use super::anatomy::GROUP_LABEL_SIZE;
use super::links::{self, LinkLabels};
use super::node::Content;
use super::{Options, Title, title_width};
use crate::text::{self, Weight};
use crate::{Engine, RenderError};
use hld_layout::{
    Direction, EdgeSpec, GroupSpec, Hint, Input, Layout, NodeSpec, Readability, Size,
};
use hld_model::Model;
use hld_model::values::direction::Value as Stated;
use std::collections::HashMap;

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
/// that reads best; a larger one is laid out `right` only, to keep to the time budget
/// (laying out twice doubles the cost).
pub const AUTO_LIMIT: usize = 1_000;

/// `auto` lays each way out plain and folded into 2 and 3 bands (one ranking and
/// ordering for all three) and keeps the drawing that reads best (the least readability
/// score) among those of a shape people can use: a fold only when it reads better than
/// both plain drawings, as a deep design (a long request path, a component or two wide)
/// can.
const BANDS: [usize; 3] = [1, 2, 3];

/// The widest or tallest page shape `auto` draws, unless nothing else fits.
const PAGE_SHAPE: f64 = 4.0;

fn within_page_shape(ratio: f64) -> bool {
    (1.0 / PAGE_SHAPE..=PAGE_SHAPE).contains(&ratio)
}

/// An earlier drawing of the design (watch's and the playground's picture before a
/// save): which way it was drawn, in how many bands, and where each component's box
/// was (by id). A drawing made near it keeps its way and its boxes' places
/// ([`hld_layout::Hint`]) unless another way reads far better.
#[derive(Clone, Debug, PartialEq)]
pub struct Previous {
    pub direction: Direction,
    pub bands: usize,
    pub centres: HashMap<String, (f64, f64)>,
    /// Each link's route, by its ends' ids and its place among the links between them.
    pub routes: HashMap<(String, String, usize), Vec<(f64, f64)>>,
}

impl Previous {
    pub fn of(scene: &super::Scene) -> Previous {
        let centre = |r: &hld_layout::Rect| (r.x + r.width / 2.0, r.y + r.height / 2.0);
        let mut routes = HashMap::new();
        for link in &scene.links {
            let ends = (link.from.clone(), link.to.clone());
            let nth = (0..).find(|&n| !routes.contains_key(&(ends.0.clone(), ends.1.clone(), n)));
            let key = (ends.0, ends.1, nth.expect("a free place"));
            routes.insert(key, link.points.clone());
        }
        Previous {
            direction: scene.direction,
            bands: scene.bands,
            centres: (scene.nodes.iter())
                .map(|node| (node.id.clone(), centre(&node.rect)))
                .collect(),
            routes,
        }
    }

    /// The layout's hint for `model` drawn `direction`: none if it was drawn the other
    /// way, or if it drew fewer than half of the design's components (another design,
    /// not an edit of this one).
    fn hint(&self, model: &Model, direction: Direction) -> Option<Hint> {
        let known = (model.components.iter())
            .filter(|c| self.centres.contains_key(&c.id))
            .count();
        if self.direction != direction || known * 2 < model.components.len() {
            return None;
        }
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        let routes = (model.links.iter())
            .map(|link| {
                let ends = (
                    model.component(link.from).id.as_str(),
                    model.component(link.to).id.as_str(),
                );
                let nth = seen.entry(ends).or_default();
                let key = (ends.0.to_owned(), ends.1.to_owned(), *nth);
                *nth += 1;
                self.routes.get(&key).cloned().unwrap_or_default()
            })
            .collect();
        Some(Hint {
            centres: (model.components.iter())
                .map(|c| self.centres.get(&c.id).copied())
                .collect(),
            routes,
        })
    }
}

/// `auto` keeps the way an earlier drawing was drawn unless another reads this many
/// times better (its readability score a fraction of it): a save should not turn the
/// picture over for a small gain.
const KEEP_EARLIER: f64 = 2.0;

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
    /// Outside the page shape, then the readability score.
    score: (bool, f64),
    bands: usize,
    down: bool,
    /// Unmeasured when nothing is chosen between and nobody asked (see [`Options::measure`]).
    readability: Option<Readability>,
}

impl Candidate {
    /// Better scored, or as good and plainer (fewer bands, then right before down).
    fn beats(&self, other: &Candidate) -> bool {
        match self.score.partial_cmp(&other.score).expect("finite scores") {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => (self.bands, self.down) < (other.bands, other.down),
        }
    }
}

/// The drawing kept, how it was drawn and how well it reads.
pub(super) struct Chosen {
    pub direction: Direction,
    pub bands: usize,
    pub readability: Option<Readability>,
    pub geometry: Layout,
    /// Every drawing laid out, in the order tried.
    pub considered: Vec<Considered>,
}

/// A drawing `auto` laid out: which way, in how many bands, its shape (width ÷ height,
/// the title included) and how well it reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Considered {
    pub direction: Direction,
    pub bands: usize,
    pub ratio: f64,
    pub readability: Readability,
}

/// The drawing kept: laid out as the design or hld.toml states, else each way plain and
/// folded (see `BANDS`), the page's shape counted with the title's width and height
/// (`title`).
pub(super) fn choose(
    model: &Model,
    options: &Options,
    mut input: Input,
    (title, top): (&Option<Title>, f64),
) -> Result<Chosen, RenderError> {
    // Within the page shape first, then the least readability score; on a tie, the
    // plainer drawing, right before down. Candidates are scored as they are made and
    // only the best is kept: a dense graph's routes run to hundreds of MB each.
    let ratio = |geometry: &Layout| {
        geometry.width.max(title_width(title)).max(1.0) / (geometry.height + top).max(1.0)
    };
    let mut best: Option<(Candidate, Layout)> = None;
    let mut earlier: Option<(Candidate, Layout)> = None;
    let mut considered = Vec::new();
    let previous = options.previous.as_deref();
    let stated = stated(model, options);
    // A drawing is measured when it is chosen among others or when the output reports
    // the measure: counting a large drawing's crossings cost as much as laying it out.
    let choice = stated.is_none() && model.components.len() <= AUTO_LIMIT;
    let measure = choice || options.measure;
    let mut lay_out = |direction, bands: &[usize], near: bool| -> Result<(), RenderError> {
        input.direction = direction;
        let hint = previous
            .filter(|_| near)
            .and_then(|p| p.hint(model, direction));
        let mut keep = |bands: usize, geometry: Layout| {
            let readability = measure.then(|| hld_layout::readability(&geometry, direction));
            let ratio = ratio(&geometry);
            if let Some(readability) = readability {
                considered.push(Considered {
                    direction,
                    bands,
                    ratio,
                    readability,
                });
            }
            let score = readability.map_or(0.0, |r| r.score);
            let candidate = Candidate {
                score: (!within_page_shape(ratio), score),
                bands,
                down: direction == Direction::Down,
                readability,
            };
            if hint.is_some() {
                earlier = Some((candidate, geometry));
            } else if best.as_ref().is_none_or(|(kept, _)| candidate.beats(kept)) {
                best = Some((candidate, geometry));
            }
        };
        match options.engine {
            Engine::Hld => {
                let drawings = hld_layout::layouts_near(&input, bands, hint.as_ref())
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
    match stated {
        Some(direction) => lay_out(direction, &[1], true)?,
        None if !choice => lay_out(Direction::Right, &[1], true)?,
        None => {
            if let Some(previous) = previous {
                lay_out(previous.direction, &[previous.bands], true)?;
            }
            lay_out(Direction::Right, &BANDS, false)?;
            lay_out(Direction::Down, &BANDS, false)?;
        }
    }
    let (candidate, geometry) = match (earlier, best) {
        (Some(earlier), Some(best)) if !reads_far_better(&best.0, &earlier.0) => earlier,
        (earlier, best) => best.or(earlier).expect("one drawing at least"),
    };
    Ok(Chosen {
        direction: if candidate.down {
            Direction::Down
        } else {
            Direction::Right
        },
        bands: candidate.bands,
        readability: candidate.readability,
        geometry,
        considered,
    })
}

/// Whether `other` is worth leaving an earlier drawing's way for: within the page
/// shape (or the earlier is not) and [`KEEP_EARLIER`] times better read.
fn reads_far_better(other: &Candidate, earlier: &Candidate) -> bool {
    (other.score.0, other.score.1 * KEEP_EARLIER) < (earlier.score.0, earlier.score.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Up to 4:1 either way is a page people can use.
    #[test]
    fn the_page_shape_is_four_to_one_either_way() {
        assert!(within_page_shape(4.0) && within_page_shape(0.25) && within_page_shape(1.0));
        assert!(!within_page_shape(4.1) && !within_page_shape(0.24));
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
