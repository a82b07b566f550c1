//! One design compiled: read, parsed with its imports, lowered to a [`Model`].

use std::path::PathBuf;

use hld_syntax::diagnostics::{self, COMPILE_CATEGORY, Diagnostic, Severity, code};
use hld_syntax::load;
use hld_syntax::source::{FileId, Origin, Sources, Span};

use crate::Model;
use crate::selector::Catalogue;

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
            .any(|d| d.severity == Severity::Error && d.category == COMPILE_CATEGORY)
    }

    /// A design whose root file could not be read at all (`io`, exit 2).
    pub fn unreadable(origin: Origin, error: &std::io::Error) -> Compilation {
        let mut sources = Sources::default();
        let message = format!(
            "cannot read `{}`: {}",
            hld_syntax::diagnostics::shown_path(&origin.display_path()),
            load::io_reason(error)
        );
        let root = sources.add(origin, String::new());
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

/// Compiles a design from the bytes of its root file; imports are read from `files`
/// relative to the importing file; `@allow` may name what `catalogue` holds.
pub fn compile(
    files: &dyn load::FileSystem,
    origin: Origin,
    bytes: Vec<u8>,
    catalogue: Catalogue,
) -> Compilation {
    hld_syntax::with_deep_stack(|| {
        let mut sources = Sources::default();
        let (root, root_error) = load::add_file(&mut sources, origin, bytes);
        let loaded = load::load(&mut sources, root, root_error, files);
        let (model, mut diagnostics) = crate::lower(&loaded.files, catalogue);
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
