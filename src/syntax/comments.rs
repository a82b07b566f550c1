//! Comments are not in the AST (pest drops them as trivia); the formatter finds them
//! here by span and puts them back beside the items they precede or follow.

use crate::source::{FileId, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub span: Span,
    /// The comment as written, `//` or `/* */` included, trailing blanks removed.
    pub text: String,
}

/// Every comment of a file that parsed, in order. Strings are skipped the way the
/// grammar reads them, so `"http://x"` holds no comment.
pub fn comments(file: FileId, text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                found.push(comment(file, text, i, end));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |n| i + 2 + n + 2);
                found.push(comment(file, text, i, end));
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

fn comment(file: FileId, text: &str, start: usize, end: usize) -> Comment {
    Comment {
        span: Span::new(file, start, end),
        text: text[start..end].trim_end().to_string(),
    }
}

fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i + 1,
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
        let text = "a -> b { label: \"http://x\" } // hop\n/* block\n */ c";
        let found: Vec<String> = comments(FileId(0), text)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(found, vec!["// hop", "/* block\n */"]);
    }
}
