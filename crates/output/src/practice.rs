//! What `hld practice` prints: the prompts, one prompt (never its checks' answers), and a
//! grade as text or the JSON of docs/cli.md v3.

use serde::Serialize;

use hld_analysis::practice::{Grade, Prompt};

/// `hld practice list`: one line per prompt.
pub fn list(prompts: &[Prompt]) -> String {
    let width = prompts.iter().map(|p| p.name.len()).max().unwrap_or(0);
    prompts
        .iter()
        .map(|p| format!("{:width$}  {}\n", p.name, p.title))
        .collect()
}

/// `hld practice show NAME`: the problem, requirements, scale, targets and flows.
/// `named` is how the learner names the prompt (its name, or the path of its file).
pub fn show(prompt: &Prompt, named: &str) -> String {
    let mut out = format!(
        "{}\n\n{}\n\nRequirements:\n",
        prompt.title,
        prompt.problem.trim()
    );
    for requirement in &prompt.requirements {
        out.push_str(&format!("- {requirement}\n"));
    }
    for note in &prompt.notes {
        out.push_str(&format!("- {note}\n"));
    }
    out.push_str("\nScale:\n");
    for client in &prompt.clients {
        out.push_str(&format!(
            "- {} ({}): {}\n",
            client.label, client.id, client.scale
        ));
    }
    out.push_str("\nTargets (latency at p99):\n");
    for (name, value) in prompt.targets.stated() {
        out.push_str(&format!("- {name}: {value}\n"));
    }
    out.push_str("\nFlows the design must have:\n");
    for flow in &prompt.flows {
        let critical = if flow.critical { ", critical" } else { "" };
        out.push_str(&format!(
            "- `{}` from `{}`: {} ({}{critical})\n",
            flow.id, flow.client, flow.label, flow.traffic
        ));
    }
    out.push_str(&format!(
        "\nStart with `hld practice new {named} -o {}.hld`; grade with `hld practice grade {named} {}.hld`.\n",
        prompt.name, prompt.name
    ));
    out
}

/// The grade as text: the score, then per dimension each check, and for a failed one the
/// hints up to `rungs` of its ladder (the first: what is wrong in the prompt's words).
pub fn grade_text(grade: &Grade, rungs: usize) -> String {
    let mut out = format!("{}: {}%\n", grade.prompt, grade.score);
    for dimension in grade.dimensions.iter().filter(|d| d.max > 0) {
        out.push_str(&format!(
            "\n{} {}/{}\n",
            dimension.name, dimension.score, dimension.max
        ));
        for check in &dimension.checks {
            let mark = if check.passed { "pass" } else { "FAIL" };
            out.push_str(&format!("  {mark}  {}\n", check.check));
            for hint in check.hints.iter().take(rungs) {
                out.push_str(&format!("        hint: {hint}\n"));
            }
        }
    }
    out
}

#[derive(Serialize)]
struct GradeJson<'a> {
    version: u32,
    prompt: &'a str,
    score: u32,
    dimensions: Vec<DimensionJson<'a>>,
}

#[derive(Serialize)]
struct DimensionJson<'a> {
    name: &'a str,
    score: usize,
    max: usize,
    checks: Vec<CheckJson<'a>>,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    check: &'a str,
    passed: bool,
    /// The first rung; `null` when passed.
    hint: Option<&'a str>,
    /// The whole ladder, gentlest first.
    hints: &'a [String],
}

/// The JSON of `hld practice grade --format json` (docs/cli.md v3).
pub fn grade_json(grade: &Grade) -> String {
    let document = GradeJson {
        version: 1,
        prompt: &grade.prompt,
        score: grade.score,
        dimensions: grade
            .dimensions
            .iter()
            .map(|d| DimensionJson {
                name: d.name,
                score: d.score,
                max: d.max,
                checks: d
                    .checks
                    .iter()
                    .map(|c| CheckJson {
                        check: &c.check,
                        passed: c.passed,
                        hint: c.hints.first().map(String::as_str),
                        hints: &c.hints,
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&document).expect("serializes") + "\n"
}
