//! Links and relations: their lines in the style of their mode, plane or relation,
//! arrowheads, and link labels.

use std::fmt::Write as _;

use super::Svg;
use super::xml::{Xml, num};
use crate::focus::{Overlay, State};
use crate::scene::anatomy::*;
use crate::scene::{LegendLine, LinkPath, RelationPath, Scene};
use crate::theme::Palette;
use hld_layout::Direction;
use hld_model::values::ops::Value as Ops;

impl Svg {
    /// Relations, links, then every link's label (after every line, so no parallel
    /// link is drawn across a label).
    pub(super) fn lines(&mut self, scene: &Scene) {
        let relation_state = if scene.overlay.is_some() {
            State::Dimmed
        } else {
            State::Plain
        };
        for relation in &scene.relations {
            self.relation(relation, relation_state);
        }
        for (index, link) in scene.links.iter().enumerate() {
            self.link(link, overlay_state(scene, |o| o.links.get(index)));
        }
        for link in &scene.links {
            self.link_label(link);
        }
    }

    fn link(&mut self, link: &LinkPath, state: State) {
        let palette = self.theme.palette();
        let mode = if link.sync { "sync" } else { "async" };
        let plane = link.plane.map(|p| format!(" {p}")).unwrap_or_default();
        self.xml
            .start("g")
            .attr(
                "class",
                format!("link {mode}{plane}{}", class_suffix(state)),
            )
            .attr("data-from", &link.from)
            .attr("data-to", &link.to);
        faded(&mut self.xml, state);
        let arrow = if link.bidirectional { "<->" } else { "->" };
        let text = link.text.as_ref().map(|t| format!(": {t}"));
        let tooltip = format!(
            "{} {arrow} {} ({mode}){}",
            link.from,
            link.to,
            text.unwrap_or_default()
        );
        self.xml.text_element("title", |_| {}, &tooltip);
        if link.points.len() >= 2 {
            let mut points = link.points.clone();
            let end = arrowhead(&mut points, true, self.direction);
            let start = link
                .bidirectional
                .then(|| arrowhead(&mut points, false, self.direction));
            let style = LineStyle::of_link(link.sync, link.plane, state, palette);
            let data = self.path_data(&points, link.curved);
            self.stroke(&data, &style);
            for head in [Some(end), start].into_iter().flatten() {
                self.arrowhead(&head, style.stroke);
            }
        }
        self.xml.end();
    }

    fn arrowhead(&mut self, data: &str, fill: &str) {
        self.xml
            .start("path")
            .attr("class", "arrowhead")
            .attr("d", data)
            .attr("fill", fill)
            .end();
    }

    /// A line in a style: a double line is drawn as a wide stroke with the background
    /// down its middle.
    pub(super) fn stroke(&mut self, data: &str, style: &LineStyle) {
        self.xml
            .start("path")
            .attr("d", data)
            .attr("fill", "none")
            .attr("stroke", style.stroke)
            .attr("stroke-width", style.width)
            .attr("stroke-linejoin", "round");
        if let Some(dash) = style.dash {
            self.xml.attr("stroke-dasharray", dash);
        }
        self.xml.end();
        if style.double {
            self.xml
                .start("path")
                .attr("d", data)
                .attr("fill", "none")
                .attr("stroke", self.theme.palette().background)
                .attr("stroke-width", "1.2")
                .attr("stroke-linejoin", "round")
                .end();
        }
    }

    /// A relation an attribute states: a thin dotted line with an open arrow, apart
    /// from the links (docs/cli.md: `g.relation`).
    fn relation(&mut self, relation: &RelationPath, state: State) {
        self.xml
            .start("g")
            .attr(
                "class",
                format!("relation {}{}", relation.class, class_suffix(state)),
            )
            .attr("data-from", &relation.from)
            .attr("data-to", &relation.to);
        faded(&mut self.xml, state);
        let tooltip = format!("{} {} {}", relation.from, relation.tooltip, relation.to);
        self.xml.text_element("title", |_| {}, &tooltip);
        if relation.points.len() >= 2 {
            let mut points = relation.points.clone();
            let head = arrowhead(&mut points, true, self.direction);
            let style = LineStyle::relation(relation.class, self.theme.palette());
            let data = self.path_data(&points, relation.curved);
            self.stroke(&data, &style);
            self.arrowhead(&head, style.stroke);
        }
        self.xml.end();
    }

    fn link_label(&mut self, link: &LinkPath) {
        let Some((text, rect)) = &link.label else {
            return;
        };
        let palette = self.theme.palette();
        self.xml
            .start("g")
            .attr("class", "link-label")
            .attr("data-from", &link.from)
            .attr("data-to", &link.to);
        self.xml
            .start("rect")
            .attr("class", "label-box")
            .attr("x", num(rect.x))
            .attr("y", num(rect.y))
            .attr("width", num(rect.width))
            .attr("height", num(rect.height))
            .attr("rx", "3")
            .attr("fill", palette.label_fill)
            .attr("fill-opacity", "0.9")
            .end();
        let attrs = |xml: &mut Xml| {
            xml.attr("class", "label")
                .attr("x", num(rect.x + rect.width / 2.0))
                .attr(
                    "y",
                    num(rect.y + EDGE_LABEL_PADDING + EDGE_LABEL_SIZE * 0.8),
                )
                .attr("font-size", num(EDGE_LABEL_SIZE))
                .attr("text-anchor", "middle")
                .attr("fill", palette.muted);
        };
        self.xml.text_element("text", attrs, text);
        self.xml.end();
    }

    /// Straight runs stay straight; a run between two ranks bends as a curve whose ends
    /// follow the layout direction, so it stays in the channel between the ranks.
    fn path_data(&self, points: &[(f64, f64)], curved: bool) -> String {
        let mut d = format!("M{} {}", num(points[0].0), num(points[0].1));
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            if !curved || (x0 - x1).abs() < 0.5 || (y0 - y1).abs() < 0.5 {
                write!(d, "L{} {}", num(x1), num(y1)).expect("writing to a String");
                continue;
            }
            let (c0, c1) = match self.direction {
                Direction::Down => ((x0, (y0 + y1) / 2.0), (x1, (y0 + y1) / 2.0)),
                Direction::Right => (((x0 + x1) / 2.0, y0), ((x0 + x1) / 2.0, y1)),
            };
            write!(
                d,
                "C{} {} {} {} {} {}",
                num(c0.0),
                num(c0.1),
                num(c1.0),
                num(c1.1),
                num(x1),
                num(y1)
            )
            .expect("writing to a String");
        }
        d
    }
}

/// Red of a cut link, the same in both themes.
pub(super) const CUT: &str = "#d64545";
/// `hld diff`'s marks: green for what NEW adds, amber for what it changes (both read on
/// the light and the dark background).
pub(super) const ADDED: &str = "#2f9e44";
pub(super) const CHANGED: &str = "#e8a317";

/// How a line is stroked: links by mode and plane, relations apart.
pub(super) struct LineStyle {
    stroke: &'static str,
    width: &'static str,
    dash: Option<&'static str>,
    /// Drawn as two lines (a replica's copy of the data).
    double: bool,
}

impl LineStyle {
    fn of_link(sync: bool, plane: Option<Ops>, state: State, palette: &Palette) -> LineStyle {
        let plain = LineStyle {
            stroke: palette.edge,
            width: "1.5",
            dash: (!sync).then_some("6 4"),
            double: false,
        };
        match (state, plane) {
            (State::Cut, _) => LineStyle {
                stroke: CUT,
                width: "2.5",
                dash: Some("6 4"),
                double: false,
            },
            (State::Added | State::Changed, _) => LineStyle {
                stroke: if state == State::Added {
                    ADDED
                } else {
                    CHANGED
                },
                width: "2.5",
                ..plain
            },
            (State::Removed, _) => LineStyle {
                stroke: palette.muted,
                width: "1.5",
                dash: Some("3 3"),
                double: false,
            },
            (State::InFlow, _) => LineStyle {
                stroke: palette.text,
                width: "2.5",
                ..plain
            },
            (_, Some(Ops::Replicate)) => LineStyle {
                width: "4",
                dash: None,
                double: true,
                ..plain
            },
            (_, Some(Ops::Control)) => LineStyle {
                stroke: palette.muted,
                width: "1.2",
                dash: Some("2 3"),
                double: false,
            },
            _ => plain,
        }
    }

    /// Thin and muted, in the relation's own dash (dotted for a dead-letter queue,
    /// dash-dotted for what a cache holds a copy of).
    fn relation(class: &str, palette: &Palette) -> LineStyle {
        let relation = hld_model::RELATIONS
            .iter()
            .find(|r| r.attribute.name() == class);
        LineStyle {
            stroke: palette.muted,
            width: "1.2",
            dash: relation.map(|r| r.dash),
            double: false,
        }
    }

    /// The sample of a legend line.
    pub(super) fn of_legend(line: LegendLine, palette: &Palette) -> LineStyle {
        match line {
            LegendLine::Relation(class) => LineStyle::relation(class, palette),
            LegendLine::Sync => LineStyle::of_link(true, None, State::Plain, palette),
            LegendLine::Async => LineStyle::of_link(false, None, State::Plain, palette),
            LegendLine::Plane(plane) => {
                LineStyle::of_link(true, Some(plane), State::Plain, palette)
            }
        }
    }
}

/// A line (link or relation) away from the flow or scenario drawn is faded.
fn faded(xml: &mut Xml, state: State) {
    if state == State::Dimmed {
        xml.attr("opacity", "0.2");
    }
}

/// ` failed`, ` cut`… for an element's class list (nothing when drawn as usual).
pub(super) fn class_suffix(state: State) -> String {
    state.class().map(|c| format!(" {c}")).unwrap_or_default()
}

/// How the overlay draws one element, when there is one.
pub(super) fn overlay_state<'a>(
    scene: &'a Scene,
    pick: impl Fn(&'a Overlay) -> Option<&'a State>,
) -> State {
    scene
        .overlay
        .as_ref()
        .and_then(|(overlay, _)| pick(overlay))
        .copied()
        .unwrap_or_default()
}

/// Cuts the arrow's length off one end of the route and returns the arrowhead there.
/// A route whose last run is a bend between ranks arrives along the layout direction
/// (the curve's tangent there), so the head points that way.
fn arrowhead(points: &mut [(f64, f64)], at_end: bool, direction: Direction) -> String {
    const LENGTH: f64 = 9.0;
    const HALF_WIDTH: f64 = 4.0;
    let n = points.len();
    let (tip_index, from_index) = if at_end { (n - 1, n - 2) } else { (0, 1) };
    let (tip, from) = (points[tip_index], points[from_index]);
    let (mut dx, mut dy) = (tip.0 - from.0, tip.1 - from.1);
    if dx.abs() >= 0.5 && dy.abs() >= 0.5 {
        match direction {
            Direction::Down => dx = 0.0,
            Direction::Right => dy = 0.0,
        }
    }
    let length = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / length, dy / length);
    let cut = LENGTH.min(length);
    let base = (tip.0 - ux * cut, tip.1 - uy * cut);
    points[tip_index] = (tip.0 - ux * (cut - 1.0), tip.1 - uy * (cut - 1.0));
    let left = (base.0 - uy * HALF_WIDTH, base.1 + ux * HALF_WIDTH);
    let right = (base.0 + uy * HALF_WIDTH, base.1 - ux * HALF_WIDTH);
    format!(
        "M{} {}L{} {}L{} {}Z",
        num(tip.0),
        num(tip.1),
        num(left.0),
        num(left.1),
        num(right.0),
        num(right.1)
    )
}
