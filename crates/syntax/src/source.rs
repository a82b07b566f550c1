//! Source files and positions: every span in hld points into a file held here.

use std::path::{Path, PathBuf};

/// Index of a file in a [`Sources`] set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column; columns count Unicode scalar values (docs/cli.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Where a design's text comes from: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The path as the user named it (or as an import resolved it).
    File(PathBuf),
    Stdin,
}

impl Origin {
    /// The path shown in messages: `-` for standard input.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Origin::File(path) => path.clone(),
            Origin::Stdin => PathBuf::from("-"),
        }
    }

    /// The directory its imports and its `hld.toml` are found from: the file's own;
    /// empty (the working directory, so imports keep the paths written) for a file
    /// named without one and for standard input.
    pub fn directory(&self) -> PathBuf {
        match self {
            Origin::File(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
            Origin::Stdin => PathBuf::new(),
        }
    }
}

impl<P: Into<PathBuf>> From<P> for Origin {
    fn from(path: P) -> Origin {
        Origin::File(path.into())
    }
}

pub struct SourceFile {
    /// The path shown in messages: as the user named it (or as an import resolved
    /// it); `-` for stdin.
    pub path: PathBuf,
    pub origin: Origin,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(origin: Origin, text: String) -> SourceFile {
        let path = origin.display_path();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            origin,
            text,
            line_starts,
        }
    }

    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.text[line_start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            - 1
    }

    /// The byte offset where 0-based line `line` starts (the end of the text past the
    /// last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file read during one run, in the order they were read.
#[derive(Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, origin: impl Into<Origin>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(origin.into(), text));
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_unicode_scalars() {
        let mut sources = Sources::default();
        let id = sources.add("a.hld", "ab\n\u{e9}t\u{e9} x".to_string());
        let file = sources.file(id);
        assert_eq!(file.line_column(0), LineColumn { line: 1, column: 1 });
        let x = file.text.find('x').unwrap();
        assert_eq!(file.line_column(x), LineColumn { line: 2, column: 5 });
    }
}
