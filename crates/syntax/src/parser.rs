//! pest parse tree → AST, with error recovery and friendly syntax errors.

use std::sync::{PoisonError, RwLock};

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::{Pair, Pairs};
use rayon::prelude::*;

use super::ast::*;
use super::comments::{comment_end, string_end};
use crate::diagnostics::{Diagnostic, code};
use crate::source::{FileId, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/hld.pest"]
struct HldParser;

/// Files nested deeper than this are refused with a syntax error instead of being
/// parsed: deep enough for any design, shallow enough to bound stack and memory.
pub const MAX_NESTING: usize = 10_000;

/// Syntax errors reported per file before the parser gives up on the rest.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Stack given to the parse of a deeply nested file, per level of nesting.
const STACK_PER_LEVEL: usize = 16 * 1024;

/// Parses one file. Items that parse are returned even when others do not: after a
/// syntax error the parser resumes at the next item that starts in column 1.
pub fn parse(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let Survey {
        deepest: depth,
        cuts,
    } = survey(text);
    if depth.level > MAX_NESTING {
        let error = Diagnostic::error(
            code::SYNTAX,
            Span::new(file, depth.offset, depth.offset + 1),
            format!("this file nests blocks more than {MAX_NESTING} levels deep"),
        )
        .with_help("flatten the groups: a design rarely needs more than a few levels");
        return (File { items: Vec::new() }, vec![error]);
    }
    with_stack_for(depth.level, || {
        parse_with_recovery(file, text, &cuts, depth.level)
    })
}

/// Runs `f` on a stack large enough for `depth` levels of nesting (the parser and
/// the AST builder recurse once per level).
pub(crate) fn with_stack_for<T>(depth: usize, f: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(
        depth * STACK_PER_LEVEL + 256 * 1024,
        depth * STACK_PER_LEVEL + 1024 * 1024,
        f,
    )
}

fn parse_with_recovery(
    file: FileId,
    text: &str,
    cuts: &[usize],
    depth: usize,
) -> (File, Vec<Diagnostic>) {
    // A valid design whose cut fell inside an item (`a ->` at a line's end) still
    // parses whole.
    parse_pieces(file, text, cuts, depth)
        .or_else(|_| parse_items(file, text, 0))
        .unwrap_or_else(|_| recover(file, text))
}

/// Parses the text piece by piece, cut at `cuts`: pest holds every token of what it
/// parses at once (about 45 bytes of queue per byte of a design), so a design of 18 MB
/// parsed whole took 840 MB. A cut falls only where an item must start, so the pieces
/// parse as the whole would; any piece that fails sends the whole file back to be parsed
/// whole. The pieces are parsed side by side (each on a stack deep enough for the
/// file's nesting) and joined in order.
fn parse_pieces(
    file: FileId,
    text: &str,
    cuts: &[usize],
    depth: usize,
) -> Result<Parsed, Box<Diagnostic>> {
    let begins = std::iter::once(0).chain(cuts.iter().copied());
    let ends = cuts.iter().copied().chain(std::iter::once(text.len()));
    let pieces: Vec<(usize, usize)> = begins.zip(ends).collect();
    let parsed: Vec<Parsed> = pieces
        .par_iter()
        .map(|&(begin, end)| with_stack_for(depth, || parse_items(file, &text[begin..end], begin)))
        .collect::<Result<_, _>>()?;
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    for (piece, piece_diagnostics) in parsed {
        items.extend(piece.items);
        diagnostics.extend(piece_diagnostics);
    }
    Ok((File { items }, diagnostics))
}

/// Parses the file chunk by chunk, a chunk starting at each line that begins in
/// column 1 with something other than `}`; a chunk that fails with an error at its
/// very end is probably unfinished and is joined to the next one.
fn recover(file: FileId, text: &str) -> (File, Vec<Diagnostic>) {
    let starts = chunk_starts(text);
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let mut syntax_errors = 0;
    let mut begin = 0;
    let mut next = 1;
    // Chunks joined at once when a chunk looks unfinished; doubling keeps a file whose
    // first block never closes at O(n log n) instead of O(n²).
    let mut join = 1;
    while begin < text.len() && syntax_errors < MAX_SYNTAX_ERRORS {
        let end = starts.get(next).copied().unwrap_or(text.len());
        match parse_items(file, &text[begin..end], begin) {
            Ok((file_part, part_diagnostics)) => {
                items.extend(file_part.items);
                diagnostics.extend(part_diagnostics);
                begin = end;
            }
            Err(error) if error_at_end(&error, begin, end, text) && end < text.len() => {
                next += join;
                join *= 2;
                continue;
            }
            Err(error) => {
                diagnostics.push(*error);
                syntax_errors += 1;
                begin = end;
            }
        }
        join = 1;
        next += 1;
    }
    (File { items }, diagnostics)
}

fn error_at_end(error: &Diagnostic, begin: usize, end: usize, text: &str) -> bool {
    let rest = text[begin..end].trim_end().len() + begin;
    error.span.start as usize >= rest
}

fn chunk_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 {
            let first = line.as_bytes().first().copied();
            if matches!(first, Some(b) if !b.is_ascii_whitespace() && b != b'}') {
                starts.push(offset);
            }
        }
        offset += line.len();
    }
    starts
}

type Parsed = (File, Vec<Diagnostic>);

/// pest records what it expected at an error only while a process-wide flag is set,
/// and that slows every parse by half. So text parses without it ([`parse_fast`]), and
/// text that fails is parsed again with it ([`parse_in_detail`]), under the write side
/// of this lock so that no other parse runs while the flag is up. Every parse takes one
/// side of the lock: these two functions are the only callers of `HldParser::parse`.
static ERROR_DETAIL: RwLock<()> = RwLock::new(());

fn parse_fast(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let _no_detail = ERROR_DETAIL.read().unwrap_or_else(PoisonError::into_inner);
    HldParser::parse(rule, text)
}

fn parse_in_detail(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    let _detail = ERROR_DETAIL.write().unwrap_or_else(PoisonError::into_inner);
    pest::set_error_detail(true);
    let parsed = HldParser::parse(rule, text);
    pest::set_error_detail(false);
    parsed
}

fn parse_items(file: FileId, text: &str, base: usize) -> Result<Parsed, Box<Diagnostic>> {
    let mut pairs = parse_fast(Rule::file, text).map_err(|_| {
        let error = parse_in_detail(Rule::file, text).expect_err("the same text fails again");
        Box::new(syntax_error(file, text, base, error))
    })?;
    let mut builder = Builder {
        file,
        base,
        diagnostics: Vec::new(),
    };
    let root = pairs
        .next()
        .expect("a successful parse yields the file rule");
    let items = root
        .into_inner()
        .filter(|p| p.as_rule() == Rule::item)
        .map(|p| builder.item(p))
        .collect();
    Ok((File { items }, builder.diagnostics))
}

/// Parses one value written alone (`10k/s`, `leaderless(n: 3, w: 2, r: 2)`), as the
/// data files write defaults and figures. Spans point into `text` under `file`.
pub fn parse_value(file: FileId, text: &str) -> Option<Value> {
    let root = parse_fast(Rule::value_text, text).ok()?.next()?;
    let mut builder = Builder {
        file,
        base: 0,
        diagnostics: Vec::new(),
    };
    let value = builder.value(root.into_inner().next()?);
    builder.diagnostics.is_empty().then_some(value)
}

struct Nesting {
    level: usize,
    offset: usize,
}

/// What one pass over the text finds before it is parsed.
struct Survey {
    /// The deepest nesting of `{`, `(` and `[` outside strings and comments, which are
    /// skipped as the grammar reads them (`comments.rs`): a bracket inside a comment
    /// must not hide real nesting from this check, or the parser's stack would overflow.
    deepest: Nesting,
    /// Where the text may be cut into pieces of about [`PIECE`] bytes: the start of a
    /// line outside any bracket, string or comment whose first character starts an
    /// identifier or an annotation. No item can go on with one (a link goes on with an
    /// arrow, a declaration with a label or a block), so an item starts there.
    cuts: Vec<usize>,
}

/// The size of the pieces a long design is parsed in.
const PIECE: usize = 64 * 1024;

fn survey(text: &str) -> Survey {
    let bytes = text.as_bytes();
    let mut level = 0usize;
    let mut survey = Survey {
        deepest: Nesting {
            level: 0,
            offset: 0,
        },
        cuts: Vec::new(),
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            i = string_end(bytes, i);
            continue;
        }
        if let Some(end) = comment_end(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'{' | b'(' | b'[' => {
                level += 1;
                if level > survey.deepest.level {
                    survey.deepest = Nesting { level, offset: i };
                }
            }
            b'}' | b')' | b']' => level = level.saturating_sub(1),
            b'\n' if level == 0 && i + 1 >= survey.cuts.last().unwrap_or(&0) + PIECE => {
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                if next.is_ascii_alphabetic() || next == b'_' || next == b'@' {
                    survey.cuts.push(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    survey
}

// ---------------------------------------------------------------------------------
// Syntax errors in the user's terms.

fn syntax_error(
    file: FileId,
    text: &str,
    base: usize,
    error: pest::error::Error<Rule>,
) -> Diagnostic {
    let position = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if let ErrorVariant::CustomError { message } = &error.variant {
        let span = Span::new(file, base + position, base + position);
        return Diagnostic::error(code::SYNTAX, span, format!("the parser stopped: {message}"))
            .with_help("simplify the file: this limit protects against runaway input");
    }
    let found = found_at(text, position);
    let span = Span::new(file, base + position, base + position + found.len);
    let expected = expected_at(&error);
    let message = if expected.is_empty() {
        format!("unexpected {}", found.description)
    } else {
        format!(
            "expected {}, found {}",
            one_of_words(&expected),
            found.description
        )
    };
    Diagnostic::error(code::SYNTAX, span, message)
        .with_label(format!("unexpected {}", found.description))
        .with_help(help_for(&expected, &found))
}

struct Found {
    description: String,
    len: usize,
}

fn found_at(text: &str, position: usize) -> Found {
    let rest = &text[position..];
    let Some(first) = rest.chars().next() else {
        return Found {
            description: "the end of the file".to_string(),
            len: 0,
        };
    };
    if first.is_alphanumeric() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '%')
            .collect();
        return Found {
            len: word.len(),
            description: format!("`{word}`"),
        };
    }
    if first == '\n' || first == '\r' {
        return Found {
            description: "the end of the line".to_string(),
            len: 0,
        };
    }
    let description = match first {
        '"' => "a string".to_string(),
        c => format!("`{c}`"),
    };
    Found {
        description,
        len: first.len_utf8(),
    }
}

/// What the parser would have accepted, in words: literal tokens in backticks, rules
/// by what they are. Taken from pest's detailed parse attempts where available.
fn expected_at(error: &pest::error::Error<Rule>) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            words.push(token_word(&token.to_string()));
        }
        for stack in attempts.call_stacks() {
            if let Some(word) = stack.parent.and_then(rule_word) {
                words.push(word.to_string());
            }
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        words.extend(
            positives
                .iter()
                .filter_map(|r| rule_word(*r))
                .map(str::to_string),
        );
    }
    words.retain(|w| !w.is_empty());
    words.sort_by_key(|w| (!w.starts_with('`'), w.clone()));
    words.dedup();
    words
}

/// pest prints a token as its text, a character range as `a..z`, and a built-in
/// rule as `BUILTIN_RULE`. Only punctuation that structures the file is worth naming;
/// whitespace, comment openers and the characters inside names are noise.
fn token_word(token: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "{", "}", "(", ")", "[", "]", ":", ",", "->", "<->", "@", "..",
    ];
    let chars: Vec<char> = token.chars().collect();
    match token {
        "\"" => "a string".to_string(),
        "_" => "a name".to_string(),
        _ if STRUCTURE.contains(&token) => format!("`{token}`"),
        _ if chars.len() == 4 && token[1..].starts_with("..") => if chars[0].is_ascii_digit() {
            "a number"
        } else {
            "a name"
        }
        .to_string(),
        _ => String::new(),
    }
}

fn rule_word(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident => "a name",
        Rule::string | Rule::string_body => "a string",
        Rule::value | Rule::named | Rule::list | Rule::numeric => "a value",
        Rule::quantity | Rule::number | Rule::currency => "a number",
        Rule::arrow => "`->`",
        Rule::item | Rule::statement => "a component, a link or a group",
        Rule::attribute => "an attribute",
        Rule::annotation => "an annotation",
        Rule::rule_name => "a rule name",
        Rule::EOI => "the end of the file",
        _ => return None,
    })
}

/// `a`, `b` or c: the words are already quoted where they are tokens.
fn one_of_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn help_for(expected: &[String], found: &Found) -> String {
    let expects = |w: &str| expected.iter().any(|e| e == w);
    if found.description == "the end of the file" && expects("`}`") {
        "a block is not closed: add the missing `}`".to_string()
    } else if expects("`:`") {
        "attributes are written `name: value`, one per line or separated by commas".to_string()
    } else if found.description == "a string" && expects("a name") {
        "ids are plain names (`api`, `user_db`); put a display label after the id: `service api \"API\"`".to_string()
    } else {
        "items are `kind id [\"Label\"] { ... }`, `a -> b { ... }`, groups `group id { ... }`, `design \"Title\"` or `import \"file.hld\"`".to_string()
    }
}

// ---------------------------------------------------------------------------------
// Parse tree → AST.

struct Builder {
    file: FileId,
    base: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    /// The span of a rule that ends in an optional part: pest's implicit whitespace
    /// and comments before a missing optional belong to the rule's span, so the span
    /// is cut at the end of the last part present.
    fn span_to_last_child(&self, pair: &Pair<Rule>) -> Span {
        let start = pair.as_span().start();
        let end = pair
            .clone()
            .into_inner()
            .last()
            .map_or(pair.as_span().end(), |p| p.as_span().end());
        Span::new(self.file, self.base + start, self.base + end)
    }

    fn item(&mut self, pair: Pair<Rule>) -> Item {
        let mut annotations = Vec::new();
        let mut kind = None;
        let mut span = self.span(&pair);
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::annotation => annotations.push(self.annotation(inner)),
                _ => {
                    span = self.span_to_last_child(&inner);
                    kind = Some(self.item_kind(inner));
                }
            }
        }
        Item {
            annotations,
            kind: kind.expect("the grammar gives every item a body"),
            span,
        }
    }

    fn item_kind(&mut self, pair: Pair<Rule>) -> ItemKind {
        match pair.as_rule() {
            Rule::design => {
                let mut inner = pair.into_inner();
                let title = self.string(inner.next().expect("design has a title"));
                let body = inner.next().map(|b| self.block(b));
                ItemKind::Design(Design { title, body })
            }
            Rule::import => {
                let path = self.string(pair.into_inner().next().expect("import has a path"));
                ItemKind::Import(Import { path })
            }
            Rule::statement => {
                // `a -> b`: a link; `kind id`: a declaration.
                let second = pair.clone().into_inner().nth(1);
                if second.is_some_and(|p| p.as_rule() == Rule::arrow) {
                    ItemKind::Link(self.link(pair))
                } else {
                    ItemKind::Declaration(self.declaration(pair))
                }
            }
            rule => unreachable!("not an item: {rule:?}"),
        }
    }

    fn annotation(&mut self, pair: Pair<Rule>) -> Annotation {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("annotation has a name"));
        let args = inner
            .map(|arg| match arg.as_rule() {
                Rule::string => AnnotationArg::Str(self.string(arg)),
                _ => AnnotationArg::Name(self.ident(arg)),
            })
            .collect();
        Annotation { name, args, span }
    }

    fn link(&mut self, pair: Pair<Rule>) -> Link {
        let mut inner = pair.into_inner().peekable();
        let first = self.ident(inner.next().expect("link has a source"));
        let mut hops = Vec::new();
        let mut label = None;
        let mut body = None;
        while let Some(p) = inner.next() {
            match p.as_rule() {
                Rule::arrow => {
                    let to = self.ident(inner.next().expect("an arrow has a target"));
                    hops.push(Hop {
                        bidirectional: p.as_str() == "<->",
                        arrow: self.span(&p),
                        to,
                    });
                }
                Rule::string => label = Some(self.string(p)),
                Rule::block => body = Some(self.block(p)),
                rule => unreachable!("not in a link: {rule:?}"),
            }
        }
        Link {
            first,
            hops,
            label,
            body,
        }
    }

    fn declaration(&mut self, pair: Pair<Rule>) -> Declaration {
        let mut inner = pair.into_inner();
        let keyword = self.ident(inner.next().expect("declaration has a keyword"));
        let id = self.ident(inner.next().expect("declaration has an id"));
        let mut label = None;
        let mut body = None;
        for p in inner {
            match p.as_rule() {
                Rule::string => label = Some(self.string(p)),
                _ => body = Some(self.block(p)),
            }
        }
        Declaration {
            keyword,
            id,
            label,
            body,
        }
    }

    fn block(&mut self, pair: Pair<Rule>) -> Block {
        let span = self.span(&pair);
        let entries = pair
            .into_inner()
            .map(|entry| match entry.as_rule() {
                Rule::attribute => Entry::Attribute(self.attribute(entry)),
                _ => Entry::Item(self.item(entry)),
            })
            .collect();
        Block { entries, span }
    }

    fn attribute(&mut self, pair: Pair<Rule>) -> Attribute {
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next().expect("attribute has a name"));
        let value = self.value(inner.next().expect("attribute has a value"));
        let span = name.span.to(value.span);
        Attribute { name, value, span }
    }

    fn value(&mut self, pair: Pair<Rule>) -> Value {
        let span = match pair.as_rule() {
            Rule::named => self.span_to_last_child(&pair),
            _ => self.span(&pair),
        };
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::Str(self.string(pair).value),
            Rule::numeric => {
                let mut inner = pair.into_inner();
                let low = quantity(inner.next().expect("a numeric value has a quantity"));
                match inner.next() {
                    Some(high) => ValueKind::Range(low, quantity(high)),
                    None => ValueKind::Quantity(low),
                }
            }
            Rule::list => ValueKind::List(pair.into_inner().map(|v| self.value(v)).collect()),
            Rule::named => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next().expect("a named value has a name"));
                match inner.next() {
                    Some(arguments) => {
                        let args = arguments.into_inner().map(|a| self.argument(a)).collect();
                        ValueKind::Call(Call { name, args })
                    }
                    None => ValueKind::Ident(name.name),
                }
            }
            rule => unreachable!("not a value: {rule:?}"),
        };
        Value { kind, span }
    }

    fn argument(&mut self, pair: Pair<Rule>) -> Argument {
        let mut inner: Vec<Pair<Rule>> = pair.into_inner().collect();
        let value = self.value(inner.pop().expect("argument has a value"));
        let name = inner.pop().map(|n| self.ident(n));
        Argument { name, value }
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn string(&mut self, pair: Pair<Rule>) -> Str {
        let span = self.span(&pair);
        let body = pair.into_inner().next().expect("a string has a body");
        let value = self.unescape(body.as_str(), span.start as usize + 1);
        Str { value, span }
    }

    fn unescape(&mut self, raw: &str, offset: usize) -> String {
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((j, other)) => {
                    let span = Span::new(self.file, offset + i, offset + j + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::error(
                            code::SYNTAX,
                            span,
                            format!("unknown escape `\\{other}` in a string"),
                        )
                        .with_label("not an escape hld knows")
                        .with_help(
                            "strings know `\\\"`, `\\\\` and `\\n`; write `\\\\` for a backslash",
                        ),
                    );
                }
                None => {}
            }
        }
        value
    }
}

fn quantity(pair: Pair<Rule>) -> Quantity {
    let mut money = false;
    let mut number = String::new();
    let mut unit = String::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::currency => money = true,
            Rule::number => number = p.as_str().to_string(),
            _ => unit = p.as_str().to_string(),
        }
    }
    Quantity {
        money,
        number,
        unit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> File {
        let (file, diagnostics) = parse(FileId(0), text);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        file
    }

    /// A design longer than a piece parses in pieces to what it parses to whole, also
    /// where a cut falls inside an item (a link going on after its arrow).
    #[test]
    fn a_long_design_parses_in_pieces_as_it_does_whole() {
        // A label long enough that the first line to start past a piece's length is
        // the rest of a link broken after its arrow.
        let mut text = String::from("client c\ndatabase d\n");
        let padding = PIECE - text.len() - "service pad \"\"\n".len() - "c ->\n".len() + 1;
        text.push_str(&format!(
            "service pad \"{}\"\nc ->\nd {{ ops: read }}\n",
            "x".repeat(padding)
        ));
        let mut i = 0;
        while text.len() < 3 * PIECE {
            text.push_str(&format!(
                "@allow(no-backup, \"r\")\ndatabase d{i} \"D {i}\" {{\n  engine: postgres\n}}\n// a comment\nc -> d{i}\n"
            ));
            i += 1;
        }
        let cuts = survey(&text).cuts;
        assert!(cuts.len() >= 2, "{} cuts", cuts.len());
        assert!(
            cuts.iter().any(|&c| text[..c].ends_with("->\n")),
            "some cut falls inside a link"
        );
        let whole = parse_items(FileId(0), &text, 0).expect("parses whole");
        assert_eq!(parse(FileId(0), &text), whole);
        // Cut only where items start: pieces that each parse.
        let starts: Vec<usize> = cuts
            .into_iter()
            .filter(|&c| !text[..c].ends_with("->\n"))
            .collect();
        assert_eq!(
            parse_pieces(FileId(0), &text, &starts, 1).expect("pieces parse"),
            whole
        );
    }

    #[test]
    fn reads_a_component_with_label_and_attributes() {
        let file = parse_ok("cache hot \"Hot links\" { engine: redis, ttl: 24h replicas: 2 }");
        let ItemKind::Declaration(d) = &file.items[0].kind else {
            panic!()
        };
        assert_eq!(
            (d.keyword.name.as_str(), d.id.name.as_str()),
            ("cache", "hot")
        );
        assert_eq!(d.label.as_ref().unwrap().value, "Hot links");
        assert_eq!(d.body.as_ref().unwrap().entries.len(), 3);
    }

    #[test]
    fn reads_a_chain_with_a_bidirectional_hop() {
        let file = parse_ok("a -> b <-> c \"calls\"");
        let ItemKind::Link(link) = &file.items[0].kind else {
            panic!()
        };
        let hops: Vec<(bool, &str)> = link
            .hops
            .iter()
            .map(|h| (h.bidirectional, h.to.name.as_str()))
            .collect();
        assert_eq!(hops, vec![(false, "b"), (true, "c")]);
    }

    #[test]
    fn keeps_number_and_unit_apart() {
        let file = parse_ok("client u { requests: 10k/s, autoscale: 2..20 }");
        let ItemKind::Declaration(d) = &file.items[0].kind else {
            panic!()
        };
        let Entry::Attribute(a) = &d.body.as_ref().unwrap().entries[1] else {
            panic!()
        };
        let ValueKind::Range(low, high) = &a.value.kind else {
            panic!()
        };
        assert_eq!(
            (low.to_string(), high.to_string()),
            ("2".to_string(), "20".to_string())
        );
    }

    #[test]
    fn keywords_are_not_reserved_as_ids() {
        parse_ok("cache cache\nservice service\ncache -> service");
    }

    #[test]
    fn recovers_after_a_bad_item() {
        let (file, diagnostics) = parse(
            FileId(0),
            "service a {\n  replicas: \n}\nservice b\nservice c { x: }\nservice d\n",
        );
        assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
        let ids: Vec<String> = file
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Declaration(d) => Some(d.id.name.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec!["b", "d"]);
    }

    #[test]
    fn item_spans_end_at_their_last_token() {
        let text = "service a \"A\"   // note\n\nservice b\n";
        let file = parse_ok(text);
        assert_eq!(file.items[0].span.range(), 0..13);
    }

    #[test]
    fn value_spans_cover_exactly_the_value() {
        let text = "service a { description: \"x\", deploy: canary , rate_limit: token_bucket(rate: 1/s) }";
        let file = parse_ok(text);
        let ItemKind::Declaration(d) = &file.items[0].kind else {
            panic!()
        };
        let spans: Vec<&str> = d
            .body
            .as_ref()
            .unwrap()
            .entries
            .iter()
            .map(|e| match e {
                Entry::Attribute(a) => &text[a.value.span.range()],
                Entry::Item(_) => panic!(),
            })
            .collect();
        assert_eq!(spans, vec!["\"x\"", "canary", "token_bucket(rate: 1/s)"]);
    }

    #[test]
    fn brackets_in_comments_and_strings_do_not_hide_nesting() {
        let deep = "[".repeat(MAX_NESTING + 1);
        for prefix in ["/* // */", "/* \" */", "\"\\\"\" ", "// {\n"] {
            let text = format!("{prefix} service a {{ x: {deep} }}");
            let (_, errors) = parse(FileId(0), &text);
            assert!(
                errors[0].message.contains("nests blocks more than"),
                "{prefix}: {errors:?}"
            );
        }
        let quiet = format!("/* {deep} */ service a // {deep}\nservice b \"{deep}\"");
        assert_eq!(survey(&quiet).deepest.level, 0);
    }

    #[test]
    fn deep_nesting_parses_without_overflow() {
        let depth = 2000;
        let text = "group g { ".repeat(depth) + &"}".repeat(depth);
        let handle = std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || parse(FileId(0), &text).1.len())
            .unwrap();
        assert_eq!(handle.join().unwrap(), 0);
    }
}
