//! The open documents and what hld makes of them. A design is compiled with the
//! editor's text for every open file (an import of an open file reads the buffer, not
//! the disk) and linted with the levels of its nearest `hld.toml`; the result is kept
//! until any document changes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hld_analysis::config;
use hld_analysis::{Lint, Settings};
use hld_model::Compilation;
use hld_syntax::load::{Disk, FileSystem};
use hld_syntax::source::{FileId, Origin};

use crate::index::Index;
use crate::position::Encoding;
use crate::uri;

pub struct Document {
    pub text: String,
    pub version: i32,
}

/// One design compiled, with its symbols (read when first asked for: diagnostics do
/// not need them, and they cost a second parse).
pub struct Analysis {
    pub compilation: Compilation,
    index: std::cell::OnceCell<Index>,
}

impl Analysis {
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(&self.compilation))
    }

    /// The file of `path` among the design's sources.
    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        self.compilation
            .sources
            .iter()
            .enumerate()
            .find(|(_, f)| f.path == path)
            .map(|(i, _)| FileId(i as u32))
    }

    pub fn path_of(&self, file: FileId) -> &Path {
        &self.compilation.sources.file(file).path
    }

    /// The URI the client knows a file of the design by (its path made absolute).
    pub fn uri_of(&self, file: FileId) -> lsp_types::Uri {
        let path = self.path_of(file);
        uri::from_path(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

pub struct World {
    pub documents: BTreeMap<PathBuf, Document>,
    pub encoding: Encoding,
    analyses: RefCell<BTreeMap<PathBuf, Rc<Analysis>>>,
}

impl World {
    pub fn new(encoding: Encoding) -> World {
        World {
            documents: BTreeMap::new(),
            encoding,
            analyses: RefCell::new(BTreeMap::new()),
        }
    }

    /// A document opened or changed: every analysis may read it (imports), so all go.
    pub fn set(&mut self, path: PathBuf, text: String, version: i32) {
        self.documents.insert(path, Document { text, version });
        self.analyses.borrow_mut().clear();
    }

    pub fn close(&mut self, path: &Path) {
        self.documents.remove(path);
        self.analyses.borrow_mut().clear();
    }

    /// The design whose root is the open document at `path`.
    pub fn analysis(&self, path: &Path) -> Option<Rc<Analysis>> {
        if let Some(analysis) = self.analyses.borrow().get(path) {
            return Some(analysis.clone());
        }
        let document = self.documents.get(path)?;
        let files = Overlay(&self.documents);
        let origin = Origin::File(path.to_path_buf());
        let config = config::discover(&origin).map(|p| config::load(&p));
        let mut compilation =
            hld_analysis::compile_in(&files, origin, document.text.clone().into_bytes());
        compilation.lint(Settings {
            config: config.as_ref().and_then(|c| c.config.as_ref()),
            deny_warnings: false,
            deny_single_failures: false,
        });
        let analysis = Rc::new(Analysis {
            compilation,
            index: std::cell::OnceCell::new(),
        });
        self.analyses
            .borrow_mut()
            .insert(path.to_path_buf(), analysis.clone());
        Some(analysis)
    }

    /// The open documents whose designs read `path` (itself included).
    pub fn readers_of(&self, path: &Path) -> Vec<PathBuf> {
        let open: Vec<PathBuf> = self.documents.keys().cloned().collect();
        open.into_iter()
            .filter(|root| {
                self.analysis(root)
                    .is_some_and(|a| a.file_of(path).is_some())
            })
            .collect()
    }
}

/// The disk, with the editor's buffers over it.
struct Overlay<'a>(&'a BTreeMap<PathBuf, Document>);

impl FileSystem for Overlay<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self
            .0
            .get(&Disk.canonical(path))
            .or_else(|| self.0.get(path))
        {
            Some(document) => Ok(document.text.clone().into_bytes()),
            None => Disk.read(path),
        }
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        Disk.canonical(path)
    }
}
