use super::prelude::*;
use crate::source::Span;

pub static RULE: Rule = Rule {
    name: "unused-allow",
    category: Category::Meta,
    level: Level::Warning,
    summary: "an `@allow` that silences nothing",
    what: "An `@allow(rule, \"reason\")` whose rule produces no finding on the item it annotates.",
    why: "An allowance documents a trade-off the design accepts. Once the design changes so the \
          finding is gone, a stale `@allow` claims a trade-off that no longer exists, and it would \
          silently swallow the finding if the problem came back in a different form. Like an unused \
          `# noqa`, it is noise that erodes trust in the ones that matter.",
    bad: example!("unused-allow", "bad"),
    good: example!("unused-allow", "good"),
    reading: &["ruff's RUF100 (unused-noqa): https://docs.astral.sh/ruff/rules/unused-noqa/"],
    check,
};

/// Findings are reported by the analysis driver once every rule has run.
fn check(_: &Context, _: &mut Findings) {}

pub(crate) fn report(out: &mut Findings, element: Element, span: Span, name: &str) {
    out.report(
        element,
        span,
        format!("`@allow({name})` silences nothing here"),
        |d| {
            d.with_label("no such finding on this item")
                .with_help("remove it, or move it to the item the finding is on")
        },
    );
}
