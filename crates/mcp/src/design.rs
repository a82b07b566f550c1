//! A tool's design: `{"text": "...", "files": {"lib/x.hld": "..."}}` (the text, and the
//! files its imports name, resolved among themselves) or `{"path": "designs/x.hld"}`, a
//! file inside the workspace the server was started in; its imports are read from disk
//! and must stay inside the workspace too.

use std::io;
use std::path::{Path, PathBuf};

use hld_analysis::{Lint, Settings};
use hld_model::Compilation;
use hld_syntax::load::{FileSystem, MAX_SOURCE_BYTES, Memory, read_source};
use hld_syntax::source::Origin;
use serde_json::{Map, Value};

/// The name a design given as text is shown by.
const TEXT_NAME: &str = "design.hld";

/// The directory the server serves, and nothing above it.
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    pub fn new(root: &Path) -> Workspace {
        Workspace {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// `path` (relative to the workspace, or absolute) resolved, if it is inside.
    fn inside(&self, path: &Path) -> io::Result<PathBuf> {
        let resolved = self.root.join(path).canonicalize()?;
        if resolved.starts_with(&self.root) {
            Ok(resolved)
        } else {
            // `Other`, so that the reason is said as it is (not "permission denied").
            Err(io::Error::other(format!(
                "`{}` is outside the workspace `{}`",
                path.display(),
                self.root.display()
            )))
        }
    }
}

impl FileSystem for Workspace {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        read_source(&self.inside(path)?)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        self.root
            .join(path)
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// The design the arguments name, compiled and linted (default levels), or why there
/// is none to compile.
pub fn compiled(
    arguments: &Map<String, Value>,
    workspace: &Workspace,
) -> Result<Compilation, String> {
    let mut compilation = match (arguments.get("text"), arguments.get("path")) {
        (Some(Value::String(text)), None) => {
            // The limit every source has (the files are held to it as they are read).
            if text.len() as u64 > MAX_SOURCE_BYTES {
                return Err(format!(
                    "the design's text is larger than {} MiB: refused",
                    MAX_SOURCE_BYTES >> 20
                ));
            }
            let mut files = vec![(TEXT_NAME.to_string(), text.clone())];
            match arguments.get("files") {
                None => {}
                Some(Value::Object(named)) => {
                    for (name, text) in named {
                        let text = text.as_str().ok_or_else(|| {
                            format!("`files.{name}` must be the file's text, a string")
                        })?;
                        files.push((name.clone(), text.to_string()));
                    }
                }
                Some(_) => return Err("`files` must map file names to their text".into()),
            }
            let memory = Memory::new(files);
            hld_analysis::compile_in(
                &memory,
                Origin::File(TEXT_NAME.into()),
                text.clone().into_bytes(),
            )
        }
        (None, Some(Value::String(path))) => {
            let bytes = workspace.read(Path::new(path)).map_err(|e| {
                format!("cannot read `{path}`: {}", hld_syntax::load::io_reason(&e))
            })?;
            hld_analysis::compile_in(workspace, Origin::File(path.into()), bytes)
        }
        (Some(_), Some(_)) => return Err("give the design as `text` or as `path`, not both".into()),
        _ => {
            return Err(
                "give the design as `text` (with `files` for its imports) or as `path`, a file in the workspace"
                    .into(),
            );
        }
    };
    compilation.lint(Settings::default());
    Ok(compilation)
}
