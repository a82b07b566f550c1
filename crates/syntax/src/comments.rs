//! Comments are not in the AST (pest drops them as trivia); the formatter finds them
//! here by span and puts them back beside the tokens they precede or follow.
//!
//! Strings and comments are skipped exactly as the grammar reads them: a string ends
//! at its closing quote or its line (a backslash escapes any character but a line
//! break), a line comment at its line break, a block comment at the first `*/` (it may
//! hold `//` and `"`). The nesting check of the parser skips them the same way.

use crate::source::{FileId, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// The comment as written, `//` or `/* */` included, trailing blanks removed.
    pub text: String,
}

impl Comment {
    /// A `//` comment, which runs to the end of its line.
    pub fn is_line_comment(&self) -> bool {
        self.text.starts_with("//")
    }
}

/// Every comment of a file, in order; `"http://x"` holds no comment.
pub fn comments(file: FileId, text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            i = string_end(bytes, i);
        } else if let Some(end) = comment_end(bytes, i) {
            found.push(Comment {
                span: Span::new(file, i, end),
                text: text[i..end].trim_end().to_string(),
            });
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// Where the comment starting at `i` ends (after its `*/`, or at its line break),
/// if one starts there.
pub(super) fn comment_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'/') {
        return None;
    }
    let find = |from: usize, needle: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| from + p)
    };
    match bytes.get(i + 1) {
        Some(b'/') => Some(find(i, b"\n").unwrap_or(bytes.len())),
        Some(b'*') => Some(find(i + 2, b"*/").map_or(bytes.len(), |p| p + 2)),
        _ => None,
    }
}

/// Where the string whose opening quote is at `quote` ends: after its closing quote,
/// or at the line break (or end of text) that leaves it unterminated.
pub(super) fn string_end(bytes: &[u8], quote: usize) -> usize {
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\n' => return i,
            b'\\' if bytes.get(i + 1) != Some(&b'\n') => i += 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let text = "a -> b { label: \"http://x\" } // hop\n/* block\n // \" */ c \"\\\"/*\"";
        let found: Vec<String> = comments(FileId(0), text)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(found, vec!["// hop", "/* block\n // \" */"]);
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line() {
        let found = comments(FileId(0), "x: \"abc\\\n// real");
        assert_eq!(found[0].text, "// real");
    }
}
