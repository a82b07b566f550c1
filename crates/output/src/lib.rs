//! What front ends print (the command line, and the language server and playground to
//! come): the estimate and what-if as tables, Markdown and JSON, diagnostics in the
//! machine formats, and the design-review document. Pure functions of a compilation;
//! nothing here reads files or writes anywhere.

pub mod diagnostics;
pub mod diff;
pub mod estimate;
pub mod html;
pub mod markdown;
pub mod playback;
pub mod practice;
pub mod report;
pub mod simulate;
pub mod sweep;
pub mod whatif;

/// How `hld estimate` and `hld what-if` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    Markdown,
    /// The versioned JSON of docs/cli.md.
    Json,
}
