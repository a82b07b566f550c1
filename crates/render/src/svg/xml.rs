//! An XML element writer that escapes by construction (as typst-svg writes through
//! `xmlwriter`): elements are opened and closed, attributes and text are values the
//! writer escapes itself, and there is no way to put raw markup in. The SVG and the
//! draw.io export are written through it, so a design's names are text in both.
//!
//! Layout of the output: an element holding elements puts each on its own line; the
//! text elements (`text`, `tspan`, `title`) keep their content on one line, since
//! whitespace inside them is drawn.

use std::fmt::Write as _;

/// Elements whose content stays on one line.
const INLINE: [&str; 3] = ["text", "tspan", "title"];

pub struct Xml {
    out: String,
    /// Spaces per level before each line of block content (0: none).
    indent: usize,
    /// Open elements, innermost last: the name and whether its content is inline.
    open: Vec<(&'static str, bool)>,
    /// Whether the innermost element's start tag still takes attributes (no `>` yet).
    in_start: bool,
}

impl Xml {
    pub fn with_capacity(capacity: usize) -> Xml {
        Xml {
            out: String::with_capacity(capacity),
            indent: 0,
            open: Vec::new(),
            in_start: false,
        }
    }

    /// A writer that indents block content by `indent` spaces per level.
    pub fn indented(indent: usize) -> Xml {
        Xml {
            indent,
            ..Xml::with_capacity(4096)
        }
    }

    /// Opens `<name`: attributes follow, then content or `end`.
    pub fn start(&mut self, name: &'static str) -> &mut Xml {
        self.close_start();
        if !self.inside_inline() {
            self.line_start(self.open.len());
        }
        self.out.push('<');
        self.out.push_str(name);
        let inline = INLINE.contains(&name) || self.inside_inline();
        self.open.push((name, inline));
        self.in_start = true;
        self
    }

    /// An attribute of the element just opened, its value escaped (or written as the
    /// number it is).
    pub fn attr(&mut self, name: &'static str, value: impl Attribute) -> &mut Xml {
        assert!(self.in_start, "an attribute after the element's content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        value.write_to(&mut self.out);
        self.out.push('"');
        self
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) -> &mut Xml {
        self.close_start();
        escape_into(&mut self.out, text, Context::Text);
        self
    }

    /// Closes the innermost element (`/>` when it has no content).
    pub fn end(&mut self) {
        let (name, inline) = self.open.pop().expect("an element to close");
        if std::mem::take(&mut self.in_start) {
            self.out.push_str("/>");
        } else {
            if !inline {
                self.line_start(self.open.len());
            }
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        if !self.inside_inline() {
            self.out.push('\n');
        }
    }

    /// An element with only text: `<name attrs…>text</name>`, attributes given by `attrs`.
    pub fn text_element(&mut self, name: &'static str, attrs: impl FnOnce(&mut Xml), text: &str) {
        self.start(name);
        attrs(self);
        self.text(text);
        self.end();
    }

    /// The document, every element closed.
    pub fn finish(self) -> String {
        assert!(self.open.is_empty(), "unclosed elements: {:?}", self.open);
        self.out
    }

    /// Ends the start tag of the innermost element, if still open; a block element's
    /// content starts on a line of its own.
    fn close_start(&mut self) {
        if std::mem::take(&mut self.in_start) {
            self.out.push('>');
            if !self.inside_inline() {
                self.out.push('\n');
            }
        }
    }

    /// The indentation of a line of block content at `depth`.
    fn line_start(&mut self, depth: usize) {
        for _ in 0..self.indent * depth {
            self.out.push(' ');
        }
    }

    fn inside_inline(&self) -> bool {
        self.open.last().is_some_and(|&(_, inline)| inline)
    }
}

/// What an attribute's value can be: text (escaped) or a number (written as is).
pub trait Attribute {
    fn write_to(&self, out: &mut String);
}

impl Attribute for &str {
    fn write_to(&self, out: &mut String) {
        escape_into(out, self, Context::Attribute);
    }
}

impl Attribute for &String {
    fn write_to(&self, out: &mut String) {
        self.as_str().write_to(out);
    }
}

impl Attribute for String {
    fn write_to(&self, out: &mut String) {
        self.as_str().write_to(out);
    }
}

impl Attribute for usize {
    fn write_to(&self, out: &mut String) {
        write!(out, "{self}").expect("writing to a String");
    }
}

impl Attribute for Num {
    fn write_to(&self, out: &mut String) {
        write!(out, "{self}").expect("writing to a String");
    }
}

/// Where escaped text goes: an attribute's value keeps its line breaks and tabs only
/// as character references (a parser turns literal ones into spaces).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// Appends `text` XML-escaped: runs of characters that need nothing are copied whole,
/// and text of plain printable ASCII (path data, numbers, nearly every name) at once.
fn escape_into(out: &mut String, text: &str, context: Context) {
    let plain = |b: u8| matches!(b, b' '..=b'~') && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if text.bytes().all(plain) {
        out.push_str(text);
        return;
    }
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '\n' if context == Context::Attribute => "&#xa;",
            '\t' if context == Context::Attribute => "&#x9;",
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => " ",
            // Nor are U+FFFE and U+FFFF; C1 controls are allowed but mean nothing in
            // a picture (and some renderers choke on them).
            '\u{fffe}' | '\u{ffff}' | '\u{7f}'..='\u{9f}' => "\u{fffd}",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

/// A number as SVG wants it: at most two decimals, no trailing zeros, no `-0`. Written
/// from whole hundredths (formatting floats was a tenth of the render), straight into
/// the output: a route's path data is written without a string per number.
pub fn num(value: f64) -> Num {
    Num((value * 100.0).round() as i64)
}

/// A number in whole hundredths, displayed as `num` describes.
#[derive(Clone, Copy)]
pub struct Num(i64);

impl std::fmt::Display for Num {
    /// Digits written by hand into a buffer: through `core::fmt`'s integer formatting a
    /// number cost about 500 instructions, and a 10,000-component drawing has 3 million.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let magnitude = self.0.unsigned_abs();
        let (mut whole, cents) = (magnitude / 100, magnitude % 100);
        // Filled from the end: the decimals, then the whole part, then the sign.
        let mut buffer = [0u8; 24];
        let mut start = buffer.len();
        let mut put = |byte: u8| {
            start -= 1;
            buffer[start] = byte;
        };
        if cents % 10 != 0 {
            put(b'0' + (cents % 10) as u8);
        }
        if cents != 0 {
            put(b'0' + (cents / 10) as u8);
            put(b'.');
        }
        loop {
            put(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            put(b'-');
        }
        f.write_str(std::str::from_utf8(&buffer[start..]).expect("ASCII digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole hundredths write what `{:.2}` with trailing zeros cut wrote.
    #[test]
    fn numbers_are_written_as_before() {
        for value in [
            0.0,
            -0.0,
            -0.004,
            0.005,
            1.0,
            1.5,
            1.25,
            -1.25,
            12.3456,
            999.999,
            -7.1,
            1e9 + 0.01,
        ] {
            let text = format!("{:.2}", crate::round(value));
            let expected = text.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(num(value).to_string(), expected, "{value}");
        }
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0).to_string(), "12");
        assert_eq!(num(12.345).to_string(), "12.35");
        assert_eq!(num(-0.001).to_string(), "0");
        assert_eq!(num(0.5).to_string(), "0.5");
    }

    #[test]
    fn escape_covers_markup_and_control_characters() {
        let mut xml = Xml::with_capacity(0);
        let text = "<script>&\"'\u{1}é\u{85}x\u{ffff}\n";
        xml.start("text").attr("a", text).text(text).end();
        let escaped = "&lt;script&gt;&amp;&quot;&apos; é\u{fffd}x\u{fffd}";
        assert_eq!(
            xml.finish(),
            format!("<text a=\"{escaped}&#xa;\">{escaped}\n</text>\n")
        );
    }

    /// Plain printable ASCII is copied whole; each character that needs escaping is
    /// escaped also when it is the only one in a run of plain text.
    #[test]
    fn plain_ascii_is_copied_and_each_special_character_escaped() {
        let plain: String = (' '..='~').filter(|c| !"&<>\"'".contains(*c)).collect();
        for (c, escaped) in [
            ('&', "&amp;"),
            ('<', "&lt;"),
            ('>', "&gt;"),
            ('"', "&quot;"),
        ] {
            let mut out = String::new();
            escape_into(&mut out, &format!("{plain}{c}{plain}"), Context::Attribute);
            assert_eq!(out, format!("{plain}{escaped}{plain}"));
        }
        for context in [Context::Text, Context::Attribute] {
            let mut out = String::new();
            escape_into(&mut out, &plain, context);
            assert_eq!(out, plain);
        }
        let mut out = String::new();
        escape_into(&mut out, "a\u{7f}b\tc", Context::Attribute);
        assert_eq!(out, "a\u{fffd}b&#x9;c");
    }

    #[test]
    fn block_content_is_indented_when_asked() {
        let mut xml = Xml::indented(2);
        xml.start("a").start("b").start("c").end();
        xml.end();
        xml.start("d").attr("x", "1").end();
        xml.end();
        assert_eq!(
            xml.finish(),
            "<a>\n  <b>\n    <c/>\n  </b>\n  <d x=\"1\"/>\n</a>\n"
        );
    }

    /// Block content on lines of its own, text elements on one line, names and text
    /// escaped wherever they go.
    #[test]
    fn elements_nest_and_escape_by_construction() {
        let mut xml = Xml::with_capacity(0);
        xml.start("g").attr("class", "a\"b").attr("x", num(1.5));
        xml.text_element("title", |_| {}, "<i>");
        xml.start("text");
        xml.start("tspan")
            .attr("font-weight", "600")
            .text("code")
            .end();
        xml.text(" & more");
        xml.end();
        xml.start("rect").attr("width", 3usize).end();
        xml.end();
        assert_eq!(
            xml.finish(),
            "<g class=\"a&quot;b\" x=\"1.5\">\n<title>&lt;i&gt;</title>\n\
             <text><tspan font-weight=\"600\">code</tspan> &amp; more</text>\n\
             <rect width=\"3\"/>\n</g>\n"
        );
    }
}
