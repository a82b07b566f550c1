//! draw.io (diagrams.net) files: hld's own layout, so the file opens laid out, each
//! group a container (moving it moves its members) and each link an edge with hld's
//! route as its waypoints.

use std::fmt::Write;

use hld_model::{Compilation, GroupKind, Kind, Model};
use hld_render::scene::{self, LinkPath, Scene};
use hld_render::svg::num as number;
use hld_render::{Engine, Options, RenderError};

use crate::text::{self, Line};

pub fn write(compilation: &Compilation) -> Result<String, RenderError> {
    let options = Options {
        findings: false,
        legend: false,
        engine: Engine::Hld,
        direction: None,
        focus: None,
    };
    let scene = scene::build(compilation, &options)?;
    let model = &compilation.model;
    let name = model.title.as_deref().unwrap_or("design");
    let mut out = String::new();
    out.push_str("<mxfile host=\"hld\">\n");
    let _ = writeln!(out, "  <diagram id=\"hld\" name=\"{}\">", attribute(name));
    let _ = writeln!(
        out,
        "    <mxGraphModel grid=\"1\" gridSize=\"10\" page=\"0\" pageWidth=\"{}\" pageHeight=\"{}\">",
        scene.width.ceil(),
        scene.height.ceil()
    );
    out.push_str(
        "      <root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n",
    );
    let mut cells = Cells {
        out,
        model,
        scene: &scene,
    };
    for group in 0..model.groups.len() {
        cells.group(group);
    }
    for component in 0..model.components.len() {
        cells.component(component);
    }
    for (index, link) in model.links.iter().enumerate() {
        cells.link(index, text::line(model, link), &scene.links[index]);
    }
    let mut out = cells.out;
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    Ok(out)
}

struct Cells<'a> {
    out: String,
    model: &'a Model,
    scene: &'a Scene,
}

impl Cells<'_> {
    /// A group as a container cell; its geometry is relative to its parent's, as
    /// draw.io keeps children's.
    fn group(&mut self, index: usize) {
        let group = &self.model.groups[index];
        let rect = self.scene.groups[index].rect;
        let (parent, origin) = self.parent(group.parent);
        let dashed = u8::from(group.kind == GroupKind::Zone);
        let style = format!(
            "rounded=1;arcSize=4;container=1;collapsible=0;fillColor=none;strokeColor=#7b8794;dashed={dashed};verticalAlign=top;align=left;spacingLeft=8;fontStyle=1;"
        );
        self.vertex(
            &group_cell(index),
            &text::group_title(group),
            &style,
            &parent,
            rect,
            origin,
        );
    }

    fn component(&mut self, index: usize) {
        let component = &self.model.components[index];
        let rect = self.scene.nodes[index].face;
        let (parent, origin) = self.parent(component.group);
        let [name, detail] = text::component_lines(component);
        let style = format!(
            "{}whiteSpace=wrap;fillColor=#ffffff;strokeColor={};fontColor=#1f2933;",
            shape(component.kind),
            text::accent(component)
        );
        self.vertex(
            &component.id,
            &format!("{name}\n{detail}"),
            &style,
            &parent,
            rect,
            origin,
        );
    }

    /// The cell a member of `group` belongs to, and where that cell's box starts.
    fn parent(&self, group: Option<usize>) -> (String, (f64, f64)) {
        match group {
            None => ("1".to_owned(), (0.0, 0.0)),
            Some(g) => {
                let rect = self.scene.groups[g].rect;
                (group_cell(g), (rect.x, rect.y))
            }
        }
    }

    fn vertex(
        &mut self,
        id: &str,
        value: &str,
        style: &str,
        parent: &str,
        rect: hld_layout::Rect,
        origin: (f64, f64),
    ) {
        let _ = writeln!(
            self.out,
            "        <mxCell id=\"{}\" value=\"{}\" style=\"{style}\" vertex=\"1\" parent=\"{}\">\n          <mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>\n        </mxCell>",
            attribute(id),
            attribute(value),
            attribute(parent),
            number(rect.x - origin.0),
            number(rect.y - origin.1),
            number(rect.width),
            number(rect.height),
        );
    }

    /// A link as an edge between its components' cells, through hld's route.
    fn link(&mut self, index: usize, line: Line, path: &LinkPath) {
        let link = &self.model.links[index];
        let mut style = String::from(
            "endArrow=block;endFill=1;html=0;fontSize=10;labelBackgroundColor=#ffffff;",
        );
        style.push_str(if path.curved {
            "curved=1;"
        } else {
            "rounded=1;"
        });
        style.push_str(match line {
            Line::Sync => "strokeColor=#3e4c59;",
            Line::Async => "strokeColor=#3e4c59;dashed=1;",
            Line::Replicate => "shape=link;strokeColor=#3e4c59;",
            Line::Control => "strokeColor=#9aa5b1;dashed=1;dashPattern=1 3;",
        });
        if link.bidirectional {
            style.push_str("startArrow=block;startFill=1;");
        }
        let value = text::link_text(link).unwrap_or_default();
        let _ = writeln!(
            self.out,
            "        <mxCell id=\"link-{index}\" value=\"{}\" style=\"{style}\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">",
            attribute(&value),
            attribute(&self.model.component(link.from).id),
            attribute(&self.model.component(link.to).id),
        );
        // The route's ends lie on the boxes, which draw.io finds itself; the bends
        // between them are the waypoints.
        let bends = path
            .points
            .get(1..path.points.len().saturating_sub(1))
            .unwrap_or(&[]);
        if bends.is_empty() {
            self.out
                .push_str("          <mxGeometry relative=\"1\" as=\"geometry\"/>\n");
        } else {
            self.out
                .push_str("          <mxGeometry relative=\"1\" as=\"geometry\">\n");
            self.out.push_str("            <Array as=\"points\">\n");
            for &(x, y) in bends {
                let _ = writeln!(
                    self.out,
                    "              <mxPoint x=\"{}\" y=\"{}\"/>",
                    number(x),
                    number(y)
                );
            }
            self.out
                .push_str("            </Array>\n          </mxGeometry>\n");
        }
        self.out.push_str("        </mxCell>\n");
    }
}

/// Group cells' ids: hld ids hold no `:`, so these never meet a component's.
fn group_cell(index: usize) -> String {
    format!("group:{index}")
}

/// draw.io's built-in shape closest to hld's outline.
fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Database => "shape=cylinder3;boundedLbl=1;backgroundOutline=1;size=8;",
        Kind::Queue => "shape=cylinder3;boundedLbl=1;direction=south;size=8;",
        Kind::Blob => "shape=trapezoid;flipV=1;perimeter=trapezoidPerimeter;size=0.08;",
        Kind::External => "rounded=1;dashed=1;",
        Kind::Client => "rounded=1;arcSize=40;",
        _ => "rounded=1;arcSize=10;",
    }
}

/// Text in an XML attribute (escaped as hld's SVG is, so no character XML forbids gets
/// through); a newline as `&#xa;`, which draw.io shows as a line break.
fn attribute(text: &str) -> String {
    text.split('\n')
        .map(hld_render::svg::escape)
        .collect::<Vec<_>>()
        .join("&#xa;")
}
