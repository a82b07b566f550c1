//! Paths on the command line, and writing outputs safely.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A design named on the command line: a file, or `-` for standard input.
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn display_path(&self) -> PathBuf {
        match self {
            Input::File(path) => path.clone(),
            Input::Stdin => PathBuf::from("-"),
        }
    }

    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Input::File(path) => crate::load::read_source(path),
            Input::Stdin => crate::load::read_limited(std::io::stdin().lock()),
        }
    }
}

/// Expands the paths given: directories to every `*.hld` below them (sorted, so
/// output is deterministic), `-` to standard input; no path means the current
/// directory. A path that does not exist is kept, to be reported when read.
pub fn expand(paths: &[PathBuf]) -> Vec<Input> {
    if paths.is_empty() {
        return expand(&[PathBuf::from(".")]);
    }
    let mut inputs = Vec::new();
    for path in paths {
        if path == Path::new("-") {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let mut found = Vec::new();
            collect_designs(path, &mut found);
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    inputs
}

fn collect_designs(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden && path.file_name().is_none_or(|n| n != "target") {
                collect_designs(&path, found);
            }
        } else if path.extension().is_some_and(|e| e == "hld") {
            found.push(path);
        }
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory and a
/// rename, so a failed write never leaves a truncated file behind.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A new file gets the usual permissions (0666 less the umask), not the 0600 of a
    // temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(dir)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = std::fs::metadata(path) {
        temporary
            .as_file()
            .set_permissions(metadata.permissions())?;
    }
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}
