//! The tools: each one's name, description and JSON schemas (what an agent reads in
//! `tools/list`), and what it runs. Results are the JSON of the matching command's
//! `--format json` (docs/cli.md), as structured content and as text; a design that
//! cannot be read or compiled is a tool error carrying its diagnostics, never a crash.

use hld_analysis::diff;
use hld_analysis::estimate::Estimates;
use hld_analysis::facts::Facts;
use hld_analysis::{practice, rules, simulate, whatif};
use hld_model::units::parse_duration;
use hld_model::{Choice, Compilation};
use hld_render::{Focus, Theme};
use serde_json::{Map, Value, json};

use super::design::{Workspace, compiled};

/// What a tool answers: its structured result, and the text shown for it.
pub struct Output {
    pub structured: Value,
    pub text: String,
}

impl Output {
    fn json(structured: Value) -> Output {
        let text = serde_json::to_string_pretty(&structured).expect("JSON serializes");
        Output { structured, text }
    }

    fn parsed(text: &str) -> Output {
        Output::json(serde_json::from_str(text).expect("hld writes JSON"))
    }
}

/// Why a tool could not answer: said to the agent as a tool error.
pub struct Failure {
    pub message: String,
    /// `hld check --format json` of a design that does not compile.
    pub diagnostics: Option<Value>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            diagnostics: None,
        }
    }
}

type Arguments = Map<String, Value>;
type Run = fn(&Arguments, &Workspace) -> Result<Output, Failure>;

pub struct Tool {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Its own arguments' schemas, beside the design's (`text`, `files`, `path`) when it
    /// takes one.
    arguments: fn() -> Value,
    takes_design: bool,
    /// The top-level fields every result has.
    result_fields: &'static [&'static str],
    run: Run,
}

pub const TOOLS: [Tool; 8] = [
    Tool {
        name: "check",
        title: "Check a design",
        description: "Parse, validate and lint a design against hld's trade-off rules: every finding with its rule, severity, element, message, help and line (`hld check --format json`). Run it after every edit.",
        arguments: || json!({}),
        takes_design: true,
        result_fields: &["version", "summary", "diagnostics"],
        run: check,
    },
    Tool {
        name: "estimate",
        title: "Estimate capacity, latency, availability and cost",
        description: "Back-of-the-envelope numbers from the design itself: per component its peak load, capacity and utilization, storage, availability, p50/p99 latency and monthly cost; per flow its rate, latency and availability; the assumptions it relied on (`hld estimate --format json`).",
        arguments: || json!({}),
        takes_design: true,
        result_fields: &["version", "components", "flows", "cost", "assumptions"],
        run: estimate,
    },
    Tool {
        name: "what_if",
        title: "Play failures",
        description: "What failures do to every flow: the design's declared scenarios, or the failure given by `fail` and `partition`; with `all`, the sweep of every single component, zone and region failure ranked by blast radius (`hld what-if --format json`, `--all`).",
        arguments: || {
            json!({
                "fail": {"type": "array", "items": {"type": "string"}, "description": "Components or groups that fail (one ad-hoc scenario)"},
                "partition": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2, "description": "Two groups or components that can no longer reach each other"},
                "all": {"type": "boolean", "description": "Sweep every single failure instead of the declared scenarios"},
                "depth": {"type": "integer", "minimum": 1, "maximum": 2, "description": "With `all`: 2 judges every pair of failures too"},
            })
        },
        takes_design: true,
        result_fields: &["version"],
        run: what_if,
    },
    Tool {
        name: "simulate",
        title: "Run the design over time",
        description: "Simulate the design in fixed steps: traffic shapes, queueing, timeouts, retries, breakers, backlogs, cold caches, autoscaling and the scenario's failure; per flow `ok`, `recovered`, `degraded` or `metastable` (`hld simulate --format json`). Keep `duration`/`step` small on large designs: the series grow with both.",
        arguments: || {
            json!({
                "scenario": {"type": "string", "description": "The scenario to play (default: the design's own traffic, nothing failing)"},
                "duration": {"type": "string", "description": "How long to run: `10min` (default), `90s`"},
                "step": {"type": "string", "description": "One step: `1s` (default), `100ms`"},
            })
        },
        takes_design: true,
        result_fields: &["version", "series", "outcomes"],
        run: simulate,
    },
    Tool {
        name: "explain",
        title: "Explain a rule",
        description: "One rule's explanation: what it checks, why the trade-off matters, a bad and a good example, further reading (`hld explain RULE`).",
        arguments: || json!({ "rule": {"type": "string", "description": "A rule's name, as findings give it: `single-point-of-failure`"} }),
        takes_design: false,
        result_fields: &["name", "category", "level", "summary", "explanation"],
        run: explain,
    },
    Tool {
        name: "render",
        title: "Draw a design",
        description: "The design drawn as SVG (text), with its findings numbered on it; or one flow or scenario drawn over it (`hld render`).",
        arguments: || {
            json!({
                "flow": {"type": "string", "description": "A flow to draw over the design"},
                "scenario": {"type": "string", "description": "A scenario to draw over the design"},
                "theme": {"type": "string", "enum": ["light", "dark"]},
            })
        },
        takes_design: true,
        result_fields: &["svg"],
        run: render,
    },
    Tool {
        name: "diff",
        title: "What a change does",
        description: "Compare two versions of a design by identity: elements added, removed and changed; findings new and fixed; estimates that moved past the threshold; what-if outcomes that changed; the cost (`hld diff --format json`). `new_errors` says whether the change adds an error.",
        arguments: || {
            let version = design_schema("A version of the design", json!({}));
            json!({
                "old": version.clone(),
                "new": version,
                "threshold": {"type": "number", "minimum": 0, "description": "The share an estimate must move by to be listed (0.1: 10%, the default)"},
            })
        },
        takes_design: false,
        result_fields: &[
            "version",
            "added",
            "removed",
            "changed",
            "findings",
            "estimates",
            "whatif",
            "new_errors",
        ],
        run: diff,
    },
    Tool {
        name: "practice_grade",
        title: "Grade a practice design",
        description: "Grade a design against a system-design prompt (`hld practice list` names them: url-shortener, instagram, payment-system, ...): a score per dimension, each check passed or failed with its hints (`hld practice grade --format json`).",
        arguments: || json!({ "prompt": {"type": "string", "description": "The prompt's name"} }),
        takes_design: true,
        result_fields: &["version", "prompt", "score", "dimensions"],
        run: practice_grade,
    },
];

impl Tool {
    /// Its entry in `tools/list`.
    pub fn listed(&self) -> Value {
        let own = (self.arguments)();
        let required: Vec<&str> = match self.name {
            "explain" => vec!["rule"],
            "diff" => vec!["old", "new"],
            "practice_grade" => vec!["prompt"],
            _ => vec![],
        };
        let mut input = if self.takes_design {
            design_schema("The arguments", own)
        } else {
            json!({"type": "object", "properties": own})
        };
        input["required"] = json!(required);
        let fields: Map<String, Value> = self
            .result_fields
            .iter()
            .map(|f| (f.to_string(), json!({})))
            .collect();
        json!({
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "inputSchema": input,
            "outputSchema": {"type": "object", "properties": fields, "required": self.result_fields},
            "annotations": {"readOnlyHint": true, "idempotentHint": true, "openWorldHint": false},
        })
    }

    pub fn run(&self, arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
        (self.run)(arguments, workspace)
    }
}

pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

/// An object schema with a design's properties (`text` and `files`, or `path`) and
/// `extra` ones.
fn design_schema(description: &str, extra: Value) -> Value {
    let mut properties = json!({
        "text": {"type": "string", "description": "The design's text (hld's language: read the resource hld://docs/language.md)"},
        "files": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The files the design's imports name, by name relative to the design: their text"},
        "path": {"type": "string", "description": "Instead of `text`: a design file inside the workspace the server was started in"},
    });
    if let (Some(all), Value::Object(extra)) = (properties.as_object_mut(), extra) {
        all.extend(extra);
    }
    json!({"type": "object", "description": description, "properties": properties})
}

/// The design, compiled; one that does not compile is a failure with its diagnostics.
fn compiling(arguments: &Arguments, workspace: &Workspace) -> Result<Compilation, Failure> {
    let compilation = compiled(arguments, workspace)?;
    if compilation.compiles() {
        return Ok(compilation);
    }
    let errors = compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == hld_syntax::diagnostics::Severity::Error)
        .count();
    Err(Failure {
        message: format!(
            "the design does not compile ({errors} errors): fix them first (`check` lists them)"
        ),
        diagnostics: Some(check_json(&compilation)),
    })
}

fn check_json(compilation: &Compilation) -> Value {
    let findings: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| (&compilation.sources, d))
        .collect();
    serde_json::to_value(hld_output::diagnostics::json_report_value(&findings, 1))
        .expect("the report serializes")
}

fn text<'a>(arguments: &'a Arguments, name: &str) -> Result<Option<&'a str>, Failure> {
    match arguments.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("`{name}` must be a string").into()),
    }
}

fn names(arguments: &Arguments, name: &str) -> Result<Vec<String>, Failure> {
    match arguments.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("`{name}` must be a list of ids").into()),
        Some(_) => Err(format!("`{name}` must be a list of ids").into()),
    }
}

fn check(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    Ok(Output::json(check_json(&compiled(arguments, workspace)?)))
}

fn estimate(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let compilation = compiling(arguments, workspace)?;
    let model = &compilation.model;
    let estimates = Estimates::new(model, &Facts::new(model));
    Ok(Output::json(hld_output::estimate::json(model, &estimates)))
}

fn what_if(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let compilation = compiling(arguments, workspace)?;
    let model = &compilation.model;
    let facts = Facts::new(model);
    let (fail, partition) = (names(arguments, "fail")?, names(arguments, "partition")?);
    if arguments.get("all").and_then(Value::as_bool) == Some(true) {
        let depth = match arguments.get("depth").and_then(Value::as_u64) {
            None | Some(1) => 1,
            Some(2) => 2,
            Some(_) => return Err("`depth` is 1 or 2".to_string().into()),
        };
        let sweep = whatif::sweep::sweep(model, &facts, depth).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        hld_output::sweep::write_json(model, &sweep, &mut bytes).map_err(|e| e.to_string())?;
        return Ok(Output::parsed(&String::from_utf8_lossy(&bytes)));
    }
    let scenarios = if fail.is_empty() && partition.is_empty() {
        model.scenarios.clone()
    } else {
        vec![whatif::ad_hoc(model, &fail, &partition)?]
    };
    let results: Vec<_> = scenarios
        .iter()
        .map(|s| whatif::what_if(model, &facts, s))
        .collect();
    Ok(Output::json(hld_output::whatif::json(model, &results)))
}

fn simulate(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let compilation = compiling(arguments, workspace)?;
    let model = &compilation.model;
    let mut settings = simulate::Settings::default();
    let duration = |name: &str| -> Result<Option<f64>, Failure> {
        match text(arguments, name)? {
            None => Ok(None),
            Some(written) => parse_duration(written)
                .filter(|s| *s > 0.0)
                .map(Some)
                .ok_or_else(|| {
                    format!("`{name}`: `{written}` is not a duration (`10min`, `1s`)").into()
                }),
        }
    };
    if let Some(seconds) = duration("duration")? {
        settings.duration = seconds;
    }
    if let Some(seconds) = duration("step")? {
        settings.step = seconds;
    }
    let scenario = match text(arguments, "scenario")? {
        None => None,
        Some(id) => Some(
            model
                .scenarios
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| format!("the design has no scenario `{id}`"))?,
        ),
    };
    let run = simulate::simulate(model, &Facts::new(model), scenario, settings)
        .map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    hld_output::simulate::write_json(&run, &mut bytes).map_err(|e| e.to_string())?;
    Ok(Output::parsed(&String::from_utf8_lossy(&bytes)))
}

fn explain(arguments: &Arguments, _: &Workspace) -> Result<Output, Failure> {
    let name =
        text(arguments, "rule")?.ok_or_else(|| "give the rule's name as `rule`".to_string())?;
    let Some(rule) = rules::find(name) else {
        let help =
            hld_syntax::diagnostics::suggestion_help(name, rules::ALL.iter().map(|r| r.name))
                .unwrap_or_else(|| "the resource hld://docs/rules.md lists them".to_string());
        return Err(format!("no rule is called `{name}`: {help}").into());
    };
    let explanation = hld_analysis::explain::text(rule);
    Ok(Output {
        structured: json!({
            "name": rule.name,
            "category": rule.category.as_str(),
            "level": rule.level.as_str(),
            "summary": rule.summary,
            "explanation": hld_analysis::explain::markdown(rule),
        }),
        text: explanation,
    })
}

fn render(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let compilation = compiling(arguments, workspace)?;
    let model = &compilation.model;
    let mut settings = hld_render::Settings::new(hld_render::Format::Svg);
    let theme = match text(arguments, "theme")? {
        None => None,
        Some(name) => Some(
            Theme::named(name)
                .ok_or_else(|| format!("`theme` is `light` or `dark`, not `{name}`"))?,
        ),
    };
    settings.theme = Theme::resolve(theme, Theme::of_design(model), None);
    settings.options.focus = Focus::named(
        model,
        text(arguments, "flow")?,
        text(arguments, "scenario")?,
    )?;
    let bytes = hld_render::render(&compilation, &settings).map_err(|e| e.to_string())?;
    let svg = String::from_utf8(bytes).expect("hld writes UTF-8");
    Ok(Output {
        structured: json!({ "svg": svg }),
        text: svg,
    })
}

fn diff(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let version = |name: &str| -> Result<Compilation, Failure> {
        match arguments.get(name) {
            Some(Value::Object(design)) => Ok(compiled(design, workspace)?),
            _ => Err(
                format!("`{name}` must be a design: {{\"text\": ...}} or {{\"path\": ...}}").into(),
            ),
        }
    };
    let (old, new) = (version("old")?, version("new")?);
    let threshold = match arguments.get("threshold") {
        None | Some(Value::Null) => diff::DEFAULT_THRESHOLD,
        Some(value) => value
            .as_f64()
            .filter(|t| (0.0..=10.0).contains(t))
            .ok_or_else(|| "`threshold` is a share: 0.1 for 10%".to_string())?,
    };
    let shown = |name: &str| {
        arguments[name]
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_string()
    };
    let (old_name, new_name) = (shown("old"), shown("new"));
    let names = hld_output::diff::Names {
        old: &old_name,
        new: &new_name,
    };
    let compared = diff::diff(&old, &new, threshold);
    Ok(Output::parsed(&hld_output::diff::json(&compared, &names)))
}

fn practice_grade(arguments: &Arguments, workspace: &Workspace) -> Result<Output, Failure> {
    let name = text(arguments, "prompt")?
        .ok_or_else(|| "give the prompt's name as `prompt`".to_string())?;
    let Some(prompt) = practice::prompt(name) else {
        let prompts = practice::prompts();
        let help =
            hld_syntax::diagnostics::suggestion_help(name, prompts.iter().map(|p| p.name.as_str()))
                .unwrap_or_else(|| "`hld practice list` names them".to_string());
        return Err(format!("no prompt is called `{name}`: {help}").into());
    };
    let compilation = compiled(arguments, workspace)?;
    let graded = practice::grade(&prompt, &compilation);
    Ok(Output::parsed(&hld_output::practice::grade_json(&graded)))
}
