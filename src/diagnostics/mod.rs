//! Diagnostics as the user reads them: human (through miette), the stable JSON of
//! `--format json`, SARIF 2.1.0, GitHub workflow commands and GitLab's Code Quality report. The diagnostic itself is
//! [`crate::diagnostics`], shared by every stage.

mod github;
mod gitlab;
mod human;
mod json;
mod sarif;

pub use github::github_report;
pub use gitlab::gitlab_report;
pub use hld_syntax::diagnostics::*;
pub use human::{render_human, visible};
pub use json::{JsonDiagnostic, JsonReport, Summary, json_report, to_json};
pub use sarif::{SarifRule, sarif_report};
