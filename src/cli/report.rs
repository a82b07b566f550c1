//! `hld report FILE [-o OUT.html|OUT.md]`: the design-review document (docs/cli.md):
//! requirements, the diagram, the estimates, scenarios, findings with their trade-offs,
//! the accepted trade-offs as a decision log, the assumptions.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::Outcome;
use super::files::{Input, named, write_atomically};
use super::output::errln;
use super::render::{Findings, build_to_write, write_output};
use hld_output::report;
use hld_syntax::diagnostics::shown_path;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page (the diagram inline)
    Html,
    /// Markdown, with the diagram as an SVG file beside it
    Markdown,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The design (`-` reads stdin)
    file: PathBuf,
    /// Where to write: `.html`, or `.md` with the diagram beside it as `.svg` (default:
    /// FILE with the format's extension; stdout for stdin); `-` writes HTML to stdout
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The format (default: from OUT's extension, else html)
    #[arg(long, value_enum)]
    format: Option<ReportFormat>,
    /// The configuration to use (default: the nearest hld.toml upward from FILE)
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: ReportArgs) -> Outcome {
    let input = named(&args.file);
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    let stated = args.output.filter(|_| !to_stdout);
    let format = args
        .format
        .unwrap_or_else(|| match stated.as_deref().and_then(Path::extension) {
            Some(e) if e == "md" || e == "markdown" => ReportFormat::Markdown,
            _ => ReportFormat::Html,
        });
    let output = match (stated, &input) {
        (Some(path), _) => Some(path),
        (None, Input::File(path)) if !to_stdout => Some(path.with_extension(match format {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "md",
        })),
        (None, _) => None,
    };
    // The Markdown names its diagram as a file beside it.
    let diagram = match (format, &output) {
        (ReportFormat::Markdown, Some(path)) => Some(path.with_extension("svg")),
        (ReportFormat::Markdown, None) => {
            errln!(
                "error: a Markdown report needs `-o OUT.md`: its diagram is written beside it as OUT.svg"
            );
            return Outcome::Failure;
        }
        (ReportFormat::Html, _) => None,
    };
    let outputs: Vec<PathBuf> = output.iter().chain(&diagram).cloned().collect();
    let built = match build_to_write(&input, args.config.as_deref(), &outputs, Findings::Shown) {
        Ok(built) => built,
        Err(outcome) => return outcome,
    };
    let (picture, document) = match report::compose(&built.compilation) {
        Ok(parts) => parts,
        Err(error) => {
            errln!("error: {error}");
            return Outcome::Failure;
        }
    };
    match (format, diagram) {
        (ReportFormat::Markdown, Some(diagram)) => {
            let name = match &picture {
                Some(picture) => {
                    if let Err(error) = write_atomically(&diagram, picture.as_bytes()) {
                        errln!(
                            "error: cannot write `{}`: {}",
                            shown_path(&diagram),
                            hld_syntax::load::io_reason(&error)
                        );
                        return Outcome::Failure;
                    }
                    diagram
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                }
                None => None,
            };
            let markdown = report::markdown(&document, name.as_deref());
            write_output(output.as_deref(), markdown.as_bytes())
        }
        _ => write_output(
            output.as_deref(),
            report::html(&document, picture.as_deref()).as_bytes(),
        ),
    }
}
