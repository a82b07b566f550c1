//! Reading a design: the root file and, transitively, every file it imports.
//! Imports are relative to the importing file; a file imported twice is read once;
//! a cycle or a file that cannot be read is an `import` error at the import.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, code};
use crate::source::{FileId, Sources, Span};
use crate::syntax::{self, ast};

/// The parsed files of one design, the root first, and what went wrong reading them.
pub struct Loaded {
    pub files: Vec<(FileId, ast::File)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Adds a file's bytes to `sources`. Text that is not UTF-8 is kept (lossily, for
/// display) with a `syntax` error at the first bad byte, and is not parsed.
pub fn add_file(
    sources: &mut Sources,
    path: PathBuf,
    bytes: Vec<u8>,
) -> (FileId, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A byte-order mark is blanked rather than removed so offsets stay true.
                text.replace_range(..3, "   ");
            }
            (sources.add(path, text), None)
        }
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let id = sources.add(path, text);
            let diagnostic = Diagnostic::error(
                code::SYNTAX,
                Span::new(id, bad, bad),
                "this file is not valid UTF-8",
            )
            .with_label("first byte that is not UTF-8")
            .with_help("save the file as UTF-8");
            (id, Some(diagnostic))
        }
    }
}

pub fn load(sources: &mut Sources, root: FileId, root_error: Option<Diagnostic>) -> Loaded {
    let mut loader = Loader {
        sources,
        loaded: Loaded {
            files: Vec::new(),
            diagnostics: Vec::new(),
        },
        visited: Vec::new(),
    };
    match root_error {
        Some(error) => loader.loaded.diagnostics.push(error),
        None => loader.visit(root, &mut Vec::new()),
    }
    loader.loaded
}

struct Loader<'a> {
    sources: &'a mut Sources,
    loaded: Loaded,
    /// Canonical paths of the files read, for imports of the same file by other names.
    visited: Vec<PathBuf>,
}

impl Loader<'_> {
    /// Parses `file` and the files it imports, depth first. `stack` holds the chain of
    /// importing files, for cycle detection.
    fn visit(&mut self, file: FileId, stack: &mut Vec<FileId>) {
        let (ast, diagnostics) = syntax::parse(file, &self.sources.file(file).text);
        self.loaded.diagnostics.extend(diagnostics);
        let imports: Vec<ast::Str> = ast
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ast::ItemKind::Import(import) => Some(import.path.clone()),
                _ => None,
            })
            .collect();
        self.loaded.files.push((file, ast));
        stack.push(file);
        for path in imports {
            self.import(file, &path, stack);
        }
        stack.pop();
    }

    fn import(&mut self, from: FileId, path: &ast::Str, stack: &mut Vec<FileId>) {
        let resolved = resolve(&self.sources.file(from).path, &path.value);
        let canonical = resolved.canonicalize().unwrap_or_else(|_| resolved.clone());
        if let Some(cycle_start) = stack.iter().position(|f| self.canonical(*f) == canonical) {
            let chain: Vec<String> = stack[cycle_start..]
                .iter()
                .map(|f| self.sources.file(*f).path.display().to_string())
                .chain(std::iter::once(resolved.display().to_string()))
                .collect();
            self.loaded.diagnostics.push(
                Diagnostic::error(
                    code::IMPORT,
                    path.span,
                    format!("import cycle: {}", chain.join(" → ")),
                )
                .with_label("imports a file that imports this one")
                .with_help("move what both files need into a third file that imports neither"),
            );
            return;
        }
        if self.visited.contains(&canonical) {
            return;
        }
        let bytes = match std::fs::read(&resolved) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.loaded.diagnostics.push(
                    Diagnostic::error(
                        code::IMPORT,
                        path.span,
                        format!(
                            "cannot read `{}`: {}",
                            resolved.display(),
                            io_reason(&error)
                        ),
                    )
                    .with_label("imported here")
                    .with_help("import paths are relative to the importing file"),
                );
                return;
            }
        };
        self.visited.push(canonical);
        let (file, error) = add_file(self.sources, resolved, bytes);
        match error {
            Some(error) => self.loaded.diagnostics.push(error),
            None => self.visit(file, stack),
        }
    }

    fn canonical(&self, file: FileId) -> PathBuf {
        let path = &self.sources.file(file).path;
        path.canonicalize().unwrap_or_else(|_| path.clone())
    }
}

/// `path` relative to the directory of `importer` (the working directory for stdin).
fn resolve(importer: &Path, path: &str) -> PathBuf {
    let base = match importer.parent() {
        Some(dir) if importer != Path::new("-") => dir.to_path_buf(),
        _ => PathBuf::new(),
    };
    base.join(path)
}

/// An I/O error in words, without the OS error number.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_string(),
        _ => error.to_string(),
    }
}
