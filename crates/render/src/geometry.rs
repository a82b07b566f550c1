//! The laid-out geometry as JSON (docs/cli.md): boxes with (x, y) the top-left corner and
//! routes as points, in the SVG's user units.

use serde::Serialize;

use super::round;
use super::scene::Scene;
use hld_layout::{Direction, Readability};

#[derive(Serialize)]
struct Geometry<'a> {
    width: f64,
    height: f64,
    /// `right` or `down`: the way the flow runs.
    direction: &'static str,
    /// The bands the drawing is folded into (1: not folded).
    bands: usize,
    /// How well it reads (lower is better; docs/cli.md).
    readability: Option<Readability>,
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
    groups: Vec<Group<'a>>,
    /// What attributes relate (`dlq`, `caches`), routed like edges.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relations: Vec<Relation<'a>>,
}

#[derive(Serialize)]
struct Relation<'a> {
    class: &'a str,
    from: &'a str,
    to: &'a str,
    points: Vec<[f64; 2]>,
}

fn points(points: &[(f64, f64)]) -> Vec<[f64; 2]> {
    points.iter().map(|&(x, y)| [round(x), round(y)]).collect()
}

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: &'static str,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    points: Vec<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<Label<'a>>,
}

#[derive(Serialize)]
struct Label<'a> {
    text: &'a str,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

#[derive(Serialize)]
struct Group<'a> {
    id: &'a str,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

pub fn write(scene: &Scene) -> String {
    let geometry = Geometry {
        width: round(scene.width),
        height: round(scene.height),
        direction: match scene.direction {
            Direction::Right => "right",
            Direction::Down => "down",
        },
        bands: scene.bands,
        readability: scene.readability.map(|r| Readability {
            edge_length: round(r.edge_length),
            backward: round(r.backward),
            score: round(r.score),
            ..r
        }),
        nodes: scene
            .nodes
            .iter()
            .map(|n| Node {
                id: &n.id,
                kind: n.kind.as_str(),
                x: round(n.rect.x),
                y: round(n.rect.y),
                width: round(n.rect.width),
                height: round(n.rect.height),
            })
            .collect(),
        edges: scene
            .links
            .iter()
            .map(|l| Edge {
                from: &l.from,
                to: &l.to,
                points: points(&l.points),
                label: l.label.as_ref().map(|(text, r)| Label {
                    text,
                    x: round(r.x),
                    y: round(r.y),
                    width: round(r.width),
                    height: round(r.height),
                }),
            })
            .collect(),
        groups: scene
            .groups
            .iter()
            .map(|g| Group {
                id: &g.id,
                x: round(g.rect.x),
                y: round(g.rect.y),
                width: round(g.rect.width),
                height: round(g.rect.height),
            })
            .collect(),
        relations: scene
            .relations
            .iter()
            .map(|r| Relation {
                class: r.class,
                from: &r.from,
                to: &r.to,
                points: points(&r.points),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&geometry).expect("geometry serializes");
    json.push('\n');
    json
}
