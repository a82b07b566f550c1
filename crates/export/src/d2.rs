//! D2 (d2lang.com): groups as containers, so an edge names its ends by their paths.

use std::fmt::Write;

use hld_model::{Kind, Model};

use crate::text::{self, Line, Shortened};

pub fn write(model: &Model) -> String {
    let short = Shortened::new(MAX_KEY);
    let path = |component: usize| path(model, &short, component);
    let mut out = String::new();
    if let Some(title) = &model.title {
        let _ = writeln!(out, "# {}", title.replace('\n', " "));
    }
    let direction = if crate::lays_out_down(model) {
        "down"
    } else {
        "right"
    };
    let _ = writeln!(out, "direction: {direction}");
    write_nesting(model, &short, &mut out);
    for link in &model.links {
        let arrow = if link.bidirectional { "<->" } else { "->" };
        let from = path(link.from.index());
        let to = path(link.to.index());
        let label = text::link_text(link).map_or(String::new(), |l| format!(": {}", quote(&l)));
        let style = match text::line(model, link) {
            Line::Sync => "",
            Line::Async => " { style.stroke-dash: 4 }",
            Line::Replicate => " { style.stroke-width: 4 }",
            Line::Control => " { style.stroke-dash: 2; style.stroke: \"#9aa5b1\" }",
        };
        let _ = writeln!(out, "{from} {arrow} {to}{label}{style}");
    }
    for relation in model.relations() {
        let from = path(relation.from.index());
        let to = path(relation.to.index());
        let _ = writeln!(
            out,
            "{from} -> {to}: {} {{ style.stroke-dash: 2; style.stroke: \"#9aa5b1\" }}",
            quote(relation.kind.attribute.name())
        );
    }
    out.push_str(&short.note("#"));
    out
}

/// Declares the containers and shapes, nested as in the design.
fn write_nesting(model: &Model, short: &Shortened, out: &mut String) {
    let key = |id: &str| key(short, id);
    let open = |out: &mut String, group: usize, indent: &str| {
        let g = &model.groups[group];
        let _ = writeln!(
            out,
            "{indent}{}: {} {{",
            key(&g.id),
            quote(&text::group_title(g))
        );
        if g.kind == hld_model::GroupKind::Zone {
            let _ = writeln!(out, "{indent}  style.stroke-dash: 3");
        }
    };
    let component = |out: &mut String, index: usize, indent: &str| {
        let component = &model.components[index];
        let [name, detail] = text::component_lines(component);
        let label = quote(&format!("{name}\n{detail}"));
        let _ = write!(
            out,
            "{indent}{}: {label} {{ shape: {}; style.stroke: \"{}\"",
            key(&component.id),
            component.kind.info().shapes.d2,
            text::accent(component)
        );
        if component.replicas_text().is_some() {
            out.push_str("; style.multiple: true");
        }
        if component.kind == Kind::External {
            out.push_str("; style.stroke-dash: 4");
        }
        out.push_str(" }\n");
    };
    let nesting = text::Nesting {
        open: &open,
        close: "}",
        component: &component,
    };
    nesting.write(model, None, 0, out);
}

/// A component's key from the top: its groups' ids, then its own, each quoted.
fn path(model: &Model, short: &Shortened, component: usize) -> String {
    let mut keys = vec![key(short, &model.components[component].id)];
    let mut group = model.components[component].group;
    while let Some(g) = group {
        keys.push(key(short, &model.groups[g].id));
        group = model.groups[g].parent;
    }
    keys.reverse();
    keys.join(".")
}

/// A D2 double-quoted string; `$` is escaped since D2 substitutes `${…}` in them.
fn quote(text: &str) -> String {
    text::quoted(text, &['$'])
}

/// D2 refuses keys over 518 characters; escapes can double one.
const MAX_KEY: usize = 250;

/// A key (a group's or component's id), shortened where D2 would refuse it.
fn key(short: &Shortened, id: &str) -> String {
    quote(&short.within(id))
}
