//! `flow` items (docs/language.md, "Flows"): a named request and the declared links it
//! takes. Lowered after every link exists, since each step must name one.

use super::*;
use crate::attr;
use crate::values::ops::Value as Ops;
use petgraph::visit::EdgeRef;

impl<'a> Lowering<'a> {
    pub(super) fn flow(&mut self, decl: &'a ast::Declaration, span: Span) -> Option<FlowId> {
        let entries: Vec<&'a ast::Entry> = decl.body.iter().flat_map(|b| &b.entries).collect();
        let attrs = self.attributes(
            entries.iter().copied(),
            Target::Flow,
            Some(Subject::Flow(decl.id.name.clone())),
        );
        let label = self.label(decl.label.as_ref(), &attrs);
        let mut statements = Vec::new();
        for entry in &entries {
            let Entry::Item(item) = entry else { continue };
            match &item.kind {
                ItemKind::Link(link) => statements.push(link),
                _ => self.error(
                    code::SYNTAX,
                    item.span,
                    &format!("flow `{}` holds its steps and attributes only", decl.id.name),
                    "declare components outside the flow; inside it, name the links its requests take: `users -> api`",
                ),
            }
        }
        let Some(first) = statements.first() else {
            self.error(
                code::INVALID_VALUE,
                decl.id.span,
                &format!("flow `{}` has no steps", decl.id.name),
                "name the links its requests take, from the client on: `users -> front -> api`",
            );
            return None;
        };
        let start = self.resolve(&first.first)?;
        if !self.starts_a_flow(start, &first.first) {
            return None;
        }
        let mut reached = HashSet::from([start]);
        let mut steps = Vec::new();
        for statement in statements {
            // After a broken step the rest would only report what follows from it.
            steps.extend(self.flow_steps(&decl.id.name, statement, &mut reached)?);
        }
        self.model.flows.push(Flow {
            id: decl.id.name.clone(),
            label,
            attrs,
            start,
            steps,
            span,
            id_span: decl.id.span,
        });
        Some(self.model.flows.len() - 1)
    }

    /// A flow starts at a client, or at a worker that runs on its own (cron, batch).
    fn starts_a_flow(&mut self, start: ComponentId, written: &ast::Ident) -> bool {
        let component = self.model.component(start);
        let on_its_own = component.kind == Kind::Worker
            && matches!(
                component.attrs.value(),
                Some(values::mode::Value::Cron | values::mode::Value::Batch)
            );
        if component.kind == Kind::Client || on_its_own {
            return true;
        }
        let message = format!(
            "a flow starts at a client (or a cron or batch worker); `{}` is {} {}",
            written.name,
            component.kind.article(),
            component.kind
        );
        self.diagnostics.push(
            Diagnostic::error(code::INVALID_VALUE, written.span, message)
                .with_label("not where requests come from")
                .with_related(component.id_span, "declared here")
                .with_help("begin the flow's first step at the client whose requests it follows: `users -> ...`"),
        );
        false
    }

    /// The steps of one link statement inside a flow: each hop a declared link, the
    /// statement starting where the flow has already been.
    fn flow_steps(
        &mut self,
        flow: &str,
        statement: &'a ast::Link,
        reached: &mut HashSet<ComponentId>,
    ) -> Option<Vec<FlowStep>> {
        let body = self.plain_body(statement.body.as_ref(), "a flow's step");
        let attrs = self.attributes(
            body,
            Target::FlowStep,
            Some(Subject::Flow(flow.to_string())),
        );
        let ratio = attrs.number(attr::RATIO);
        let ops = attrs.value::<Ops>();
        let mut from_id = &statement.first;
        let mut from = self.resolve(from_id)?;
        if !reached.contains(&from) {
            self.diagnostics.push(
                Diagnostic::error(
                    code::INVALID_VALUE,
                    from_id.span,
                    format!(
                        "flow `{flow}` does not reach `{}` before this step",
                        from_id.name
                    ),
                )
                .with_label("not reached yet")
                .with_element(Subject::Flow(flow.to_string()))
                .with_help(
                    "start each step where an earlier step of the flow arrived (or at its client)",
                ),
            );
            return None;
        }
        let mut steps = Vec::new();
        for hop in &statement.hops {
            let to = self.resolve(&hop.to)?;
            let link = self.declared_link(flow, from, to, ops, from_id, &hop.to)?;
            steps.push(FlowStep {
                link,
                ratio,
                span: from_id.span.to(hop.to.span),
            });
            reached.insert(to);
            from = to;
            from_id = &hop.to;
        }
        Some(steps)
    }

    /// The link a step names: the first declared from `from` to `to` (with the step's
    /// `ops`, when it states them).
    fn declared_link(
        &mut self,
        flow: &str,
        from: ComponentId,
        to: ComponentId,
        ops: Option<Ops>,
        from_id: &ast::Ident,
        to_id: &ast::Ident,
    ) -> Option<LinkId> {
        let model = &self.model;
        let candidates = || model.graph.edges_connecting(from, to).map(|e| e.id());
        // The link with exactly the step's `ops`, else one that includes them.
        let link = match ops {
            None => candidates().min(),
            Some(ops) => candidates()
                .filter(|&l| model.link(l).ops() == ops)
                .min()
                .or_else(|| {
                    candidates()
                        .filter(|&l| {
                            matches!(ops, Ops::Read | Ops::Write)
                                && matches!(
                                    model.link(l).ops(),
                                    Ops::ReadWrite | Ops::ReadModifyWrite
                                )
                        })
                        .min()
                }),
        };
        if link.is_some() {
            return link;
        }
        let targets: Vec<&str> = model
            .graph
            .neighbors_directed(from, petgraph::Direction::Outgoing)
            .map(|t| model.component(t).id.as_str())
            .collect();
        let help = match (suggestion_help(&to_id.name, targets.iter().copied()), ops) {
            (_, Some(ops)) if model.graph.contains_edge(from, to) => format!(
                "`{}` links to `{}`, but not with `ops: {ops}`: drop `ops` from the step or declare that link",
                from_id.name, to_id.name
            ),
            (Some(suggestion), _) => suggestion,
            (None, _) if targets.is_empty() => format!(
                "`{}` links to nothing: declare the link (`{} -> {}`) outside the flow",
                from_id.name, from_id.name, to_id.name
            ),
            (None, _) => format!(
                "`{}` links to {}; declare `{} -> {}` outside the flow if requests take it",
                from_id.name,
                one_of(&targets),
                from_id.name,
                to_id.name
            ),
        };
        self.diagnostics.push(
            Diagnostic::error(
                code::UNKNOWN_LINK,
                from_id.span.to(to_id.span),
                format!(
                    "flow `{flow}` steps from `{}` to `{}`, and the design has no such link",
                    from_id.name, to_id.name
                ),
            )
            .with_label("not a declared link")
            .with_element(Subject::Flow(flow.to_string()))
            .with_help(help),
        );
        None
    }

    /// One client's flows take at most all of its requests.
    pub(super) fn check_shares(&mut self) {
        let mut taken: HashMap<ComponentId, f64> = HashMap::new();
        let mut problems = Vec::new();
        for flow in &self.model.flows {
            let Some(share) = flow.attrs.number(attr::SHARE) else {
                continue;
            };
            let total = taken.entry(flow.start).or_default();
            *total += share;
            if *total > 1.0 + 1e-9 {
                let client = &self.model.component(flow.start).id;
                problems.push(
                    Diagnostic::error(
                        code::INVALID_VALUE,
                        flow.attrs.span(attr::SHARE).unwrap_or(flow.id_span),
                        format!(
                            "the flows of `{client}` take {} of its requests with `{}`: more than all of them",
                            crate::figures::share_percent(*total),
                            flow.id
                        ),
                    )
                    .with_label("over 100%")
                    .with_element(Subject::Flow(flow.id.clone()))
                    .with_help(format!(
                        "lower the shares of `{client}`'s flows to 100% in all, or give this one a `rate`"
                    )),
                );
            }
        }
        self.diagnostics.extend(problems);
    }
}
