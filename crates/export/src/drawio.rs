//! draw.io (diagrams.net) files: hld's own layout, so the file opens laid out, each
//! group a container (moving it moves its members) and each link an edge with hld's
//! route as its waypoints.

use hld_model::{Compilation, GroupKind, Model};
use hld_render::RenderError;
use hld_render::scene::{LinkPath, Scene};
use hld_render::svg::num as number;
use hld_render::svg::xml::Xml;

use crate::text::{self, Line};

pub fn write(compilation: &Compilation) -> Result<String, RenderError> {
    let scene = crate::laid_out(compilation)?;
    let model = &compilation.model;
    let name = model.title.as_deref().unwrap_or("design");
    let mut xml = Xml::indented(2);
    xml.start("mxfile").attr("host", "hld");
    xml.start("diagram").attr("id", "hld").attr("name", name);
    xml.start("mxGraphModel")
        .attr("grid", "1")
        .attr("gridSize", "10")
        .attr("page", "0")
        .attr("pageWidth", number(scene.width.ceil()))
        .attr("pageHeight", number(scene.height.ceil()));
    xml.start("root");
    xml.start("mxCell").attr("id", "0").end();
    xml.start("mxCell")
        .attr("id", "1")
        .attr("parent", "0")
        .end();
    let mut cells = Cells {
        xml,
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
    let mut xml = cells.xml;
    for _ in ["root", "mxGraphModel", "diagram", "mxfile"] {
        xml.end();
    }
    Ok(xml.finish())
}

struct Cells<'a> {
    xml: Xml,
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
        let cell = Cell {
            id: &group_cell(index),
            value: &text::group_title(group),
            style: &style,
            parent: &parent,
        };
        self.vertex(cell, rect, origin);
    }

    fn component(&mut self, index: usize) {
        let component = &self.model.components[index];
        let rect = self.scene.nodes[index].face;
        let (parent, origin) = self.parent(component.group);
        let [name, detail] = text::component_lines(component);
        let style = format!(
            "{}whiteSpace=wrap;fillColor=#ffffff;strokeColor={};fontColor=#1f2933;",
            component.kind.info().shapes.drawio,
            text::accent(component)
        );
        let cell = Cell {
            id: &component.id,
            value: &format!("{name}\n{detail}"),
            style: &style,
            parent: &parent,
        };
        self.vertex(cell, rect, origin);
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

    fn vertex(&mut self, cell: Cell, rect: hld_layout::Rect, origin: (f64, f64)) {
        self.xml
            .start("mxCell")
            .attr("id", cell.id)
            .attr("value", cell.value)
            .attr("style", cell.style)
            .attr("vertex", "1")
            .attr("parent", cell.parent);
        self.xml
            .start("mxGeometry")
            .attr("x", number(rect.x - origin.0))
            .attr("y", number(rect.y - origin.1))
            .attr("width", number(rect.width))
            .attr("height", number(rect.height))
            .attr("as", "geometry")
            .end();
        self.xml.end();
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
        self.xml
            .start("mxCell")
            .attr("id", format!("link-{index}"))
            .attr("value", value)
            .attr("style", style)
            .attr("edge", "1")
            .attr("parent", "1")
            .attr("source", &self.model.component(link.from).id)
            .attr("target", &self.model.component(link.to).id);
        self.xml
            .start("mxGeometry")
            .attr("relative", "1")
            .attr("as", "geometry");
        // The route's ends lie on the boxes, which draw.io finds itself; the bends
        // between them are the waypoints.
        let bends = path
            .points
            .get(1..path.points.len().saturating_sub(1))
            .unwrap_or(&[]);
        if !bends.is_empty() {
            self.xml.start("Array").attr("as", "points");
            for &(x, y) in bends {
                self.xml
                    .start("mxPoint")
                    .attr("x", number(x))
                    .attr("y", number(y))
                    .end();
            }
            self.xml.end();
        }
        self.xml.end();
        self.xml.end();
    }
}

/// A vertex cell's text: its id, label, style and parent cell.
struct Cell<'a> {
    id: &'a str,
    value: &'a str,
    style: &'a str,
    parent: &'a str,
}

/// Group cells' ids: hld ids hold no `:`, so these never meet a component's.
fn group_cell(index: usize) -> String {
    format!("group:{index}")
}
