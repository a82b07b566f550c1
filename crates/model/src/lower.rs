//! AST → model: declarations first (ids may be used before they are declared, and in
//! other files), then links, references and `@allow` annotations.

mod flows;
mod scenarios;

use std::collections::{HashMap, HashSet};

use super::schema::{Schema, Target};
use super::value::{self, Value};
use super::*;
use crate::selector::Catalogue;
use hld_syntax::ast::{self, AnnotationArg, Entry, ItemKind};
use hld_syntax::diagnostics::{Diagnostic, Subject, code, did_you_mean, one_of, suggestion_help};

/// Builds the model of a design from its files, the root first.
pub fn lower(files: &[(FileId, ast::File)], catalogue: Catalogue) -> (Model, Vec<Diagnostic>) {
    let mut lowering = Lowering {
        catalogue,
        ..Lowering::default()
    };
    for (index, (file, ast)) in files.iter().enumerate() {
        let context = Context {
            file: *file,
            is_root: index == 0,
            group: None,
        };
        for item in &ast.items {
            lowering.item(item, context);
        }
    }
    lowering.finish()
}

#[derive(Clone, Copy)]
struct Context {
    file: FileId,
    is_root: bool,
    group: Option<GroupId>,
}

/// What an annotation is attached to, known before links are resolved.
#[derive(Clone, Copy)]
enum Annotated {
    File(FileId),
    Component(ComponentId),
    Group(GroupId),
    Link(usize),
    Flow(usize),
    /// A scenario: its findings are on the flows and components it is about.
    Scenario(Span),
    /// An item that failed to compile: the annotation is checked, and applies to nothing.
    Nothing,
}

#[derive(Default)]
struct Lowering<'a> {
    /// The rules `@allow` may name.
    catalogue: Catalogue,
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// The id span of the first declaration of each component or group id.
    declared: HashMap<String, Span>,
    /// Ids whose declaration had an error: links to them are not reported again.
    poisoned: HashSet<String>,
    links: Vec<(&'a ast::Link, Option<GroupId>)>,
    annotations: Vec<(&'a ast::Annotation, Annotated)>,
    /// Links lowered from each statement in `links`.
    link_ids: Vec<Vec<LinkId>>,
    /// Flow declarations, lowered once every link exists (their steps name links).
    flows: Vec<(&'a ast::Declaration, Span)>,
    /// Per entry of `flows`: the flow it lowered to, if it compiled.
    flow_ids: Vec<Option<FlowId>>,
    /// Scenario declarations, lowered once every component and group exists.
    scenarios: Vec<(&'a ast::Declaration, Span)>,
}

impl<'a> Lowering<'a> {
    fn item(&mut self, item: &'a ast::Item, context: Context) {
        let annotated = match &item.kind {
            ItemKind::Design(design) => self.design(design, item.span, context),
            ItemKind::Import(_) => {
                if context.group.is_some() {
                    self.error(
                        code::IMPORT,
                        item.span,
                        "an import cannot sit inside a group",
                        "move the import to the top level of the file",
                    );
                }
                None
            }
            ItemKind::Declaration(decl) => self.declaration(decl, item.span, context),
            ItemKind::Link(link) => {
                self.links.push((link, context.group));
                Some(Annotated::Link(self.links.len() - 1))
            }
        };
        for annotation in &item.annotations {
            match annotated {
                Some(target) => self.annotations.push((annotation, target)),
                None if matches!(item.kind, ItemKind::Import(_)) => self.error(
                    code::SYNTAX,
                    annotation.span,
                    "an import cannot be annotated",
                    "put `@allow` before a component, a link, a group or the `design` header",
                ),
                // The item itself had an error: still check what the annotation names.
                None => self.annotations.push((annotation, Annotated::Nothing)),
            }
        }
    }

    fn design(
        &mut self,
        design: &'a ast::Design,
        span: Span,
        context: Context,
    ) -> Option<Annotated> {
        if !context.is_root {
            // An imported file's header describes that file on its own; the root's wins.
            return Some(Annotated::File(context.file));
        }
        if context.group.is_some() {
            self.error(
                code::SYNTAX,
                span,
                "the `design` header cannot sit inside a group",
                "move it to the top of the file",
            );
            return None;
        }
        if let Some(first) = self.model.header_span {
            self.diagnostics.push(
                Diagnostic::error(
                    code::SYNTAX,
                    span,
                    "a design has one `design` header; this is a second",
                )
                .with_label("second header")
                .with_related(first, "first header here")
                .with_help("merge the two headers into one"),
            );
            return None;
        }
        self.model.title = Some(design.title.value.clone());
        self.model.header_span = Some(span);
        let body = self.plain_body(design.body.as_ref(), "the `design` header");
        self.model.header = self.attributes(body, Target::Design, None);
        Some(Annotated::File(context.file))
    }

    fn declaration(
        &mut self,
        decl: &'a ast::Declaration,
        span: Span,
        context: Context,
    ) -> Option<Annotated> {
        let keyword = decl.keyword.name.as_str();
        if let Some(kind) = GroupKind::parse(keyword) {
            return self.group(decl, kind, span, context);
        }
        if keyword == "scenario" {
            if !self.declare(&decl.id) {
                return None;
            }
            self.scenarios.push((decl, span));
            return Some(Annotated::Scenario(decl.id.span));
        }
        if keyword == "flow" {
            if !self.declare(&decl.id) {
                return None;
            }
            self.flows.push((decl, span));
            return Some(Annotated::Flow(self.flows.len() - 1));
        }
        let Some(kind) = Kind::parse(keyword) else {
            self.unknown_kind(decl);
            return None;
        };
        if !self.declare(&decl.id) {
            return None;
        }
        let what = format!("{} {}", kind.article(), kind);
        let body = self.plain_body(decl.body.as_ref(), &what);
        let attrs = self.attributes(
            body,
            Target::Component(kind),
            Some(Subject::Component(decl.id.name.clone())),
        );
        let label = self.label(decl.label.as_ref(), &attrs);
        let profile = self.engine(&attrs, kind, &decl.id.name);
        let id = self.model.graph.add_node(());
        self.model.ids.insert(decl.id.name.clone(), id);
        self.model.components.push(Component {
            id: decl.id.name.clone(),
            kind,
            label,
            attrs,
            group: context.group,
            profile,
            span,
            id_span: decl.id.span,
        });
        Some(Annotated::Component(id))
    }

    fn group(
        &mut self,
        decl: &'a ast::Declaration,
        kind: GroupKind,
        span: Span,
        context: Context,
    ) -> Option<Annotated> {
        if !self.declare(&decl.id) {
            return None;
        }
        let id = self.model.groups.len();
        let entries: Vec<&ast::Entry> = decl.body.iter().flat_map(|b| &b.entries).collect();
        let attrs = self.attributes(
            entries.iter().copied(),
            Target::Group,
            Some(Subject::Group(decl.id.name.clone())),
        );
        let label = self.label(decl.label.as_ref(), &attrs);
        self.model.groups.push(Group {
            id: decl.id.name.clone(),
            kind,
            label,
            attrs,
            parent: context.group,
            span,
        });
        let inner = Context {
            group: Some(id),
            ..context
        };
        for entry in entries {
            if let Entry::Item(item) = entry {
                self.item(item, inner);
            }
        }
        Some(Annotated::Group(id))
    }

    fn unknown_kind(&mut self, decl: &ast::Declaration) {
        self.poisoned.insert(decl.id.name.clone());
        let keyword = &decl.keyword.name;
        let words = Kind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(GroupKind::ALL.iter().map(|k| k.as_str()));
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let help = match did_you_mean(keyword, words) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "a component is one of {}; groups are `region`, `zone` and `group`",
                one_of(&kinds)
            ),
        };
        self.diagnostics.push(
            Diagnostic::error(
                code::UNKNOWN_KIND,
                decl.keyword.span,
                format!("`{keyword}` is not a kind of component"),
            )
            .with_label("unknown kind")
            .with_element(Subject::Component(decl.id.name.clone()))
            .with_help(help),
        );
    }

    /// Registers an id; false (with an error) when it is taken.
    fn declare(&mut self, id: &ast::Ident) -> bool {
        if let Some(first) = self.declared.get(&id.name) {
            self.diagnostics.push(
                Diagnostic::error(
                    code::DUPLICATE_COMPONENT,
                    id.span,
                    format!("`{}` is declared twice", id.name),
                )
                .with_label("declared again here")
                .with_element(Subject::Component(id.name.clone()))
                .with_related(*first, "first declared here")
                .with_help(
                    "ids are unique in the whole design, imports included: rename one of them",
                ),
            );
            return false;
        }
        self.declared.insert(id.name.clone(), id.span);
        true
    }

    /// The entries of a block that may hold attributes only.
    fn plain_body(
        &mut self,
        body: Option<&'a ast::Block>,
        what: &str,
    ) -> impl Iterator<Item = &'a ast::Entry> + use<'a> {
        let entries: Vec<&'a ast::Entry> = body.iter().flat_map(|b| &b.entries).collect();
        for entry in &entries {
            if let Entry::Item(item) = entry {
                self.error(
                    code::SYNTAX,
                    item.span,
                    &format!("{what} cannot contain components or links"),
                    "only `region`, `zone` and `group` contain items: move this out of the block",
                );
            }
        }
        entries.into_iter()
    }

    fn attributes(
        &mut self,
        entries: impl Iterator<Item = &'a ast::Entry>,
        target: Target,
        element: Option<Subject>,
    ) -> Attributes {
        let mut attrs = Attributes::default();
        let reported = self.diagnostics.len();
        for entry in entries {
            let Entry::Attribute(attribute) = entry else {
                continue;
            };
            if let Some((name, value)) = self.attribute(attribute, target, &attrs) {
                attrs.insert(AttributeEntry {
                    name,
                    value,
                    span: attribute.span,
                });
            }
        }
        if let Some(element) = element {
            for diagnostic in &mut self.diagnostics[reported..] {
                diagnostic.element.get_or_insert_with(|| element.clone());
            }
        }
        attrs
    }

    fn attribute(
        &mut self,
        attribute: &ast::Attribute,
        target: Target,
        seen: &Attributes,
    ) -> Option<(Attr, Value)> {
        let name = &attribute.name.name;
        let schema = Schema::get();
        let Some(attribute_schema) = schema.attribute(name, target) else {
            self.unknown_attribute(attribute, target);
            return None;
        };
        if let Some(first) = seen.span(attribute_schema.key()) {
            self.diagnostics.push(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    attribute.span,
                    format!("`{name}` is set twice"),
                )
                .with_label("set again here")
                .with_related(first, "first set here")
                .with_help("keep one of them"),
            );
            return None;
        }
        match value::check(
            &attribute.value,
            &attribute_schema.shape,
            &format!("`{name}`"),
        ) {
            Ok(value) => Some((attribute_schema.key(), value)),
            Err(diagnostic) => {
                self.diagnostics.push(*diagnostic);
                None
            }
        }
    }

    fn unknown_attribute(&mut self, attribute: &ast::Attribute, target: Target) {
        let name = &attribute.name.name;
        let schema = Schema::get();
        let places = schema.places_of(name);
        let help = if let Some(meaning) = schema.meaning_of(name) {
            format!("hld says this another way: {meaning}")
        } else if !places.is_empty() {
            format!(
                "`{name}` applies to {}, not to {}",
                places_in_words(&places),
                target.describe()
            )
        } else {
            suggestion_help(name, schema.names_for(target)).unwrap_or_else(|| {
                let names: Vec<&str> = schema.names_for(target).collect();
                format!("{} takes {}", target.describe(), one_of(&names))
            })
        };
        self.diagnostics.push(
            Diagnostic::error(
                code::UNKNOWN_ATTRIBUTE,
                attribute.name.span,
                format!("{} has no attribute `{name}`", target.describe()),
            )
            .with_label("unknown attribute")
            .with_help(help),
        );
    }

    fn label(&mut self, written: Option<&ast::Str>, attrs: &Attributes) -> Option<String> {
        let from_attribute = attrs.get(attr::LABEL).and_then(Value::as_str);
        if let (Some(_), Some(span)) = (written, attrs.span(attr::LABEL)) {
            self.error(
                code::INVALID_VALUE,
                span,
                "the label is given twice: after the id and as `label`",
                "keep one of them",
            );
        }
        written
            .map(|s| s.value.clone())
            .or_else(|| from_attribute.map(str::to_string))
    }

    fn engine(
        &mut self,
        attrs: &Attributes,
        kind: Kind,
        element: &str,
    ) -> Option<&'static EngineProfile> {
        let name = attrs.symbol(attr::ENGINE)?;
        let span = attrs.span(attr::ENGINE)?;
        let engines = Engines::get();
        // An engine without a profile is the `unknown-engine` rule's to report.
        let profile = engines.profile(name)?;
        if !profile.fits(kind) {
            let fitting: Vec<&str> = engines
                .names()
                .filter(|e| engines.profile(e).is_some_and(|p| p.fits(kind)))
                .collect();
            let kinds: Vec<&str> = profile.kinds.iter().map(|k| k.as_str()).collect();
            self.diagnostics.push(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    span,
                    format!(
                        "`{name}` is {} {} engine, not {} {kind} engine",
                        profile.kinds[0].article(),
                        one_of(&kinds).replace('`', ""),
                        kind.article()
                    ),
                )
                .with_label("engine of another kind")
                .with_element(Subject::Component(element.to_string()))
                .with_help(if fitting.is_empty() {
                    format!(
                        "hld knows no engine for {} {kind}: remove `engine`",
                        kind.article()
                    )
                } else {
                    format!("{} {kind} takes {}", kind.article(), one_of(&fitting))
                }),
            );
            return None;
        }
        self.isolation_offered(attrs, profile, element);
        Some(profile)
    }

    /// A stated `isolation` must be one the engine offers (when its profile says).
    fn isolation_offered(&mut self, attrs: &Attributes, profile: &EngineProfile, element: &str) {
        use values::isolation::Value as Isolation;
        let (Some(level), Some(span)) = (attrs.value::<Isolation>(), attrs.span(attr::ISOLATION))
        else {
            return;
        };
        if profile.isolation.is_empty() || profile.isolation.contains(&level) {
            return;
        }
        let engine = attrs.symbol(attr::ENGINE).unwrap_or_default();
        let offered: Vec<&str> = profile.isolation.iter().map(|l| l.as_str()).collect();
        // PostgreSQL and Spanner call their snapshot isolation REPEATABLE READ.
        let help = if level == Isolation::RepeatableRead
            && profile.isolation.contains(&Isolation::Snapshot)
        {
            format!(
                "{engine}'s REPEATABLE READ is snapshot isolation (it allows write skew, which repeatable read forbids): write `snapshot`"
            )
        } else {
            format!("{engine} offers {}", one_of(&offered))
        };
        self.diagnostics.push(
            Diagnostic::error(
                code::INVALID_VALUE,
                span,
                format!("`{engine}` offers no `{level}` isolation"),
            )
            .with_label("not offered by the engine")
            .with_element(Subject::Component(element.to_string()))
            .with_help(help),
        );
    }

    fn finish(mut self) -> (Model, Vec<Diagnostic>) {
        let links = std::mem::take(&mut self.links);
        for (link, group) in links {
            let ids = self.link(link, group);
            self.link_ids.push(ids);
        }
        self.resolve_references();
        let flows = std::mem::take(&mut self.flows);
        for &(decl, span) in &flows {
            let id = self.flow(decl, span);
            self.flow_ids.push(id);
        }
        self.check_shares();
        for (decl, span) in std::mem::take(&mut self.scenarios) {
            self.scenario(decl, span);
        }
        let annotations = std::mem::take(&mut self.annotations);
        for (annotation, target) in annotations {
            self.annotation(annotation, target);
        }
        (self.model, self.diagnostics)
    }

    fn link(&mut self, link: &'a ast::Link, group: Option<GroupId>) -> Vec<LinkId> {
        let first_element = Subject::Link {
            from: link.first.name.clone(),
            to: link.hops[0].to.name.clone(),
        };
        let body = self.plain_body(link.body.as_ref(), "a link");
        let attrs = self.attributes(body, Target::Link, Some(first_element));
        let label = self.label(link.label.as_ref(), &attrs);
        let mut from = &link.first;
        let mut ids = Vec::new();
        for hop in &link.hops {
            let (a, b) = (self.resolve(from), self.resolve(&hop.to));
            if let (Some(a), Some(b)) = (a, b) {
                let id = self.model.graph.add_edge(a, b, ());
                self.model.links.push(Link {
                    from: a,
                    to: b,
                    bidirectional: hop.bidirectional,
                    label: label.clone(),
                    attrs: attrs.clone(),
                    group,
                    span: from.span.to(hop.to.span),
                });
                ids.push(id);
            }
            from = &hop.to;
        }
        ids
    }

    fn resolve(&mut self, id: &ast::Ident) -> Option<ComponentId> {
        if let Some(found) = self.model.find(&id.name) {
            return Some(found);
        }
        if self.poisoned.contains(&id.name) {
            return None;
        }
        if let Some(group) = self.model.groups.iter().find(|g| g.id == id.name) {
            let span = group.span;
            self.diagnostics.push(
                Diagnostic::error(
                    code::UNKNOWN_COMPONENT,
                    id.span,
                    format!("`{}` is a group, and links join components", id.name),
                )
                .with_label("a group")
                .with_related(span, "the group")
                .with_help("link to a component inside the group"),
            );
            return None;
        }
        let help = suggestion_help(
            &id.name,
            self.model.components.iter().map(|c| c.id.as_str()),
        )
        .unwrap_or_else(|| {
            format!(
                "declare it, e.g. `service {}`, here or in an imported file",
                id.name
            )
        });
        self.diagnostics.push(
            Diagnostic::error(
                code::UNKNOWN_COMPONENT,
                id.span,
                format!("no component is called `{}`", id.name),
            )
            .with_label("not declared")
            .with_help(help),
        );
        None
    }

    /// Attributes that name another component ([`RELATIONS`]): it must exist, be of a
    /// kind the attribute takes, and not be the component itself.
    fn resolve_references(&mut self) {
        let mut problems = Vec::new();
        for component in &self.model.components {
            for reference in RELATIONS {
                let Some(entry) = component.attrs.entry(reference.attribute) else {
                    continue;
                };
                let Some(target) = entry.value.as_str() else {
                    continue;
                };
                match self.model.find(target).map(|id| self.model.component(id)) {
                    Some(other)
                        if reference.kinds.contains(&other.kind) && other.id != component.id => {}
                    Some(other) => problems.push(
                        Diagnostic::error(
                            code::INVALID_VALUE,
                            entry.span,
                            format!(
                                "{}; `{target}` is {} {}",
                                (reference.must_be)(&component.id),
                                other.kind.article(),
                                other.kind
                            ),
                        )
                        .with_label(reference.label)
                        .with_related(other.span, "declared here")
                        .with_element(Subject::Component(component.id.clone()))
                        .with_help(reference.help),
                    ),
                    None if self.poisoned.contains(target) => {}
                    None => problems.push(
                        Diagnostic::error(
                            code::UNKNOWN_COMPONENT,
                            entry.span,
                            format!("no component is called `{target}`"),
                        )
                        .with_label("not declared")
                        .with_element(Subject::Component(component.id.clone()))
                        .with_help(
                            suggestion_help(
                                target,
                                self.model.components.iter().map(|c| c.id.as_str()),
                            )
                            .unwrap_or_else(|| {
                                format!("declare it: `{} {target}`", reference.kinds[0])
                            }),
                        ),
                    ),
                }
            }
        }
        self.diagnostics.extend(problems);
    }

    fn annotation(&mut self, annotation: &ast::Annotation, annotated: Annotated) {
        if annotation.name.name != "allow" {
            self.error(
                code::SYNTAX,
                annotation.name.span,
                &format!("`@{}` is not an annotation hld knows", annotation.name.name),
                "the annotation is `@allow(rule-or-category, \"reason\")`",
            );
            return;
        }
        let mut rules = Vec::new();
        let mut reason = None;
        for arg in &annotation.args {
            match arg {
                AnnotationArg::Name(name) if self.catalogue.selector(&name.name).is_some() => {
                    rules.push((name.name.clone(), name.span))
                }
                AnnotationArg::Name(name) => self.unknown_rule(name),
                AnnotationArg::Str(text) => reason = Some(text.value.clone()),
            }
        }
        if reason.is_none() {
            self.error(
                code::SYNTAX,
                annotation.span,
                "`@allow` needs a reason",
                "say why the design accepts this trade-off: `@allow(rule, \"reason\")`",
            );
        }
        if annotation
            .args
            .iter()
            .all(|a| matches!(a, AnnotationArg::Str(_)))
        {
            self.error(
                code::SYNTAX,
                annotation.span,
                "`@allow` names no rule",
                "name the rule or category it allows: `@allow(rule, \"reason\")`",
            );
        }
        let target = match annotated {
            Annotated::File(file) => AllowTarget::File(file),
            Annotated::Component(id) => AllowTarget::Component(id),
            Annotated::Group(id) => AllowTarget::Group(id),
            Annotated::Link(index) => AllowTarget::Links(self.link_ids[index].clone()),
            Annotated::Flow(index) => match self.flow_ids[index] {
                Some(flow) => AllowTarget::Flow(flow),
                None => return,
            },
            Annotated::Scenario(id) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        code::SYNTAX,
                        annotation.span,
                        "`@allow` before a scenario silences nothing: a scenario's findings are on the flows and components it affects",
                    )
                    .with_related(id, "the scenario")
                    .with_help("put the `@allow` before the flow (or component) the finding is on"),
                );
                return;
            }
            Annotated::Nothing => return,
        };
        self.model.allows.push(Allow {
            rules,
            reason,
            target,
            span: annotation.span,
        });
    }

    fn unknown_rule(&mut self, name: &ast::Ident) {
        let unknown = self.catalogue.unknown(&name.name, name.span);
        self.diagnostics.push(unknown);
    }

    fn error(&mut self, code: &'static str, span: Span, message: &str, help: &str) {
        self.diagnostics
            .push(Diagnostic::error(code, span, message).with_help(help));
    }
}

fn places_in_words(places: &[&str]) -> String {
    let words: Vec<String> = places
        .iter()
        .map(|p| match *p {
            "component" => "every component".to_string(),
            "design" => "the design header".to_string(),
            "link" => "links".to_string(),
            "group" => "groups".to_string(),
            kind => format!("`{kind}`"),
        })
        .collect();
    one_of(&words).replace('`', "")
}
