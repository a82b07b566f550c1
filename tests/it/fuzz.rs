//! Random and mutated designs through every command (check in every format, estimate
//! in every format, render to SVG, geometry and PNG, export to every target, report,
//! fmt): no panic, no hang; the report never carries the design's HTML; whatever
//! `hld fmt` accepts it formats idempotently into text that parses, keeping the model
//! and every comment; whatever compiles is drawn as well-formed XML.
//! The corpus is small and in the repository: the examples and designs it mutates,
//! `PATHOLOGICAL` below, and the cases proptest failed on before
//! (`fuzz.proptest-regressions`). CI runs proptest's default 256 cases per property;
//! `PROPTEST_CASES=20000` for a longer run.

use hld::Lint;
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "service",
    "cache",
    "database",
    "queue",
    "client",
    "worker",
    "group",
    "region",
    "zone",
    "design",
    "import",
    "lb",
    "cdn",
    "api",
    "db",
    "x",
    "->",
    "<->",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    ",",
    "@allow",
    "\"label\"",
    "\"a\\\"b\"",
    "\"<script>x</script>\"",
    "\"",
    "//c\n",
    "/* b */",
    "/*",
    "\n",
    " ",
    "2",
    "1.5",
    "100M",
    "10/day",
    "10k/s",
    "500B",
    "24h",
    "99.9%",
    "3x",
    "2..20",
    "5m",
    "replicas",
    "ttl",
    "engine",
    "redis",
    "kafka",
    "replication",
    "leaderless",
    "n",
    "w",
    "r",
    "true",
    "none",
    "ratio",
    "retry",
    "exponential",
    // v2 and v3 syntax: flows, scenarios, planes, caches, money, the data tier.
    "flow",
    "scenario",
    "fail",
    "share",
    "caches",
    "ops",
    "replicate",
    "control",
    "$40k/month",
    "$0.2/h",
    "$",
    "budget",
    "price",
    "hot_key",
    "latency_p99",
    "rto",
    "sloppy",
    "é",
    "☕",
    "\t",
    "-",
    "..",
    "%",
    "/",
    // Control and XML-forbidden characters, a long line.
    "\u{1b}[31m",
    "\u{7}",
    "\u{0}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{85}",
    "\u{202e}",
    "\r\n",
];

/// Wider than miette can pad (65,535 columns) and than any table cell.
const LONG_LINE: &str = match std::str::from_utf8(&[b' '; 70_000]) {
    Ok(text) => text,
    Err(_) => panic!("spaces are UTF-8"),
};

/// Hand-made inputs that once crashed, hung or corrupted something (issue 12).
const PATHOLOGICAL: &[&str] = &[
    "service a { ttl: 5min }",
    "/* // */ service a { x: [[[[[[[[[[ }",
    "/* \" */ service a { x: ((((( }",
    "service a // c\n/* x\ny */ \"Label\"\n",
    "a -> // one\nb -> /*\nservice injected\n// */ c\n",
    "service a \"\u{fffe}\u{ffff}\u{1b}[2J\u{7}\" { description: \"\u{0}\" }",
    "import \"/dev/zero\"\nservice a",
    "design \"\u{202e}x\" {}\nclient u\nservice s\nu -> s",
];

fn designs() -> Vec<String> {
    let mut texts: Vec<String> = std::fs::read_dir("examples/language")
        .unwrap()
        .chain(std::fs::read_dir("examples/rules").unwrap())
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .collect();
    texts.sort();
    texts
}

fn check_no_panic(text: &str) {
    let mut compilation = hld::compile("fuzz.hld", text.as_bytes().to_vec());
    compilation.lint(hld::analysis::Settings::default());
    for diagnostic in &compilation.diagnostics {
        let human = hld::diagnostics::render_human(&compilation.sources, diagnostic, false);
        assert!(!human.contains('\u{1b}'), "a raw escape in {human:?}");
        let _ = hld::diagnostics::to_json(&compilation.sources, diagnostic);
    }
    let findings: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| (&compilation.sources, d))
        .collect();
    let _ = hld::diagnostics::json_report(&findings, 1);
    let _ = hld::diagnostics::sarif_report(&findings, &hld::cli::sarif_rules());
    let _ = hld::diagnostics::github_report(&findings);
    let _ = hld::diagnostics::gitlab_report(&findings);
    if !compilation.has_errors() {
        use hld::output::Format;
        for format in [Format::Table, Format::Markdown, Format::Json] {
            let _ = hld::output::estimate::report(&compilation.model, format, true);
        }
    }
    if compilation.compiles() {
        draw(&compilation);
    }
    if let Ok(formatted) = hld::fmt::format_text(text) {
        let again = hld::fmt::format_text(&formatted).expect("formatted text parses");
        assert_eq!(again, formatted, "fmt is idempotent on {text:?}");
    }
}

fn draw(compilation: &hld::Compilation) {
    use hld::render::{Format, Settings, Theme};
    // PNG only for small designs: rasterizing is the slow part and finds little more.
    let png = compilation.model.components.len() <= 8;
    let formats = [Format::Svg, Format::Json, Format::Png];
    for format in formats.into_iter().filter(|f| *f != Format::Png || png) {
        let mut settings = Settings::new(format);
        settings.options.legend = true;
        settings.theme = Theme::Dark;
        let bytes = hld::render::render(compilation, &settings).expect("a compiled design draws");
        if format == Format::Svg {
            let svg = String::from_utf8(bytes).expect("UTF-8");
            roxmltree::Document::parse(&svg).expect("the SVG is XML");
        }
    }
    for &target in <hld::export::Target as hld_model::Choice>::ALL {
        let text = hld::export::export(compilation, target).expect("a compiled design exports");
        if target == hld::export::Target::Drawio {
            roxmltree::Document::parse(&text).expect("the draw.io file is XML");
        }
    }
    let page = hld::output::report::page(compilation).expect("a compiled design is reported");
    assert!(
        !page.contains("<script"),
        "the design's text stays text: {page}"
    );
    // Each flow and scenario drawn over the design (`--flow`, `--scenario`).
    let model = &compilation.model;
    let focuses = (0..model.flows.len())
        .map(hld::render::Focus::Flow)
        .chain((0..model.scenarios.len()).map(hld::render::Focus::Scenario));
    for focus in focuses {
        let mut settings = Settings::new(Format::Svg);
        settings.options.focus = Some(focus);
        let bytes = hld::render::render(compilation, &settings).expect("a focus draws");
        let svg = String::from_utf8(bytes).expect("UTF-8");
        roxmltree::Document::parse(&svg).expect("the SVG is XML");
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for edit in edits {
        let clamp = |i: usize| {
            if bytes.is_empty() {
                0
            } else {
                i % (bytes.len() + 1)
            }
        };
        match *edit {
            Edit::Delete(at, len) => {
                let at = clamp(at);
                let end = (at + len % 16).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Insert(at, token) => {
                let at = clamp(at);
                bytes.splice(at..at, token.bytes());
            }
            Edit::Duplicate(at, len) => {
                let at = clamp(at);
                let end = (at + len % 64).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
        }
    }
    // Edits work on bytes, so they can split a character: that is an input too.
    String::from_utf8_lossy(&bytes).into_owned()
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Duplicate(a, l)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
    /// Token soup on a line past 65,535 columns (a few cases: each is 70 kB).
    #[test]
    fn long_lines_never_panic(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40), at in any::<prop::sample::Index>()) {
        let mut tokens: Vec<&str> = tokens;
        let at = at.index(tokens.len() + 1);
        tokens.insert(at, LONG_LINE);
        check_no_panic(&tokens.join(" "));
    }
}

proptest! {
    // 256 cases each by default; PROPTEST_CASES=20000 for a longer run.
    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        check_no_panic(&tokens.join(" "));
        check_no_panic(&tokens.concat());
    }

    #[test]
    fn mutated_examples_never_panic(index in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let examples = designs();
        let text = index.get(&examples);
        check_no_panic(&apply(text, &edits));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let compilation = hld::compile("bytes.hld", bytes);
        for diagnostic in &compilation.diagnostics {
            let _ = hld::diagnostics::render_human(&compilation.sources, diagnostic, false);
        }
    }
}

/// Comments of every shape the formatter must keep apart: a block comment that follows
/// a line comment must not become part of it, and what follows a line comment must not
/// either.
const COMMENTS: &[&str] = &[
    "/* c */",
    "// c\n",
    "/* c\n  d */",
    "// c\n/* d\ne */",
    "/* // */",
    "/* \" */",
];

/// Offsets between two tokens, outside strings and comments: every start and end of
/// a blank run, and both sides of every bracket, comma and colon.
fn token_boundaries(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut boundaries = vec![0, bytes.len()];
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            // A line comment ends with its line break: what is inserted before the
            // break would be inside it.
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(bytes.len(), |n| i + 4 + n);
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b',' | b':' => i += 1,
            _ => {
                i += 1;
                continue;
            }
        }
        boundaries.extend([start, i.min(bytes.len())]);
    }
    boundaries.sort_unstable();
    boundaries.dedup();
    boundaries
}

fn comment_texts(text: &str) -> Vec<String> {
    hld::syntax::comments(hld::source::FileId(0), text)
        .into_iter()
        .map(|c| c.text)
        .collect()
}

/// `hld fmt` on `text` with `comment` inserted at `at`: the result parses, means the
/// same design, holds every comment in the same order, and formats to itself.
fn check_fmt_keeps_comment(
    path: &std::path::Path,
    text: &str,
    model: &str,
    at: usize,
    comment: &str,
) {
    let with_comment = format!("{}{comment}{}", &text[..at], &text[at..]);
    let formatted = match hld::fmt::format_text(&with_comment) {
        Ok(formatted) => formatted,
        Err(errors) => panic!(
            "{path:?}+{at}: {comment:?} does not parse: {:?}",
            errors[0].message
        ),
    };
    let context = || format!("{path:?} with {comment:?} at {at}:\n{with_comment}\n→\n{formatted}");
    assert_eq!(
        comment_texts(&formatted),
        comment_texts(&with_comment),
        "comments lost or reordered: {}",
        context()
    );
    let again = hld::fmt::format_text(&formatted).unwrap_or_else(|e| {
        panic!(
            "formatted text does not parse ({}): {}",
            e[0].message,
            context()
        )
    });
    assert_eq!(again, formatted, "not idempotent: {}", context());
    assert_eq!(
        model_of(path, &formatted),
        model,
        "the model changed: {}",
        context()
    );
}

fn model_of(path: &std::path::Path, text: &str) -> String {
    let compilation = hld::compile(path, text.as_bytes().to_vec());
    crate::common::model_summary(&compilation.model)
}

/// A comment at every token boundary of every language example, the shapes taken in
/// turn (all shapes at all boundaries takes a minute in a debug build).
#[test]
fn fmt_keeps_comments_at_every_token_boundary() {
    let mut paths: Vec<_> = std::fs::read_dir("examples/language")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "hld"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let model = model_of(&path, &text);
        for (i, at) in token_boundaries(&text).into_iter().enumerate() {
            let comment = COMMENTS[i % COMMENTS.len()];
            check_fmt_keeps_comment(&path, &text, &model, at, comment);
        }
    }
}

proptest! {
    /// Comments at random token boundaries of the designs and the rule examples.
    #[test]
    fn fmt_keeps_comments_in_designs(index in any::<prop::sample::Index>(), place in any::<prop::sample::Index>(), comment in prop::sample::select(COMMENTS)) {
        let mut paths: Vec<_> = std::fs::read_dir("designs")
            .unwrap()
            .chain(std::fs::read_dir("examples/rules").unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "hld"))
            .collect();
        paths.sort();
        let path = index.get(&paths);
        let text = std::fs::read_to_string(path).unwrap();
        let at = *place.get(&token_boundaries(&text));
        check_fmt_keeps_comment(path, &text, &model_of(path, &text), at, comment);
    }
}

/// The hand-made cases, alone and after a 70,000-column run of blanks.
#[test]
fn pathological_inputs_never_panic() {
    for text in PATHOLOGICAL {
        check_no_panic(text);
        check_no_panic(&format!("{LONG_LINE}{text}"));
    }
}

#[test]
fn an_unclosed_block_in_a_large_file_recovers_quickly() {
    let mut text = String::from("group g {\n");
    for i in 0..5_000 {
        text.push_str(&format!("service s{i} {{ replicas: 2 }}\n"));
    }
    let compilation = hld::compile("big.hld", text.into_bytes());
    assert_eq!(
        compilation.diagnostics.len(),
        1,
        "one error: the block is not closed"
    );
}

/// What a design's author can write into free text, aimed at every output's syntax:
/// Markdown and HTML, Mermaid's directives, a terminal, a CI runner's commands.
const INJECTIONS: &[&str] = &[
    "<!-- the rest disappears",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![pixel](https://example.com/p.png)",
    "<https://example.com>",
    "``code` ` spans",
    "a | b",
    "%%{init: {'theme': 'dark'}}%%",
    "line\\n::error::injected",
    "\u{1b}[31mred",
];

/// A design with `payload` in each free-text field: the title, a description, labels,
/// an `@allow` reason, a flow's and a scenario's labels.
fn with_free_text(payload: &str) -> String {
    let text = payload.replace('"', "\\\"");
    format!(
        "design \"{text}\" {{ description: \"{text}\" }}\nclient u \"{text}\"\n@allow(no-backup, \"{text}\")\ndatabase db \"{text}\" {{ engine: \"{text}\" }}\nservice api \"{text}\" {{ replicas: 2 }}\nu -> api {{ label: \"{text}\" }}\napi -> db {{ ops: read }}\nflow read \"{text}\" {{ u -> api -> db }}\nscenario lost \"{text}\" {{ fail: [db] }}\n"
    )
}

proptest! {
    /// Every free-text field, with every payload and noise around it: the Markdown of
    /// the report and the estimate holds no HTML and no link out, the HTML report no
    /// script or link out, Mermaid no directive, the human diagnostics no escape.
    #[test]
    fn free_text_stays_text_in_every_output(payload in prop::sample::select(INJECTIONS), noise in prop::sample::select(TOKENS)) {
        use pulldown_cmark::{Event, Options, Parser, Tag};
        let design = with_free_text(&format!("{payload}{noise}"));
        let mut compilation = hld::compile("fuzz.hld", design.into_bytes());
        compilation.lint(hld::analysis::Settings::default());
        for diagnostic in &compilation.diagnostics {
            let human = hld::diagnostics::render_human(&compilation.sources, diagnostic, false);
            prop_assert!(!human.contains('\u{1b}'), "an escape in {:?}", human);
            prop_assert!(!human.lines().any(|l| l.starts_with("::")), "{}", human);
        }
        prop_assume!(compilation.compiles());
        let markdown_outputs = [
            hld::output::estimate::report(&compilation.model, hld::output::Format::Markdown, true),
            {
                let (_, document) = hld::output::report::compose(&compilation).expect("reported");
                hld::output::report::markdown(&document, Some("diagram.svg"))
            },
        ];
        for markdown in &markdown_outputs {
            for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
                let bad = match &event {
                    Event::Html(_) | Event::InlineHtml(_) => true,
                    Event::Start(Tag::Link { dest_url, .. }) => !dest_url.starts_with('#'),
                    Event::Start(Tag::Image { dest_url, .. }) => dest_url.as_ref() != "diagram.svg",
                    _ => false,
                };
                prop_assert!(!bad, "{:?} in {}", event, markdown);
            }
        }
        let page = hld::output::report::page(&compilation).expect("reported");
        for markup in ["<script", "href=\"javascript", "href=\"http", "src=\"http"] {
            prop_assert!(!page.contains(markup), "{} in the page", markup);
        }
        let mermaid = hld::export::export(&compilation, hld::export::Target::Mermaid).expect("exported");
        prop_assert!(!mermaid.contains("%%"), "{}", mermaid);
    }
}
