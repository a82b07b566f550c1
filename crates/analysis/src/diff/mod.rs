//! What changed between two versions of a design (`hld diff`, docs/diff.md): the
//! elements added, removed and changed, matched by identity (a component, group, flow
//! or scenario by its id, a link by its ends), never by line, so that moving a block or
//! reformatting a file changes nothing; the findings new and fixed (matched by rule and
//! element); the estimates that moved past a threshold; the what-if outcomes that
//! changed; the cost.

mod findings;
mod numbers;
mod structure;

use hld_model::Compilation;

pub use findings::{FindingChanges, FindingRef};
pub use numbers::{Field, Moved, OutcomeChange};
pub use structure::{AttributeChange, Change, ElementKind, Elements, link_keys};

/// The share an estimate must move by to be listed, unless told otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.10;

/// Everything `hld diff` reports, OLD → NEW.
pub struct Diff {
    pub added: Elements,
    pub removed: Elements,
    pub changed: Vec<Change>,
    pub findings: FindingChanges,
    /// Worst regression first (see [`Moved::rank`]).
    pub estimates: Vec<Moved>,
    /// Regressions first.
    pub whatif: Vec<OutcomeChange>,
    /// The monthly cost in all, when both versions compile.
    pub cost: Option<(f64, f64)>,
    /// Whether both versions compiled, so that their numbers could be compared.
    pub compared: bool,
}

impl Diff {
    /// Whether NEW has an error finding OLD did not (`hld diff` exits 1).
    pub fn new_errors(&self) -> bool {
        self.findings.new.iter().any(FindingRef::is_error)
    }

    /// Whether the two versions mean the same design with the same findings and numbers.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.findings.new.is_empty()
            && self.findings.fixed.is_empty()
            && self.estimates.is_empty()
            && self.whatif.is_empty()
    }
}

/// Compares two linted compilations. `threshold` is the share an estimate must move by
/// (0.1: 10%).
pub fn diff(old: &Compilation, new: &Compilation, threshold: f64) -> Diff {
    let (added, removed, changed) = structure::compare(old, new);
    let findings = findings::compare(old, new);
    let compared = old.compiles() && new.compiles();
    let numbers = compared.then(|| numbers::compare(&old.model, &new.model, threshold));
    let (estimates, whatif, cost) = match numbers {
        Some(n) => (n.moved, n.outcomes, Some(n.cost)),
        None => (Vec::new(), Vec::new(), None),
    };
    Diff {
        added,
        removed,
        changed,
        findings,
        estimates,
        whatif,
        cost,
        compared,
    }
}

#[cfg(test)]
mod tests;
