//! `hld report`: the design-review document (docs/cli.md) as one HTML page or as
//! Markdown with its diagram beside it.

mod document;
mod html;

use hld_model::Compilation;
use hld_render::{Options, RenderError, Theme, scene, svg};

pub use document::Document;

/// The diagram (light, with the legend and numbered findings) and the document whose
/// findings carry the same numbers.
pub fn compose(compilation: &Compilation) -> Result<(String, Document), RenderError> {
    let options = Options {
        findings: true,
        legend: true,
        engine: hld_render::Engine::Hld,
        direction: None,
        focus: None,
    };
    let scene = scene::build(compilation, &options)?;
    // Light, whatever the design's theme: the document is read on paper too.
    let picture = svg::write(&scene, Theme::Light);
    let document = document::write(compilation, scene.findings_list.as_ref());
    Ok((picture, document))
}

/// The HTML page `hld report` writes for a compiled, linted design.
pub fn page(compilation: &Compilation) -> Result<String, RenderError> {
    let (picture, document) = compose(compilation)?;
    Ok(html::write(&document, &picture))
}

/// The HTML page for a document and its diagram.
pub fn html(document: &Document, svg: &str) -> String {
    html::write(document, svg)
}

/// The Markdown for a document whose diagram is the file `diagram` beside it.
pub fn markdown(document: &Document, diagram: &str) -> String {
    format!(
        "{}## Diagram\n\n![{}](<{diagram}>)\n\n{}",
        document.head,
        crate::markdown::text(&document.title),
        document.tail
    )
}
