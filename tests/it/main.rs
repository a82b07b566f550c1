//! hld's integration tests, one module per suite, in one test binary (each binary
//! links resvg, miette and the whole pipeline again: one binary compiles and links
//! once). `cargo test --test it <suite>::` runs one suite.

mod architecture;
mod browser;
mod cli;
mod common;
mod config;
mod diagnostics;
mod diff;
mod docs;
mod editors;
mod estimate;
mod export;
mod formats;
mod fuzz;
mod language;
mod layout;
mod lsp;
mod lsp_client;
mod mcp;
mod playground;
mod practice;
mod precommit;
mod render;
mod report;
mod rules;
mod simulate;
mod stable;
mod sweep;
mod watch;
