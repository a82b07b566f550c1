//! docs/attributes.md: every attribute of the schema, by where it is written, with its
//! type, default and meaning, then the calls and the names with a known meaning. A
//! test keeps the committed file equal to this.

use std::fmt::Write as _;

use super::{AttributeSchema, Schema, Shape, ValueType};
use crate::kind::Kind;

/// The attribute reference, in Markdown.
pub fn reference_markdown() -> String {
    let schema = Schema::get();
    let mut doc = String::from(
        "# hld attributes\n\nGenerated from the schema hld checks designs against \
         (`crates/model/data/attributes.toml`); do not edit (a test keeps it in sync: \
         `HLD_BLESS=1 cargo test --test it language::` rewrites it). \
         [language.md](language.md) explains the language around them.\n",
    );
    for (title, on) in sections() {
        let rows: Vec<&AttributeSchema> = schema
            .attributes
            .iter()
            .filter(|a| a.on.contains(&on))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            doc,
            "\n## {title}\n\n| attribute | type | default | meaning |\n|---|---|---|---|\n"
        );
        for attribute in rows {
            let _ = writeln!(
                doc,
                "| `{}` | {} | {} | {} |",
                attribute.name(),
                type_text(&attribute.shape),
                attribute
                    .default
                    .as_deref()
                    .map_or_else(|| "not stated".to_string(), |d| format!("`{d}`")),
                cell(&attribute.doc),
            );
        }
    }
    doc += &calls(schema);
    doc += &meanings(schema);
    doc
}

/// Each section's title and the `on` name it gathers.
fn sections() -> Vec<(String, String)> {
    let mut sections = vec![
        ("The design header".to_string(), "design".to_string()),
        (
            "Groups (`region`, `zone`, `group`)".to_string(),
            "group".to_string(),
        ),
        ("Every component".to_string(), "component".to_string()),
    ];
    sections.extend(
        Kind::ALL
            .iter()
            .map(|kind| (format!("`{kind}`"), kind.as_str().to_string())),
    );
    for (title, on) in [
        ("Links", "link"),
        ("Flows", "flow"),
        ("A flow's steps", "flow_step"),
        ("Scenarios", "scenario"),
    ] {
        sections.push((title.to_string(), on.to_string()));
    }
    sections
}

fn type_text(shape: &Shape) -> String {
    let values = || {
        shape
            .values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(" \\| ")
    };
    let text = match shape.value_type {
        ValueType::Enum => values(),
        ValueType::List => format!("a list of {}", values()),
        ValueType::Bool => "`true \\| false`".to_string(),
        ValueType::String => "a string".to_string(),
        ValueType::Field => "a field name".to_string(),
        ValueType::Range => "a range (`2..20`)".to_string(),
        ValueType::Engine => "an engine".to_string(),
        ValueType::Component => "a component id".to_string(),
        ValueType::Places => "a list of component and group ids".to_string(),
        ValueType::Replication
        | ValueType::Partitioning
        | ValueType::Retry
        | ValueType::RateLimit
        | ValueType::Traffic => format!("a {} (calls below)", shape.value_type.call_word()),
        quantity => quantity
            .dimension()
            .map_or_else(String::new, |d| d.name().to_string()),
    };
    match shape.max {
        Some(max) => format!("{text}, at most {max}"),
        None => text,
    }
}

fn calls(schema: &Schema) -> String {
    let mut doc = String::from(
        "\n## Calls\n\nValues of the replication, partitioning, retry and rate limit \
         attributes. Arguments are named (`leaderless(n: 3, w: 2, r: 2)`) or given in this \
         order; a call without required arguments may be written bare (`retry: none`).\n\n\
         | call | for | parameters |\n|---|---|---|\n",
    );
    for (name, call) in &schema.calls {
        let families: Vec<&str> = call.families.iter().map(|f| f.call_word()).collect();
        let params: Vec<String> = call
            .params
            .iter()
            .map(|p| {
                let required = if p.required { ", required" } else { "" };
                format!("`{}`: {}{required}", p.name, type_text(p))
            })
            .collect();
        let params = if params.is_empty() {
            "none".to_string()
        } else {
            params.join("; ")
        };
        let _ = writeln!(doc, "| `{name}` | {} | {params} |", families.join(", "));
    }
    doc
}

fn meanings(schema: &Schema) -> String {
    let mut doc = String::from(
        "\n## Names with a known meaning\n\nWritten as an attribute, these names are an \
         `unknown-attribute` error whose help says how hld says it.\n\n\
         | written | write instead |\n|---|---|\n",
    );
    for meaning in &schema.meanings {
        let names: Vec<String> = meaning.names.iter().map(|n| format!("`{n}`")).collect();
        let _ = writeln!(doc, "| {} | {} |", names.join(", "), cell(&meaning.write));
    }
    doc
}

/// Text for a table cell: `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every place an attribute may be written has a section, so none is left out.
    #[test]
    fn every_attribute_is_in_the_reference() {
        let sections: Vec<String> = sections().into_iter().map(|(_, on)| on).collect();
        for attribute in &Schema::get().attributes {
            for on in &attribute.on {
                assert!(
                    sections.contains(on),
                    "`{}` on `{on}` has no section",
                    attribute.name()
                );
            }
        }
    }
}
