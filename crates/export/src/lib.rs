//! Exports: a checked design in the language of another tool, so it can live where that
//! tool is read (Mermaid in a GitHub README, D2 or draw.io in a wiki, DOT for Graphviz).
//! Groups become containers, kinds the closest shapes the target has, async links
//! dashed, and each node says its kind, engine and replicas. Mermaid, D2 and DOT are
//! laid out by their own tools; draw.io and Excalidraw carry hld's own layout, so the
//! file opens laid out and stays editable. Nothing here reads files or prints; the CLI does.

mod d2;
mod dot;
mod drawio;
mod excalidraw;
mod mermaid;
mod text;

use hld_model::{Compilation, values};

pub use hld_render::RenderError;

/// The languages `hld export --to` writes (docs/cli.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Mermaid,
    D2,
    Dot,
    Drawio,
    Excalidraw,
}

impl hld_model::Choice for Target {
    const ALL: &'static [Target] = &[
        Target::Mermaid,
        Target::D2,
        Target::Dot,
        Target::Drawio,
        Target::Excalidraw,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Mermaid => "mermaid",
            Target::D2 => "d2",
            Target::Dot => "dot",
            Target::Drawio => "drawio",
            Target::Excalidraw => "excalidraw",
        }
    }

    fn help(self) -> Option<&'static str> {
        Some(match self {
            Target::Mermaid => "A Mermaid flowchart (GitHub draws it in Markdown)",
            Target::D2 => "D2",
            Target::Dot => "Graphviz DOT",
            Target::Drawio => "A draw.io (diagrams.net) file laid out as hld draws it",
            Target::Excalidraw => "An Excalidraw scene laid out as hld draws it",
        })
    }
}

/// The design of a compilation without errors, in `target`'s language.
pub fn export(compilation: &Compilation, target: Target) -> Result<String, RenderError> {
    let model = &compilation.model;
    Ok(match target {
        Target::Mermaid => mermaid::write(model),
        Target::D2 => d2::write(model),
        Target::Dot => dot::write(model),
        Target::Drawio => drawio::write(compilation)?,
        Target::Excalidraw => excalidraw::write(compilation)?,
    })
}

/// The design as `hld render` lays it out, without findings or legend: the targets
/// that carry hld's own layout (draw.io, Excalidraw) are written from it.
fn laid_out(compilation: &Compilation) -> Result<hld_render::Scene, RenderError> {
    let options = hld_render::Options {
        findings: false,
        legend: false,
        engine: hld_render::Engine::Hld,
        direction: Default::default(),
        focus: None,
        previous: None,
        measure: false,
    };
    hld_render::scene::build(compilation, &options)
}

/// Which way the target tool should lay the design out: `down` when the design says so,
/// else left to right (hld's `auto` picks per drawing; the other tools cannot).
fn lays_out_down(model: &hld_model::Model) -> bool {
    model.header.is(values::direction::Value::Down)
}
