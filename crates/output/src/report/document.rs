//! The review document's text, in Markdown: what the design must do, what it is
//! estimated to do, what hld found and what the team accepted.

use std::collections::BTreeMap;
use std::fmt::Write;

use hld_analysis::estimate::{Estimates, human_duration, human_rate, percent};
use hld_analysis::facts::Facts;
use hld_analysis::rules;
use hld_analysis::whatif;
use hld_model::selector::Category;
use hld_model::{AllowTarget, Compilation, Kind, attr};
use hld_render::scene::FindingsList;
use hld_syntax::diagnostics::{Diagnostic, Severity};
use hld_syntax::source::{Sources, Span};

use crate::estimate::{assumptions, figures};
use crate::markdown::text;
use crate::whatif::table as scenario_tables;

/// The document in two parts, the diagram between them (a file beside the Markdown,
/// inline in the HTML).
pub struct Document {
    pub title: String,
    /// The title, the description and the requirements.
    pub head: String,
    /// Estimates, scenarios, findings, the decision log and the assumptions.
    pub tail: String,
    /// How many components the design has (the diagram is left out past a limit).
    pub components: usize,
}

pub fn write(compilation: &Compilation, list: Option<&FindingsList>) -> Document {
    let model = &compilation.model;
    let facts = Facts::new(model);
    let estimates = Estimates::new(model, &facts);
    let title = model.title.clone().unwrap_or_else(|| {
        compilation
            .sources
            .iter()
            .next()
            .map(|f| f.origin.display_path().display().to_string())
            .unwrap_or_else(|| "Design".to_owned())
    });
    let mut head = format!("# {}\n\n", text(&title));
    if let Some(description) = model.header.get(attr::DESCRIPTION).and_then(|v| v.as_str()) {
        let _ = writeln!(head, "{}\n", text(description));
    }
    head.push_str(&requirements(compilation, &estimates));
    let mut tail = String::from("## Estimates\n\n");
    tail.push_str(&figures(model, &estimates, true));
    if !model.scenarios.is_empty() {
        tail.push_str("\n## Failure scenarios\n\n");
        let results: Vec<_> = model
            .scenarios
            .iter()
            .map(|s| whatif::what_if(model, &facts, s))
            .collect();
        tail.push_str(&scenario_tables(model, &results, true));
    }
    tail.push_str(&findings(compilation, list));
    tail.push_str(&decisions(compilation));
    tail.push_str("\n## Assumptions\n\n");
    for assumption in assumptions(&estimates) {
        let _ = writeln!(tail, "- {assumption}");
    }
    Document {
        title,
        head,
        tail,
        components: model.components.len(),
    }
}

/// The design's targets and traffic, each beside what the estimate makes of it.
fn requirements(compilation: &Compilation, estimates: &Estimates) -> String {
    let model = &compilation.model;
    let mut rows = Vec::new();
    // What the estimate reaches: each client's requests, and each flow.
    let reached: Vec<(String, f64, f64)> = estimates
        .paths
        .iter()
        .map(|p| {
            (
                format!("`{}`", model.component(p.client).id),
                p.availability,
                p.latency_p99,
            )
        })
        .chain(estimates.flows.iter().map(|f| {
            (
                format!("flow `{}`", model.flows[f.flow].id),
                f.availability,
                f.latency_p99,
            )
        }))
        .collect();
    if let Some(target) = model.header.number(attr::AVAILABILITY) {
        let worst = reached.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let verdict = worst.map_or("nothing to estimate".to_owned(), |(who, worst, _)| {
            let met = if *worst >= target {
                "meets it"
            } else {
                "below it"
            };
            format!("{} at worst ({who}: {met})", percent(*worst))
        });
        rows.push(("Availability".to_owned(), percent(target), verdict));
    }
    if let Some(target) = model.header.number(attr::LATENCY) {
        let slowest = reached.iter().max_by(|a, b| a.2.total_cmp(&b.2));
        let verdict = slowest.map_or("nothing to estimate".to_owned(), |(who, _, slowest)| {
            let met = if *slowest <= target {
                "within it"
            } else {
                "over it"
            };
            format!("{} p99 at worst ({who}: {met})", human_duration(*slowest))
        });
        rows.push(("Latency".to_owned(), human_duration(target), verdict));
    }
    for (component, estimate) in model.components.iter().zip(&estimates.components) {
        if component.kind != Kind::Client {
            continue;
        }
        let stated: Vec<String> = [attr::DAU, attr::REQUESTS, attr::PEAK, attr::RATE]
            .into_iter()
            .filter_map(|a| component.attrs.entry(a))
            .map(|e| written(&compilation.sources, e.span))
            .collect();
        let stated = if stated.is_empty() {
            "—".to_owned()
        } else {
            stated.join(", ")
        };
        let peak = estimate.inbound.map_or("no rate stated".to_owned(), |r| {
            format!("{} peak", human_rate(r.peak))
        });
        rows.push((
            format!("Traffic from `{}`", component.id),
            text(&stated),
            peak,
        ));
    }
    if rows.is_empty() {
        return "## Requirements\n\nThe design states no availability or latency target and no client traffic.\n\n".to_owned();
    }
    let mut out =
        String::from("## Requirements\n\n| requirement | stated | estimate |\n|---|---|---|\n");
    for (what, stated, estimate) in rows {
        let _ = writeln!(out, "| {what} | {stated} | {estimate} |");
    }
    out.push('\n');
    out
}

/// Findings by category, numbered as the picture's badges, then what each rule found
/// is about: its summary and the first paragraph of why it matters.
fn findings(compilation: &Compilation, list: Option<&FindingsList>) -> String {
    let diagnostics = &compilation.diagnostics;
    let mut out = String::from("\n## Findings\n\n");
    if diagnostics.is_empty() {
        out.push_str("hld found nothing to report.\n");
        return out;
    }
    let numbers: BTreeMap<usize, usize> = list
        .map(|l| l.items.iter().map(|i| (i.diagnostic, i.number)).collect())
        .unwrap_or_default();
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let _ = writeln!(
        out,
        "{} errors, {} warnings, {} infos{}\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        if list.is_some() {
            "; the numbers are the badges' in the diagram."
        } else {
            "."
        }
    );
    let mut by_category: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        match by_category
            .iter_mut()
            .find(|(c, _)| *c == diagnostic.category)
        {
            Some((_, members)) => members.push(index),
            None => by_category.push((diagnostic.category, vec![index])),
        }
    }
    by_category.sort_by_key(|(category, _)| {
        Category::ALL
            .iter()
            .position(|c| c.as_str() == *category)
            .unwrap_or(Category::ALL.len())
    });
    for (category, members) in by_category {
        let _ = writeln!(out, "### {}\n", capitalized(category));
        out.push_str(
            "| # | severity | rule | element | finding | where |\n|---|---|---|---|---|---|\n",
        );
        let mut ordered = members.clone();
        ordered.sort_by_key(|i| numbers.get(i).copied().unwrap_or(usize::MAX));
        for index in &ordered {
            let d = &diagnostics[*index];
            let number = numbers.get(index).map_or(String::new(), usize::to_string);
            let _ = writeln!(
                out,
                "| {number} | {} | `{}` | {} | {} | {} |",
                severity(d.severity),
                d.code,
                d.element
                    .as_ref()
                    .map_or("the design".to_owned(), |e| format!("`{e}`")),
                finding(d),
                place(&compilation.sources, d.span)
            );
        }
        out.push('\n');
        let mut explained: Vec<&str> = ordered.iter().map(|i| diagnostics[*i].code).collect();
        explained.sort();
        explained.dedup();
        for rule in explained.into_iter().filter_map(rules::find) {
            let why = rule.why.split("\n\n").next().unwrap_or(rule.why);
            let _ = writeln!(
                out,
                "- **`{}`** ({}): {}",
                rule.name,
                rule.summary,
                why.replace('\n', " ")
            );
        }
        out.push('\n');
    }
    out
}

/// The message and what to do, in one table cell.
fn finding(diagnostic: &Diagnostic) -> String {
    let mut cell = cell(&diagnostic.message);
    if let Some(help) = &diagnostic.help {
        let _ = write!(cell, " *Fix:* {}", self::cell(help));
    }
    cell
}

/// Every `@allow`: the rule it silences, where, and the reason given.
fn decisions(compilation: &Compilation) -> String {
    let model = &compilation.model;
    let mut out = String::from(
        "\n## Decision log\n\nThe trade-offs the design accepts (each `@allow` and its reason).\n\n",
    );
    if model.allows.is_empty() {
        out.push_str("None: the design silences no finding.\n");
        return out;
    }
    out.push_str("| rules | on | reason | where |\n|---|---|---|---|\n");
    for allow in &model.allows {
        let rules: Vec<String> = allow.rules.iter().map(|(r, _)| format!("`{r}`")).collect();
        let on = match &allow.target {
            AllowTarget::File(_) => "the whole file".to_owned(),
            AllowTarget::Component(id) => format!("`{}`", model.component(*id).id),
            AllowTarget::Links(links) => links
                .iter()
                .map(|l| format!("`{}`", model.link(*l).element(model)))
                .collect::<Vec<_>>()
                .join(", "),
            AllowTarget::Group(g) => format!("`{}`", model.groups[*g].id),
            AllowTarget::Flow(f) => format!("`{}`", model.flows[*f].id),
        };
        let reason = allow
            .reason
            .as_deref()
            .map_or("*(no reason given)*".to_owned(), text);
        let _ = writeln!(
            out,
            "| {} | {on} | {reason} | {} |",
            rules.join(", "),
            place(&compilation.sources, allow.span)
        );
    }
    out
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖ error",
        Severity::Warning => "⚠ warning",
        Severity::Info => "☞ info",
    }
}

/// The text a span covers, as the user wrote it.
fn written(sources: &Sources, span: Span) -> String {
    let file = sources.file(span.file);
    file.text.get(span.range()).unwrap_or_default().to_owned()
}

/// `file:line` of a span.
fn place(sources: &Sources, span: Span) -> String {
    let file = sources.file(span.file);
    let line = file.line_column(span.start as usize).line;
    format!(
        "{}:{line}",
        text(&file.origin.display_path().display().to_string())
    )
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// A finding's message (hld's words around the design's own text) in a table cell: as
/// text, since the design's text in it could otherwise open a construct.
fn cell(message: &str) -> String {
    crate::markdown::message(message)
}
