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
