//! What `hld diff` prints: a summary line, then what the change does, the worst first
//! (findings new, what-if outcomes, estimates that moved, the elements changed, the
//! findings fixed); as text for a terminal, Markdown for a pull-request comment, or the
//! versioned JSON of docs/cli.md.

use serde_json::{Value, json};

use crate::estimate::grid_within;
use crate::markdown;
use hld_analysis::diff::{Change, Diff, Elements, Field, FindingRef, Moved, OutcomeChange};
use hld_model::figures::{human_money, significant};
use hld_syntax::diagnostics::visible;

/// Cells wider than this wrap onto the next line in a terminal.
const WIDEST: usize = 60;

/// The two versions, as the user named them.
pub struct Names<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// One line: what changed, in counts, and the cost.
pub fn summary(diff: &Diff) -> String {
    if diff.is_empty() {
        return "No change: the same components, links, findings and numbers.".to_string();
    }
    let mut parts = Vec::new();
    let (added, removed, changed) = (diff.added.count(), diff.removed.count(), diff.changed.len());
    if added + removed + changed > 0 {
        parts.push(format!(
            "{added} added, {removed} removed, {changed} changed"
        ));
    }
    let new_errors = diff.findings.new.iter().filter(|f| f.is_error()).count();
    if !diff.findings.new.is_empty() || !diff.findings.fixed.is_empty() {
        let errors = if new_errors > 0 {
            format!(" ({new_errors} {})", plural(new_errors, "error", "errors"))
        } else {
            String::new()
        };
        parts.push(format!(
            "{} {} new{errors}, {} fixed",
            diff.findings.new.len(),
            plural(diff.findings.new.len(), "finding", "findings"),
            diff.findings.fixed.len()
        ));
    }
    let worse = diff.whatif.iter().filter(|o| o.regression()).count();
    if worse > 0 {
        parts.push(format!(
            "{worse} what-if {} worse",
            plural(worse, "outcome", "outcomes")
        ));
    }
    let regressions = diff.estimates.iter().filter(|m| m.regression()).count();
    if regressions > 0 {
        parts.push(format!(
            "{regressions} {} worse",
            plural(regressions, "estimate", "estimates")
        ));
    }
    if let Some((old, new)) = diff.cost
        && human_money(old) != human_money(new)
    {
        parts.push(format!("cost {} → {}", human_money(old), human_money(new)));
    }
    parts.join("; ")
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A relative change as `+25%` or `-90%`; availability's as its downtime's factor
/// (`downtime ×10`), which is what moved; `from 0` when it grows from nothing.
fn change(moved: &Moved) -> String {
    match moved.change() {
        Some(c) if c.is_infinite() => "from 0".to_string(),
        Some(c) if moved.field == Field::Availability => {
            if c >= 0.0 {
                format!("downtime ×{}", significant(1.0 + c))
            } else {
                format!("downtime ÷{}", significant(1.0 / (1.0 + c).max(1e-12)))
            }
        }
        Some(c) => format!(
            "{}{}%",
            if c > 0.0 { "+" } else { "" },
            significant(c * 100.0)
        ),
        None => "—".to_string(),
    }
}

/// How a document quotes the design's text and hld's own words.
struct Style {
    markdown: bool,
}

impl Style {
    /// Text from the design (a value, a label): plain in Markdown, visible on a terminal.
    fn text(&self, raw: &str) -> String {
        if self.markdown {
            markdown::text(raw)
        } else {
            visible(raw)
        }
    }

    /// hld's words, which quote names between backticks.
    fn words(&self, raw: &str) -> String {
        if self.markdown {
            markdown::message(raw)
        } else {
            visible(raw)
        }
    }

    fn heading(&self, title: &str) -> String {
        if self.markdown {
            format!("#### {title}\n\n")
        } else {
            format!("{title}\n")
        }
    }

    fn grid(&self, rows: &[Vec<String>]) -> String {
        let grid = grid_within(rows, self.markdown, WIDEST);
        if self.markdown {
            grid + "\n"
        } else {
            indent(&grid) + "\n"
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Text (`markdown: false`) or Markdown.
pub fn report(diff: &Diff, names: &Names, markdown: bool) -> String {
    let style = Style { markdown };
    let mut out = if markdown {
        format!(
            "### hld diff: {} → {}\n\n**{}**\n\n",
            markdown::message(&format!("`{}`", names.old)),
            markdown::message(&format!("`{}`", names.new)),
            markdown::text(&summary(diff))
        )
    } else {
        format!(
            "{} → {}\n{}\n\n",
            visible(names.old),
            visible(names.new),
            summary(diff)
        )
    };
    if !diff.compared {
        out.push_str(&style.words(
            "A version does not compile: only its elements and errors are compared (`hld check` says why).\n\n",
        ));
    }
    let sections = [
        ("Findings new", findings(&style, &diff.findings.new)),
        (
            "What-if outcomes that changed",
            outcomes(&style, &diff.whatif),
        ),
        ("Estimates that moved", estimates(&style, &diff.estimates)),
        ("Added", elements(&style, &diff.added)),
        ("Removed", elements(&style, &diff.removed)),
        ("Changed", changed(&style, &diff.changed)),
        ("Findings fixed", findings(&style, &diff.findings.fixed)),
    ];
    for (title, body) in sections.into_iter().filter(|(_, body)| !body.is_empty()) {
        out.push_str(&style.heading(title));
        out.push_str(&body);
    }
    out.trim_end().to_string() + "\n"
}

fn findings(style: &Style, list: &[FindingRef]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut ordered: Vec<&FindingRef> = list.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut rows = vec![cells(&["level", "rule", "element", "finding", "at"])];
    for f in ordered {
        rows.push(vec![
            f.severity.as_str().to_string(),
            f.code.to_string(),
            style.text(f.element.as_deref().unwrap_or("—")),
            style.words(&f.message),
            style.text(&f.location),
        ]);
    }
    style.grid(&rows)
}

fn outcomes(style: &Style, list: &[OutcomeChange]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut rows = vec![cells(&["scenario", "flow", "was", "now", "why"])];
    for o in list {
        rows.push(vec![
            o.scenario.clone(),
            o.flow.clone(),
            o.old.unwrap_or("(new scenario)").to_string(),
            o.new.to_string(),
            style.words(&o.why),
        ]);
    }
    style.grid(&rows)
}

fn estimates(style: &Style, list: &[Moved]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut rows = vec![cells(&["", "element", "figure", "was", "now", "change"])];
    for m in list {
        let shown = |v: Option<f64>| v.map_or("—".to_string(), |v| m.field.show(v));
        let mark = if m.regression() {
            "worse"
        } else if m.improvement() {
            "better"
        } else {
            ""
        };
        let element = if m.flow {
            format!("flow {}", m.id)
        } else {
            m.id.clone()
        };
        rows.push(vec![
            mark.to_string(),
            element,
            m.field.as_str().to_string(),
            shown(m.old),
            shown(m.new),
            change(m),
        ]);
    }
    style.grid(&rows)
}

fn elements(style: &Style, elements: &Elements) -> String {
    let kinds = [
        ("components", &elements.components),
        ("links", &elements.links),
        ("groups", &elements.groups),
        ("flows", &elements.flows),
        ("scenarios", &elements.scenarios),
    ];
    let mut rows = vec![cells(&["", "ids"])];
    for (kind, ids) in kinds.into_iter().filter(|(_, ids)| !ids.is_empty()) {
        rows.push(vec![kind.to_string(), style.text(&ids.join(", "))]);
    }
    if rows.len() == 1 {
        String::new()
    } else {
        style.grid(&rows)
    }
}

fn changed(style: &Style, list: &[Change]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let shown = |v: &Option<String>| style.text(v.as_deref().unwrap_or("(unstated)"));
    if !style.markdown {
        // A line each, never cut: the part of a long value that changed may be its end.
        let mut out = String::new();
        for change in list {
            out.push_str(&format!(
                "  {} {}\n",
                change.kind.as_str(),
                style.text(&change.id)
            ));
            for a in &change.attributes {
                out.push_str(&format!(
                    "    {}: {} → {}\n",
                    a.name,
                    shown(&a.old),
                    shown(&a.new)
                ));
            }
        }
        return out + "\n";
    }
    let mut rows = vec![cells(&["element", "attribute", "was", "now"])];
    for change in list {
        for attribute in &change.attributes {
            rows.push(vec![
                format!("{} {}", change.kind.as_str(), style.text(&change.id)),
                attribute.name.clone(),
                shown(&attribute.old),
                shown(&attribute.new),
            ]);
        }
    }
    style.grid(&rows)
}

fn cells(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// The versioned JSON of docs/cli.md (numbers in base units: per second, seconds,
/// bytes, fractions, US dollars a month).
pub fn json(diff: &Diff, names: &Names) -> String {
    let value = json!({
        "version": 1,
        "old": names.old,
        "new": names.new,
        "summary": summary(diff),
        "added": elements_json(&diff.added),
        "removed": elements_json(&diff.removed),
        "changed": diff.changed.iter().map(|c| json!({
            "kind": c.kind.as_str(),
            "id": c.id,
            "attributes": c.attributes.iter().map(|a| json!({
                "name": a.name, "old": a.old, "new": a.new,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "findings": {
            "new": diff.findings.new.iter().map(finding_json).collect::<Vec<_>>(),
            "fixed": diff.findings.fixed.iter().map(finding_json).collect::<Vec<_>>(),
        },
        "estimates": diff.estimates.iter().map(|m| json!({
            "id": m.id,
            "kind": if m.flow { "flow" } else if m.id == "design" { "design" } else { "component" },
            "field": m.field.as_str(),
            "old": m.old,
            "new": m.new,
            "change": m.change().filter(|c| c.is_finite()),
            "regression": m.regression(),
        })).collect::<Vec<_>>(),
        "whatif": diff.whatif.iter().map(|o| json!({
            "scenario": o.scenario, "flow": o.flow, "old": o.old, "new": o.new, "why": o.why,
        })).collect::<Vec<_>>(),
        "cost": diff.cost.map(|(old, new)| json!({"old": old, "new": new})),
        "compared": diff.compared,
        "new_errors": diff.new_errors(),
    });
    serde_json::to_string_pretty(&value).expect("serializes") + "\n"
}

fn elements_json(elements: &Elements) -> Value {
    json!({
        "components": elements.components,
        "links": elements.links,
        "groups": elements.groups,
        "flows": elements.flows,
        "scenarios": elements.scenarios,
    })
}

fn finding_json(f: &FindingRef) -> Value {
    json!({
        "rule": f.code,
        "severity": f.severity.as_str(),
        "element": f.element,
        "message": f.message,
        "location": f.location,
    })
}
