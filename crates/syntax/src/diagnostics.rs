//! Diagnostics: compile errors and lint findings share one shape (docs/cli.md).
//! Every diagnostic has a code, a primary span, a message in the user's terms and,
//! wherever there is something to do, a help line.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The codes of compile diagnostics (docs/cli.md); lint findings use rule names.
pub mod code {
    pub const SYNTAX: &str = "syntax";
    pub const UNKNOWN_KIND: &str = "unknown-kind";
    pub const UNKNOWN_COMPONENT: &str = "unknown-component";
    pub const UNKNOWN_LINK: &str = "unknown-link";
    pub const DUPLICATE_COMPONENT: &str = "duplicate-component";
    pub const UNKNOWN_ATTRIBUTE: &str = "unknown-attribute";
    pub const INVALID_VALUE: &str = "invalid-value";
    pub const IMPORT: &str = "import";
    pub const UNKNOWN_RULE: &str = "unknown-rule";
    pub const IO: &str = "io";

    /// Every code above with what it means: the one list SARIF describes them from
    /// (a test ties it to the constants).
    pub const ALL: &[(&str, &str)] = &[
        (SYNTAX, "The text is not valid hld."),
        (UNKNOWN_KIND, "A declaration names no component kind."),
        (
            UNKNOWN_COMPONENT,
            "A link or reference names no declared component.",
        ),
        (
            UNKNOWN_LINK,
            "A flow step names two components that no declared link joins.",
        ),
        (DUPLICATE_COMPONENT, "An id is declared twice."),
        (
            UNKNOWN_ATTRIBUTE,
            "An attribute the kind, link or group does not take.",
        ),
        (INVALID_VALUE, "A value outside what the attribute accepts."),
        (IMPORT, "An import that cannot be read or forms a cycle."),
        (
            UNKNOWN_RULE,
            "An @allow or configuration entry names no rule or category.",
        ),
        (IO, "A file that cannot be read."),
    ];

    #[cfg(test)]
    mod tests {
        /// Each `pub const` code of this module is in [`super::ALL`], once.
        #[test]
        fn every_code_is_described() {
            let source = include_str!("diagnostics.rs");
            let declared = source
                .lines()
                .skip_while(|l| !l.starts_with("pub mod code {"))
                .take_while(|l| !l.contains("pub const ALL"))
                .filter(|l| l.trim_start().starts_with("pub const") && l.contains(": &str ="))
                .count();
            assert_eq!(declared, super::ALL.len());
            let mut codes: Vec<&str> = super::ALL.iter().map(|(c, _)| *c).collect();
            codes.dedup();
            assert_eq!(codes.len(), super::ALL.len());
        }
    }
}

/// The category reported for compile diagnostics, which belong to no rule category.
pub const COMPILE_CATEGORY: &str = "compile";

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// What the caret under the primary span says.
    pub label: Option<String>,
    pub span: Span,
    /// The element the diagnostic is about (none: the design, or a file).
    pub element: Option<Subject>,
    pub related: Vec<Related>,
}

/// What a diagnostic is about, by the names the user wrote: typed, so that the renderer
/// anchors a badge on the element itself rather than on a name parsed back. Written
/// (`Display`, and `element` in JSON) as `id` for a component, group, flow or scenario and
/// `from->to` for a link.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Component(String),
    Link { from: String, to: String },
    Group(String),
    Flow(String),
    Scenario(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Component(id)
            | Subject::Group(id)
            | Subject::Flow(id)
            | Subject::Scenario(id) => f.write_str(id),
            Subject::Link { from, to } => write!(f, "{from}->{to}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    /// A compile error: always `error`, category `compile`.
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            category: COMPILE_CATEGORY,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            label: None,
            span,
            element: None,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_element(mut self, element: Subject) -> Diagnostic {
        self.element = Some(element);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn with_category(mut self, category: &'static str) -> Diagnostic {
        self.category = category;
        self
    }
}

/// Orders diagnostics by file, position and code, and drops exact repeats (a file
/// imported by two roots is checked twice but reported once).
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (a.span.file, a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.file,
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

/// "did you mean `x`?" for a name close to one of the candidates: within a third of its
/// length in edits (a swap of two neighbours is one), or a candidate of 4 or more
/// characters that starts it. Linear in the candidates: each comparison skips lengths
/// too far apart and stops once the edits pass the limit, without allocating a name
/// (2,000 misspelled names among 2,000 components took 44 s with a full distance each).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut rows = Rows::default();
    candidates
        .into_iter()
        .filter_map(|c| {
            if c.eq_ignore_ascii_case(name) {
                return Some((0, c));
            }
            let starts = c.len() >= 4
                && name.len() >= c.len()
                && name.as_bytes()[..c.len()].eq_ignore_ascii_case(c.as_bytes());
            if starts {
                return Some(((name.len() - c.len()).max(1), c));
            }
            rows.within(name.as_bytes(), c.as_bytes(), limit)
                .map(|d| (d.max(1), c))
        })
        .min()
        .map(|(_, c)| c)
}

/// The three rows of an edit-distance table, reused from one comparison to the next.
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    last: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The optimal-string-alignment distance between `a` and `b` (ASCII case ignored),
    /// when it is at most `limit`; `None` as soon as every way through exceeds it.
    fn within(&mut self, a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
        if a.len().abs_diff(b.len()) > limit {
            return None;
        }
        let same = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
        let n = b.len();
        self.before.clear();
        self.before.resize(n + 1, 0);
        self.last.clear();
        self.last.extend(0..=n);
        self.current.clear();
        self.current.resize(n + 1, 0);
        for i in 1..=a.len() {
            self.current[0] = i;
            let mut best = i;
            for j in 1..=n {
                let substitution = self.last[j - 1] + usize::from(!same(a[i - 1], b[j - 1]));
                let mut edits = substitution
                    .min(self.last[j] + 1)
                    .min(self.current[j - 1] + 1);
                if i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) {
                    edits = edits.min(self.before[j - 2] + 1);
                }
                self.current[j] = edits;
                best = best.min(edits);
            }
            if best > limit {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.last);
            std::mem::swap(&mut self.last, &mut self.current);
        }
        let distance = self.last[n];
        (distance <= limit).then_some(distance)
    }
}

/// Appends "did you mean" to a help text when a close candidate exists.
pub fn suggestion_help<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `a`, `b` or `c`: a list of choices for a message.
pub fn one_of<S: AsRef<str>>(choices: &[S]) -> String {
    let quoted: Vec<String> = choices
        .iter()
        .map(|c| format!("`{}`", c.as_ref()))
        .collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// Text with every control character made visible, so that the user's text cannot
/// move the cursor, ring the bell or recolour the terminal.
pub fn visible(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    push_visible(&mut shown, text, LineBreaks::Kept);
    shown
}

/// Whether [`push_visible`] keeps a line break or shows it as a character (U+240A).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LineBreaks {
    Kept,
    Shown,
}

/// Appends `text` with every control character made visible ([`visible_char`]). Text
/// of printable ASCII, nearly all of it, is copied as it is (a check per byte rather
/// than a conversion per character: 4,801 findings printed 50 M instructions faster).
pub fn push_visible(out: &mut String, text: &str, breaks: LineBreaks) {
    let kept = breaks == LineBreaks::Kept;
    let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\t' || (kept && b == b'\n');
    if text.bytes().all(plain) {
        out.push_str(text);
    } else {
        out.extend(text.chars().map(|c| {
            if kept && c == '\n' {
                c
            } else {
                visible_char(c)
            }
        }));
    }
}

/// A file's path as it is shown on a terminal or in a message: every control character
/// visible, a line break included, so a name cannot start a line of its own (where a CI
/// runner would read `::error` as a command) or move the cursor.
pub fn shown_path(path: &std::path::Path) -> String {
    let mut shown = String::new();
    push_visible(&mut shown, &path.to_string_lossy(), LineBreaks::Shown);
    shown
}

/// C0 controls become their Control Pictures (U+2400…), DEL U+2421; C1 controls and
/// the bidirectional overrides become U+FFFD. A tab stays a tab (miette expands it).
pub fn visible_char(c: char) -> char {
    match c {
        '\t' => c,
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-ASCII shortcut gives what the conversion per character gives, line
    /// breaks kept or shown, for plain text and for every kind of control.
    #[test]
    fn plain_text_is_copied_and_controls_are_still_made_visible() {
        let samples = [
            "plain text, tabs\tand all",
            "two\nlines",
            "bell\x07 escape\x1b[31m del\x7f",
            "c1 \u{85} and \u{9b}",
            "bidi \u{202e}evil\u{202c} \u{2066}",
            "ünïcödé stays",
        ];
        for text in samples {
            for breaks in [LineBreaks::Kept, LineBreaks::Shown] {
                let mut shown = String::new();
                push_visible(&mut shown, text, breaks);
                let each: String = (text.chars())
                    .map(|c| match (c, breaks) {
                        ('\n', LineBreaks::Kept) => c,
                        _ => visible_char(c),
                    })
                    .collect();
                assert_eq!(shown, each, "{text:?}");
            }
        }
        assert_eq!(visible("a\nb\x07"), "a\nb\u{2407}");
    }

    #[test]
    fn suggests_close_names_only() {
        let kinds = ["service", "cache", "database"];
        assert_eq!(did_you_mean("servce", kinds), Some("service"));
        assert_eq!(did_you_mean("Cache", kinds), Some("cache"));
        assert_eq!(did_you_mean("frobnicator", kinds), None);
        // A swap of two neighbours is one edit; a name that starts with a candidate.
        assert_eq!(did_you_mean("sevrice", kinds), Some("service"));
        assert_eq!(did_you_mean("cache_cluster", kinds), Some("cache"));
        assert_eq!(did_you_mean("databse", kinds), Some("database"));
    }

    #[test]
    fn the_bounded_distance_matches_the_full_one_within_its_limit() {
        let words = [
            "service", "servce", "sevrice", "cache", "caches", "cahce", "db", "bd", "", "a",
        ];
        let mut rows = Rows::default();
        for a in words {
            for b in words {
                let full = strsim::osa_distance(a, b);
                for limit in 0..4 {
                    let bounded = rows.within(a.as_bytes(), b.as_bytes(), limit);
                    assert_eq!(bounded, (full <= limit).then_some(full), "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn lists_choices_in_prose() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
