//! The language as specified: every example parses and models without error, and
//! `hld fmt` is idempotent and keeps the model on each of them.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use hld::model::Model;
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
        let compilation = compile(format!("language.md#{i}"), block.as_bytes().to_vec());
        assert_clean(&compilation, &format!("example {i} of language.md"));
    }
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
            summary(&before.model),
            summary(&after.model),
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

/// The model without spans: what a design means, not where it was written.
fn summary(model: &Model) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "title {:?} header {:?}",
        model.title,
        attrs(&model.header)
    )
    .unwrap();
    for c in &model.components {
        let group = c.group.map(|g| &model.groups[g].id);
        writeln!(
            out,
            "{} {} {:?} in {group:?} {:?}",
            c.kind,
            c.id,
            c.label,
            attrs(&c.attrs)
        )
        .unwrap();
    }
    for l in &model.links {
        let (from, to) = (&model.component(l.from).id, &model.component(l.to).id);
        writeln!(
            out,
            "{from} -> {to} ({}) {:?} {:?}",
            l.bidirectional,
            l.label,
            attrs(&l.attrs)
        )
        .unwrap();
    }
    for g in &model.groups {
        let parent = g.parent.map(|p| &model.groups[p].id);
        writeln!(
            out,
            "{:?} {} {:?} in {parent:?} {:?}",
            g.kind,
            g.id,
            g.label,
            attrs(&g.attrs)
        )
        .unwrap();
    }
    for a in &model.allows {
        let rules: Vec<&str> = a.rules.iter().map(|(r, _)| r.as_str()).collect();
        writeln!(out, "allow {rules:?} {:?} {:?}", a.reason, a.target).unwrap();
    }
    out
}

fn attrs(attributes: &hld::model::Attributes) -> Vec<String> {
    attributes
        .iter()
        .map(|e| format!("{}={:?}", e.name, e.value))
        .collect()
}
