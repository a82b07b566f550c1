//! What a rule is: its name, category, default level, the explanation `hld explain`
//! prints, and its check. Each rule lives in one file under `rules/`.

use super::facts::Facts;
pub use hld_model::selector::Category;
use hld_model::selector::Selector;
use hld_model::{ComponentId, FlowId, GroupId, LinkId, Model};
use hld_syntax::diagnostics::{Diagnostic, Severity, Subject};
use hld_syntax::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
    /// Enabled only by configuration.
    Off,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }

    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

pub struct Rule {
    pub name: &'static str,
    pub category: Category,
    pub level: Level,
    /// One line for `hld rules`.
    pub summary: &'static str,
    /// What it finds.
    pub what: &'static str,
    /// Why it matters: the trade-off.
    pub why: &'static str,
    /// `examples/rules/<name>.bad.hld` and `.good.hld`, included so the explanation
    /// and the tests use the same files.
    pub bad: &'static str,
    pub good: &'static str,
    pub reading: &'static [&'static str],
    pub check: fn(&Context, &mut Findings),
}

impl Rule {
    /// Whether an `@allow` or `hld.toml` entry naming `selector` is about this rule.
    pub fn is_selected_by(&self, selector: Selector) -> bool {
        selector.matches(self.name, self.category)
    }
}

/// What a rule sees: the model and the analyses shared by all rules.
pub struct Context<'m> {
    pub model: &'m Model,
    pub facts: &'m Facts,
    pub estimates: &'m super::estimate::Estimates,
    /// What each declared scenario does, in the model's order: flows' outcomes and
    /// utilization (`whatif::for_rules`: clients without flows are not judged).
    pub what_ifs: &'m [super::whatif::WhatIf],
    /// The failure sweep at depth 1, when `single-failure-breaks-critical-flow` is on
    /// (it judges every component, zone and region: not run for nothing).
    pub sweep: Option<&'m super::whatif::sweep::Sweep>,
    /// `hld simulate`'s run of each scenario that states `at:` or `for:`.
    pub runs: &'m [(&'m hld_model::Scenario, super::simulate::Run)],
}

/// What a finding is about, for `element` and for `@allow`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    Component(ComponentId),
    Link(LinkId),
    Group(GroupId),
    /// A named request (`flow`): findings about a flow's own targets.
    Flow(FlowId),
    /// The design as a whole (file-level findings).
    Design,
}

pub struct Finding {
    pub rule: &'static Rule,
    pub element: Element,
    pub diagnostic: Diagnostic,
}

/// Where a rule reports; it fills in the code, category, level and element.
pub struct Findings<'a> {
    pub(super) rule: &'static Rule,
    pub(super) model: &'a Model,
    pub(super) found: Vec<Finding>,
}

impl Findings<'_> {
    /// Reports `message` about `element` at `span`; `build` adds the help line and
    /// related spans.
    pub fn report(
        &mut self,
        element: Element,
        span: Span,
        message: String,
        build: impl FnOnce(Diagnostic) -> Diagnostic,
    ) {
        let name = match element {
            Element::Component(id) => Some(Subject::Component(self.model.component(id).id.clone())),
            Element::Link(id) => Some(self.model.link(id).subject(self.model)),
            Element::Group(id) => Some(Subject::Group(self.model.groups[id].id.clone())),
            Element::Flow(id) => Some(Subject::Flow(self.model.flows[id].id.clone())),
            Element::Design => None,
        };
        let mut diagnostic = Diagnostic::error(self.rule.name, span, message)
            .with_category(self.rule.category.as_str())
            .with_severity(self.rule.level.severity().unwrap_or(Severity::Warning));
        diagnostic.element = name;
        self.found.push(Finding {
            rule: self.rule,
            element,
            diagnostic: build(diagnostic),
        });
    }
}

impl<'m> Context<'m> {
    pub fn components(&self) -> impl Iterator<Item = (ComponentId, &'m hld_model::Component)> + 'm {
        self.model
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| (ComponentId::new(i), c))
    }

    pub fn links(&self) -> impl Iterator<Item = (LinkId, &'m hld_model::Link)> + 'm {
        self.model
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| (LinkId::new(i), l))
    }

    /// Links leaving a component (through the graph: no scan of every link).
    pub fn outgoing(
        &self,
        id: ComponentId,
    ) -> impl Iterator<Item = (LinkId, &'m hld_model::Link)> + 'm {
        self.links_of(id, petgraph::Direction::Outgoing)
    }

    /// Links arriving at a component.
    pub fn incoming(
        &self,
        id: ComponentId,
    ) -> impl Iterator<Item = (LinkId, &'m hld_model::Link)> + 'm {
        self.links_of(id, petgraph::Direction::Incoming)
    }

    fn links_of(
        &self,
        id: ComponentId,
        direction: petgraph::Direction,
    ) -> impl Iterator<Item = (LinkId, &'m hld_model::Link)> + 'm {
        let model = self.model;
        model.graph.edges_directed(id, direction).map(move |e| {
            let link = petgraph::visit::EdgeRef::id(&e);
            (link, model.link(link))
        })
    }

    /// Links in either direction.
    pub fn touching(
        &self,
        id: ComponentId,
    ) -> impl Iterator<Item = (LinkId, &'m hld_model::Link)> + 'm {
        self.incoming(id).chain(self.outgoing(id))
    }

    pub fn name(&self, id: ComponentId) -> &'m str {
        &self.model.component(id).id
    }
}
