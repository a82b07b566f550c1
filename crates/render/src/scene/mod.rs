//! From a checked design to a scene: what each box says, how big it is, and where the
//! layout engine put it. The SVG and the geometry JSON are both written from a scene, so
//! they always agree.
//!
//! The driver here; `direction` lays the design out each way and keeps the drawing that
//! reads best, `node` says what a component box holds and how big it is
//! (`anatomy` its figures), `links` the links and relations with their labels and
//! parallel links apart, `legend` the legend, `findings` the badges and the list.

pub mod anatomy;
mod direction;
mod findings;
mod legend;
mod links;
mod node;

use super::text::{self, Weight};
use super::{Engine, RenderError};
use anatomy::*;
use hld_layout::{Direction, Input, Readability, Rect};
use hld_model::values::ops::Value as Ops;
use hld_model::{Compilation, GroupKind, Kind, Model, Value, attr};
use hld_syntax::diagnostics::Severity;

pub use direction::{AUTO_LIMIT, Considered, DirectionAsked, Previous};
pub use findings::{FindingItem, FindingsList};
pub use legend::{LEGEND_SAMPLE, Legend, LegendLine, legend_entries, legend_line_entries};
pub use node::{badge_width, shape_allowance, shape_inset};

#[derive(Clone)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub title: Option<Title>,
    pub direction: Direction,
    /// The bands the drawing is folded into (1: not folded).
    pub bands: usize,
    /// How well the drawing reads (the geometry JSON's `readability`); measured when
    /// `auto` chose among drawings or [`Options::measure`] asked.
    pub readability: Option<Readability>,
    pub groups: Vec<GroupBox>,
    pub nodes: Vec<NodeBox>,
    pub links: Vec<LinkPath>,
    /// What attributes relate (`dlq`, `caches`), drawn apart from the links.
    pub relations: Vec<RelationPath>,
    pub findings: Vec<FindingBadge>,
    /// Every finding, numbered as its badge, at the foot of the picture.
    pub findings_list: Option<FindingsList>,
    /// The kinds drawn, in `Kind::ALL` order, when a legend was asked for.
    pub legend: Option<Legend>,
    /// A flow or a scenario drawn over the design, with its caption's top.
    pub overlay: Option<(super::focus::Overlay, f64)>,
}

#[derive(Clone)]
pub struct Title {
    pub text: String,
    pub description: Option<String>,
}

impl Title {
    /// The design's title, with its header's `description`.
    fn of(model: &Model) -> Option<Title> {
        model.title.as_ref().map(|text| Title {
            text: text.clone(),
            description: model
                .header
                .get(attr::DESCRIPTION)
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }

    /// The room a title takes above the drawing.
    fn height(title: &Option<Title>) -> f64 {
        match title {
            Some(t) if t.description.is_some() => 64.0,
            Some(_) => 44.0,
            None => 0.0,
        }
    }
}

#[derive(Clone)]
pub struct GroupBox {
    pub id: String,
    pub kind: GroupKind,
    pub label: String,
    pub rect: Rect,
}

#[derive(Clone)]
pub struct NodeBox {
    pub id: String,
    pub kind: Kind,
    pub label: String,
    /// The engine, or the kind when no engine is named.
    pub detail: String,
    /// `×3`, `×2–10` (autoscaled), or nothing for a single instance.
    pub replicas: Option<String>,
    /// Shards or partitions, and the consistency of a data component.
    pub badges: Vec<String>,
    /// The whole box including the stacked shadows of replicas.
    pub rect: Rect,
    /// The front face, where the label is drawn.
    pub face: Rect,
    pub tooltip: String,
}

#[derive(Clone)]
pub struct LinkPath {
    pub from: String,
    pub to: String,
    pub points: Vec<(f64, f64)>,
    pub sync: bool,
    pub bidirectional: bool,
    /// Whether runs between ranks are drawn as curves (hld's routes), or the points
    /// are already a sampled curve (layout-rs's).
    pub curved: bool,
    /// Drawn once for links joining the same two components: on the first of them.
    pub label: Option<(String, Rect)>,
    /// This link's own label or protocol, for its tooltip (a self-loop's label has no
    /// place of its own in the layout).
    pub text: Option<String>,
    /// The plane it is on when it carries no requests: `replicate` or `control`.
    pub plane: Option<Ops>,
}

/// A relation an attribute states (a queue's `dlq`, a cache's `caches`): laid out like
/// an edge, so the two sit together, but no link: it carries no requests.
#[derive(Clone)]
pub struct RelationPath {
    /// `dlq` or `caches`: the attribute, and the SVG class (docs/cli.md).
    pub class: &'static str,
    /// What the line means, for its tooltip (the model's relation table).
    pub tooltip: &'static str,
    pub from: String,
    pub to: String,
    pub points: Vec<(f64, f64)>,
    pub curved: bool,
}

#[derive(Clone)]
pub struct FindingBadge {
    /// Its item's number in the findings list.
    pub number: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub element: String,
    pub message: String,
    pub center: (f64, f64),
}

#[derive(Clone)]
pub struct Options {
    pub findings: bool,
    pub legend: bool,
    pub engine: Engine,
    /// The direction asked for outside the design (see [`DirectionAsked`]).
    pub direction: DirectionAsked,
    /// A flow or scenario to draw over the design.
    pub focus: Option<super::focus::Focus>,
    /// An earlier drawing to stay near (watch mode, the playground).
    pub previous: Option<std::sync::Arc<Previous>>,
    /// Measure how the drawing reads even when nothing was chosen between (the geometry
    /// JSON reports it).
    pub measure: bool,
}

/// What the layout engine is given for a design: each component's box sized for its
/// text, groups with room for their titles, links with their labels' sizes.
/// (`auto` lays out `right`, as for a design too large to lay out twice.)
pub fn layout_input(compilation: &Compilation, options: &Options) -> Input {
    let direction = direction::stated(&compilation.model, options).unwrap_or(Direction::Right);
    direction::prepare(&compilation.model, direction).input
}

/// Every drawing the direction's choice lays out for this design, and how each reads
/// (for the tests and benchmarks that hold `auto` to its measure).
pub fn considered(
    compilation: &Compilation,
    options: &Options,
) -> Result<Vec<Considered>, RenderError> {
    let model = &compilation.model;
    let title = Title::of(model);
    let top = Title::height(&title);
    let prepared = direction::prepare(model, Direction::Right);
    let options = Options {
        measure: true,
        ..options.clone()
    };
    Ok(direction::choose(model, &options, prepared.input, (&title, top))?.considered)
}

pub fn build(compilation: &Compilation, options: &Options) -> Result<Scene, RenderError> {
    let model = &compilation.model;
    let title = Title::of(model);
    let top = Title::height(&title);
    let prepared = direction::prepare(model, Direction::Right);
    let chosen = direction::choose(model, options, prepared.input, (&title, top))?;
    let (direction, geometry) = (chosen.direction, chosen.geometry);
    let shift = |r: Rect| Rect { y: r.y + top, ..r };
    let nodes: Vec<NodeBox> = (model.components.iter().zip(prepared.contents).enumerate())
        .map(|(i, (component, content))| content.place(component, shift(geometry.nodes[i])))
        .collect();
    let groups: Vec<GroupBox> = (model.groups.iter().zip(&geometry.groups))
        .map(|(g, &rect)| GroupBox {
            id: g.id.clone(),
            kind: g.kind,
            label: g.name().to_owned(),
            rect: shift(rect),
        })
        .collect();
    let curved = options.engine == Engine::Hld;
    let mut links = links::links(model, &geometry, &prepared.labels, (top, curved));
    links::separate_parallel_links(&mut links, direction);
    let relations = links::relations(model, &geometry, (top, curved));
    let mut width = geometry.width.max(title_width(&title));
    let mut height = geometry.height + top;
    let legend = options.legend.then(|| {
        let legend = Legend::of(model, &links, &relations, height);
        width = width.max(legend.width());
        height += LEGEND_HEIGHT;
        legend
    });
    let (findings, findings_list) = if options.findings {
        let drawn = (&nodes[..], &groups[..], &links[..]);
        findings::findings(compilation, drawn, (height, width), geometry.height)
    } else {
        (Vec::new(), None)
    };
    if let Some(list) = &findings_list {
        width = width.max(LIST_MIN_WIDTH);
        height = list.bottom();
    }
    let mut scene = Scene {
        width: width.ceil(),
        height: height.ceil(),
        title,
        direction,
        bands: chosen.bands,
        readability: chosen.readability,
        groups,
        nodes,
        links,
        relations,
        findings,
        findings_list,
        legend,
        overlay: None,
    };
    if let Some(focus) = options.focus {
        focus_on(&mut scene, model, focus);
    }
    Ok(scene)
}

/// Draws a flow or scenario over a built scene, with room for its caption below.
pub fn focus_on(scene: &mut Scene, model: &Model, focus: super::focus::Focus) {
    let overlay = super::focus::overlay(model, focus, &scene.links, &scene.nodes);
    overlay_on(scene, overlay);
}

/// Draws an overlay over a built scene, with room for its caption below.
pub fn overlay_on(scene: &mut Scene, overlay: super::focus::Overlay) {
    let top = scene.height;
    let mut width = scene.width;
    for line in &overlay.caption {
        width = width.max(text::width(line, DESCRIPTION_SIZE, Weight::Regular) + 2.0 * MARGIN);
    }
    scene.width = width.ceil();
    scene.height = (top + CAPTION_LINE * overlay.caption.len() as f64 + MARGIN).ceil();
    scene.overlay = Some((overlay, top));
}

fn title_width(title: &Option<Title>) -> f64 {
    title.as_ref().map_or(0.0, |t| {
        let heading = text::width(&t.text, TITLE_SIZE, Weight::SemiBold);
        let description = t
            .description
            .as_deref()
            .map_or(0.0, |d| text::width(d, DESCRIPTION_SIZE, Weight::Regular));
        heading.max(description) + 2.0 * MARGIN
    })
}
