use super::prelude::*;
use hld_syntax::diagnostics::Severity;

pub static RULE: Rule = Rule {
    name: "two-phase-commit",
    category: Category::Consistency,
    level: Level::Warning,
    summary: "a link commits through two-phase commit",
    what: "A link with `transaction: two_phase_commit`; an error when the calling coordinator is \
           itself a single point of failure.",
    why: "Two-phase commit is atomic but blocking: once participants vote yes they hold their locks \
          until the coordinator tells them the outcome, so a coordinator crash between the phases \
          leaves them in doubt, holding locks, until it recovers. Throughput is bounded by the \
          slowest participant and the extra round trips. A saga (local transactions with \
          compensations) or an outbox with idempotent consumers keeps services available at the \
          cost of intermediate states being visible.",
    bad: example!("two-phase-commit", "bad"),
    good: example!("two-phase-commit", "good"),
    reading: &[
        "Kleppmann, DDIA ch. 9 'Atomic Commit and Two-Phase Commit'",
        "microservices.io, Saga pattern: https://microservices.io/patterns/data/saga.html",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        if !link.attrs.is(values::transaction::Value::TwoPhaseCommit) {
            continue;
        }
        let caller = cx.model.component(link.from);
        let caller_is_spof = cx.facts.on_request_path(link.from)
            && cx.facts.redundancy[link.from.index()] == Redundancy::Copies(1);
        let message = if caller_is_spof {
            format!(
                "`{}` coordinates a two-phase commit with `{}` and runs as 1 instance: if it fails mid-commit, participants block holding locks",
                caller.id,
                cx.name(link.to)
            )
        } else {
            format!(
                "`{}` commits with `{}` through two-phase commit: participants block while the coordinator is down",
                caller.id,
                cx.name(link.to)
            )
        };
        out.report(Element::Link(id), link.attrs.span(attr::TRANSACTION).unwrap_or(link.span), message, |d| {
            let d = d.with_label("blocking atomic commit").with_help("use `transaction: saga` (local transactions with compensations) or an outbox with idempotent consumers");
            if caller_is_spof { d.with_severity(Severity::Error).with_related(caller.id_span, "the coordinator, a single instance") } else { d }
        });
    }
}
