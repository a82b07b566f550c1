//! `hld check --format json`: the stable, versioned report of docs/cli.md.

use serde::Serialize;

use hld_syntax::diagnostics::{Diagnostic, Severity, Subject};
use hld_syntax::source::{Sources, Span};

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub summary: Summary,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize, Default)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// One diagnostic, borrowing its text from the diagnostic and its file's path from the
/// sources: a report of thousands of findings copies none of them.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    pub file: Shown<'a>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<Shown<'a>>,
    pub related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub file: Shown<'a>,
    pub line: usize,
    pub column: usize,
    pub message: &'a str,
}

/// A file's path or an element, serialized as the text it displays, written straight
/// into the output.
pub enum Shown<'a> {
    Path(&'a std::path::Path),
    Element(&'a Subject),
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Path(path) => path.display().fmt(f),
            Shown::Element(subject) => subject.fmt(f),
        }
    }
}

impl Serialize for Shown<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // A UTF-8 path is borrowed and written as a string (through `Display` it
            // was formatted piece by piece, for every finding).
            Shown::Path(path) => serializer.serialize_str(&path.to_string_lossy()),
            Shown::Element(subject) => serializer.collect_str(subject),
        }
    }
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
pub fn to_json<'a>(sources: &'a Sources, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (file, start, end) = position(sources, diagnostic.span);
    JsonDiagnostic {
        code: diagnostic.code,
        category: diagnostic.category,
        severity: diagnostic.severity,
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        file,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        element: diagnostic.element.as_ref().map(Shown::Element),
        related: diagnostic
            .related
            .iter()
            .map(|r| {
                let (file, start, _) = position(sources, r.span);
                JsonRelated {
                    file,
                    line: start.line,
                    column: start.column,
                    message: &r.message,
                }
            })
            .collect(),
    }
}

fn position(
    sources: &Sources,
    span: Span,
) -> (
    Shown<'_>,
    hld_syntax::source::LineColumn,
    hld_syntax::source::LineColumn,
) {
    let file = sources.file(span.file);
    (
        Shown::Path(&file.path),
        file.line_column(span.start as usize),
        file.line_column(span.end as usize),
    )
}

/// The whole `--format json` report for diagnostics from several designs.
pub fn json_report(findings: &[(&Sources, &Diagnostic)], files: usize) -> String {
    let mut out = Vec::with_capacity(512 * findings.len() + 256);
    serde_json::to_writer_pretty(&mut out, &report(findings, files))
        .expect("the report serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The report `json_report` writes, as a value.
pub fn report<'a>(findings: &[(&'a Sources, &'a Diagnostic)], files: usize) -> JsonReport<'a> {
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
