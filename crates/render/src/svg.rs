//! The SVG emitter. The contract (docs/cli.md): every component a
//! `<g class="component kind-KIND" id="c-ID" data-id="ID">` with a `<title>`, every link a
//! `<g class="link" data-from data-to>`, every group a `<g class="group" id="g-ID">`, every
//! finding a `<g class="finding severity-SEV" data-code data-element>`. Deterministic:
//! elements in model order, numbers rounded to hundredths, no clock, no randomness.

use std::fmt::Write;

use super::focus::{Overlay, State, StepMark};
use super::scene::{
    FindingBadge, FindingsList, GroupBox, LEGEND_SAMPLE, Legend, LegendLine, LinkPath, NodeBox,
    RelationPath, Scene, anatomy::*, badge_width, legend_entries, legend_line_entries,
    shape_allowance, shape_inset,
};
use super::text::FAMILY;
use super::theme::{Palette, Theme};
use hld_layout::{Direction, Rect};
use hld_model::kind::Outline;
use hld_model::values::ops::Value as Ops;
use hld_model::{GroupKind, Kind};

/// Glyphs (the kind table's) are drawn on a 24 × 24 grid.
const GLYPH_GRID: f64 = 24.0;

pub fn write(scene: &Scene, theme: Theme) -> String {
    let mut svg = Svg {
        out: String::with_capacity(4096 + scene.nodes.len() * 1500),
        theme,
        direction: scene.direction,
    };
    svg.document(scene);
    svg.out
}

struct Svg {
    out: String,
    theme: Theme,
    direction: Direction,
}

/// A number as SVG wants it: at most two decimals, no trailing zeros, no `-0`. Written
/// from whole hundredths (formatting floats was a tenth of the render), straight into
/// the output: a route's path data is written without a string per number.
pub fn num(value: f64) -> Num {
    Num((value * 100.0).round() as i64)
}

/// A number in whole hundredths, displayed as `num` describes.
#[derive(Clone, Copy)]
pub struct Num(i64);

impl std::fmt::Display for Num {
    /// Digits written by hand into a buffer: through `core::fmt`'s integer formatting a
    /// number cost about 500 instructions, and a 10,000-component drawing has 3 million.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let magnitude = self.0.unsigned_abs();
        let (mut whole, cents) = (magnitude / 100, magnitude % 100);
        // Filled from the end: the decimals, then the whole part, then the sign.
        let mut buffer = [0u8; 24];
        let mut start = buffer.len();
        let mut put = |byte: u8| {
            start -= 1;
            buffer[start] = byte;
        };
        if cents % 10 != 0 {
            put(b'0' + (cents % 10) as u8);
        }
        if cents != 0 {
            put(b'0' + (cents / 10) as u8);
            put(b'.');
        }
        loop {
            put(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            put(b'-');
        }
        f.write_str(std::str::from_utf8(&buffer[start..]).expect("ASCII digits"))
    }
}

/// Text and attribute values, XML-escaped.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => escaped.push(' '),
            // Nor are U+FFFE and U+FFFF; C1 controls are allowed but mean nothing in
            // a picture (and some renderers choke on them).
            '\u{fffe}' | '\u{ffff}' | '\u{7f}'..='\u{9f}' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

impl Svg {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn document(&mut self, scene: &Scene) {
        let palette = self.theme.palette();
        let (w, h) = (num(scene.width), num(scene.height));
        self.line(&format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{}" class="hld theme-{}">"#,
            escape(FAMILY),
            match self.theme {
                Theme::Light => "light",
                Theme::Dark => "dark",
            }
        ));
        self.line(&format!(
            r#"<rect class="background" width="{w}" height="{h}" fill="{}"/>"#,
            palette.background
        ));
        self.title(scene);
        for group in &scene.groups {
            self.group(group);
        }
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
        // Labels after every line, so no parallel link is drawn across a label.
        for link in &scene.links {
            self.link_label(link);
        }
        for (index, node) in scene.nodes.iter().enumerate() {
            self.node(node, overlay_state(scene, |o| o.nodes.get(index)));
        }
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
        self.line("</svg>");
    }

    fn title(&mut self, scene: &Scene) {
        let Some(title) = &scene.title else {
            return;
        };
        let palette = self.theme.palette();
        self.line(&format!(
            r#"<text class="title" x="{}" y="{}" font-size="{}" font-weight="600" fill="{}">{}</text>"#,
            num(MARGIN),
            num(MARGIN + TITLE_SIZE),
            num(TITLE_SIZE),
            palette.text,
            escape(&title.text)
        ));
        if let Some(description) = &title.description {
            self.line(&format!(
                r#"<text class="description" x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
                num(MARGIN),
                num(MARGIN + TITLE_SIZE + 8.0 + DESCRIPTION_SIZE),
                num(DESCRIPTION_SIZE),
                palette.muted,
                escape(description)
            ));
        }
    }

    fn group(&mut self, group: &GroupBox) {
        let (fill, stroke) = self.theme.group(group.kind);
        let r = group.rect;
        let dash = match group.kind {
            GroupKind::Zone => r#" stroke-dasharray="5 3""#,
            _ => "",
        };
        let width = if group.kind == GroupKind::Region {
            1.5
        } else {
            1.0
        };
        self.line(&format!(
            r#"<g class="group group-{}" id="g-{}" data-id="{}">"#,
            group.kind.as_str(),
            escape(&group.id),
            escape(&group.id)
        ));
        self.line(&format!(
            "<title>{} ({} {})</title>",
            escape(&group.label),
            group.kind.as_str(),
            escape(&group.id)
        ));
        self.line(&format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="{}"{dash}/>"#,
            num(r.x),
            num(r.y),
            num(r.width),
            num(r.height),
            num(width)
        ));
        self.line(&format!(
            r#"<text x="{}" y="{}" font-size="{}" font-weight="600" fill="{}">{}</text>"#,
            num(r.x + 10.0),
            num(r.y + 6.0 + GROUP_LABEL_SIZE),
            num(GROUP_LABEL_SIZE),
            self.theme.palette().muted,
            escape(&group.label)
        ));
        self.line("</g>");
    }

    fn link(&mut self, link: &LinkPath, state: State) {
        let palette = self.theme.palette();
        self.line(&format!(
            r#"<g class="link {}{}{}" data-from="{}" data-to="{}"{}>"#,
            if link.sync { "sync" } else { "async" },
            link.plane.map(|p| format!(" {p}")).unwrap_or_default(),
            class_suffix(state),
            escape(&link.from),
            escape(&link.to),
            line_opacity(state)
        ));
        self.line(&format!(
            "<title>{} {} {} ({}){}</title>",
            escape(&link.from),
            escape(if link.bidirectional { "<->" } else { "->" }),
            escape(&link.to),
            if link.sync { "sync" } else { "async" },
            link.text
                .as_ref()
                .map(|t| format!(": {}", escape(t)))
                .unwrap_or_default()
        ));
        if link.points.len() >= 2 {
            let mut points = link.points.clone();
            let end = arrowhead(&mut points, true, self.direction);
            let start = link
                .bidirectional
                .then(|| arrowhead(&mut points, false, self.direction));
            let style = LineStyle::of_link(link.sync, link.plane, state, palette);
            let stroke = style.stroke;
            let data = self.path_data(&points, link.curved);
            self.stroke(&data, &style);
            for head in [Some(end), start].into_iter().flatten() {
                self.line(&format!(
                    r#"<path class="arrowhead" d="{head}" fill="{stroke}"/>"#
                ));
            }
        }
        self.line("</g>");
    }

    /// A line in a style: a double line is drawn as a wide stroke with the background
    /// down its middle.
    fn stroke(&mut self, data: &str, style: &LineStyle) {
        let dash = style
            .dash
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        self.line(&format!(
            r#"<path d="{data}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"{dash}/>"#,
            style.stroke, style.width
        ));
        if style.double {
            self.line(&format!(
                r#"<path d="{data}" fill="none" stroke="{}" stroke-width="1.2" stroke-linejoin="round"/>"#,
                self.theme.palette().background
            ));
        }
    }

    /// A relation an attribute states: a thin dotted line with an open arrow, apart
    /// from the links (docs/cli.md: `g.relation`).
    fn relation(&mut self, relation: &RelationPath, state: State) {
        self.line(&format!(
            r#"<g class="relation {}{}" data-from="{}" data-to="{}"{}>"#,
            relation.class,
            class_suffix(state),
            escape(&relation.from),
            escape(&relation.to),
            line_opacity(state)
        ));
        self.line(&format!(
            "<title>{} {} {}</title>",
            escape(&relation.from),
            relation.tooltip,
            escape(&relation.to)
        ));
        if relation.points.len() >= 2 {
            let mut points = relation.points.clone();
            let head = arrowhead(&mut points, true, self.direction);
            let style = LineStyle::relation(relation.class, self.theme.palette());
            let data = self.path_data(&points, relation.curved);
            self.stroke(&data, &style);
            self.line(&format!(
                r#"<path class="arrowhead" d="{head}" fill="{}"/>"#,
                style.stroke
            ));
        }
        self.line("</g>");
    }

    fn link_label(&mut self, link: &LinkPath) {
        let Some((text, rect)) = &link.label else {
            return;
        };
        let palette = self.theme.palette();
        self.line(&format!(
            r#"<g class="link-label" data-from="{}" data-to="{}">"#,
            escape(&link.from),
            escape(&link.to)
        ));
        self.line(&format!(
            r#"<rect class="label-box" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" fill-opacity="0.9"/>"#,
            num(rect.x),
            num(rect.y),
            num(rect.width),
            num(rect.height),
            palette.label_fill
        ));
        self.line(&format!(
            r#"<text class="label" x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text>"#,
            num(rect.x + rect.width / 2.0),
            num(rect.y + EDGE_LABEL_PADDING + EDGE_LABEL_SIZE * 0.8),
            num(EDGE_LABEL_SIZE),
            palette.muted,
            escape(text)
        ));
        self.line("</g>");
    }

    /// Straight runs stay straight; a run between two ranks bends as a curve whose ends
    /// follow the layout direction, so it stays in the gap between the ranks.
    fn path_data(&self, points: &[(f64, f64)], curved: bool) -> String {
        let mut d = format!("M{} {}", num(points[0].0), num(points[0].1));
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            if !curved || (x0 - x1).abs() < 0.5 || (y0 - y1).abs() < 0.5 {
                write!(d, "L{} {}", num(x1), num(y1)).unwrap();
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
            .unwrap();
        }
        d
    }

    fn node(&mut self, node: &NodeBox, state: State) {
        let palette = self.theme.palette();
        let accent = self.theme.accent(node.kind);
        self.line(&format!(
            r#"<g class="component kind-{}{}" id="c-{}" data-id="{}"{}>"#,
            node.kind.as_str(),
            class_suffix(state),
            escape(&node.id),
            escape(&node.id),
            match state {
                State::Dimmed => r#" opacity="0.25""#,
                State::Failed => r#" opacity="0.45""#,
                State::Plain | State::InFlow | State::Cut => "",
            }
        ));
        self.line(&format!("<title>{}</title>", escape(&node.tooltip)));
        if node.replicas.is_some() {
            for step in [2.0, 1.0] {
                let shadow = Rect {
                    x: node.face.x + step * STACK_OFFSET,
                    y: node.face.y - step * STACK_OFFSET,
                    ..node.face
                };
                self.outline(node.kind, &shadow, palette.node_fill, accent, 0.55);
            }
        }
        self.outline(node.kind, &node.face, palette.node_fill, accent, 1.0);
        let face = node.face;
        if state == State::Failed {
            // Struck through: down in the scenario drawn.
            self.line(&format!(
                r#"<path class="strike" d="M{} {} L{} {}" stroke="{CUT}" stroke-width="2"/>"#,
                num(face.x),
                num(face.y + face.height),
                num(face.x + face.width),
                num(face.y)
            ));
        }
        let top = face.y + shape_allowance(node.kind) + PADDING;
        let left = face.x + PADDING + shape_inset(node.kind) / 2.0;
        let scale = ICON / GLYPH_GRID;
        self.line(&format!(
            r#"<path class="glyph" d="{}" transform="translate({} {}) scale({})" fill="none" stroke="{accent}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>"#,
            node.kind.info().glyph,
            num(left),
            num(top + (2.0 * LINE - ICON) / 2.0),
            num(scale)
        ));
        let text_x = left + ICON + ICON_GAP;
        self.line(&format!(
            r#"<text class="name" x="{}" y="{}" font-size="{}" font-weight="600" fill="{}">{}</text>"#,
            num(text_x),
            num(top + LABEL_SIZE),
            num(LABEL_SIZE),
            palette.text,
            escape(&node.label)
        ));
        self.line(&format!(
            r#"<text class="detail" x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
            num(text_x),
            num(top + LINE + DETAIL_SIZE + 2.0),
            num(DETAIL_SIZE),
            palette.muted,
            escape(&node.detail)
        ));
        if let Some(replicas) = &node.replicas {
            self.line(&format!(
                r#"<text class="replicas" x="{}" y="{}" font-size="{}" font-weight="600" text-anchor="end" fill="{accent}">{}</text>"#,
                num(face.right() - PADDING - shape_inset(node.kind) / 2.0),
                num(top + LABEL_SIZE),
                num(DETAIL_SIZE),
                escape(replicas)
            ));
        }
        let mut x = left;
        let y = top + 2.0 * LINE + 4.0;
        for badge in &node.badges {
            let width = badge_width(badge);
            self.line(&format!(
                r#"<rect class="badge" x="{}" y="{}" width="{}" height="{}" rx="8" fill="{}" stroke="{accent}" stroke-width="0.75"/>"#,
                num(x),
                num(y),
                num(width),
                num(BADGE_HEIGHT),
                palette.badge_fill
            ));
            self.line(&format!(
                r#"<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
                num(x + BADGE_PADDING),
                num(y + BADGE_HEIGHT / 2.0 + BADGE_SIZE * 0.36),
                num(BADGE_SIZE),
                palette.text,
                escape(badge)
            ));
            x += width + BADGE_GAP;
        }
        self.line("</g>");
    }

    /// The outline of a kind: a cylinder for a database, a pipe for a queue, a bucket for
    /// a blob store, a dashed box for an external system, a rounded box otherwise.
    fn outline(&mut self, kind: Kind, r: &Rect, fill: &str, stroke: &str, opacity: f64) {
        let (x, y, w, h) = (r.x, r.y, r.width, r.height);
        let common = format!(
            r#"fill="{fill}" stroke="{stroke}" stroke-width="1.5" stroke-opacity="{}""#,
            num(opacity)
        );
        let shape = match kind.info().outline {
            Outline::Cylinder => {
                let (rx, ry) = (w / 2.0, LID);
                format!(
                    r#"<path class="shape" d="M{x0} {y0}A{rx} {ry} 0 0 1 {x1} {y0}V{y2}A{rx} {ry} 0 0 1 {x0} {y2}ZM{x0} {y0}A{rx} {ry} 0 0 0 {x1} {y0}" {common}/>"#,
                    x0 = num(x),
                    x1 = num(x + w),
                    y0 = num(y + ry),
                    y2 = num(y + h - ry),
                    rx = num(rx),
                    ry = num(ry)
                )
            }
            Outline::Pipe => {
                let (rx, ry) = (LID, h / 2.0);
                format!(
                    r#"<path class="shape" d="M{x0} {y0}H{x1}A{rx} {ry} 0 0 1 {x1} {y1}H{x0}A{rx} {ry} 0 0 1 {x0} {y0}ZM{x1} {y0}A{rx} {ry} 0 0 0 {x1} {y1}" {common}/>"#,
                    x0 = num(x + rx),
                    x1 = num(x + w - rx),
                    y0 = num(y),
                    y1 = num(y + h),
                    rx = num(rx),
                    ry = num(ry)
                )
            }
            Outline::Bucket => format!(
                r#"<path class="shape" d="M{} {}H{}L{} {}H{}Z" {common}/>"#,
                num(x),
                num(y),
                num(x + w),
                num(x + w - 6.0),
                num(y + h),
                num(x + 6.0),
            ),
            Outline::Rounded { radius, dashed } => {
                let dash = if dashed {
                    r#" stroke-dasharray="6 3""#
                } else {
                    ""
                };
                format!(
                    r#"<rect class="shape" x="{}" y="{}" width="{}" height="{}" rx="{}" {common}{dash}/>"#,
                    num(x),
                    num(y),
                    num(w),
                    num(h),
                    num(radius)
                )
            }
        };
        self.line(&shape);
    }

    /// A flow's step: its number in a circle on its link.
    fn step(&mut self, step: &StepMark) {
        let palette = self.theme.palette();
        let (x, y) = step.at;
        self.line(&format!(
            r#"<g class="flow-step" data-flow="{}" data-step="{}" data-from="{}" data-to="{}">"#,
            escape(&step.flow),
            step.number,
            escape(&step.from),
            escape(&step.to)
        ));
        self.line(&format!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" stroke-width="1.5"/>"#,
            num(x),
            num(y),
            num(STEP_RADIUS),
            palette.text,
            palette.background
        ));
        self.line(&format!(
            r#"<text x="{}" y="{}" font-size="11" font-weight="600" text-anchor="middle" fill="{}">{}</text>"#,
            num(x),
            num(y + 4.0),
            palette.background,
            step.number
        ));
        self.line("</g>");
    }

    fn caption(&mut self, lines: &[String], top: f64) {
        let palette = self.theme.palette();
        self.line(r#"<g class="caption">"#);
        for (index, line) in lines.iter().enumerate() {
            self.line(&format!(
                r#"<text x="{}" y="{}" font-size="{}" fill="{}"{}>{}</text>"#,
                num(MARGIN),
                num(top + MARGIN + index as f64 * CAPTION_LINE),
                num(DESCRIPTION_SIZE),
                palette.text,
                if index == 0 {
                    r#" font-weight="600""#
                } else {
                    ""
                },
                escape(line)
            ));
        }
        self.line("</g>");
    }

    fn finding(&mut self, finding: &FindingBadge) {
        let colour = self.theme.severity(finding.severity);
        let severity = finding.severity.as_str();
        let (cx, cy) = finding.center;
        self.line(&format!(
            r#"<g class="finding severity-{severity}" data-code="{}" data-element="{}" data-number="{}">"#,
            finding.code,
            escape(&finding.element),
            finding.number
        ));
        self.line(&format!(
            "<title>{severity}[{}]: {}</title>",
            finding.code,
            escape(&finding.message)
        ));
        self.number(finding.number, (cx, cy), colour);
        self.line("</g>");
    }

    /// A finding's number in a circle of its severity's colour (a badge, a list item).
    fn number(&mut self, number: usize, (cx, cy): (f64, f64), colour: &str) {
        self.line(&format!(
            r#"<circle cx="{}" cy="{}" r="8" fill="{colour}" stroke="{}" stroke-width="1.5"/>"#,
            num(cx),
            num(cy),
            self.theme.palette().background
        ));
        let size = if number < 100 { 10.0 } else { 7.5 };
        self.line(&format!(
            r##"<text x="{}" y="{}" font-size="{}" font-weight="600" text-anchor="middle" fill="#ffffff">{number}</text>"##,
            num(cx),
            num(cy + size * 0.36),
            num(size)
        ));
    }

    /// The findings at the foot of the picture, so a PNG says what its badges mean.
    fn findings_list(&mut self, list: &FindingsList) {
        let palette = self.theme.palette();
        self.line(&format!(
            r#"<g class="findings-list" transform="translate(0 {})">"#,
            num(list.y)
        ));
        self.line(&format!(
            r#"<text x="{}" y="{}" font-size="{}" font-weight="600" fill="{}">Findings</text>"#,
            num(MARGIN),
            num(LIST_HEADING - 8.0),
            num(LABEL_SIZE),
            palette.text
        ));
        for item in &list.items {
            let (x, mut y) = (item.at.0, LIST_HEADING + item.at.1);
            self.line(&format!(
                r#"<g class="finding-item severity-{}" data-code="{}" data-element="{}" data-number="{}">"#,
                item.severity.as_str(),
                item.code,
                escape(item.element.as_deref().unwrap_or("")),
                item.number
            ));
            let colour = self.theme.severity(item.severity);
            self.number(item.number, (x + MARGIN + 8.0, y + LIST_LINE / 2.0), colour);
            for (index, line) in item.lines.iter().enumerate() {
                let baseline = y + LIST_LINE / 2.0 + DETAIL_SIZE * 0.36;
                let code = if index == 0 {
                    format!(r#"<tspan font-weight="600">{}</tspan>  "#, item.code)
                } else {
                    String::new()
                };
                self.line(&format!(
                    r#"<text x="{}" y="{}" font-size="{}" fill="{}" xml:space="preserve">{code}{}</text>"#,
                    num(x + MARGIN + LIST_INDENT),
                    num(baseline),
                    num(DETAIL_SIZE),
                    palette.text,
                    escape(line)
                ));
                y += LIST_LINE;
            }
            self.line("</g>");
        }
        self.line("</g>");
    }

    fn legend(&mut self, legend: &Legend) {
        let palette = self.theme.palette();
        self.line(&format!(
            r#"<g class="legend" transform="translate(0 {})">"#,
            num(legend.y)
        ));
        let middle = LEGEND_HEIGHT / 2.0;
        let entries = legend_entries(&legend.kinds);
        for (kind, (x, _)) in legend.kinds.iter().zip(&entries) {
            self.line(&format!(
                r#"<path d="{}" transform="translate({} {}) scale({})" fill="none" stroke="{}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>"#,
                kind.info().glyph,
                num(*x),
                num(middle - ICON / 2.0),
                num(ICON / GLYPH_GRID),
                self.theme.accent(*kind)
            ));
            self.line(&format!(
                r#"<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
                num(x + ICON + 6.0),
                num(middle + 4.0),
                num(DETAIL_SIZE),
                palette.text,
                kind.as_str()
            ));
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
            self.line(&format!(
                r#"<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>"#,
                num(x + LEGEND_SAMPLE + 6.0),
                num(middle + 4.0),
                num(DETAIL_SIZE),
                palette.text,
                line.name()
            ));
        }
        self.line("</g>");
    }
}

/// Red of a cut link, the same in both themes.
const CUT: &str = "#d64545";

/// How a line is stroked: links by mode and plane, relations apart.
struct LineStyle {
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

    /// Dotted for a dead-letter queue, dash-dotted for what a cache holds a copy of.
    fn relation(class: &str, palette: &Palette) -> LineStyle {
        LineStyle {
            stroke: palette.muted,
            width: "1.2",
            dash: Some(if class == hld_model::attr::DLQ.name() {
                "1 3"
            } else {
                "6 2 1 2"
            }),
            double: false,
        }
    }

    /// The sample of a legend line.
    fn of_legend(line: LegendLine, palette: &Palette) -> LineStyle {
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
fn line_opacity(state: State) -> &'static str {
    match state {
        State::Dimmed => r#" opacity="0.2""#,
        _ => "",
    }
}

/// ` failed`, ` cut`… for an element's class list (nothing when drawn as usual).
fn class_suffix(state: State) -> String {
    state.class().map(|c| format!(" {c}")).unwrap_or_default()
}

/// How the overlay draws one element, when there is one.
fn overlay_state<'a>(scene: &'a Scene, pick: impl Fn(&'a Overlay) -> Option<&'a State>) -> State {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole hundredths write what `{:.2}` with trailing zeros cut wrote.
    #[test]
    fn numbers_are_written_as_before() {
        for value in [
            0.0,
            -0.0,
            -0.004,
            0.005,
            1.0,
            1.5,
            1.25,
            -1.25,
            12.3456,
            999.999,
            -7.1,
            1e9 + 0.01,
        ] {
            let text = format!("{:.2}", crate::round(value));
            let expected = text.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(num(value).to_string(), expected, "{value}");
        }
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0).to_string(), "12");
        assert_eq!(num(12.345).to_string(), "12.35");
        assert_eq!(num(-0.001).to_string(), "0");
        assert_eq!(num(0.5).to_string(), "0.5");
    }

    #[test]
    fn escape_covers_markup_and_control_characters() {
        assert_eq!(
            escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&apos; "
        );
    }
}
