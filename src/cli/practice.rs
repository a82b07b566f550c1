//! `hld practice list | show NAME | new NAME [-o FILE] | grade NAME FILE`: system-design
//! prompts graded by hld (docs/practice.md).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use super::Outcome;
use super::files::named;
use super::output::{errln, out};
use super::render::write_output;
use crate::diagnostics::suggestion_help;
use hld_analysis::Lint;
use hld_analysis::practice::{self, Prompt};

#[derive(Args)]
pub struct PracticeArgs {
    #[command(subcommand)]
    command: PracticeCommand,
}

#[derive(Subcommand)]
enum PracticeCommand {
    /// Every prompt: its name and title
    List,
    /// A prompt: the problem, requirements, scale, targets and the flows to design
    Show {
        /// A prompt's name (`hld practice list`), or a prompt file of your own (`.toml`)
        name: String,
    },
    /// A starter design: the header with the targets, the clients, the flows to fill
    New {
        /// A prompt's name (`hld practice list`), or a prompt file of your own (`.toml`)
        name: String,
        /// Where to write it (default: stdout)
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Grade a design against a prompt, per dimension, with hints for what fails
    Grade {
        /// A prompt's name (`hld practice list`), or a prompt file of your own (`.toml`)
        name: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = GradeFormat::Text)]
        format: GradeFormat,
        /// How many rungs of each failed check's hint ladder to show (1 to 3)
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
        hints: u8,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GradeFormat {
    Text,
    Json,
}

pub fn run(args: PracticeArgs) -> Outcome {
    match args.command {
        PracticeCommand::List => {
            out!("{}", hld_output::practice::list(&practice::prompts()));
            Outcome::Success
        }
        PracticeCommand::Show { name } => match find(&name) {
            Some(prompt) => {
                out!("{}", hld_output::practice::show(&prompt, &name));
                Outcome::Success
            }
            None => Outcome::Failure,
        },
        PracticeCommand::New { name, output } => new(&name, output.as_deref()),
        PracticeCommand::Grade {
            name,
            file,
            format,
            hints,
        } => grade(&name, &file, format, hints as usize),
    }
}

/// The prompt called `name`, or read from `name` when it is a `.toml` file (a team's own
/// prompt, in the format of `practice/`), or an error with the closest names.
fn find(name: &str) -> Option<Prompt> {
    if name.ends_with(".toml") {
        return read_prompt(Path::new(name));
    }
    let found = practice::prompt(name);
    if found.is_none() {
        let prompts = practice::prompts();
        let help = suggestion_help(name, prompts.iter().map(|p| p.name.as_str()))
            .unwrap_or_else(|| "`hld practice list` names them".to_string());
        errln!("error: no prompt is called `{name}`: {help}");
    }
    found
}

fn read_prompt(path: &Path) -> Option<Prompt> {
    let parsed = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| Prompt::parse(&text));
    parsed
        .map_err(|e| errln!("error: the prompt `{}` cannot be used: {e}", path.display()))
        .ok()
}

fn new(name: &str, output: Option<&Path>) -> Outcome {
    let Some(prompt) = find(name) else {
        return Outcome::Failure;
    };
    if let Some(path) = output
        && path.exists()
    {
        errln!(
            "error: `{}` exists: the starter would replace it; choose another file",
            path.display()
        );
        return Outcome::Failure;
    }
    write_output(output, prompt.starter(name).as_bytes())
}

fn grade(name: &str, file: &Path, format: GradeFormat, rungs: usize) -> Outcome {
    let Some(prompt) = find(name) else {
        return Outcome::Failure;
    };
    let input = named(file);
    let mut compilation = crate::compile_file(input);
    if compilation
        .diagnostics
        .iter()
        .any(|d| d.code == crate::diagnostics::code::IO)
    {
        for diagnostic in &compilation.diagnostics {
            errln!("error: {}", diagnostic.message);
        }
        return Outcome::Failure;
    }
    compilation.lint(hld_analysis::Settings::default());
    let graded = practice::grade(&prompt, &compilation);
    match format {
        GradeFormat::Text => out!("{}", hld_output::practice::grade_text(&graded, rungs)),
        GradeFormat::Json => out!("{}", hld_output::practice::grade_json(&graded)),
    }
    Outcome::Success
}
