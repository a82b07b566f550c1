//! The typed syntax tree of one `.hld` file. Every node keeps its span; nothing here
//! knows what a kind or an attribute means (that is the model's job).

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub annotations: Vec<Annotation>,
    pub kind: ItemKind,
    /// The item itself, without its annotations.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Design(Design),
    Import(Import),
    Declaration(Declaration),
    Link(Link),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// `@name(arg, ...)`: a rule or category name, or a string.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub name: Ident,
    pub args: Vec<AnnotationArg>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnnotationArg {
    Name(Ident),
    Str(Str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub title: Str,
    pub body: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: Str,
}

/// `keyword id ["Label"] [{ ... }]`: a component, or a `region`/`zone`/`group`.
#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    pub keyword: Ident,
    pub id: Ident,
    pub label: Option<Str>,
    pub body: Option<Block>,
}

/// `a -> b <-> c ["Label"] [{ ... }]`: one link per hop, sharing label and attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub first: Ident,
    pub hops: Vec<Hop>,
    pub label: Option<Str>,
    pub body: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub bidirectional: bool,
    pub arrow: Span,
    pub to: Ident,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Attribute(Attribute),
    Item(Item),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: Ident,
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// A bare word: an enum value, `true`/`false`, a component id, a field name.
    Ident(String),
    Str(String),
    /// A number with the unit written against it, both as typed (`100M`, `10k/s`).
    Quantity(Quantity),
    Range(Quantity, Quantity),
    List(Vec<Value>),
    Call(Call),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// Written with `$` in front: an amount of money.
    pub money: bool,
    /// The digits as written, e.g. `1.5`.
    pub number: String,
    /// The unit as written, possibly empty, e.g. `k/s`.
    pub unit: String,
}

impl Quantity {
    pub fn value(&self) -> f64 {
        // The grammar admits only `digits[.digits]`, which always parses.
        self.number.parse().unwrap_or(f64::NAN)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let currency = if self.money { "$" } else { "" };
        write!(f, "{currency}{}{}", self.number, self.unit)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Argument>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    pub name: Option<Ident>,
    pub value: Value,
}
