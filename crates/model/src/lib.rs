//! The model: a checked design. Names resolved across files, attributes typed against
//! the schema, engine profiles attached, components and links in a petgraph graph.
//! Architecture invariant: everything downstream (analysis, layout, render) reads the
//! model, never the AST.

mod compilation;
pub mod engines;
pub mod figures;
pub mod keys;
pub mod kind;
mod lower;
pub mod schema;
pub mod selector;
pub mod units;
pub mod value;

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

pub use compilation::{Compilation, compile};
pub use engines::{EngineProfile, Engines, Prices};
pub use keys::{Attr, Choice, Param, attr, call, param, values};
pub use kind::{GroupKind, Kind};
pub use lower::lower;
pub use value::{CallValue, Value};

use hld_syntax::diagnostics::Subject;
use hld_syntax::source::{FileId, Span};
use schema::{Schema, Target};

/// Index of a component: also its node in [`Model::graph`].
pub type ComponentId = NodeIndex;
/// Index of a link: also its edge in [`Model::graph`].
pub type LinkId = EdgeIndex;
pub type GroupId = usize;

#[derive(Debug, Default)]
pub struct Model {
    pub title: Option<String>,
    /// The design header's attributes (empty without a header).
    pub header: Attributes,
    pub header_span: Option<Span>,
    pub components: Vec<Component>,
    pub links: Vec<Link>,
    pub groups: Vec<Group>,
    /// Named requests and the path each takes (docs/language.md, "Flows").
    pub flows: Vec<Flow>,
    /// Failures to reason about (docs/language.md, "Scenarios").
    pub scenarios: Vec<Scenario>,
    pub allows: Vec<Allow>,
    /// Node `i` is `components[i]`, edge `j` is `links[j]`; parallel links are kept.
    pub graph: DiGraph<(), ()>,
    ids: HashMap<String, ComponentId>,
}

impl Model {
    /// This model with parts of `other` drawn among it (`hld diff --format svg` shows
    /// removed parts where they were): `components` of `other` first, each in this
    /// model's group of the same id, if any; then `links` of `other` whose ends this
    /// model (with those components) has by id. The parts added keep `other`'s spans.
    pub fn with_parts_of(
        mut self,
        other: &Model,
        components: &[ComponentId],
        links: &[LinkId],
    ) -> Model {
        let group_of = |group: Option<GroupId>, model: &Model| {
            let id = &other.groups[group?].id;
            model.groups.iter().position(|g| &g.id == id)
        };
        for &id in components {
            let mut component = other.component(id).clone();
            component.group = group_of(component.group, &self);
            let node = self.graph.add_node(());
            self.ids.insert(component.id.clone(), node);
            self.components.push(component);
        }
        for &id in links {
            let mut link = other.link(id).clone();
            let ends = (
                self.find(&other.component(link.from).id),
                self.find(&other.component(link.to).id),
            );
            let (Some(from), Some(to)) = ends else {
                continue;
            };
            (link.from, link.to) = (from, to);
            link.group = group_of(link.group, &self);
            self.graph.add_edge(from, to, ());
            self.links.push(link);
        }
        self
    }

    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.index()]
    }

    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    pub fn find(&self, id: &str) -> Option<ComponentId> {
        self.ids.get(id).copied()
    }

    /// The relations attributes state ([`RELATIONS`]), in component order (a target
    /// that names no component is left out: the model reports it).
    pub fn relations(&self) -> Vec<Relation> {
        let mut relations = Vec::new();
        for (index, component) in self.components.iter().enumerate() {
            for kind in RELATIONS {
                let target = component
                    .attrs
                    .symbol(kind.attribute)
                    .and_then(|id| self.find(id));
                if let Some(to) = target {
                    relations.push(Relation {
                        from: ComponentId::new(index),
                        to,
                        kind,
                    });
                }
            }
        }
        relations
    }

    /// The groups that contain a component, innermost first.
    pub fn enclosing_groups(
        &self,
        mut group: Option<GroupId>,
    ) -> impl Iterator<Item = GroupId> + '_ {
        std::iter::from_fn(move || {
            let current = group?;
            group = self.groups[current].parent;
            Some(current)
        })
    }

    /// The innermost `region` group around `group` (itself included).
    pub fn region_of(&self, group: Option<GroupId>) -> Option<GroupId> {
        self.enclosing_groups(group)
            .find(|&g| self.groups[g].kind == GroupKind::Region)
    }
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub kind: Kind,
    pub label: Option<String>,
    pub attrs: Attributes,
    pub group: Option<GroupId>,
    pub profile: Option<&'static EngineProfile>,
    /// The whole declaration.
    pub span: Span,
    pub id_span: Span,
}

impl Component {
    /// An enum attribute as stated, else its engine's default, typed:
    /// `component.effective::<Storage>()`.
    pub fn effective<V: keys::SchemaValue>(&self) -> Option<V> {
        self.attrs
            .value::<V>()
            .or_else(|| self.profile?.default_value())
    }

    /// `replicas` (the attribute's default when unstated).
    pub fn replicas(&self) -> u64 {
        self.attrs.count(attr::REPLICAS).unwrap_or(1)
    }

    /// What the component is called in pictures and exports: its label, else its id.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }

    /// The second line of its box: its engine, else its kind.
    pub fn detail(&self) -> &str {
        self.attrs
            .symbol(attr::ENGINE)
            .unwrap_or(self.kind.as_str())
    }

    /// How many copies run, as pictures say it (`×3`, `×2–10` when autoscaled); none
    /// for a single copy.
    pub fn replicas_text(&self) -> Option<String> {
        match self.attrs.get(attr::AUTOSCALE) {
            Some(Value::Range(low, high)) => Some(format!("×{low}–{high}")),
            _ => (self.replicas() > 1).then(|| format!("×{}", self.replicas())),
        }
    }

    /// Set by the design or, failing that, by the engine profile.
    pub fn managed(&self) -> bool {
        self.attrs
            .bool(attr::MANAGED)
            .unwrap_or_else(|| self.profile.is_some_and(|p| p.managed))
    }
}

#[derive(Debug, Clone)]
pub struct Link {
    pub from: ComponentId,
    pub to: ComponentId,
    pub bidirectional: bool,
    pub label: Option<String>,
    pub attrs: Attributes,
    /// The group whose block the link statement is written in.
    pub group: Option<GroupId>,
    /// From the source id to the target id of this hop.
    pub span: Span,
}

impl Link {
    /// What the caller does with the target: its `ops`, else the default.
    pub fn ops(&self) -> values::ops::Value {
        self.attrs
            .value_or_default(Target::Link)
            .unwrap_or(values::ops::Value::ReadWrite)
    }

    /// What the link says in pictures and exports: its `label`, else its `protocol`.
    pub fn text(&self) -> Option<&str> {
        self.label
            .as_deref()
            .or_else(|| Some(self.attrs.value::<values::protocol::Value>()?.as_str()))
    }

    /// The link as diagnostics name it.
    pub fn subject(&self, model: &Model) -> Subject {
        Subject::Link {
            from: model.component(self.from).id.clone(),
            to: model.component(self.to).id.clone(),
        }
    }

    /// `a->b`, as findings name links (docs/cli.md).
    pub fn element(&self, model: &Model) -> String {
        format!(
            "{}->{}",
            model.component(self.from).id,
            model.component(self.to).id
        )
    }
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub kind: GroupKind,
    pub label: Option<String>,
    pub attrs: Attributes,
    pub parent: Option<GroupId>,
    pub span: Span,
}

impl Group {
    /// What the group is called in pictures and exports: its label, else its id.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// A relation an attribute states between two components (a queue's `dlq`, a cache's
/// `caches`): drawn and exported beside the links, never a request path.
#[derive(Clone, Copy, Debug)]
pub struct Relation {
    pub from: ComponentId,
    pub to: ComponentId,
    /// `dlq` or `caches`.
    pub kind: &'static RelationKind,
}

/// An attribute whose value names another component: a relation the picture draws
/// apart from the links (it carries no requests). The one table lowering, the model,
/// the scene and the SVG read.
#[derive(Debug)]
pub struct RelationKind {
    pub attribute: Attr,
    /// The kinds it may name (the first is suggested when the name is not declared).
    pub kinds: &'static [Kind],
    /// "the dead-letter queue of `orders` must be another queue".
    pub must_be: fn(&str) -> String,
    pub label: &'static str,
    pub help: &'static str,
    /// What the line means in a tooltip: `orders` *dead-letter queue* `orders_dlq`.
    pub tooltip: &'static str,
    /// The line's dash pattern (SVG `stroke-dasharray`), told apart from the links'.
    pub dash: &'static str,
}

pub const RELATIONS: &[RelationKind] = &[
    RelationKind {
        attribute: attr::DLQ,
        kinds: &[Kind::Queue],
        must_be: |id| format!("the dead-letter queue of `{id}` must be another queue"),
        label: "not another queue",
        help: "name a separate `queue` that takes the messages that keep failing",
        tooltip: "dead-letter queue",
        dash: "1 3",
    },
    RelationKind {
        attribute: attr::CACHES,
        kinds: &[Kind::Database, Kind::Blob, Kind::Search],
        must_be: |id| {
            format!("what cache `{id}` holds a copy of must be a database, blob or search store")
        },
        label: "not a durable store",
        help: "name the database (or blob or search store) whose data the cache holds",
        tooltip: "holds a copy of",
        dash: "6 2 1 2",
    },
];

pub type FlowId = usize;

/// One kind of request and the links it takes.
#[derive(Debug, Clone)]
pub struct Flow {
    pub id: String,
    pub label: Option<String>,
    pub attrs: Attributes,
    /// The client (or cron/batch worker) whose requests these are.
    pub start: ComponentId,
    /// In the order written; each starts where an earlier step (or the start) arrived.
    pub steps: Vec<FlowStep>,
    pub span: Span,
    pub id_span: Span,
}

impl Flow {
    /// The flow's own target for `attribute` (`availability` or `latency`), else the
    /// design's, with where it is written.
    pub fn target(&self, attribute: Attr, model: &Model) -> Option<(f64, Span)> {
        match self.attrs.number(attribute) {
            Some(value) => Some((value, self.attrs.span(attribute).unwrap_or(self.id_span))),
            None => Some((
                model.header.number(attribute)?,
                model.header_span.unwrap_or(self.id_span),
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FlowStep {
    pub link: LinkId,
    /// The share of the flow's requests at the step's source that take it, as written.
    pub ratio: Option<f64>,
    /// The hop as written in the flow.
    pub span: Span,
}

/// A component or a group, as scenarios name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Component(ComponentId),
    Group(GroupId),
}

/// A failure to reason about: what is down, and what can no longer reach what.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    pub label: Option<String>,
    pub fail: Vec<Place>,
    /// Two sides, each a component or a group: every link between them is cut.
    pub partition: Option<(Place, Place)>,
    /// `at`, `for` and `traffic` (`hld simulate`).
    pub attrs: Attributes,
    pub span: Span,
    pub id_span: Span,
}

/// `@allow(rules, "reason")` and what it covers.
#[derive(Debug)]
pub struct Allow {
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
    pub target: AllowTarget,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AllowTarget {
    /// Before `design`: every finding in the file.
    File(FileId),
    Component(ComponentId),
    Links(Vec<LinkId>),
    Group(GroupId),
    Flow(FlowId),
}

/// The attributes written on one element, typed; unstated ones are absent (the schema
/// default is given by [`Attributes::get_or_default`]).
#[derive(Debug, Default, Clone)]
pub struct Attributes {
    entries: Vec<AttributeEntry>,
}

#[derive(Debug, Clone)]
pub struct AttributeEntry {
    /// The schema's name: attributes are only ever the schema's.
    pub name: Attr,
    pub value: Value,
    /// `name: value`
    pub span: Span,
}

impl Attributes {
    pub fn get(&self, attr: Attr) -> Option<&Value> {
        self.entry(attr).map(|e| &e.value)
    }

    pub fn entry(&self, attr: Attr) -> Option<&AttributeEntry> {
        self.entries.iter().find(|e| e.name == attr)
    }

    pub fn iter(&self) -> impl Iterator<Item = &AttributeEntry> {
        self.entries.iter()
    }

    pub fn span(&self, attr: Attr) -> Option<Span> {
        self.entry(attr).map(|e| e.span)
    }

    fn insert(&mut self, entry: AttributeEntry) {
        self.entries.push(entry);
    }

    /// The written value, else the schema's default for this target.
    pub fn get_or_default(&self, attr: Attr, target: Target) -> Option<&Value> {
        self.get(attr).or_else(|| {
            Schema::get()
                .attribute(attr.name(), target)?
                .default_value()
        })
    }

    /// A list of enum values, typed: `attrs.values::<Index>()` reads `indexes`' items.
    pub fn values<V: keys::SchemaValue>(&self) -> Vec<V> {
        let list = self.get(Attr::of_schema(V::KEY)).and_then(Value::as_list);
        list.unwrap_or_default()
            .iter()
            .filter_map(|item| V::parse(item))
            .collect()
    }

    /// An enum attribute as stated, else the schema's default for `target`, typed.
    pub fn value_or_default<V: keys::SchemaValue>(&self, target: Target) -> Option<V> {
        self.get_or_default(Attr::of_schema(V::KEY), target)
            .and_then(Value::as_str)
            .and_then(V::parse)
    }

    pub fn bool(&self, attr: Attr) -> Option<bool> {
        self.get(attr).and_then(Value::as_bool)
    }

    pub fn count(&self, attr: Attr) -> Option<u64> {
        self.get(attr).and_then(Value::as_count)
    }

    pub fn symbol(&self, attr: Attr) -> Option<&str> {
        self.get(attr).and_then(Value::as_str)
    }

    /// An enum attribute, typed: `attrs.value::<values::delivery::Value>()` reads
    /// `delivery`.
    pub fn value<V: keys::SchemaValue>(&self) -> Option<V> {
        self.symbol(Attr::of_schema(V::KEY)).and_then(V::parse)
    }

    /// Whether the enum attribute of `value`'s type states `value`.
    pub fn is<V: keys::SchemaValue>(&self, value: V) -> bool {
        self.value::<V>() == Some(value)
    }

    pub fn number(&self, attr: Attr) -> Option<f64> {
        self.get(attr).and_then(Value::as_f64)
    }
}
