//! System-design practice (`hld practice`, docs/practice.md): prompts as data
//! (`practice/<name>.toml`: the problem, its requirements, scale and targets, the flows
//! a design must have, and the checks that grade it, in hld's own terms), a starter
//! design per prompt, and a grade per dimension with a ladder of hints for each failed
//! check. The reference designs are the answer keys of the twelve case studies
//! (`designs/<name>.hld`); the other prompts' keys are `practice/keys/<name>.hld`.

mod grade;

use serde::Deserialize;

pub use grade::{CheckResult, Dimension, Grade, grade};

/// The prompts, embedded: the grader needs no file and no network.
const PROMPTS: &[&str] = &[
    include_str!("../../../../practice/url-shortener.toml"),
    include_str!("../../../../practice/pastebin.toml"),
    include_str!("../../../../practice/news-feed.toml"),
    include_str!("../../../../practice/chat.toml"),
    include_str!("../../../../practice/rate-limiter.toml"),
    include_str!("../../../../practice/typeahead.toml"),
    include_str!("../../../../practice/nearby-places.toml"),
    include_str!("../../../../practice/ride-hailing.toml"),
    include_str!("../../../../practice/video-streaming.toml"),
    include_str!("../../../../practice/file-sync.toml"),
    include_str!("../../../../practice/web-crawler.toml"),
    include_str!("../../../../practice/live-leaderboard.toml"),
    include_str!("../../../../practice/instagram.toml"),
    include_str!("../../../../practice/notification-service.toml"),
    include_str!("../../../../practice/ticket-booking.toml"),
    include_str!("../../../../practice/payment-system.toml"),
    include_str!("../../../../practice/key-value-store.toml"),
    include_str!("../../../../practice/metrics-monitoring.toml"),
    include_str!("../../../../practice/collaborative-editor.toml"),
    include_str!("../../../../practice/job-scheduler.toml"),
];

/// The dimensions a design is graded on (docs/cli.md v3), in this order.
pub const DIMENSIONS: [&str; 6] = [
    "scalability",
    "availability",
    "latency",
    "consistency",
    "cost",
    "trade-offs",
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub name: String,
    pub title: String,
    pub problem: String,
    pub requirements: Vec<String>,
    /// What the interviewer will ask about, in words (never the answers).
    #[serde(default)]
    pub notes: Vec<String>,
    pub targets: Targets,
    #[serde(default)]
    pub clients: Vec<Client>,
    pub flows: Vec<FlowPrompt>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// hld values as written in a design: `99.9%`, `100ms`, `$40k/month`.
    pub availability: Option<String>,
    pub latency: Option<String>,
    pub budget: Option<String>,
}

impl Targets {
    /// The targets stated, as design header attributes: (`latency`, `100ms`).
    pub fn stated(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("availability", &self.availability),
            ("latency", &self.latency),
            ("budget", &self.budget),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub id: String,
    pub label: String,
    /// Its attributes as hld writes them: `dau: 100M, requests: 1/day, peak: 2x`.
    pub scale: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowPrompt {
    pub id: String,
    pub client: String,
    pub label: String,
    /// `share: 90%` or `rate: 5/s`, as hld writes it.
    pub traffic: String,
    #[serde(default)]
    pub critical: bool,
    /// This flow's p99 budget, when it differs from the prompt's (`500ms`).
    pub latency: Option<String>,
}

/// One graded question, in hld's terms (unknown fields are not refused here: serde
/// cannot with the flattened kind; the prompts' test reads them all).
#[derive(Clone, Debug, Deserialize)]
pub struct Check {
    pub id: String,
    pub dimension: String,
    #[serde(flatten)]
    pub kind: CheckKind,
    /// The first rung of the ladder: what is wrong, in the prompt's words.
    pub hint: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckKind {
    /// The flow meets the prompt's availability target (the estimate's series and
    /// parallel along its steps).
    FlowAvailability { flow: String },
    /// The flow's p99 is within the prompt's latency target.
    FlowLatency { flow: String },
    /// No single node, zone or region failing takes a critical flow down (the sweep).
    NoSingleFailure,
    /// No finding of this rule, at any level.
    NoRule { rule: String },
    /// No error-level finding at all.
    NoErrors,
    /// The estimated monthly cost is within the prompt's budget.
    WithinBudget,
    /// Every store the flow writes gives readers at least this consistency.
    Consistency { flow: String, needs: String },
}

/// Every prompt, in the order `hld practice list` shows them.
pub fn prompts() -> Vec<Prompt> {
    PROMPTS
        .iter()
        .map(|text| Prompt::parse(text).expect("the embedded prompts parse (tested)"))
        .collect()
}

/// The prompt called `name`.
pub fn prompt(name: &str) -> Option<Prompt> {
    prompts().into_iter().find(|p| p.name == name)
}

impl Prompt {
    /// A prompt from its TOML text (an embedded one, or a team's own file), checked: every
    /// check names a known dimension, a known rule and one of the prompt's flows.
    pub fn parse(text: &str) -> Result<Prompt, String> {
        let prompt: Prompt = toml::from_str(text).map_err(|e| e.to_string())?;
        prompt.validate()?;
        Ok(prompt)
    }

    fn validate(&self) -> Result<(), String> {
        for check in &self.checks {
            let at = |what: String| format!("check `{}`: {what}", check.id);
            if !DIMENSIONS.contains(&check.dimension.as_str()) {
                return Err(at(format!(
                    "no dimension is called `{}`; the dimensions are {}",
                    check.dimension,
                    DIMENSIONS.join(", ")
                )));
            }
            match &check.kind {
                CheckKind::NoRule { rule } if crate::rules::find(rule).is_none() => {
                    return Err(at(format!(
                        "no rule is called `{rule}` (`hld rules` lists them)"
                    )));
                }
                CheckKind::Consistency { needs, .. }
                    if hld_model::values::consistency::Value::parse(needs).is_none() =>
                {
                    return Err(at(format!(
                        "`needs = \"{needs}\"` is not a consistency level (`strong`, `read_your_writes`, `eventual`...)"
                    )));
                }
                CheckKind::FlowAvailability { flow }
                | CheckKind::FlowLatency { flow }
                | CheckKind::Consistency { flow, .. }
                    if !self.flows.iter().any(|f| &f.id == flow) =>
                {
                    return Err(at(format!(
                        "flow `{flow}` is not one of the prompt's [[flows]]"
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The starter design: the header with the targets, the clients with their scale,
    /// and each flow to fill in. `named` is how the learner names the prompt to `hld
    /// practice` (its name, or the path of its file).
    pub fn starter(&self, named: &str) -> String {
        let mut out = format!("// {}\n", self.title);
        for line in self.problem.trim().lines() {
            out.push_str(&format!("// {line}\n"));
        }
        out.push_str("//\n// Requirements:\n");
        for requirement in &self.requirements {
            out.push_str(&format!("// - {requirement}\n"));
        }
        out.push_str(&format!("// Grade it: hld practice grade {named} FILE\n"));
        out.push_str(&format!("design \"{}\" {{\n", self.title.replace('"', "'")));
        for (name, value) in self.targets.stated() {
            out.push_str(&format!("  {name}: {value}\n"));
        }
        out.push_str("}\n\n");
        for client in &self.clients {
            out.push_str(&format!(
                "client {} \"{}\" {{ {} }}\n",
                client.id, client.label, client.scale
            ));
        }
        out.push_str("\n// Your components and links here.\n\n");
        for flow in &self.flows {
            out.push_str(&format!("flow {} \"{}\" {{\n", flow.id, flow.label));
            out.push_str(&format!("  {}\n", flow.traffic));
            if flow.critical {
                out.push_str("  critical: true\n");
            }
            if let Some(latency) = &flow.latency {
                out.push_str(&format!("  latency: {latency}\n"));
            }
            out.push_str(&format!(
                "  // {} -> ... (the links its requests take)\n}}\n",
                flow.client
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_prompt_parses_names_known_dimensions_and_flows() {
        for text in PROMPTS {
            if let Err(error) = Prompt::parse(text) {
                panic!("{error}\n{text}");
            }
        }
    }

    #[test]
    fn a_prompt_naming_an_unknown_dimension_rule_or_flow_is_refused_with_the_reason() {
        let base = PROMPTS[0];
        let refused = |from: &str, to: &str| {
            assert!(base.contains(from), "{from}");
            Prompt::parse(&base.replacen(from, to, 1)).unwrap_err()
        };
        assert!(refused("dimension = \"latency\"", "dimension = \"speed\"").contains("`speed`"));
        assert!(refused("rule = \"", "rule = \"no-such-").contains("no-such-"));
        assert!(refused("flow = \"", "flow = \"nowhere").contains("not one of the prompt's"));
        let consistency = PROMPTS
            .iter()
            .find(|p| p.contains("needs = \"strong\""))
            .unwrap();
        let typo = consistency.replacen("needs = \"strong\"", "needs = \"stong\"", 1);
        assert!(
            Prompt::parse(&typo)
                .unwrap_err()
                .contains("`needs = \"stong\"`")
        );
        assert!(Prompt::parse("name = 1").is_err());
    }

    #[test]
    fn a_starter_compiles_and_names_the_prompts_clients_and_flows_once_filled() {
        for prompt in prompts() {
            let starter = prompt.starter(&prompt.name);
            for client in &prompt.clients {
                assert!(
                    starter.contains(&format!("client {} ", client.id)),
                    "{}",
                    prompt.name
                );
            }
            // The flows are empty for the learner to fill: it does not compile yet,
            // and says so at the flows.
            let compiled = crate::compile("starter.hld", starter.clone().into_bytes());
            let errors: Vec<&str> = compiled
                .diagnostics
                .iter()
                .filter(|d| d.severity == hld_syntax::diagnostics::Severity::Error)
                .map(|d| d.message.as_str())
                .collect();
            assert!(
                errors.iter().all(|m| m.contains("has no steps")),
                "{}: {errors:?}\n{starter}",
                prompt.name
            );
        }
    }
}
