//! `scenario` items (docs/language.md, "Scenarios"): `fail: [ids]` and `partition: [a, b]`,
//! each id a component or a group, and when and how `hld simulate` plays it (`at`, `for`,
//! `traffic`). Lowered after every component and group exists.

use super::*;
use crate::schema::AttributeSchema;

impl<'a> Lowering<'a> {
    pub(super) fn scenario(&mut self, decl: &'a ast::Declaration, span: Span) {
        let mut fail = Vec::new();
        let mut partition = None;
        let mut label = decl.label.as_ref().map(|l| l.value.clone());
        let mut said_anything = false;
        let mut attrs = Attributes::default();
        for entry in decl.body.iter().flat_map(|b| &b.entries) {
            let attribute =
                match entry {
                    Entry::Attribute(attribute) => attribute,
                    Entry::Item(item) => {
                        self.error(
                        code::SYNTAX,
                        item.span,
                        &format!("scenario `{}` holds `fail:` and `partition:` only", decl.id.name),
                        "declare components outside the scenario and name them in `fail: [...]`",
                    );
                        continue;
                    }
                };
            let key = Schema::get()
                .attribute(&attribute.name.name, Target::Scenario)
                .map(AttributeSchema::key);
            match key {
                Some(attr::FAIL) => {
                    said_anything = true;
                    fail.extend(self.places(&attribute.value));
                }
                Some(attr::PARTITION) => {
                    said_anything = true;
                    partition = self.partition(&decl.id.name, &attribute.value);
                }
                Some(attr::LABEL | attr::DESCRIPTION) => {
                    if let ast::ValueKind::Str(text) = &attribute.value.kind {
                        label.get_or_insert_with(|| text.clone());
                    }
                }
                Some(key) => {
                    // `traffic` is a trigger of its own; `at`/`for` only time one.
                    said_anything |= key == attr::TRAFFIC;
                    let element = Subject::Scenario(decl.id.name.clone());
                    let reported = self.diagnostics.len();
                    if let Some((name, value)) = self.attribute(attribute, Target::Scenario, &attrs)
                    {
                        attrs.insert(AttributeEntry {
                            name,
                            value,
                            span: attribute.span,
                        });
                    }
                    for diagnostic in &mut self.diagnostics[reported..] {
                        diagnostic.element.get_or_insert_with(|| element.clone());
                    }
                }
                None => {
                    // It meant to say something: "fails nothing" would only repeat this.
                    said_anything = true;
                    let name = &attribute.name.name;
                    let said: Vec<&str> = Schema::get().names_for(Target::Scenario).collect();
                    let help = suggestion_help(name, said.iter().copied())
                        .unwrap_or_else(|| format!("a scenario says {}", one_of(&said)));
                    self.diagnostics.push(
                        Diagnostic::error(
                            code::UNKNOWN_ATTRIBUTE,
                            attribute.name.span,
                            format!("a scenario has no attribute `{name}`"),
                        )
                        .with_label("unknown attribute")
                        .with_element(Subject::Scenario(decl.id.name.clone()))
                        .with_help(help),
                    );
                }
            }
        }
        if !said_anything {
            self.error(
                code::INVALID_VALUE,
                decl.id.span,
                &format!("scenario `{}` fails nothing", decl.id.name),
                "say what goes down, `fail: [api]`, what is cut off, `partition: [us, eu]`, or how traffic changes, `traffic: spike(3x, at: 2min, for: 1min)`",
            );
            return;
        }
        self.model.scenarios.push(Scenario {
            id: decl.id.name.clone(),
            label,
            fail,
            partition,
            attrs,
            span,
            id_span: decl.id.span,
        });
    }

    /// The components and groups a list names; unknown ids are reported.
    fn places(&mut self, value: &ast::Value) -> Vec<Place> {
        let items: Vec<&ast::Value> = match &value.kind {
            ast::ValueKind::List(items) => items.iter().collect(),
            _ => vec![value],
        };
        items
            .into_iter()
            .filter_map(|item| self.place(item))
            .collect()
    }

    fn place(&mut self, value: &ast::Value) -> Option<Place> {
        let ast::ValueKind::Ident(name) = &value.kind else {
            self.error(
                code::INVALID_VALUE,
                value.span,
                "a scenario names components and groups by their ids",
                "write the ids in a list: `fail: [api, us_a]`",
            );
            return None;
        };
        if let Some(id) = self.model.find(name) {
            return Some(Place::Component(id));
        }
        if let Some(group) = self.model.groups.iter().position(|g| &g.id == name) {
            return Some(Place::Group(group));
        }
        if self.poisoned.contains(name) {
            return None;
        }
        let names = self
            .model
            .components
            .iter()
            .map(|c| c.id.as_str())
            .chain(self.model.groups.iter().map(|g| g.id.as_str()));
        let help = suggestion_help(name, names)
            .unwrap_or_else(|| "name a declared component or group".to_string());
        self.diagnostics.push(
            Diagnostic::error(
                code::UNKNOWN_COMPONENT,
                value.span,
                format!("no component or group is called `{name}`"),
            )
            .with_label("not declared")
            .with_help(help),
        );
        None
    }

    /// `partition: [a, b]`: exactly two sides, neither inside the other.
    fn partition(&mut self, scenario: &str, value: &ast::Value) -> Option<(Place, Place)> {
        let sides = self.places(value);
        let count = match &value.kind {
            ast::ValueKind::List(items) => items.len(),
            _ => 1,
        };
        if count != 2 {
            self.diagnostics.push(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    value.span,
                    format!("a partition has two sides; scenario `{scenario}` names {count}"),
                )
                .with_label("not two sides")
                .with_element(Subject::Scenario(scenario.to_string()))
                .with_help("name the two groups (or components) that can no longer reach each other: `partition: [us, eu]`"),
            );
            return None;
        }
        let [a, b] = sides.as_slice() else {
            return None;
        };
        if a == b || self.contains(*a, *b) || self.contains(*b, *a) {
            self.diagnostics.push(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    value.span,
                    format!("scenario `{scenario}` partitions a side from itself"),
                )
                .with_label("one side")
                .with_element(Subject::Scenario(scenario.to_string()))
                .with_help("name two groups (or components) that do not contain each other"),
            );
            return None;
        }
        Some((*a, *b))
    }

    /// Whether `outer` contains `inner` (a group containing a component or a group).
    fn contains(&self, outer: Place, inner: Place) -> bool {
        let Place::Group(outer) = outer else {
            return false;
        };
        let start = match inner {
            Place::Component(id) => self.model.component(id).group,
            Place::Group(group) => Some(group),
        };
        self.model.enclosing_groups(start).any(|g| g == outer)
    }
}
