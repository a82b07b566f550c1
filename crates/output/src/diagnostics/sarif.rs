//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it. Every rule the
//! caller describes goes in `tool.driver.rules` with its help text; compile errors are
//! rules too.

use serde_json::{Value, json};

use super::to_json;
use hld_syntax::diagnostics::{Diagnostic, Severity, code};
use hld_syntax::source::Sources;

/// What SARIF says about one lint rule (the caller knows the rules).
pub struct SarifRule<'a> {
    pub name: &'a str,
    pub category: &'a str,
    pub summary: &'a str,
    /// The help text, plain.
    pub help: String,
    /// The full explanation, in Markdown.
    pub markdown: String,
    pub description: &'a str,
    /// The default level; `None` when the rule is off unless configured.
    pub level: Option<Severity>,
}

pub fn sarif_report(findings: &[(&Sources, &Diagnostic)], rules: &[SarifRule]) -> String {
    let descriptors = rule_descriptors(rules);
    let index_of = |code: &str| descriptors.iter().position(|d| d["id"] == code);
    let results: Vec<Value> = findings
        .iter()
        .map(|(sources, diagnostic)| result(sources, diagnostic, index_of(diagnostic.code)))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "hld",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("SARIF serializes")
}

fn rule_descriptors(rules: &[SarifRule]) -> Vec<Value> {
    let lint = rules.iter().map(|rule| {
        json!({
            "id": rule.name,
            "shortDescription": { "text": rule.summary },
            "fullDescription": { "text": rule.description },
            "help": { "text": rule.help, "markdown": rule.markdown },
            "defaultConfiguration": { "level": sarif_level(rule.level), "enabled": rule.level.is_some() },
            "properties": { "category": rule.category, "tags": [rule.category] },
        })
    });
    let compile = code::ALL.iter().map(|(code, text)| {
        json!({
            "id": code,
            "shortDescription": { "text": text },
            "help": { "text": text },
            "defaultConfiguration": { "level": "error" },
            "properties": { "category": "compile" },
        })
    });
    lint.chain(compile).collect()
}

fn sarif_level(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Info) => "note",
        None => "none",
    }
}

fn result(sources: &Sources, diagnostic: &Diagnostic, rule_index: Option<usize>) -> Value {
    let d = to_json(sources, diagnostic);
    let mut text = d.message.to_owned();
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": i,
                "message": { "text": r.message },
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&r.file.to_string()) },
                    "region": { "startLine": r.line, "startColumn": r.column },
                },
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": d.code,
        "level": sarif_level(Some(diagnostic.severity)),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&d.file.to_string()) },
                "region": {
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    "endColumn": d.end_column.max(if d.end_line == d.line { d.column } else { 1 }),
                },
            },
        }],
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

/// A URI reference for a path: relative with forward slashes (code scanning matches it
/// against the repository), `file://` for an absolute one; every byte outside RFC
/// 3986's unreserved characters and `/` percent-encoded (a space, `#` or `%` in a file
/// name would otherwise change what the URI names).
fn uri(path: &str) -> String {
    let path = path.trim_start_matches("./").replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(byte as char);
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("./designs/a b#1%.hld"), "designs/a%20b%231%25.hld");
        assert_eq!(uri("東.hld"), "%E6%9D%B1.hld");
        assert_eq!(uri("/tmp/x y.hld"), "file:///tmp/x%20y.hld");
    }
}
