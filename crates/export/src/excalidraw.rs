//! Excalidraw scenes (the whiteboard of many interviews): hld's own layout, so the
//! scene opens laid out. Each component is a shape with its label bound inside it, each
//! group a frame holding its members, each link an arrow through hld's route, bound to
//! the shapes at both ends (moving a shape drags its arrows) and carrying its label.
//!
//! The file format is Excalidraw's (`type: "excalidraw"`, `version: 2`), written with
//! the fields its `restore` reads; the test opens the file with the real package.

use hld_model::{Compilation, Model};
use hld_render::RenderError;
use hld_render::scene::{LinkPath, Scene};
use serde::Serialize;

use crate::text::{self, Line};

/// The label's size: Excalidraw's default is 20, too large for hld's boxes.
const FONT_SIZE: f64 = 14.0;
/// Excalidraw's line height for its fonts, as a multiple of the size.
const LINE_HEIGHT: f64 = 1.25;
/// Excalidraw's own hand-drawn font (Excalifont): the whiteboard look.
const FONT_FAMILY: u8 = 5;
/// The mean advance of Excalifont's glyphs, in font sizes: Excalidraw measures text
/// itself once it is edited; until then the box is this estimate.
const ADVANCE: f64 = 0.55;
/// Between an arrow's end and the shape it is bound to.
const BINDING_GAP: f64 = 2.0;
const INK: &str = "#1e1e1e";

pub fn write(compilation: &Compilation) -> Result<String, RenderError> {
    let scene = crate::laid_out(compilation)?;
    let elements = Elements::of(&compilation.model, &scene);
    let file = File {
        kind: "excalidraw",
        version: 2,
        source: "hld",
        elements,
        app_state: AppState {
            view_background_color: "#ffffff",
            grid_size: None,
        },
        files: Empty {},
    };
    Ok(serde_json::to_string_pretty(&file).expect("a scene serializes") + "\n")
}

#[derive(Serialize)]
struct File {
    #[serde(rename = "type")]
    kind: &'static str,
    version: u8,
    source: &'static str,
    elements: Vec<Element>,
    #[serde(rename = "appState")]
    app_state: AppState,
    files: Empty,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppState {
    view_background_color: &'static str,
    grid_size: Option<u32>,
}

#[derive(Serialize)]
struct Empty {}

/// What every element has (Excalidraw's `_ExcalidrawElementBase`), and its own part.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Element {
    id: String,
    #[serde(flatten)]
    shape: Shape,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    angle: f64,
    stroke_color: &'static str,
    background_color: &'static str,
    fill_style: &'static str,
    stroke_width: f64,
    stroke_style: &'static str,
    /// 1: Excalidraw's default hand-drawn stroke.
    roughness: u8,
    opacity: u8,
    group_ids: [(); 0],
    frame_id: Option<String>,
    roundness: Option<Roundness>,
    /// The hand-drawn stroke's randomness: from the element's id, so the same design
    /// gives the same file.
    seed: u32,
    version: u32,
    version_nonce: u32,
    is_deleted: bool,
    bound_elements: Option<Vec<Bound>>,
    updated: u64,
    link: Option<String>,
    locked: bool,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Shape {
    Rectangle,
    Ellipse,
    Frame {
        name: String,
    },
    #[serde(rename_all = "camelCase")]
    Text {
        text: String,
        original_text: String,
        font_size: f64,
        font_family: u8,
        text_align: &'static str,
        vertical_align: &'static str,
        container_id: Option<String>,
        auto_resize: bool,
        line_height: f64,
    },
    #[serde(rename_all = "camelCase")]
    Arrow {
        points: Vec<(f64, f64)>,
        last_committed_point: Option<(f64, f64)>,
        start_binding: Option<Binding>,
        end_binding: Option<Binding>,
        start_arrowhead: Option<&'static str>,
        end_arrowhead: Option<&'static str>,
        elbowed: bool,
    },
}

/// Excalidraw's roundness: 3 is its adaptive radius (rectangles), 2 proportional.
#[derive(Serialize)]
struct Roundness {
    #[serde(rename = "type")]
    kind: u8,
}

#[derive(Clone, Serialize)]
struct Bound {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Binding {
    element_id: String,
    /// Where along the shape the arrow points: 0 is at its centre.
    focus: f64,
    gap: f64,
}

struct Elements<'a> {
    model: &'a Model,
    scene: &'a Scene,
    out: Vec<Element>,
}

impl Elements<'_> {
    /// Frames first (they are drawn under what they hold), then each component and its
    /// label, then each link and its label.
    fn of(model: &Model, scene: &Scene) -> Vec<Element> {
        let mut elements = Elements {
            model,
            scene,
            out: Vec::new(),
        };
        for group in 0..model.groups.len() {
            elements.frame(group);
        }
        let mut arrows: Vec<Vec<Bound>> = vec![Vec::new(); model.components.len()];
        for (index, link) in model.links.iter().enumerate() {
            for end in [link.from, link.to] {
                let bound = &mut arrows[end.index()];
                if bound.last().is_none_or(|b| b.id != link_id(index)) {
                    bound.push(Bound {
                        id: link_id(index),
                        kind: "arrow",
                    });
                }
            }
        }
        for (component, arrows) in arrows.into_iter().enumerate() {
            elements.component(component, arrows);
        }
        let captions = captions(model);
        for (index, caption) in captions.into_iter().enumerate() {
            elements.link(index, &scene.links[index], caption);
        }
        elements.out
    }

    fn frame(&mut self, index: usize) {
        let group = &self.model.groups[index];
        let rect = self.scene.groups[index].rect;
        let name = text::group_title(group);
        let element = base(group_id(index), Shape::Frame { name }, rect);
        self.out.push(element);
    }

    fn component(&mut self, index: usize, arrows: Vec<Bound>) {
        let component = &self.model.components[index];
        let rect = self.scene.nodes[index].face;
        let frame = component.group.map(group_id);
        let label = label_id(&component.id);
        let shape = match component.kind.info().shapes.excalidraw {
            "ellipse" => Shape::Ellipse,
            _ => Shape::Rectangle,
        };
        let rounded = matches!(shape, Shape::Rectangle);
        let mut bound = vec![Bound {
            id: label.clone(),
            kind: "text",
        }];
        bound.extend(arrows);
        let mut element = base(component.id.clone(), shape, rect);
        element.stroke_color = text::accent(component);
        element.background_color = "#ffffff";
        element.frame_id = frame.clone();
        element.roundness = rounded.then_some(Roundness { kind: 3 });
        element.bound_elements = Some(bound);
        self.out.push(element);
        let [name, detail] = text::component_lines(component);
        let centre = (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0);
        let mut text = label_text(label, format!("{name}\n{detail}"), centre);
        text.frame_id = frame;
        set_container(&mut text, &component.id);
        self.out.push(text);
    }

    /// A link as an arrow through hld's route, bound to its ends, with its label bound.
    fn link(&mut self, index: usize, path: &LinkPath, caption: Option<String>) {
        let link = &self.model.links[index];
        let Some(&(x, y)) = path.points.first() else {
            return;
        };
        let points: Vec<(f64, f64)> = (path.points.iter())
            .map(|&(px, py)| (round(px - x), round(py - y)))
            .collect();
        let (width, height) = extent(&points);
        let binding = |end: hld_model::ComponentId| {
            Some(Binding {
                element_id: self.model.component(end).id.clone(),
                focus: 0.0,
                gap: BINDING_GAP,
            })
        };
        let shape = Shape::Arrow {
            points,
            last_committed_point: None,
            start_binding: binding(link.from),
            end_binding: binding(link.to),
            start_arrowhead: link.bidirectional.then_some("arrow"),
            end_arrowhead: Some("arrow"),
            elbowed: false,
        };
        let rect = hld_layout::Rect {
            x,
            y,
            width,
            height,
        };
        let mut arrow = base(link_id(index), shape, rect);
        let line = text::line(self.model, link);
        arrow.stroke_style = match line {
            Line::Sync | Line::Replicate => "solid",
            Line::Async => "dashed",
            Line::Control => "dotted",
        };
        if line == Line::Control {
            arrow.stroke_color = "#9aa5b1";
        }
        arrow.roundness = path.curved.then_some(Roundness { kind: 2 });
        let label = caption.map(|caption| {
            let centre = path.label.as_ref().map_or_else(
                || midpoint(&path.points),
                |(_, r)| (r.x + r.width / 2.0, r.y + r.height / 2.0),
            );
            label_text(format!("{}:label", link_id(index)), caption, centre)
        });
        if let Some(label) = &label {
            arrow.bound_elements = Some(vec![Bound {
                id: label.id.clone(),
                kind: "text",
            }]);
        }
        self.out.push(arrow);
        if let Some(mut label) = label {
            set_container(&mut label, &link_id(index));
            self.out.push(label);
        }
    }
}

/// Each link's label: links between the same two components share one, on the first
/// of them (as hld draws them), since Excalidraw puts every arrow's label at the
/// arrow's middle, where parallel arrows' labels would lie on each other.
fn captions(model: &Model) -> Vec<Option<String>> {
    let mut first_of_pair: std::collections::HashMap<(usize, usize), usize> =
        std::collections::HashMap::new();
    let mut captions: Vec<Vec<String>> = vec![Vec::new(); model.links.len()];
    for (index, link) in model.links.iter().enumerate() {
        let (a, b) = (link.from.index(), link.to.index());
        let first = *first_of_pair.entry((a.min(b), a.max(b))).or_insert(index);
        if let Some(caption) = text::link_text(link).filter(|c| !captions[first].contains(c)) {
            captions[first].push(caption);
        }
    }
    (captions.into_iter())
        .map(|parts| (!parts.is_empty()).then(|| parts.join(", ")))
        .collect()
}

/// An element with Excalidraw's defaults: a thin dark stroke, no fill, not rounded.
fn base(id: String, shape: Shape, rect: hld_layout::Rect) -> Element {
    let seed = seed_of(&id);
    Element {
        seed,
        version_nonce: seed.rotate_left(16) & 0x7fff_ffff,
        id,
        shape,
        x: round(rect.x),
        y: round(rect.y),
        width: round(rect.width),
        height: round(rect.height),
        angle: 0.0,
        stroke_color: INK,
        background_color: "transparent",
        fill_style: "solid",
        stroke_width: 1.0,
        stroke_style: "solid",
        roughness: 1,
        opacity: 100,
        group_ids: [],
        frame_id: None,
        roundness: None,
        version: 1,
        is_deleted: false,
        bound_elements: None,
        updated: 1,
        link: None,
        locked: false,
    }
}

/// A text element centred on `centre`, sized by estimate.
fn label_text(id: String, content: String, centre: (f64, f64)) -> Element {
    let lines = content.lines().count().max(1) as f64;
    let longest = content
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let (width, height) = (
        longest * FONT_SIZE * ADVANCE,
        lines * FONT_SIZE * LINE_HEIGHT,
    );
    let shape = Shape::Text {
        original_text: content.clone(),
        text: content,
        font_size: FONT_SIZE,
        font_family: FONT_FAMILY,
        text_align: "center",
        vertical_align: "middle",
        container_id: None,
        auto_resize: true,
        line_height: LINE_HEIGHT,
    };
    let rect = hld_layout::Rect {
        x: centre.0 - width / 2.0,
        y: centre.1 - height / 2.0,
        width,
        height,
    };
    base(id, shape, rect)
}

fn set_container(text: &mut Element, container: &str) {
    if let Shape::Text { container_id, .. } = &mut text.shape {
        *container_id = Some(container.to_owned());
    }
}

/// Width and height of the points' bounding box (an arrow's size in Excalidraw).
fn extent(points: &[(f64, f64)]) -> (f64, f64) {
    let (mut low, mut high) = ((0.0f64, 0.0f64), (0.0f64, 0.0f64));
    for &(x, y) in points {
        low = (low.0.min(x), low.1.min(y));
        high = (high.0.max(x), high.1.max(y));
    }
    (high.0 - low.0, high.1 - low.1)
}

/// The point halfway along a route's bends, where a label without a place goes.
fn midpoint(points: &[(f64, f64)]) -> (f64, f64) {
    let middle = points.len() / 2;
    match points.len() {
        0 => (0.0, 0.0),
        n if n % 2 == 0 => {
            let (a, b) = (points[middle - 1], points[middle]);
            ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
        }
        _ => points[middle],
    }
}

/// Coordinates to a hundredth: the layout's are exact to far more than a screen shows.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A positive 31-bit seed from the element's id (FNV-1a).
fn seed_of(id: &str) -> u32 {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash & 0x7fff_ffff
}

/// Frames' and labels' ids: hld ids hold no `:`, so these never meet a component's.
fn group_id(index: usize) -> String {
    format!("group:{index}")
}

fn label_id(component: &str) -> String {
    format!("{component}:label")
}

fn link_id(index: usize) -> String {
    format!("link:{index}")
}
