//! Edits and views of a whole document: applying the client's changes, formatting
//! (`hld fmt`), folding ranges, and the preview's SVG (`hld/render`).

use lsp_server::ErrorCode;
use lsp_types::{
    DocumentFormattingParams, FoldingRange, FoldingRangeParams, TextDocumentContentChangeEvent,
    TextDocumentIdentifier, TextEdit,
};
use serde::{Deserialize, Serialize};

use crate::position::{Encoding, Lines};
use crate::server::{Failure, not_open};
use crate::uri;
use crate::world::World;

/// The text after the client's changes, in order (a change without a range is the
/// whole new text).
pub fn apply(text: &str, changes: &[TextDocumentContentChangeEvent], encoding: Encoding) -> String {
    let mut text = text.to_owned();
    for change in changes {
        match change.range {
            None => text = change.text.clone(),
            Some(range) => {
                let lines = Lines::new(&text, encoding);
                let start = lines.offset(range.start);
                let end = lines.offset(range.end).max(start);
                text.replace_range(start..end, &change.text);
            }
        }
    }
    text
}

pub fn format(
    world: &World,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    let path = uri::to_path(&params.text_document.uri).ok_or_else(not_open)?;
    let document = world.documents.get(&path).ok_or_else(not_open)?;
    match hld_syntax::fmt::format_text(&document.text) {
        Ok(formatted) if formatted == document.text => Ok(Some(Vec::new())),
        Ok(formatted) => {
            let lines = Lines::new(&document.text, world.encoding);
            Ok(Some(vec![TextEdit::new(
                lines.range(0, document.text.len()),
                formatted,
            )]))
        }
        Err(errors) => Err(Failure(
            ErrorCode::RequestFailed,
            format!(
                "the design does not parse, so it is left as it is: {}",
                errors
                    .first()
                    .map_or("a syntax error", |e| e.message.as_str())
            ),
        )),
    }
}

pub fn folding(world: &World, params: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let path = uri::to_path(&params.text_document.uri)?;
    let analysis = world.analysis(&path)?;
    let file = analysis.file_of(&path)?;
    let text = &analysis.compilation.sources.file(file).text;
    let lines = Lines::new(text, world.encoding);
    let ranges = analysis
        .index()
        .blocks
        .iter()
        .filter(|b| b.file == file)
        .map(|b| {
            (
                lines.position(b.start as usize).line,
                lines.position(b.end as usize).line,
            )
        })
        .filter(|(start, end)| end > start)
        .map(|(start, end)| FoldingRange {
            start_line: start,
            end_line: end,
            ..FoldingRange::default()
        })
        .collect();
    Some(ranges)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderParams {
    pub text_document: TextDocumentIdentifier,
    #[serde(default)]
    pub theme: Option<String>,
}

#[derive(Serialize)]
pub struct Rendered {
    /// `null` while the design does not compile.
    pub svg: Option<String>,
}

/// `hld/render`: the open design drawn as `hld render` draws it.
pub fn render(world: &World, params: RenderParams) -> Result<Rendered, Failure> {
    let path = uri::to_path(&params.text_document.uri).ok_or_else(not_open)?;
    let analysis = world.analysis(&path).ok_or_else(not_open)?;
    let compilation = &analysis.compilation;
    if !compilation.compiles() {
        return Ok(Rendered { svg: None });
    }
    let mut settings = hld_render::Settings::new(hld_render::Format::Svg);
    let asked = params
        .theme
        .as_deref()
        .and_then(<hld_render::Theme as hld_model::Choice>::named);
    let design = hld_render::Theme::of_design(&compilation.model);
    settings.theme = hld_render::Theme::resolve(asked, design, None);
    let svg = hld_render::render(compilation, &settings)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Ok(Rendered { svg })
}
