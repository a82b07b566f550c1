//! The language as specified: every example parses and models without error, and
//! `hld fmt` is idempotent and keeps the model on each of them.

use std::path::{Path, PathBuf};

use hld::{Compilation, compile, compile_file};

fn language_examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("examples/language")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "one example per feature: {files:?}");
    files
}

fn assert_clean(compilation: &Compilation, what: &str) {
    let errors: Vec<String> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}: {} ({:?})",
                d.code,
                d.message,
                compilation.sources.file(d.span.file).path
            )
        })
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn every_language_example_compiles_without_diagnostics() {
    for path in language_examples() {
        let compilation = compile_file(&path);
        assert_clean(&compilation, &path.display().to_string());
        assert!(
            !compilation.model.components.is_empty(),
            "{path:?} declares components"
        );
    }
}

/// The ```hld blocks of the normative spec, when the spec is beside the repository
/// (it is in CI and on developers' machines).
#[test]
fn every_example_in_the_spec_compiles() {
    let spec = Path::new("../shared/spec/language.md");
    let Ok(text) = std::fs::read_to_string(spec) else {
        eprintln!("skipped: {} is not beside the repository", spec.display());
        return;
    };
    let blocks: Vec<&str> = text
        .split("```hld\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(!blocks.is_empty(), "the spec has hld examples");
    for (i, block) in blocks.iter().enumerate() {
        let what = format!("example {i} of language.md");
        // A flow or scenario example is a fragment of the first example's design.
        let fragment = uses_item(block, "flow") || uses_item(block, "scenario");
        let text = if fragment {
            format!("{}\n{block}", blocks[0])
        } else {
            block.to_string()
        };
        let compilation = compile(format!("language.md#{i}"), text.into_bytes());
        if fragment {
            assert_only_spec_mismatches(&compilation, &what, block);
        } else {
            assert_clean(&compilation, &what);
        }
    }
}

/// The spec's flow example walks `users -> front -> edge`, while its design declares
/// `users -> edge -> front`: those steps are `unknown-link` here, as they are for any
/// user who copies it; its scenario example names regions and zones (`us`, `eu`,
/// `us_a`) of a design it does not show (both noted on issue 14). Nothing else may be
/// reported.
fn assert_only_spec_mismatches(compilation: &Compilation, what: &str, block: &str) {
    let tolerated = |code: &str| {
        code == "unknown-link" || (code == "unknown-component" && uses_item(block, "scenario"))
    };
    let others: Vec<&String> = compilation
        .diagnostics
        .iter()
        .filter(|d| !tolerated(d.code))
        .map(|d| &d.message)
        .collect();
    assert!(others.is_empty(), "{what}: {others:#?}");
}

fn uses_item(block: &str, kind: &str) -> bool {
    block.lines().any(|line| {
        line.trim_start()
            .strip_prefix(kind)
            .is_some_and(|rest| rest.starts_with(' '))
    })
}

#[test]
fn fmt_is_idempotent_and_keeps_the_model() {
    for path in language_examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let once = hld::fmt::format_text(&text).unwrap();
        let twice = hld::fmt::format_text(&once).unwrap();
        assert_eq!(once, twice, "{path:?}: formatting twice changes the text");
        let before = compile(&path, text.into_bytes());
        let after = compile(&path, once.into_bytes());
        assert_eq!(
            crate::common::model_summary(&before.model),
            crate::common::model_summary(&after.model),
            "{path:?}: formatting changed the model"
        );
    }
}

#[test]
fn the_examples_are_formatted() {
    for path in language_examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            hld::fmt::format_text(&text).unwrap(),
            text,
            "{path:?}: run `hld fmt examples`"
        );
    }
}
