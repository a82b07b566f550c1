//! Markdown, one way: everything hld writes into Markdown that it did not write itself
//! (a title, a label, a description, an `@allow` reason, a finding's message that
//! quotes the design) goes through [`text`], so that it is text and nothing else.

/// Text as plain Markdown: every character Markdown or HTML would read as syntax is
/// escaped, so no text can open a code span, a link, an image, emphasis, raw HTML or a
/// comment, and a line break cannot start a block (a heading, a list, a table row).
pub fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '<' | '>'
            | '&' | '-' | '+' | '=' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(hld_syntax::diagnostics::visible_char(c)),
        }
    }
    out
}

/// hld's own words in a table cell, which quote names and the design's text between
/// backticks: each quoted part becomes a code span of its own (its content cannot hold a
/// backtick, so nothing in it can close the span early), everything else is [`text`].
/// A backtick left without its pair is shown as a backtick.
pub fn message(raw: &str) -> String {
    let parts: Vec<&str> = raw.split('`').collect();
    let mut out = String::with_capacity(raw.len() + 8);
    for (index, part) in parts.iter().enumerate() {
        let quoted = index % 2 == 1;
        let closed = index + 1 < parts.len();
        match (quoted, closed) {
            (true, true) if !part.trim().is_empty() => {
                out.push('`');
                for c in part.chars() {
                    match c {
                        // GitHub's tables split cells at `|` even inside code.
                        '|' => out.push_str("\\|"),
                        '\n' | '\r' => out.push(' '),
                        c => out.push(hld_syntax::diagnostics::visible_char(c)),
                    }
                }
                out.push('`');
            }
            (true, true) => out.push_str(&text(&format!("`{part}`"))),
            (true, false) => {
                out.push_str("\\`");
                out.push_str(&text(part));
            }
            (false, _) => out.push_str(&text(part)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{message, text};
    use pulldown_cmark::{Event, Parser, Tag};

    /// What a reader's renderer would make of `text(raw)` inside a table cell.
    fn events(raw: &str) -> Vec<Event<'static>> {
        let markdown = format!("| a |\n|---|\n| {} |\n", text(raw));
        Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES)
            .map(Event::into_static)
            .collect()
    }

    #[test]
    fn no_text_opens_a_construct() {
        for raw in [
            "<!-- the rest disappears",
            "<script>alert(1)</script>",
            "[click](javascript:alert(1))",
            "![x](https://example.com/track.png)",
            "<https://example.com>",
            "``code` `",
            "a | b",
            "line\n# heading\n- item",
            "**bold** _em_ ~~strike~~",
            "%%{init: {\"theme\": \"dark\"}}%%",
        ] {
            for event in events(raw) {
                assert!(
                    !matches!(
                        event,
                        Event::Html(_)
                            | Event::InlineHtml(_)
                            | Event::Code(_)
                            | Event::Start(
                                Tag::Link { .. }
                                    | Tag::Image { .. }
                                    | Tag::Emphasis
                                    | Tag::Strong
                                    | Tag::Strikethrough
                                    | Tag::Heading { .. }
                                    | Tag::List(_)
                            )
                    ),
                    "{raw:?} made {event:?}"
                );
            }
            // And the text survives, one table cell.
            let shown: String = events(raw)
                .into_iter()
                .filter_map(|e| match e {
                    Event::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            assert!(
                shown.ends_with(&raw.replace('\n', " ")),
                "{raw:?} shown as {shown:?}"
            );
        }
    }

    #[test]
    fn a_message_quotes_in_code_and_the_quoted_text_cannot_break_out() {
        let cell = |raw: &str| {
            let markdown = format!("| a |\n|---|\n| {} |\n", message(raw));
            Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES)
                .map(Event::into_static)
                .collect::<Vec<_>>()
        };
        let code: Vec<String> = cell("unknown engine `pg` on `db`")
            .into_iter()
            .filter_map(|e| match e {
                Event::Code(c) => Some(c.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(code, ["pg", "db"]);
        // The design's text with backticks, markup and pipes in it.
        for raw in [
            "unknown engine `pg`<!--sql` here",
            "engine `a|b` and `<script>x</script>`",
            "odd ` count `of` backticks",
        ] {
            for event in cell(raw) {
                assert!(
                    !matches!(
                        event,
                        Event::Html(_)
                            | Event::InlineHtml(_)
                            | Event::Start(Tag::Link { .. } | Tag::Image { .. })
                    ),
                    "{raw:?} made {event:?}"
                );
            }
            // One cell: a pipe inside a quote does not split it.
            let cells = cell(raw)
                .iter()
                .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
                .count();
            assert_eq!(cells, 2, "{raw:?}");
        }
    }
}
