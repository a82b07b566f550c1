//! Code actions on findings: "Allow … here" (an `@allow` above the item, with a reason
//! to fill in), the one-attribute fixes rules name in their help, and the did-you-mean
//! of unknown names.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, WorkspaceEdit,
};

use hld_syntax::diagnostics::{COMPILE_CATEGORY, Diagnostic, Subject};
use hld_syntax::source::{FileId, Span};

use crate::position::Lines;
use crate::uri;
use crate::world::{Analysis, World};

// lsp-types keys `WorkspaceEdit` by `Uri`, whose lazily filled cache is what clippy
// sees as mutable; its hash and equality are the text's and never change.
#[allow(clippy::mutable_key_type)]
pub fn code_actions(world: &World, params: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let path = uri::to_path(&params.text_document.uri)?;
    let analysis = world.analysis(&path)?;
    let file = analysis.file_of(&path)?;
    let text = &analysis.compilation.sources.file(file).text;
    let lines = Lines::new(text, world.encoding);
    let wanted = (
        lines.offset(params.range.start),
        lines.offset(params.range.end),
    );
    let edit = |edits: Vec<TextEdit>| {
        let mut changes = HashMap::new();
        changes.insert(params.text_document.uri.clone(), edits);
        WorkspaceEdit::new(changes)
    };
    let mut actions = Vec::new();
    let mut tables = crate::diagnostics::LineTables::default();
    for diagnostic in analysis.compilation.diagnostics.iter().filter(|d| {
        d.span.file == file
            && (d.span.start as usize) <= wanted.1
            && wanted.0 <= d.span.end as usize
    }) {
        let lsp = crate::diagnostics::to_lsp(&analysis, diagnostic, world, &mut tables);
        let action = |title: String, edits: Vec<TextEdit>, preferred: bool| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp.clone()]),
                edit: Some(edit(edits)),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            })
        };
        if let Some(name) = suggestion(diagnostic) {
            let range = lines.range(diagnostic.span.start as usize, diagnostic.span.end as usize);
            actions.push(action(
                format!("Change to `{name}`"),
                vec![TextEdit::new(range, name.to_owned())],
                true,
            ));
        }
        if diagnostic.category == COMPILE_CATEGORY {
            continue;
        }
        if let Some((title, edits)) = attribute_fix(&analysis, file, text, &lines, diagnostic) {
            actions.push(action(title, edits, true));
        }
        let line_start = item_start(&analysis, file, diagnostic);
        let line_start = text[..line_start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let allow = format!(
            "{indent}@allow({}, \"why this trade-off is accepted\")\n",
            diagnostic.code
        );
        let at = lines.position(line_start);
        actions.push(action(
            format!("Allow `{}` here (say why in the reason)", diagnostic.code),
            vec![TextEdit::new(lsp_types::Range::new(at, at), allow)],
            false,
        ));
    }
    Some(actions)
}

/// The name a did-you-mean help offers (`did you mean `x`?`).
fn suggestion(diagnostic: &Diagnostic) -> Option<&str> {
    let help = diagnostic.help.as_deref()?;
    let rest = help.split("did you mean `").nth(1)?;
    rest.split('`').next()
}

/// Where the item the finding is about starts: its declaration or link statement.
fn item_start(analysis: &Analysis, file: FileId, diagnostic: &Diagnostic) -> usize {
    item_of(analysis, file, diagnostic).map_or(diagnostic.span.start as usize, |(item, _)| {
        item.start as usize
    })
}

/// The item and block of the element a finding is about, in this file.
fn item_of(
    analysis: &Analysis,
    file: FileId,
    diagnostic: &Diagnostic,
) -> Option<(Span, Option<Span>)> {
    let index = &analysis.index();
    match diagnostic.element.as_ref()? {
        Subject::Component(id) | Subject::Group(id) | Subject::Flow(id) | Subject::Scenario(id) => {
            let symbol = index.symbol(id).filter(|s| s.item.file == file)?;
            Some((symbol.item, symbol.body))
        }
        Subject::Link { from, to } => index
            .links
            .iter()
            .filter(|l| l.item.file == file)
            .find(|l| l.ends.windows(2).any(|w| &w[0] == from && &w[1] == to))
            .map(|l| (l.item, l.body)),
    }
}

/// The one-attribute fix a rule's help names, as an edit.
fn attribute_fix(
    analysis: &Analysis,
    file: FileId,
    text: &str,
    lines: &Lines,
    diagnostic: &Diagnostic,
) -> Option<(String, Vec<TextEdit>)> {
    if diagnostic.code == "retry-without-jitter" {
        // The retry call says `jitter: false`: turn it on where it is written.
        let span = &text[diagnostic.span.start as usize..diagnostic.span.end as usize];
        let at = span.find("jitter")? + diagnostic.span.start as usize;
        let value = text[at..].find("false")? + at;
        let range = lines.range(value, value + "false".len());
        return Some((
            "Set `jitter: true`".to_owned(),
            vec![TextEdit::new(range, "true".to_owned())],
        ));
    }
    let attribute = match diagnostic.code {
        "thundering-herd" => "stampede: request_coalescing",
        "no-circuit-breaker" => "circuit_breaker: true",
        "missing-timeout" | "third-party-without-timeout" => "timeout: 1s",
        _ => return None,
    };
    let (item, body) = item_of(analysis, file, diagnostic)?;
    let edit = add_attribute(text, lines, item, body, attribute);
    let mut title = format!("Set `{attribute}`");
    if attribute.starts_with("timeout") {
        title.push_str(" (then set it a little above the callee's p99)");
    }
    Some((title, vec![edit]))
}

/// An attribute added to an item: into its block, else as a new block.
fn add_attribute(
    text: &str,
    lines: &Lines,
    item: Span,
    body: Option<Span>,
    attribute: &str,
) -> TextEdit {
    let Some(body) = body else {
        let end = item.end as usize;
        return TextEdit::new(lines.range(end, end), format!(" {{ {attribute} }}"));
    };
    let close = body.end as usize - 1;
    let inside = &text[body.start as usize + 1..close];
    if inside.contains('\n') {
        // A block over several lines: a line of its own, indented as the others.
        let close_line = text[..close].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[close_line..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let at = lines.position(close_line);
        return TextEdit::new(
            lsp_types::Range::new(at, at),
            format!("{indent}  {attribute}\n"),
        );
    }
    let content_end = body.start as usize + 1 + inside.trim_end().len();
    let insert = if inside.trim().is_empty() {
        format!(" {attribute} ")
    } else {
        format!(", {attribute}")
    };
    let at = lines.position(content_end);
    TextEdit::new(lsp_types::Range::new(at, at), insert)
}
