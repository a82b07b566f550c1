//! Layout quality, hld beside Graphviz on the same graphs: edge crossings, node
//! overlaps, edges through nodes, labels over nodes, routes through other edges'
//! labels, routes through groups holding neither end, and group boxes holding nodes
//! that are not their members. Not a timing bench: it prints tables, one for random
//! clustered graphs (the layout engine alone) and one for the system designs in
//! `designs/` and generated designs, measured on the geometry JSON `hld render -o
//! x.json` writes and on `dot -Tjson` of the same graph (the design's boxes, clusters,
//! labels).
//! Run: `cargo bench --bench quality` (Graphviz `dot` is skipped where absent).

mod support;

use hld::Lint;
use hld::layout::{Input, Rect, layout};

type Segment = ((f64, f64), (f64, f64));

#[derive(Default)]
struct Metrics {
    crossings: usize,
    overlaps: usize,
    through: usize,
    labels_over_nodes: usize,
    /// Pairs of a label and the route of an edge between two other nodes running
    /// through it.
    routes_over_labels: usize,
    /// Pairs of a route and a group box it runs through that holds neither of its ends.
    foreign_groups: usize,
    intruders: usize,
    /// Mean offset across the flow (y, the graphs flow right) between the centres of
    /// an edge's two nodes: how straight coordinate assignment keeps edges.
    skew: f64,
    /// Width and height of the box around every node, group, label and route point
    /// (margins left out, so both engines are measured alike).
    extent: (f64, f64),
}

/// What is measured: boxes, routes as segments per edge, label boxes (each with the
/// index of its edge), group boxes.
struct Drawing {
    nodes: Vec<Rect>,
    edges: Vec<(usize, usize, Vec<Segment>)>,
    labels: Vec<(usize, Rect)>,
    groups: Vec<(Rect, Vec<usize>)>,
}

fn members(input: &Input, group: usize) -> Vec<usize> {
    (0..input.nodes.len())
        .filter(|&n| input.in_group(n, group))
        .collect()
}

fn hld_drawing(input: &Input) -> Drawing {
    let out = layout(input).expect("the bench graphs are drawable");
    Drawing {
        nodes: out.nodes.clone(),
        edges: input
            .edges
            .iter()
            .zip(&out.edges)
            .map(|(e, r)| {
                (
                    e.from,
                    e.to,
                    r.points.windows(2).map(|p| (p[0], p[1])).collect(),
                )
            })
            .collect(),
        labels: out
            .edges
            .iter()
            .enumerate()
            .filter_map(|(e, r)| Some((e, r.label?)))
            .collect(),
        groups: out
            .groups
            .iter()
            .enumerate()
            .map(|(g, r)| (*r, members(input, g)))
            .collect(),
    }
}

/// Reads `dot -Tjson` (points, y up) into the same shape.
/// A drawing read back from hld's geometry JSON (docs/cli.md), members from the model.
fn geometry_drawing(compilation: &hld::Compilation, json: &serde_json::Value) -> Drawing {
    let model = &compilation.model;
    let rect = |v: &serde_json::Value| Rect {
        x: v["x"].as_f64().unwrap(),
        y: v["y"].as_f64().unwrap(),
        width: v["width"].as_f64().unwrap(),
        height: v["height"].as_f64().unwrap(),
    };
    let index = |id: &serde_json::Value| model.find(id.as_str().unwrap()).unwrap().index();
    let edges = json["edges"].as_array().unwrap();
    Drawing {
        nodes: json["nodes"].as_array().unwrap().iter().map(rect).collect(),
        edges: edges
            .iter()
            .map(|e| {
                let points: Vec<(f64, f64)> = e["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                    .collect();
                (
                    index(&e["from"]),
                    index(&e["to"]),
                    points.windows(2).map(|p| (p[0], p[1])).collect(),
                )
            })
            .collect(),
        labels: edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.get("label").is_some())
            .map(|(i, e)| (i, rect(&e["label"])))
            .collect(),
        groups: json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(g, r)| {
                let members = model
                    .components
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| model.enclosing_groups(c.group).any(|h| h == g))
                    .map(|(n, _)| n)
                    .collect();
                (rect(r), members)
            })
            .collect(),
    }
}

fn dot_drawing(input: &Input, json: &serde_json::Value) -> Drawing {
    let objects = json["objects"].as_array().cloned().unwrap_or_default();
    let mut nodes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        input.nodes.len()
    ];
    let mut groups = Vec::new();
    for object in &objects {
        let name = object["name"].as_str().unwrap_or("");
        if let Some(index) = name.strip_prefix('n').and_then(|i| i.parse::<usize>().ok()) {
            let pos: Vec<f64> = object["pos"]
                .as_str()
                .unwrap_or("0,0")
                .split(',')
                .filter_map(|v| v.parse().ok())
                .collect();
            let width = object["width"]
                .as_str()
                .and_then(|w| w.parse::<f64>().ok())
                .unwrap_or(0.0)
                * 72.0;
            let height = object["height"]
                .as_str()
                .and_then(|h| h.parse::<f64>().ok())
                .unwrap_or(0.0)
                * 72.0;
            nodes[index] = Rect {
                x: pos[0] - width / 2.0,
                y: -pos[1] - height / 2.0,
                width,
                height,
            };
        } else if let Some(group) = name
            .strip_prefix("cluster_")
            .and_then(|g| g.parse::<usize>().ok())
        {
            let bb: Vec<f64> = object["bb"]
                .as_str()
                .unwrap_or("0,0,0,0")
                .split(',')
                .filter_map(|v| v.parse().ok())
                .collect();
            let rect = Rect {
                x: bb[0],
                y: -bb[3],
                width: bb[2] - bb[0],
                height: bb[3] - bb[1],
            };
            groups.push((rect, members(input, group)));
        }
    }
    let mut edges = Vec::new();
    let mut labels = Vec::new();
    for edge in json["edges"].as_array().cloned().unwrap_or_default() {
        let (tail, head) = (
            edge["tail"].as_u64().unwrap_or(0) as usize,
            edge["head"].as_u64().unwrap_or(0) as usize,
        );
        let name = |o: usize| {
            objects
                .get(o)
                .and_then(|x| x["name"].as_str())
                .and_then(|n| n.strip_prefix('n'))
                .and_then(|i| i.parse::<usize>().ok())
        };
        let (Some(from), Some(to)) = (name(tail), name(head)) else {
            continue;
        };
        let points: Vec<(f64, f64)> = edge["pos"]
            .as_str()
            .unwrap_or("")
            .split(' ')
            .filter(|p| !p.starts_with("e,") && !p.starts_with("s,"))
            .filter_map(|p| {
                let v: Vec<f64> = p.split(',').filter_map(|v| v.parse().ok()).collect();
                (v.len() == 2).then(|| (v[0], -v[1]))
            })
            .collect();
        edges.push((from, to, flatten_beziers(&points)));
        if let Some(lp) = edge["lp"].as_str() {
            let v: Vec<f64> = lp.split(',').filter_map(|v| v.parse().ok()).collect();
            let rect = Rect {
                x: v[0] - 20.0,
                y: -v[1] - 7.0,
                width: 40.0,
                height: 14.0,
            };
            labels.push((edges.len() - 1, rect));
        }
    }
    Drawing {
        nodes,
        edges,
        labels,
        groups,
    }
}

/// Cubic Bézier chains (start, then 3 points per curve) as 16 segments per curve.
fn flatten_beziers(points: &[(f64, f64)]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut i = 0;
    while i + 3 < points.len() {
        let (p0, p1, p2, p3) = (points[i], points[i + 1], points[i + 2], points[i + 3]);
        let at = |t: f64| {
            let u = 1.0 - t;
            (
                u * u * u * p0.0
                    + 3.0 * u * u * t * p1.0
                    + 3.0 * u * t * t * p2.0
                    + t * t * t * p3.0,
                u * u * u * p0.1
                    + 3.0 * u * u * t * p1.1
                    + 3.0 * u * t * t * p2.1
                    + t * t * t * p3.1,
            )
        };
        let mut previous = p0;
        for k in 1..=16 {
            let next = at(k as f64 / 16.0);
            segments.push((previous, next));
            previous = next;
        }
        i += 3;
    }
    segments
}

fn intersects(a: Segment, b: Segment) -> Option<(f64, f64)> {
    let ((x1, y1), (x2, y2)) = a;
    let ((x3, y3), (x4, y4)) = b;
    let d = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
    if d.abs() < 1e-9 {
        return None;
    }
    let t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / d;
    let u = -((x1 - x2) * (y1 - y3) - (y1 - y2) * (x1 - x3)) / d;
    ((1e-6..1.0 - 1e-6).contains(&t) && (1e-6..1.0 - 1e-6).contains(&u))
        .then_some((x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
}

fn inside(r: &Rect, p: (f64, f64), inset: f64) -> bool {
    p.0 > r.x + inset && p.0 < r.right() - inset && p.1 > r.y + inset && p.1 < r.bottom() - inset
}

/// Whether a route enters the box shrunk by 2 units.
fn passes_through(segments: &[Segment], r: &Rect) -> bool {
    let shrunk = Rect {
        x: r.x + 2.0,
        y: r.y + 2.0,
        width: r.width - 4.0,
        height: r.height - 4.0,
    };
    segments.iter().any(|&(p, q)| shrunk.meets_segment(p, q))
}

fn measure(d: &Drawing) -> Metrics {
    let mut m = Metrics::default();
    for (i, a) in d.nodes.iter().enumerate() {
        m.overlaps += d.nodes[i + 1..].iter().filter(|b| a.overlaps(b)).count();
    }
    for (i, (from_a, to_a, segments_a)) in d.edges.iter().enumerate() {
        for (from_b, to_b, segments_b) in &d.edges[i + 1..] {
            let shared: Vec<usize> = [*from_a, *to_a]
                .into_iter()
                .filter(|n| [*from_b, *to_b].contains(n))
                .collect();
            let crossing = segments_a.iter().any(|&sa| {
                segments_b.iter().any(|&sb| {
                    intersects(sa, sb)
                        .is_some_and(|p| !shared.iter().any(|&n| inside(&d.nodes[n], p, -6.0)))
                })
            });
            m.crossings += usize::from(crossing);
        }
        for (n, node) in d.nodes.iter().enumerate() {
            if n != *from_a && n != *to_a && passes_through(segments_a, node) {
                m.through += 1;
            }
        }
        // Links joining the same two nodes share their label's place.
        let same_pair = |e: usize| {
            let (from, to, _) = &d.edges[e];
            [*from, *to] == [*from_a, *to_a] || [*to, *from] == [*from_a, *to_a]
        };
        m.foreign_groups += d
            .groups
            .iter()
            .filter(|(rect, members)| {
                !members.contains(from_a)
                    && !members.contains(to_a)
                    && passes_through(segments_a, rect)
            })
            .count();
        m.routes_over_labels += d
            .labels
            .iter()
            .filter(|(e, label)| !same_pair(*e) && passes_through(segments_a, label))
            .count();
    }
    let offsets: Vec<f64> = d
        .edges
        .iter()
        .map(|(from, to, _)| {
            let centre = |r: &Rect| r.y + r.height / 2.0;
            (centre(&d.nodes[*from]) - centre(&d.nodes[*to])).abs()
        })
        .collect();
    m.skew = offsets.iter().sum::<f64>() / offsets.len().max(1) as f64;
    m.labels_over_nodes = d
        .labels
        .iter()
        .map(|(_, l)| d.nodes.iter().filter(|n| l.overlaps(n)).count())
        .sum();
    m.intruders = d
        .groups
        .iter()
        .map(|(rect, inside_ids)| {
            d.nodes
                .iter()
                .enumerate()
                .filter(|(n, node)| !inside_ids.contains(n) && rect.overlaps(node))
                .count()
        })
        .sum();
    m.extent = extent(d);
    m
}

fn extent(d: &Drawing) -> (f64, f64) {
    let rects = d
        .nodes
        .iter()
        .chain(d.labels.iter().map(|(_, r)| r))
        .chain(d.groups.iter().map(|(r, _)| r));
    let corners = rects.flat_map(|r| [(r.x, r.y), (r.right(), r.bottom())]);
    let points = d
        .edges
        .iter()
        .flat_map(|(_, _, s)| s.iter().flat_map(|&(p, q)| [p, q]));
    let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for (x, y) in corners.chain(points) {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    }
    if min.0 > max.0 {
        return (0.0, 0.0);
    }
    (max.0 - min.0, max.1 - min.1)
}

fn dot_json(input: &Input, name: &str) -> serde_json::Value {
    let path = std::env::temp_dir().join(format!("hld-quality-{name}.dot"));
    std::fs::write(&path, support::dot_source(input)).expect("writable");
    let output = std::process::Command::new("dot")
        .arg("-Tjson")
        .arg(&path)
        .output()
        .expect("dot runs");
    serde_json::from_slice(&output.stdout).expect("dot prints JSON")
}

fn row(name: &str, engine: &str, m: &Metrics) {
    println!(
        "| {name} | {engine} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} × {:.0} = {:.0}k |",
        m.crossings,
        m.overlaps,
        m.through,
        m.labels_over_nodes,
        m.routes_over_labels,
        m.foreign_groups,
        m.intruders,
        m.skew,
        m.extent.0,
        m.extent.1,
        m.extent.0 * m.extent.1 / 1000.0
    );
}

/// The designs of `designs/` and two generated ones, through the renderer.
fn system_designs(dot: bool) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut designs: Vec<(String, String)> = std::fs::read_dir(root.join("designs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    designs.sort();
    designs.push(("generated-30".into(), support::design(30, 45)));
    designs.push(("generated-100".into(), support::design(100, 150)));
    println!();
    println!(
        "| design | engine | crossings | node overlaps | edges through nodes | labels over nodes | routes over labels | routes through other groups | non-members in group boxes | mean edge skew | extent (area) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let (mut hld_total, mut dot_total) = (0, 0);
    for (name, text) in designs {
        let mut compilation = hld::compile(format!("{name}.hld"), text.into_bytes());
        compilation.lint(hld::analysis::Settings::default());
        let mut settings = hld::render::Settings::new(hld::render::Format::Json);
        settings.options.findings = false;
        // Both engines lay out the same direction (`auto` may pick `down`; dot is given
        // `right`), so the figures compare the same drawing.
        settings.options.direction.flag = Some(hld::model::values::direction::Value::Right);
        let geometry = hld::render::render(&compilation, &settings).expect("renders");
        let json: serde_json::Value = serde_json::from_slice(&geometry).unwrap();
        let ours = measure(&geometry_drawing(&compilation, &json));
        hld_total += ours.crossings;
        row(&name, "hld", &ours);
        if dot {
            let input = hld::render::scene::layout_input(&compilation, &settings.options);
            let theirs = measure(&dot_drawing(&input, &dot_json(&input, &name)));
            dot_total += theirs.crossings;
            row(&name, "dot", &theirs);
        }
    }
    if dot {
        println!("\ncrossings in all: hld {hld_total}, dot {dot_total}");
    }
}

fn main() {
    let dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    println!(
        "| nodes | engine | crossings | node overlaps | edges through nodes | labels over nodes | routes over labels | routes through other groups | non-members in group boxes | mean edge skew | extent (area) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for nodes in [30, 100, 300] {
        let input = support::layout_graph(nodes);
        let name = nodes.to_string();
        row(&name, "hld", &measure(&hld_drawing(&input)));
        if dot {
            let json = dot_json(&input, &name);
            row(&name, "dot", &measure(&dot_drawing(&input, &json)));
        }
    }
    system_designs(dot);
    if !dot {
        println!(
            "(Graphviz `dot` is not installed: its rows are skipped; apt-get install graphviz)"
        );
    }
}
