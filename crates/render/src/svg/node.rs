//! Components: the outline of their kind (stacked for replicas), glyph, name, engine,
//! replica count and badges.

use super::line::{ADDED, CHANGED, CUT, class_suffix};
use super::xml::{Xml, num};
use super::{GLYPH_GRID, Svg};
use crate::focus::State;
use crate::scene::anatomy::*;
use crate::scene::{NodeBox, badge_width, shape_allowance, shape_inset};
use hld_layout::Rect;
use hld_model::Kind;
use hld_model::kind::Outline;

impl Svg {
    /// `hld diff`: a ring around a component NEW adds (green), changes (amber) or
    /// removes (grey, dashed).
    fn change_mark(&mut self, node: &NodeBox, state: State) {
        let (stroke, dash) = match state {
            State::Added => (ADDED, None),
            State::Changed => (CHANGED, None),
            State::Removed => (self.theme.palette().muted, Some("4 3")),
            _ => return,
        };
        const RING: f64 = 5.0;
        self.xml
            .start("rect")
            .attr("class", "change-mark")
            .attr("x", num(node.rect.x - RING))
            .attr("y", num(node.rect.y - RING))
            .attr("width", num(node.rect.width + 2.0 * RING))
            .attr("height", num(node.rect.height + 2.0 * RING))
            .attr("rx", "10")
            .attr("fill", "none")
            .attr("stroke", stroke)
            .attr("stroke-width", "2.5");
        if let Some(dash) = dash {
            self.xml.attr("stroke-dasharray", dash);
        }
        self.xml.end();
    }

    pub(super) fn node(&mut self, node: &NodeBox, state: State) {
        let palette = self.theme.palette();
        let accent = self.theme.accent(node.kind);
        self.xml
            .start("g")
            .attr(
                "class",
                format!(
                    "component kind-{}{}",
                    node.kind.as_str(),
                    class_suffix(state)
                ),
            )
            .attr("id", format!("c-{}", node.id))
            .attr("data-id", &node.id);
        match state {
            State::Dimmed => self.xml.attr("opacity", "0.25"),
            State::Failed | State::Removed => self.xml.attr("opacity", "0.45"),
            State::Plain | State::InFlow | State::Cut | State::Added | State::Changed => {
                &mut self.xml
            }
        };
        self.change_mark(node, state);
        self.xml.text_element("title", |_| {}, &node.tooltip);
        if node.replicas.is_some() {
            for step in [2.0, 1.0] {
                let shadow = Rect {
                    x: node.face.x + step * STACK_OFFSET,
                    y: node.face.y - step * STACK_OFFSET,
                    ..node.face
                };
                self.outline(node.kind, &shadow, (palette.node_fill, accent), 0.55);
            }
        }
        self.outline(node.kind, &node.face, (palette.node_fill, accent), 1.0);
        let face = node.face;
        if state == State::Failed {
            // Struck through: down in the scenario drawn.
            let data = format!(
                "M{} {} L{} {}",
                num(face.x),
                num(face.y + face.height),
                num(face.x + face.width),
                num(face.y)
            );
            self.xml
                .start("path")
                .attr("class", "strike")
                .attr("d", data)
                .attr("stroke", CUT)
                .attr("stroke-width", "2")
                .end();
        }
        let top = face.y + shape_allowance(node.kind) + PADDING;
        let left = face.x + PADDING + shape_inset(node.kind) / 2.0;
        let transform = format!(
            "translate({} {}) scale({})",
            num(left),
            num(top + (2.0 * LINE - ICON) / 2.0),
            num(ICON / GLYPH_GRID)
        );
        self.xml
            .start("path")
            .attr("class", "glyph")
            .attr("d", node.kind.info().glyph)
            .attr("transform", transform);
        glyph_stroke(&mut self.xml, accent);
        self.xml.end();
        self.node_text(node, (left, top), accent);
        self.xml.end();
    }

    /// The name, the engine, the replica count and the badges, from `(left, top)`.
    fn node_text(&mut self, node: &NodeBox, (left, top): (f64, f64), accent: &str) {
        let palette = self.theme.palette();
        let text_x = left + ICON + ICON_GAP;
        let name = |xml: &mut Xml| {
            xml.attr("class", "name")
                .attr("x", num(text_x))
                .attr("y", num(top + LABEL_SIZE))
                .attr("font-size", num(LABEL_SIZE))
                .attr("font-weight", "600")
                .attr("fill", palette.text);
        };
        self.xml.text_element("text", name, &node.label);
        let detail = |xml: &mut Xml| {
            xml.attr("class", "detail")
                .attr("x", num(text_x))
                .attr("y", num(top + LINE + DETAIL_SIZE + 2.0))
                .attr("font-size", num(DETAIL_SIZE))
                .attr("fill", palette.muted);
        };
        self.xml.text_element("text", detail, &node.detail);
        if let Some(replicas) = &node.replicas {
            let right = node.face.right() - PADDING - shape_inset(node.kind) / 2.0;
            let attrs = |xml: &mut Xml| {
                xml.attr("class", "replicas")
                    .attr("x", num(right))
                    .attr("y", num(top + LABEL_SIZE))
                    .attr("font-size", num(DETAIL_SIZE))
                    .attr("font-weight", "600")
                    .attr("text-anchor", "end")
                    .attr("fill", accent);
            };
            self.xml.text_element("text", attrs, replicas);
        }
        let mut x = left;
        let y = top + 2.0 * LINE + 4.0;
        for badge in &node.badges {
            let width = badge_width(badge);
            self.xml
                .start("rect")
                .attr("class", "badge")
                .attr("x", num(x))
                .attr("y", num(y))
                .attr("width", num(width))
                .attr("height", num(BADGE_HEIGHT))
                .attr("rx", "8")
                .attr("fill", palette.badge_fill)
                .attr("stroke", accent)
                .attr("stroke-width", "0.75")
                .end();
            let attrs = |xml: &mut Xml| {
                xml.attr("x", num(x + BADGE_PADDING))
                    .attr("y", num(y + BADGE_HEIGHT / 2.0 + BADGE_SIZE * 0.36))
                    .attr("font-size", num(BADGE_SIZE))
                    .attr("fill", palette.text);
            };
            self.xml.text_element("text", attrs, badge);
            x += width + BADGE_GAP;
        }
    }

    /// The outline of a kind: a cylinder for a database, a pipe for a queue, a bucket for
    /// a blob store, a dashed box for an external system, a rounded box otherwise.
    fn outline(&mut self, kind: Kind, r: &Rect, (fill, stroke): (&str, &str), opacity: f64) {
        let (x, y, w, h) = (r.x, r.y, r.width, r.height);
        let xml = &mut self.xml;
        match kind.info().outline {
            Outline::Cylinder => {
                let (rx, ry) = (num(w / 2.0), num(LID));
                let (x0, x1) = (num(x), num(x + w));
                let (y0, y2) = (num(y + LID), num(y + h - LID));
                let data = format!(
                    "M{x0} {y0}A{rx} {ry} 0 0 1 {x1} {y0}V{y2}A{rx} {ry} 0 0 1 {x0} {y2}Z\
                     M{x0} {y0}A{rx} {ry} 0 0 0 {x1} {y0}"
                );
                xml.start("path").attr("class", "shape").attr("d", data);
            }
            Outline::Pipe => {
                let (rx, ry) = (num(LID), num(h / 2.0));
                let (x0, x1) = (num(x + LID), num(x + w - LID));
                let (y0, y1) = (num(y), num(y + h));
                let data = format!(
                    "M{x0} {y0}H{x1}A{rx} {ry} 0 0 1 {x1} {y1}H{x0}A{rx} {ry} 0 0 1 {x0} {y0}Z\
                     M{x1} {y0}A{rx} {ry} 0 0 0 {x1} {y1}"
                );
                xml.start("path").attr("class", "shape").attr("d", data);
            }
            Outline::Bucket => {
                let data = format!(
                    "M{} {}H{}L{} {}H{}Z",
                    num(x),
                    num(y),
                    num(x + w),
                    num(x + w - 6.0),
                    num(y + h),
                    num(x + 6.0),
                );
                xml.start("path").attr("class", "shape").attr("d", data);
            }
            Outline::Rounded { radius, .. } => {
                xml.start("rect")
                    .attr("class", "shape")
                    .attr("x", num(x))
                    .attr("y", num(y))
                    .attr("width", num(w))
                    .attr("height", num(h))
                    .attr("rx", num(radius));
            }
        }
        xml.attr("fill", fill)
            .attr("stroke", stroke)
            .attr("stroke-width", "1.5")
            .attr("stroke-opacity", num(opacity));
        if let Outline::Rounded { dashed: true, .. } = kind.info().outline {
            xml.attr("stroke-dasharray", "6 3");
        }
        xml.end();
    }
}

/// How a kind's glyph is stroked (in a box and in the legend).
pub(super) fn glyph_stroke(xml: &mut Xml, colour: &str) {
    xml.attr("fill", "none")
        .attr("stroke", colour)
        .attr("stroke-width", "1.6")
        .attr("stroke-linecap", "round")
        .attr("stroke-linejoin", "round");
}
