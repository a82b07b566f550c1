//! `hld simulate --format svg`: the run as small multiples, one chart per flow and per
//! component whose utilization crosses 80%. Time runs along x; the trigger's window is
//! shaded. A flow's chart draws the share of its requests failing (filled, 0–100%) and
//! its p99 (a line, scaled to its own highest); a component's its utilization (a line,
//! with 100% marked) and its backlog (filled, scaled to its own highest). Written
//! through the escaping writer: ids are text.
//!
//! Classes: `g.chart[data-id][data-kind]`, `rect.trigger`, `path.errors`, `path.p99`,
//! `path.utilization`, `line.capacity`, `path.backlog`.

use crate::svg::num;
use crate::svg::xml::Xml;
use crate::text::FAMILY;
use crate::theme::Theme;
use hld_analysis::simulate::{BUSY, Run, Series, SeriesKind, human_clock};
use hld_model::figures::{human_duration, share_percent};

const COLUMNS: usize = 3;
const WIDTH: f64 = 340.0;
const HEIGHT: f64 = 170.0;
const GAP: f64 = 20.0;
/// The plot inside a chart: left, top, right and bottom margins.
const PLOT: (f64, f64, f64, f64) = (44.0, 34.0, 12.0, 26.0);
/// Points drawn per line at most: longer runs keep each bucket's highest value, so a
/// spike is never smoothed away.
const MAX_POINTS: usize = 600;
const RED: &str = "#d64545";
const BLUE: &str = "#2680c2";
const AMBER: &str = "#de911d";

/// The charts of a run; `title` heads the page.
pub fn charts(run: &Run, title: &str, theme: Theme) -> String {
    let shown: Vec<&Series> = run
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Flow || s.peak_utilization().is_some_and(|u| u > BUSY))
        .collect();
    let rows = shown.len().div_ceil(COLUMNS).max(1);
    let width = COLUMNS as f64 * (WIDTH + GAP) + GAP;
    let height = 50.0 + rows as f64 * (HEIGHT + GAP);
    let palette = theme.palette();
    let mut xml = Xml::with_capacity(64 * 1024 + shown.len() * 16 * 1024);
    xml.start("svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("width", num(width))
        .attr("height", num(height))
        .attr("viewBox", format!("0 0 {} {}", num(width), num(height)))
        .attr("font-family", FAMILY)
        .attr("class", "hld-simulation");
    xml.start("rect")
        .attr("width", num(width))
        .attr("height", num(height))
        .attr("fill", palette.background);
    xml.end();
    xml.text_element(
        "text",
        |x| {
            x.attr("x", num(GAP))
                .attr("y", num(30.0))
                .attr("font-size", num(16.0))
                .attr("font-weight", "600")
                .attr("fill", palette.text);
        },
        title,
    );
    if shown.is_empty() {
        xml.text_element(
            "text",
            |x| {
                x.attr("x", num(GAP))
                    .attr("y", num(70.0))
                    .attr("font-size", num(12.0))
                    .attr("fill", palette.muted);
            },
            "No flow, and no component above 80% at any step.",
        );
    }
    for (index, series) in shown.iter().enumerate() {
        let x = GAP + (index % COLUMNS) as f64 * (WIDTH + GAP);
        let y = 50.0 + (index / COLUMNS) as f64 * (HEIGHT + GAP);
        chart(&mut xml, run, series, (x, y), theme);
    }
    xml.end();
    xml.finish()
}

fn chart(xml: &mut Xml, run: &Run, series: &Series, (x, y): (f64, f64), theme: Theme) {
    let palette = theme.palette();
    let kind = match series.kind {
        SeriesKind::Flow => "flow",
        SeriesKind::Component => "component",
    };
    xml.start("g")
        .attr("class", "chart")
        .attr("data-id", &series.id)
        .attr("data-kind", kind)
        .attr("transform", format!("translate({} {})", num(x), num(y)));
    xml.start("rect")
        .attr("width", num(WIDTH))
        .attr("height", num(HEIGHT))
        .attr("rx", num(6.0))
        .attr("fill", palette.node_fill)
        .attr("stroke", palette.group.1);
    xml.end();
    xml.text_element(
        "text",
        |x| {
            x.attr("x", num(10.0))
                .attr("y", num(18.0))
                .attr("font-size", num(12.0))
                .attr("font-weight", "600")
                .attr("fill", palette.text);
        },
        &heading(run, series),
    );
    let plot = Plot::new(run);
    if let Some(window) = run.trigger {
        let (from, to) = (plot.x(window.start), plot.x(window.end.min(run.duration)));
        xml.start("rect")
            .attr("class", "trigger")
            .attr("x", num(from))
            .attr("y", num(PLOT.1))
            .attr("width", num((to - from).max(1.0)))
            .attr("height", num(plot.height()))
            .attr("fill", palette.muted)
            .attr("fill-opacity", num(0.15));
        xml.end();
    }
    axes(xml, run, &plot, theme);
    match series.kind {
        SeriesKind::Flow => flow_lines(xml, run, series, &plot, theme),
        SeriesKind::Component => component_lines(xml, run, series, &plot, theme),
    }
    xml.end();
}

fn heading(run: &Run, series: &Series) -> String {
    match series.kind {
        SeriesKind::Flow => {
            let outcome = run.outcomes.iter().find(|o| o.flow == series.id);
            let said = outcome.map_or_else(String::new, |o| o.outcome.describe());
            format!("flow {} · {said}", series.id)
        }
        SeriesKind::Component => format!(
            "{} · peak {}",
            series.id,
            share_percent(series.peak_utilization().unwrap_or(0.0))
        ),
    }
}

/// Where the plot sits in a chart, and time and value to positions.
struct Plot {
    duration: f64,
}

impl Plot {
    fn new(run: &Run) -> Plot {
        Plot {
            duration: run.duration.max(1e-9),
        }
    }

    fn width(&self) -> f64 {
        WIDTH - PLOT.0 - PLOT.2
    }

    fn height(&self) -> f64 {
        HEIGHT - PLOT.1 - PLOT.3
    }

    fn x(&self, t: f64) -> f64 {
        PLOT.0 + self.width() * (t / self.duration).clamp(0.0, 1.0)
    }

    /// A value of `top` at the top of the plot.
    fn y(&self, value: f64, top: f64) -> f64 {
        let share = if top > 0.0 {
            (value / top).clamp(0.0, 1.0)
        } else {
            0.0
        };
        PLOT.1 + self.height() * (1.0 - share)
    }
}

fn axes(xml: &mut Xml, run: &Run, plot: &Plot, theme: Theme) {
    let palette = theme.palette();
    let bottom = PLOT.1 + plot.height();
    xml.start("path")
        .attr(
            "d",
            format!(
                "M{} {}V{}H{}",
                num(PLOT.0),
                num(PLOT.1),
                num(bottom),
                num(PLOT.0 + plot.width())
            ),
        )
        .attr("fill", "none")
        .attr("stroke", palette.muted);
    xml.end();
    for t in ticks(run.duration) {
        xml.text_element(
            "text",
            |x| {
                x.attr("x", num(plot.x(t)))
                    .attr("y", num(bottom + 14.0))
                    .attr("font-size", num(9.0))
                    .attr("text-anchor", "middle")
                    .attr("fill", palette.muted);
            },
            &human_clock(t),
        );
    }
}

/// Up to six round times along the run.
fn ticks(duration: f64) -> Vec<f64> {
    let steps = [
        1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0,
    ];
    let every = steps
        .into_iter()
        .find(|s| duration / s <= 6.0)
        .unwrap_or(duration / 6.0);
    let count = (duration / every).floor() as usize;
    (0..=count).map(|i| i as f64 * every).collect()
}

fn flow_lines(xml: &mut Xml, run: &Run, series: &Series, plot: &Plot, theme: Theme) {
    let errors: Vec<f64> = (0..series.offered.len())
        .map(|i| series.error_share(i))
        .collect();
    area(xml, run, &errors, 1.0, plot, ("errors", RED));
    let p99: Vec<f64> = series.p99.iter().map(|p| p.unwrap_or(0.0)).collect();
    let top = p99.iter().copied().fold(0.0, f64::max);
    line(xml, run, &p99, top, plot, ("p99", BLUE));
    legend(
        xml,
        theme,
        &[
            (RED, "failing, 0–100%".to_string()),
            (BLUE, format!("p99, up to {}", human_duration(top))),
        ],
    );
}

fn component_lines(xml: &mut Xml, run: &Run, series: &Series, plot: &Plot, theme: Theme) {
    let backlog = &series.backlog;
    let most = backlog.iter().copied().fold(0.0, f64::max);
    if most > 0.0 {
        area(xml, run, backlog, most, plot, ("backlog", AMBER));
    }
    let utilization: Vec<f64> = series
        .utilization
        .iter()
        .map(|u| u.unwrap_or(0.0))
        .collect();
    let top = utilization.iter().copied().fold(1.2, f64::max);
    let full = plot.y(1.0, top);
    xml.start("line")
        .attr("class", "capacity")
        .attr("x1", num(PLOT.0))
        .attr("x2", num(PLOT.0 + plot.width()))
        .attr("y1", num(full))
        .attr("y2", num(full))
        .attr("stroke", RED)
        .attr("stroke-dasharray", "4 3");
    xml.end();
    line(xml, run, &utilization, top, plot, ("utilization", BLUE));
    let mut keys = vec![(BLUE, format!("utilization, up to {}", share_percent(top)))];
    if most > 0.0 {
        keys.push((AMBER, format!("backlog, up to {most:.0}")));
    }
    legend(xml, theme, &keys);
}

/// The points of a series, at most [`MAX_POINTS`], each bucket at its highest value.
fn points(run: &Run, values: &[f64], top: f64, plot: &Plot) -> Vec<(f64, f64)> {
    let per = values.len().div_ceil(MAX_POINTS).max(1);
    values
        .chunks(per)
        .enumerate()
        .map(|(i, bucket)| {
            let t = run.times.get(i * per).copied().unwrap_or(0.0);
            let value = bucket.iter().copied().fold(f64::MIN, f64::max);
            (plot.x(t), plot.y(value, top))
        })
        .collect()
}

fn path_data(points: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(points.len() * 14);
    for (i, (x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&format!("{} {}", num(*x), num(*y)));
    }
    d
}

fn line(
    xml: &mut Xml,
    run: &Run,
    values: &[f64],
    top: f64,
    plot: &Plot,
    (class, colour): (&'static str, &str),
) {
    let points = points(run, values, top, plot);
    xml.start("path")
        .attr("class", class)
        .attr("d", path_data(&points))
        .attr("fill", "none")
        .attr("stroke", colour)
        .attr("stroke-width", num(1.5));
    xml.end();
}

fn area(
    xml: &mut Xml,
    run: &Run,
    values: &[f64],
    top: f64,
    plot: &Plot,
    (class, colour): (&'static str, &str),
) {
    let points = points(run, values, top, plot);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return;
    };
    let bottom = PLOT.1 + plot.height();
    let mut d = path_data(&points);
    d.push_str(&format!(
        "L{} {}L{} {}Z",
        num(last.0),
        num(bottom),
        num(first.0),
        num(bottom)
    ));
    xml.start("path")
        .attr("class", class)
        .attr("d", d)
        .attr("fill", colour)
        .attr("fill-opacity", num(0.35))
        .attr("stroke", "none");
    xml.end();
}

fn legend(xml: &mut Xml, theme: Theme, keys: &[(&str, String)]) {
    let palette = theme.palette();
    for (index, (colour, text)) in keys.iter().enumerate() {
        let x = 10.0 + index as f64 * 160.0;
        xml.start("rect")
            .attr("x", num(x))
            .attr("y", num(24.0))
            .attr("width", num(8.0))
            .attr("height", num(8.0))
            .attr("fill", *colour);
        xml.end();
        xml.text_element(
            "text",
            |t| {
                t.attr("x", num(x + 12.0))
                    .attr("y", num(31.5))
                    .attr("font-size", num(9.0))
                    .attr("fill", palette.muted);
            },
            text,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_at_most_seven() {
        assert_eq!(ticks(600.0), vec![0.0, 120.0, 240.0, 360.0, 480.0, 600.0]);
        assert_eq!(ticks(60.0), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
    }
}
