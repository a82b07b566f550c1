//! hld: a compiler for high-level designs written as text.
//!
//! The pipeline, one module per stage (ARCHITECTURE.md):
//! [`syntax`] (text → AST) → [`load`] (imports) → [`model`] (checked design) →
//! [`analysis`] (rules) → output ([`diagnostics`], [`fmt`]). The binary (`src/main.rs`
//! and [`cli`]) only drives it.

// pest is built without `std` (see Cargo.toml); its generated parser then names `alloc`.
extern crate alloc;

pub mod analysis;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod fmt;
pub mod layout;
pub mod load;
pub mod model;
pub mod render;
pub mod source;
pub mod syntax;

use std::path::PathBuf;

use diagnostics::{Diagnostic, Severity, code};
use model::Model;
use source::{FileId, Sources, Span};

/// One design compiled: its files, its model and everything found wrong.
pub struct Compilation {
    pub sources: Sources,
    pub root: FileId,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// Imports that could not be read (missing, or refused): a watcher waits for them.
    pub unread_imports: Vec<PathBuf>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether the design compiled: no compile error. Lint findings, errors included,
    /// do not count: a design that compiles can be drawn with its findings on it.
    pub fn compiles(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.category == diagnostics::COMPILE_CATEGORY)
    }

    /// Runs the trade-off rules, when the design compiled without errors (rules on a
    /// broken model would guess), and adds their findings.
    pub fn lint(&mut self, settings: analysis::Settings) {
        if self.has_errors() {
            return;
        }
        let findings = analysis::lint(&self.model, &self.sources, settings);
        self.diagnostics.extend(findings);
        diagnostics::sort_and_dedup(&mut self.diagnostics);
    }

    /// A design whose root file could not be read at all (`io`, exit 2).
    pub fn unreadable(path: PathBuf, error: &std::io::Error) -> Compilation {
        let mut sources = Sources::default();
        let message = format!(
            "cannot read `{}`: {}",
            path.display(),
            load::io_reason(error)
        );
        let root = sources.add(path, String::new());
        let diagnostic = Diagnostic::error(code::IO, Span::new(root, 0, 0), message)
            .with_help(load::io_help(error));
        Compilation {
            sources,
            root,
            model: Model::default(),
            diagnostics: vec![diagnostic],
            unread_imports: Vec::new(),
        }
    }
}

/// Stack kept free for the recursive stages (parser, lowering, formatter, dropping
/// the AST) before they run on a fresh segment; a design nested thousands of levels
/// deep must not overflow the stack.
const RED_ZONE: usize = 8 * 1024 * 1024;
const STACK_SEGMENT: usize = 64 * 1024 * 1024;

pub(crate) fn with_deep_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, f)
}

/// Compiles a design from the bytes of its root file; imports are read from disk
/// relative to `path`.
pub fn compile(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Compilation {
    with_deep_stack(|| {
        let mut sources = Sources::default();
        let (root, root_error) = load::add_file(&mut sources, path.into(), bytes);
        let loaded = load::load(&mut sources, root, root_error);
        let (model, mut diagnostics) = model::lower(&loaded.files);
        diagnostics.extend(loaded.diagnostics);
        diagnostics::sort_and_dedup(&mut diagnostics);
        drop(loaded.files);
        Compilation {
            sources,
            root,
            model,
            diagnostics,
            unread_imports: loaded.unread,
        }
    })
}

/// Compiles a design file from disk.
pub fn compile_file(path: impl Into<PathBuf>) -> Compilation {
    let path = path.into();
    match load::read_source(&path) {
        Ok(bytes) => compile(path, bytes),
        Err(error) => Compilation::unreadable(path, &error),
    }
}
