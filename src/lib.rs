//! hld: a compiler for high-level designs written as text.
//!
//! The pipeline, one crate per stage (ARCHITECTURE.md): [`syntax`] (text → AST,
//! imports, fmt) → [`model`] (the checked design) → [`analysis`] (facts, estimates,
//! rules) → [`layout`] → [`render`] → [`export`]. This crate is the front end: the command line
//! ([`cli`]) and the output of diagnostics ([`diagnostics`]). The stages are re-exported
//! under their names for the tests and benches.

pub mod cli;
pub mod diagnostics;

pub use hld_analysis as analysis;
pub use hld_analysis::{Lint, compile, compile_file, config};
pub use hld_export as export;
pub use hld_layout as layout;
pub use hld_lsp as lsp;
pub use hld_model as model;
pub use hld_model::Compilation;
pub use hld_output as output;
pub use hld_render as render;
pub use hld_syntax as syntax;
pub use hld_syntax::{fmt, load, source};
