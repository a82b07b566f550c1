//! Syntax: `.hld` text → typed AST with spans ([`ast`]), plus the comments the
//! formatter keeps. The grammar lives in `grammar/hld.pest`.

pub mod ast;
mod comments;
mod parser;

pub use comments::{Comment, comments};
pub use parser::{parse, parse_value};
