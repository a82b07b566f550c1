//! Rendering: a checked design → a scene (layout + what each box says) → SVG, PNG or
//! geometry JSON. Nothing here reads files or prints; the CLI does.

pub mod changes;
pub mod charts;
mod focus;
mod geometry;
#[cfg(feature = "png")]
mod png;
pub mod scene;
pub mod sequence;
pub mod svg;
pub mod text;
pub mod theme;

pub use focus::Focus;
pub use scene::{Options, Scene};
pub use theme::Theme;

use hld_model::{Choice, Compilation};

/// Coordinates as written to SVG and JSON: hundredths, never `-0` (deterministic bytes,
/// and the two outputs agree).
pub(crate) fn round(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// Which layout engine places the boxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// hld's compound layered layout (the default).
    Hld,
    /// layout-rs: flat (groups are boxes drawn around members afterwards), slow on
    /// large graphs; kept as a baseline.
    LayoutRs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Json,
}

impl Choice for Engine {
    const ALL: &'static [Engine] = &[Engine::Hld, Engine::LayoutRs];

    fn name(self) -> &'static str {
        match self {
            Engine::Hld => "hld",
            Engine::LayoutRs => "layout-rs",
        }
    }

    fn help(self) -> Option<&'static str> {
        Some(match self {
            Engine::Hld => "hld's compound layered layout",
            Engine::LayoutRs => "layout-rs: flat, slow beyond a few hundred components; a baseline",
        })
    }
}

impl Choice for Format {
    const ALL: &'static [Format] = &[Format::Svg, Format::Png, Format::Json];

    fn name(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Json => "json",
        }
    }
}

#[derive(Debug)]
pub enum RenderError {
    /// The layout engine refused (a graph too dense to draw) or failed (layout-rs).
    Layout(String),
    /// The SVG could not be rasterized.
    Png(String),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Layout(reason) => write!(f, "layout failed: {reason}"),
            RenderError::Png(reason) => write!(f, "cannot draw the PNG: {reason}"),
        }
    }
}

impl std::error::Error for RenderError {}

/// Everything that decides how a design is drawn.
pub struct Settings {
    pub options: Options,
    pub theme: Theme,
    pub format: Format,
    /// PNG pixels per SVG user unit.
    pub scale: f32,
}

impl Settings {
    /// The defaults of `hld render`: findings drawn, no legend, hld's layout, the light
    /// theme, PNG at 1 pixel per unit.
    pub fn new(format: Format) -> Settings {
        Settings {
            options: Options {
                findings: true,
                legend: false,
                engine: Engine::Hld,
                direction: Default::default(),
                focus: None,
                previous: None,
                measure: format == Format::Json,
            },
            theme: Theme::Light,
            format,
            scale: 1.0,
        }
    }
}

/// Draws a compiled (and linted) design. The caller makes sure it has no errors.
pub fn render(compilation: &Compilation, settings: &Settings) -> Result<Vec<u8>, RenderError> {
    let scene = scene::build(compilation, &settings.options)?;
    write(&scene, settings)
}

/// [`render`], and the drawing as the next one made near it needs it (watch mode and the
/// playground pass it back in [`Options::previous`] after each edit).
pub fn render_near(
    compilation: &Compilation,
    settings: &Settings,
) -> Result<(Vec<u8>, scene::Previous), RenderError> {
    let scene = scene::build(compilation, &settings.options)?;
    Ok((write(&scene, settings)?, scene::Previous::of(&scene)))
}

/// Flow `flow` drawn as a sequence diagram: SVG, or PNG from it (the geometry JSON is
/// the design's picture's alone).
pub fn render_sequence(
    model: &hld_model::Model,
    flow: hld_model::FlowId,
    settings: &Settings,
) -> Result<Vec<u8>, RenderError> {
    let svg = sequence::render(model, flow, settings.theme);
    match settings.format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Json => Err(RenderError::Layout(
            "a sequence diagram is drawn as SVG or PNG; its geometry is not written".to_owned(),
        )),
        #[cfg(feature = "png")]
        Format::Png => png::rasterize(&svg, settings.scale),
        #[cfg(not(feature = "png"))]
        Format::Png => Err(RenderError::Png(
            "this build of hld draws no PNG (hld-render's `png` feature)".to_owned(),
        )),
    }
}

/// The design drawn under each of `focuses`, laid out once (the watch page offers every
/// flow and scenario on every save).
pub fn render_views(
    compilation: &Compilation,
    settings: &Settings,
    focuses: &[Focus],
) -> Result<Vec<Vec<u8>>, RenderError> {
    let mut options = settings.options.clone();
    options.focus = None;
    let base = scene::build(compilation, &options)?;
    focuses
        .iter()
        .map(|&focus| {
            let mut scene = base.clone();
            scene::focus_on(&mut scene, &compilation.model, focus);
            write(&scene, settings)
        })
        .collect()
}

pub(crate) fn write(scene: &Scene, settings: &Settings) -> Result<Vec<u8>, RenderError> {
    match settings.format {
        Format::Svg => Ok(svg::write(scene, settings.theme).into_bytes()),
        Format::Json => Ok(geometry::write(scene).into_bytes()),
        #[cfg(feature = "png")]
        Format::Png => {
            // Refused before the SVG is written and parsed: that alone took gigabytes
            // for a picture too large to draw.
            png::pixels(scene.width, scene.height, settings.scale)?;
            png::rasterize(&svg::write(scene, settings.theme), settings.scale)
        }
        #[cfg(not(feature = "png"))]
        Format::Png => Err(RenderError::Png(
            "this build of hld draws no PNG (hld-render's `png` feature)".to_owned(),
        )),
    }
}
