//! `hld render FILE --flow ID --as sequence`: a flow as a sequence diagram. Lifelines
//! for the components the flow reaches, in the order its steps reach them; one message
//! per step, in step order (synchronous: a solid line, answered by a dashed return once
//! the calls it made are answered; asynchronous: a dashed line with an open head, no
//! return); a conditional step (`ratio` below 100%) in an `opt` frame; a step to one of
//! a router's alternatives as an `alt` frame with a message to each. Each message says
//! its protocol and, from the estimate, the flow's rate on it and the callee's p99; the
//! caption gives the flow's totals. Written through the escaping writer.
//!
//! Classes (docs/cli.md): `g.lifeline[data-id]`, `g.message[data-step][data-from]
//! [data-to]` (with `sync` or `async`), `g.return`, `g.frame.opt`, `g.frame.alt`.

use hld_analysis::estimate::{Estimates, human_duration, human_rate, percent, step_ratio};
use hld_analysis::facts::Facts;
use hld_model::{ComponentId, FlowId, Model};

use crate::svg::num;
use crate::svg::xml::Xml;
use crate::text::{self, FAMILY, Weight};
use crate::theme::Theme;

const MARGIN: f64 = 16.0;
const HEAD_HEIGHT: f64 = 44.0;
const ROW: f64 = 40.0;
const GAP: f64 = 36.0;
const FONT: f64 = 12.0;
const LABEL_FONT: f64 = 11.0;
const TITLE_FONT: f64 = 16.0;
const TOP: f64 = 48.0;

/// One thing drawn down the page, in order.
#[derive(Clone, Debug, PartialEq)]
enum Row {
    Message {
        step: usize,
        from: usize,
        to: usize,
        sync: bool,
        label: String,
    },
    Return {
        from: usize,
        to: usize,
    },
}

/// A frame around rows `first..=last`: `opt` (a conditional step) or `alt` (a router's
/// alternatives, split between rows).
#[derive(Clone, Debug, PartialEq)]
struct Frame {
    alt: bool,
    label: String,
    first: usize,
    last: usize,
    /// Rows after which an `alt` frame draws its dividing line.
    dividers: Vec<usize>,
}

struct Sequence {
    title: String,
    lifelines: Vec<ComponentId>,
    rows: Vec<Row>,
    frames: Vec<Frame>,
    caption: String,
}

/// The SVG of flow `flow` as a sequence diagram.
pub fn render(model: &Model, flow: FlowId, theme: Theme) -> String {
    let facts = Facts::new(model);
    let estimates = Estimates::figures_only(model, &facts);
    draw(model, &sequence(model, &facts, &estimates, flow), theme)
}

/// Every flow as a sequence diagram, in the model's order, from one estimate (watch
/// mode offers them all on every save).
pub fn render_all(model: &Model, theme: Theme) -> Vec<String> {
    let facts = Facts::new(model);
    let estimates = Estimates::figures_only(model, &facts);
    (0..model.flows.len())
        .map(|flow| draw(model, &sequence(model, &facts, &estimates, flow), theme))
        .collect()
}

fn sequence(model: &Model, facts: &Facts, estimates: &Estimates, index: FlowId) -> Sequence {
    let flow = &model.flows[index];
    let mut lifelines = vec![flow.start];
    let lane = |id: ComponentId, lifelines: &mut Vec<ComponentId>| {
        lifelines.iter().position(|&l| l == id).unwrap_or_else(|| {
            lifelines.push(id);
            lifelines.len() - 1
        })
    };
    let rate = estimates.flows[index].rate.map_or(0.0, |r| r.peak);
    // The share of the flow's requests that reach each component.
    let mut reached: std::collections::HashMap<ComponentId, f64> =
        std::collections::HashMap::from([(flow.start, 1.0)]);
    let mut rows = Vec::new();
    let mut frames = Vec::new();
    // Open synchronous calls, innermost last: (caller's lane, callee, the frames its step
    // opened), answered in turn; a frame holds its calls' answers too.
    let mut open: Vec<(usize, ComponentId, Vec<usize>)> = Vec::new();
    for (number, step) in flow.steps.iter().enumerate() {
        let link = model.link(step.link);
        let share = reached.get(&link.from).copied().unwrap_or(1.0);
        let ratio = step_ratio(model, flow, step);
        let share_here = share * ratio;
        let at = reached.entry(link.to).or_insert(0.0);
        *at = at.max(share_here);
        // Answer the calls this step is not made within.
        while open
            .last()
            .is_some_and(|(_, callee, _)| *callee != link.from)
        {
            let (caller, callee, opened) = open.pop().expect("an open call");
            answer(
                &mut rows,
                &mut frames,
                (lane(callee, &mut lifelines), caller),
                &opened,
            );
        }
        let sync = facts.is_sync(step.link);
        let from = lane(link.from, &mut lifelines);
        let alternatives = facts.alternative_set(model, link.from, link.to);
        let first = rows.len();
        // The step's own target last: the flow's next steps go on from it, inside its
        // branch of the `alt`.
        let mut targets: Vec<ComponentId> =
            alternatives.into_iter().filter(|&t| t != link.to).collect();
        targets.push(link.to);
        let each = share_here * rate / targets.len() as f64;
        let mut dividers = Vec::new();
        for (i, &target) in targets.iter().enumerate() {
            if i > 0 {
                dividers.push(rows.len() - 1);
            }
            let to = lane(target, &mut lifelines);
            let protocol =
                model
                    .link(step.link)
                    .text()
                    .unwrap_or(if sync { "call" } else { "message" });
            let p99 = estimates.components[target.index()]
                .latency_p99
                .map(|p| format!(" · p99 {}", human_duration(p)))
                .unwrap_or_default();
            rows.push(Row::Message {
                step: number + 1,
                from,
                to,
                sync,
                label: format!("{}. {protocol} · {}{p99}", number + 1, human_rate(each)),
            });
        }
        let frames_before = frames.len();
        if targets.len() > 1 {
            let names: Vec<&str> = targets
                .iter()
                .map(|&t| model.component(t).id.as_str())
                .collect();
            frames.push(Frame {
                alt: true,
                label: format!("alt [{}]", names.join(" | ")),
                first,
                last: rows.len() - 1,
                dividers,
            });
        }
        if ratio < 1.0 - 1e-9 {
            frames.push(Frame {
                alt: false,
                label: format!("opt [{}]", percent(ratio)),
                first,
                last: rows.len() - 1,
                dividers: Vec::new(),
            });
        }
        if sync {
            open.push((from, link.to, (frames_before..frames.len()).collect()));
        }
    }
    while let Some((caller, callee, opened)) = open.pop() {
        answer(
            &mut rows,
            &mut frames,
            (lane(callee, &mut lifelines), caller),
            &opened,
        );
    }
    let totals = &estimates.flows[index];
    let caption = format!(
        "flow {}: {} at peak · p50 {} · p99 {} · availability {}",
        flow.id,
        human_rate(rate),
        human_duration(totals.latency),
        human_duration(totals.latency_p99),
        percent(totals.availability)
    );
    Sequence {
        title: flow.label.clone().unwrap_or_else(|| flow.id.clone()),
        lifelines,
        rows,
        frames,
        caption,
    }
}

/// The return of a call, `(callee's lane, caller's lane)`, inside the frames its step
/// opened.
fn answer(rows: &mut Vec<Row>, frames: &mut [Frame], (from, to): (usize, usize), opened: &[usize]) {
    rows.push(Row::Return { from, to });
    for &frame in opened {
        frames[frame].last = rows.len() - 1;
    }
}

fn draw(model: &Model, sequence: &Sequence, theme: Theme) -> String {
    let palette = theme.palette();
    let names: Vec<&str> = sequence
        .lifelines
        .iter()
        .map(|&id| model.component(id).name())
        .collect();
    let widths: Vec<f64> = names
        .iter()
        .map(|n| text::width(n, FONT, Weight::SemiBold) + 24.0)
        .collect();
    // Lanes far enough apart for their heads and the widest label between neighbours.
    let widest_label = sequence
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Message { label, .. } => Some(text::width(label, LABEL_FONT, Weight::Regular)),
            Row::Return { .. } => None,
        })
        .fold(0.0, f64::max);
    let spacing = widths
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(widest_label + 24.0)
        + GAP;
    let x = |lane: usize| MARGIN + widths[0] / 2.0 + 8.0 + lane as f64 * spacing;
    let rows_top = TOP + HEAD_HEIGHT + ROW;
    let y = |row: usize| rows_top + row as f64 * ROW;
    let bottom = y(sequence.rows.len()) + 8.0;
    let caption_width = text::width(&sequence.caption, FONT, Weight::Regular);
    let width = (x(sequence.lifelines.len() - 1) + spacing / 2.0 + MARGIN)
        .max(caption_width + 2.0 * MARGIN)
        .max(text::width(&sequence.title, TITLE_FONT, Weight::SemiBold) + 2.0 * MARGIN)
        .ceil();
    let height = (bottom + 40.0).ceil();
    let mut xml = Xml::with_capacity(8192);
    xml.start("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("width", num(width))
        .attr("height", num(height))
        .attr(
            "viewBox",
            format!("0 0 {} {}", num(width), num(height)).as_str(),
        )
        .attr("font-family", FAMILY)
        .attr("class", format!("hld sequence theme-{}", theme.as_str()));
    xml.start("rect")
        .attr("class", "background")
        .attr("width", num(width))
        .attr("height", num(height))
        .attr("fill", palette.background)
        .end();
    xml.start("g").attr("class", "title");
    text_at(
        &mut xml,
        (MARGIN, 30.0),
        (TITLE_FONT, "start", "600", palette.text),
        &sequence.title,
    );
    xml.end();
    for frame in &sequence.frames {
        draw_frame(&mut xml, frame, sequence, (&x, &y), palette.muted);
    }
    for (lane, (&id, name)) in sequence.lifelines.iter().zip(&names).enumerate() {
        let component = model.component(id);
        xml.start("g")
            .attr("class", "lifeline")
            .attr("data-id", component.id.as_str());
        let (cx, w) = (x(lane), widths[lane]);
        xml.start("line")
            .attr("x1", num(cx))
            .attr("y1", num(TOP + HEAD_HEIGHT))
            .attr("x2", num(cx))
            .attr("y2", num(bottom))
            .attr("stroke", palette.muted)
            .attr("stroke-dasharray", "4 4")
            .end();
        xml.start("rect")
            .attr("x", num(cx - w / 2.0))
            .attr("y", num(TOP))
            .attr("width", num(w))
            .attr("height", num(HEAD_HEIGHT))
            .attr("rx", "6")
            .attr("fill", palette.node_fill)
            .attr("stroke", theme.accent(component.kind))
            .attr("stroke-width", "1.5")
            .end();
        text_at(
            &mut xml,
            (cx, TOP + 20.0),
            (FONT, "middle", "600", palette.text),
            name,
        );
        let detail = (LABEL_FONT, "middle", "400", palette.muted);
        text_at(&mut xml, (cx, TOP + 35.0), detail, component.detail());
        xml.end();
    }
    let ids: Vec<&str> = sequence
        .lifelines
        .iter()
        .map(|&id| model.component(id).id.as_str())
        .collect();
    for (index, row) in sequence.rows.iter().enumerate() {
        draw_row(&mut xml, row, (&x, y(index), &ids), palette);
    }
    xml.start("g").attr("class", "caption");
    let caption = (FONT, "start", "400", palette.text);
    text_at(
        &mut xml,
        (MARGIN, bottom + 24.0),
        caption,
        &sequence.caption,
    );
    xml.end();
    xml.end();
    xml.finish()
}

/// A message or a return on its row at height `y`, from lane to lane (`ids` names the
/// lanes' components).
fn draw_row(
    xml: &mut Xml,
    row: &Row,
    (x, y, ids): (&impl Fn(usize) -> f64, f64, &[&str]),
    palette: &crate::theme::Palette,
) {
    let (from, to, sync) = match row {
        Row::Message { from, to, sync, .. } => (*from, *to, *sync),
        Row::Return { from, to } => (*from, *to, false),
    };
    xml.start("g");
    match row {
        Row::Message { step, .. } => {
            let mode = if sync {
                "message sync"
            } else {
                "message async"
            };
            xml.attr("class", mode)
                .attr("data-step", num(*step as f64))
                .attr("data-from", ids[from])
                .attr("data-to", ids[to]);
        }
        Row::Return { .. } => {
            xml.attr("class", "return")
                .attr("data-from", ids[from])
                .attr("data-to", ids[to]);
        }
    }
    let (x1, x2) = (x(from), x(to));
    // A call to itself loops out to the right and back.
    let (data, tip, back) = if from == to {
        let path = format!("M{} {} h30 v12 h-28", num(x1), num(y - 6.0));
        (path, (x1 + 2.0, y + 6.0), -1.0)
    } else {
        let toward = if x2 >= x1 { 1.0 } else { -1.0 };
        let end = x2 - toward * 2.0;
        let path = format!("M{} {} L{} {}", num(x1), num(y), num(end), num(y));
        (path, (end, y), toward)
    };
    xml.start("path")
        .attr("d", data.as_str())
        .attr("fill", "none")
        .attr("stroke", palette.edge)
        .attr("stroke-width", "1.5");
    if !sync {
        xml.attr("stroke-dasharray", "5 4");
    }
    xml.end();
    let head = format!(
        "M{} {} L{} {} L{} {}",
        num(tip.0 - back * 8.0),
        num(tip.1 - 4.0),
        num(tip.0),
        num(tip.1),
        num(tip.0 - back * 8.0),
        num(tip.1 + 4.0)
    );
    // A call's head is filled; a message's and a return's open.
    let filled = sync && matches!(row, Row::Message { .. });
    xml.start("path")
        .attr("class", "arrowhead")
        .attr("d", head.as_str())
        .attr("fill", if filled { palette.edge } else { "none" })
        .attr("stroke", palette.edge)
        .attr("stroke-width", "1.5")
        .end();
    if let Row::Message { label, .. } = row {
        let (at, anchor) = if from == to {
            (x1 + 36.0, "start")
        } else {
            ((x1 + x2) / 2.0, "middle")
        };
        text_at(
            xml,
            (at, y - 6.0),
            (LABEL_FONT, anchor, "400", palette.text),
            label,
        );
    }
    xml.end();
}

fn draw_frame(
    xml: &mut Xml,
    frame: &Frame,
    sequence: &Sequence,
    (x, y): (&impl Fn(usize) -> f64, &impl Fn(usize) -> f64),
    stroke: &str,
) {
    let lanes = sequence.rows[frame.first..=frame.last]
        .iter()
        .flat_map(|r| match r {
            Row::Message { from, to, .. } | Row::Return { from, to } => [*from, *to],
        });
    let (low, high) = lanes.fold((usize::MAX, 0), |(l, h), lane| (l.min(lane), h.max(lane)));
    let (left, right) = (x(low) - 24.0, x(high) + 24.0);
    let (top, bottom) = (y(frame.first) - ROW * 0.75, y(frame.last) + ROW * 0.35);
    xml.start("g")
        .attr("class", if frame.alt { "frame alt" } else { "frame opt" });
    xml.start("rect")
        .attr("x", num(left))
        .attr("y", num(top))
        .attr("width", num(right - left))
        .attr("height", num(bottom - top))
        .attr("fill", "none")
        .attr("stroke", stroke)
        .end();
    let style = (LABEL_FONT, "start", "600", stroke);
    text_at(xml, (left + 4.0, top + 12.0), style, &frame.label);
    for &row in &frame.dividers {
        let at = (y(row) + y(row + 1)) / 2.0;
        xml.start("line")
            .attr("x1", num(left))
            .attr("y1", num(at))
            .attr("x2", num(right))
            .attr("y2", num(at))
            .attr("stroke", stroke)
            .attr("stroke-dasharray", "6 3")
            .end();
    }
    xml.end();
}

/// One line of text at (x, y), in `(size, anchor, weight, colour)`.
fn text_at(xml: &mut Xml, (x, y): (f64, f64), style: (f64, &str, &str, &str), text: &str) {
    let (size, anchor, weight, fill) = style;
    xml.text_element(
        "text",
        |t| {
            t.attr("x", num(x))
                .attr("y", num(y))
                .attr("text-anchor", anchor)
                .attr("font-size", num(size))
                .attr("font-weight", weight)
                .attr("fill", fill);
        },
        text,
    );
}
