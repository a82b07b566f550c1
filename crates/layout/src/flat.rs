//! The second engine: layout-rs behind the same interface (`hld render --layout
//! layout-rs`). It is the crate the project started from and the benches' baseline.
//! It is flat: groups are boxes drawn around their members afterwards, so they may
//! overlap each other and enclose non-members; it routes edges as Béziers that may
//! cross nodes, and it slows down super-linearly (23 s
//! at 1,000 nodes). Hence the node cap and the guard against its panics.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend, Visible};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::group_tree::GroupTree;
use super::{Direction, GROUP_PADDING, Input, Layout, Rect, Route};

/// Beyond this, layout-rs takes minutes (or hangs on some inputs); refuse instead.
pub const MAX_NODES: usize = 300;

pub fn layout(input: &Input) -> Result<Layout, String> {
    if input.nodes.len() > MAX_NODES {
        return Err(format!(
            "the layout-rs engine is limited to {MAX_NODES} components (this design has {}): \
             it slows down super-linearly; use the default engine (--layout hld)",
            input.nodes.len()
        ));
    }
    if input.nodes.is_empty() {
        // layout-rs panics on an empty graph.
        return super::layout(input).map_err(|too_dense| too_dense.to_string());
    }
    quietly(|| run(input))
        .map_err(|_| "layout-rs failed on this design; use the default engine".to_owned())
}

thread_local! {
    /// Set while this thread runs layout-rs, whose panics are caught and reported.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it. The panic hook is wrapped once per
/// process (the previous hook still sees every other panic, on every thread), and only
/// this thread's flag decides, so concurrent layouts neither race nor hide other panics.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static WRAP_HOOK: Once = Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was_quiet));
    result
}

/// Records the curves layout-rs draws, by the edge index stored in their properties.
struct Recorder {
    routes: Vec<Option<Vec<(f64, f64)>>>,
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        _: &str,
    ) {
        let Some(index) = properties.and_then(|p| p.parse::<usize>().ok()) else {
            return;
        };
        if let Some(slot) = self.routes.get_mut(index) {
            *slot = Some(flatten(path));
        }
    }
}

/// layout-rs's path is `M p0 C c0, c1, p1` then `S c, p` per point (the SVG smooth
/// curve: the first control point mirrors the previous one). Sampled into points.
fn flatten(path: &[(Point, Point)]) -> Vec<(f64, f64)> {
    const STEPS: usize = 8;
    let mut points = Vec::new();
    if path.len() < 2 {
        return path.iter().map(|(p, _)| (p.x, p.y)).collect();
    }
    let mut start = path[0].0;
    let mut first_control = path[0].1;
    points.push((start.x, start.y));
    for (i, &(second_control, end)) in path.iter().enumerate().skip(1) {
        if i > 1 {
            first_control = Point::new(
                2.0 * start.x - first_control.x,
                2.0 * start.y - first_control.y,
            );
        }
        for step in 1..=STEPS {
            let t = step as f64 / STEPS as f64;
            let u = 1.0 - t;
            let x = u * u * u * start.x
                + 3.0 * u * u * t * first_control.x
                + 3.0 * u * t * t * second_control.x
                + t * t * t * end.x;
            let y = u * u * u * start.y
                + 3.0 * u * u * t * first_control.y
                + 3.0 * u * t * t * second_control.y
                + t * t * t * end.y;
            points.push((x, y));
        }
        // The next segment mirrors this one's second control point.
        first_control = second_control;
        start = end;
    }
    points
}

fn run(input: &Input) -> Layout {
    let orientation = match input.direction {
        Direction::Down => Orientation::TopToBottom,
        Direction::Right => Orientation::LeftToRight,
    };
    let mut graph = VisualGraph::new(orientation);
    graph.dag.set_validate(false);
    let handles: Vec<_> = input
        .nodes
        .iter()
        .map(|node| {
            let size = Point::new(node.size.width, node.size.height);
            graph.add_node(Element::create(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                orientation,
                size,
            ))
        })
        .collect();
    for (index, edge) in input.edges.iter().enumerate() {
        let mut arrow = Arrow::simple("");
        arrow.properties = Some(index.to_string());
        graph.add_edge(arrow, handles[edge.from], handles[edge.to]);
    }
    let mut recorder = Recorder {
        routes: vec![None; input.edges.len()],
    };
    graph.do_it(false, false, false, &mut recorder);
    let nodes: Vec<Rect> = handles
        .iter()
        .zip(&input.nodes)
        .map(|(&handle, spec)| {
            let center = graph.element(handle).position().center();
            Rect {
                x: center.x - spec.size.width / 2.0,
                y: center.y - spec.size.height / 2.0,
                width: spec.size.width,
                height: spec.size.height,
            }
        })
        .collect();
    let edges = recorder
        .routes
        .into_iter()
        .enumerate()
        .map(|(index, points)| {
            let edge = &input.edges[index];
            let points = points.unwrap_or_else(|| {
                let (a, b) = (nodes[edge.from], nodes[edge.to]);
                vec![
                    (a.x + a.width / 2.0, a.y + a.height / 2.0),
                    (b.x + b.width / 2.0, b.y + b.height / 2.0),
                ]
            });
            let label = edge.label.map(|size| {
                let (x, y) = points[points.len() / 2];
                Rect {
                    x: x - size.width / 2.0,
                    y: y - size.height / 2.0,
                    width: size.width,
                    height: size.height,
                }
            });
            Route { points, label }
        })
        .collect();
    let groups = group_boxes(input, &nodes);
    super::place::normalize(nodes, groups, edges)
}

/// Boxes around each group's members (and nested groups), innermost first.
fn group_boxes(input: &Input, nodes: &[Rect]) -> Vec<Rect> {
    let tree = GroupTree::new(&input.groups);
    let mut members: Vec<Vec<Rect>> = vec![Vec::new(); tree.groups()];
    for (spec, rect) in input.nodes.iter().zip(nodes) {
        if let Some(g) = spec.group {
            members[g].push(*rect);
        }
    }
    let mut boxes: Vec<Option<Rect>> = vec![None; tree.groups()];
    for g in tree.deepest_first() {
        let children = tree.children(g).iter().filter_map(|&c| boxes[c]);
        let label = input.groups[g].label;
        let mut bounds: Option<Rect> = None;
        for r in members[g].iter().copied().chain(children) {
            bounds = Some(match bounds {
                None => r,
                Some(b) => {
                    let (x, y) = (b.x.min(r.x), b.y.min(r.y));
                    Rect {
                        x,
                        y,
                        width: b.right().max(r.right()) - x,
                        height: b.bottom().max(r.bottom()) - y,
                    }
                }
            });
        }
        let inner = bounds.unwrap_or(Rect {
            x: 0.0,
            y: 0.0,
            width: label.width,
            height: 0.0,
        });
        let width = (inner.width + 2.0 * GROUP_PADDING).max(label.width + 2.0 * GROUP_PADDING);
        boxes[g] = Some(Rect {
            x: inner.x - GROUP_PADDING,
            y: inner.y - GROUP_PADDING - label.height,
            width,
            height: inner.height + 2.0 * GROUP_PADDING + label.height,
        });
    }
    boxes
        .into_iter()
        .map(|b| {
            b.unwrap_or(Rect {
                x: 0.0,
                y: 0.0,
                width: 0.0,
                height: 0.0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_panic_is_caught_and_the_flag_restored() {
        assert!(quietly(|| panic!("layout-rs")).is_err());
        assert!(!QUIET.with(Cell::get));
        assert_eq!(quietly(|| quietly(|| 1).unwrap_or(0)).ok(), Some(1));
        assert!(!QUIET.with(Cell::get));
    }
}
