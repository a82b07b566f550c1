//! `hld fmt`: one canonical layout, like rustfmt or `d2 fmt`.
//!
//! Two-space indents; one item per line; `name: value` attributes, separated by `, `
//! on one line or one per line without commas; annotations on their own lines; a
//! single blank line kept where the source had one or more. A block written on one
//! line stays on one line while it fits in 100 columns and holds no comment; groups
//! and the blocks written over several lines are one entry per line.
//!
//! Comments are kept where they were, token by token: a comment is printed between
//! the tokens it was written between, on the line of the token before it when it was
//! written on that line, on a line of its own when it was. A line comment always ends
//! its line, so what followed it goes on a continuation line (indented one level
//! more) and never into the comment. A comment inside a value (`[a, /* x */ b]`),
//! which is printed as one token, follows that value. Formatting is idempotent and
//! keeps the AST and every comment (property-tested with comments at every token
//! boundary).

use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};
use crate::{Comment, comments, parse};

const MAX_WIDTH: usize = 100;
const INDENT: &str = "  ";
/// Indentation stops growing past this many levels, so that a file nested thousands
/// deep is not formatted into hundreds of megabytes of spaces.
const MAX_INDENT_LEVELS: usize = 32;

/// The canonical form of a file, or its syntax errors.
pub fn format_text(text: &str) -> Result<String, Vec<Diagnostic>> {
    crate::with_deep_stack(|| {
        let file = FileId(0);
        let (ast, errors) = parse(file, text);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut printer = Printer {
            text,
            comments: comments(file, text),
            next_comment: 0,
            out: String::with_capacity(text.len()),
            depth: 0,
            indent: 0,
            last_end: 0,
        };
        let items: Vec<EntryRef> = ast.items.iter().map(EntryRef::Item).collect();
        printer.entries(&items, text.len());
        let mut out = printer.out;
        while out.ends_with("\n\n") {
            out.pop();
        }
        Ok(out)
    })
}

#[derive(Clone, Copy)]
enum EntryRef<'a> {
    Item(&'a Item),
    Attribute(&'a Attribute),
}

impl EntryRef<'_> {
    fn start(self) -> usize {
        match self {
            EntryRef::Item(item) => {
                item.annotations
                    .first()
                    .map_or(item.span.start, |a| a.span.start) as usize
            }
            EntryRef::Attribute(attribute) => attribute.span.start as usize,
        }
    }
}

fn entry_refs(block: &Block) -> Vec<EntryRef<'_>> {
    block
        .entries
        .iter()
        .map(|entry| match entry {
            Entry::Attribute(a) => EntryRef::Attribute(a),
            Entry::Item(i) => EntryRef::Item(i),
        })
        .collect()
}

struct Printer<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    next_comment: usize,
    out: String,
    /// Nesting of the block being printed.
    depth: usize,
    /// Indentation, in levels, of the next line begun: the depth for an entry, one
    /// more for the continuation of an entry broken by a line comment.
    indent: usize,
    /// Source offset of the end of the last token or comment printed.
    last_end: usize,
}

impl Printer<'_> {
    /// Prints entries one per line, with the comments before each and after the last
    /// (up to `end`, the block's closing brace or the end of the file).
    fn entries(&mut self, entries: &[EntryRef], end: usize) {
        let mut first = true;
        for (i, entry) in entries.iter().enumerate() {
            self.comments_between_entries(entry.start(), &mut first);
            self.blank_line_before(entry.start(), first);
            first = false;
            match *entry {
                EntryRef::Item(item) => self.item(item),
                EntryRef::Attribute(attribute) => self.attribute(attribute),
            }
            self.end_line(entries.get(i + 1).map_or(end, |next| next.start()));
        }
        self.comments_between_entries(end, &mut first);
    }

    /// The comments before the entry (or closing brace) at `next`, each at the start
    /// of a line; one written on the entry's own line stays before it on that line.
    fn comments_between_entries(&mut self, next: usize, first: &mut bool) {
        while let Some(comment) = self.comment_before(next) {
            self.blank_line_before(comment.span.start as usize, *first);
            *first = false;
            self.indent = self.depth;
            self.print_comment(&comment, next);
        }
        self.indent = self.depth;
    }

    /// Adds a blank line where the source had one before `start`, between entries.
    fn blank_line_before(&mut self, start: usize, first_in_block: bool) {
        let gap = self.text.get(self.last_end..start).unwrap_or("");
        if !first_in_block && self.line_is_empty() && gap.matches('\n').count() >= 2 {
            self.out.push('\n');
        }
    }

    /// The next comment if it starts before `offset`, taken from the queue.
    fn comment_before(&mut self, offset: usize) -> Option<Comment> {
        let comment = self.comments.get(self.next_comment)?;
        if comment.span.start as usize >= offset {
            return None;
        }
        self.next_comment += 1;
        Some(comment.clone())
    }

    /// Prints a comment where the output stands, ending the line after it when it is a
    /// line comment or when it ended its line in the source (before `next`, the
    /// token that follows it).
    fn print_comment(&mut self, comment: &Comment, next: usize) {
        self.push(&comment.text);
        let end = comment.span.end as usize;
        self.last_end = self.last_end.max(end);
        let following = self
            .comments
            .get(self.next_comment)
            .map_or(next, |c| (c.span.start as usize).min(next))
            .max(end);
        let ends_line = comment.is_line_comment()
            || following >= self.text.len()
            || self.text[end..following].contains('\n');
        if ends_line {
            self.out.push('\n');
        }
    }

    /// Prints one token whose source starts at `span.start`: first the comments
    /// written before it, each on the line of the token before it or on a line of its
    /// own, as in the source.
    fn token(&mut self, text: &str, span: Span) {
        let (start, end) = (span.start as usize, span.end as usize);
        while let Some(comment) = self.comment_before(start) {
            let comment_start = comment.span.start as usize;
            let on_own_line = self
                .text
                .get(self.last_end..comment_start)
                .is_some_and(|gap| gap.contains('\n'));
            if on_own_line && !self.line_is_empty() {
                self.out.push('\n');
            }
            self.print_comment(&comment, start);
        }
        self.push(text);
        self.last_end = self.last_end.max(end);
        self.indent = self.depth + 1;
    }

    /// Appends to the current line: after its indentation when the line is empty,
    /// else after a space.
    fn push(&mut self, text: &str) {
        if self.line_is_empty() {
            let levels = self.indent.min(MAX_INDENT_LEVELS);
            self.out.extend(std::iter::repeat_n(INDENT, levels));
        } else if !self.out.ends_with(' ') {
            self.out.push(' ');
        }
        self.out.push_str(text);
    }

    fn line_is_empty(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    /// Ends the line. Comments written on the same line as what was just printed, or
    /// inside a token printed whole, stay on it up to the first line comment; `next`
    /// is where the next token starts in the source (comments after it are its own).
    fn end_line(&mut self, next: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            let start = comment.span.start as usize;
            let inside = start < self.last_end;
            let same_line = !inside && !self.text[self.last_end..start].contains('\n');
            if start >= next || !inside && !same_line || self.line_is_empty() {
                break;
            }
            let comment = comment.clone();
            self.next_comment += 1;
            self.push(&comment.text);
            self.last_end = self.last_end.max(comment.span.end as usize);
            if comment.is_line_comment() {
                break;
            }
        }
        if !self.line_is_empty() {
            self.out.push('\n');
        }
    }

    fn has_comment_within(&self, start: usize, end: usize) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .take_while(|c| (c.span.start as usize) < end)
            .any(|c| c.span.start as usize >= start)
    }

    /// The columns taken on the current output line.
    fn line_width(&self) -> usize {
        let start = self.out.rfind('\n').map_or(0, |i| i + 1);
        self.out[start..].chars().count()
    }

    fn item(&mut self, item: &Item) {
        for (i, annotation) in item.annotations.iter().enumerate() {
            self.token(&annotation_text(annotation), annotation.span);
            let next = item
                .annotations
                .get(i + 1)
                .map_or(item.span.start, |a| a.span.start);
            self.end_line(next as usize);
            self.indent = self.depth;
        }
        let keyword = |len: usize| {
            Span::new(
                item.span.file,
                item.span.start as usize,
                item.span.start as usize + len,
            )
        };
        match &item.kind {
            ItemKind::Design(design) => {
                self.token("design", keyword("design".len()));
                self.string(&design.title);
                self.block(design.body.as_ref(), false);
            }
            ItemKind::Import(import) => {
                self.token("import", keyword("import".len()));
                self.string(&import.path);
            }
            ItemKind::Declaration(decl) => {
                self.ident(&decl.keyword);
                self.ident(&decl.id);
                if let Some(label) = &decl.label {
                    self.string(label);
                }
                let is_group = matches!(decl.keyword.name.as_str(), "region" | "zone" | "group");
                self.block(decl.body.as_ref(), is_group);
            }
            ItemKind::Link(link) => {
                self.ident(&link.first);
                for hop in &link.hops {
                    self.token(if hop.bidirectional { "<->" } else { "->" }, hop.arrow);
                    self.ident(&hop.to);
                }
                if let Some(label) = &link.label {
                    self.string(label);
                }
                self.block(link.body.as_ref(), false);
            }
        }
    }

    fn ident(&mut self, ident: &Ident) {
        self.token(&ident.name, ident.span);
    }

    fn string(&mut self, string: &Str) {
        self.token(&string_text(&string.value), string.span);
    }

    fn block(&mut self, block: Option<&Block>, always_multiline: bool) {
        let Some(block) = block else { return };
        let (start, end) = (block.span.start as usize, block.span.end as usize);
        let has_items = block.entries.iter().any(|e| matches!(e, Entry::Item(_)));
        let has_comments = self.has_comment_within(start, end);
        if block.entries.is_empty() && !has_comments && !always_multiline {
            return;
        }
        let written_inline = block.entries.first().is_some_and(|first| {
            let first = match first {
                Entry::Attribute(a) => a.span.start as usize,
                Entry::Item(i) => i.span.start as usize,
            };
            !self.text[start..first].contains('\n')
        });
        if written_inline && !always_multiline && !has_items && !has_comments {
            let inline = inline_block(block);
            if self.line_width() + 1 + inline.chars().count() <= MAX_WIDTH {
                self.token(&inline, block.span);
                return;
            }
        }
        let brace = |at: usize| Span::new(block.span.file, at, at + 1);
        self.token("{", brace(start));
        let entries = entry_refs(block);
        self.end_line(entries.first().map_or(end - 1, |first| first.start()));
        self.depth += 1;
        self.entries(&entries, end - 1);
        self.depth -= 1;
        self.indent = self.depth;
        self.token("}", brace(end - 1));
    }

    fn attribute(&mut self, attribute: &Attribute) {
        self.token(&format!("{}:", attribute.name.name), attribute.name.span);
        self.token(&value_text(&attribute.value), attribute.value.span);
    }
}

fn inline_block(block: &Block) -> String {
    let attributes: Vec<String> = block
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Attribute(a) => Some(attribute_text(a)),
            Entry::Item(_) => None,
        })
        .collect();
    format!("{{ {} }}", attributes.join(", "))
}

fn attribute_text(attribute: &Attribute) -> String {
    format!("{}: {}", attribute.name.name, value_text(&attribute.value))
}

fn annotation_text(annotation: &Annotation) -> String {
    let args: Vec<String> = annotation
        .args
        .iter()
        .map(|arg| match arg {
            AnnotationArg::Name(name) => name.name.clone(),
            AnnotationArg::Str(text) => string_text(&text.value),
        })
        .collect();
    format!("@{}({})", annotation.name.name, args.join(", "))
}

pub fn value_text(value: &Value) -> String {
    match &value.kind {
        ValueKind::Ident(word) => word.clone(),
        ValueKind::Str(text) => string_text(text),
        ValueKind::Quantity(quantity) => quantity.to_string(),
        ValueKind::Range(low, high) => format!("{low}..{high}"),
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Call(call) => {
            let args: Vec<String> = call
                .args
                .iter()
                .map(|arg| match &arg.name {
                    Some(name) => format!("{}: {}", name.name, value_text(&arg.value)),
                    None => value_text(&arg.value),
                })
                .collect();
            format!("{}({})", call.name.name, args.join(", "))
        }
    }
}

/// A string literal that reads back as `value`.
pub fn string_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_text(text).unwrap()
    }

    #[test]
    fn spacing_and_commas_are_canonical() {
        assert_eq!(
            fmt("service   api{replicas:4 deploy:canary}\napi->db{ops:read}\ndatabase db"),
            "service api { replicas: 4, deploy: canary }\napi -> db { ops: read }\ndatabase db\n"
        );
    }

    #[test]
    fn multiline_blocks_stay_multiline_and_comments_stay() {
        let text = "// header\ndesign \"T\" {\n  direction: down // flow\n}\n\n\n\ngroup g {\n  // inside\n  service a\n}\n";
        assert_eq!(
            fmt(text),
            "// header\ndesign \"T\" {\n  direction: down // flow\n}\n\ngroup g {\n  // inside\n  service a\n}\n"
        );
    }

    #[test]
    fn long_inline_blocks_break() {
        let text = format!(
            "service api {{ description: \"{}\", replicas: 2 }}",
            "x".repeat(90)
        );
        let formatted = fmt(&text);
        assert!(formatted.contains("{\n  description:"), "{formatted}");
        assert_eq!(fmt(&formatted), formatted);
    }

    #[test]
    fn a_block_comment_after_a_line_comment_stays_a_comment() {
        assert_eq!(
            fmt("service a // c\n/* x\ny */ \"Label\"\n"),
            "service a // c\n  /* x\ny */ \"Label\"\n"
        );
    }

    #[test]
    fn comments_inside_a_chain_stay_between_its_hops() {
        let text = "a -> // one\nb -> /*\nservice injected\n// */ c\n";
        let formatted = fmt(text);
        assert_eq!(
            formatted,
            "a -> // one\n  b -> /*\nservice injected\n// */ c\n"
        );
        assert_eq!(fmt(&formatted), formatted);
    }

    #[test]
    fn a_comment_between_attributes_stays_beside_the_one_before() {
        assert_eq!(
            fmt("service a { replicas: 2, /* two */ deploy: canary } // t\n"),
            "service a {\n  replicas: 2 /* two */\n  deploy: canary\n} // t\n"
        );
    }

    #[test]
    fn indentation_stops_growing_past_a_sane_depth() {
        let depth = 5_000;
        let text = "group g {\n".repeat(depth) + &"}\n".repeat(depth);
        let formatted = fmt(&text);
        assert!(formatted.len() < 400 * depth, "{} bytes", formatted.len());
        assert_eq!(fmt(&formatted), formatted);
    }

    #[test]
    fn annotations_go_on_their_own_line() {
        assert_eq!(
            fmt("@allow(single-instance,\"nightly\") worker w"),
            "@allow(single-instance, \"nightly\")\nworker w\n"
        );
    }
}
