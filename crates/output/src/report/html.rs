//! The review document as one self-contained HTML file: the Markdown converted, the
//! diagram inline, the styles in the page; nothing is fetched, so it works offline and
//! prints as it shows.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use super::document::Document;

pub fn write(document: &Document, svg: &str) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // No script runs and nothing loads from elsewhere, whatever a label says.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&document.title)));
    out.push_str(STYLE);
    out.push_str("</head>\n<body>\n<main>\n");
    out.push_str(&markdown_to_html(&document.head));
    out.push_str("<h2>Diagram</h2>\n<figure class=\"diagram\">\n");
    out.push_str(&inline(svg));
    out.push_str("</figure>\n");
    out.push_str(&markdown_to_html(&document.tail));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// CommonMark with tables; any HTML in it is shown as text, never interpreted, and it
/// links only within the page (an image or a link elsewhere keeps its text alone).
fn markdown_to_html(markdown: &str) -> String {
    // Links do not nest: one flag says whether the open one was dropped.
    let mut dropped_link = false;
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).filter_map(move |event| {
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
    html::push_html(&mut out, parser);
    out
}

/// hld's SVG inside HTML, where the parser gives `<svg>` its namespace itself.
fn inline(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
    use super::markdown_to_html;

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
}
