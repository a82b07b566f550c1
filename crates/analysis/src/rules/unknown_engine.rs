use super::prelude::*;
use hld_model::Engines;
use hld_syntax::diagnostics::suggestion_help;

pub static RULE: Rule = Rule {
    name: "unknown-engine",
    category: Category::Meta,
    level: Level::Warning,
    summary: "`engine:` names no known profile",
    what: "A component whose `engine:` names a technology hld has no profile for.",
    why: "A profile supplies what the rules and estimates reason with: the consistency model, the \
          storage engine, whether failover is built in, per-replica capacity, latency and \
          availability. Without one those checks stay silent for the component, so a typo such as \
          `postgress` quietly turns off the analysis you wanted.",
    bad: example!("unknown-engine", "bad"),
    good: example!("unknown-engine", "good"),
    reading: &[
        "hld's engine profiles: crates/model/data/engines.toml (each figure with its source)",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let engines = Engines::get();
    for (index, component) in cx.model.components.iter().enumerate() {
        let Some(name) = component.attrs.symbol(attr::ENGINE) else {
            continue;
        };
        if component.profile.is_some() {
            continue;
        }
        let span = component.attrs.span(attr::ENGINE).unwrap_or(component.span);
        let fitting = engines
            .names()
            .filter(|e| engines.profile(e).is_some_and(|p| p.fits(component.kind)));
        let help = match suggestion_help(name, fitting) {
            Some(suggestion) => format!(
                "{suggestion} Otherwise state `capacity`, `latency` and `availability` yourself"
            ),
            None => {
                "hld has no profile for it: state `capacity`, `latency` and `availability` yourself"
                    .to_string()
            }
        };
        out.report(
            Element::Component(ComponentId::new(index)),
            span,
            format!(
                "`{name}` is not an engine hld knows: `{}` gets no profile",
                component.id
            ),
            |d| d.with_label("no profile").with_help(help),
        );
    }
}
