//! Mermaid flowcharts: the one diagram language GitHub draws in Markdown.

use std::collections::BTreeSet;
use std::fmt::Write;

use hld_model::{Component, Kind, Model};

use crate::text::{self, Line};

pub fn write(model: &Model) -> String {
    let ids = Ids::new(model);
    let mut out = String::new();
    if let Some(title) = &model.title {
        // A YAML string: `%` as its escape `\x25`, so that no `%%{...}%%` in the text
        // reaches Mermaid as a directive.
        let title = text::quoted(title, &[]).replace('%', "\\x25");
        let _ = writeln!(out, "---\ntitle: {title}\n---");
    }
    let direction = if crate::lays_out_down(model) {
        "TB"
    } else {
        "LR"
    };
    let _ = writeln!(out, "flowchart {direction}");
    write_nesting(model, &ids, &mut out);
    let mut edges = Edges::default();
    for link in &model.links {
        let arrow = match (text::line(model, link), link.bidirectional) {
            (Line::Sync, false) => "-->",
            (Line::Sync, true) => "<-->",
            (Line::Replicate, false) => "==>",
            (Line::Replicate, true) => "<==>",
            (Line::Async | Line::Control, false) => "-.->",
            (Line::Async | Line::Control, true) => "<-.->",
        };
        let from = &ids.components[link.from.index()];
        let to = &ids.components[link.to.index()];
        let label = text::link_text(link);
        edges.push(&mut out, from, arrow, label.as_deref(), to);
        if text::line(model, link) == Line::Control {
            edges.grey.push(edges.count - 1);
        }
    }
    for relation in model.relations() {
        let from = &ids.components[relation.from.index()];
        let to = &ids.components[relation.to.index()];
        edges.push(
            &mut out,
            from,
            "-.->",
            Some(relation.kind.attribute.name()),
            to,
        );
        edges.grey.push(edges.count - 1);
    }
    if !edges.grey.is_empty() {
        let indexes: Vec<String> = edges.grey.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#9aa5b1,stroke-dasharray:2 3",
            indexes.join(",")
        );
    }
    write_classes(model, &ids, &mut out);
    out
}

/// Edge statements, counted: `linkStyle` names edges by their index.
#[derive(Default)]
struct Edges {
    count: usize,
    grey: Vec<usize>,
}

impl Edges {
    fn push(&mut self, out: &mut String, from: &str, arrow: &str, label: Option<&str>, to: &str) {
        let label = label.map_or(String::new(), |l| format!("|\"{}\"|", escape(l)));
        let _ = writeln!(out, "  {from} {arrow}{label} {to}");
        self.count += 1;
    }
}

/// Declares the groups and components, nested as in the design.
fn write_nesting(model: &Model, ids: &Ids, out: &mut String) {
    let open = |out: &mut String, group: usize, indent: &str| {
        let title = escape(&text::group_title(&model.groups[group]));
        let _ = writeln!(out, "{indent}subgraph {}[\"{title}\"]", ids.groups[group]);
    };
    let component = |out: &mut String, index: usize, indent: &str| {
        let component = &model.components[index];
        let [name, detail] = text::component_lines(component);
        let (open, close) = component.kind.info().shapes.mermaid;
        let label = format!("{}<br>{}", escape(&name), escape(&detail));
        let _ = writeln!(
            out,
            "{indent}{}{open}\"{label}\"{close}",
            ids.components[index]
        );
    };
    let nesting = text::Nesting {
        open: &open,
        close: "end",
        component: &component,
    };
    nesting.write(model, None, 1, out);
}

/// One class per kind used, in hld's colours (external systems dashed, as in hld).
fn write_classes(model: &Model, ids: &Ids, out: &mut String) {
    for kind in Kind::ALL {
        let members: Vec<&str> = model
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == kind)
            .map(|(i, _)| ids.components[i].as_str())
            .collect();
        let Some(first) = model.components.iter().find(|c| c.kind == kind) else {
            continue;
        };
        let dash = if kind == Kind::External {
            ",stroke-dasharray:5 4"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  classDef {} fill:#ffffff,stroke:{}{dash}",
            class_name(kind),
            text::accent(first)
        );
        let _ = writeln!(out, "  class {} {}", members.join(","), class_name(kind));
    }
}

/// `kind_…`: a class name that cannot be one of Mermaid's words.
fn class_name(kind: Kind) -> String {
    format!("kind_{}", kind.as_str())
}

/// Mermaid's node ids: hld's ids where Mermaid allows them, unique across components
/// and groups (which share Mermaid's one namespace).
struct Ids {
    components: Vec<String>,
    groups: Vec<String>,
}

/// Words a Mermaid flowchart reads as syntax where an id stands.
const RESERVED: &[&str] = &[
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classDef",
    "click",
    "linkStyle",
    "direction",
    "call",
    "href",
    "callback",
    "default",
];

impl Ids {
    fn new(model: &Model) -> Ids {
        let mut taken = BTreeSet::new();
        let components = model
            .components
            .iter()
            .map(|c: &Component| claim(&mut taken, c.id.clone()))
            .collect();
        let groups = model
            .groups
            .iter()
            .map(|g| claim(&mut taken, format!("{}_group", g.id)))
            .collect();
        Ids { components, groups }
    }
}

/// `wanted`, or with `_` appended until it is neither taken nor a Mermaid word.
fn claim(taken: &mut BTreeSet<String>, wanted: String) -> String {
    let mut id = wanted;
    while taken.contains(&id) || RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&id)) {
        id.push('_');
    }
    taken.insert(id.clone());
    id
}

/// Text inside Mermaid's quotes: its entity codes for what Mermaid or HTML would read,
/// `%` and braces among them (`%%{init: ...}%%` in a label is a directive to Mermaid).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '%' => out.push_str("#37;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
