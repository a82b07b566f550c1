//! From a checked design to a scene: what each box says, how big it is, and where the
//! layout engine put it. The SVG and the geometry JSON are both written from a scene, so
//! they always agree.

use hld_model::values::ops::Value as Ops;
use std::collections::BTreeMap;

use super::text::{self, Weight};
use super::{Engine, RenderError};
use hld_analysis::facts;
use hld_layout::{self, Direction, EdgeSpec, GroupSpec, Input, NodeSpec, Rect, Size};
use hld_model::Compilation;
use hld_model::kind::Outline;
use hld_model::{Component, GroupKind, Kind, Model, Value};
use hld_syntax::diagnostics::{Severity, Subject};

/// The anatomy of a component box, in user units; the SVG emitter draws with the same
/// figures the sizes are computed from.
pub mod anatomy {
    pub const LABEL_SIZE: f64 = 14.0;
    pub const DETAIL_SIZE: f64 = 11.5;
    pub const BADGE_SIZE: f64 = 10.5;
    pub const PADDING: f64 = 12.0;
    pub const ICON: f64 = 22.0;
    pub const ICON_GAP: f64 = 10.0;
    pub const LINE: f64 = 18.0;
    pub const BADGE_HEIGHT: f64 = 16.0;
    pub const BADGE_PADDING: f64 = 5.0;
    pub const BADGE_GAP: f64 = 4.0;
    pub const MIN_WIDTH: f64 = 132.0;
    /// How far each shadow of a replicated component is offset.
    pub const STACK_OFFSET: f64 = 4.0;
    /// Extra room on top of a cylinder (database) for its lid.
    pub const LID: f64 = 8.0;
    pub const EDGE_LABEL_SIZE: f64 = 11.0;
    pub const EDGE_LABEL_PADDING: f64 = 4.0;
    pub const GROUP_LABEL_SIZE: f64 = 12.0;
    pub const TITLE_SIZE: f64 = 20.0;
    pub const DESCRIPTION_SIZE: f64 = 12.0;
    pub const MARGIN: f64 = 16.0;
    pub const LEGEND_HEIGHT: f64 = 44.0;
    /// One line of a flow's or scenario's caption.
    pub const CAPTION_LINE: f64 = 18.0;
    /// One line of the findings list, and its heading.
    pub const LIST_LINE: f64 = 17.0;
    pub const LIST_HEADING: f64 = 26.0;
    /// Where an item's text starts, after its numbered circle.
    pub const LIST_INDENT: f64 = 26.0;
    /// The list wraps at the picture's width, or this for a narrow picture; a column
    /// of a long list is this wide.
    pub const LIST_MIN_WIDTH: f64 = 560.0;
    /// A list taller than this and a quarter of the drawing goes into columns.
    pub const LIST_MIN_HEIGHT: f64 = 400.0;
    /// The radius of a flow step's number.
    pub const STEP_RADIUS: f64 = 9.0;
}

use anatomy::*;
use hld_model::{Attr, attr, values};

#[derive(Clone)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub title: Option<Title>,
    pub direction: Direction,
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
    /// From hld.toml (`None`: `auto`); the design's own `direction` wins.
    pub direction: Option<Direction>,
    /// A flow or scenario to draw over the design.
    pub focus: Option<super::focus::Focus>,
}

/// What the layout engine is given for a design: each component's box sized for its
/// text, groups with room for their titles, links with their labels' sizes.
/// (`auto` lays out `right`, as for a design too large to lay out twice.)
pub fn layout_input(compilation: &Compilation, options: &Options) -> Input {
    let direction = stated_direction(&compilation.model, options).unwrap_or(Direction::Right);
    prepare(&compilation.model, direction).0
}

type LinkLabels = Vec<Option<(String, bool)>>;

/// The direction the design's header states, else hld.toml's; `None` for `auto`.
fn stated_direction(model: &Model, options: &Options) -> Option<Direction> {
    match model.header.symbol(attr::DIRECTION) {
        Some(values::direction::DOWN) => Some(Direction::Down),
        Some(values::direction::RIGHT) => Some(Direction::Right),
        Some(_) => None,
        None => options.direction,
    }
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

fn prepare(model: &Model, direction: Direction) -> (Input, Vec<Content>, LinkLabels) {
    let contents: Vec<Content> = model.components.iter().map(Content::new).collect();
    let labels = link_labels(model);
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
                label: labels[i].as_ref().map(|(text, _)| edge_label_size(text)),
            })
            .chain(model.relations().into_iter().map(|relation| EdgeSpec {
                from: relation.from.index(),
                to: relation.to.index(),
                label: None,
            }))
            .collect(),
    };
    (input, contents, labels)
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

pub fn build(compilation: &Compilation, options: &Options) -> Result<Scene, RenderError> {
    let model = &compilation.model;
    let title = model.title.as_ref().map(|text| Title {
        text: text.clone(),
        description: model
            .header
            .get(attr::DESCRIPTION)
            .and_then(Value::as_str)
            .map(str::to_owned),
    });
    let top = match &title {
        Some(t) if t.description.is_some() => 64.0,
        Some(_) => 44.0,
        None => 0.0,
    };
    // The boxes and labels do not depend on the direction; each way is laid out plain
    // and folded into each of `bands`.
    let (mut input, contents, labels) = prepare(model, Direction::Right);
    // The picture as drawn: under its title, at least as wide as it. Within 2.5:1
    // first, then the closest to 16:9, each cut counting as `FOLD_COST` farther; on a
    // tie, the plainer drawing, right before down. Candidates are scored as they are
    // made and only the best is kept: a dense graph's routes run to hundreds of MB each.
    let score = |bands: usize, geometry: &hld_layout::Layout| {
        let ratio =
            geometry.width.max(title_width(&title)).max(1.0) / (geometry.height + top).max(1.0);
        let cost = distance_from_widescreen(ratio) + FOLD_COST * (bands - 1) as f64;
        (!within_tolerance(ratio), cost)
    };
    let mut best: Option<(Candidate, hld_layout::Layout)> = None;
    let mut lay_out = |direction, bands: &[usize]| -> Result<(), RenderError> {
        input.direction = direction;
        let mut keep = |bands: usize, geometry: hld_layout::Layout| {
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
    match stated_direction(model, options) {
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
    let shift = |r: Rect| Rect { y: r.y + top, ..r };
    let nodes: Vec<NodeBox> = model
        .components
        .iter()
        .zip(contents)
        .enumerate()
        .map(|(i, (component, content))| content.place(component, shift(geometry.nodes[i])))
        .collect();
    let groups = model
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| GroupBox {
            id: g.id.clone(),
            kind: g.kind,
            label: g.name().to_owned(),
            rect: shift(geometry.groups[i]),
        })
        .collect::<Vec<_>>();
    let links: Vec<LinkPath> = model
        .links
        .iter()
        .enumerate()
        .map(|(i, link)| {
            let route = &geometry.edges[i];
            LinkPath {
                from: model.component(link.from).id.clone(),
                to: model.component(link.to).id.clone(),
                points: route.points.iter().map(|&(x, y)| (x, y + top)).collect(),
                sync: facts::link_is_sync(model, link),
                bidirectional: link.bidirectional,
                curved: options.engine == Engine::Hld,
                text: link.text().map(str::to_owned),
                label: match (&labels[i], route.label) {
                    (Some((text, true)), Some(rect)) => Some((text.clone(), shift(rect))),
                    _ => None,
                },
                plane: Some(link.ops()).filter(|ops| matches!(ops, Ops::Replicate | Ops::Control)),
            }
        })
        .collect();
    let mut links = links;
    separate_parallel_links(&mut links, direction);
    let relations: Vec<RelationPath> = model
        .relations()
        .into_iter()
        .enumerate()
        .map(|(k, relation)| RelationPath {
            class: relation.kind.attribute.name(),
            tooltip: relation.kind.tooltip,
            from: model.component(relation.from).id.clone(),
            to: model.component(relation.to).id.clone(),
            points: geometry.edges[model.links.len() + k]
                .points
                .iter()
                .map(|&(x, y)| (x, y + top))
                .collect(),
            curved: options.engine == Engine::Hld,
        })
        .collect();
    let mut width = geometry.width.max(title_width(&title));
    let mut height = geometry.height + top;
    let legend = options.legend.then(|| {
        let legend = Legend {
            y: height,
            kinds: Kind::ALL
                .into_iter()
                .filter(|k| model.components.iter().any(|c| c.kind == *k))
                .collect(),
            lines: legend_lines(&links, &relations),
        };
        width = width.max(legend_width(&legend));
        height += LEGEND_HEIGHT;
        legend
    });
    let (findings, findings_list) = if options.findings {
        let drawing = geometry.height;
        let (badges, list) = findings(compilation, &nodes, &groups, &links, height, width, drawing);
        if let Some(list) = &list {
            width = width.max(LIST_MIN_WIDTH);
            height = list.bottom();
        }
        (badges, list)
    } else {
        (Vec::new(), None)
    };
    Ok(Scene {
        width: width.ceil(),
        height: height.ceil(),
        title,
        direction,
        groups,
        nodes,
        links,
        relations,
        findings,
        findings_list,
        legend,
        overlay: None,
    })
    .map(|mut scene| {
        if let Some(focus) = options.focus {
            focus_on(&mut scene, model, focus);
        }
        scene
    })
}

/// Draws a flow or scenario over a built scene, with room for its caption below.
pub fn focus_on(scene: &mut Scene, model: &Model, focus: super::focus::Focus) {
    let overlay = super::focus::overlay(model, focus, &scene.links, &scene.nodes);
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

fn legend_width(legend: &Legend) -> f64 {
    legend_line_entries(legend)
        .last()
        .map_or(MARGIN, |(x, w)| x + w)
        + MARGIN
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

/// The label each link shows: its `label`, else its `protocol`. Links joining the same
/// two components share one route, so they share one label listing each distinct text;
/// the flag says which link draws it (the first).
fn link_labels(model: &Model) -> Vec<Option<(String, bool)>> {
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

fn edge_label_size(text: &str) -> Size {
    Size {
        width: text::width(text, EDGE_LABEL_SIZE, Weight::Regular) + 2.0 * EDGE_LABEL_PADDING,
        height: EDGE_LABEL_SIZE + 2.0 * EDGE_LABEL_PADDING,
    }
}

/// What a component box says, and the size that holds it.
struct Content {
    label: String,
    detail: String,
    replicas: Option<String>,
    badges: Vec<String>,
    stacked: bool,
    size: Size,
}

impl Content {
    fn new(component: &Component) -> Content {
        let label = component.name().to_owned();
        let detail = component.detail().to_owned();
        let replicas = component.replicas_text();
        let badges = badges(component);
        let label_line = text::width(&label, LABEL_SIZE, Weight::SemiBold)
            + replicas
                .as_ref()
                .map_or(0.0, |r| 8.0 + text::width(r, DETAIL_SIZE, Weight::SemiBold));
        let detail_line = text::width(&detail, DETAIL_SIZE, Weight::Regular);
        let badge_line: f64 = badges.iter().map(|b| badge_width(b) + BADGE_GAP).sum();
        let text_width = label_line.max(detail_line);
        let inner = (ICON + ICON_GAP + text_width).max(badge_line);
        let stacked = replicas.is_some();
        let stack = if stacked { 2.0 * STACK_OFFSET } else { 0.0 };
        let mut height = PADDING + 2.0 * LINE + PADDING;
        if !badges.is_empty() {
            height += BADGE_HEIGHT + 4.0;
        }
        height += shape_allowance(component.kind);
        Content {
            size: Size {
                width: (inner + 2.0 * PADDING + shape_inset(component.kind)).max(MIN_WIDTH) + stack,
                height: height + stack,
            },
            label,
            detail,
            replicas,
            badges,
            stacked,
        }
    }

    fn place(self, component: &Component, rect: Rect) -> NodeBox {
        let stack = if self.stacked {
            2.0 * STACK_OFFSET
        } else {
            0.0
        };
        // Shadows stack up and to the right, behind the front face.
        let face = Rect {
            x: rect.x,
            y: rect.y + stack,
            width: rect.width - stack,
            height: rect.height - stack,
        };
        let mut tooltip = format!(
            "{} ({})\n{}",
            self.label,
            component.id,
            component.kind.as_str()
        );
        if let Some(engine) = component.attrs.symbol(attr::ENGINE) {
            tooltip.push_str(&format!(" · {engine}"));
        }
        tooltip.push_str(&format!(
            " · {} replica{}",
            component.replicas(),
            if component.replicas() == 1 { "" } else { "s" }
        ));
        for badge in &self.badges {
            tooltip.push_str(&format!(" · {badge}"));
        }
        NodeBox {
            id: component.id.clone(),
            kind: component.kind,
            label: self.label,
            detail: self.detail,
            replicas: self.replicas,
            badges: self.badges,
            rect,
            face,
            tooltip,
        }
    }
}

/// Room between two links that join the same components, so each is seen.
const PARALLEL_GAP: f64 = 8.0;

/// Where a route ends on a component, with the pair the route belongs to.
type PairEnd = (usize, (f64, f64));

/// Links joining the same two components share one route in the layout; each is moved
/// off it across the flow, by its place among them, so every one is drawn on its own,
/// no further than the room its ends have (see `room` below).
fn separate_parallel_links(links: &mut [LinkPath], direction: Direction) {
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

/// Extra height a kind's outline takes from the box (a cylinder's lid).
pub fn shape_allowance(kind: Kind) -> f64 {
    match kind.info().outline {
        Outline::Cylinder => LID,
        Outline::Rounded { .. } | Outline::Pipe | Outline::Bucket => 0.0,
    }
}

/// Extra width a kind's outline takes from the box (a pipe's caps, a bucket's slant).
pub fn shape_inset(kind: Kind) -> f64 {
    match kind.info().outline {
        Outline::Pipe => 2.0 * LID,
        Outline::Bucket => 12.0,
        Outline::Rounded { .. } | Outline::Cylinder => 0.0,
    }
}

pub fn badge_width(text: &str) -> f64 {
    text::width(text, BADGE_SIZE, Weight::Regular) + 2.0 * BADGE_PADDING
}

/// Shards or partitions, then the consistency (and CAP class) of a data component.
fn badges(component: &Component) -> Vec<String> {
    let mut badges = Vec::new();
    let count = |attr: Attr| component.attrs.count(attr).filter(|&n| n > 1);
    if let Some(shards) = count(attr::SHARDS) {
        badges.push(format!("{shards} shards"));
    } else if let Some(partitions) = count(attr::PARTITIONS) {
        badges.push(format!("{partitions} partitions"));
    }
    if component.kind.is_data() {
        let cap = component.profile.and_then(|p| p.cap.as_deref());
        match (cap, facts::effective_consistency(component, None)) {
            (Some(cap), Some(level)) => badges.push(format!("{cap} · {level}")),
            (None, Some(level)) => badges.push(level.to_owned()),
            (Some(cap), None) => badges.push(cap.to_owned()),
            (None, None) => {}
        }
    }
    badges
}

/// The point halfway along a route.
fn halfway(points: &[(f64, f64)]) -> (f64, f64) {
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

#[derive(Clone)]
pub struct FindingsList {
    pub y: f64,
    /// Below its heading, in columns when one would be taller than the drawing.
    pub height: f64,
    pub items: Vec<FindingItem>,
}

impl FindingsList {
    fn bottom(&self) -> f64 {
        (self.y + LIST_HEADING + self.height + MARGIN).ceil()
    }
}

/// Lays the items out: one column at the picture's width while the list is no taller
/// than a quarter of the drawing (or `LIST_MIN_HEIGHT`), else up to as many columns of
/// `LIST_MIN_WIDTH` as fit, filled top to bottom (thousands of findings would otherwise
/// make a picture too tall to rasterize). Returns the height of the items.
fn arrange(items: &mut [FindingItem], texts: &[(String, f64)], width: f64, drawing: f64) -> f64 {
    let full = width.max(LIST_MIN_WIDTH) - 2.0 * MARGIN;
    let wrap_all = |items: &mut [FindingItem], column: f64| {
        for (item, (text, code_width)) in items.iter_mut().zip(texts) {
            let text_width = column - LIST_INDENT;
            item.lines = wrap(text, text_width - code_width, text_width);
        }
        items.iter().map(|item| item.lines.len()).sum::<usize>()
    };
    let limit = (drawing / 4.0).max(LIST_MIN_HEIGHT);
    let lines = wrap_all(items, full);
    if lines as f64 * LIST_LINE > limit {
        let fit = (full / LIST_MIN_WIDTH).floor().max(1.0);
        let wanted = (lines as f64 * LIST_LINE / limit).ceil();
        let columns = fit.min(wanted);
        let column = full / columns;
        let lines = wrap_all(items, column);
        let per_column = (lines as f64 / columns).ceil() as usize;
        let (mut x, mut row, mut height) = (0.0, 0usize, 0usize);
        for item in items.iter_mut() {
            if row > 0 && row + item.lines.len() > per_column {
                x += column;
                row = 0;
            }
            item.at = (x, row as f64 * LIST_LINE);
            row += item.lines.len();
            height = height.max(row);
        }
        return height as f64 * LIST_LINE;
    }
    let mut row = 0usize;
    for item in items.iter_mut() {
        item.at = (0.0, row as f64 * LIST_LINE);
        row += item.lines.len();
    }
    row as f64 * LIST_LINE
}

/// One finding of the list: its message wrapped to the picture's width, the first line
/// after its code.
#[derive(Clone)]
pub struct FindingItem {
    pub number: usize,
    /// Its diagnostic's index in the compilation's diagnostics.
    pub diagnostic: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub element: Option<String>,
    pub lines: Vec<String>,
    /// Its place below the list's heading: (column's left, top).
    pub at: (f64, f64),
    /// Whether a numbered badge marks its element in the picture.
    pub badged: bool,
}

/// The badges and the list: findings whose element is drawn come first, numbered as
/// their badges, then those on elements the picture has no place for (a flow), then
/// the design's own, which have no badge (docs/cli.md).
fn findings(
    compilation: &Compilation,
    nodes: &[NodeBox],
    groups: &[GroupBox],
    links: &[LinkPath],
    top: f64,
    width: f64,
    drawing: f64,
) -> (Vec<FindingBadge>, Option<FindingsList>) {
    let anchors = anchors(nodes, groups, links);
    let anchor_of = |d: &hld_syntax::diagnostics::Diagnostic| {
        d.element.as_ref().and_then(|e| anchors.get(e).copied())
    };
    let rank = |d: &&hld_syntax::diagnostics::Diagnostic| match (anchor_of(d), &d.element) {
        (Some(_), _) => 0,
        (None, Some(_)) => 1,
        (None, None) => 2,
    };
    let mut ordered: Vec<(usize, &hld_syntax::diagnostics::Diagnostic)> =
        compilation.diagnostics.iter().enumerate().collect();
    ordered.sort_by_key(|(_, d)| rank(d));
    let mut per_element: BTreeMap<&Subject, usize> = BTreeMap::new();
    let mut badges = Vec::new();
    let mut items = Vec::new();
    let mut texts = Vec::new();
    for (index, (diagnostic_index, diagnostic)) in ordered.into_iter().enumerate() {
        let number = index + 1;
        let anchor = anchor_of(diagnostic);
        if let (Some((x, y)), Some(element)) = (anchor, &diagnostic.element) {
            let slot = per_element.entry(element).or_default();
            badges.push(FindingBadge {
                number,
                severity: diagnostic.severity,
                code: diagnostic.code,
                element: element.to_string(),
                message: diagnostic.message.clone(),
                center: (x - *slot as f64 * 18.0, y),
            });
            *slot += 1;
        }
        let element = diagnostic.element.as_ref().map(ToString::to_string);
        let code_width = text::width(
            &format!("{}  ", diagnostic.code),
            DETAIL_SIZE,
            Weight::SemiBold,
        );
        let mut text = diagnostic.message.clone();
        if let Some(element) = &element {
            text.push_str(&format!(" · {element}"));
        }
        texts.push((text, code_width));
        items.push(FindingItem {
            number,
            diagnostic: diagnostic_index,
            severity: diagnostic.severity,
            code: diagnostic.code,
            element,
            lines: Vec::new(),
            at: (0.0, 0.0),
            badged: anchor.is_some(),
        });
    }
    let height = arrange(&mut items, &texts, width, drawing);
    let list = (!items.is_empty()).then_some(FindingsList {
        y: top,
        height,
        items,
    });
    (badges, list)
}

/// Where a finding on each element is drawn: the top edge of its component or group,
/// or its link's label (or middle); parallel links share their first link's.
fn anchors(
    nodes: &[NodeBox],
    groups: &[GroupBox],
    links: &[LinkPath],
) -> BTreeMap<Subject, (f64, f64)> {
    let mut anchors: BTreeMap<Subject, (f64, f64)> = BTreeMap::new();
    for link in links.iter().rev() {
        let anchor = match &link.label {
            Some((_, rect)) => (rect.right(), rect.y),
            None => halfway(&link.points),
        };
        let subject = Subject::Link {
            from: link.from.clone(),
            to: link.to.clone(),
        };
        anchors.insert(subject, anchor);
    }
    for group in groups {
        let anchor = (group.rect.right() - 10.0, group.rect.y);
        anchors.insert(Subject::Group(group.id.clone()), anchor);
    }
    for node in nodes {
        let anchor = (node.face.right() - 10.0, node.face.y);
        anchors.insert(Subject::Component(node.id.clone()), anchor);
    }
    anchors
}

/// Words in lines of at most `width` (the first line `first` wide), measured in the
/// list's font; a word longer than a line stands alone on its line.
fn wrap(text: &str, first: f64, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    let space = text::width(" ", DETAIL_SIZE, Weight::Regular);
    let mut used = 0.0;
    for word in text.split_whitespace() {
        let limit = if lines.len() == 1 { first } else { width };
        let word_width = text::width(word, DETAIL_SIZE, Weight::Regular);
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(word);
            used = word_width;
        } else if used + space + word_width <= limit {
            line.push(' ');
            line.push_str(word);
            used += space + word_width;
        } else {
            lines.push(word.to_string());
            used = word_width;
        }
    }
    lines
}
