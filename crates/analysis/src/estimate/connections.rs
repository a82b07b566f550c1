//! Open connections and streams (docs/estimates.md, "Connections and streams"): a
//! client's `concurrent` users each hold a connection over a link that keeps one open
//! (`websocket`, `sse`, `long_polling`, or `streaming: true`), at the link's `ratio`
//! of them; whoever it reaches holds them, and passes them on along its own such links,
//! a balancer over all its targets, evenly. A component's `connections` is what one
//! replica holds.

use hld_model::values::protocol::Value as Protocol;
use hld_model::{Component, ComponentId, Kind, Link, Model, attr};

use super::{Estimates, Figure, human_count};

/// Whether a link keeps a connection open for as long as the user is there.
pub fn holds_connections(link: &Link) -> bool {
    link.attrs.bool(attr::STREAMING) == Some(true)
        || matches!(
            link.attrs.value(),
            Some(Protocol::Websocket | Protocol::Sse | Protocol::LongPolling)
        )
}

/// A client's concurrent users that take a link: its `concurrent` × the link's `ratio`.
pub fn streams_on(model: &Model, link: &Link) -> Option<f64> {
    let client = model.component(link.from);
    let concurrent = client
        .attrs
        .count(attr::CONCURRENT)
        .filter(|_| client.kind == Kind::Client)?;
    Some(concurrent as f64 * link.attrs.number(attr::RATIO).unwrap_or(1.0))
}

impl Estimates {
    /// Open connections per component, and what its replicas can hold.
    pub(super) fn connections(&mut self, model: &Model) {
        let mut held: Vec<Vec<(f64, String)>> = vec![Vec::new(); model.components.len()];
        for link in &model.links {
            if let Some(users) = streams_on(model, link).filter(|_| holds_connections(link)) {
                held[link.to.index()].push((
                    users,
                    format!("concurrent of `{}`", model.component(link.from).id),
                ));
            }
        }
        // Most designs have no connected users: nothing to walk.
        if held.iter().all(Vec::is_empty) {
            return;
        }
        for index in 0..self.order.len() {
            let id = self.order[index];
            let component = model.component(id);
            let total: f64 = held[id.index()].iter().map(|(n, _)| n).sum();
            if total <= 0.0 || component.kind == Kind::Client {
                continue;
            }
            for (to, share) in passed_on(model, id) {
                held[to.index()].push((total * share, format!("from `{}`", component.id)));
            }
            self.components[id.index()].connections = Some(Figure {
                value: total,
                formula: held[id.index()]
                    .iter()
                    .map(|(n, whose)| format!("{} {whose}", human_count(*n)))
                    .collect::<Vec<_>>()
                    .join(" + "),
            });
            self.components[id.index()].connection_capacity = capacity(component);
        }
    }
}

/// Where a component's connections go on, with the share each takes: along its own
/// connection-holding links (at their `ratio`), and for a balancer over all its
/// targets, evenly.
fn passed_on(model: &Model, id: ComponentId) -> Vec<(ComponentId, f64)> {
    let outgoing: Vec<&Link> = model
        .graph
        .edges_directed(id, petgraph::Direction::Outgoing)
        .map(|e| model.link(petgraph::visit::EdgeRef::id(&e)))
        .collect();
    if model.component(id).kind.balances() {
        let targets = outgoing.len().max(1) as f64;
        return outgoing.iter().map(|l| (l.to, 1.0 / targets)).collect();
    }
    outgoing
        .iter()
        .filter(|l| holds_connections(l))
        .map(|l| (l.to, l.attrs.number(attr::RATIO).unwrap_or(1.0)))
        .collect()
}

/// `connections` per replica × its replicas (an autoscale's most).
fn capacity(component: &Component) -> Option<Figure> {
    let per_replica = component.attrs.count(attr::CONNECTIONS)? as f64;
    let replicas = match component.attrs.get(attr::AUTOSCALE) {
        Some(hld_model::Value::Range(_, most)) => *most,
        _ => component.replicas(),
    };
    Some(Figure {
        value: per_replica * replicas as f64,
        formula: format!(
            "{replicas} replica{} × {} connections",
            if replicas == 1 { "" } else { "s" },
            human_count(per_replica)
        ),
    })
}
