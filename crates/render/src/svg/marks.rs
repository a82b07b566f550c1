//! What is drawn over and under the design: a flow's numbered steps and the overlay's
//! caption, finding badges, the legend and the findings list.

use super::line::LineStyle;
use super::node::glyph_stroke;
use super::xml::{Xml, num};
use super::{GLYPH_GRID, Svg};
use crate::focus::StepMark;
use crate::scene::anatomy::*;
use crate::scene::{
    FindingBadge, FindingsList, LEGEND_SAMPLE, Legend, Scene, legend_entries, legend_line_entries,
};

impl Svg {
    /// The overlay's steps and caption, finding badges, the legend, the findings list.
    pub(super) fn marks(&mut self, scene: &Scene) {
        if let Some((overlay, caption_top)) = &scene.overlay {
            for step in &overlay.steps {
                self.step(step);
            }
            self.caption(&overlay.caption, *caption_top);
        }
        for finding in &scene.findings {
            self.finding(finding);
        }
        if let Some(legend) = &scene.legend {
            self.legend(legend);
        }
        if let Some(list) = &scene.findings_list {
            self.findings_list(list);
        }
    }

    /// A flow's step: its number in a circle on its link.
    fn step(&mut self, step: &StepMark) {
        let palette = self.theme.palette();
        let (x, y) = step.at;
        self.xml
            .start("g")
            .attr("class", "flow-step")
            .attr("data-flow", &step.flow)
            .attr("data-step", step.number)
            .attr("data-from", &step.from)
            .attr("data-to", &step.to);
        self.xml
            .start("circle")
            .attr("cx", num(x))
            .attr("cy", num(y))
            .attr("r", num(STEP_RADIUS))
            .attr("fill", palette.text)
            .attr("stroke", palette.background)
            .attr("stroke-width", "1.5")
            .end();
        let attrs = |xml: &mut Xml| {
            xml.attr("x", num(x))
                .attr("y", num(y + 4.0))
                .attr("font-size", "11")
                .attr("font-weight", "600")
                .attr("text-anchor", "middle")
                .attr("fill", palette.background);
        };
        self.xml
            .text_element("text", attrs, &step.number.to_string());
        self.xml.end();
    }

    fn caption(&mut self, lines: &[String], top: f64) {
        let palette = self.theme.palette();
        self.xml.start("g").attr("class", "caption");
        for (index, line) in lines.iter().enumerate() {
            let attrs = |xml: &mut Xml| {
                xml.attr("x", num(MARGIN))
                    .attr("y", num(top + MARGIN + index as f64 * CAPTION_LINE))
                    .attr("font-size", num(DESCRIPTION_SIZE))
                    .attr("fill", palette.text);
                if index == 0 {
                    xml.attr("font-weight", "600");
                }
            };
            self.xml.text_element("text", attrs, line);
        }
        self.xml.end();
    }

    fn finding(&mut self, finding: &FindingBadge) {
        let colour = self.theme.severity(finding.severity);
        let severity = finding.severity.as_str();
        self.xml
            .start("g")
            .attr("class", format!("finding severity-{severity}"))
            .attr("data-code", finding.code)
            .attr("data-element", &finding.element)
            .attr("data-number", finding.number);
        let tooltip = format!("{severity}[{}]: {}", finding.code, finding.message);
        self.xml.text_element("title", |_| {}, &tooltip);
        self.number(finding.number, finding.center, colour);
        self.xml.end();
    }

    /// A finding's number in a circle of its severity's colour (a badge, a list item).
    fn number(&mut self, number: usize, (cx, cy): (f64, f64), colour: &str) {
        self.xml
            .start("circle")
            .attr("cx", num(cx))
            .attr("cy", num(cy))
            .attr("r", "8")
            .attr("fill", colour)
            .attr("stroke", self.theme.palette().background)
            .attr("stroke-width", "1.5")
            .end();
        let size = if number < 100 { 10.0 } else { 7.5 };
        let attrs = |xml: &mut Xml| {
            xml.attr("x", num(cx))
                .attr("y", num(cy + size * 0.36))
                .attr("font-size", num(size))
                .attr("font-weight", "600")
                .attr("text-anchor", "middle")
                .attr("fill", "#ffffff");
        };
        self.xml.text_element("text", attrs, &number.to_string());
    }

    /// The findings at the foot of the picture, so a PNG says what its badges mean.
    fn findings_list(&mut self, list: &FindingsList) {
        let palette = self.theme.palette();
        self.xml
            .start("g")
            .attr("class", "findings-list")
            .attr("transform", format!("translate(0 {})", num(list.y)));
        let heading = |xml: &mut Xml| {
            xml.attr("x", num(MARGIN))
                .attr("y", num(LIST_HEADING - 8.0))
                .attr("font-size", num(LABEL_SIZE))
                .attr("font-weight", "600")
                .attr("fill", palette.text);
        };
        self.xml.text_element("text", heading, "Findings");
        for item in &list.items {
            let (x, mut y) = (item.at.0, LIST_HEADING + item.at.1);
            self.xml
                .start("g")
                .attr(
                    "class",
                    format!("finding-item severity-{}", item.severity.as_str()),
                )
                .attr("data-code", item.code)
                .attr("data-element", item.element.as_deref().unwrap_or(""))
                .attr("data-number", item.number);
            let colour = self.theme.severity(item.severity);
            self.number(item.number, (x + MARGIN + 8.0, y + LIST_LINE / 2.0), colour);
            for (index, line) in item.lines.iter().enumerate() {
                let baseline = y + LIST_LINE / 2.0 + DETAIL_SIZE * 0.36;
                self.xml
                    .start("text")
                    .attr("x", num(x + MARGIN + LIST_INDENT))
                    .attr("y", num(baseline))
                    .attr("font-size", num(DETAIL_SIZE))
                    .attr("fill", palette.text)
                    .attr("xml:space", "preserve");
                if index == 0 {
                    self.xml.start("tspan").attr("font-weight", "600");
                    self.xml.text(item.code).end();
                    self.xml.text("  ");
                }
                self.xml.text(line).end();
                y += LIST_LINE;
            }
            self.xml.end();
        }
        self.xml.end();
    }

    fn legend(&mut self, legend: &Legend) {
        let palette = self.theme.palette();
        self.xml
            .start("g")
            .attr("class", "legend")
            .attr("transform", format!("translate(0 {})", num(legend.y)));
        let middle = LEGEND_HEIGHT / 2.0;
        let entries = legend_entries(&legend.kinds);
        let label = |xml: &mut Xml, x: f64, text: &str| {
            let attrs = |xml: &mut Xml| {
                xml.attr("x", num(x))
                    .attr("y", num(middle + 4.0))
                    .attr("font-size", num(DETAIL_SIZE))
                    .attr("fill", palette.text);
            };
            xml.text_element("text", attrs, text);
        };
        for (kind, (x, _)) in legend.kinds.iter().zip(&entries) {
            let transform = format!(
                "translate({} {}) scale({})",
                num(*x),
                num(middle - ICON / 2.0),
                num(ICON / GLYPH_GRID)
            );
            self.xml
                .start("path")
                .attr("d", kind.info().glyph)
                .attr("transform", transform);
            glyph_stroke(&mut self.xml, self.theme.accent(*kind));
            self.xml.end();
            label(&mut self.xml, x + ICON + 6.0, kind.as_str());
        }
        for (line, (x, _)) in legend.lines.iter().zip(legend_line_entries(legend)) {
            let style = LineStyle::of_legend(*line, palette);
            let data = format!(
                "M{} {m}H{}",
                num(x),
                num(x + LEGEND_SAMPLE),
                m = num(middle)
            );
            self.stroke(&data, &style);
            label(&mut self.xml, x + LEGEND_SAMPLE + 6.0, line.name());
        }
        self.xml.end();
    }
}
