//! The pipeline's order, as the crates' manifests state it: each stage depends only on
//! the stages before it (cargo then refuses any `use` of a later one), and the layout
//! on no other hld crate. ARCHITECTURE.md draws the same graph.

/// Each crate and the hld crates it may depend on.
const ALLOWED: &[(&str, &[&str])] = &[
    ("syntax", &[]),
    ("model", &["hld-syntax"]),
    ("analysis", &["hld-syntax", "hld-model"]),
    ("layout", &[]),
    (
        "render",
        &["hld-syntax", "hld-model", "hld-analysis", "hld-layout"],
    ),
    (
        "output",
        &[
            "hld-syntax",
            "hld-model",
            "hld-analysis",
            "hld-layout",
            "hld-render",
        ],
    ),
    (
        "lsp",
        &["hld-syntax", "hld-model", "hld-analysis", "hld-render"],
    ),
    // A front end: the JSON-RPC reading it shares with the language server.
    (
        "mcp",
        &[
            "hld-syntax",
            "hld-model",
            "hld-analysis",
            "hld-render",
            "hld-output",
            "hld-lsp",
        ],
    ),
    (
        "wasm",
        &[
            "hld-syntax",
            "hld-model",
            "hld-analysis",
            "hld-render",
            "hld-output",
        ],
    ),
    (
        "export",
        &[
            "hld-syntax",
            "hld-model",
            "hld-analysis",
            "hld-layout",
            "hld-render",
        ],
    ),
];

fn hld_dependencies(manifest: &str) -> Vec<String> {
    let manifest: toml::Table = toml::from_str(manifest).expect("a manifest");
    let mut found = Vec::new();
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(table) = manifest.get(section).and_then(toml::Value::as_table) {
            found.extend(table.keys().filter(|k| k.starts_with("hld")).cloned());
        }
    }
    found
}

#[test]
fn every_stage_depends_only_on_the_stages_before_it() {
    let mut crates: Vec<String> = std::fs::read_dir("crates")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    let mut listed: Vec<&str> = ALLOWED.iter().map(|(name, _)| *name).collect();
    listed.sort();
    assert_eq!(
        crates, listed,
        "every crate has its place in the pipeline here"
    );
    for (name, allowed) in ALLOWED {
        let manifest = std::fs::read_to_string(format!("crates/{name}/Cargo.toml")).unwrap();
        for dependency in hld_dependencies(&manifest) {
            assert!(
                allowed.contains(&dependency.as_str()),
                "crates/{name} depends on {dependency}, against the pipeline"
            );
        }
    }
}

/// Every Rust source of the product (not its tests), with its path.
fn product_sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    walk(&root.join("src"), &mut sources);
    for krate in std::fs::read_dir(root.join("crates")).unwrap() {
        walk(&krate.unwrap().path().join("src"), &mut sources);
    }
    sources
}

/// Code before its `#[cfg(test)]` module: what the product runs.
fn without_tests(source: &str) -> &str {
    source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at])
}

/// The enum attributes of the schema, with their values.
fn enum_attributes() -> Vec<(String, Vec<String>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("crates/model/data/attributes.toml")).unwrap();
    let schema: toml::Table = toml::from_str(&text).unwrap();
    let mut attributes: Vec<(String, Vec<String>)> = Vec::new();
    for attribute in schema["attribute"].as_array().unwrap() {
        let Some(values) = attribute.get("values").and_then(|v| v.as_array()) else {
            continue;
        };
        let name = attribute["name"].as_str().unwrap().to_owned();
        let values = values.iter().map(|v| v.as_str().unwrap().to_owned());
        match attributes.iter_mut().find(|(n, _)| *n == name) {
            Some((_, known)) => known.extend(values),
            None => attributes.push((name, values.collect())),
        }
    }
    attributes
}

/// Issue 31: an enum attribute is read typed (`attrs.value::<Protocol>()`,
/// `attrs.is(Protocol::Grpc)`), never as text compared with text: a typo there compiled
/// and silently turned a rule off. The generated code (build.rs) is the only place that
/// turns text into values; no product source reads an enum attribute as a symbol or
/// compares text with one of its values.
#[test]
fn enum_attributes_are_compared_as_typed_values_only() {
    let attributes = enum_attributes();
    let all_values: std::collections::BTreeSet<&str> = attributes
        .iter()
        .flat_map(|(_, values)| values.iter().map(String::as_str))
        .collect();
    let mut offences = Vec::new();
    for (path, source) in product_sources() {
        let code = without_tests(&source);
        for (number, line) in code.lines().enumerate() {
            let at = format!("{}:{}", path.display(), number + 1);
            for (name, _) in &attributes {
                let constant = name.to_uppercase();
                for read in [
                    format!("symbol(attr::{constant})"),
                    format!("default_of(attr::{constant})"),
                ] {
                    if line.contains(&read) {
                        offences.push(format!(
                            "{at}: reads enum `{name}` as text: {}",
                            line.trim()
                        ));
                    }
                }
            }
            for value in &all_values {
                let literal = format!("\"{value}\"");
                let compared = [
                    format!("== {literal}"),
                    format!("!= {literal}"),
                    format!("{literal} =="),
                    format!("Some({literal}"),
                    format!("{literal} |"),
                    format!("| {literal}"),
                ];
                if compared.iter().any(|c| line.contains(c.as_str())) {
                    offences.push(format!(
                        "{at}: compares text with `{value}`: {}",
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}
