//! Grading a design against a prompt: each check passed or failed, per dimension, and
//! for a failed one a ladder of hints: what is wrong in the prompt's words, then which
//! estimate or rule shows it, then the rule's explanation.

use hld_model::figures::{human_money, percent, percent_against};
use hld_model::values::consistency::Value as Consistency;
use hld_model::{Compilation, Kind, Model, attr};
use hld_syntax::diagnostics::{Diagnostic, Severity};

use super::{Check, CheckKind, DIMENSIONS, Prompt};
use crate::estimate::Estimates;
use crate::facts::{self, Facts};
use crate::rules;
use crate::whatif::sweep;

#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    pub check: String,
    pub passed: bool,
    /// Empty when passed; else the ladder, gentlest first.
    pub hints: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dimension {
    pub name: &'static str,
    pub score: usize,
    pub max: usize,
    pub checks: Vec<CheckResult>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    pub prompt: String,
    /// Checks passed, as a whole percentage of all checks.
    pub score: u32,
    pub dimensions: Vec<Dimension>,
}

/// What a design is graded on: it compiled, and the analyses the checks read.
struct Graded<'a> {
    prompt: &'a Prompt,
    model: &'a Model,
    findings: &'a [Diagnostic],
    facts: Facts,
    estimates: Estimates,
    targets: Targets,
}

/// The prompt's targets as numbers (availability as a fraction, latency in seconds,
/// budget in dollars a month), read by hld's own grammar.
#[derive(Default)]
struct Targets {
    availability: Option<f64>,
    latency: Option<f64>,
    budget: Option<f64>,
}

/// Grades `compilation` (a design, linted) against `prompt`.
pub fn grade(prompt: &Prompt, compilation: &Compilation) -> Grade {
    let results: Vec<(String, CheckResult)> = if !compilation.compiles() {
        let first = compilation
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map_or_else(String::new, |d| format!("{}: {}", d.code, d.message));
        prompt
            .checks
            .iter()
            .map(|check| {
                let hints = vec![format!("the design does not compile yet ({first})")];
                (check.dimension.clone(), failed(check, hints))
            })
            .collect()
    } else {
        let graded = Graded::new(prompt, compilation);
        prompt
            .checks
            .iter()
            .map(|check| (check.dimension.clone(), graded.check(check)))
            .collect()
    };
    let dimensions: Vec<Dimension> = DIMENSIONS
        .iter()
        .map(|&name| {
            let checks: Vec<CheckResult> = results
                .iter()
                .filter(|(d, _)| d == name)
                .map(|(_, r)| r.clone())
                .collect();
            Dimension {
                name,
                score: checks.iter().filter(|c| c.passed).count(),
                max: checks.len(),
                checks,
            }
        })
        .collect();
    let total: usize = dimensions.iter().map(|d| d.max).sum();
    let passed: usize = dimensions.iter().map(|d| d.score).sum();
    Grade {
        prompt: prompt.name.clone(),
        score: if total == 0 {
            100
        } else {
            (100.0 * passed as f64 / total as f64).round() as u32
        },
        dimensions,
    }
}

fn failed(check: &Check, mut more: Vec<String>) -> CheckResult {
    let mut hints = vec![check.hint.clone()];
    hints.append(&mut more);
    CheckResult {
        check: check.id.clone(),
        passed: false,
        hints,
    }
}

fn passed(check: &Check) -> CheckResult {
    CheckResult {
        check: check.id.clone(),
        passed: true,
        hints: Vec::new(),
    }
}

/// A rule's explanation: the last rung.
fn explanation(rule: &str) -> String {
    rules::find(rule).map_or_else(String::new, |r| format!("`{}`: {}", r.name, r.why))
}

impl<'a> Graded<'a> {
    fn new(prompt: &'a Prompt, compilation: &'a Compilation) -> Graded<'a> {
        let model = &compilation.model;
        let facts = Facts::new(model);
        let estimates = Estimates::new(model, &facts);
        Graded {
            prompt,
            model,
            findings: &compilation.diagnostics,
            facts,
            estimates,
            targets: Targets::of(prompt),
        }
    }

    fn check(&self, check: &Check) -> CheckResult {
        let outcome = match &check.kind {
            CheckKind::FlowAvailability { flow } => self.flow_availability(flow),
            CheckKind::FlowLatency { flow } => self.flow_latency(flow),
            CheckKind::NoSingleFailure => self.no_single_failure(),
            CheckKind::NoRule { rule } => self.no_rule(rule),
            CheckKind::NoErrors => self.no_errors(),
            CheckKind::WithinBudget => self.within_budget(),
            CheckKind::Consistency { flow, needs } => self.consistency(flow, needs),
        };
        match outcome {
            Ok(()) => passed(check),
            Err(more) => failed(check, more),
        }
    }

    fn flow(&self, id: &str) -> Result<usize, Vec<String>> {
        self.model.flows.iter().position(|f| f.id == id).ok_or_else(|| {
            vec![format!(
                "the design has no flow `{id}`: write `flow {id} {{ ... }}` with the links its requests take"
            )]
        })
    }

    fn flow_availability(&self, id: &str) -> Result<(), Vec<String>> {
        let index = self.flow(id)?;
        let Some(target) = self.targets.availability else {
            return Ok(());
        };
        let reached = self.estimates.flows[index].availability;
        if reached >= target {
            return Ok(());
        }
        Err(vec![
            format!(
                "`hld estimate`: flow `{id}` succeeds {} of the time; the target is {}",
                percent_against(reached, target),
                percent(target)
            ),
            explanation("availability-below-target"),
        ])
    }

    fn flow_latency(&self, id: &str) -> Result<(), Vec<String>> {
        let index = self.flow(id)?;
        let own = self
            .prompt
            .flows
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.latency.as_deref())
            .and_then(|l| Targets::read(&format!("latency: {l}")).latency);
        let Some(target) = own.or(self.targets.latency) else {
            return Ok(());
        };
        let p99 = self.estimates.flows[index].latency_p99;
        if p99 <= target {
            return Ok(());
        }
        Err(vec![
            format!(
                "`hld estimate`: flow `{id}` takes {} at p99; the budget is {}",
                hld_model::figures::human_duration(p99),
                hld_model::figures::human_duration(target)
            ),
            explanation("latency-over-budget"),
        ])
    }

    fn no_single_failure(&self) -> Result<(), Vec<String>> {
        let critical: Vec<&str> = self
            .prompt
            .flows
            .iter()
            .filter(|f| f.critical)
            .map(|f| f.id.as_str())
            .collect();
        let Ok(swept) = sweep::sweep(self.model, &self.facts, 1) else {
            return Ok(());
        };
        let hit = swept.hits.iter().filter(|h| h.single).find_map(|h| {
            h.downs()
                .map(|i| &swept.judged[i].name)
                .find(|name| critical.contains(&name.as_str()))
                .map(|flow| (h, flow))
        });
        match hit {
            None => Ok(()),
            Some((hit, flow)) => Err(vec![
                format!(
                    "`hld what-if FILE --all`: {} failing alone takes `{flow}` down",
                    hit.failure
                        .iter()
                        .map(|c| c.name(self.model))
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
                explanation("single-failure-breaks-critical-flow"),
            ]),
        }
    }

    fn no_rule(&self, rule: &str) -> Result<(), Vec<String>> {
        match self.findings.iter().find(|d| d.code == rule) {
            None => Ok(()),
            Some(finding) => Err(vec![
                format!("`hld check`: {}: {}", finding.code, finding.message),
                explanation(rule),
            ]),
        }
    }

    fn no_errors(&self) -> Result<(), Vec<String>> {
        let errors = self
            .findings
            .iter()
            .filter(|d| d.severity == Severity::Error);
        match errors.clone().next() {
            None => Ok(()),
            Some(first) => Err(vec![
                format!(
                    "`hld check`: {} error(s), the first {}: {}",
                    errors.count(),
                    first.code,
                    first.message
                ),
                explanation(first.code),
            ]),
        }
    }

    fn within_budget(&self) -> Result<(), Vec<String>> {
        let Some(budget) = self.targets.budget else {
            return Ok(());
        };
        let cost = self.estimates.cost;
        if cost <= budget {
            return Ok(());
        }
        Err(vec![
            format!(
                "`hld estimate`: {} at list prices; the budget is {}",
                human_money(cost),
                human_money(budget)
            ),
            explanation("over-budget"),
        ])
    }

    /// Every store the flow writes (or reads) gives readers at least `needs`.
    fn consistency(&self, id: &str, needs: &str) -> Result<(), Vec<String>> {
        let index = self.flow(id)?;
        // Checked when the prompt was read (`Prompt::parse`).
        let needed = Consistency::parse(needs).unwrap_or(Consistency::Strong);
        for step in &self.model.flows[index].steps {
            let link = self.model.link(step.link);
            let store = self.model.component(link.to);
            if !(crate::estimate::store::is_store(store.kind) && store.kind != Kind::Cache) {
                continue;
            }
            let provided = facts::effective_consistency(store, Some(link));
            if provided.is_some_and(|p| facts::consistency_satisfies(p, needed)) {
                continue;
            }
            let said = provided.map_or("nothing stated".to_string(), |p| {
                format!("`{}`", p.as_str())
            });
            return Err(vec![
                format!(
                    "flow `{id}` uses `{}`, which gives {said}; it needs `{needs}`",
                    store.id
                ),
                explanation("consistency-mismatch"),
            ]);
        }
        Ok(())
    }
}

impl Targets {
    /// The prompt's targets, read as a design header would read them.
    fn of(prompt: &Prompt) -> Targets {
        let lines: Vec<String> = prompt
            .targets
            .stated()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        Targets::read(&lines.join("\n"))
    }

    /// Header attributes written as hld writes them (`latency: 100ms`), read by the
    /// language itself.
    fn read(attributes: &str) -> Targets {
        let header = format!("design \"targets\" {{\n{attributes}\n}}\n");
        let compiled = crate::compile("targets.hld", header.into_bytes());
        let number = |a| compiled.model.header.number(a);
        Targets {
            availability: number(attr::AVAILABILITY),
            latency: number(attr::LATENCY),
            budget: number(attr::BUDGET),
        }
    }
}
