//! Diagnostics as machines read them: the stable JSON of `--format json`, SARIF 2.1.0,
//! GitHub workflow commands and GitLab's Code Quality report (docs/cli.md). The human
//! rendering, through miette, is the command line's.

mod github;
mod gitlab;
mod json;
mod sarif;

pub use github::github_report;
pub use gitlab::gitlab_report;
pub use json::{
    JsonDiagnostic, JsonReport, Summary, json_report, report as json_report_value, to_json,
};
pub use sarif::{SarifRule, sarif_report};
