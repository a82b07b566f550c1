//! Reading a design: the root file and, transitively, every file it imports.
//! Imports are relative to the importing file; a file imported twice is read once;
//! a cycle or a file that cannot be read is an `import` error at the import.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, code, shown_path};
use crate::source::{FileId, Origin, Sources, Span};
use crate::{ast, parse};

/// The parsed files of one design, the root first, and what went wrong reading them.
pub struct Loaded {
    pub files: Vec<(FileId, ast::File)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The paths of imports that could not be read.
    pub unread: Vec<PathBuf>,
}

/// Adds a file's bytes to `sources`. Text that is not UTF-8 is kept (lossily, for
/// display) with a `syntax` error at the first bad byte, and is not parsed.
pub fn add_file(
    sources: &mut Sources,
    origin: Origin,
    bytes: Vec<u8>,
) -> (FileId, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // A byte-order mark is blanked rather than removed so offsets stay true.
                text.replace_range(..3, "   ");
            }
            (sources.add(origin, text), None)
        }
        Err(error) => {
            let bad = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let id = sources.add(origin, text);
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

/// Where a design's imports are read from: the disk for the command line, a map of
/// names to texts for the playground.
pub trait FileSystem {
    /// A source's bytes, within the limits every source has.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// One name for a file however a path reaches it (symlinks, `..`), so that a file
    /// imported by two names is read once and a cycle is seen.
    fn canonical(&self, path: &Path) -> PathBuf;
}

/// The files on disk, read by [`read_source`].
pub struct Disk;

impl FileSystem for Disk {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        read_source(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Files held in memory by name (`design.hld`, `lib/shared.hld`); `.` and `..` in an
/// import resolve by name alone.
#[derive(Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, String>,
}

impl Memory {
    pub fn new(files: impl IntoIterator<Item = (String, String)>) -> Memory {
        Memory {
            files: files
                .into_iter()
                .map(|(name, text)| (normalized(Path::new(&name)), text))
                .collect(),
        }
    }
}

impl FileSystem for Memory {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let text = self.files.get(&normalized(path));
        let text = text.ok_or(std::io::ErrorKind::NotFound)?;
        if text.len() as u64 > MAX_SOURCE_BYTES {
            return Err(std::io::Error::other(Refused::TooLarge));
        }
        Ok(text.clone().into_bytes())
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        normalized(path)
    }
}

/// `path` with `.` dropped and each `..` taking away the name before it.
pub fn normalized(path: &Path) -> PathBuf {
    let mut names: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(name) => names.push(name),
            Component::ParentDir => {
                names.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    names.iter().collect()
}

pub fn load(
    sources: &mut Sources,
    root: FileId,
    root_error: Option<Diagnostic>,
    files: &dyn FileSystem,
) -> Loaded {
    let mut loader = Loader {
        files,
        sources,
        loaded: Loaded {
            files: Vec::new(),
            diagnostics: Vec::new(),
            unread: Vec::new(),
        },
        visited: HashSet::new(),
        on_stack: HashMap::new(),
    };
    match root_error {
        Some(error) => loader.loaded.diagnostics.push(error),
        None => loader.visit(root, &mut Vec::new()),
    }
    loader.loaded
}

struct Loader<'a> {
    files: &'a dyn FileSystem,
    sources: &'a mut Sources,
    loaded: Loaded,
    /// Canonical paths of the files read, for imports of the same file by other names.
    visited: HashSet<PathBuf>,
    /// The canonical paths of the chain of importing files, with their place in it:
    /// cycles are found in constant time (a chain of thousands of imports was quadratic).
    on_stack: HashMap<PathBuf, usize>,
}

impl Loader<'_> {
    /// Parses `file` and the files it imports, depth first. `stack` holds the chain of
    /// importing files, for cycle detection.
    fn visit(&mut self, file: FileId, stack: &mut Vec<FileId>) {
        let (ast, diagnostics) = parse(file, &self.sources.file(file).text);
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
        let canonical = self.canonical(file);
        self.on_stack.insert(canonical.clone(), stack.len());
        stack.push(file);
        for path in imports {
            self.import(file, &path, stack);
        }
        stack.pop();
        self.on_stack.remove(&canonical);
    }

    fn import(&mut self, from: FileId, path: &ast::Str, stack: &mut Vec<FileId>) {
        let resolved = self.sources.file(from).origin.directory().join(&path.value);
        let canonical = self.files.canonical(&resolved);
        if let Some(&cycle_start) = self.on_stack.get(&canonical) {
            let chain: Vec<String> = stack[cycle_start..]
                .iter()
                .map(|f| shown_path(&self.sources.file(*f).path))
                .chain(std::iter::once(shown_path(&resolved)))
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
        let bytes = match self.files.read(&resolved) {
            Ok(bytes) => bytes,
            Err(error) => {
                // A path that exists but is no source (a FIFO, a device, too large) is
                // an `io` error, as for a file named on the command line.
                let code = if is_refused(&error) {
                    code::IO
                } else {
                    code::IMPORT
                };
                self.loaded.diagnostics.push(
                    Diagnostic::error(
                        code,
                        path.span,
                        format!(
                            "cannot read `{}`: {}",
                            shown_path(&resolved),
                            io_reason(&error)
                        ),
                    )
                    .with_label("imported here")
                    .with_help(if code == code::IO {
                        io_help(&error)
                    } else {
                        "import paths are relative to the importing file"
                    }),
                );
                self.loaded.unread.push(resolved);
                return;
            }
        };
        self.visited.insert(canonical);
        let (file, error) = add_file(self.sources, Origin::File(resolved), bytes);
        match error {
            Some(error) => self.loaded.diagnostics.push(error),
            None => self.visit(file, stack),
        }
    }

    fn canonical(&self, file: FileId) -> PathBuf {
        self.files.canonical(&self.sources.file(file).path)
    }
}

/// The bytes of a design's root: its file, or standard input (both through the same
/// limits as every other source).
pub fn read_origin(origin: &Origin) -> std::io::Result<Vec<u8>> {
    match origin {
        Origin::File(path) => read_source(path),
        Origin::Stdin => read_limited(std::io::stdin().lock()),
    }
}

/// The largest source file read (a design, an import, a configuration): far above any
/// design, far below what would exhaust memory (`import "/dev/zero"`).
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// Why a path was not read although it could be opened.
#[derive(Debug)]
enum Refused {
    NotRegular,
    TooLarge,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotRegular => f.write_str("not a regular file (a FIFO, device or socket)"),
            Refused::TooLarge => write!(f, "larger than {} MiB", MAX_SOURCE_BYTES >> 20),
        }
    }
}

impl std::error::Error for Refused {}

/// Reads a source file: only a regular file (a FIFO would block the run, a device
/// never end), of at most [`MAX_SOURCE_BYTES`]. The file is opened without blocking
/// and checked once open, so one swapped in meanwhile is refused as well.
pub fn read_source(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(std::io::ErrorKind::IsADirectory.into());
    }
    if !metadata.is_file() {
        return Err(std::io::Error::other(Refused::NotRegular));
    }
    if metadata.len() > MAX_SOURCE_BYTES {
        return Err(std::io::Error::other(Refused::TooLarge));
    }
    read_limited(file)
}

/// What to do about a file that could not be read.
pub fn io_help(error: &std::io::Error) -> &'static str {
    if is_refused(error) {
        "name a regular `.hld` file of at most 64 MiB"
    } else {
        "check the path and its permissions"
    }
}

/// Whether [`read_source`] refused what it opened (not a regular file, too large).
fn is_refused(error: &std::io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<Refused>())
}

/// Reads at most [`MAX_SOURCE_BYTES`] (stdin, or a file that grows while read).
pub fn read_limited(reader: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader.take(MAX_SOURCE_BYTES + 1), &mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(std::io::Error::other(Refused::TooLarge));
    }
    Ok(bytes)
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
