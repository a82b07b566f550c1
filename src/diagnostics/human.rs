//! Human output through miette: the source line, a caret under the span, the code,
//! and the help line.
//!
//! miette is handed an [`Excerpt`], never the whole file: only the lines the labels
//! need, each at most [`WINDOW`] characters around its labels, with control characters
//! made visible. That keeps three things out of miette: columns it cannot format
//! (it pads with `{:width$}`, which panics past 65,535), raw terminal escapes from the
//! user's text, and the cost of a diagnostic with thousands of labels (its layout is
//! quadratic in them), which is why only [`MAX_LABELS`] are shown.

use std::fmt::{self, Write as _};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, LineBreaks, Severity, push_visible, visible};
use hld_syntax::source::{SourceFile, Sources, Span};

/// The characters of a line shown around its labels; longer lines are cut to this.
const WINDOW: usize = 240;
/// The characters shown before the first label of a cut line.
const LEAD: usize = 24;
/// Labels (the primary span and related spans) drawn per diagnostic.
const MAX_LABELS: usize = 8;
/// Lines of context miette shows above and below a label.
const CONTEXT_LINES: usize = 1;
/// Marks a cut end of a line.
const ELLIPSIS: &str = "…";

/// The handler, made once per thread and colour (a run prints thousands of findings).
/// Lines are not wrapped: a terminal wraps a long message itself, and miette's wrapping
/// (textwrap) was a third of the time of printing many findings.
fn handler(color: bool) -> &'static GraphicalReportHandler {
    thread_local! {
        static HANDLERS: [&'static GraphicalReportHandler; 2] = [false, true].map(|color| {
            let theme = if color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            let handler = GraphicalReportHandler::new_themed(theme)
                .with_width(100)
                .with_wrap_lines(false)
                .with_links(false)
                .with_context_lines(CONTEXT_LINES);
            &*Box::leak(Box::new(handler))
        });
    }
    HANDLERS.with(|handlers| handlers[usize::from(color)])
}

/// Renders one diagnostic as text; `color` adds ANSI colours.
pub fn render_human(sources: &Sources, diagnostic: &Diagnostic, color: bool) -> String {
    let report = Report::new(sources, diagnostic);
    let mut out = String::new();
    handler(color)
        .render_report(&mut out, &report)
        .expect("writing to a String cannot fail");
    for note in report.footnotes() {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}

/// A diagnostic (or one of its related notes in another file) as miette sees it.
struct Report<'a> {
    code: Option<&'static str>,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Excerpt<'a>,
    labels: Vec<LabeledSpan>,
    /// Related spans in other files, shown as notes with their own source.
    notes: Vec<Report<'a>>,
    /// Related spans left out to keep the output readable.
    hidden: usize,
}

impl<'a> Report<'a> {
    fn new(sources: &'a Sources, diagnostic: &Diagnostic) -> Report<'a> {
        let file = diagnostic.span.file;
        let shown = diagnostic.related.len().min(MAX_LABELS - 1);
        let (here, elsewhere): (Vec<_>, Vec<_>) = diagnostic.related[..shown]
            .iter()
            .partition(|related| related.span.file == file);
        let mut spans = vec![(diagnostic.span, diagnostic.label.as_deref())];
        spans.extend(here.iter().map(|r| (r.span, Some(r.message.as_str()))));
        let notes = elsewhere
            .iter()
            .map(|related| Report::note(sources, related.span, &related.message))
            .collect();
        Report {
            code: Some(diagnostic.code),
            message: visible(&diagnostic.message),
            severity: diagnostic.severity,
            help: diagnostic.help.as_deref().map(visible),
            source: Excerpt::new(sources.file(file), spans.iter().map(|(s, _)| *s)),
            labels: Vec::new(),
            notes,
            hidden: diagnostic.related.len() - shown,
        }
        .labelled(&spans)
    }

    fn note(sources: &'a Sources, span: Span, message: &str) -> Report<'a> {
        Report {
            code: None,
            message: visible(message),
            severity: Severity::Info,
            help: None,
            source: Excerpt::new(sources.file(span.file), [span]),
            labels: Vec::new(),
            notes: Vec::new(),
            hidden: 0,
        }
        .labelled(&[(span, None)])
    }

    /// Adds the labels, the first as primary, at their places in the excerpt.
    fn labelled(mut self, spans: &[(Span, Option<&str>)]) -> Report<'a> {
        self.labels = spans
            .iter()
            .enumerate()
            .map(|(i, (span, label))| {
                let at = self.source.span_of(*span);
                let label = label.map(visible);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, at)
                } else {
                    LabeledSpan::new_with_span(label, at)
                }
            })
            .collect();
        self
    }

    /// What the excerpts left out, said after the report.
    fn footnotes(&self) -> Vec<String> {
        let mut notes: Vec<String> = std::iter::once(self)
            .chain(&self.notes)
            .flat_map(|report| report.source.cut_lines())
            .collect();
        if self.hidden > 0 {
            notes.push(format!(
                "and {} more related location{} not shown (`--format json` lists them all)",
                self.hidden,
                if self.hidden == 1 { "" } else { "s" }
            ));
        }
        notes
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.notes.is_empty() {
            return None;
        }
        Some(Box::new(
            self.notes.iter().map(|n| n as &dyn miette::Diagnostic),
        ))
    }
}

/// The lines of one file that a report shows, as miette reads them: each label's
/// lines with [`CONTEXT_LINES`] around them, every line cut to a window around its
/// labels and with control characters made visible. Offsets given to miette are
/// offsets in `text`; line numbers and columns are the file's.
struct Excerpt<'a> {
    file: &'a SourceFile,
    name: String,
    text: String,
    lines: Vec<ExcerptLine>,
}

struct ExcerptLine {
    /// 0-based line in the file.
    number: usize,
    /// Where the line starts in the excerpt's text.
    start: usize,
    /// Its length in the excerpt's text.
    len: usize,
    /// The part of the file's line shown, as byte offsets in the file.
    shown: std::ops::Range<usize>,
    /// The file's line, as byte offsets in the file (without its line break).
    whole: std::ops::Range<usize>,
    /// The 0-based column (in characters) of `shown.start`.
    first_column: usize,
}

impl ExcerptLine {
    fn is_cut(&self) -> bool {
        self.shown != self.whole
    }

    fn lead(&self) -> usize {
        if self.shown.start > self.whole.start {
            ELLIPSIS.len()
        } else {
            0
        }
    }
}

impl<'a> Excerpt<'a> {
    fn new(file: &'a SourceFile, spans: impl IntoIterator<Item = Span>) -> Excerpt<'a> {
        let spans: Vec<Span> = spans.into_iter().collect();
        let mut numbers: Vec<usize> = Vec::new();
        for span in &spans {
            let (first, last) = file_lines(file, *span);
            let last = (last + CONTEXT_LINES).min(file.line_count() - 1);
            numbers.extend(first.saturating_sub(CONTEXT_LINES)..=last);
        }
        numbers.sort_unstable();
        numbers.dedup();
        let mut excerpt = Excerpt {
            file,
            name: hld_syntax::diagnostics::shown_path(&file.path),
            text: String::new(),
            lines: Vec::with_capacity(numbers.len()),
        };
        let mut anchor = 0;
        for number in numbers {
            let whole = line_range(file, number);
            let starts: Vec<usize> = spans
                .iter()
                .map(|s| s.start as usize)
                .filter(|s| whole.contains(s) || *s == whole.end)
                .collect();
            let fits = whole.len() <= WINDOW || file.text[whole.clone()].chars().count() <= WINDOW;
            let shown = match starts.iter().min() {
                _ if fits => whole.clone(),
                Some(&first) => window_at(&file.text, whole.clone(), first),
                None => window_from_column(&file.text, whole.clone(), anchor),
            };
            let first_column = file.text[whole.start..shown.start].chars().count();
            if !starts.is_empty() {
                anchor = first_column;
            }
            excerpt.push_line(number, whole, shown, first_column);
        }
        excerpt
    }

    fn push_line(
        &mut self,
        number: usize,
        whole: std::ops::Range<usize>,
        shown: std::ops::Range<usize>,
        first_column: usize,
    ) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        let start = self.text.len();
        if shown.start > whole.start {
            self.text.push_str(ELLIPSIS);
        }
        let line = &self.file.text[shown.clone()];
        push_visible(&mut self.text, line, LineBreaks::Shown);
        if shown.end < whole.end {
            self.text.push_str(ELLIPSIS);
        }
        self.lines.push(ExcerptLine {
            number,
            start,
            len: self.text.len() - start,
            shown,
            whole,
            first_column,
        });
    }

    /// The excerpt's span for a span of the file.
    fn span_of(&self, span: Span) -> SourceSpan {
        let start = self.offset_of(span.start as usize);
        let end = self.offset_of(span.end as usize).max(start);
        SourceSpan::new(start.into(), end - start)
    }

    /// The excerpt offset of a file offset on one of its lines; offsets outside the
    /// window land on its nearest end.
    fn offset_of(&self, offset: usize) -> usize {
        let i = self
            .lines
            .partition_point(|line| line.whole.end < offset)
            .min(self.lines.len() - 1);
        let line = &self.lines[i];
        if offset < line.shown.start {
            return line.start;
        }
        if offset > line.shown.end {
            return line.start + line.len;
        }
        // Each character of the file becomes one of the excerpt (perhaps longer).
        let chars_before = self.file.text[line.shown.start..offset].chars().count();
        let shown_before: usize = self.text_of(line)[line.lead()..]
            .chars()
            .take(chars_before)
            .map(char::len_utf8)
            .sum();
        line.start + line.lead() + shown_before
    }

    fn text_of(&self, line: &ExcerptLine) -> &str {
        &self.text[line.start..line.start + line.len]
    }

    /// The index of the excerpt line holding an excerpt offset.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|line| line.start + line.len < offset)
            .min(self.lines.len() - 1)
    }

    /// What was cut, for a note after the report.
    fn cut_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().filter(|l| l.is_cut()).map(move |line| {
            let shown = self.text_of(line)[line.lead()..]
                .trim_end_matches(ELLIPSIS)
                .chars()
                .count();
            format!(
                "line {} of {} is long: columns {}–{} are shown",
                line.number + 1,
                self.name,
                line.first_column + 1,
                line.first_column + shown
            )
        })
    }
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_at(start);
        let last = self.line_at(end.saturating_sub(1).max(start));
        let first_shown = self.extend(first, context_lines_before, -1);
        let last_shown = self.extend(last, context_lines_after, 1);
        let line = &self.lines[first];
        // As miette's own implementation: without context the data starts at the span,
        // and the column is the span's (here in characters, as everywhere in hld).
        let data_start = if context_lines_before == 0 {
            start
        } else {
            self.lines[first_shown].start
        };
        let data_end = {
            let l = &self.lines[last_shown];
            l.start + l.len
        };
        let chars_before = self.text[line.start..start.max(line.start)].chars().count();
        let lead_chars = usize::from(line.lead() > 0);
        let column = line.first_column + chars_before.saturating_sub(lead_chars);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            self.lines[first_shown].number,
            column,
            last_shown - first_shown + 1,
        )))
    }
}

impl Excerpt<'_> {
    /// Moves up to `count` lines from line `i` in direction `step`, staying on lines
    /// that follow each other in the file.
    fn extend(&self, mut i: usize, count: usize, step: isize) -> usize {
        for _ in 0..count {
            let Some(next) = i.checked_add_signed(step).filter(|&n| n < self.lines.len()) else {
                break;
            };
            if self.lines[next].number.abs_diff(self.lines[i].number) != 1 {
                break;
            }
            i = next;
        }
        i
    }
}

/// The 0-based first and last lines a span touches.
fn file_lines(file: &SourceFile, span: Span) -> (usize, usize) {
    let start = span.start as usize;
    let last_byte = (span.end as usize).saturating_sub(1).max(start);
    (file.line_index(start), file.line_index(last_byte))
}

/// A line's bytes without its line break (`\n` or `\r\n`).
fn line_range(file: &SourceFile, number: usize) -> std::ops::Range<usize> {
    let start = file.line_start(number);
    let line = &file.text[start..file.line_start(number + 1)];
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    start..start + line.len()
}

/// At most [`WINDOW`] characters of a line, starting [`LEAD`] characters before `at`.
fn window_at(text: &str, line: std::ops::Range<usize>, at: usize) -> std::ops::Range<usize> {
    let at = at.min(line.end);
    let start = text[line.start..at]
        .char_indices()
        .rev()
        .nth(LEAD - 1)
        .map_or(line.start, |(i, _)| line.start + i);
    start..window_end(text, start, line.end)
}

/// At most [`WINDOW`] characters of a line from character `column`.
fn window_from_column(
    text: &str,
    line: std::ops::Range<usize>,
    column: usize,
) -> std::ops::Range<usize> {
    let start = text[line.clone()]
        .char_indices()
        .nth(column)
        .map_or(line.end, |(i, _)| line.start + i);
    let start = if start == line.end { line.start } else { start };
    start..window_end(text, start, line.end)
}

fn window_end(text: &str, start: usize, line_end: usize) -> usize {
    text[start..line_end]
        .char_indices()
        .nth(WINDOW)
        .map_or(line_end, |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hld_syntax::source::FileId;

    fn render(text: &str, start: usize, end: usize) -> String {
        let mut sources = Sources::default();
        let file = sources.add("x.hld", text.to_string());
        let diagnostic =
            Diagnostic::error("syntax", Span::new(file, start, end), "bad").with_label("here");
        render_human(&sources, &diagnostic, false)
    }

    #[test]
    fn a_span_past_column_65535_is_shown_in_a_window() {
        let text = format!("{}service a {{ ttl: 5min }}\n", " ".repeat(70_000));
        let at = text.find("ttl").unwrap();
        let out = render(&text, at, at + 3);
        assert!(out.contains("x.hld:1:70013"), "{out}");
        assert!(
            out.contains("│ …            service a { ttl: 5min }"),
            "{out}"
        );
        assert!(out.contains("line 1 of x.hld is long: columns"), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
    }

    #[test]
    fn control_characters_are_made_visible() {
        let text = "service a \"\x1b[31mred\x07\" { x: 1 }\n";
        let at = text.find('x').unwrap();
        let out = render(text, at, at + 1);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains("\u{241b}[31mred\u{2407}"), "{out}");
        // The caret still points at `x`: the pictures take one column each, as the
        // characters they stand for did.
        let source_line = out.lines().find(|l| l.contains("service a")).unwrap();
        let caret_line = out.lines().find(|l| l.contains('┬')).unwrap();
        assert_eq!(
            source_line.chars().position(|c| c == 'x'),
            caret_line.chars().position(|c| c == '┬'),
            "{out}"
        );
    }

    #[test]
    fn many_related_spans_are_counted_not_drawn() {
        let text: String = (0..2_000).map(|i| format!("service s{i}\n")).collect();
        let mut sources = Sources::default();
        let file = sources.add("x.hld", text);
        let mut diagnostic =
            Diagnostic::error("sync-cycle", Span::new(file, 0, 7), "a cycle").with_label("here");
        for i in 1..2_000 {
            let start = sources.file(file).line_start(i);
            diagnostic = diagnostic.with_related(Span::new(file, start, start + 7), "member");
        }
        let out = render_human(&sources, &diagnostic, false);
        assert!(
            out.contains("and 1992 more related locations not shown"),
            "{out}"
        );
        assert_eq!(out.matches("member").count(), 7, "{out}");
    }

    #[test]
    fn related_spans_keep_their_line_numbers() {
        let text: String = (0..50).map(|i| format!("service s{i}\n")).collect();
        let mut sources = Sources::default();
        let file = sources.add("x.hld", text);
        let line = |i: usize| sources.file(file).line_start(i);
        let diagnostic = Diagnostic::error("e", Span::new(file, line(3), line(3) + 7), "m")
            .with_related(Span::new(FileId(0), line(40), line(40) + 7), "there");
        let out = render_human(&sources, &diagnostic, false);
        assert!(out.contains(" 4 │ service s3"), "{out}");
        assert!(out.contains("41 │ service s40"), "{out}");
        assert!(out.contains("x.hld:4:1"), "{out}");
    }
}
