//! The attribute schema (data/attributes.toml): which attributes each kind, link,
//! group and the design header take, with their types and defaults.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use super::keys::Attr;
use super::kind::Kind;
use super::units::Dimension;
use super::value::{self, Value};

mod reference;
use hld_syntax::parse_value;
use hld_syntax::source::FileId;
pub use reference::reference_markdown;

/// Where an attribute is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Design,
    Group,
    Link,
    Component(Kind),
    /// A `flow` item's own attributes.
    Flow,
    /// One step (link statement) inside a flow.
    FlowStep,
    /// A `scenario` item's attributes.
    Scenario,
}

impl Target {
    pub fn describe(self) -> String {
        match self {
            Target::Design => "the design header".to_string(),
            Target::Group => "a group".to_string(),
            Target::Link => "a link".to_string(),
            Target::Component(kind) => format!("{} {}", kind.article(), kind.as_str()),
            Target::Flow => "a flow".to_string(),
            Target::FlowStep => "a flow's step".to_string(),
            Target::Scenario => "a scenario".to_string(),
        }
    }

    fn matches(self, on: &str) -> bool {
        match self {
            Target::Design => on == "design",
            Target::Group => on == "group",
            Target::Link => on == "link",
            Target::Component(kind) => on == "component" || on == kind.as_str(),
            Target::Flow => on == "flow",
            Target::FlowStep => on == "flow_step",
            Target::Scenario => on == "scenario",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    Bool,
    String,
    Field,
    Count,
    Size,
    Duration,
    Rate,
    Percentage,
    Factor,
    Bandwidth,
    Money,
    Range,
    Enum,
    List,
    Engine,
    Component,
    Replication,
    Partitioning,
    Retry,
    RateLimit,
    /// A traffic shape for `hld simulate`: steady, diurnal, ramp(...), spike(...).
    Traffic,
    /// Component and group ids (a scenario's `fail:`), resolved by the scenario.
    Places,
}

impl ValueType {
    /// How a message names a type that takes calls: "unknown rate limit".
    pub fn call_word(self) -> &'static str {
        match self {
            ValueType::Replication => "replication",
            ValueType::Partitioning => "partitioning",
            ValueType::Retry => "retry",
            ValueType::RateLimit => "rate limit",
            ValueType::Traffic => "traffic",
            _ => "call",
        }
    }

    /// The dimension of a quantity-valued type.
    pub fn dimension(self) -> Option<Dimension> {
        Some(match self {
            ValueType::Count | ValueType::Range => Dimension::Count,
            ValueType::Size => Dimension::Size,
            ValueType::Duration => Dimension::Duration,
            ValueType::Rate | ValueType::RateLimit => Dimension::Rate,
            ValueType::Percentage => Dimension::Percentage,
            ValueType::Factor => Dimension::Factor,
            ValueType::Bandwidth => Dimension::Bandwidth,
            ValueType::Money => Dimension::Money,
            _ => return None,
        })
    }
}

/// The shape of a value: an attribute's or a call parameter's.
#[derive(Debug, Deserialize)]
pub struct Shape {
    pub name: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    #[serde(default)]
    pub values: Vec<String>,
    pub max: Option<f64>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize)]
pub struct AttributeSchema {
    #[serde(flatten)]
    pub shape: Shape,
    pub on: Vec<String>,
    pub default: Option<String>,
    pub doc: String,
    /// `default`, checked like a written value on first use (checking needs the
    /// loaded schema, so it cannot happen while the schema loads).
    #[serde(skip)]
    default_value: OnceLock<Option<Value>>,
}

impl AttributeSchema {
    pub fn name(&self) -> &str {
        &self.shape.name
    }

    /// The typed key of this attribute (the schema lives for the whole run).
    pub fn key(&'static self) -> Attr {
        Attr::of_schema(&self.shape.name)
    }

    pub fn default_value(&self) -> Option<&Value> {
        self.default_value
            .get_or_init(|| {
                let text = self.default.as_deref()?;
                let written =
                    parse_value(FileId(0), text).expect("defaults are hld values (tested)");
                let checked = value::check(&written, &self.shape, self.name());
                Some(
                    checked
                        .unwrap_or_else(|e| panic!("default of `{}`: {}", self.name(), e.message)),
                )
            })
            .as_ref()
    }

    pub fn applies_to(&self, target: Target) -> bool {
        self.on.iter().any(|on| target.matches(on))
    }
}

#[derive(Debug, Deserialize)]
pub struct CallSchema {
    /// The value types it may be written for.
    #[serde(rename = "for")]
    pub families: Vec<ValueType>,
    pub params: Vec<Shape>,
}

#[derive(Debug, Deserialize)]
pub struct Meaning {
    /// The names this applies to.
    pub names: Vec<String>,
    /// What to write instead, in the help line.
    pub write: String,
}

#[derive(Debug, Deserialize)]
pub struct Schema {
    #[serde(rename = "attribute")]
    pub attributes: Vec<AttributeSchema>,
    #[serde(rename = "call")]
    pub calls: BTreeMap<String, CallSchema>,
    /// Names people write for something hld says another way (`read_replicas`), with
    /// how to say it.
    #[serde(rename = "meaning", default)]
    pub meanings: Vec<Meaning>,
    /// Attribute indexes by name: every attribute written is looked up here.
    #[serde(skip)]
    by_name: HashMap<String, Vec<usize>>,
}

impl Schema {
    pub fn get() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let mut schema: Schema = toml::from_str(include_str!("../data/attributes.toml"))
                .expect("data/attributes.toml is valid (tested)");
            for (index, attribute) in schema.attributes.iter().enumerate() {
                schema
                    .by_name
                    .entry(attribute.name().to_string())
                    .or_default()
                    .push(index);
            }
            schema
        })
    }

    pub fn attribute(&self, name: &str, target: Target) -> Option<&AttributeSchema> {
        self.by_name
            .get(name)?
            .iter()
            .map(|&i| &self.attributes[i])
            .find(|a| a.applies_to(target))
    }

    pub fn names_for(&self, target: Target) -> impl Iterator<Item = &str> {
        self.attributes
            .iter()
            .filter(move |a| a.applies_to(target))
            .map(AttributeSchema::name)
    }

    /// How to say what an unknown attribute name means, when hld knows the name.
    pub fn meaning_of(&self, name: &str) -> Option<&str> {
        self.meanings
            .iter()
            .find(|m| m.names.iter().any(|n| n == name))
            .map(|m| m.write.as_str())
    }

    /// Every place an attribute of this name may be written, for "`ttl` applies to
    /// cdn, cache" hints.
    pub fn places_of(&self, name: &str) -> Vec<&str> {
        self.attributes
            .iter()
            .filter(|a| a.name() == name)
            .flat_map(|a| a.on.iter().map(String::as_str))
            .collect()
    }

    pub fn calls_for(&self, family: ValueType) -> impl Iterator<Item = (&str, &CallSchema)> {
        self.calls
            .iter()
            .filter(move |(_, c)| c.families.contains(&family))
            .map(|(name, c)| (name.as_str(), c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr;

    #[test]
    fn the_schema_loads_and_every_enum_lists_its_values() {
        let schema = Schema::get();
        for attribute in &schema.attributes {
            let t = attribute.shape.value_type;
            assert_eq!(
                matches!(t, ValueType::Enum | ValueType::List),
                !attribute.shape.values.is_empty(),
                "{}",
                attribute.name()
            );
        }
        assert!(
            schema
                .attribute(attr::TTL.name(), Target::Component(Kind::Cache))
                .is_some()
        );
        for attribute in &schema.attributes {
            assert_eq!(
                attribute.default.is_some(),
                attribute.default_value().is_some(),
                "{}",
                attribute.name()
            );
        }
        assert!(
            schema
                .attribute(attr::TTL.name(), Target::Component(Kind::Service))
                .is_none()
        );
    }

    #[test]
    fn a_name_may_mean_different_things_in_different_places() {
        let schema = Schema::get();
        let worker = schema
            .attribute(attr::MODE.name(), Target::Component(Kind::Worker))
            .unwrap();
        let link = schema.attribute(attr::MODE.name(), Target::Link).unwrap();
        assert!(worker.shape.values.contains(&"cron".to_string()));
        assert!(link.shape.values.contains(&"async".to_string()));
    }
}
