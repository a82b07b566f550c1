//! Graphviz DOT: groups as clusters.

use std::fmt::Write;

use hld_model::Model;

use crate::text::{self, Line, Shortened};

pub fn write(model: &Model) -> String {
    let short = Shortened::new(MAX_STRING);
    let quote = |text: &str| quote(&short, text);
    let mut out = String::from("digraph hld {\n");
    let rankdir = if crate::lays_out_down(model) {
        "TB"
    } else {
        "LR"
    };
    let _ = write!(out, "  graph [rankdir={rankdir}, fontname=\"Helvetica\"");
    if let Some(title) = &model.title {
        let _ = write!(out, ", label={}, labelloc=t", quote(title));
    }
    out.push_str("];\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    write_nesting(model, &short, &mut out);
    for link in &model.links {
        let mut attributes = Vec::new();
        if let Some(label) = text::link_text(link) {
            attributes.push(format!("label={}", quote(&label)));
        }
        match text::line(model, link) {
            Line::Sync => {}
            Line::Async => attributes.push("style=dashed".to_owned()),
            // Graphviz draws a colour list as parallel lines: a double line.
            Line::Replicate => attributes.push("color=\"black:invis:black\"".to_owned()),
            Line::Control => attributes.push("style=dotted, color=\"#9aa5b1\"".to_owned()),
        }
        if link.bidirectional {
            attributes.push("dir=both".to_owned());
        }
        write_edge(
            model,
            &short,
            [link.from.index(), link.to.index()],
            &attributes,
            &mut out,
        );
    }
    for relation in model.relations() {
        let attributes = [
            format!("label={}", quote(relation.kind.attribute.name())),
            "style=dotted, color=\"#9aa5b1\"".to_owned(),
        ];
        write_edge(
            model,
            &short,
            [relation.from.index(), relation.to.index()],
            &attributes,
            &mut out,
        );
    }
    out.push_str("}\n");
    out.push_str(&short.note("//"));
    out
}

fn write_edge(
    model: &Model,
    short: &Shortened,
    [from, to]: [usize; 2],
    attributes: &[String],
    out: &mut String,
) {
    let from = quote(short, &model.components[from].id);
    let to = quote(short, &model.components[to].id);
    let attributes = if attributes.is_empty() {
        String::new()
    } else {
        format!(" [{}]", attributes.join(", "))
    };
    let _ = writeln!(out, "  {from} -> {to}{attributes};");
}

/// Declares the clusters and nodes, nested as in the design.
fn write_nesting(model: &Model, short: &Shortened, out: &mut String) {
    let quote = |text: &str| quote(short, text);
    let open = |out: &mut String, group: usize, indent: &str| {
        let g = &model.groups[group];
        // Graphviz draws a subgraph as a box only when its name starts with `cluster`.
        let name = quote(&format!("cluster_{}", g.id));
        let style = if g.kind == hld_model::GroupKind::Zone {
            "dashed"
        } else {
            "rounded"
        };
        let _ = writeln!(
            out,
            "{indent}subgraph {name} {{\n{indent}  label={}; style={style}; color=\"#7b8794\";",
            quote(&text::group_title(g))
        );
    };
    let component = |out: &mut String, index: usize, indent: &str| {
        let component = &model.components[index];
        let [name, detail] = text::component_lines(component);
        let (shape, style) = component.kind.info().shapes.dot;
        let stacked = if component.replicas_text().is_some() {
            ", peripheries=2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{indent}{} [label={}, shape={shape}, style=\"{style}\", color=\"{}\"{stacked}];",
            quote(&component.id),
            quote(&format!("{name}\n{detail}")),
            text::accent(component),
        );
    };
    let nesting = text::Nesting {
        open: &open,
        close: "}",
        component: &component,
    };
    nesting.write(model, None, 1, out);
}

/// A DOT double-quoted string: `\n` breaks a line, so a backslash itself is doubled.
/// Graphviz reads no string longer than 16,384 characters; escapes can double one.
const MAX_STRING: usize = 8_000;

fn quote(short: &Shortened, text: &str) -> String {
    text::quoted(&short.within(text), &[])
}
