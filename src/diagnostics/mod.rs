//! Diagnostics as the user reads them: human (through miette, here), and the machine
//! formats of `hld-output` (JSON, SARIF, GitHub, GitLab). The diagnostic itself is
//! `hld_syntax::diagnostics`, shared by every stage.

mod human;

pub use hld_output::diagnostics::*;
pub use hld_syntax::diagnostics::*;
pub use human::render_human;
