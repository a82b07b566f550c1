//! `textDocument/publishDiagnostics`: what `hld check` finds, on the lines it is about,
//! with the code, the help, the related places and the levels of the nearest hld.toml.

use std::path::Path;

use lsp_server::{Connection, Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Uri,
};

use hld_syntax::diagnostics::{Diagnostic, Severity};

use crate::position::Lines;
use crate::uri;
use crate::world::{Analysis, World};

pub fn publish(connection: &Connection, world: &World, path: &Path) {
    let Some(analysis) = world.analysis(path) else {
        return;
    };
    let version = world.documents.get(path).map(|d| d.version);
    let diagnostics = of_file(&analysis, path, world);
    send(connection, uri::from_path(path), diagnostics, version);
}

pub fn clear(connection: &Connection, uri: &Uri) {
    send(connection, uri.clone(), Vec::new(), None);
}

fn send(
    connection: &Connection,
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
    let _ = connection.sender.send(Message::Notification(notification));
}

/// The design's diagnostics that are about the file at `path`.
pub fn of_file(analysis: &Analysis, path: &Path, world: &World) -> Vec<lsp_types::Diagnostic> {
    let Some(file) = analysis.file_of(path) else {
        return Vec::new();
    };
    let mut lines = LineTables::default();
    analysis
        .compilation
        .diagnostics
        .iter()
        .filter(|d| d.span.file == file)
        .map(|d| to_lsp(analysis, d, world, &mut lines))
        .collect()
}

/// Each file's line starts, computed once however many diagnostics it has.
#[derive(Default)]
pub struct LineTables<'a> {
    files: std::collections::HashMap<hld_syntax::source::FileId, Lines<'a>>,
}

pub fn to_lsp<'a>(
    analysis: &'a Analysis,
    diagnostic: &Diagnostic,
    world: &World,
    lines: &mut LineTables<'a>,
) -> lsp_types::Diagnostic {
    let sources = &analysis.compilation.sources;
    let mut range = |span: hld_syntax::source::Span| {
        lines
            .files
            .entry(span.file)
            .or_insert_with(|| Lines::new(&sources.file(span.file).text, world.encoding))
            .range(span.start as usize, span.end as usize)
    };
    let related = diagnostic
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(analysis.uri_of(r.span.file), range(r.span)),
            message: r.message.clone(),
        })
        .collect::<Vec<_>>();
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp_types::Diagnostic {
        range: range(diagnostic.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        source: Some("hld".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}
