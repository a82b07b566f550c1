//! `hld render --flow ID` and `--scenario ID`: one flow highlighted on the dimmed
//! design, its steps numbered in order; or a failure drawn, failed components greyed
//! and struck, cut links red and dashed. Both add a caption with the numbers.

use super::scene::{LinkPath, NodeBox};
use hld_analysis::estimate::{Estimates, human_duration, human_rate, percent};
use hld_analysis::facts::Facts;
use hld_analysis::whatif::{self, what_if};
use hld_model::{FlowId, Model};

/// What the picture is about, beyond the design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Flow(FlowId),
    /// An index into the model's scenarios.
    Scenario(usize),
}

impl Focus {
    /// The flow or scenario named by `--flow`/`--scenario` (watch's `?flow=`, the
    /// playground's picker); an unknown id is an error saying which ids there are.
    pub fn named(
        model: &Model,
        flow: Option<&str>,
        scenario: Option<&str>,
    ) -> Result<Option<Focus>, String> {
        let unknown = |what: &str, id: &str, names: Vec<&str>| {
            let help = hld_syntax::diagnostics::suggestion_help(id, names.iter().copied())
                .map_or(String::new(), |h| format!(": {h}"));
            let known = if names.is_empty() {
                format!(" (the design declares no {what}s)")
            } else {
                String::new()
            };
            format!("no {what} is called `{id}`{known}{help}")
        };
        if let Some(id) = flow {
            return match model.flows.iter().position(|f| f.id == id) {
                Some(index) => Ok(Some(Focus::Flow(index))),
                None => Err(unknown(
                    "flow",
                    id,
                    model.flows.iter().map(|f| f.id.as_str()).collect(),
                )),
            };
        }
        if let Some(id) = scenario {
            return match model.scenarios.iter().position(|s| s.id == id) {
                Some(index) => Ok(Some(Focus::Scenario(index))),
                None => Err(unknown(
                    "scenario",
                    id,
                    model.scenarios.iter().map(|s| s.id.as_str()).collect(),
                )),
            };
        }
        Ok(None)
    }
}

/// How each node and link is drawn under a focus, the numbered steps, the caption.
#[derive(Clone)]
pub struct Overlay {
    /// Per node: dimmed, in the flow or failed.
    pub nodes: Vec<State>,
    /// Per link: dimmed, in the flow or cut.
    pub links: Vec<State>,
    pub steps: Vec<StepMark>,
    pub caption: Vec<String>,
}

/// How an overlay draws one element; its class in the SVG (docs/cli.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum State {
    /// As usual.
    #[default]
    Plain,
    /// Away from the flow or scenario drawn: faded.
    Dimmed,
    InFlow,
    /// Down in the scenario: struck through.
    Failed,
    /// A link the scenario cuts: red and dashed.
    Cut,
    /// `hld diff`: in NEW only (green).
    Added,
    /// `hld diff`: in OLD only, drawn where it was (grey, dashed).
    Removed,
    /// `hld diff`: in both, not the same (amber).
    Changed,
}

impl State {
    /// Its class, added to the element's (none when drawn as usual).
    pub fn class(self) -> Option<&'static str> {
        match self {
            State::Plain => None,
            State::Dimmed => Some("dimmed"),
            State::InFlow => Some("in-flow"),
            State::Failed => Some("failed"),
            State::Cut => Some("cut"),
            State::Added => Some("added"),
            State::Removed => Some("removed"),
            State::Changed => Some("changed"),
        }
    }
}

/// A flow's step, numbered on its link.
#[derive(Clone)]
pub struct StepMark {
    pub flow: String,
    pub number: usize,
    pub from: String,
    pub to: String,
    pub at: (f64, f64),
}

pub fn overlay(model: &Model, focus: Focus, links: &[LinkPath], nodes: &[NodeBox]) -> Overlay {
    let facts = Facts::new(model);
    match focus {
        Focus::Flow(flow) => flow_overlay(model, &facts, flow, links, nodes),
        Focus::Scenario(index) => scenario_overlay(model, &facts, index, nodes),
    }
}

fn flow_overlay(
    model: &Model,
    facts: &Facts,
    index: FlowId,
    links: &[LinkPath],
    nodes: &[NodeBox],
) -> Overlay {
    let flow = &model.flows[index];
    let mut node_state = vec![State::Dimmed; nodes.len()];
    let mut link_state = vec![State::Dimmed; links.len()];
    node_state[flow.start.index()] = State::InFlow;
    let mut steps = Vec::new();
    for (number, step) in flow.steps.iter().enumerate() {
        let link = model.link(step.link);
        node_state[link.from.index()] = State::InFlow;
        node_state[link.to.index()] = State::InFlow;
        link_state[step.link.index()] = State::InFlow;
        let points = &links[step.link.index()].points;
        let Some(&at) = points.get(points.len() / 2) else {
            continue;
        };
        steps.push(StepMark {
            flow: flow.id.clone(),
            number: number + 1,
            from: model.component(link.from).id.clone(),
            to: model.component(link.to).id.clone(),
            at,
        });
    }
    let estimates = Estimates::new(model, facts);
    let estimate = &estimates.flows[index];
    let name = flow.label.as_deref().unwrap_or(&flow.id);
    let mut caption = vec![format!(
        "Flow {name}: {} at peak, {} / {} (p50 / p99) along its synchronous steps, {} available",
        estimate
            .rate
            .map_or_else(|| "no rate".to_string(), |r| human_rate(r.peak)),
        human_duration(estimate.latency),
        human_duration(estimate.latency_p99),
        percent(estimate.availability)
    )];
    if let Some((weakest, _)) = estimate.weakest {
        caption.push(format!("Weakest step: {}", model.component(weakest).id));
    }
    Overlay {
        nodes: node_state,
        links: link_state,
        steps,
        caption,
    }
}

fn scenario_overlay(model: &Model, facts: &Facts, index: usize, nodes: &[NodeBox]) -> Overlay {
    let scenario = &model.scenarios[index];
    let result = what_if(model, facts, scenario);
    let mut node_state = vec![State::Plain; nodes.len()];
    for (id, _) in &result.down {
        node_state[id.index()] = State::Failed;
    }
    let link_state: Vec<State> = result
        .cut
        .iter()
        .map(|&cut| if cut { State::Cut } else { State::Plain })
        .collect();
    let name = scenario.label.as_deref().unwrap_or(&scenario.id);
    let mut caption = vec![format!("Scenario {name}")];
    for outcome in &result.outcomes {
        let who = match outcome.flow {
            Some(flow) => model.flows[flow].id.clone(),
            None => model.component(outcome.client).id.clone(),
        };
        caption.push(format!("{who}: {}", whatif::describe(&outcome.outcome)));
    }
    Overlay {
        nodes: node_state,
        links: link_state,
        steps: Vec::new(),
        caption,
    }
}
