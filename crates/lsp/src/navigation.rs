//! Definition, references and rename of ids across imported files; document and
//! workspace symbols.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, PrepareRenameResponse, ReferenceParams, RenameParams,
    SymbolInformation, SymbolKind, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use hld_syntax::source::Span;

use crate::position::Lines;
use crate::server::Failure;
use crate::uri;
use crate::world::{Analysis, World};

/// The analysis of the document at a position, and the byte offset there.
pub fn at(
    world: &World,
    position: &TextDocumentPositionParams,
) -> Option<(std::rc::Rc<Analysis>, hld_syntax::source::FileId, usize)> {
    let path = uri::to_path(&position.text_document.uri)?;
    let analysis = world.analysis(&path)?;
    let file = analysis.file_of(&path)?;
    let text = &analysis.compilation.sources.file(file).text;
    let offset = Lines::new(text, world.encoding).offset(position.position);
    Some((analysis, file, offset))
}

/// A span as a location the client opens.
pub fn location(world: &World, analysis: &Analysis, span: Span) -> Location {
    let text = &analysis.compilation.sources.file(span.file).text;
    let range = Lines::new(text, world.encoding).range(span.start as usize, span.end as usize);
    Location::new(analysis.uri_of(span.file), range)
}

pub fn definition(world: &World, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let (analysis, file, offset) = at(world, &params.text_document_position_params)?;
    let (name, _) = analysis.index().name_at(file, offset)?;
    let symbol = analysis.index().symbol(name)?;
    Some(GotoDefinitionResponse::Scalar(location(
        world, &analysis, symbol.id,
    )))
}

pub fn references(world: &World, params: ReferenceParams) -> Option<Vec<Location>> {
    let (analysis, file, offset) = at(world, &params.text_document_position)?;
    let (name, _) = analysis.index().name_at(file, offset)?;
    let mut spans = analysis.index().occurrences(name);
    if !params.context.include_declaration {
        let declared = analysis.index().symbol(name).map(|s| s.id);
        spans.retain(|s| Some(*s) != declared);
    }
    Some(
        spans
            .into_iter()
            .map(|s| location(world, &analysis, s))
            .collect(),
    )
}

pub fn prepare_rename(
    world: &World,
    params: TextDocumentPositionParams,
) -> Option<PrepareRenameResponse> {
    let (analysis, file, offset) = at(world, &params)?;
    let (name, span) = analysis.index().name_at(file, offset)?;
    analysis.index().symbol(name)?;
    Some(PrepareRenameResponse::Range(
        location(world, &analysis, span).range,
    ))
}

/// Every declaration and use of the id, in every file of the design; refused for a
/// name that is no id or is taken.
// lsp-types keys `WorkspaceEdit` by `Uri` (see actions.rs).
#[allow(clippy::mutable_key_type)]
pub fn rename(world: &World, params: RenameParams) -> Result<Option<WorkspaceEdit>, Failure> {
    let refuse = |message: String| Failure(ErrorCode::RequestFailed, message);
    let Some((analysis, file, offset)) = at(world, &params.text_document_position) else {
        return Ok(None);
    };
    let Some((name, _)) = analysis.index().name_at(file, offset) else {
        return Ok(None);
    };
    let new = params.new_name.as_str();
    if !is_ident(new) {
        return Err(refuse(format!(
            "`{new}` is not an id: a letter or `_`, then letters, digits or `_`"
        )));
    }
    if new != name && analysis.index().symbol(new).is_some() {
        return Err(refuse(format!(
            "`{new}` is already declared: the two would collide"
        )));
    }
    if analysis.index().symbol(name).is_none() {
        return Err(refuse(format!("`{name}` is not declared in this design")));
    }
    let mut changes: HashMap<lsp_types::Uri, Vec<TextEdit>> = HashMap::new();
    for span in analysis.index().occurrences(name) {
        let place = location(world, &analysis, span);
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new.to_owned()));
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn symbol_kind(keyword: &str) -> SymbolKind {
    match keyword {
        "region" | "zone" | "group" => SymbolKind::NAMESPACE,
        "flow" => SymbolKind::EVENT,
        "scenario" => SymbolKind::EVENT,
        "database" | "cache" | "blob" | "search" => SymbolKind::STRUCT,
        "queue" => SymbolKind::ENUM,
        "client" | "external" => SymbolKind::INTERFACE,
        _ => SymbolKind::CLASS,
    }
}

/// The file's declarations, nested as written.
pub fn document_symbols(
    world: &World,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let path = uri::to_path(&params.text_document.uri)?;
    let analysis = world.analysis(&path)?;
    let file = analysis.file_of(&path)?;
    let symbols = &analysis.index().symbols;
    let text = &analysis.compilation.sources.file(file).text;
    let lines = Lines::new(text, world.encoding);
    fn children(
        parent: Option<usize>,
        symbols: &[crate::index::Symbol],
        file: hld_syntax::source::FileId,
        lines: &Lines,
    ) -> Vec<DocumentSymbol> {
        symbols
            .iter()
            .enumerate()
            .filter(|(_, s)| s.parent == parent && s.id.file == file)
            .map(|(i, s)| {
                #[allow(deprecated)]
                DocumentSymbol {
                    name: s.name.clone(),
                    detail: Some(match &s.label {
                        Some(label) => format!("{} · {label}", s.keyword),
                        None => s.keyword.clone(),
                    }),
                    kind: symbol_kind(&s.keyword),
                    tags: None,
                    deprecated: None,
                    range: lines.range(s.item.start as usize, s.item.end as usize),
                    selection_range: lines.range(s.id.start as usize, s.id.end as usize),
                    children: Some(children(Some(i), symbols, file, lines)),
                }
            })
            .collect()
    }
    Some(DocumentSymbolResponse::Nested(children(
        None, symbols, file, &lines,
    )))
}

/// Declarations across the open designs whose name holds the query (any case).
pub fn workspace_symbols(
    world: &World,
    params: WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let query = params.query.to_lowercase();
    let mut seen = std::collections::BTreeSet::new();
    let mut found = Vec::new();
    for path in world.documents.keys() {
        let Some(analysis) = world.analysis(path) else {
            continue;
        };
        for symbol in &analysis.index().symbols {
            if !symbol.name.to_lowercase().contains(&query) {
                continue;
            }
            let place = location(world, &analysis, symbol.id);
            if !seen.insert((place.uri.as_str().to_owned(), place.range.start)) {
                continue;
            }
            #[allow(deprecated)]
            found.push(SymbolInformation {
                name: symbol.name.clone(),
                kind: symbol_kind(&symbol.keyword),
                tags: None,
                deprecated: None,
                location: place,
                container_name: symbol
                    .parent
                    .map(|p| analysis.index().symbols[p].name.clone()),
            });
        }
    }
    Some(WorkspaceSymbolResponse::Flat(found))
}
