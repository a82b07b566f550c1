//! Human output through miette: the source line, a caret under the span, the code,
//! and the help line.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Severity};
use crate::source::{SourceFile, Sources, Span};

/// Renders one diagnostic as text; `color` adds ANSI colours.
pub fn render_human(sources: &Sources, diagnostic: &Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let report = Report::new(sources, diagnostic);
    let mut out = String::new();
    handler
        .render_report(&mut out, &report)
        .expect("writing to a String cannot fail");
    out
}

/// A diagnostic (or one of its related notes in another file) as miette sees it.
struct Report<'a> {
    code: Option<&'static str>,
    message: String,
    severity: Severity,
    help: Option<&'a str>,
    source: NamedText<'a>,
    labels: Vec<LabeledSpan>,
    /// Related spans in other files, shown as notes with their own source.
    notes: Vec<Report<'a>>,
}

impl<'a> Report<'a> {
    fn new(sources: &'a Sources, diagnostic: &'a Diagnostic) -> Report<'a> {
        let file = diagnostic.span.file;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            diagnostic.label.clone(),
            source_span(diagnostic.span),
        )];
        let mut notes = Vec::new();
        for related in &diagnostic.related {
            if related.span.file == file {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
                    source_span(related.span),
                ));
            } else {
                notes.push(Report {
                    code: None,
                    message: related.message.clone(),
                    severity: Severity::Info,
                    help: None,
                    source: NamedText::of(sources, related.span),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        None,
                        source_span(related.span),
                    )],
                    notes: Vec::new(),
                });
            }
        }
        Report {
            code: Some(diagnostic.code),
            message: diagnostic.message.clone(),
            severity: diagnostic.severity,
            help: diagnostic.help.as_deref(),
            source: NamedText::of(sources, diagnostic.span),
            labels,
            notes,
        }
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new(
        (span.start as usize).into(),
        (span.end - span.start) as usize,
    )
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
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
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

/// A file's text under its path, borrowed from [`Sources`].
struct NamedText<'a> {
    name: String,
    file: &'a SourceFile,
}

impl<'a> NamedText<'a> {
    fn of(sources: &'a Sources, span: Span) -> NamedText<'a> {
        let file = sources.file(span.file);
        NamedText {
            name: file.path.display().to_string(),
            file,
        }
    }
}

impl SourceCode for NamedText<'_> {
    /// The lines around `span`, found through the file's line index: miette's own
    /// `str` implementation walks the text from its start for every diagnostic, which
    /// made thousands of findings in a large file take seconds.
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = &self.file.text;
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self
            .file
            .line_index(start)
            .saturating_sub(context_lines_before);
        let last_line = (self.file.line_index(end.saturating_sub(1).max(start))
            + context_lines_after)
            .min(self.file.line_count() - 1);
        // As miette's own implementation: without context the data starts at the span,
        // and the column is the span's, in bytes from its line's start.
        let column = start - self.file.line_start(self.file.line_index(start));
        let data_start = if context_lines_before == 0 {
            start
        } else {
            self.file.line_start(first_line)
        };
        let data_end = self.file.line_start(last_line + 1);
        let data = text[data_start..data_end].trim_end_matches('\n').as_bytes();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(data_start.into(), data.len()),
            first_line,
            column,
            last_line - first_line + 1,
        )))
    }
}
