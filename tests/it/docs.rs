//! The documentation stands alone: every relative link in README.md, ARCHITECTURE.md,
//! BENCHMARKS.md and docs/ names a file inside the repository (a user's clone has
//! nothing beside it). Web links (`https://…`, further reading) are left alone. The
//! README's Mermaid block is the export it says it is.

use std::path::{Component, Path, PathBuf};

fn documents() -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "BENCHMARKS.md"]
        .into_iter()
        .map(PathBuf::from)
        .collect();
    for entry in std::fs::read_dir("docs").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    documents.sort();
    documents
}

/// The targets of `[text](target)` links.
fn link_targets(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

/// Whether `path`, read lexically, climbs out of the repository (or is absolute).
fn leaves_the_repository(path: &Path) -> bool {
    let mut depth = 0i32;
    for component in path.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::RootDir | Component::Prefix(_) => return true,
            Component::CurDir => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[test]
fn every_relative_link_stays_in_the_repository_and_resolves() {
    let mut broken = Vec::new();
    for document in documents() {
        let text = std::fs::read_to_string(&document).unwrap();
        let dir = document.parent().unwrap_or(Path::new(""));
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let path = dir.join(file);
            if leaves_the_repository(&path) || !path.exists() {
                broken.push(format!("{}: {target}", document.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links outside the repository or to nothing: {broken:#?}"
    );
}

/// The README's Mermaid block is what `hld export --to mermaid` writes today.
#[test]
fn the_readme_s_mermaid_block_is_the_current_export() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows a Mermaid block");
    let output = crate::common::hld(
        &["export", "designs/rate-limiter.hld", "--to", "mermaid"],
        root,
    );
    assert_eq!(
        block,
        String::from_utf8(output.stdout).unwrap(),
        "refresh the README's block: hld export designs/rate-limiter.hld --to mermaid"
    );
}
