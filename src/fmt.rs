//! `hld fmt`: one canonical layout, like rustfmt or `d2 fmt`.
//!
//! Two-space indents; one item per line; `name: value` attributes, separated by `, `
//! on one line or one per line without commas; annotations on their own lines; a
//! single blank line kept where the source had one or more. A block written on one
//! line stays on one line while it fits in 100 columns and holds no comment; groups
//! and the blocks written over several lines are one entry per line. Comments stay
//! beside what they preceded or followed. Formatting is idempotent and keeps the AST
//! (tested on every example).

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::*;
use crate::syntax::{self, Comment};

const MAX_WIDTH: usize = 100;
const INDENT: &str = "  ";

/// The canonical form of a file, or its syntax errors.
pub fn format_text(text: &str) -> Result<String, Vec<Diagnostic>> {
    crate::with_deep_stack(|| {
        let file = FileId(0);
        let (ast, errors) = syntax::parse(file, text);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut printer = Printer {
            text,
            comments: syntax::comments(file, text),
            next_comment: 0,
            out: String::with_capacity(text.len()),
            depth: 0,
            last_end: 0,
        };
        printer.entries(ast.items.iter().map(EntryRef::Item), text.len());
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

    fn end(self) -> usize {
        match self {
            EntryRef::Item(item) => item.span.end as usize,
            EntryRef::Attribute(attribute) => attribute.span.end as usize,
        }
    }
}

fn entry_refs(block: &Block) -> impl Iterator<Item = EntryRef<'_>> {
    block.entries.iter().map(|entry| match entry {
        Entry::Attribute(a) => EntryRef::Attribute(a),
        Entry::Item(i) => EntryRef::Item(i),
    })
}

struct Printer<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    next_comment: usize,
    out: String,
    depth: usize,
    /// Source offset of the end of what was printed last, for blank lines.
    last_end: usize,
}

impl Printer<'_> {
    /// Prints entries one per line, with the comments before each and after the last
    /// (up to `end`, the block's closing brace or the end of the file).
    fn entries<'e>(&mut self, entries: impl Iterator<Item = EntryRef<'e>>, end: usize) {
        let mut first = true;
        for entry in entries {
            self.leading_comments(entry.start(), &mut first);
            self.new_line(entry.start(), first);
            first = false;
            match entry {
                EntryRef::Item(item) => self.item(item),
                EntryRef::Attribute(attribute) => self.attribute(attribute),
            }
            self.last_end = entry.end();
            self.trailing_comment();
        }
        self.leading_comments(end, &mut first);
    }

    /// Starts a line at the current depth, after a blank line where the source had one.
    fn new_line(&mut self, start: usize, first_in_block: bool) {
        let gap = &self.text[self.last_end.min(start)..start];
        if !first_in_block && gap.matches('\n').count() >= 2 {
            self.out.push('\n');
        }
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    fn leading_comments(&mut self, before: usize, first: &mut bool) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start as usize >= before {
                break;
            }
            let comment = comment.clone();
            self.next_comment += 1;
            self.new_line(comment.span.start as usize, *first);
            *first = false;
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.last_end = comment.span.end as usize;
        }
    }

    /// Ends the line. A comment written on the same line as what was just printed
    /// stays on it, and so do comments inside it that the printer had no place for
    /// (`service a /* x */ { ... }` printed on one line).
    fn trailing_comment(&mut self) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            let start = comment.span.start as usize;
            let same_line =
                start >= self.last_end && !self.text[self.last_end..start].contains('\n');
            if start >= self.last_end && !same_line {
                break;
            }
            self.out.push(' ');
            self.out.push_str(&comment.text);
            self.last_end = self.last_end.max(comment.span.end as usize);
            self.next_comment += 1;
        }
        self.out.push('\n');
    }

    fn has_comment_within(&self, start: usize, end: usize) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .take_while(|c| (c.span.start as usize) < end)
            .any(|c| c.span.start as usize >= start)
    }

    fn item(&mut self, item: &Item) {
        for annotation in &item.annotations {
            self.out.push_str(&annotation_text(annotation));
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str(INDENT);
            }
        }
        match &item.kind {
            ItemKind::Design(design) => {
                let head = format!("design {}", string_text(&design.title.value));
                self.head_and_block(head, design.body.as_ref(), false);
            }
            ItemKind::Import(import) => self
                .out
                .push_str(&format!("import {}", string_text(&import.path.value))),
            ItemKind::Declaration(decl) => {
                let mut head = format!("{} {}", decl.keyword.name, decl.id.name);
                push_label(&mut head, decl.label.as_ref());
                let is_group = matches!(decl.keyword.name.as_str(), "region" | "zone" | "group");
                self.head_and_block(head, decl.body.as_ref(), is_group);
            }
            ItemKind::Link(link) => {
                let mut head = link.first.name.clone();
                for hop in &link.hops {
                    head.push_str(if hop.bidirectional { " <-> " } else { " -> " });
                    head.push_str(&hop.to.name);
                }
                push_label(&mut head, link.label.as_ref());
                self.head_and_block(head, link.body.as_ref(), false);
            }
        }
    }

    fn head_and_block(&mut self, head: String, block: Option<&Block>, always_multiline: bool) {
        self.out.push_str(&head);
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
            let width =
                self.depth * INDENT.len() + head.chars().count() + 1 + inline.chars().count();
            if width <= MAX_WIDTH {
                self.out.push(' ');
                self.out.push_str(&inline);
                return;
            }
        }
        self.out.push_str(" {");
        self.last_end = start + 1;
        self.trailing_comment();
        self.depth += 1;
        self.entries(entry_refs(block), end - 1);
        self.depth -= 1;
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
        self.out.push('}');
    }

    fn attribute(&mut self, attribute: &Attribute) {
        self.out.push_str(&attribute_text(attribute));
    }
}

fn push_label(head: &mut String, label: Option<&Str>) {
    if let Some(label) = label {
        head.push(' ');
        head.push_str(&string_text(&label.value));
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
    fn annotations_go_on_their_own_line() {
        assert_eq!(
            fmt("@allow(single-instance,\"nightly\") worker w"),
            "@allow(single-instance, \"nightly\")\nworker w\n"
        );
    }
}
