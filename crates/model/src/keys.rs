//! The schema's names as Rust constants, generated from `data/attributes.toml` by
//! `build.rs`: `attr::REPLICAS`, `call::LEADERLESS`, `param::FAILOVER`,
//! `values::consistency::STRONG`. Code reads attributes only through these, so a name
//! that is not in the schema does not compile.

/// An attribute's name, as the schema spells it. Only the generated [`attr`] constants
/// and the schema itself make one, so every `Attr` is in the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Attr(&'static str);

impl Attr {
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The key of an attribute the schema declares (for names read from the schema).
    pub(crate) fn of_schema(name: &'static str) -> Attr {
        Attr(name)
    }
}

impl std::fmt::Display for Attr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A call parameter's name (`n` of `leaderless(n: 3, w: 2, r: 2)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Param(&'static str);

impl Param {
    pub fn name(self) -> &'static str {
        self.0
    }

    /// The key of a parameter the schema declares (for names read from the schema).
    pub(crate) fn of_schema(name: &'static str) -> Param {
        Param(name)
    }
}

impl std::fmt::Display for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A closed set of named choices: a schema enum, a call's name, an export target, a
/// render format. Its names are what users write, and what command lines accept (the
/// CLI parses every such flag through this trait, so a choice is added in one place).
pub trait Choice: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
    /// What the choice does, for `--help`.
    fn help(self) -> Option<&'static str> {
        None
    }

    /// The choice of that name, if any (a flag's value, a file's extension, a request).
    fn named(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|choice| choice.name() == name)
    }
}

/// The typed values of one enum attribute or parameter (`values::delivery::Value`),
/// generated with a variant per value the schema lists. The type names its attribute
/// or parameter (`KEY`), so a value is read as `attrs.value::<Delivery>()` and tested as
/// `attrs.is(Delivery::ExactlyOnce)`: a value cannot be looked for under another key.
pub trait SchemaValue: Sized + Copy + PartialEq {
    /// The attribute or parameter whose values these are.
    const KEY: &'static str;
    fn parse(text: &str) -> Option<Self>;
}

include!(concat!(env!("OUT_DIR"), "/keys.rs"));
