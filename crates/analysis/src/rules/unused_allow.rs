use super::prelude::*;
use hld_syntax::source::Span;

pub static RULE: Rule = Rule {
    name: "unused-allow",
    category: Category::Meta,
    level: Level::Warning,
    summary: "an `@allow` that silences nothing",
    what: "An `@allow(rule, \"reason\")` whose rule produces no finding on the item it annotates. \
           When the rule has a finding elsewhere in the file, the report names that item and \
           its line: the allowance may have been meant for it.",
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

/// A finding of the allowed rule elsewhere, that the allowance may have been meant for.
pub(crate) struct Meant {
    pub element: String,
    pub span: Span,
    pub line: usize,
}

pub(crate) fn report(
    out: &mut Findings,
    element: Element,
    span: Span,
    name: &str,
    meant: Option<Meant>,
) {
    let message = match &meant {
        Some(m) => format!(
            "`@allow({name})` silences nothing here; its finding is on `{}` (line {})",
            m.element, m.line
        ),
        None => format!("`@allow({name})` silences nothing here"),
    };
    out.report(element, span, message, |d| {
        let d = d.with_label("no such finding on this item");
        match meant {
            Some(m) => d
                .with_related(m.span, format!("the `{name}` finding"))
                .with_help(format!(
                    "move it before `{}` (line {}), or remove it",
                    m.element, m.line
                )),
            None => d.with_help("remove it, or move it to the item the finding is on"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn unused(text: &str) -> Vec<(String, Option<String>)> {
        findings_of(RULE.name, text)
            .into_iter()
            .map(|d| (d.message, d.help))
            .collect()
    }

    #[test]
    fn an_allow_on_the_wrong_item_names_where_the_finding_is() {
        let found = unused(
            "client u\ngateway edge { replicas: 2, auth: jwt }\n@allow(no-rate-limit, \"internal\")\nservice api { replicas: 2 }\nu -> edge -> api\n",
        );
        assert_eq!(
            found,
            [(
                "`@allow(no-rate-limit)` silences nothing here; its finding is on `edge` (line 2)"
                    .to_string(),
                Some("move it before `edge` (line 2), or remove it".to_string())
            )]
        );
    }

    #[test]
    fn an_allow_with_no_finding_anywhere_says_only_that() {
        let found = unused("@allow(no-backup, \"stateless\")\nservice api { replicas: 2 }\n");
        assert_eq!(found[0].0, "`@allow(no-backup)` silences nothing here");
    }
}
