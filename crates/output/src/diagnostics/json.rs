//! `hld check --format json`: the stable, versioned report of docs/cli.md.

use serde::Serialize;

use hld_syntax::diagnostics::{Diagnostic, Severity};
use hld_syntax::source::{Sources, Span};

#[derive(Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub summary: Summary,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize, Default)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    pub related: Vec<JsonRelated>,
}

#[derive(Serialize)]
pub struct JsonRelated {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Summary {
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }
}

/// One diagnostic in the JSON shape; lines and columns are 1-based, columns in
/// Unicode scalar values.
pub fn to_json(sources: &Sources, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let (file, start, end) = position(sources, diagnostic.span);
    JsonDiagnostic {
        code: diagnostic.code,
        category: diagnostic.category,
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        file,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        element: diagnostic.element.as_ref().map(ToString::to_string),
        related: diagnostic
            .related
            .iter()
            .map(|r| {
                let (file, start, _) = position(sources, r.span);
                JsonRelated {
                    file,
                    line: start.line,
                    column: start.column,
                    message: r.message.clone(),
                }
            })
            .collect(),
    }
}

fn position(
    sources: &Sources,
    span: Span,
) -> (
    String,
    hld_syntax::source::LineColumn,
    hld_syntax::source::LineColumn,
) {
    let file = sources.file(span.file);
    (
        file.path.display().to_string(),
        file.line_column(span.start as usize),
        file.line_column(span.end as usize),
    )
}

/// The whole `--format json` report for diagnostics from several designs.
pub fn json_report(findings: &[(&Sources, &Diagnostic)], files: usize) -> String {
    serde_json::to_string_pretty(&report(findings, files)).expect("the report serializes")
}

/// The report `json_report` writes, as a value.
pub fn report(findings: &[(&Sources, &Diagnostic)], files: usize) -> JsonReport {
    let mut summary = Summary {
        files,
        ..Summary::default()
    };
    findings.iter().for_each(|(_, d)| summary.count(d.severity));
    JsonReport {
        version: 1,
        summary,
        diagnostics: findings
            .iter()
            .map(|(sources, d)| to_json(sources, d))
            .collect(),
    }
}
