//! What an agent can read before it writes a design: the language reference and the
//! rule catalogue, the same documents as docs/language.md and docs/rules.md.

use serde_json::{Value, json};

/// `(uri, name, title, description)`.
const RESOURCES: [(&str, &str, &str, &str); 2] = [
    (
        "hld://docs/language.md",
        "language",
        "The hld language",
        "How to write a design: components, links, groups, flows, scenarios, every attribute",
    ),
    (
        "hld://docs/rules.md",
        "rules",
        "The rule catalogue",
        "Every rule hld checks: the trade-off, a bad and a good example, further reading",
    ),
];

const LANGUAGE: &str = include_str!("../../../docs/language.md");

pub fn list() -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|(uri, name, title, description)| {
            json!({"uri": uri, "name": name, "title": title, "description": description, "mimeType": "text/markdown"})
        })
        .collect();
    json!({ "resources": resources })
}

/// The resource at `uri`, or `None` when there is none.
pub fn read(uri: &str) -> Option<Value> {
    let text = match uri {
        "hld://docs/language.md" => LANGUAGE.to_string(),
        "hld://docs/rules.md" => hld_analysis::explain::reference(),
        _ => return None,
    };
    Some(json!({ "contents": [{ "uri": uri, "mimeType": "text/markdown", "text": text }] }))
}
