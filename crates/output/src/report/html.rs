//! The review document as one self-contained HTML file: the Markdown converted, the
//! diagram inline, the styles in the page; nothing is fetched, so it works offline and
//! prints as it shows.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use super::document::Document;
use crate::html::{escape, inline_svg as inline};

pub fn write(document: &Document, svg: Option<&str>) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // No script runs and nothing loads from elsewhere, whatever a label says.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&document.title)));
    out.push_str(STYLE);
    out.push_str("</head>\n<body>\n<main>\n");
    out.push_str(&markdown_to_html(&document.head));
    match svg {
        Some(svg) => {
            out.push_str("<h2>Diagram</h2>\n<figure class=\"diagram\">\n");
            out.push_str(&inline(svg));
            out.push_str("</figure>\n");
        }
        None => out.push_str(&markdown_to_html(&format!(
            "## Diagram\n\n{}\n",
            super::left_out(document)
        ))),
    }
    out.push_str(&markdown_to_html(&document.tail));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// CommonMark with tables; any HTML in it is shown as text, never interpreted, and it
/// links only within the page (an image or a link elsewhere keeps its text alone).
/// Converted a piece at a time ([`pieces`]): pulldown-cmark builds a tree of all it is
/// given, 12 bytes for each byte of a long table (a design with 150,000 findings took
/// 715 MB in it).
fn markdown_to_html(markdown: &str) -> String {
    let pieces = pieces(markdown);
    // Links do not nest: one flag says whether the open one was dropped.
    let mut dropped_link = false;
    let events = pieces
        .iter()
        .flat_map(Piece::events)
        .filter_map(move |event| {
            Some(match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(Tag::Link { ref dest_url, .. }) => {
                    dropped_link = !dest_url.starts_with('#');
                    if dropped_link {
                        return None;
                    }
                    event
                }
                Event::End(TagEnd::Link) if dropped_link => {
                    dropped_link = false;
                    return None;
                }
                Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => return None,
                event => event,
            })
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Rows of a long table parsed at once.
const TABLE_ROWS: usize = 500;

/// Part of the document parsed on its own: a section (a heading ends a block, so the
/// text parses the same cut before each heading), or a run of a long table's rows under
/// a copy of its header, whose events continue the table the first run opened.
struct Piece {
    text: String,
    /// For a run of a table's rows: whether it is the table's first and last run.
    run: Option<(bool, bool)>,
}

impl Piece {
    fn events(&self) -> impl Iterator<Item = Event<'_>> {
        let (first, last) = self.run.unwrap_or((true, true));
        let mut in_head = false;
        Parser::new_ext(&self.text, Options::ENABLE_TABLES).filter(move |event| match event {
            Event::Start(Tag::Table(_)) => first,
            Event::End(TagEnd::Table) => last,
            Event::Start(Tag::TableHead) => {
                in_head = true;
                first
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                first
            }
            _ => first || !in_head,
        })
    }
}

/// The document cut before each heading, and each table longer than [`TABLE_ROWS`]
/// rows cut into runs of rows under its header.
fn pieces(markdown: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('#') {
            pieces.push(Piece {
                text: std::mem::take(&mut text),
                run: None,
            });
        }
        let opens_table = lines[i].starts_with('|') && (i == 0 || lines[i - 1].trim().is_empty());
        // Each line is looked at once: a table's lines are taken together.
        let table = match opens_table {
            true => lines[i..].iter().take_while(|l| l.starts_with('|')).count(),
            false => 1,
        };
        if table > 2 + TABLE_ROWS {
            pieces.push(Piece {
                text: std::mem::take(&mut text),
                run: None,
            });
            let (head, rows) = lines[i..i + table].split_at(2);
            let runs = rows.chunks(TABLE_ROWS).count();
            for (n, run) in rows.chunks(TABLE_ROWS).enumerate() {
                pieces.push(Piece {
                    text: head.iter().chain(run).copied().collect(),
                    run: Some((n == 0, n + 1 == runs)),
                });
            }
        } else {
            lines[i..i + table].iter().for_each(|l| text.push_str(l));
        }
        i += table;
    }
    pieces.push(Piece { text, run: None });
    pieces
}

const STYLE: &str = "<style>
:root { color: #1f2933; background: #ffffff; font: 15px/1.5 Inter, 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #cbd2d9; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.86rem; }
th, td { border: 1px solid #cbd2d9; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f5f7fa; }
code { font-family: 'JetBrains Mono', Menlo, Consolas, monospace; font-size: 0.92em; background: #f5f7fa; padding: 0 0.2em; border-radius: 3px; }
figure.diagram { margin: 1rem 0; overflow-x: auto; }
figure.diagram svg { max-width: 100%; height: auto; }
@media print {
  main { max-width: none; margin: 0; }
  h2 { break-after: avoid; }
  table, figure.diagram { break-inside: avoid; }
  figure.diagram { overflow: visible; }
}
</style>
";

#[cfg(test)]
mod tests {
    use super::{Event, Options, Parser, TABLE_ROWS, html, markdown_to_html, pieces};

    #[test]
    fn links_stay_in_the_page_and_nothing_is_fetched() {
        let html = markdown_to_html(
            "[in the page](#findings) [away](javascript:alert(1)) [far](https://example.com) ![pixel](https://example.com/p.png) <b>bold</b>",
        );
        assert!(
            html.contains("<a href=\"#findings\">in the page</a>"),
            "{html}"
        );
        for bad in ["javascript:", "https://example.com", "<img", "<b>"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        // The text of what was dropped stays.
        for kept in ["away", "far", "pixel", "&lt;b&gt;bold"] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
        assert_eq!(html.matches("<a ").count(), html.matches("</a>").count());
    }

    /// A long table converted in runs of rows reads exactly as it does whole.
    #[test]
    fn a_long_table_converts_in_runs_as_it_does_whole() {
        let mut markdown =
            String::from("# Title\n\nintro with `code`\n\n| # | finding |\n|---|---|\n");
        for row in 0..(2 * TABLE_ROWS + 7) {
            markdown.push_str(&format!("| {row} | *Fix:* `a` <b> {row} |\n"));
        }
        markdown.push_str("\n- after\n\n## Next\n\n| a |\n|---|\n| short |\n");
        let mut whole = String::new();
        let escaped = Parser::new_ext(&markdown, Options::ENABLE_TABLES).map(|e| match e {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            e => e,
        });
        html::push_html(&mut whole, escaped);
        assert_eq!(
            pieces(&markdown).iter().filter(|p| p.run.is_some()).count(),
            3
        );
        assert_eq!(markdown_to_html(&markdown), whole);
    }
}
