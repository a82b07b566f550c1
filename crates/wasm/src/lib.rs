//! hld in WebAssembly, for the playground (`web/`): every command the page needs, over
//! designs held in memory (imports resolve among the files the page sends), answering
//! in the JSON of docs/cli.md.
//!
//! The interface is plain exports, no generated glue: the page writes a JSON request
//! into memory it got from [`hld_alloc`], calls [`hld_call`], and reads the JSON answer
//! at the pointer returned, [`hld_result_len`] bytes long. One entry point keeps the
//! JavaScript side to a dozen lines (`web/src/hld.js`) and the build to `cargo build`:
//! no wasm-bindgen CLI to keep at the crate's exact version.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};

use hld_analysis::estimate::Estimates;
use hld_analysis::facts::Facts;
use hld_analysis::{Lint, Settings, whatif};
use hld_model::Compilation;
use hld_render::{Focus, Theme};
use hld_syntax::load::Memory;
use hld_syntax::source::Origin;

/// What the page asks for.
#[derive(Deserialize)]
struct Request {
    /// `check`, `render`, `estimate`, `what-if`, `fmt`, `simulate`, `practice-list`,
    /// `practice-start`, `practice-grade`, or `all` (check, render, estimate and what-if
    /// at once, as the page redraws on every keystroke).
    command: String,
    /// The design's files by name; `root` is the design.
    files: BTreeMap<String, String>,
    root: String,
    #[serde(default)]
    flow: Option<String>,
    #[serde(default)]
    scenario: Option<String>,
    /// `light` or `dark`; else the design's `theme`, else light.
    #[serde(default)]
    theme: Option<String>,
    /// `simulate` without a scenario: a traffic shape to run the design at
    /// (`spike(3x, at: 1min, for: 2min)`).
    #[serde(default)]
    traffic: Option<String>,
    /// `practice-start` and `practice-grade`: the prompt's name.
    #[serde(default)]
    prompt: Option<String>,
    /// `sequence`: the `flow` drawn as a sequence diagram (`hld render --as sequence`).
    #[serde(default)]
    view: Option<String>,
}

/// Answers a request (a JSON text) with a JSON text: the command's output, or
/// `{"error": "..."}` for a request the page should not have sent.
pub fn call(request: &str) -> String {
    let answer = match serde_json::from_str::<Request>(request) {
        Ok(request) => answer(&request),
        Err(error) => json!({ "error": format!("not a request: {error}") }),
    };
    answer.to_string()
}

fn answer(request: &Request) -> Value {
    if let Some(answer) = practice(request) {
        return answer;
    }
    let Some(root_text) = request.files.get(&request.root) else {
        return json!({ "error": format!("no file is called `{}`", request.root) });
    };
    if request.command == "fmt" {
        return match hld_syntax::fmt::format_text(root_text) {
            Ok(text) => json!({ "text": text }),
            Err(_) => json!({ "text": null, "diagnostics": check(&compiled(request)) }),
        };
    }
    if request.command == "simulate" {
        return simulate(request);
    }
    let compilation = compiled(request);
    match request.command.as_str() {
        "check" => check(&compilation),
        "render" => json!({ "svg": render(&compilation, request) }),
        "estimate" => Analyzed::of(&compilation).map_or(Value::Null, |a| a.estimate()),
        "what-if" => Analyzed::of(&compilation).map_or(Value::Null, |a| a.what_if()),
        "all" => {
            let analyzed = Analyzed::of(&compilation);
            let (estimate, tables) = analyzed.as_ref().map(Analyzed::estimate_and_tables).unzip();
            json!({
                "diagnostics": check(&compilation),
                "svg": render(&compilation, request),
                "estimate": estimate,
                "tables": tables,
                "what_if": analyzed.as_ref().map(Analyzed::what_if),
                "flows": compilation.model.flows.iter().map(|f| &f.id).collect::<Vec<_>>(),
                "scenarios": compilation.model.scenarios.iter().map(|s| &s.id).collect::<Vec<_>>(),
            })
        }
        other => json!({ "error": format!("no command is called `{other}`") }),
    }
}

/// `hld practice` for the page's Practice tab: the prompts, one prompt with its starter,
/// and the grade of the design (`hld practice grade --format json`).
fn practice(request: &Request) -> Option<Value> {
    use hld_analysis::practice;
    let named = || {
        let name = request.prompt.as_deref().unwrap_or_default();
        practice::prompt(name)
            .ok_or_else(|| json!({ "error": format!("no prompt is called `{name}`") }))
    };
    Some(match request.command.as_str() {
        "practice-list" => json!({
            "prompts": practice::prompts().iter().map(|p| json!({"name": p.name, "title": p.title})).collect::<Vec<_>>(),
        }),
        "practice-start" => match named() {
            Ok(prompt) => json!({
                "text": hld_output::practice::show(&prompt, &prompt.name),
                "starter": prompt.starter(&prompt.name),
            }),
            Err(error) => error,
        },
        "practice-grade" => match named() {
            Ok(prompt) => {
                let graded = practice::grade(&prompt, &compiled(request));
                serde_json::from_str(&hld_output::practice::grade_json(&graded))
                    .expect("the grade is JSON")
            }
            Err(error) => error,
        },
        _ => return None,
    })
}

/// The scenario a traffic shape is run as: the design's own, played with no failure.
const TRAFFIC_SCENARIO: &str = "_playground_traffic";

/// `hld simulate`: the outcome table and the charts of ten minutes under the request's
/// scenario, or its traffic shape (written into the design as a scenario, so the
/// language checks it), or the design's own traffic.
fn simulate(request: &Request) -> Value {
    let mut request_files = request.files.clone();
    let scenario = match &request.traffic {
        Some(shape) => {
            if !shape
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " .,:()_".contains(c))
            {
                return json!({ "error": format!("`{shape}` is not a traffic shape") });
            }
            let root = request_files.entry(request.root.clone()).or_default();
            root.push_str(&format!(
                "\nscenario {TRAFFIC_SCENARIO} {{ traffic: {shape} }}\n"
            ));
            Some(TRAFFIC_SCENARIO.to_string())
        }
        None => request.scenario.clone(),
    };
    let files = Memory::new(request_files.clone());
    let origin = Origin::File(PathBuf::from(&request.root));
    let root = request_files[&request.root].clone().into_bytes();
    let compilation = hld_analysis::compile_in(&files, origin, root);
    let Some(analyzed) = Analyzed::of(&compilation) else {
        return json!({ "error": "the design does not compile", "diagnostics": check(&compilation) });
    };
    let model = analyzed.model;
    let chosen = match scenario.as_deref() {
        Some(id) => match model.scenarios.iter().find(|s| s.id == id) {
            Some(found) => Some(found),
            None => return json!({ "error": format!("no scenario is called `{id}`") }),
        },
        None => None,
    };
    let settings = hld_analysis::simulate::Settings::default();
    match hld_analysis::simulate::simulate(model, &analyzed.facts, chosen, settings) {
        Ok(run) => {
            let what = match chosen {
                Some(s) if s.id == TRAFFIC_SCENARIO => {
                    format!("traffic {}", request.traffic.as_deref().unwrap_or(""))
                }
                Some(s) => format!("scenario `{}`", s.id),
                None => "the design's own traffic".to_string(),
            };
            json!({
                "table": hld_output::simulate::table_of(&run, &what, false),
                "charts": hld_render::charts::charts(&run, &format!("10 minutes of {what}"), Theme::Light),
                "outcomes": run.outcomes.iter().map(|o| json!({"flow": o.flow, "outcome": o.outcome.name()})).collect::<Vec<_>>(),
            })
        }
        Err(refusal) => json!({ "error": refusal.to_string() }),
    }
}

/// The design compiled from the request's files and linted with the default levels.
fn compiled(request: &Request) -> Compilation {
    let files = Memory::new(request.files.clone());
    let root = &request.files[&request.root];
    let origin = Origin::File(PathBuf::from(&request.root));
    let mut compilation = hld_analysis::compile_in(&files, origin, root.clone().into_bytes());
    compilation.lint(Settings::default());
    compilation
}

/// `hld check --format json`.
fn check(compilation: &Compilation) -> Value {
    let findings: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| (&compilation.sources, d))
        .collect();
    let report = hld_output::diagnostics::json_report_value(&findings, 1);
    serde_json::to_value(report).expect("the report serializes")
}

thread_local! {
    /// The playground's last picture (one page, one design at a time).
    static PREVIOUS: std::cell::RefCell<Option<std::sync::Arc<hld_render::scene::Previous>>> =
        const { std::cell::RefCell::new(None) };
}

/// `hld render` to SVG, as the command line draws it without an hld.toml; `null` when
/// the design does not compile (or names no such flow or scenario).
fn render(compilation: &Compilation, request: &Request) -> Option<String> {
    if !compilation.compiles() {
        return None;
    }
    let model = &compilation.model;
    let mut settings = hld_render::Settings::new(hld_render::Format::Svg);
    let asked = request
        .theme
        .as_deref()
        .and_then(<Theme as hld_model::Choice>::named);
    settings.theme = Theme::resolve(asked, Theme::of_design(model), None);
    settings.options.focus =
        Focus::named(model, request.flow.as_deref(), request.scenario.as_deref()).ok()?;
    let bytes = match (request.view.as_deref(), settings.options.focus) {
        (Some("sequence"), Some(Focus::Flow(flow))) => {
            hld_render::render_sequence(model, flow, &settings).ok()?
        }
        _ => {
            // Drawn near the last picture, so an edit in the editor moves little else.
            settings.options.previous = PREVIOUS.with(|p| p.borrow().clone());
            let (bytes, drawn) = hld_render::render_near(compilation, &settings).ok()?;
            PREVIOUS.with(|p| *p.borrow_mut() = Some(std::sync::Arc::new(drawn)));
            bytes
        }
    };
    String::from_utf8(bytes).ok()
}

/// A design that compiled (lint findings, errors included, do not stop the estimate,
/// as on the command line), with the facts the estimate and the what-ifs share.
struct Analyzed<'a> {
    model: &'a hld_model::Model,
    facts: Facts,
}

impl<'a> Analyzed<'a> {
    fn of(compilation: &'a Compilation) -> Option<Analyzed<'a>> {
        let model = &compilation.model;
        compilation.compiles().then(|| Analyzed {
            model,
            facts: Facts::new(model),
        })
    }

    fn estimates(&self) -> Estimates {
        Estimates::new(self.model, &self.facts)
    }

    /// `hld estimate --format json`.
    fn estimate(&self) -> Value {
        hld_output::estimate::json(self.model, &self.estimates())
    }

    /// `hld estimate --format json`, and its tables as the command line prints them.
    fn estimate_and_tables(&self) -> (Value, Value) {
        let estimates = self.estimates();
        let tables = hld_output::estimate::tables(self.model, &estimates);
        (
            hld_output::estimate::json(self.model, &estimates),
            json!({ "components": tables.components, "flows": tables.flows }),
        )
    }

    /// `hld what-if --format json` over the declared scenarios.
    fn what_if(&self) -> Value {
        let results: Vec<_> = self
            .model
            .scenarios
            .iter()
            .map(|s| whatif::what_if(self.model, &self.facts, s))
            .collect();
        hld_output::whatif::json(self.model, &results)
    }
}

thread_local! {
    /// The last answer, kept until the page has copied it out.
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Memory for a request of `len` bytes; the page writes into it, then calls
/// [`hld_call`], which takes it back.
#[unsafe(no_mangle)]
pub extern "C" fn hld_alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// Answers the request of `len` bytes at `pointer` (from [`hld_alloc`], freed here) and
/// returns where the answer starts; it stays there until the next call.
///
/// # Safety
/// `pointer` must come from `hld_alloc(len)` with `len` bytes written, and not be used
/// again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hld_call(pointer: *mut u8, len: usize) -> *const u8 {
    // SAFETY: the caller hands back the buffer `hld_alloc(len)` made, now full.
    let request = unsafe { Vec::from_raw_parts(pointer, len, len) };
    let answer = call(&String::from_utf8_lossy(&request));
    ANSWER.with(|kept| {
        let mut kept = kept.borrow_mut();
        *kept = answer.into_bytes();
        kept.as_ptr()
    })
}

/// The length of the answer [`hld_call`] returned last.
#[unsafe(no_mangle)]
pub extern "C" fn hld_result_len() -> usize {
    ANSWER.with(|kept| kept.borrow().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(request: Value) -> Value {
        serde_json::from_str(&call(&request.to_string())).unwrap()
    }

    #[test]
    fn imports_resolve_among_the_files_sent() {
        let answer = ask(json!({
            "command": "all",
            "root": "design.hld",
            "files": {
                "design.hld": "import \"lib/shared.hld\"\nclient users\nusers -> api\n",
                "lib/shared.hld": "import \"../common.hld\"\nservice api\n",
                "common.hld": "database db\n",
            },
        }));
        let codes: Vec<&Value> = answer["diagnostics"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["code"])
            .collect();
        assert!(!codes.contains(&&json!("import")), "{codes:?}");
        let svg = answer["svg"].as_str().unwrap();
        assert!(svg.contains("id=\"c-api\"") && svg.contains("id=\"c-db\""));
        assert!(answer["estimate"]["components"].is_array());
        // The tables the page shows are the command line's, header first.
        assert_eq!(answer["tables"]["components"][0][0], "component");
        assert_eq!(answer["tables"]["flows"][0][0], "flow");
    }

    #[test]
    fn a_missing_import_is_an_import_error_at_the_import() {
        let answer = ask(json!({
            "command": "check",
            "root": "d.hld",
            "files": { "d.hld": "import \"gone.hld\"\nservice api\n" },
        }));
        assert_eq!(answer["diagnostics"][0]["code"], "import", "{answer}");
        assert_eq!(answer["diagnostics"][0]["line"], 1);
    }

    #[test]
    fn a_design_that_does_not_compile_is_not_drawn() {
        let answer = ask(json!({
            "command": "render",
            "root": "d.hld",
            "files": { "d.hld": "service api {" },
        }));
        assert_eq!(answer["svg"], Value::Null);
    }

    #[test]
    fn fmt_and_bad_requests() {
        let answer = ask(json!({
            "command": "fmt",
            "root": "d.hld",
            "files": { "d.hld": "service   api\n" },
        }));
        assert_eq!(answer["text"], "service api\n");
        let unknown = ask(json!({ "command": "draw", "root": "d.hld", "files": { "d.hld": "" } }));
        assert!(unknown["error"].as_str().unwrap().contains("`draw`"));
        let missing = ask(json!({ "command": "check", "root": "x.hld", "files": {} }));
        assert!(missing["error"].as_str().unwrap().contains("x.hld"));
        let malformed: Value = serde_json::from_str(&call("{")).unwrap();
        assert!(
            malformed["error"]
                .as_str()
                .unwrap()
                .starts_with("not a request")
        );
    }
}
