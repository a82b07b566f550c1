//! What `hld estimate` prints: the capacity math of a design review as a table,
//! Markdown or the versioned JSON of docs/cli.md.

mod json;

use crate::Format;
use hld_analysis::estimate::{
    ComponentEstimate, Estimates, human_count, human_duration, human_money, human_rate, human_size,
    percent, percent_against, share_percent,
};
use hld_analysis::facts::Facts;
use hld_model::attr;
use hld_model::{Attr, Component, Kind, Model};
use hld_syntax::diagnostics::visible;
pub use json::json;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What every estimate rests on; the defaults a design relies on follow
/// ([`Estimates::assumptions`]).
const ASSUMPTIONS: &[&str] = &[
    "Rates are peaks: a client's is `rate`, else dau × requests × peak; a link carries its `rate`, else `ratio` × its sender's inbound, else what its sender forwards: a caller 100% on each link, an lb, gateway or dns an equal share per target, a cdn its misses, a store its writes, a cache its misses (read-through) and writes (write-through), a log every message to each consumer group, a broker a share per group.",
    "An `ops: replicate` link carries its source's writes, as writes; an `ops: control` link (leases, heartbeats) carries nothing and is on no request path.",
    "Availability: failures are independent and there are no retries; a replica's availability is its `availability`, else its engine's, else 99.9%; a store with a replication protocol is available for writes and reads by it (a leader's failover time over `mttr`, quorums by the binomial), and shards do not multiply it; a caller's dependencies are in series, an lb's or dns's targets are alternatives, a gateway's routes count by their share, a cdn's origins only for its misses; what all of a router's alternatives depend on counts once, in series, not masked by the other alternatives.",
    "Latency is a pair, p50 and p99 (`latency`, `latency_p99`, else the engine's, else a default by kind), summed along the path slowest at p99 (the p99 sum is an upper bound): dependencies are called in parallel, through an lb or dns the slowest alternative, through a cdn its miss path (the worst case); waiting for k parallel calls (a fan-out ratio, a scatter read over k shards) waits for the slowest of k; a link between regions adds its round trip (70ms unless `rtt` says).",
    "A month is 30 days and a year 365 days; storage uses the average write rate.",
];

/// The general assumptions, then the defaults this design relies on.
pub fn assumptions(estimates: &Estimates) -> Vec<String> {
    let mut lines: Vec<String> = ASSUMPTIONS.iter().map(|a| a.to_string()).collect();
    for assumption in &estimates.assumptions {
        const LISTED: usize = 6;
        let mut names: Vec<String> = assumption
            .elements
            .iter()
            .take(LISTED)
            .map(|e| format!("`{}`", fit(e, MAX_CELL_WIDTH)))
            .collect();
        if assumption.elements.len() > LISTED {
            names.push(format!("{} more", assumption.elements.len() - LISTED));
        }
        let mut text = assumption.text.clone();
        if let Some(first) = text.get(..1) {
            text = first.to_uppercase() + &text[1..];
        }
        lines.push(format!("{text}: {}.", names.join(", ")));
    }
    lines
}

/// What `hld estimate` prints for a model that compiled.
pub fn report(model: &Model, format: Format, explain: bool) -> String {
    let facts = Facts::new(model);
    let estimates = Estimates::new(model, &facts);
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&json::Document::new(model, &estimates));
            json.expect("serializes") + "\n"
        }
        Format::Table => table(model, &estimates, explain, false),
        Format::Markdown => table(model, &estimates, explain, true),
    }
}

fn dash() -> String {
    "—".to_string()
}

/// The estimate's tables as text cells, a header row first, formatted as the command
/// line prints them: the playground shows these, so a figure reads the same everywhere.
pub struct Tables {
    pub components: Vec<Vec<String>>,
    pub flows: Vec<Vec<String>>,
}

pub fn tables(model: &Model, estimates: &Estimates) -> Tables {
    Tables {
        components: rows(model, estimates),
        flows: flow_rows(model, estimates),
    }
}

/// The per-component rows, as text cells.
fn rows(model: &Model, estimates: &Estimates) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "component",
            "kind",
            "peak",
            "average",
            "reads",
            "writes",
            "capacity",
            "util",
            "storage",
            "in/out",
            "availability",
            "p50 / p99",
            "cost/month",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (component, e) in model.components.iter().zip(&estimates.components) {
        // Reads and writes describe stores; for other kinds they would only repeat `peak`.
        let rate = |v: f64| {
            if v > 0.0 && component.kind.is_data() {
                human_rate(v)
            } else {
                dash()
            }
        };
        rows.push(vec![
            component.id.clone(),
            component.kind.to_string(),
            e.inbound.map_or_else(dash, |r| human_rate(r.peak)),
            e.inbound.map_or_else(dash, |r| human_rate(r.average)),
            rate(e.reads()),
            rate(e.writes()),
            capacity_cell(e),
            e.utilization.map_or_else(dash, |u| {
                format!("{}%", hld_analysis::estimate::significant(u * 100.0))
            }),
            e.storage
                .as_ref()
                .map_or_else(dash, |s| human_size(s.value)),
            bandwidth(e.ingress, e.egress),
            if component.kind == Kind::Client {
                dash()
            } else {
                percent(e.availability.value)
            },
            own_latency(e),
            e.cost.as_ref().map_or_else(dash, |c| dollars(c.value)),
        ]);
    }
    rows
}

/// A component's own p50 and p99 (a client adds none).
fn own_latency(e: &ComponentEstimate) -> String {
    match (e.latency, e.latency_p99) {
        (Some(p50), Some(p99)) => {
            let mut cell = human_duration(p50);
            cell.push_str(" / ");
            cell.push_str(&human_duration(p99));
            cell
        }
        _ => dash(),
    }
}

/// What a component serves; a store's reads and writes each against its own limit.
fn capacity_cell(e: &ComponentEstimate) -> String {
    match &e.capacities {
        Some(c) => format!("{} r, {} w", human_rate(c.read), human_rate(c.write)),
        _ => e
            .capacity
            .as_ref()
            .map_or_else(dash, |c| human_rate(c.value)),
    }
}

/// Bytes per second in and out, where links state a `payload`.
fn bandwidth(ingress: f64, egress: f64) -> String {
    if ingress == 0.0 && egress == 0.0 {
        return dash();
    }
    let side = |bytes: f64| {
        if bytes > 0.0 {
            format!("{}/s", human_size(bytes))
        } else {
            "0".to_string()
        }
    };
    format!("{} / {}", side(ingress), side(egress))
}

fn table(model: &Model, estimates: &Estimates, explain: bool, markdown: bool) -> String {
    let mut out = String::new();
    if let Some(title) = &model.title {
        out.push_str(&if markdown {
            format!("## Estimates: {}\n\n", crate::markdown::text(title))
        } else {
            format!("{}\n\n", visible(title))
        });
    }
    out.push_str(&figures(model, estimates, markdown));
    if explain {
        out.push_str(if markdown {
            "\n### How each figure was obtained\n\n"
        } else {
            "\nHow each figure was obtained\n\n"
        });
        for line in explanations(model, estimates) {
            out.push_str(&if markdown {
                format!("- {line}\n")
            } else {
                format!("  {line}\n")
            });
        }
    }
    out.push_str(if markdown {
        "\n### Assumptions\n\n"
    } else {
        "\nAssumptions\n"
    });
    for assumption in assumptions(estimates) {
        out.push_str(&format!("- {assumption}\n"));
    }
    out
}

/// The tables of figures: per component, per client when there are several paths, per
/// flow, and the cycles cut (`hld report` shows them too).
/// `$69.1k`: a table cell's dollars (the column says per month).
fn dollars(value: f64) -> String {
    let mut cell = String::from("$");
    cell.push_str(&hld_analysis::estimate::human_count(value));
    cell
}

/// The design's monthly cost, against its `budget` when it states one.
fn cost_line(model: &Model, estimates: &Estimates) -> String {
    let total = human_money(estimates.cost);
    match model.header.number(attr::BUDGET) {
        Some(budget) => {
            let verdict = if estimates.cost > budget {
                "over"
            } else {
                "within"
            };
            format!(
                "\nCost: {total} in all at list prices, {verdict} the budget of {}.\n",
                human_money(budget)
            )
        }
        None => format!("\nCost: {total} in all at list prices.\n"),
    }
}

pub fn figures(model: &Model, estimates: &Estimates, markdown: bool) -> String {
    let mut out = grid(&rows(model, estimates), markdown);
    out.push_str(&cost_line(model, estimates));
    let connections = connection_rows(model, estimates);
    if connections.len() > 1 {
        out.push_str(if markdown {
            "\n### Connections (open at peak: websockets, streams)\n\n"
        } else {
            "\nConnections (open at peak: websockets, streams)\n\n"
        });
        out.push_str(&grid(&connections, markdown));
    }
    let paths = path_rows(model, estimates);
    if paths.len() > 1 {
        out.push_str(if markdown {
            "\n### Clients (availability by series and parallel, slowest path)\n\n"
        } else {
            "\nClients (availability by series and parallel, slowest path)\n\n"
        });
        out.push_str(&grid(&paths, markdown));
    }
    if !estimates.flows.is_empty() {
        out.push_str(if markdown {
            "\n### Flows\n\n"
        } else {
            "\nFlows\n\n"
        });
        out.push_str(&grid(&flow_rows(model, estimates), markdown));
    }
    if !estimates.cut.is_empty() {
        let cut: Vec<String> = estimates
            .cut
            .iter()
            .map(|l| format!("`{}`", model.link(*l).element(model)))
            .collect();
        out.push_str(&format!(
            "\nCycles cut at {} (their load is not passed on).\n",
            cut.join(", ")
        ));
    }
    out
}

/// Per component that holds connections: how many, what its replicas hold, the ratio.
fn connection_rows(model: &Model, estimates: &Estimates) -> Vec<Vec<String>> {
    let mut rows = vec![
        ["component", "connections", "replicas hold", "util"]
            .map(String::from)
            .to_vec(),
    ];
    for (component, e) in model.components.iter().zip(&estimates.components) {
        let Some(held) = &e.connections else { continue };
        rows.push(vec![
            component.id.clone(),
            human_count(held.value),
            e.connection_capacity
                .as_ref()
                .map_or_else(dash, |c| human_count(c.value)),
            e.connection_utilization().map_or_else(dash, |u| {
                format!("{}%", hld_analysis::estimate::significant(u * 100.0))
            }),
        ]);
    }
    rows
}

fn path_rows(model: &Model, estimates: &Estimates) -> Vec<Vec<String>> {
    let target_availability = model.header.number(attr::AVAILABILITY);
    let target_latency = model.header.number(attr::LATENCY);
    let names = |path: &[hld_model::ComponentId]| {
        path.iter()
            .map(|id| model.component(*id).id.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    };
    let mut rows = vec![
        [
            "client",
            "availability",
            "weakest",
            "p50 / p99",
            "slowest path",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for path in &estimates.paths {
        let mut availability = match target_availability {
            Some(target) => percent_against(path.availability, target),
            None => percent(path.availability),
        };
        if let Some(target) = target_availability {
            availability.push_str(if path.availability < target {
                " (below target)"
            } else {
                " (meets target)"
            });
        }
        let weakest = path.weakest.map_or_else(dash, |(id, cost)| {
            format!(
                "{} (costs {})",
                model.component(id).id,
                share_percent(cost.min(1.0))
            )
        });
        let mut latency = format!(
            "{} / {}",
            human_duration(path.latency),
            human_duration(path.latency_p99)
        );
        if let Some(target) = target_latency {
            latency.push_str(if path.latency_p99 > target {
                " (over budget)"
            } else {
                " (within budget)"
            });
        }
        rows.push(vec![
            model.component(path.client).id.clone(),
            availability,
            weakest,
            latency,
            names(&path.latency_path),
        ]);
    }
    rows
}

/// A flow's targets: its own, else the design's.
fn flow_targets(model: &Model, flow: &hld_model::Flow) -> (Option<f64>, Option<f64>) {
    let value = |attribute: Attr| flow.target(attribute, model).map(|(value, _)| value);
    (value(attr::AVAILABILITY), value(attr::LATENCY))
}

fn flow_rows(model: &Model, estimates: &Estimates) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "flow",
            "client",
            "rate",
            "p50 / p99",
            "availability",
            "target",
            "weakest",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for estimate in &estimates.flows {
        let flow = &model.flows[estimate.flow];
        let (availability_target, latency_target) = flow_targets(model, flow);
        let availability = match availability_target {
            Some(target) => percent_against(estimate.availability, target),
            None => percent(estimate.availability),
        };
        let mut targets = Vec::new();
        if let Some(target) = availability_target {
            let verdict = if estimate.availability < target {
                "below"
            } else {
                "meets"
            };
            targets.push(format!("{} ({verdict})", percent(target)));
        }
        if let Some(target) = latency_target {
            let verdict = if estimate.latency_p99 > target {
                "over"
            } else {
                "within"
            };
            targets.push(format!("{} ({verdict})", human_duration(target)));
        }
        rows.push(vec![
            flow.id.clone(),
            model.component(flow.start).id.clone(),
            estimate.rate.map_or_else(dash, |r| human_rate(r.peak)),
            format!(
                "{} / {}",
                human_duration(estimate.latency),
                human_duration(estimate.latency_p99)
            ),
            availability,
            if targets.is_empty() {
                dash()
            } else {
                targets.join(", ")
            },
            estimate.weakest.map_or_else(dash, |(id, cost)| {
                format!(
                    "{} (costs {})",
                    model.component(id).id,
                    share_percent(cost.min(1.0))
                )
            }),
        ]);
    }
    rows
}

/// How many connections a component holds open, and what its replicas hold.
fn connection_explanation(component: &Component, e: &ComponentEstimate) -> Option<String> {
    let held = e.connections.as_ref()?;
    let capacity = e.connection_capacity.as_ref().map_or(
        "; no `connections` stated, so nothing to hold them against".to_owned(),
        |c| {
            format!(
                "; its replicas hold {} = {}{}",
                c.formula,
                human_count(c.value),
                e.connection_utilization()
                    .map_or(String::new(), |u| format!(
                        ", utilization {}%",
                        hld_analysis::estimate::significant(u * 100.0)
                    ))
            )
        },
    );
    Some(format!(
        "{} connections: {} = {} open at peak{capacity}",
        component.id,
        held.formula,
        human_count(held.value)
    ))
}

fn explanations(model: &Model, estimates: &Estimates) -> Vec<String> {
    let mut lines = Vec::new();
    for path in &estimates.paths {
        let names: Vec<&str> = path
            .latency_path
            .iter()
            .map(|id| model.component(*id).id.as_str())
            .collect();
        lines.push(format!(
            "{} latency: the sum along {} (slowest at p99, with round trips and fan-out tails) = {} at the median, {} at p99 (an upper bound)",
            model.component(path.client).id,
            names.join(" → "),
            human_duration(path.latency),
            human_duration(path.latency_p99)
        ));
    }
    for estimate in &estimates.flows {
        let flow = &model.flows[estimate.flow];
        if let Some(rate) = estimate.rate {
            lines.push(format!(
                "flow {}: {} = {}",
                flow.id,
                estimate.rate_formula,
                human_rate(rate.peak)
            ));
        }
        let path: Vec<&str> = estimate
            .sync_path
            .iter()
            .map(|id| model.component(*id).id.as_str())
            .collect();
        lines.push(format!(
            "flow {} latency: the sum along {} = {} at the median, {} at p99 (an upper bound); availability: the series along its steps = {}",
            flow.id,
            path.join(" → "),
            human_duration(estimate.latency),
            human_duration(estimate.latency_p99),
            percent(estimate.availability)
        ));
    }
    for link in &model.links {
        let calls = hld_analysis::estimate::latency::fan_out(model, link);
        let target = &estimates.components[link.to.index()];
        if let (true, Some(one)) = (
            calls > 1.0 && hld_analysis::facts::link_is_sync(model, link),
            target.latency_pair(),
        ) {
            let slowest = one.slowest_of(calls);
            let k = hld_analysis::estimate::significant(calls);
            lines.push(format!(
                "{} fan-out: each request waits for the slowest of {k} calls: p50 q(0.5^(1/{k})) = {}, p99 q(0.99^(1/{k})) = {} (one call {})",
                link.element(model),
                human_duration(slowest.p50),
                human_duration(slowest.p99),
                one.text()
            ));
        }
        let (rtt, _) = hld_analysis::estimate::latency::round_trip(model, link);
        if rtt > 0.0 {
            lines.push(format!(
                "{} round trip: {} (its own `rtt`, else between regions 70ms, between zones 1ms), added to every synchronous call",
                link.element(model),
                human_duration(rtt)
            ));
        }
    }
    for (component, e) in model.components.iter().zip(&estimates.components) {
        if let Some(inbound) = e.inbound {
            let split = if component.kind.is_data() && e.reads() > 0.0 && e.writes() > 0.0 {
                format!(
                    " ({} reads, {} writes)",
                    human_rate(e.reads()),
                    human_rate(e.writes())
                )
            } else {
                String::new()
            };
            lines.push(format!(
                "{}: {} = {}{split}",
                component.id,
                e.inbound_formula,
                human_rate(inbound.peak)
            ));
        }
        if let Some(capacity) = &e.capacity {
            let util = e.utilization.map_or(String::new(), |u| {
                format!(
                    "; utilization {}%",
                    hld_analysis::estimate::significant(u * 100.0)
                )
            });
            lines.push(format!(
                "{} capacity: {} = {}{util}",
                component.id,
                capacity.formula,
                human_rate(capacity.value)
            ));
        }
        if let Some(storage) = &e.storage {
            lines.push(format!(
                "{} storage: {} = {}",
                component.id,
                storage.formula,
                human_size(storage.value)
            ));
        }
        lines.extend(store_explanations(component, e));
        lines.extend(connection_explanation(component, e));
        if let Some(cost) = &e.cost {
            lines.push(format!(
                "{} cost: {} = {}",
                component.id,
                cost.formula(),
                human_money(cost.value)
            ));
        }
        if let (Some(p50), Some(p99)) = (e.latency, e.latency_p99) {
            lines.push(format!(
                "{} latency: {} at the median, {} at p99",
                component.id,
                human_duration(p50),
                human_duration(p99)
            ));
        }
        let own = (component.kind != Kind::Client).then(|| {
            format!(
                "{} = {}",
                e.availability.formula(),
                percent(e.availability.value)
            )
        });
        let formula = e.availability_terms.formula(model);
        let with_dependencies = (!formula.is_empty()).then(|| {
            format!(
                "with its dependencies {} = {}",
                formula,
                percent(e.expected_availability)
            )
        });
        let parts: Vec<String> = own.into_iter().chain(with_dependencies).collect();
        if !parts.is_empty() {
            lines.push(format!(
                "{} availability: {}",
                component.id,
                parts.join("; ")
            ));
        }
    }
    lines
}

/// A store's v3 figures: read and write capacity and availability, the writes a
/// failover loses, the restore time, the hottest partition.
fn store_explanations(component: &hld_model::Component, e: &ComponentEstimate) -> Vec<String> {
    let id = &component.id;
    let mut lines = Vec::new();
    let used = |part: Option<f64>| {
        part.map_or(String::new(), |u| {
            format!(
                " ({}% used)",
                hld_analysis::estimate::significant(u * 100.0)
            )
        })
    };
    if let Some(c) = &e.capacities {
        lines.push(format!(
            "{id} read capacity: {} = {}{}",
            c.read_formula(),
            human_rate(c.read),
            used(e.read_utilization)
        ));
        lines.push(format!(
            "{id} write capacity: {} = {}{}",
            c.write_formula(),
            human_rate(c.write),
            used(e.write_utilization)
        ));
    }
    if let Some(p) = &e.protocol {
        lines.push(format!(
            "{id} read availability: {} = {}",
            p.read_formula(),
            percent(p.read)
        ));
        lines.push(format!(
            "{id} write availability: {} = {}",
            p.write_formula(),
            percent(p.write)
        ));
    }
    if let Some(lost) = &e.lost_writes {
        lines.push(format!(
            "{id} writes lost per failover: {} = {} writes",
            lost.formula,
            hld_analysis::estimate::human_count(lost.value)
        ));
    }
    if let Some(restore) = &e.restore_time {
        lines.push(format!(
            "{id} restore time: {} = {}",
            restore.formula,
            human_duration(restore.value)
        ));
    }
    if let Some(hot) = &e.hot_partition {
        lines.push(format!("{id} hottest partition: {}", hot.formula));
    }
    lines
}

/// The widest a cell of the aligned table gets, in terminal columns; longer cells
/// (a 10,000-hop path, a 70,000-character id) end in an ellipsis.
const MAX_CELL_WIDTH: usize = 64;

/// Aligned columns, or a Markdown table.
fn grid(rows: &[Vec<String>], markdown: bool) -> String {
    grid_within(rows, markdown, MAX_CELL_WIDTH)
}

/// Aligned columns with cells of at most `widest` terminal columns, or Markdown.
pub fn grid_within(rows: &[Vec<String>], markdown: bool, widest: usize) -> String {
    if markdown {
        return markdown_grid(rows);
    }
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| fit(c, widest)).collect())
        .collect();
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.width() + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn markdown_grid(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if index == 0 {
            out.push_str(&format!("|{}\n", "---|".repeat(row.len())));
        }
    }
    out
}

/// `text` cut to at most `max` terminal columns, ending in `…` when cut.
fn fit(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > max - 1 {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_a_width_in_terminal_columns() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
        // Each of these takes two columns.
        assert_eq!(fit("東京大阪", 5), "東京…");
        assert_eq!(fit(&"a".repeat(70_000), 64).width(), 64);
    }

    #[test]
    fn wide_characters_keep_the_columns_aligned() {
        let rows = [["東京", "x"], ["ab", "y"]].map(|r| r.map(String::from).to_vec());
        let out = grid(&rows, false);
        let columns: Vec<usize> = out.lines().map(|l| l[..l.len() - 1].width()).collect();
        assert_eq!(columns, [6, 6], "{out}");
    }
}
