//! `--format gitlab`: GitLab's Code Quality report (a JSON array of issues, the Code
//! Climate format GitLab reads as `artifacts: reports: codequality`), shown in merge
//! requests beside the lines they are about.

use std::collections::HashMap;

use serde::Serialize;
use sha2::Digest as _;

use super::to_json;
use hld_syntax::diagnostics::{Diagnostic, Severity};
use hld_syntax::source::Sources;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn gitlab_report(findings: &[(&Sources, &Diagnostic)]) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = findings
        .iter()
        .map(|(sources, diagnostic)| {
            let d = to_json(sources, diagnostic);
            // GitLab matches paths from the repository's root: no `./`.
            let file = d.file.to_string();
            let path = file.strip_prefix("./").unwrap_or(&file).to_owned();
            // Stable while lines move: the rule, the file, the element and the message;
            // a count tells identical findings apart, as GitLab needs each one unique.
            let identity = format!(
                "{}\0{}\0{}\0{}",
                d.code,
                path,
                d.element.map(|e| e.to_string()).unwrap_or_default(),
                d.message
            );
            let occurrence = seen.entry(identity.clone()).or_default();
            *occurrence += 1;
            let digest = sha2::Sha256::digest(format!("{identity}\0{occurrence}"));
            let mut description = d.message.to_owned();
            if let Some(help) = &d.help {
                description.push_str(". Fix: ");
                description.push_str(help);
            }
            Issue {
                kind: "issue",
                check_name: d.code,
                description,
                categories: [category(d.category)],
                severity: match diagnostic.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                fingerprint: digest.iter().map(|b| format!("{b:02x}")).collect(),
                location: Location {
                    path,
                    lines: Lines {
                        begin: d.line,
                        end: d.end_line,
                    },
                },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("serializes")
}

/// The Code Climate category closest to an hld rule category.
fn category(hld: &str) -> &'static str {
    match hld {
        "security" => "Security",
        "capacity" | "caching" => "Performance",
        "compile" | "meta" => "Bug Risk",
        "operability" => "Clarity",
        _ => "Bug Risk",
    }
}
