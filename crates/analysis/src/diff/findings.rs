//! Findings new and fixed: matched by rule (or compile code) and element, as many times
//! as each appears, never by line or message (a moved link keeps its finding; a message
//! that quotes a figure that moved is the same finding).

use std::collections::HashMap;

use hld_model::Compilation;
use hld_syntax::diagnostics::{Diagnostic, Severity, Subject};

pub struct FindingChanges {
    /// In NEW and not in OLD, in NEW's order.
    pub new: Vec<FindingRef>,
    /// In OLD and not in NEW, in OLD's order.
    pub fixed: Vec<FindingRef>,
}

/// One finding, and where its version says it.
#[derive(Clone, Debug)]
pub struct FindingRef {
    pub code: &'static str,
    pub severity: Severity,
    /// `id` or `from->to`; none for the design or a file.
    pub element: Option<String>,
    pub message: String,
    /// `path:line` in the version that has it.
    pub location: String,
}

impl FindingRef {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn of(diagnostic: &Diagnostic, compilation: &Compilation) -> FindingRef {
        let file = compilation.sources.file(diagnostic.span.file);
        let line = file.line_column(diagnostic.span.start as usize).line;
        FindingRef {
            code: diagnostic.code,
            severity: diagnostic.severity,
            element: diagnostic.element.as_ref().map(ToString::to_string),
            message: diagnostic.message.clone(),
            location: format!("{}:{line}", file.path.display()),
        }
    }
}

type Key<'a> = (&'static str, Option<&'a Subject>);

fn key(diagnostic: &Diagnostic) -> Key<'_> {
    (diagnostic.code, diagnostic.element.as_ref())
}

pub(super) fn compare(old: &Compilation, new: &Compilation) -> FindingChanges {
    FindingChanges {
        new: unmatched(new, old),
        fixed: unmatched(old, new),
    }
}

/// The findings of `this` that `other` has fewer of (by key).
fn unmatched(this: &Compilation, other: &Compilation) -> Vec<FindingRef> {
    let mut remaining: HashMap<Key<'_>, usize> = HashMap::new();
    for diagnostic in &other.diagnostics {
        *remaining.entry(key(diagnostic)).or_default() += 1;
    }
    let mut out = Vec::new();
    for diagnostic in &this.diagnostics {
        match remaining.get_mut(&key(diagnostic)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => out.push(FindingRef::of(diagnostic, this)),
        }
    }
    out
}
