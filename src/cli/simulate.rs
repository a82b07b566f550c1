//! `hld simulate FILE [--scenario ID] [--duration 10min] [--step 1s]`: the design run
//! over time (docs/simulate.md). It reports; `hld check` judges.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use super::estimate::compiled;
use super::files::{Input, refuse_input_as_output};
use super::output::errln;
use super::render::write_output;
use crate::diagnostics::suggestion_help;
use hld_analysis::facts::Facts;
use hld_analysis::simulate::{self, Settings};
use hld_model::units::parse_duration;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Table,
    Markdown,
    Json,
    /// Charts: one per flow and per component above 80%
    Svg,
    /// A page that plays the run on the design's picture, with the charts
    Html,
}

#[derive(Args)]
pub struct SimulateArgs {
    /// The design (`-` reads stdin)
    file: PathBuf,
    /// The scenario to play: its failure from `at` for `for`, and its `traffic`
    /// (default: the design's own traffic shapes, nothing failing)
    #[arg(long)]
    scenario: Option<String>,
    /// How long to run: `10min`, `1h`, `90s`
    #[arg(long, default_value = "10min", value_parser = duration)]
    duration: f64,
    /// The length of one step: `1s`, `100ms`
    #[arg(long, default_value = "1s", value_parser = duration)]
    step: f64,
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    format: SimulateFormat,
    /// Where to write (default: stdout)
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn duration(text: &str) -> Result<f64, String> {
    parse_duration(text)
        .filter(|&s| s > 0.0)
        .ok_or_else(|| format!("`{text}` is not a duration: write `10min`, `90s` or `500ms`"))
}

pub fn run(args: SimulateArgs) -> Outcome {
    let compilation = match compiled(&args.file) {
        Ok(compilation) => compilation,
        Err(outcome) => return outcome,
    };
    let output = args.output.as_deref().filter(|p| *p != Path::new("-"));
    if let Some(path) = output {
        let inputs = compilation.sources.iter().filter_map(|f| match &f.origin {
            Input::File(path) => Some(path.as_path()),
            Input::Stdin => None,
        });
        if let Err(message) = refuse_input_as_output(path, inputs) {
            errln!("error: {message}");
            return Outcome::Failure;
        }
    }
    let model = &compilation.model;
    let scenario = match &args.scenario {
        None => None,
        Some(id) => match model.scenarios.iter().find(|s| &s.id == id) {
            Some(scenario) => Some(scenario),
            None => {
                let help = suggestion_help(id, model.scenarios.iter().map(|s| s.id.as_str()))
                    .map_or(String::new(), |h| format!(": {h}"));
                errln!("error: the design has no scenario `{id}`{help}");
                return Outcome::Failure;
            }
        },
    };
    let facts = Facts::new(model);
    let settings = Settings {
        duration: args.duration,
        step: args.step,
    };
    let run = match simulate::simulate(model, &facts, scenario, settings) {
        Ok(run) => run,
        Err(refusal) => {
            errln!("error: {refusal}");
            return Outcome::Failure;
        }
    };
    let bytes = match args.format {
        SimulateFormat::Table => hld_output::simulate::table(&run, false).into_bytes(),
        SimulateFormat::Markdown => hld_output::simulate::table(&run, true).into_bytes(),
        SimulateFormat::Svg => {
            let theme = hld_render::Theme::resolve(None, hld_render::Theme::of_design(model), None);
            hld_render::charts::charts(&run, &chart_title(model, &run), theme).into_bytes()
        }
        SimulateFormat::Html => match playback(&compilation, &run) {
            Ok(page) => page.into_bytes(),
            Err(error) => {
                errln!("error: {error}");
                return Outcome::Failure;
            }
        },
        SimulateFormat::Json => {
            let mut bytes = Vec::new();
            if let Err(error) = hld_output::simulate::write_json(&run, &mut bytes) {
                errln!("error: cannot write the JSON: {error}");
                return Outcome::Failure;
            }
            bytes.push(b'\n');
            bytes
        }
    };
    write_output(output, &bytes)
}

/// What the charts are of: the design's title, the scenario, the run.
fn chart_title(model: &hld_model::Model, run: &simulate::Run) -> String {
    let design = model.title.as_deref().unwrap_or("The design");
    let what = run
        .scenario
        .as_deref()
        .map_or("its own traffic".to_string(), |s| format!("scenario {s}"));
    format!(
        "{design}: {what}, {} in {} steps",
        hld_model::figures::human_duration(run.duration),
        hld_model::figures::human_duration(run.step)
    )
}

/// The playback page: the design's picture (light, without findings) and the charts.
fn playback(
    compilation: &hld_model::Compilation,
    run: &simulate::Run,
) -> Result<String, hld_render::RenderError> {
    let mut settings = hld_render::Settings::new(hld_render::Format::Svg);
    settings.options.findings = false;
    let picture = hld_render::render(compilation, &settings)?;
    let title = chart_title(&compilation.model, run);
    let charts = hld_render::charts::charts(run, &title, hld_render::Theme::Light);
    Ok(hld_output::playback::page(
        &compilation.model,
        run,
        &title,
        &String::from_utf8_lossy(&picture),
        &charts,
    ))
}
