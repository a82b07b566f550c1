//! The versioned JSON of `hld estimate --format json` (docs/cli.md), serialized straight
//! from the estimate: the components and links, a few per component of a large design,
//! are structs whose fields are declared in the order `serde_json` sorts an object's
//! keys, so the output is the same as an object built key by key, without building it
//! (that was most of `hld estimate --format json`'s time on 3,000 components).

use serde::Serialize;
use serde_json::{Value, json};

use super::{assumptions, flow_targets};
use hld_analysis::estimate::{ComponentEstimate, Estimates, Figure, LinkEstimate};
use hld_model::{Component, ComponentId, Link, Model};

/// The whole document, its keys in sorted order.
#[derive(Serialize)]
pub struct Document<'a> {
    assumptions: Vec<String>,
    components: Vec<ComponentJson<'a>>,
    /// US dollars a month, in all.
    cost: f64,
    cut: Vec<String>,
    flows: Vec<Value>,
    links: Vec<LinkJson<'a>>,
    paths: Vec<Value>,
    units: Value,
    version: u32,
}

/// One component; the `Option<Option<_>>` fields are a store's (cli.md v3): absent for
/// other kinds, `null` when a store has no such figure.
#[derive(Serialize)]
struct ComponentJson<'a> {
    availability: f64,
    average: Option<f64>,
    capacity: Option<f64>,
    /// Open connections at peak, what the replicas hold, and their ratio: present when
    /// the component holds connections (cli.md v3).
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_capacity: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_utilization: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connections: Option<f64>,
    /// US dollars a month.
    cost: Option<f64>,
    egress: f64,
    expected_availability: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    hot_partition: Option<Option<HotPartitionJson>>,
    id: &'a str,
    ingress: f64,
    kind: &'static str,
    latency: Option<f64>,
    latency_p99: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lost_writes_per_failover: Option<Option<f64>>,
    peak: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_availability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_capacity: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_utilization: Option<Option<f64>>,
    reads: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    restore_time: Option<Option<f64>>,
    storage: Option<f64>,
    storage_per_copy: Option<f64>,
    utilization: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    write_availability: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    write_capacity: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    write_utilization: Option<Option<f64>>,
    writes: f64,
}

#[derive(Serialize)]
struct HotPartitionJson {
    capacity: Option<f64>,
    rate: f64,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    average: Option<f64>,
    bandwidth: Option<f64>,
    from: &'a str,
    peak: Option<f64>,
    reads: f64,
    response_bandwidth: Option<f64>,
    to: &'a str,
    writes: f64,
}

impl<'a> ComponentJson<'a> {
    fn new(c: &'a Component, e: &ComponentEstimate) -> ComponentJson<'a> {
        let value = |f: &Option<Figure>| f.as_ref().map(|f| f.value);
        // A store's fields: present (possibly null) for data components only.
        let data = c.kind.is_data();
        ComponentJson {
            availability: e.availability.value,
            average: e.inbound.map(|r| r.average),
            capacity: value(&e.capacity),
            connection_capacity: e
                .connections
                .as_ref()
                .map(|_| value(&e.connection_capacity)),
            connection_utilization: e.connections.as_ref().map(|_| e.connection_utilization()),
            connections: value(&e.connections),
            cost: e.cost.as_ref().map(|c| c.value),
            egress: e.egress,
            expected_availability: e.expected_availability,
            hot_partition: data.then_some(e.hot_partition.as_ref().map(|h| HotPartitionJson {
                capacity: h.capacity,
                rate: h.rate,
            })),
            id: &c.id,
            ingress: e.ingress,
            kind: c.kind.as_str(),
            latency: e.latency,
            latency_p99: e.latency_p99,
            lost_writes_per_failover: data.then_some(value(&e.lost_writes)),
            peak: e.inbound.map(|r| r.peak),
            read_availability: data.then(|| e.read_availability()),
            read_capacity: data.then_some(e.read_capacity()),
            read_utilization: data.then_some(e.read_utilization),
            reads: e.reads(),
            restore_time: data.then_some(value(&e.restore_time)),
            storage: value(&e.storage),
            storage_per_copy: e.storage.as_ref().map(|f| f.value / e.copies.max(1) as f64),
            utilization: e.utilization,
            write_availability: data.then(|| e.write_availability()),
            write_capacity: data.then_some(e.write_capacity()),
            write_utilization: data.then_some(e.write_utilization),
            writes: e.writes(),
        }
    }
}

impl<'a> LinkJson<'a> {
    fn new(model: &'a Model, l: &Link, e: &LinkEstimate) -> LinkJson<'a> {
        LinkJson {
            average: e.rate.map(|r| r.average),
            bandwidth: e.bandwidth,
            from: &model.component(l.from).id,
            peak: e.rate.map(|r| r.peak),
            reads: e.load.reads.peak,
            response_bandwidth: e.response_bandwidth,
            to: &model.component(l.to).id,
            writes: e.load.writes.peak,
        }
    }
}

impl<'a> Document<'a> {
    pub fn new(model: &'a Model, estimates: &Estimates) -> Document<'a> {
        Document {
            assumptions: assumptions(estimates),
            components: model
                .components
                .iter()
                .zip(&estimates.components)
                .map(|(c, e)| ComponentJson::new(c, e))
                .collect(),
            cost: estimates.cost,
            cut: estimates
                .cut
                .iter()
                .map(|l| model.link(*l).element(model))
                .collect(),
            flows: flows(model, estimates),
            links: model
                .links
                .iter()
                .zip(&estimates.links)
                .map(|(l, e)| LinkJson::new(model, l, e))
                .collect(),
            paths: paths(model, estimates),
            units: json!({ "rates": "per second", "sizes": "bytes", "bandwidth": "bytes per second", "latency": "seconds", "availability": "fraction", "cost": "US dollars per month" }),
            version: 1,
        }
    }
}

/// The document as a value (the playground embeds it in its own answers).
pub fn json(model: &Model, estimates: &Estimates) -> Value {
    serde_json::to_value(Document::new(model, estimates)).expect("serializes")
}

fn ids(model: &Model, path: &[ComponentId]) -> Vec<String> {
    path.iter()
        .map(|id| model.component(*id).id.clone())
        .collect()
}

/// Per client without flows: its availability, weakest component and slowest path.
fn paths(model: &Model, estimates: &Estimates) -> Vec<Value> {
    estimates
        .paths
        .iter()
        .map(|p| {
            json!({
                "client": model.component(p.client).id,
                "availability": p.availability,
                "weakest": p.weakest.map(|(id, _)| model.component(id).id.clone()),
                "weakest_cost": p.weakest.map(|(_, cost)| cost),
                "availability_path": ids(model, &p.availability_path),
                "latency": p.latency,
                "latency_p99": p.latency_p99,
                "latency_path": ids(model, &p.latency_path),
            })
        })
        .collect()
}

/// Per flow: its rate, latency pair, availability and targets.
fn flows(model: &Model, estimates: &Estimates) -> Vec<Value> {
    estimates
        .flows
        .iter()
        .map(|e| {
            let flow = &model.flows[e.flow];
            let (availability_target, latency_target) = flow_targets(model, flow);
            json!({
                "id": flow.id,
                "client": model.component(flow.start).id,
                "rate": e.rate.map(|r| r.peak),
                "latency": e.latency,
                "latency_p99": e.latency_p99,
                "availability": e.availability,
                "latency_target": latency_target,
                "availability_target": availability_target,
                "weakest": e.weakest.map(|(id, _)| model.component(id).id.clone()),
            })
        })
        .collect()
}
