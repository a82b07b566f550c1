//! Findings in the picture: a numbered badge on each element a finding is about, and
//! every finding in a list at the foot, so a PNG says what its badges mean.

use std::collections::BTreeMap;

use super::anatomy::{
    DETAIL_SIZE, LIST_HEADING, LIST_INDENT, LIST_LINE, LIST_MIN_HEIGHT, LIST_MIN_WIDTH, MARGIN,
};
use super::links::halfway;
use super::{FindingBadge, GroupBox, LinkPath, NodeBox};
use crate::text::{self, Weight};
use hld_model::Compilation;
use hld_syntax::diagnostics::{Diagnostic, Severity, Subject};

#[derive(Clone)]
pub struct FindingsList {
    pub y: f64,
    /// Below its heading, in columns when one would be taller than the drawing.
    pub height: f64,
    pub items: Vec<FindingItem>,
}

impl FindingsList {
    pub(super) fn bottom(&self) -> f64 {
        (self.y + LIST_HEADING + self.height + MARGIN).ceil()
    }
}

/// Lays the items out: one column at the picture's width while the list is no taller
/// than a quarter of the drawing (or `LIST_MIN_HEIGHT`), else up to as many columns of
/// `LIST_MIN_WIDTH` as fit, filled top to bottom (thousands of findings would otherwise
/// make a picture too tall to rasterize). Returns the height of the items.
fn arrange(items: &mut [FindingItem], texts: &[(String, f64)], width: f64, drawing: f64) -> f64 {
    let full = width.max(LIST_MIN_WIDTH) - 2.0 * MARGIN;
    let wrap_all = |items: &mut [FindingItem], column: f64| {
        for (item, (text, code_width)) in items.iter_mut().zip(texts) {
            let text_width = column - LIST_INDENT;
            item.lines = wrap(text, text_width - code_width, text_width);
        }
        items.iter().map(|item| item.lines.len()).sum::<usize>()
    };
    let limit = (drawing / 4.0).max(LIST_MIN_HEIGHT);
    let lines = wrap_all(items, full);
    if lines as f64 * LIST_LINE > limit {
        let fit = (full / LIST_MIN_WIDTH).floor().max(1.0);
        let wanted = (lines as f64 * LIST_LINE / limit).ceil();
        let columns = fit.min(wanted);
        let column = full / columns;
        let lines = wrap_all(items, column);
        let per_column = (lines as f64 / columns).ceil() as usize;
        let (mut x, mut row, mut height) = (0.0, 0usize, 0usize);
        for item in items.iter_mut() {
            if row > 0 && row + item.lines.len() > per_column {
                x += column;
                row = 0;
            }
            item.at = (x, row as f64 * LIST_LINE);
            row += item.lines.len();
            height = height.max(row);
        }
        return height as f64 * LIST_LINE;
    }
    let mut row = 0usize;
    for item in items.iter_mut() {
        item.at = (0.0, row as f64 * LIST_LINE);
        row += item.lines.len();
    }
    row as f64 * LIST_LINE
}

/// One finding of the list: its message wrapped to the picture's width, the first line
/// after its code.
#[derive(Clone)]
pub struct FindingItem {
    pub number: usize,
    /// Its diagnostic's index in the compilation's diagnostics.
    pub diagnostic: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub element: Option<String>,
    pub lines: Vec<String>,
    /// Its place below the list's heading: (column's left, top).
    pub at: (f64, f64),
    /// Whether a numbered badge marks its element in the picture.
    pub badged: bool,
}

/// The badges and the list: findings whose element is drawn come first, numbered as
/// their badges, then those on elements the picture has no place for (a flow), then
/// the design's own, which have no badge (docs/cli.md).
pub(super) fn findings(
    compilation: &Compilation,
    (nodes, groups, links): (&[NodeBox], &[GroupBox], &[LinkPath]),
    (top, width): (f64, f64),
    drawing: f64,
) -> (Vec<FindingBadge>, Option<FindingsList>) {
    let anchors = anchors(nodes, groups, links);
    let anchor_of = |d: &Diagnostic| d.element.as_ref().and_then(|e| anchors.get(e).copied());
    let rank = |d: &&Diagnostic| match (anchor_of(d), &d.element) {
        (Some(_), _) => 0,
        (None, Some(_)) => 1,
        (None, None) => 2,
    };
    let mut ordered: Vec<(usize, &Diagnostic)> =
        compilation.diagnostics.iter().enumerate().collect();
    ordered.sort_by_key(|(_, d)| rank(d));
    let mut per_element: BTreeMap<&Subject, usize> = BTreeMap::new();
    let mut badges = Vec::new();
    let mut items = Vec::new();
    let mut texts = Vec::new();
    for (index, (diagnostic_index, diagnostic)) in ordered.into_iter().enumerate() {
        let number = index + 1;
        let anchor = anchor_of(diagnostic);
        if let (Some((x, y)), Some(element)) = (anchor, &diagnostic.element) {
            let slot = per_element.entry(element).or_default();
            badges.push(FindingBadge {
                number,
                severity: diagnostic.severity,
                code: diagnostic.code,
                element: element.to_string(),
                message: diagnostic.message.clone(),
                center: (x - *slot as f64 * 18.0, y),
            });
            *slot += 1;
        }
        let element = diagnostic.element.as_ref().map(ToString::to_string);
        let code_width = text::width(
            &format!("{}  ", diagnostic.code),
            DETAIL_SIZE,
            Weight::SemiBold,
        );
        let mut text = diagnostic.message.clone();
        if let Some(element) = &element {
            text.push_str(&format!(" · {element}"));
        }
        texts.push((text, code_width));
        items.push(FindingItem {
            number,
            diagnostic: diagnostic_index,
            severity: diagnostic.severity,
            code: diagnostic.code,
            element,
            lines: Vec::new(),
            at: (0.0, 0.0),
            badged: anchor.is_some(),
        });
    }
    let height = arrange(&mut items, &texts, width, drawing);
    let list = (!items.is_empty()).then_some(FindingsList {
        y: top,
        height,
        items,
    });
    (badges, list)
}

/// Where a finding on each element is drawn: the top edge of its component or group,
/// or its link's label (or middle); parallel links share their first link's.
fn anchors(
    nodes: &[NodeBox],
    groups: &[GroupBox],
    links: &[LinkPath],
) -> BTreeMap<Subject, (f64, f64)> {
    let mut anchors: BTreeMap<Subject, (f64, f64)> = BTreeMap::new();
    for link in links.iter().rev() {
        let anchor = match &link.label {
            Some((_, rect)) => (rect.right(), rect.y),
            None => halfway(&link.points),
        };
        let subject = Subject::Link {
            from: link.from.clone(),
            to: link.to.clone(),
        };
        anchors.insert(subject, anchor);
    }
    for group in groups {
        let anchor = (group.rect.right() - 10.0, group.rect.y);
        anchors.insert(Subject::Group(group.id.clone()), anchor);
    }
    for node in nodes {
        let anchor = (node.face.right() - 10.0, node.face.y);
        anchors.insert(Subject::Component(node.id.clone()), anchor);
    }
    anchors
}

/// Words in lines of at most `width` (the first line `first` wide), measured in the
/// list's font; a word longer than a line stands alone on its line.
fn wrap(text: &str, first: f64, width: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    let space = text::width(" ", DETAIL_SIZE, Weight::Regular);
    let mut used = 0.0;
    for word in text.split_whitespace() {
        let limit = if lines.len() == 1 { first } else { width };
        let word_width = text::width(word, DETAIL_SIZE, Weight::Regular);
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(word);
            used = word_width;
        } else if used + space + word_width <= limit {
            line.push(' ');
            line.push_str(word);
            used += space + word_width;
        } else {
            lines.push(word.to_string());
            used = word_width;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;
    use crate::scene::anatomy::DETAIL_SIZE;
    use crate::text::{self, Weight};

    /// Words fill a line up to its width (the first line shorter, after the code); a
    /// word longer than a line stands alone.
    #[test]
    fn words_wrap_at_the_width_and_the_first_line_is_shorter() {
        let word = text::width("word", DETAIL_SIZE, Weight::Regular);
        let space = text::width(" ", DETAIL_SIZE, Weight::Regular);
        let two = 2.0 * word + space;
        assert_eq!(wrap("word word word", two, two), ["word word", "word"]);
        assert_eq!(wrap("word word word", word, two), ["word", "word word"]);
        assert_eq!(
            wrap("incomprehensibilities word", word, word),
            ["incomprehensibilities", "word"]
        );
        assert_eq!(wrap("", word, word), [""]);
    }
}
