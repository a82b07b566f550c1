//! The language as specified: every example parses and models without error, and
//! `hld fmt` is idempotent and keeps the model on each of them.

use std::path::PathBuf;

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

/// The ```hld blocks of the language reference (docs/language.md) compile without a
/// diagnostic: a block of flows only belongs to the complete example that opens the page.
#[test]
fn every_example_in_the_language_reference_compiles() {
    let text = std::fs::read_to_string("docs/language.md").expect("docs/language.md");
    let blocks: Vec<&str> = text
        .split("```hld\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(
        blocks.len() >= 3,
        "the reference shows the language in hld blocks"
    );
    for (i, block) in blocks.iter().enumerate() {
        let fragment = !declares_components(block);
        let text = if fragment {
            format!("{}\n{block}", blocks[0])
        } else {
            block.to_string()
        };
        let compilation = compile(format!("docs/language.md#{i}"), text.into_bytes());
        assert_clean(&compilation, &format!("example {i} of docs/language.md"));
    }
}

/// Whether a block stands alone: it declares a client.
fn declares_components(block: &str) -> bool {
    uses_item(block, "client")
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

/// docs/attributes.md is the schema's reference as generated; `HLD_BLESS=1` rewrites it.
#[test]
fn the_attribute_reference_is_in_sync() {
    let generated = hld::model::schema::reference_markdown();
    if std::env::var_os("HLD_BLESS").is_some() {
        std::fs::write("docs/attributes.md", &generated).unwrap();
    }
    let committed = std::fs::read_to_string("docs/attributes.md").unwrap_or_default();
    assert!(
        committed == generated,
        "docs/attributes.md is stale: run `HLD_BLESS=1 cargo test --test it language::`"
    );
}
