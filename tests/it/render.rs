//! `hld render`: the SVG contract (docs/cli.md) checked on every example and design, escaping,
//! determinism, PNG and geometry JSON, and the command's outputs and exit codes.

use hld::Lint;
use std::path::{Path, PathBuf};

use crate::common::hld;
use hld::render::{self, Engine, Format, Settings};

#[path = "../../benches/support/mod.rs"]
mod support;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every example and design, sorted.
fn drawable_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples/language", "designs"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "hld") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn settings(format: Format) -> Settings {
    Settings::new(format)
}

fn compiled(path: &Path) -> hld::Compilation {
    let mut compilation = hld::compile_file(path);
    assert!(!compilation.has_errors(), "{} compiles", path.display());
    compilation.lint(hld::analysis::Settings {
        config: None,
        deny_warnings: false,
        deny_single_failures: false,
    });
    compilation
}

fn draw(compilation: &hld::Compilation, format: Format) -> Vec<u8> {
    render::render(compilation, &settings(format)).expect("renders")
}

fn svg_of_source(source: &str) -> String {
    let mut compilation = hld::compile("test.hld", source.as_bytes().to_vec());
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    compilation.lint(hld::analysis::Settings {
        config: None,
        deny_warnings: false,
        deny_single_failures: false,
    });
    String::from_utf8(draw(&compilation, Format::Svg)).unwrap()
}

fn has_class(node: &roxmltree::Node, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split(' ').any(|part| part == class))
}

/// Parses the SVG and finds every component, link, group and finding of the model by
/// the contract's attributes.
fn check_contract(path: &Path, compilation: &hld::Compilation, svg: &str) {
    let document = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{}: the SVG is not XML: {e}", path.display()));
    let model = &compilation.model;
    for component in &model.components {
        let id = format!("c-{}", component.id);
        let node = document
            .descendants()
            .find(|n| n.attribute("id") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{}: no element #{id}", path.display()));
        assert_eq!(node.tag_name().name(), "g");
        assert!(has_class(&node, "component"), "{id} has class component");
        let kind_class = format!("kind-{}", component.kind.as_str());
        assert!(has_class(&node, &kind_class), "{id} has class {kind_class}");
        assert_eq!(node.attribute("data-id"), Some(component.id.as_str()));
        let title = node
            .children()
            .find(|c| c.tag_name().name() == "title")
            .unwrap_or_else(|| panic!("{id} has a <title>"));
        let label = component.label.as_deref().unwrap_or(&component.id);
        assert!(
            title.text().unwrap().contains(label),
            "{id}'s title names it"
        );
        assert!(title.text().unwrap().contains(component.kind.as_str()));
    }
    let links: Vec<_> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "g" && has_class(n, "link"))
        .collect();
    assert_eq!(
        links.len(),
        model.links.len(),
        "{}: one g.link per link",
        path.display()
    );
    for link in &model.links {
        let (from, to) = (&model.component(link.from).id, &model.component(link.to).id);
        assert!(
            links
                .iter()
                .any(|n| n.attribute("data-from") == Some(from.as_str())
                    && n.attribute("data-to") == Some(to.as_str())),
            "{}: link {from} -> {to}",
            path.display()
        );
    }
    for group in &model.groups {
        let id = format!("g-{}", group.id);
        let node = document
            .descendants()
            .find(|n| n.attribute("id") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{}: no group #{id}", path.display()));
        assert!(has_class(&node, "group"));
    }
    let drawn: Vec<_> = document
        .descendants()
        .filter(|n| has_class(n, "finding"))
        .collect();
    // A flow or a scenario has no box: its findings are listed, not badged.
    let expected = compilation
        .diagnostics
        .iter()
        .filter(|d| {
            d.element.as_ref().is_some_and(|e| {
                !matches!(
                    e,
                    hld::syntax::diagnostics::Subject::Flow(_)
                        | hld::syntax::diagnostics::Subject::Scenario(_)
                )
            })
        })
        .count();
    assert_eq!(
        drawn.len(),
        expected,
        "{}: every finding on a drawn element is badged",
        path.display()
    );
    for finding in drawn {
        let severity = ["error", "warning", "info"]
            .iter()
            .find(|s| has_class(&finding, &format!("severity-{s}")));
        assert!(severity.is_some(), "a finding has its severity class");
        assert!(finding.attribute("data-code").is_some());
        assert!(finding.attribute("data-element").is_some());
    }
}

#[test]
fn every_example_and_design_keeps_the_svg_contract() {
    for path in drawable_files() {
        let compilation = compiled(&path);
        let svg = String::from_utf8(draw(&compilation, Format::Svg)).unwrap();
        check_contract(&path, &compilation, &svg);
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for path in drawable_files() {
        for format in [Format::Svg, Format::Json] {
            let first = draw(&compiled(&path), format);
            let second = draw(&compiled(&path), format);
            assert!(first == second, "{} renders the same twice", path.display());
        }
    }
}

/// What each language example draws, as structure: every element in document order
/// with its id, classes, `data-*` attributes and text, and no coordinates, so that a
/// layout change does not re-bless them all (the committed `designs/*.svg` stay whole
/// pictures, checked fresh below).
#[test]
fn svg_snapshots_of_the_language_examples() {
    for path in drawable_files() {
        if !path.starts_with(root().join("examples")) {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let svg = String::from_utf8(draw(&compiled(&path), Format::Svg)).unwrap();
        insta::assert_snapshot!(format!("svg_{name}"), structure(&svg));
    }
}

/// An SVG as an indented outline: `tag #id .class [data-x=v] "text"` per element.
fn structure(svg: &str) -> String {
    fn walk(node: roxmltree::Node, depth: usize, out: &mut String) {
        if !node.is_element() {
            return;
        }
        let mut line = format!("{}{}", "  ".repeat(depth), node.tag_name().name());
        if let Some(id) = node.attribute("id") {
            line.push_str(&format!(" #{id}"));
        }
        if let Some(classes) = node.attribute("class") {
            for class in classes.split_whitespace() {
                line.push_str(&format!(" .{class}"));
            }
        }
        for attribute in node.attributes().filter(|a| a.name().starts_with("data-")) {
            line.push_str(&format!(" [{}={}]", attribute.name(), attribute.value()));
        }
        let text: String = node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect::<String>();
        if !text.trim().is_empty() {
            line.push_str(&format!(" {:?}", text.trim()));
        }
        out.push_str(&line);
        out.push('\n');
        for child in node.children() {
            walk(child, depth + 1, out);
        }
    }
    let document = roxmltree::Document::parse(svg).expect("hld writes well-formed SVG");
    let mut out = String::new();
    walk(document.root_element(), 0, &mut out);
    out
}

#[test]
fn labels_with_markup_are_escaped() {
    let svg = svg_of_source(
        "design \"<b>Tom & Jerry</b>\"\nservice api \"<script>alert(1)</script> & co\"\nservice db\napi -> db \"a <b> & c\"\n",
    );
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(!svg.contains("<b>"));
    let document = roxmltree::Document::parse(&svg).expect("still XML");
    let texts: Vec<&str> = document.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("<script>alert(1)</script> & co"))
    );
    assert!(texts.iter().any(|t| t.contains("<b>Tom & Jerry</b>")));
    assert!(texts.iter().any(|t| t.contains("a <b> & c")));
}

/// Characters XML 1.0 forbids (U+FFFE, U+FFFF, C0 controls) in every text field: the
/// SVG stays well-formed and the PNG is drawn, on the real binary.
#[test]
fn characters_xml_forbids_are_replaced_in_every_text_field() {
    let bad = "\u{fffe}\u{ffff}\u{1}\u{85}";
    let source = format!(
        "design \"T{bad}\" {{ description: \"D{bad}\" }}\ngroup g \"G{bad}\" {{\n  service api \"A{bad}\" {{ description: \"S{bad}\" }}\n}}\nclient users \"U{bad}\"\nusers -> api \"L{bad}\"\n"
    );
    let svg = svg_of_source(&source);
    roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    for forbidden in ['\u{fffe}', '\u{ffff}', '\u{1}'] {
        assert!(!svg.contains(forbidden), "{forbidden:?} in the SVG");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.hld"), &source).unwrap();
    let output = hld(&["render", "d.hld", "-o", "d.png"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(std::fs::metadata(dir.path().join("d.png")).unwrap().len() > 1000);
}

#[test]
fn replicas_shards_engine_and_consistency_are_drawn() {
    let svg = svg_of_source(
        "database orders { engine: postgres, replicas: 3, shards: 16 }\nqueue events { engine: kafka, partitions: 12 }\n",
    );
    for text in [
        "×3",
        "16 shards",
        "postgres",
        "12 partitions",
        "CP · strong",
    ] {
        assert!(svg.contains(text), "{text} is drawn:\n{svg}");
    }
}

#[test]
fn async_links_are_dashed_and_bidirectional_links_have_two_heads() {
    let svg = svg_of_source("service a\nqueue q\nworker w\nservice b\na -> q\nq -> w\na <-> b\n");
    let document = roxmltree::Document::parse(&svg).unwrap();
    let link = |from: &str, to: &str| {
        document
            .descendants()
            .find(|n| {
                has_class(n, "link")
                    && n.attribute("data-from") == Some(from)
                    && n.attribute("data-to") == Some(to)
            })
            .unwrap()
    };
    let dashed = |n: roxmltree::Node| {
        n.descendants()
            .any(|p| p.attribute("stroke-dasharray").is_some())
    };
    let heads = |n: roxmltree::Node| {
        n.descendants()
            .filter(|p| has_class(p, "arrowhead"))
            .count()
    };
    assert!(dashed(link("a", "q")), "a -> q is async");
    assert!(!dashed(link("a", "b")), "a <-> b is sync");
    assert_eq!(heads(link("a", "q")), 1);
    assert_eq!(heads(link("a", "b")), 2);
}

/// Every element with `class` whose `data-from`/`data-to` are `from`/`to`.
fn classed<'a>(
    document: &'a roxmltree::Document,
    class: &str,
    from: &str,
    to: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    document
        .descendants()
        .filter(|n| {
            has_class(n, class)
                && n.attribute("data-from") == Some(from)
                && n.attribute("data-to") == Some(to)
        })
        .collect()
}

const RELATED: &str = "client u { rate: 10/s }\nservice api { replicas: 2 }\n\
    queue q { engine: sqs, dlq: dead }\nqueue dead { engine: sqs }\n\
    cache hot { engine: redis, replicas: 2, caches: db }\n\
    database db { engine: postgres, replicas: 2, backup: true }\n\
    database replica { engine: postgres, replicas: 2, backup: true }\n\
    coordinator zk { engine: zookeeper, replicas: 3 }\n\
    u -> api\napi -> hot { ops: read }\napi -> db { ops: read }\napi -> db { ops: write }\n\
    api -> q { ops: write }\ndb -> replica { ops: replicate }\ndb -> zk { ops: control }\n";

#[test]
fn relations_are_drawn_apart_from_links_and_take_part_in_the_layout() {
    let svg = svg_of_source(RELATED);
    let document = roxmltree::Document::parse(&svg).unwrap();
    let drawn = [("dlq", "q", "dead"), ("caches", "hot", "db")];
    // Every relation of the model's table is drawn here (a new one is added to RELATED).
    let table: Vec<&str> = hld::model::RELATIONS
        .iter()
        .map(|r| r.attribute.name())
        .collect();
    assert_eq!(table, drawn.map(|(class, ..)| class));
    for ((class, from, to), kind) in drawn.into_iter().zip(hld::model::RELATIONS) {
        let relation = classed(&document, "relation", from, to);
        assert_eq!(
            relation.len(),
            1,
            "one g.relation.{class} from {from} to {to}"
        );
        assert!(has_class(&relation[0], class));
        assert!(!has_class(&relation[0], "link"), "a relation is no link");
        let route = relation[0]
            .descendants()
            .find(|n| n.tag_name().name() == "path" && n.attribute("fill") == Some("none"))
            .and_then(|p| p.attribute("d"))
            .unwrap();
        assert!(route.starts_with('M'), "{class} has a route: {route}");
        let dash = relation[0]
            .descendants()
            .find_map(|n| n.attribute("stroke-dasharray"));
        assert_eq!(dash, Some(kind.dash), "{class} in its own dash");
    }
    let geometry = String::from_utf8(draw(
        &{
            let mut c = hld::compile("test.hld", RELATED.as_bytes().to_vec());
            c.lint(hld::analysis::Settings::default());
            c
        },
        Format::Json,
    ))
    .unwrap();
    let geometry: serde_json::Value = serde_json::from_str(&geometry).unwrap();
    assert_eq!(geometry["relations"].as_array().map(Vec::len), Some(2));
}

#[test]
fn replicate_and_control_links_have_their_own_class_and_stroke() {
    let svg = svg_of_source(RELATED);
    let document = roxmltree::Document::parse(&svg).unwrap();
    let stroke = |node: &roxmltree::Node| {
        node.descendants()
            .find(|n| n.tag_name().name() == "path" && n.attribute("fill") == Some("none"))
            .map(|p| {
                (
                    p.attribute("stroke").unwrap_or("").to_string(),
                    p.attribute("stroke-dasharray").unwrap_or("").to_string(),
                    p.attribute("stroke-width").unwrap_or("").to_string(),
                )
            })
            .unwrap()
    };
    let replicate = classed(&document, "link", "db", "replica");
    let control = classed(&document, "link", "db", "zk");
    let plain = classed(&document, "link", "u", "api");
    assert!(has_class(&replicate[0], "replicate"));
    assert!(has_class(&control[0], "control"));
    assert!(!has_class(&plain[0], "replicate") && !has_class(&plain[0], "control"));
    let paths = |n: &roxmltree::Node| {
        n.descendants()
            .filter(|p| p.tag_name().name() == "path" && p.attribute("fill") == Some("none"))
            .count()
    };
    assert_eq!(paths(&replicate[0]), 2, "a replica is a double line");
    assert_ne!(
        stroke(&control[0]),
        stroke(&plain[0]),
        "control has its own stroke"
    );
    assert_ne!(
        stroke(&control[0]).0,
        stroke(&plain[0]).0,
        "control is grey"
    );
}

#[test]
fn parallel_links_each_have_their_own_route() {
    let svg = svg_of_source(RELATED);
    let document = roxmltree::Document::parse(&svg).unwrap();
    let links = classed(&document, "link", "api", "db");
    assert_eq!(links.len(), 2, "both api -> db links are drawn");
    let route = |n: &roxmltree::Node| {
        n.descendants()
            .find(|p| p.tag_name().name() == "path" && p.attribute("fill") == Some("none"))
            .and_then(|p| p.attribute("d"))
            .unwrap()
            .to_string()
    };
    assert_ne!(route(&links[0]), route(&links[1]), "each on its own route");
}

#[test]
fn the_legend_shows_the_planes_and_relations_drawn() {
    let mut compilation = hld::compile("test.hld", RELATED.as_bytes().to_vec());
    compilation.lint(hld::analysis::Settings::default());
    let mut with_legend = settings(Format::Svg);
    with_legend.options.legend = true;
    let svg = String::from_utf8(render::render(&compilation, &with_legend).unwrap()).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let legend = document
        .descendants()
        .find(|n| has_class(n, "legend"))
        .unwrap();
    let words: Vec<&str> = legend.descendants().filter_map(|n| n.text()).collect();
    for word in ["sync", "async", "replicate", "control", "dlq", "caches"] {
        assert!(
            words.contains(&word),
            "the legend shows `{word}`: {words:?}"
        );
    }
}

/// Findings numbered in the picture and listed at its foot: one item per finding, the
/// badged ones first in their badges' order, the design's own last and unbadged.
#[test]
fn the_findings_list_numbers_every_finding_as_its_badge() {
    let source =
        std::fs::read_to_string(root().join("examples/rules/thundering-herd.bad.hld")).unwrap();
    let mut compilation = hld::compile("test.hld", source.into_bytes());
    compilation.lint(hld::analysis::Settings::default());
    let findings = compilation.diagnostics.len();
    let design_level = compilation
        .diagnostics
        .iter()
        .filter(|d| d.element.is_none())
        .count();
    assert!(
        findings >= 2 && design_level >= 1,
        "{:?}",
        compilation.diagnostics
    );
    let svg = String::from_utf8(draw(&compilation, Format::Svg)).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let number = |n: &roxmltree::Node| {
        n.attribute("data-number")
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let badges: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| has_class(n, "finding"))
        .collect();
    let lists: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| has_class(n, "findings-list"))
        .collect();
    assert_eq!(lists.len(), 1);
    let items: Vec<roxmltree::Node> = lists[0]
        .descendants()
        .filter(|n| has_class(n, "finding-item"))
        .collect();
    assert_eq!(items.len(), findings, "one item per finding");
    let numbers: Vec<usize> = items.iter().map(number).collect();
    assert_eq!(
        numbers,
        (1..=findings).collect::<Vec<_>>(),
        "items are numbered in order"
    );
    for badge in &badges {
        let item = &items[number(badge) - 1];
        assert_eq!(item.attribute("data-code"), badge.attribute("data-code"));
        assert_eq!(
            item.attribute("data-element"),
            badge.attribute("data-element")
        );
    }
    let badged: Vec<usize> = badges.iter().map(number).collect();
    assert_eq!(
        badged,
        (1..=badges.len()).collect::<Vec<_>>(),
        "badges come first"
    );
    for item in &items[findings - design_level..] {
        assert_eq!(
            item.attribute("data-element"),
            Some(""),
            "the design's own come last"
        );
    }
    assert!(
        lists[0]
            .descendants()
            .any(|n| n.text() == Some("thundering-herd")),
        "an item names its rule"
    );
    let last_child = document.root_element().children().rfind(|n| n.is_element());
    assert!(
        last_child.is_some_and(|n| has_class(&n, "findings-list")),
        "the list ends the picture"
    );
}

/// A long list beside a wide, short drawing goes into columns rather than make the
/// picture many times taller than the design (thousands of findings would not rasterize).
#[test]
fn a_long_findings_list_goes_into_columns() {
    let chain: String = (1..=40)
        .map(|i| format!("service s{i}\n"))
        .chain((1..40).map(|i| format!("s{i} -> s{} {{ protocol: grpc }}\n", i + 1)))
        .collect();
    let svg = svg_of_source(&format!("design \"D\" {{ direction: right }}\n{chain}"));
    let document = roxmltree::Document::parse(&svg).unwrap();
    let items: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| has_class(n, "finding-item"))
        .collect();
    assert!(items.len() > 40, "one item per finding: {}", items.len());
    let lefts: std::collections::BTreeSet<String> = items
        .iter()
        .filter_map(|item| item.descendants().find(|n| n.tag_name().name() == "circle"))
        .filter_map(|circle| circle.attribute("cx").map(str::to_string))
        .collect();
    assert!(lefts.len() > 1, "the items stand in columns: {lefts:?}");
    let (width, height) = size_of(&svg);
    assert!(
        height < width / 4.0,
        "the list keeps the picture short: {width} x {height}"
    );
}

#[test]
fn no_findings_leaves_badges_and_list_off() {
    let source =
        std::fs::read_to_string(root().join("examples/rules/thundering-herd.bad.hld")).unwrap();
    let mut compilation = hld::compile("test.hld", source.into_bytes());
    compilation.lint(hld::analysis::Settings::default());
    let mut quiet = settings(Format::Svg);
    quiet.options.findings = false;
    let svg = String::from_utf8(render::render(&compilation, &quiet).unwrap()).unwrap();
    assert!(!svg.contains("finding"), "no badge, no list");
}

/// The drawing's width and height, from the SVG's root.
fn size_of(svg: &str) -> (f64, f64) {
    let document = roxmltree::Document::parse(svg).unwrap();
    let root = document.root_element();
    let number = |name: &str| root.attribute(name).unwrap().parse::<f64>().unwrap();
    (number("width"), number("height"))
}

/// `direction: auto` (the default) keeps the layout closer to 16:9: the rate limiter is
/// drawn down, the web crawler right; a stated direction is kept.
/// The designs `auto` is held to: the twelve reference designs and the generated graphs
/// of 30, 100 and 300 components (benches/support, shaped like real designs).
fn auto_inputs() -> Vec<(String, hld::Compilation)> {
    let mut inputs: Vec<(String, hld::Compilation)> = crate::common::designs()
        .into_iter()
        .map(|path| (path.display().to_string(), compiled(&path)))
        .collect();
    for n in [30, 100, 300] {
        let mut compilation = hld::compile("generated.hld", support::design(n, 2 * n).into_bytes());
        compilation.lint(hld::analysis::Settings::default());
        inputs.push((format!("generated {n}"), compilation));
    }
    inputs
}

/// `auto` keeps the drawing that reads best (docs/cli.md's `readability`): on every
/// input its score is the least of every drawing laid out within 4:1, no worse than the
/// best plain direction within 4:1, and strictly better than the fold the old rule (the aspect
/// closest to 16:9) drew wherever it drew one; the geometry says which it kept.
#[test]
fn auto_keeps_the_drawing_that_reads_best() {
    use render::scene::Considered;
    let mut old_folds = 0;
    for (name, compilation) in auto_inputs() {
        let options = settings(Format::Json).options;
        let considered = render::scene::considered(&compilation, &options).unwrap();
        let score = |c: &Considered| c.readability.score;
        let within = |c: &&Considered| (0.25..=4.0).contains(&c.ratio);
        let best = considered
            .iter()
            .filter(within)
            .map(score)
            .fold(f64::INFINITY, f64::min);
        // The best plain drawing of a shape people can use (no more than 4:1).
        let plain = considered
            .iter()
            .filter(|c| c.bands == 1)
            .filter(within)
            .map(score)
            .fold(f64::INFINITY, f64::min);
        let geometry: serde_json::Value =
            serde_json::from_slice(&draw(&compilation, Format::Json)).unwrap();
        let auto = geometry["readability"]["score"].as_f64().unwrap();
        assert!(
            (auto - best).abs() < 0.01,
            "{name}: {auto} against the best {best}"
        );
        assert!(auto <= plain + 0.01, "{name}: {auto} against plain {plain}");
        let kept = considered
            .iter()
            .find(|c| (score(c) - auto).abs() < 0.01)
            .unwrap();
        assert_eq!(geometry["bands"], kept.bands, "{name}");
        // The old rule: within 2.5:1, then the closest to 16:9, a cut counting 0.6.
        let old = |c: &Considered| {
            let distance = (c.ratio.ln() - (16.0f64 / 9.0).ln()).abs();
            (
                !(0.4..=2.5).contains(&c.ratio),
                distance + 0.6 * (c.bands - 1) as f64,
            )
        };
        let was = considered
            .iter()
            .min_by(|a, b| old(a).partial_cmp(&old(b)).unwrap())
            .unwrap();
        if was.bands > 1 {
            old_folds += 1;
            assert!(
                auto < score(was),
                "{name}: {auto} against the old fold's {}",
                score(was)
            );
        }
        eprintln!(
            "{name}: auto {} in {} band(s), {auto:.1}; old {:?} in {} band(s), {:.1}; best plain {plain:.1}",
            geometry["direction"],
            kept.bands,
            was.direction,
            was.bands,
            score(was)
        );
    }
    assert!(old_folds > 0, "the old rule folded some of these");
}

/// A design far deeper than 4:1 either way (a chain of 24 services two wide) is folded
/// into bands under `auto`, into a picture within 4:1; a stated direction is never
/// folded.
#[test]
fn auto_folds_a_deep_design_into_bands() {
    let chain: String = (1..=24)
        .map(|i| format!("service s{i}\nservice t{i}\n"))
        .chain((1..24).map(|i| format!("s{i} -> s{}\nt{i} -> t{}\n", i + 1, i + 1)))
        .collect();
    let mut compilation = hld::compile("chain.hld", chain.clone().into_bytes());
    compilation.lint(hld::analysis::Settings::default());
    // The picture alone: its findings list (48 single points of failure) is no part of
    // the drawing's shape.
    let mut plain = settings(Format::Json);
    plain.options.findings = false;
    let geometry: serde_json::Value =
        serde_json::from_slice(&render::render(&compilation, &plain).unwrap()).unwrap();
    let ratio = geometry["width"].as_f64().unwrap() / geometry["height"].as_f64().unwrap();
    assert!(
        geometry["bands"].as_u64().unwrap() > 1,
        "{}",
        geometry["bands"]
    );
    assert!(
        (0.25..=4.0).contains(&ratio),
        "auto folds within 4:1: {ratio}"
    );
    let stated = size_of(&svg_of_source(&format!(
        "design \"D\" {{ direction: down }}\n{chain}"
    )));
    assert!(
        stated.1 > 4.0 * stated.0,
        "a stated `down` is kept: {stated:?}"
    );
    // Every link still runs from its source's box to its target's, around the folds.
    let boxes: std::collections::HashMap<&str, [f64; 4]> = geometry["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let f = |k: &str| n[k].as_f64().unwrap();
            (
                n["id"].as_str().unwrap(),
                [f("x"), f("y"), f("width"), f("height")],
            )
        })
        .collect();
    let touches = |id: &serde_json::Value, point: &serde_json::Value| {
        let [x, y, w, h] = boxes[id.as_str().unwrap()];
        let (px, py) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
        (x - 1.0..=x + w + 1.0).contains(&px) && (y - 1.0..=y + h + 1.0).contains(&py)
    };
    let mut backward = 0;
    for edge in geometry["edges"].as_array().unwrap() {
        let points = edge["points"].as_array().unwrap();
        let (first, last) = (&points[0], &points[points.len() - 1]);
        let ends = [(&edge["from"], first), (&edge["to"], last)];
        let forward = ends.iter().all(|(id, point)| touches(id, point));
        let reversed = touches(&edge["from"], last) && touches(&edge["to"], first);
        assert!(forward || reversed, "{edge} ends at its nodes");
        let up = |pair: &[serde_json::Value]| pair[1][1].as_f64() < pair[0][1].as_f64();
        backward += usize::from(points.windows(2).any(up));
    }
    assert!(backward >= 2, "routes climb the corridors between bands");
}

#[test]
fn png_decodes_to_the_svg_size_times_the_scale() {
    let path = root().join("designs/url-shortener.hld");
    let compilation = compiled(&path);
    let geometry: serde_json::Value =
        serde_json::from_slice(&draw(&compilation, Format::Json)).unwrap();
    let mut png_settings = settings(Format::Png);
    png_settings.scale = 2.0;
    let png = render::render(&compilation, &png_settings).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    let width = geometry["width"].as_f64().unwrap();
    let height = geometry["height"].as_f64().unwrap();
    assert_eq!(info.width, (width * 2.0).ceil() as u32);
    assert_eq!(info.height, (height * 2.0).ceil() as u32);
}

#[test]
fn geometry_json_has_the_contract_fields() {
    let path = root().join("examples/language/groups.hld");
    let compilation = compiled(&path);
    let json: serde_json::Value =
        serde_json::from_slice(&draw(&compilation, Format::Json)).unwrap();
    for key in [
        "width",
        "height",
        "nodes",
        "edges",
        "groups",
        "direction",
        "bands",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    for key in ["edge_length", "backward", "bends", "crossings", "score"] {
        assert!(json["readability"][key].is_number(), "readability.{key}");
    }
    let nodes = json["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), compilation.model.components.len());
    for node in nodes {
        for key in ["id", "kind", "x", "y", "width", "height"] {
            assert!(node.get(key).is_some(), "node {key}");
        }
    }
    let edges = json["edges"].as_array().unwrap();
    assert_eq!(edges.len(), compilation.model.links.len());
    assert!(
        edges
            .iter()
            .all(|e| e["points"].as_array().unwrap().len() >= 2)
    );
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), compilation.model.groups.len());
    // Every member lies inside its group's box.
    let group_box = |id: &str| groups.iter().find(|g| g["id"] == id).unwrap();
    let inside = |node: &serde_json::Value, group: &serde_json::Value| {
        let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
        f(node, "x") >= f(group, "x")
            && f(node, "y") >= f(group, "y")
            && f(node, "x") + f(node, "width") <= f(group, "x") + f(group, "width")
            && f(node, "y") + f(node, "height") <= f(group, "y") + f(group, "height")
    };
    for component in &compilation.model.components {
        if let Some(g) = component.group {
            let node = nodes
                .iter()
                .find(|n| n["id"] == component.id.as_str())
                .unwrap();
            assert!(inside(node, group_box(&compilation.model.groups[g].id)));
        }
    }
}

#[test]
fn the_layout_rs_engine_draws_the_same_contract() {
    let path = root().join("designs/url-shortener.hld");
    let compilation = compiled(&path);
    let mut flat = settings(Format::Svg);
    flat.options.engine = Engine::LayoutRs;
    let svg = String::from_utf8(render::render(&compilation, &flat).unwrap()).unwrap();
    check_contract(&path, &compilation, &svg);
}

// The command.

fn temp_design(source: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.hld");
    std::fs::write(&path, source).unwrap();
    (dir, path)
}

const GOOD: &str = "design \"Shop\"\nclient users\nservice api { replicas: 2 }\nusers -> api\n";

#[test]
fn render_writes_next_to_the_design_by_default_and_by_extension() {
    let (dir, _) = temp_design(GOOD);
    let out = hld(&["render", "design.hld"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let svg = std::fs::read_to_string(dir.path().join("design.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    let out = hld(&["render", "design.hld", "-o", "out.png"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let png = std::fs::read(dir.path().join("out.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let out = hld(&["render", "design.hld", "-o", "out.json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(json["nodes"].as_array().unwrap().len(), 2);
}

#[test]
fn render_to_stdout_with_a_format_flag() {
    let (dir, _) = temp_design(GOOD);
    let out = hld(
        &["render", "design.hld", "-o", "-", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["width"].as_f64().unwrap() > 0.0);
    let out = hld(&["render", "design.hld", "-o", "-"], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<svg"));
}

#[test]
fn a_design_that_does_not_compile_is_not_drawn_and_the_old_output_stays() {
    let (dir, path) = temp_design(GOOD);
    assert_eq!(
        hld(&["render", "design.hld"], dir.path()).status.code(),
        Some(0)
    );
    let good = std::fs::read(dir.path().join("design.svg")).unwrap();
    std::fs::write(&path, "service api {\n  replicas 2\n}\n").unwrap();
    let out = hld(&["render", "design.hld"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("syntax"));
    assert_eq!(std::fs::read(dir.path().join("design.svg")).unwrap(), good);
}

#[test]
fn lint_errors_are_drawn_not_refused() {
    // `api` is a single point of failure: an error-level finding, shown as a badge.
    let (dir, _) = temp_design("client users\nservice api\nusers -> api\n");
    let out = hld(&["render", "design.hld", "-o", "-"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let svg = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(svg.contains(r#"class="finding severity-error" data-code="single-point-of-failure" data-element="api""#), "{svg}");
    let out = hld(
        &["render", "design.hld", "-o", "-", "--no-findings"],
        dir.path(),
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("class=\"finding"));
}

#[test]
fn an_unwritable_output_is_exit_2_and_leaves_no_file() {
    let (dir, _) = temp_design(GOOD);
    let out = hld(
        &["render", "design.hld", "-o", "missing/dir/out.svg"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    assert!(!dir.path().join("missing").exists());
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(
        entries.len(),
        1,
        "only the design: no temporary file left behind"
    );
}

#[test]
fn a_missing_design_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = hld(&["render", "nope.hld"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn themes_and_legend() {
    let (dir, _) = temp_design(GOOD);
    let dark = hld(
        &[
            "render",
            "design.hld",
            "-o",
            "-",
            "--theme",
            "dark",
            "--legend",
        ],
        dir.path(),
    );
    let svg = String::from_utf8_lossy(&dark.stdout).into_owned();
    assert!(svg.contains("theme-dark"));
    assert!(svg.contains(r#"class="legend""#));
    std::fs::write(dir.path().join("hld.toml"), "[render]\ntheme = \"dark\"\n").unwrap();
    let from_config = hld(&["render", "design.hld", "-o", "-"], dir.path());
    assert!(String::from_utf8_lossy(&from_config.stdout).contains("theme-dark"));
    let flag_wins = hld(
        &["render", "design.hld", "-o", "-", "--theme", "light"],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&flag_wins.stdout).contains("theme-light"));
}

/// `designs/<name>.svg` is what `hld render designs/<name>.hld` draws now (and the
/// README's flow picture what `--flow redirect` draws). To refresh
/// after a change to the renderer or a design: `HLD_BLESS=1 cargo test --test it render::`.
#[test]
fn the_committed_design_pictures_are_fresh() {
    let bless = std::env::var_os("HLD_BLESS").is_some();
    let mut stale = Vec::new();
    let designs = drawable_files()
        .into_iter()
        .filter(|path| path.starts_with(root().join("designs")))
        .map(|path| (path.with_extension("svg"), path, None));
    // The README's flow picture.
    let flow = (
        root().join("docs/url-shortener-redirect.svg"),
        root().join("designs/url-shortener.hld"),
        Some("redirect"),
    );
    for (picture, path, flow) in designs.chain([flow]) {
        let mut args = vec!["render", path.to_str().unwrap(), "-o", "-"];
        if let Some(flow) = flow {
            args.extend(["--flow", flow]);
        }
        let out = hld(&args, root());
        assert_eq!(out.status.code(), Some(0), "{}", path.display());
        if std::fs::read(&picture).ok().as_deref() != Some(&out.stdout[..]) {
            if bless {
                std::fs::write(&picture, &out.stdout).unwrap();
            } else {
                stale.push(picture.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale design pictures (refresh with `HLD_BLESS=1 cargo test --test it render::`): {stale:?}"
    );
}

#[test]
fn lint_levels_apply_to_the_picture_and_a_broken_config_stops_it() {
    let (dir, _) = temp_design("client users\nservice api\nusers -> api\n");
    let config = dir.path().join("hld.toml");
    std::fs::write(&config, "[lint]\nallow = [\"single-point-of-failure\"]\n").unwrap();
    let out = hld(&["render", "design.hld", "-o", "-"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("single-point-of-failure"));
    std::fs::write(&config, "[lint]\nallow = [\"no-such-rule\"]\n").unwrap();
    let out = hld(&["render", "design.hld", "-o", "-"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown-rule"), "{stderr}");
    assert!(
        !stderr.contains("single-point-of-failure"),
        "only what stops the drawing"
    );
}

#[test]
fn a_link_tooltip_names_its_label_even_on_a_self_loop() {
    let svg = svg_of_source("worker w { replicas: 2 }\nw -> w \"retry later\"\n");
    let document = roxmltree::Document::parse(&svg).unwrap();
    let link = document
        .descendants()
        .find(|n| has_class(n, "link") && n.attribute("data-from") == Some("w"))
        .expect("the self-loop is drawn");
    let title = link
        .children()
        .find(|c| c.tag_name().name() == "title")
        .unwrap();
    assert_eq!(title.text(), Some("w -> w (sync): retry later"));
    assert!(link.descendants().any(|p| p.tag_name().name() == "path"));
}

const FOCUS: &str = "design \"Regions\"\nclient users { rate: 1k/s }\nregion us { lb front { managed: true }\nservice api { replicas: 2 }\ndatabase db { replicas: 2 } }\n\
     region eu { database copy { replicas: 2 } }\nservice admin { replicas: 2 }\nusers -> front -> api -> db\nusers -> admin\n\
     db -> copy { ops: replicate }\nflow browse \"Browse\" { users -> front -> api -> db }\n\
     scenario api_down { fail: [api] }\nscenario atlantic { partition: [us, eu] }\n";

#[test]
fn render_flow_numbers_its_steps_and_dims_the_rest() {
    let (dir, _) = temp_design(FOCUS);
    let out = hld(
        &["render", "design.hld", "--flow", "browse", "-o", "-"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let svg = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let steps: Vec<(String, String, String)> = doc
        .descendants()
        .filter(|n| has_class(n, "flow-step"))
        .map(|n| {
            assert_eq!(n.attribute("data-flow"), Some("browse"));
            (
                n.attribute("data-step").unwrap().to_string(),
                n.attribute("data-from").unwrap().to_string(),
                n.attribute("data-to").unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("1", "users", "front"),
        ("2", "front", "api"),
        ("3", "api", "db"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .to_vec();
    assert_eq!(steps, expected);
    let admin = doc
        .descendants()
        .find(|n| n.attribute("data-id") == Some("admin"))
        .unwrap();
    assert!(has_class(&admin, "dimmed"));
    assert!(
        svg.contains("Flow Browse: 1k/s at peak"),
        "the caption gives the numbers"
    );
}

#[test]
fn render_scenario_strikes_failed_components_and_cuts_links() {
    let (dir, _) = temp_design(FOCUS);
    let out = hld(
        &["render", "design.hld", "--scenario", "api_down", "-o", "-"],
        dir.path(),
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let failed: Vec<&str> = doc
        .descendants()
        .filter(|n| has_class(n, "component") && has_class(n, "failed"))
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    assert_eq!(failed, ["api"]);
    assert!(svg.contains("browse: down (`api` is down)"));
    let out = hld(
        &["render", "design.hld", "--scenario", "atlantic", "-o", "-"],
        dir.path(),
    );
    let svg = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let cut: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| has_class(n, "link") && has_class(n, "cut"))
        .map(|n| {
            (
                n.attribute("data-from").unwrap(),
                n.attribute("data-to").unwrap(),
            )
        })
        .collect();
    assert_eq!(cut, [("db", "copy")]);
}

#[test]
fn an_unknown_flow_or_scenario_is_refused_with_a_suggestion() {
    let (dir, _) = temp_design(FOCUS);
    let out = hld(&["render", "design.hld", "--flow", "brows"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no flow is called `brows`: did you mean `browse`?")
    );
    let out = hld(&["render", "design.hld", "--scenario", "nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("design.svg").exists(), "nothing written");
}

/// `--direction` beats the design's `direction`, which beats hld.toml's (the real binary).
#[test]
fn the_direction_flag_beats_the_design_and_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let chain: String = (1..=6)
        .map(|i| format!("service s{i}\n"))
        .chain((1..6).map(|i| format!("s{i} -> s{}\n", i + 1)))
        .collect();
    let design = dir.path().join("d.hld");
    std::fs::write(
        &design,
        format!("design \"D\" {{ direction: down }}\n{chain}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("hld.toml"),
        "[render]\ndirection = \"right\"\n",
    )
    .unwrap();
    let size = |flags: &[&str]| {
        let out = dir.path().join("d.svg");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_hld"))
            .arg("render")
            .arg(&design)
            .args(flags)
            .arg("-o")
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        size_of(&std::fs::read_to_string(&out).unwrap())
    };
    let (w, h) = size(&[]);
    assert!(
        h > w,
        "the design's `down` beats hld.toml's `right`: {w} × {h}"
    );
    let (w, h) = size(&["--direction", "right"]);
    assert!(
        w > h,
        "the flag's `right` beats the design's `down`: {w} × {h}"
    );
}

/// `--flow ID --as sequence`: lifelines in the order the steps reach them, one message
/// per step in step order (synchronous answered by returns, asynchronous without), a
/// conditional step in an `opt` frame, a router's alternatives in an `alt` frame; the
/// flow's totals in the caption; a PNG of it decodes.
#[test]
fn a_flow_draws_as_a_sequence_diagram() {
    let sequence = |design: &str, flow: &str| {
        let out = hld(
            &[
                "render", design, "--flow", flow, "--as", "sequence", "-o", "-",
            ],
            root(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let svg = sequence("designs/url-shortener.hld", "redirect");
    let document = roxmltree::Document::parse(&svg).unwrap();
    let groups = |class: &str| -> Vec<roxmltree::Node> {
        document
            .descendants()
            .filter(|n| n.tag_name().name() == "g" && has_class(n, class))
            .collect()
    };
    let lifelines: Vec<&str> = groups("lifeline")
        .iter()
        .map(|n| n.attribute("data-id").unwrap())
        .collect();
    assert_eq!(
        lifelines,
        [
            "users",
            "front",
            "edge",
            "api",
            "hot",
            "links",
            "clicks",
            "analytics"
        ]
    );
    let messages: Vec<(String, &str, &str, bool)> = groups("message")
        .iter()
        .map(|n| {
            (
                n.attribute("data-step").unwrap().to_string(),
                n.attribute("data-from").unwrap(),
                n.attribute("data-to").unwrap(),
                has_class(n, "sync"),
            )
        })
        .collect();
    let steps: Vec<&str> = messages.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(
        steps,
        ["1", "2", "3", "4", "5", "6", "7"],
        "one message per step, in order"
    );
    assert_eq!((messages[4].1, messages[4].2), ("api", "links"));
    assert!(
        !messages[5].3 && messages[5].2 == "clicks",
        "the publish is asynchronous"
    );
    // Every synchronous call is answered; the asynchronous ones are not.
    let sync_calls = messages.iter().filter(|m| m.3).count();
    assert_eq!(groups("return").len(), sync_calls);
    let opt = groups("frame");
    assert_eq!(opt.len(), 1);
    assert!(has_class(&opt[0], "opt"));
    assert!(svg.contains("opt [10%]"));
    assert!(
        svg.contains("flow redirect: ") && svg.contains("p99"),
        "the totals"
    );
    // The message labels say the protocol, the rate on the step and the callee's p99.
    assert!(svg.contains("1. https · "), "{svg}");

    let alt = sequence("examples/rules/scenario-over-capacity.bad.hld", "checkout");
    let document = roxmltree::Document::parse(&alt).unwrap();
    let frames: Vec<_> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "g" && has_class(n, "frame"))
        .collect();
    assert!(frames.iter().any(|f| has_class(f, "alt")));
    assert!(alt.contains("alt [web_b | web_a]"));
    let to_alternatives: Vec<&str> = document
        .descendants()
        .filter(|n| n.attribute("data-step") == Some("2"))
        .map(|n| n.attribute("data-to").unwrap())
        .collect();
    assert_eq!(
        to_alternatives,
        ["web_b", "web_a"],
        "one message per alternative, the step's own last"
    );

    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("redirect.png");
    let out = hld(
        &[
            "render",
            "designs/url-shortener.hld",
            "--flow",
            "redirect",
            "--as",
            "sequence",
            "-o",
            png.to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&png).unwrap()));
    assert!(decoder.read_info().unwrap().info().width > 500);
    // A sequence is of a flow.
    let out = hld(
        &["render", "designs/url-shortener.hld", "--as", "sequence"],
        root(),
    );
    assert_eq!(out.status.code(), Some(2));
}
