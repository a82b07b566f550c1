//! The SVG emitter. The contract (docs/cli.md): every component a
//! `<g class="component kind-KIND" id="c-ID" data-id="ID">` with a `<title>`, every link a
//! `<g class="link" data-from data-to>`, every group a `<g class="group" id="g-ID">`, every
//! finding a `<g class="finding severity-SEV" data-code data-element>`. Deterministic:
//! elements in model order, numbers rounded to hundredths, no clock, no randomness.
//!
//! Everything is written through `xml::Xml`, which escapes every attribute value and
//! text itself: no call site escapes, so none can forget to. The document and groups
//! here; `node` draws components, `line` links and relations, `marks` the flow steps,
//! caption, findings and legend.

mod line;
mod marks;
mod node;
pub mod xml;

use super::scene::anatomy::*;
use super::scene::{GroupBox, Scene};
use super::text::FAMILY;
use super::theme::Theme;
use hld_layout::Direction;
use hld_model::GroupKind;
use xml::Xml;
pub use xml::{Num, num};

/// Glyphs (the kind table's) are drawn on a 24 × 24 grid.
const GLYPH_GRID: f64 = 24.0;

pub fn write(scene: &Scene, theme: Theme) -> String {
    let mut svg = Svg {
        xml: Xml::with_capacity(4096 + scene.nodes.len() * 1500),
        theme,
        direction: scene.direction,
    };
    svg.document(scene);
    svg.xml.finish()
}

struct Svg {
    xml: Xml,
    theme: Theme,
    direction: Direction,
}

impl Svg {
    fn document(&mut self, scene: &Scene) {
        let palette = self.theme.palette();
        let (w, h) = (num(scene.width), num(scene.height));
        let view_box = format!("0 0 {w} {h}");
        self.xml
            .start("svg")
            .attr("xmlns", "http://www.w3.org/2000/svg")
            .attr("width", w)
            .attr("height", h)
            .attr("viewBox", view_box.as_str())
            .attr("font-family", FAMILY)
            .attr("class", format!("hld theme-{}", self.theme.as_str()));
        self.xml
            .start("rect")
            .attr("class", "background")
            .attr("width", w)
            .attr("height", h)
            .attr("fill", palette.background)
            .end();
        self.title(scene);
        for group in &scene.groups {
            self.group(group);
        }
        self.lines(scene);
        for (index, node) in scene.nodes.iter().enumerate() {
            self.node(node, line::overlay_state(scene, |o| o.nodes.get(index)));
        }
        self.marks(scene);
        self.xml.end();
    }

    fn title(&mut self, scene: &Scene) {
        let Some(title) = &scene.title else {
            return;
        };
        let palette = self.theme.palette();
        let heading = |xml: &mut Xml| {
            xml.attr("class", "title")
                .attr("x", num(MARGIN))
                .attr("y", num(MARGIN + TITLE_SIZE))
                .attr("font-size", num(TITLE_SIZE))
                .attr("font-weight", "600")
                .attr("fill", palette.text);
        };
        self.xml.text_element("text", heading, &title.text);
        if let Some(description) = &title.description {
            let attrs = |xml: &mut Xml| {
                xml.attr("class", "description")
                    .attr("x", num(MARGIN))
                    .attr("y", num(MARGIN + TITLE_SIZE + 8.0 + DESCRIPTION_SIZE))
                    .attr("font-size", num(DESCRIPTION_SIZE))
                    .attr("fill", palette.muted);
            };
            self.xml.text_element("text", attrs, description);
        }
    }

    fn group(&mut self, group: &GroupBox) {
        let (fill, stroke) = self.theme.group(group.kind);
        let r = group.rect;
        let width = if group.kind == GroupKind::Region {
            1.5
        } else {
            1.0
        };
        let kind = group.kind.as_str();
        self.xml
            .start("g")
            .attr("class", format!("group group-{kind}"))
            .attr("id", format!("g-{}", group.id))
            .attr("data-id", &group.id);
        let tooltip = format!("{} ({kind} {})", group.label, group.id);
        self.xml.text_element("title", |_| {}, &tooltip);
        self.xml
            .start("rect")
            .attr("x", num(r.x))
            .attr("y", num(r.y))
            .attr("width", num(r.width))
            .attr("height", num(r.height))
            .attr("rx", "10")
            .attr("fill", fill)
            .attr("stroke", stroke)
            .attr("stroke-width", num(width));
        if group.kind == GroupKind::Zone {
            self.xml.attr("stroke-dasharray", "5 3");
        }
        self.xml.end();
        let muted = self.theme.palette().muted;
        let label = |xml: &mut Xml| {
            xml.attr("x", num(r.x + 10.0))
                .attr("y", num(r.y + 6.0 + GROUP_LABEL_SIZE))
                .attr("font-size", num(GROUP_LABEL_SIZE))
                .attr("font-weight", "600")
                .attr("fill", muted);
        };
        self.xml.text_element("text", label, &group.label);
        self.xml.end();
    }
}
