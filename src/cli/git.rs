//! A design as it was at a git revision (`hld diff REV:path`): the file and its
//! imports read with `git cat-file`, never from the working tree. Paths are git's: from
//! the repository's top (`HEAD:designs/shop.hld`), or from the working directory when
//! they start with `./` or `../` (`HEAD:./shop.hld`).

use std::path::{Path, PathBuf};
use std::process::Command;

use hld_syntax::load::{FileSystem, MAX_SOURCE_BYTES, normalized};

/// The files of one revision of the repository around the working directory.
pub struct Revision {
    toplevel: PathBuf,
    rev: String,
    /// What every path read from this revision starts with: `REV:`.
    prefix: String,
}

/// `git ARGS` in `dir`: its standard output, or what it said went wrong.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

fn line(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

impl Revision {
    /// The revision `rev` of the repository the working directory is in.
    pub fn open(rev: &str) -> Result<Revision, String> {
        let here = Path::new(".");
        let toplevel = git(here, &["rev-parse", "--show-toplevel"]).map_err(|_| {
            format!("`{rev}:...` reads a design from git, but the working directory is not inside a git repository")
        })?;
        let commit = format!("{rev}^{{commit}}");
        git(here, &["rev-parse", "--verify", "--quiet", &commit])
            .map_err(|_| format!("the repository has no revision `{rev}`"))?;
        Ok(Revision {
            toplevel: PathBuf::from(line(toplevel)),
            rev: rev.to_string(),
            prefix: format!("{rev}:"),
        })
    }

    /// The origin of the design at `path` in this revision, as it is shown and as its
    /// imports resolve: `REV:designs/shop.hld`.
    pub fn origin(&self, path: &str) -> Result<PathBuf, String> {
        let relative = if path.starts_with("./") || path.starts_with("../") {
            let prefix = line(git(Path::new("."), &["rev-parse", "--show-prefix"])?);
            normalized(&Path::new(&prefix).join(path))
        } else {
            normalized(Path::new(path))
        };
        // A file at the top keeps a directory of its own, so that its imports keep
        // the revision in their paths.
        let shown = if relative.parent().is_some_and(|p| p.as_os_str().is_empty()) {
            Path::new(".").join(&relative)
        } else {
            relative
        };
        Ok(PathBuf::from(format!("{}{}", self.prefix, shown.display())))
    }

    /// The path inside the repository that an origin of this revision names.
    fn inside(&self, path: &Path) -> std::io::Result<PathBuf> {
        let text = path.to_string_lossy();
        let inside = text.strip_prefix(&self.prefix).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("not a file of revision `{}`", self.rev),
            )
        })?;
        Ok(normalized(Path::new(inside)))
    }
}

impl FileSystem for Revision {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let inside = self.inside(path)?;
        let object = format!("{}:{}", self.rev, inside.to_string_lossy());
        let size = git(&self.toplevel, &["cat-file", "-s", &object]).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no file `{}` at revision `{}`", inside.display(), self.rev),
            )
        })?;
        if line(size).parse::<u64>().unwrap_or(u64::MAX) > MAX_SOURCE_BYTES {
            return Err(std::io::Error::other(format!(
                "larger than {} MiB",
                MAX_SOURCE_BYTES >> 20
            )));
        }
        git(&self.toplevel, &["cat-file", "blob", &object]).map_err(std::io::Error::other)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        match self.inside(path) {
            Ok(inside) => PathBuf::from(format!("{}{}", self.prefix, inside.display())),
            Err(_) => path.to_path_buf(),
        }
    }
}
