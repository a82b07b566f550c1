//! The first stage of hld: `.hld` text → typed AST with spans ([`ast`]), the files of
//! one design with their imports ([`load`]), the comments the formatter keeps, and the
//! [`fmt`] formatter. [`source`] and [`diagnostics`] are the vocabulary every later
//! stage reports in. The grammar lives in `grammar/hld.pest`.
//!
//! Invariant: nothing here knows kinds, attributes or units.

// pest is built without `std` (see Cargo.toml); its generated parser then names `alloc`.
extern crate alloc;

pub mod ast;
mod comments;
pub mod diagnostics;
pub mod fmt;
pub mod load;
mod parser;
pub mod source;

pub use comments::{Comment, comments};
pub use parser::{parse, parse_value};

/// Stack kept free for the recursive stages (parser, lowering, formatter, dropping
/// the AST) before they run on a fresh segment; a design nested thousands of levels
/// deep must not overflow the stack.
const RED_ZONE: usize = 8 * 1024 * 1024;
const STACK_SEGMENT: usize = 64 * 1024 * 1024;

/// Runs `f` with at least [`RED_ZONE`] of stack, on a fresh segment if needed.
pub fn with_deep_stack<T>(f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, f)
}
