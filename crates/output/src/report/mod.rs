//! `hld report`: the design-review document (docs/cli.md) as one HTML page or as
//! Markdown with its diagram beside it.

mod document;
mod html;

use hld_model::Compilation;
use hld_render::{Options, RenderError, Theme, scene, svg};

pub use document::Document;

/// Components past which the report leaves its diagram out: a picture of thousands of
/// boxes cannot be read on a page, and laying it out is most of the report's time (a
/// design of 100,000 components took 6 minutes and 4 GB, all but seconds of it the
/// layout). `hld render` still draws it.
pub const DIAGRAM_LIMIT: usize = 2_000;

/// The diagram (light, with the legend and numbered findings) and the document whose
/// findings carry the same numbers; no diagram past [`DIAGRAM_LIMIT`] components.
pub fn compose(compilation: &Compilation) -> Result<(Option<String>, Document), RenderError> {
    let components = compilation.model.components.len();
    if components > DIAGRAM_LIMIT {
        return Ok((None, document::write(compilation, None)));
    }
    let options = Options {
        findings: true,
        legend: true,
        engine: hld_render::Engine::Hld,
        direction: Default::default(),
        focus: None,
        previous: None,
        measure: false,
    };
    let scene = scene::build(compilation, &options)?;
    // Light, whatever the design's theme: the document is read on paper too.
    let picture = svg::write(&scene, Theme::Light);
    let document = document::write(compilation, scene.findings_list.as_ref());
    Ok((Some(picture), document))
}

/// The HTML page `hld report` writes for a compiled, linted design.
pub fn page(compilation: &Compilation) -> Result<String, RenderError> {
    let (picture, document) = compose(compilation)?;
    Ok(html::write(&document, picture.as_deref()))
}

/// The HTML page for a document and its diagram, if it has one.
pub fn html(document: &Document, svg: Option<&str>) -> String {
    html::write(document, svg)
}

/// The Markdown for a document whose diagram is the file `diagram` beside it (`None`:
/// the design is too large to draw in a report).
pub fn markdown(document: &Document, diagram: Option<&str>) -> String {
    let section = match diagram {
        Some(file) => format!("![{}](<{file}>)", crate::markdown::text(&document.title)),
        None => left_out(document),
    };
    format!(
        "{}## Diagram\n\n{section}\n\n{}",
        document.head, document.tail
    )
}

/// What the Diagram section says when the design is too large to draw in it.
pub(crate) fn left_out(document: &Document) -> String {
    format!(
        "The design has {} components, more than the {DIAGRAM_LIMIT} a report draws: a page \
         cannot show that many boxes legibly. Draw it with `hld render`.",
        document.components
    )
}
