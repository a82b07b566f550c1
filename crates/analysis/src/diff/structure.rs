//! The elements added, removed and changed, by identity: components, groups, flows and
//! scenarios by id, links by their ends (and, between two components joined more than
//! once, by label, else `ops`, else their order). Attributes compare as checked values,
//! so `1000/s` and `1k/s` are the same and a reformatted file changes nothing; a change
//! shows both values as written.

use std::collections::HashMap;

use hld_model::{Attributes, Compilation, Model, Place};
use hld_syntax::source::{Sources, Span};

/// Ids per kind of element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Elements {
    pub components: Vec<String>,
    pub links: Vec<String>,
    pub groups: Vec<String>,
    pub flows: Vec<String>,
    pub scenarios: Vec<String>,
}

impl Elements {
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    pub fn count(&self) -> usize {
        self.components.len()
            + self.links.len()
            + self.groups.len()
            + self.flows.len()
            + self.scenarios.len()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementKind {
    Design,
    Component,
    Link,
    Group,
    Flow,
    Scenario,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Design => "design",
            ElementKind::Component => "component",
            ElementKind::Link => "link",
            ElementKind::Group => "group",
            ElementKind::Flow => "flow",
            ElementKind::Scenario => "scenario",
        }
    }
}

/// One element in both versions that is not the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ElementKind,
    /// Its id (`from->to` for a link; `design` for the header).
    pub id: String,
    pub attributes: Vec<AttributeChange>,
}

/// An attribute (or `kind`, `label`, `group`, `steps`, `fail`...) as written in each
/// version; `None` where a version does not state it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeChange {
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One version's side of the comparison.
struct Side<'a> {
    model: &'a Model,
    sources: &'a Sources,
    links: Vec<String>,
}

impl<'a> Side<'a> {
    fn of(compilation: &'a Compilation) -> Side<'a> {
        Side {
            model: &compilation.model,
            sources: &compilation.sources,
            links: link_keys(&compilation.model),
        }
    }

    /// A value as its version writes it, whitespace runs made one space.
    fn written(&self, span: Span) -> String {
        let text = &self.sources.file(span.file).text;
        let text = text.get(span.range()).unwrap_or_default();
        let value = text.split_once(':').map_or(text, |(_, value)| value);
        value.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn group_name(&self, group: Option<usize>) -> Option<String> {
        group.map(|g| self.model.groups[g].id.clone())
    }

    fn place(&self, place: &Place) -> String {
        match place {
            Place::Component(id) => self.model.component(*id).id.clone(),
            Place::Group(g) => self.model.groups[*g].id.clone(),
        }
    }
}

/// Each link's identity, by index: `from->to`; between two components joined more than
/// once, `from->to "label"` when its label tells it apart, else `from->to (ops)`, else
/// `from->to #n` in the order written.
pub fn link_keys(model: &Model) -> Vec<String> {
    let ends: Vec<String> = model.links.iter().map(|l| l.element(model)).collect();
    let mut parallel: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, end) in ends.iter().enumerate() {
        parallel.entry(end).or_default().push(index);
    }
    let mut keys = ends.clone();
    for indices in parallel.values().filter(|i| i.len() > 1) {
        let unique = |text: &dyn Fn(usize) -> Option<String>, index: usize| {
            let own = text(index)?;
            let same = indices.iter().filter(|&&i| text(i).as_ref() == Some(&own));
            (same.count() == 1).then_some(own)
        };
        let label = |i: usize| model.links[i].label.as_ref().map(|l| format!("{l:?}"));
        let ops = |i: usize| Some(format!("({})", model.links[i].ops().as_str()));
        for (order, &index) in indices.iter().enumerate() {
            let tell = unique(&label, index)
                .or_else(|| unique(&ops, index))
                .unwrap_or_else(|| format!("#{}", order + 1));
            keys[index] = format!("{} {tell}", ends[index]);
        }
    }
    keys
}

pub(super) fn compare(old: &Compilation, new: &Compilation) -> (Elements, Elements, Vec<Change>) {
    let (old, new) = (Side::of(old), Side::of(new));
    let mut added = Elements::default();
    let mut removed = Elements::default();
    let mut changed = Vec::new();
    let header = attributes(&old, &new, &old.model.header, &new.model.header);
    if !header.is_empty() {
        changed.push(Change {
            kind: ElementKind::Design,
            id: "design".to_string(),
            attributes: header,
        });
    }
    let kinds = [
        ElementKind::Group,
        ElementKind::Component,
        ElementKind::Link,
        ElementKind::Flow,
        ElementKind::Scenario,
    ];
    for kind in kinds {
        let (before, after) = (ids(&old, kind), ids(&new, kind));
        let at: HashMap<&str, usize> = before
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let now: HashMap<&str, usize> = after
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let gone: Vec<String> = before
            .iter()
            .filter(|id| !now.contains_key(id.as_str()))
            .cloned()
            .collect();
        let new_ids: Vec<String> = after
            .iter()
            .filter(|id| !at.contains_key(id.as_str()))
            .cloned()
            .collect();
        *added.of(kind) = new_ids;
        *removed.of(kind) = gone;
        for (j, id) in after.iter().enumerate() {
            let Some(&i) = at.get(id.as_str()) else {
                continue;
            };
            let attributes = element(&old, &new, kind, i, j);
            if !attributes.is_empty() {
                changed.push(Change {
                    kind,
                    id: id.clone(),
                    attributes,
                });
            }
        }
    }
    (added, removed, changed)
}

/// The identities of one kind of element, in the design's order.
fn ids(side: &Side, kind: ElementKind) -> Vec<String> {
    let model = side.model;
    match kind {
        ElementKind::Design => vec!["design".to_string()],
        ElementKind::Component => model.components.iter().map(|c| c.id.clone()).collect(),
        ElementKind::Link => side.links.clone(),
        ElementKind::Group => model.groups.iter().map(|g| g.id.clone()).collect(),
        ElementKind::Flow => model.flows.iter().map(|f| f.id.clone()).collect(),
        ElementKind::Scenario => model.scenarios.iter().map(|s| s.id.clone()).collect(),
    }
}

impl Elements {
    fn of(&mut self, kind: ElementKind) -> &mut Vec<String> {
        match kind {
            ElementKind::Component | ElementKind::Design => &mut self.components,
            ElementKind::Link => &mut self.links,
            ElementKind::Group => &mut self.groups,
            ElementKind::Flow => &mut self.flows,
            ElementKind::Scenario => &mut self.scenarios,
        }
    }
}

/// What differs between element `i` of OLD and element `j` of NEW.
fn element(old: &Side, new: &Side, kind: ElementKind, i: usize, j: usize) -> Vec<AttributeChange> {
    let mut out = Changes::default();
    match kind {
        ElementKind::Design => {}
        ElementKind::Component => {
            let (a, b) = (&old.model.components[i], &new.model.components[j]);
            out.field(
                "kind",
                Some(a.kind.as_str().to_string()),
                Some(b.kind.as_str().to_string()),
            );
            out.field("label", a.label.clone(), b.label.clone());
            out.field("group", old.group_name(a.group), new.group_name(b.group));
            out.extend(attributes(old, new, &a.attrs, &b.attrs));
        }
        ElementKind::Link => {
            let (a, b) = (&old.model.links[i], &new.model.links[j]);
            out.field("label", a.label.clone(), b.label.clone());
            out.field(
                "bidirectional",
                Some(a.bidirectional.to_string()),
                Some(b.bidirectional.to_string()),
            );
            out.field("group", old.group_name(a.group), new.group_name(b.group));
            out.extend(attributes(old, new, &a.attrs, &b.attrs));
        }
        ElementKind::Group => {
            let (a, b) = (&old.model.groups[i], &new.model.groups[j]);
            out.field(
                "kind",
                Some(a.kind.as_str().to_string()),
                Some(b.kind.as_str().to_string()),
            );
            out.field("label", a.label.clone(), b.label.clone());
            out.field("parent", old.group_name(a.parent), new.group_name(b.parent));
            out.extend(attributes(old, new, &a.attrs, &b.attrs));
        }
        ElementKind::Flow => {
            let (a, b) = (&old.model.flows[i], &new.model.flows[j]);
            out.field("label", a.label.clone(), b.label.clone());
            out.field(
                "from",
                Some(old.model.component(a.start).id.clone()),
                Some(new.model.component(b.start).id.clone()),
            );
            out.field("steps", Some(steps(old, a)), Some(steps(new, b)));
            out.extend(attributes(old, new, &a.attrs, &b.attrs));
        }
        ElementKind::Scenario => {
            let (a, b) = (&old.model.scenarios[i], &new.model.scenarios[j]);
            out.field("label", a.label.clone(), b.label.clone());
            let fail = |side: &Side, s: &hld_model::Scenario| {
                (!s.fail.is_empty()).then(|| {
                    s.fail
                        .iter()
                        .map(|p| side.place(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
            };
            out.field("fail", fail(old, a), fail(new, b));
            let partition = |side: &Side, s: &hld_model::Scenario| {
                s.partition
                    .as_ref()
                    .map(|(x, y)| format!("{}, {}", side.place(x), side.place(y)))
            };
            out.field("partition", partition(old, a), partition(new, b));
            out.extend(attributes(old, new, &a.attrs, &b.attrs));
        }
    }
    out.0
}

/// A flow's steps as `a->b, b->c (10%)`, by link identity.
fn steps(side: &Side, flow: &hld_model::Flow) -> String {
    flow.steps
        .iter()
        .map(|step| {
            let link = &side.links[step.link.index()];
            match step.ratio {
                Some(ratio) => format!("{link} ({})", hld_model::figures::percent(ratio)),
                None => link.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Default)]
struct Changes(Vec<AttributeChange>);

impl Changes {
    fn field(&mut self, name: &str, old: Option<String>, new: Option<String>) {
        if old != new {
            self.0.push(AttributeChange {
                name: name.to_string(),
                old,
                new,
            });
        }
    }

    fn extend(&mut self, changes: Vec<AttributeChange>) {
        self.0.extend(changes);
    }
}

/// The attributes whose checked values differ, in OLD's order then NEW's new ones.
fn attributes(old: &Side, new: &Side, a: &Attributes, b: &Attributes) -> Vec<AttributeChange> {
    let mut out = Vec::new();
    for entry in a.iter() {
        let after = b.entry(entry.name);
        if after.map(|e| &e.value) != Some(&entry.value) {
            out.push(AttributeChange {
                name: entry.name.name().to_string(),
                old: Some(old.written(entry.span)),
                new: after.map(|e| new.written(e.span)),
            });
        }
    }
    for entry in b.iter().filter(|e| a.entry(e.name).is_none()) {
        out.push(AttributeChange {
            name: entry.name.name().to_string(),
            old: None,
            new: Some(new.written(entry.span)),
        });
    }
    out
}
