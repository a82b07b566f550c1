//! `hld render FILE [-o OUT]`: compile, lint and draw a design as SVG, PNG or geometry
//! JSON. A design with errors is not drawn: its diagnostics are printed (exit 1).

use crate::cli::output::{err, errln};
use hld_analysis::Lint;
use std::path::{Path, PathBuf};

use clap::Args;

use super::choice::choice;
use super::files::{Input, named, refuse_input_as_output, write_atomically};
use super::{Outcome, use_color};
use crate::diagnostics::{Diagnostic, Severity, render_human};
use crate::{Compilation, compile_file};
use hld_analysis::Settings;
use hld_analysis::config::{self, ConfigFile};
use hld_model::Choice;
use hld_model::values::direction::Value as DirectionValue;
use hld_render::scene::DirectionAsked;
use hld_render::{self, Engine, Format, Theme};
use hld_syntax::diagnostics::shown_path;
use hld_syntax::source::Sources;

/// How to draw; shared by `render` and `watch`.
#[derive(Args, Clone)]
pub struct DrawArgs {
    /// Colours (default: the design's `theme`, else hld.toml's, else light)
    #[arg(long, value_parser = choice::<Theme>())]
    pub theme: Option<Theme>,
    /// Which way requests flow: `auto` draws the way that reads best (geometry JSON's
    /// `readability`; default: the design's `direction`, else hld.toml's, else auto)
    #[arg(long, value_parser = choice::<DirectionValue>())]
    pub direction: Option<DirectionValue>,
    /// The layout engine
    #[arg(long, value_parser = choice::<Engine>(), default_value = "hld")]
    pub layout: Engine,
    /// Leave lint findings off the picture
    #[arg(long)]
    pub no_findings: bool,
    /// Draw a legend of the kinds and line styles under the diagram
    #[arg(long)]
    pub legend: bool,
    /// The configuration to use (default: the nearest hld.toml upward from FILE)
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args)]
pub struct RenderArgs {
    /// The design to draw; `-` reads stdin
    file: PathBuf,
    /// Where to write: `.svg`, `.png` or `.json` (default: FILE with the format's
    /// extension; stdout for stdin); `-` writes to stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The output format (default: from OUT's extension, else svg)
    #[arg(long, value_parser = choice::<Format>())]
    format: Option<Format>,
    /// PNG pixels per SVG unit
    #[arg(long, default_value_t = 2.0)]
    scale: f32,
    /// Highlight one flow: the design dimmed, its steps numbered, a caption with its numbers
    #[arg(long, conflicts_with = "scenario")]
    flow: Option<String>,
    /// Draw one scenario: failed components struck, cut links red, each flow's outcome
    #[arg(long)]
    scenario: Option<String>,
    /// How to draw `--flow`: over the design, or as a sequence diagram (lifelines and
    /// messages in step order)
    #[arg(long = "as", value_enum, default_value_t = View::Design, requires = "flow")]
    view: View,
    #[command(flatten)]
    draw: DrawArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum View {
    Design,
    Sequence,
}

pub fn run(args: RenderArgs) -> Outcome {
    let format = output_format(args.format, args.output.as_deref());
    let input = named(&args.file);
    let output = match (&args.output, &input) {
        (Some(path), _) if path == Path::new("-") => None,
        (Some(path), _) => Some(path.clone()),
        (None, Input::Stdin) => None,
        (None, Input::File(path)) => Some(path.with_extension(extension(format))),
    };
    if !(args.scale > 0.0 && args.scale <= 16.0) {
        errln!("error: --scale must be above 0 and at most 16");
        return Outcome::Failure;
    }
    let findings = if args.draw.no_findings {
        Findings::Left
    } else {
        Findings::Shown
    };
    let built = match build_to_write(
        &input,
        args.draw.config.as_deref(),
        output.as_slice(),
        findings,
    ) {
        Ok(built) => built,
        Err(outcome) => return outcome,
    };
    let mut settings = settings(&args.draw, &built, format, args.scale);
    let model = &built.compilation.model;
    settings.options.focus =
        match hld_render::Focus::named(model, args.flow.as_deref(), args.scenario.as_deref()) {
            Ok(focus) => focus,
            Err(message) => {
                errln!("error: {message}");
                return Outcome::Failure;
            }
        };
    let drawn = match (args.view, settings.options.focus) {
        (View::Sequence, Some(hld_render::Focus::Flow(flow))) => {
            hld_render::render_sequence(model, flow, &settings)
        }
        _ => hld_render::render(&built.compilation, &settings),
    };
    let bytes = match drawn {
        Ok(bytes) => bytes,
        Err(error) => {
            errln!("error: {error}");
            return Outcome::Failure;
        }
    };
    write_output(output.as_deref(), &bytes)
}

/// The format asked for, else the one OUT's extension names, else SVG.
fn output_format(flag: Option<Format>, output: Option<&Path>) -> Format {
    let from_extension = || {
        let extension = output?.extension()?.to_str()?;
        Format::named(extension)
    };
    flag.or_else(from_extension).unwrap_or(Format::Svg)
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Svg => "svg",
        Format::Png => "png",
        Format::Json => "json",
    }
}

pub fn write_output(output: Option<&Path>, bytes: &[u8]) -> Outcome {
    match output {
        None => {
            super::output::write_bytes(bytes);
            Outcome::Success
        }
        Some(path) => match write_atomically(path, bytes) {
            Ok(()) => Outcome::Success,
            Err(error) => {
                errln!(
                    "error: cannot write `{}`: {}",
                    shown_path(path),
                    hld_syntax::load::io_reason(&error)
                );
                Outcome::Failure
            }
        },
    }
}

/// A design compiled and linted with its configuration.
pub struct Built {
    pub compilation: Compilation,
    pub config: Option<ConfigFile>,
}

impl Built {
    /// Every diagnostic of the design and its configuration.
    pub fn diagnostics(&self) -> impl Iterator<Item = (&Sources, &Diagnostic)> {
        let config = self
            .config
            .iter()
            .flat_map(|c| c.diagnostics.iter().map(move |d| (&c.sources, d)));
        let design = self
            .compilation
            .diagnostics
            .iter()
            .map(|d| (&self.compilation.sources, d));
        config.chain(design)
    }

    /// Every file read to build the design: its own, its imports, its hld.toml.
    pub fn input_paths(&self) -> impl Iterator<Item = &Path> {
        let config = self.config.iter().flat_map(|c| c.sources.iter());
        self.compilation
            .sources
            .iter()
            .chain(config)
            .filter_map(|file| match &file.origin {
                Input::File(path) => Some(path.as_path()),
                Input::Stdin => None,
            })
    }

    pub fn can_draw(&self) -> bool {
        self.compile_errors().next().is_none()
    }

    /// What stops the drawing: compile errors of the design or its hld.toml (lint
    /// findings, errors included, are drawn instead).
    pub fn compile_errors(&self) -> impl Iterator<Item = (&Sources, &Diagnostic)> {
        self.diagnostics().filter(|(_, d)| {
            d.severity == Severity::Error && d.category == crate::diagnostics::COMPILE_CATEGORY
        })
    }

    pub fn print_compile_errors(&self, color: bool) {
        for (sources, diagnostic) in self.compile_errors() {
            err!("{}", render_human(sources, diagnostic, color));
            errln!();
        }
    }

    /// When the design cannot be drawn: prints why to stderr and says the exit code.
    pub fn report_failure(&self) -> Option<Outcome> {
        if self.can_draw() {
            return None;
        }
        self.print_compile_errors(use_color());
        Some(Outcome::of(self.compile_errors().map(|(_, d)| d)))
    }
}

/// [`build`] for a command that writes `outputs`: a design that cannot be drawn, or an
/// output that names one of its inputs, is reported on stderr and ends the command with
/// the outcome returned.
pub fn build_to_write(
    input: &Input,
    config_path: Option<&Path>,
    outputs: &[PathBuf],
    findings: Findings,
) -> Result<Built, Outcome> {
    let built = build(input, config_path, findings);
    if let Some(outcome) = built.report_failure() {
        return Err(outcome);
    }
    for output in outputs {
        if let Err(message) = refuse_input_as_output(output, built.input_paths()) {
            errln!("error: {message}");
            return Err(Outcome::Failure);
        }
    }
    Ok(built)
}

/// Whether a drawing shows the lint findings (`--no-findings` leaves them off).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Findings {
    Shown,
    Left,
}

/// Reads, compiles and (when its findings are shown) lints a design with its hld.toml
/// (given, or discovered). A drawing without findings skips the rules: only compile
/// errors stop it.
pub fn build(input: &Input, config_path: Option<&Path>, findings: Findings) -> Built {
    let config_path = config_path
        .map(Path::to_path_buf)
        .or_else(|| config::discover(input));
    let config = config_path.map(|p| config::load(&p));
    let mut compilation = compile_file(input.clone());
    if findings == Findings::Shown {
        compilation.lint(Settings {
            config: config.as_ref().and_then(|c| c.config.as_ref()),
            deny_warnings: false,
            deny_single_failures: false,
        });
    }
    Built {
        compilation,
        config,
    }
}

/// The drawing settings: flags first, then the design's header, then hld.toml.
pub fn settings(
    draw: &DrawArgs,
    built: &Built,
    format: Format,
    scale: f32,
) -> hld_render::Settings {
    let from_config = built
        .config
        .as_ref()
        .and_then(|c| c.config.as_ref())
        .map(|c| c.render.clone())
        .unwrap_or_default();
    let theme = Theme::resolve(
        draw.theme,
        Theme::of_design(&built.compilation.model),
        from_config.theme.map(Theme::from),
    );
    hld_render::Settings {
        options: hld_render::Options {
            findings: !draw.no_findings,
            legend: draw.legend,
            engine: draw.layout,
            focus: None,
            direction: DirectionAsked {
                flag: draw.direction,
                config: from_config.direction,
            },
            previous: None,
            measure: format == Format::Json,
        },
        theme,
        format,
        scale,
    }
}
