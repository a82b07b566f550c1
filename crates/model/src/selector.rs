//! The names `@allow` and `hld.toml` may write: a rule's name or a category. The rules
//! themselves live in the analysis; it hands the model their [`Catalogue`], so the
//! model can check an `@allow` without depending on the stage after it.

use hld_syntax::diagnostics::{Diagnostic, code, suggestion_help};
use hld_syntax::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Availability,
    Consistency,
    Caching,
    Data,
    Messaging,
    Communication,
    Resilience,
    Capacity,
    Cost,
    Security,
    Operability,
    Meta,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Availability,
        Category::Consistency,
        Category::Caching,
        Category::Data,
        Category::Messaging,
        Category::Communication,
        Category::Resilience,
        Category::Capacity,
        Category::Cost,
        Category::Security,
        Category::Operability,
        Category::Meta,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Availability => "availability",
            Category::Consistency => "consistency",
            Category::Caching => "caching",
            Category::Data => "data",
            Category::Messaging => "messaging",
            Category::Communication => "communication",
            Category::Resilience => "resilience",
            Category::Capacity => "capacity",
            Category::Cost => "cost",
            Category::Security => "security",
            Category::Operability => "operability",
            Category::Meta => "meta",
        }
    }
}

/// A rule name or a category, as `@allow` and `hld.toml` write them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    Category(Category),
    Rule(&'static str),
}

impl Selector {
    /// Whether this selector names the rule `name` of `category`.
    pub fn matches(self, name: &str, category: Category) -> bool {
        match self {
            Selector::Category(c) => c == category,
            Selector::Rule(rule) => rule == name,
        }
    }
}

/// Every rule's name with its category.
#[derive(Clone, Copy, Debug, Default)]
pub struct Catalogue {
    pub rules: &'static [(&'static str, Category)],
}

impl Catalogue {
    pub fn selector(self, name: &str) -> Option<Selector> {
        if let Some(category) = Category::ALL.into_iter().find(|c| c.as_str() == name) {
            return Some(Selector::Category(category));
        }
        self.rules
            .iter()
            .find(|(rule, _)| *rule == name)
            .map(|(rule, _)| Selector::Rule(rule))
    }

    /// Every rule and category name, for suggestions.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.rules
            .iter()
            .map(|(rule, _)| *rule)
            .chain(Category::ALL.iter().map(|c| c.as_str()))
    }

    /// `unknown-rule` for a name that is neither a rule nor a category.
    pub fn unknown(self, name: &str, span: Span) -> Diagnostic {
        let help = suggestion_help(name, self.names())
            .unwrap_or_else(|| "`hld rules` lists every rule and category".to_string());
        Diagnostic::error(
            code::UNKNOWN_RULE,
            span,
            format!("`{name}` is neither a rule nor a category"),
        )
        .with_label("unknown rule")
        .with_help(help)
    }
}
