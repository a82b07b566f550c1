//! Analysis: what the checked model means for the design's trade-offs. Shared facts
//! are computed once ([`facts`]), every rule of [`rules`] runs on them, then levels
//! ([`crate::config`]) and `@allow` annotations decide what is reported.

pub mod config;
pub mod diff;
pub mod estimate;
pub mod explain;
pub mod facts;
pub mod order;
pub mod practice;
pub mod rule;
pub mod rules;
pub mod simulate;
pub mod whatif;

use hld_syntax::source::Origin;
use std::sync::LazyLock;

use crate::config::{Config, FileLevels};
use facts::Facts;
use hld_model::selector::Catalogue;
use hld_model::{AllowTarget, Compilation, Model};
use hld_syntax::diagnostics::{Diagnostic, Severity};
use hld_syntax::source::Sources;
use hld_syntax::with_deep_stack;
use rayon::prelude::*;
use rule::{Category, Context, Element, Finding, Findings};

/// The rules `@allow` and `hld.toml` may name, for the model and the configuration.
pub fn catalogue() -> Catalogue {
    static RULES: LazyLock<Vec<(&'static str, Category)>> =
        LazyLock::new(|| rules::ALL.iter().map(|r| (r.name, r.category)).collect());
    Catalogue { rules: &RULES }
}

/// Compiles a design from the bytes of its root file; imports are read from disk
/// relative to where it came from.
pub fn compile(origin: impl Into<Origin>, bytes: Vec<u8>) -> Compilation {
    compile_in(&hld_syntax::load::Disk, origin.into(), bytes)
}

/// Compiles a design whose imports are read from `files` (the playground's, in memory).
pub fn compile_in(
    files: &dyn hld_syntax::load::FileSystem,
    origin: Origin,
    bytes: Vec<u8>,
) -> Compilation {
    hld_model::compile(files, origin, bytes, catalogue())
}

/// Reads and compiles a design: a file from disk, or standard input.
pub fn compile_file(origin: impl Into<Origin>) -> Compilation {
    let origin = origin.into();
    match hld_syntax::load::read_origin(&origin) {
        Ok(bytes) => compile(origin, bytes),
        Err(error) => Compilation::unreadable(origin, &error),
    }
}

/// Linting a compiled design in place.
pub trait Lint {
    /// Runs the trade-off rules, when the design compiled without errors (rules on a
    /// broken model would guess), and adds their findings.
    fn lint(&mut self, settings: Settings);
}

impl Lint for Compilation {
    fn lint(&mut self, settings: Settings) {
        if self.has_errors() {
            return;
        }
        let findings = lint(&self.model, &self.sources, settings);
        self.diagnostics.extend(findings);
        hld_syntax::diagnostics::sort_and_dedup(&mut self.diagnostics);
    }
}

/// How findings are levelled: the configuration that applies, and `--deny warnings`.
#[derive(Default, Clone, Copy)]
pub struct Settings<'a> {
    pub config: Option<&'a Config>,
    pub deny_warnings: bool,
    /// `hld check --deny-single-failures`: `single-failure-breaks-critical-flow` on, at
    /// error level.
    pub deny_single_failures: bool,
}

/// Runs every rule on a design that compiled without errors and returns the findings
/// that remain after levels and `@allow`, `unused-allow` included.
pub fn lint(model: &Model, sources: &Sources, settings: Settings) -> Vec<Diagnostic> {
    let facts = Facts::new(model);
    let estimates = estimate::Estimates::figures_only(model, &facts);
    let what_ifs: Vec<whatif::WhatIf> = model
        .scenarios
        .par_iter()
        .map(|scenario| with_deep_stack(|| whatif::for_rules(model, &facts, scenario)))
        .collect();
    let file_levels: Vec<Option<FileLevels>> = sources
        .iter()
        .map(|file| settings.config.map(|config| config.for_file(&file.path)))
        .collect();
    let sweep_rule = &rules::single_failure_breaks_critical_flow::RULE;
    // The sweep judges every component, zone and region: run only when the rule is on,
    // or when an `@allow` names it (which must then silence something).
    let named_by_allow = model.allows.iter().any(|allow| {
        allow.rules.iter().any(|(name, _)| {
            catalogue()
                .selector(name)
                .is_some_and(|s| sweep_rule.is_selected_by(s))
        })
    });
    let sweep_on = settings.deny_single_failures
        || named_by_allow
        || file_levels.iter().flatten().any(|levels| {
            levels
                .level(sweep_rule)
                .is_some_and(|l| l != rule::Level::Off)
        });
    let sweep = sweep_on
        .then(|| whatif::sweep::sweep(model, &facts, 1).ok())
        .flatten();
    let runs: Vec<(&hld_model::Scenario, simulate::Run)> = model
        .scenarios
        .iter()
        .filter(|s| simulate::is_timed(s))
        .filter_map(|s| {
            Some((
                s,
                simulate::simulate(model, &facts, Some(s), Default::default()).ok()?,
            ))
        })
        .collect();
    let context = Context {
        model,
        facts: &facts,
        estimates: &estimates,
        what_ifs: &what_ifs,
        sweep: sweep.as_ref(),
        runs: &runs,
    };
    // The rules read the same facts and write their own findings: they run side by
    // side, and their findings are joined in the catalogue's order. Each runs on a stack
    // grown as it needs (a worker thread's is small, and some rules walk a long chain
    // of links recursively).
    let by_rule: Vec<Vec<Finding>> = rules::ALL
        .par_iter()
        .map(|rule| {
            let mut out = Findings {
                rule,
                model,
                found: Vec::new(),
            };
            with_deep_stack(|| (rule.check)(&context, &mut out));
            out.found
        })
        .collect();
    let mut findings: Vec<Finding> = by_rule.into_iter().flatten().collect();
    let mut used: Vec<Vec<bool>> = model
        .allows
        .iter()
        .map(|a| vec![false; a.rules.len()])
        .collect();
    findings.retain(|f| !suppressed(model, f, &mut used));
    let unused = unused_allows(model, sources, &used, &findings);
    findings.extend(unused);
    findings
        .into_iter()
        .filter_map(|finding| {
            let levels = file_levels[finding.diagnostic.span.file.0 as usize].as_ref();
            if settings.deny_single_failures && std::ptr::eq(finding.rule, sweep_rule) {
                let mut diagnostic = finding.diagnostic;
                diagnostic.severity = Severity::Error;
                return Some(diagnostic);
            }
            levelled(finding, levels, settings.deny_warnings)
        })
        .collect()
}

fn levelled(
    mut finding: Finding,
    levels: Option<&FileLevels>,
    deny_warnings: bool,
) -> Option<Diagnostic> {
    // A rule may report a finding above its level (two-phase commit through a single
    // point of failure is an error); a level the configuration states wins over both.
    let severity = match levels.and_then(|levels| levels.level(finding.rule)) {
        Some(level) => level.severity(),
        None => finding
            .rule
            .level
            .severity()
            .map(|_| finding.diagnostic.severity),
    }?;
    let severity = match severity {
        Severity::Warning if deny_warnings => Severity::Error,
        severity => severity,
    };
    finding.diagnostic.severity = severity;
    Some(finding.diagnostic)
}

/// Whether an `@allow` covers the finding; marks every selector that does as used.
fn suppressed(model: &Model, finding: &Finding, used: &mut [Vec<bool>]) -> bool {
    let mut silenced = false;
    for (index, allow) in model.allows.iter().enumerate() {
        if !covers(model, &allow.target, finding) {
            continue;
        }
        for (position, (name, _)) in allow.rules.iter().enumerate() {
            if catalogue()
                .selector(name)
                .is_some_and(|s| finding.rule.is_selected_by(s))
            {
                used[index][position] = true;
                silenced = true;
            }
        }
    }
    silenced
}

fn covers(model: &Model, target: &AllowTarget, finding: &Finding) -> bool {
    let in_group = |group, start| model.enclosing_groups(start).any(|g| g == group);
    match (target, finding.element) {
        (AllowTarget::File(file), _) => finding.diagnostic.span.file == *file,
        (AllowTarget::Component(c), Element::Component(id)) => *c == id,
        (AllowTarget::Links(links), Element::Link(id)) => links.contains(&id),
        (AllowTarget::Group(g), Element::Component(id)) => in_group(*g, model.component(id).group),
        (AllowTarget::Group(g), Element::Link(id)) => in_group(*g, model.link(id).group),
        (AllowTarget::Group(g), Element::Group(id)) => in_group(*g, Some(id)),
        (AllowTarget::Flow(f), Element::Flow(id)) => *f == id,
        _ => false,
    }
}

/// `unused-allow` for every selector that silenced nothing; where a finding it could
/// have meant stands elsewhere (among those still reported), the report says where.
fn unused_allows(
    model: &Model,
    sources: &Sources,
    used: &[Vec<bool>],
    reported: &[Finding],
) -> Vec<Finding> {
    let rule = &rules::unused_allow::RULE;
    let mut out = Findings {
        rule,
        model,
        found: Vec::new(),
    };
    for (allow, used) in model.allows.iter().zip(used) {
        let element = match &allow.target {
            AllowTarget::Component(id) => Element::Component(*id),
            AllowTarget::Links(links) if !links.is_empty() => Element::Link(links[0]),
            AllowTarget::Group(id) => Element::Group(*id),
            AllowTarget::Flow(id) => Element::Flow(*id),
            _ => Element::Design,
        };
        for ((name, span), used) in allow.rules.iter().zip(used) {
            if !used
                && !catalogue()
                    .selector(name)
                    .is_some_and(|s| rule.is_selected_by(s))
            {
                let meant = reported
                    .iter()
                    .filter(|f| {
                        catalogue()
                            .selector(name)
                            .is_some_and(|s| f.rule.is_selected_by(s))
                    })
                    .find(|f| f.diagnostic.span.file == span.file)
                    .map(|f| rules::unused_allow::Meant {
                        element: f
                            .diagnostic
                            .element
                            .as_ref()
                            .map_or_else(|| "the design".to_string(), ToString::to_string),
                        span: f.diagnostic.span,
                        line: sources
                            .file(f.diagnostic.span.file)
                            .line_column(f.diagnostic.span.start as usize)
                            .line,
                    });
                rules::unused_allow::report(&mut out, element, *span, name, meant);
            }
        }
    }
    out.found
}

/// Test support for the rules: one rule's findings on a design written inline (which
/// must compile), with the default levels.
#[cfg(test)]
pub(crate) fn findings_of(code: &str, text: &str) -> Vec<Diagnostic> {
    let compilation = compile("test.hld", text.as_bytes().to_vec());
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    lint(
        &compilation.model,
        &compilation.sources,
        Settings::default(),
    )
    .into_iter()
    .filter(|d| d.code == code)
    .collect()
}

/// The elements of one rule's findings on a design (`""` for design-level ones).
#[cfg(test)]
pub(crate) fn elements_of(code: &str, text: &str) -> Vec<String> {
    findings_of(code, text)
        .into_iter()
        .map(|d| d.element.map(|e| e.to_string()).unwrap_or_default())
        .collect()
}
