//! What the editor navigates by, read back from each file's syntax: the declared ids
//! (components, groups, flows, scenarios) with where they are declared, every place an
//! id is used (link ends, attributes that name components), the items with their
//! blocks (for quick fixes and folding), and the rules `@allow` names.

use hld_model::schema::{Schema, ValueType};
use hld_model::{Compilation, Kind};
use hld_syntax::ast::{self, Entry, Item, ItemKind, ValueKind};
use hld_syntax::source::{FileId, Span};

#[derive(Debug)]
pub struct Symbol {
    pub name: String,
    /// The declaration's keyword: a kind, `region`, `zone`, `group`, `flow`, `scenario`.
    pub keyword: String,
    pub label: Option<String>,
    /// The id where it is declared.
    pub id: Span,
    /// The whole item.
    pub item: Span,
    pub body: Option<Span>,
    pub parent: Option<usize>,
}

impl Symbol {
    pub fn is_component(&self) -> bool {
        Kind::parse(&self.keyword).is_some()
    }
}

/// A use of an id, by name.
#[derive(Debug)]
pub struct Reference {
    pub name: String,
    pub span: Span,
}

/// A link statement: its item and block, for edits on it.
#[derive(Debug)]
pub struct LinkItem {
    pub ends: Vec<String>,
    pub item: Span,
    pub body: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    pub references: Vec<Reference>,
    pub links: Vec<LinkItem>,
    /// Every block, for folding.
    pub blocks: Vec<Span>,
    /// Rule and category names in `@allow(...)`.
    pub allowed: Vec<Reference>,
    /// The design header's block.
    pub headers: Vec<Span>,
}

impl Index {
    pub fn new(compilation: &Compilation) -> Index {
        let mut index = Index::default();
        for (number, file) in compilation.sources.iter().enumerate() {
            let (ast, _) = hld_syntax::parse(FileId(number as u32), &file.text);
            for item in &ast.items {
                index.item(item, None);
            }
        }
        index
    }

    /// Declarations and uses of `name`, the declarations first.
    pub fn occurrences(&self, name: &str) -> Vec<Span> {
        let declared = self.symbols.iter().filter(|s| s.name == name).map(|s| s.id);
        let used = self
            .references
            .iter()
            .filter(|r| r.name == name)
            .map(|r| r.span);
        declared.chain(used).collect()
    }

    pub fn symbol(&self, name: &str) -> Option<&Symbol> {
        self.symbols.iter().find(|s| s.name == name)
    }

    /// The id used or declared at `offset` of `file`, if any.
    pub fn name_at(&self, file: FileId, offset: usize) -> Option<(&str, Span)> {
        let covers = |span: &Span| covers(span, file, offset);
        let declared = self
            .symbols
            .iter()
            .find(|s| covers(&s.id))
            .map(|s| (s.name.as_str(), s.id));
        declared.or_else(|| {
            self.references
                .iter()
                .find(|r| covers(&r.span))
                .map(|r| (r.name.as_str(), r.span))
        })
    }

    fn item(&mut self, item: &Item, parent: Option<usize>) {
        for annotation in &item.annotations {
            if annotation.name.name == "allow" {
                for argument in &annotation.args {
                    if let ast::AnnotationArg::Name(name) = argument {
                        self.allowed.push(Reference {
                            name: name.name.clone(),
                            span: name.span,
                        });
                    }
                }
            }
        }
        match &item.kind {
            ItemKind::Design(design) => {
                self.headers.extend(design.body.as_ref().map(|b| b.span));
                self.block(design.body.as_ref(), parent);
            }
            ItemKind::Import(_) => {}
            ItemKind::Declaration(declaration) => {
                self.symbols.push(Symbol {
                    name: declaration.id.name.clone(),
                    keyword: declaration.keyword.name.clone(),
                    label: declaration.label.as_ref().map(|l| l.value.clone()),
                    id: declaration.id.span,
                    item: item.span,
                    body: declaration.body.as_ref().map(|b| b.span),
                    parent,
                });
                let me = self.symbols.len() - 1;
                self.block(declaration.body.as_ref(), Some(me));
            }
            ItemKind::Link(link) => {
                let ends = std::iter::once(&link.first).chain(link.hops.iter().map(|h| &h.to));
                let mut names = Vec::new();
                for end in ends {
                    names.push(end.name.clone());
                    self.references.push(Reference {
                        name: end.name.clone(),
                        span: end.span,
                    });
                }
                self.links.push(LinkItem {
                    ends: names,
                    item: item.span,
                    body: link.body.as_ref().map(|b| b.span),
                });
                self.block(link.body.as_ref(), parent);
            }
        }
    }

    fn block(&mut self, block: Option<&ast::Block>, parent: Option<usize>) {
        let Some(block) = block else { return };
        self.blocks.push(block.span);
        for entry in &block.entries {
            match entry {
                Entry::Item(item) => self.item(item, parent),
                Entry::Attribute(attribute) if names_components(&attribute.name.name) => {
                    self.value(&attribute.value);
                }
                Entry::Attribute(_) => {}
            }
        }
    }

    /// The ids in a value that names components (`dlq: x`, `fail: [a, b]`).
    fn value(&mut self, value: &ast::Value) {
        match &value.kind {
            ValueKind::Ident(name) => self.references.push(Reference {
                name: name.clone(),
                span: value.span,
            }),
            ValueKind::List(values) => values.iter().for_each(|v| self.value(v)),
            _ => {}
        }
    }
}

/// Whether `span` is in `file` and holds `offset` (its ends included: a cursor right
/// after a name is on it).
pub fn covers(span: &Span, file: FileId, offset: usize) -> bool {
    span.file == file && (span.start as usize) <= offset && offset <= span.end as usize
}

/// Whether an attribute's values are component (or group) ids, whatever it is on.
fn names_components(attribute: &str) -> bool {
    Schema::get().attributes.iter().any(|a| {
        a.name() == attribute
            && matches!(a.shape.value_type, ValueType::Component | ValueType::Places)
    })
}
