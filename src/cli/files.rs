//! Paths on the command line, and writing outputs safely.

use hld_syntax::diagnostics::shown_path;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A design named on the command line: a file, or standard input.
pub use hld_syntax::source::Origin as Input;

/// The design an argument names: `-` is standard input (the command line's convention,
/// known only here).
pub fn named(arg: &Path) -> Input {
    if arg == Path::new("-") {
        Input::Stdin
    } else {
        Input::File(arg.to_path_buf())
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
        match named(path) {
            Input::File(dir) if dir.is_dir() => {
                let mut found = Vec::new();
                collect_designs(&dir, &mut found);
                found.sort();
                inputs.extend(found.into_iter().map(Input::File));
            }
            input => inputs.push(input),
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

/// Writes `contents` to the file `path` names, so that a failed write never leaves a
/// truncated file and the file stays what it was to its other names:
/// - through symlinks: the file they point to is written, the links stay;
/// - a new file gets the usual permissions (0666 less the umask), an existing one
///   keeps its mode, and one the user may not write is not written (a rename in a
///   writable directory would replace it anyway);
/// - a file with one name is replaced by a rename of a temporary file beside it; one
///   with several (hard links) is rewritten in place, since a rename would split the
///   links (its old contents are put back if the new ones do not fit); what is no
///   regular file (`/dev/null`) is simply written.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = follow_symlinks(path)?;
    match std::fs::metadata(&target) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            replace_by_rename(&target, contents, None)
        }
        Err(error) => Err(error),
        Ok(metadata) => {
            // Fails as the user could not write it, without changing it.
            let file = open_for_writing(&target)?;
            if metadata.is_file() && link_count(&metadata) == 1 {
                drop(file);
                replace_by_rename(&target, contents, Some(metadata.permissions()))
            } else {
                rewrite_in_place(&target, file, contents, metadata.is_file())
            }
        }
    }
}

/// Opens a file to write without waiting: a named pipe that nothing reads is an error
/// at once (`hld watch` blocked for good when its output was replaced by one), and what
/// is opened writes as usual.
fn open_for_writing(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|error| {
        #[cfg(unix)]
        if error.raw_os_error() == Some(libc::ENXIO) {
            return std::io::Error::other("a named pipe that nothing reads");
        }
        error
    })?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is the open file's; F_GETFL/F_SETFL only read and set
        // its status flags.
        unsafe {
            let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

/// The path at the end of a chain of symlinks (at most 40, as the kernel allows).
fn follow_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn link_count(metadata: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(metadata)
}

#[cfg(not(unix))]
fn link_count(_: &std::fs::Metadata) -> u64 {
    1
}

fn replace_by_rename(
    path: &Path,
    contents: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(dir)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `contents` into the open `file` (opened for writing, not truncated). A
/// regular file that cannot take the new contents gets its old contents back: the
/// truncation freed their room.
fn rewrite_in_place(
    path: &Path,
    mut file: std::fs::File,
    contents: &[u8],
    regular: bool,
) -> std::io::Result<()> {
    if !regular {
        return file.write_all(contents);
    }
    let old = std::fs::read(path)?;
    let write = |file: &mut std::fs::File, bytes: &[u8]| {
        file.set_len(0)?;
        std::io::Seek::rewind(file)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write(&mut file, contents).inspect_err(|_| {
        let _ = write(&mut file, &old);
    })
}

/// Whether two paths name the same file (both exist, and are one file by device and
/// inode, whatever links lead there).
#[cfg(unix)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => file_identity(&a) == file_identity(&b),
        _ => false,
    }
}

/// Without inodes, the canonical paths (which miss hard links).
#[cfg(not(unix))]
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A file's device and inode: what stays the same whatever name reaches it.
#[cfg(unix)]
pub fn file_identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

/// Without inodes there is no identity to compare: a directory made again is not
/// noticed by `hld watch`.
#[cfg(not(unix))]
pub fn file_identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Refuses to write `output` when it is one of the files read to build the design
/// (the design, an import, its hld.toml): a drawing written over a design destroys it.
pub fn refuse_input_as_output<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), String> {
    match inputs.into_iter().find(|input| same_file(output, input)) {
        Some(input) => {
            let what = if input == output {
                format!("`{}` is", shown_path(output))
            } else {
                format!("`{}` is `{}`,", shown_path(output), shown_path(input))
            };
            Err(format!(
                "{what} an input of the design: the drawing would destroy it; choose another output with -o"
            ))
        }
        None => Ok(()),
    }
}
