//! What a design costs a month (docs/estimates.md, "Cost"), in US dollars at list
//! prices: nodes people run themselves at their engine's node price (else hld's default
//! replica), managed engines by what they are used for (requests, storage, partitions,
//! egress), a component's own `price` over both. A month is 30 days (720 hours).

use super::{Estimates, human_count, human_money, human_rate, human_size, shards};
use crate::facts::Redundancy;
use hld_model::{Component, ComponentId, Kind, Value, attr};

/// Hours in hld's month (30 days).
pub const HOURS_PER_MONTH: f64 = 720.0;
const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;
/// One replica a month when neither the design nor an engine prices it: an AWS
/// m6i.large (2 vCPU, 8 GiB) on demand in us-east-1 at $0.096/h
/// (aws.amazon.com/ec2/pricing/on-demand, 2025).
pub const DEFAULT_REPLICA_MONTH: f64 = 0.096 * HOURS_PER_MONTH;

/// A component's monthly cost and what it was computed from (the formula is written on
/// request, as the other figures' are).
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub value: f64,
    terms: CostTerms,
}

#[derive(Clone, Debug, PartialEq)]
enum CostTerms {
    /// The design's own `price`: per replica-hour × nodes, or a month in all.
    Stated {
        per_month: f64,
        per_replica: bool,
        nodes: u64,
    },
    /// Nodes at a node's monthly price (the engine's, or hld's default replica).
    Nodes { nodes: u64, node_month: f64 },
    /// A managed engine by use: each part's quantity, unit and price.
    Usage(Vec<Usage>),
}

#[derive(Clone, Debug, PartialEq)]
struct Usage {
    /// `3.2M reads`, `120 GB stored`.
    quantity: String,
    /// `$0.125 per million`.
    price: String,
    dollars: f64,
}

impl Cost {
    /// `3 nodes × $181/month`, `25.9M writes × $0.625 per million + ...`.
    pub fn formula(&self) -> String {
        match &self.terms {
            CostTerms::Stated {
                per_month,
                per_replica: true,
                nodes,
            } => format!(
                "{nodes} node{} × {} (its `price`)",
                plural(*nodes),
                human_money(*per_month)
            ),
            CostTerms::Stated { per_month, .. } => {
                format!("{} (its `price`)", human_money(*per_month))
            }
            CostTerms::Nodes { nodes, node_month } => format!(
                "{nodes} node{} × {}",
                plural(*nodes),
                human_money(*node_month)
            ),
            CostTerms::Usage(parts) => parts
                .iter()
                .map(|u| format!("{} × {}", u.quantity, u.price))
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Estimates {
    /// The monthly cost of each component and of the design.
    pub(super) fn costs(&mut self, model: &hld_model::Model, facts: &crate::facts::Facts) {
        let mut total = 0.0;
        for (index, component) in model.components.iter().enumerate() {
            let id = ComponentId::new(index);
            let cost = self.cost_of(component, id, facts.redundancy[index]);
            if let Some(cost) = &cost {
                total += cost.value;
            }
            self.components[index].cost = cost;
        }
        self.cost = total;
    }

    fn cost_of(
        &mut self,
        component: &Component,
        id: ComponentId,
        redundancy: Redundancy,
    ) -> Option<Cost> {
        let nodes = nodes(component, redundancy);
        if let Some(Value::Money {
            per_month,
            per_replica,
        }) = component.attrs.get(attr::PRICE)
        {
            let value = if *per_replica {
                per_month * nodes as f64
            } else {
                *per_month
            };
            return Some(Cost {
                value,
                terms: CostTerms::Stated {
                    per_month: *per_month,
                    per_replica: *per_replica,
                    nodes,
                },
            });
        }
        // The caller's own cost and a third party's bill are outside the design.
        if matches!(component.kind, Kind::Client | Kind::External) {
            return None;
        }
        let prices = component.profile.map(|p| p.prices).unwrap_or_default();
        if redundancy == Redundancy::Managed {
            let cost = self.usage(component, id, prices);
            if cost.is_none() && prices == hld_model::Prices::default() {
                // Not nothing: unknown. The total leaves it out, and says so.
                self.assume(
                    "a managed engine without list prices (sold by contract, as Akamai is) is not priced, and the total leaves it out: give it a `price`",
                    &component.id,
                );
            }
            return cost;
        }
        let node_month = match prices.node_month {
            Some(price) => price,
            None => {
                self.assume(
                    "a component that states no `price`, on an engine without a list price, costs an AWS m6i.large on demand per replica: $0.096/h, $69.1/month",
                    &component.id,
                );
                DEFAULT_REPLICA_MONTH
            }
        };
        Some(Cost {
            value: nodes as f64 * node_month,
            terms: CostTerms::Nodes { nodes, node_month },
        })
    }

    /// A managed engine priced by use; `None` when its engine lists no price.
    fn usage(
        &mut self,
        component: &Component,
        id: ComponentId,
        prices: hld_model::Prices,
    ) -> Option<Cost> {
        let estimate = &self.components[id.index()];
        let month = |per_second: f64| per_second * SECONDS_PER_MONTH;
        let mut parts = Vec::new();
        let mut requests = |rate: f64, what: &str, price: Option<f64>| {
            if let (Some(price), true) = (price, rate > 0.0) {
                let millions = month(rate) / 1e6;
                parts.push(Usage {
                    quantity: format!(
                        "{} {what} a month ({} on average)",
                        human_count(millions * 1e6),
                        human_rate(rate)
                    ),
                    price: format!("${price} per million"),
                    dollars: millions * price,
                });
            }
        };
        if component.kind.is_data() {
            requests(
                estimate.load.reads.average,
                "reads",
                prices.per_million_reads,
            );
            requests(
                estimate.load.writes.average,
                "writes",
                prices.per_million_writes,
            );
        } else {
            // A cdn or dns bills every request it answers.
            let all = estimate.inbound.map_or(0.0, |r| r.average);
            requests(all, "requests", prices.per_million_reads);
        }
        if let (Some(price), Some(storage)) = (prices.gb_month, &estimate.storage) {
            // The provider keeps its own copies: the bill is for one.
            let gb = storage.value / estimate.copies.max(1) as f64 / 1e9;
            parts.push(Usage {
                quantity: format!("{} stored", human_size(gb * 1e9)),
                price: format!("${price} per GB-month"),
                dollars: gb * price,
            });
        }
        if let Some(price) = prices.partition_month
            && component.kind == Kind::Queue
        {
            let partitions = component.attrs.count(attr::PARTITIONS).unwrap_or(1);
            parts.push(Usage {
                quantity: format!("{partitions} partition{}", plural(partitions)),
                price: format!("{} each", human_money(price)),
                dollars: partitions as f64 * price,
            });
        }
        if let Some(price) = prices.egress_gb
            && estimate.internet_egress > 0.0
        {
            // Bandwidth is at peak; a month's bytes flow at the average.
            let share = estimate
                .inbound
                .map_or(1.0, |r| r.average / r.peak.max(f64::MIN_POSITIVE));
            let gb = estimate.internet_egress * share * SECONDS_PER_MONTH / 1e9;
            parts.push(Usage {
                quantity: format!("{} out to the internet", human_size(gb * 1e9)),
                price: format!("${price} per GB"),
                dollars: gb * price,
            });
        }
        if let Some(node_month) = prices.node_month {
            // A managed engine priced per node (Spanner), or per load balancer-hour.
            let nodes = shards(component).max(1);
            parts.push(Usage {
                quantity: format!("{nodes} node{}", plural(nodes)),
                price: human_money(node_month),
                dollars: nodes as f64 * node_month,
            });
        }
        // Storage the design does not size is not billed: say so rather than count it
        // as nothing.
        if prices.gb_month.is_some() && estimate.storage.is_none() {
            self.assume(
                "a managed store whose size the design does not give (no `retention`, `lifecycle` or `record_size` with writes) is priced for its requests only, not its storage",
                &component.id,
            );
        }
        if parts.is_empty() {
            return None;
        }
        Some(Cost {
            value: parts.iter().map(|u| u.dollars).sum(),
            terms: CostTerms::Usage(parts),
        })
    }
}

/// The machines a self-run component keeps: its replicas (the autoscale minimum), for a
/// store × its shards.
fn nodes(component: &Component, redundancy: Redundancy) -> u64 {
    let copies = match redundancy {
        Redundancy::Copies(n) => n,
        Redundancy::Managed => 1,
    };
    copies.saturating_mul(shards(component))
}
