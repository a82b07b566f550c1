//! `hld rules` and `hld explain RULE`.

use crate::cli::output::{errln, out, outln};
use clap::{Args, ValueEnum};

use super::Outcome;
use crate::diagnostics::suggestion_help;
use hld_analysis::{explain, rules};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    format: RulesFormat,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// A rule name, e.g. single-point-of-failure
    rule: String,
}

pub fn list(args: RulesArgs) -> Outcome {
    match args.format {
        RulesFormat::Markdown => out!("{}", explain::reference()),
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = explain::by_category()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "category": r.category.as_str(),
                        "level": r.level.as_str(),
                        "summary": r.summary,
                    })
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&list).expect("serializes")
            );
        }
        RulesFormat::Table => {
            let width = rules::ALL.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for rule in explain::by_category() {
                outln!(
                    "{:width$}  {:13}  {:7}  {}",
                    rule.name,
                    rule.category.as_str(),
                    rule.level.as_str(),
                    rule.summary
                );
            }
        }
    }
    Outcome::Success
}

pub fn explain(args: ExplainArgs) -> Outcome {
    match rules::find(&args.rule) {
        Some(rule) => {
            out!("{}", explain::text(rule));
            Outcome::Success
        }
        None => {
            let hint = suggestion_help(&args.rule, rules::ALL.iter().map(|r| r.name))
                .unwrap_or_else(|| "`hld rules` lists every rule".to_string());
            errln!("error: `{}` is not a rule; {hint}", args.rule);
            Outcome::Failure
        }
    }
}
