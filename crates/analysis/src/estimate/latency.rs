//! Latency as a pair, p50 and p99 (docs/estimates.md, "Latency: percentiles, distance,
//! fan-out"). Each component's own pair is stated, else its engine's, else a default by
//! kind (never 0); between the two, quantiles follow an exponential tail. A request that
//! waits for k parallel calls waits for the slowest of them; a link between regions adds
//! its round trip.

use super::{Estimates, human_duration};
use hld_model::{Component, ComponentId, GroupId, GroupKind, Kind, Link, Model, attr};

/// A latency as its median and its 99th percentile, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
}

impl std::ops::Add for Latency {
    type Output = Latency;
    fn add(self, other: Latency) -> Latency {
        Latency {
            p50: self.p50 + other.p50,
            p99: self.p99 + other.p99,
        }
    }
}

impl Latency {
    /// The same time at every percentile (a network round trip).
    pub fn fixed(seconds: f64) -> Latency {
        Latency {
            p50: seconds,
            p99: seconds,
        }
    }

    /// The p-quantile on the exponential tail through p50 and p99:
    /// q(p) = p50 + (p99 − p50) × ln(0.5 ÷ (1 − p)) ÷ ln 50.
    pub fn quantile(self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0 - 1e-12);
        (self.p50 + (self.p99 - self.p50) * (0.5 / (1.0 - p)).ln() / 50f64.ln()).max(0.0)
    }

    /// Waiting for the slowest of `k` parallel calls: its median is q(0.5^(1/k)) and
    /// its p99 q(0.99^(1/k)) of one call ("the tail at scale").
    pub fn slowest_of(self, k: f64) -> Latency {
        if k <= 1.0 {
            return self;
        }
        Latency {
            p50: self.quantile(0.5f64.powf(1.0 / k)),
            p99: self.quantile(0.99f64.powf(1.0 / k)),
        }
    }

    /// Neither percentile above `limit` (a caller's timeout: it never waits longer).
    /// What a step adds to a flow's quantiles when only `share` of its requests take it:
    /// nothing to the median when fewer than half do (the median request does not take
    /// it), nothing to the p99 when fewer than 1% do.
    pub fn taken_by(self, share: f64) -> Latency {
        Latency {
            p50: if share >= 0.5 { self.p50 } else { 0.0 },
            p99: if share >= 0.01 { self.p99 } else { 0.0 },
        }
    }

    pub fn at_most(self, limit: Option<f64>) -> Latency {
        match limit {
            Some(limit) => Latency {
                p50: self.p50.min(limit),
                p99: self.p99.min(limit),
            },
            None => self,
        }
    }

    /// `5ms / 20ms`.
    pub fn text(self) -> String {
        format!(
            "{} / {}",
            human_duration(self.p50),
            human_duration(self.p99)
        )
    }
}

/// What one request takes at a component of this kind when nothing says: services,
/// workers, gateways, lbs and dns 1 ms / 5 ms; an external 100 ms / 1 s; a cdn hit
/// 10 ms / 50 ms; a data component 1 ms / 10 ms. A client adds nothing: it is the caller.
pub fn default_for(kind: Kind) -> Option<Latency> {
    let (p50, p99) = match kind {
        Kind::Client => return None,
        Kind::External => (0.1, 1.0),
        Kind::Cdn => (0.01, 0.05),
        kind if kind.is_data() || kind == Kind::Coordinator => (0.001, 0.01),
        _ => (0.001, 0.005),
    };
    Some(Latency { p50, p99 })
}

/// p99 ÷ p50 of a component that states one half only: the middle of the published
/// pairs in the engine profiles (PostgreSQL 5 / 20 ms, ScyllaDB 2 / 15 ms, memcached's
/// median 0.33 ms and p95 1.1 ms).
pub const TAIL_RATIO: f64 = 5.0;

/// The assumptions, one text for every kind (formatting one per component cost more
/// than the rest of the latency pass on large designs).
const SCALED_TAIL: &str = "a component whose p99 nobody states (`latency_p99`, nor its engine) takes 5× its p50 there (the engines whose pairs are published: PostgreSQL 4×, memcached's p95 3.4×, ScyllaDB 7.5×)";
const DEFAULT_PAIR: &str = "a component without `latency` or an engine that states one takes its kind's default at the median and at p99: services, workers, gateways, lbs and dns 1ms / 5ms; an external 100ms / 1s; a cdn 10ms / 50ms; data components and coordinators 1ms / 10ms";

/// Round trip between regions when neither the link nor the regions say (`rtt`).
pub const REGION_RTT: f64 = 0.07;
/// Round trip between zones of one region.
pub const ZONE_RTT: f64 = 0.001;

/// Where a component sits: its region and its zone, by the groups around it.
fn placement(model: &Model, component: &Component) -> (Option<GroupId>, Option<GroupId>) {
    let mut region = None;
    let mut zone = None;
    for group in model.enclosing_groups(component.group) {
        match model.groups[group].kind {
            GroupKind::Region if region.is_none() => region = Some(group),
            GroupKind::Zone if zone.is_none() => zone = Some(group),
            _ => {}
        }
    }
    (region, zone)
}

/// A link's round trip: its `rtt`, else between two regions the larger `rtt` either
/// region states (else 70 ms), between zones of one region 1 ms, else none. The second
/// value says whether the default was used.
pub fn round_trip(model: &Model, link: &Link) -> (f64, bool) {
    if let Some(rtt) = link.attrs.number(attr::RTT) {
        return (rtt, false);
    }
    let (from_region, from_zone) = placement(model, model.component(link.from));
    let (to_region, to_zone) = placement(model, model.component(link.to));
    match (from_region, to_region) {
        (Some(a), Some(b)) if a != b => {
            let stated = [a, b]
                .iter()
                .filter_map(|&g| model.groups[g].attrs.number(attr::RTT))
                .fold(None, |max: Option<f64>, rtt| {
                    Some(max.map_or(rtt, |m| m.max(rtt)))
                });
            stated.map_or((REGION_RTT, true), |rtt| (rtt, false))
        }
        _ => match (from_zone, to_zone) {
            (Some(a), Some(b)) if a != b => (ZONE_RTT, false),
            _ => (0.0, false),
        },
    }
}

/// The parallel calls a request waits for on a synchronous link: its `ratio` when above
/// 1 (a fan-out), times the shards of a scatter read.
pub fn fan_out(model: &Model, link: &Link) -> f64 {
    let ratio = link.attrs.number(attr::RATIO).unwrap_or(1.0).max(1.0);
    let shards = crate::facts::scatter_shards(model, link).unwrap_or(1) as f64;
    (ratio * shards).min(super::MAX_FAN_OUT)
}

/// The longest a caller waits on a link: its `timeout` × its attempts (a timed-out
/// call fails, or falls back, but never takes longer); `None` without a timeout.
pub fn wait_limit(link: &Link) -> Option<f64> {
    let timeout = link.attrs.number(attr::TIMEOUT)?;
    Some(timeout * crate::facts::attempts(link) as f64)
}

impl Estimates {
    /// Notes the links between regions that pay the default round trip.
    pub(super) fn assume_round_trips(&mut self, model: &Model, facts: &crate::facts::Facts) {
        for (index, link) in model.links.iter().enumerate() {
            if facts.sync[index] && round_trip(model, link).1 {
                self.assume(
                    "a link between two regions without `rtt` pays a 70ms round trip",
                    &link.element(model),
                );
            }
        }
    }

    /// A component's own latency pair: `latency` (p50) and `latency_p99`, else the
    /// engine's, else the default for its kind; a missing half is scaled from the
    /// other by [`TAIL_RATIO`]. Each default is noted as an assumption.
    pub(super) fn own_latency(&mut self, component: &Component, id: ComponentId) {
        let Some(default) = default_for(component.kind) else {
            return;
        };
        let p50 = component
            .attrs
            .number(attr::LATENCY)
            .or_else(|| component.profile.and_then(|p| p.latency));
        let p99 = component
            .attrs
            .number(attr::LATENCY_P99)
            .or_else(|| component.profile.and_then(|p| p.latency_p99));
        let latency = match (p50, p99) {
            (Some(p50), Some(p99)) => Latency {
                p50,
                p99: p99.max(p50),
            },
            (Some(p50), None) => {
                self.assume(SCALED_TAIL, &component.id);
                Latency {
                    p50,
                    p99: p50 * TAIL_RATIO,
                }
            }
            (None, Some(p99)) => Latency {
                p50: p99 / TAIL_RATIO,
                p99,
            },
            (None, None) => {
                self.assume(DEFAULT_PAIR, &component.id);
                default
            }
        };
        let estimate = &mut self.components[id.index()];
        estimate.latency = Some(latency.p50);
        estimate.latency_p99 = Some(latency.p99);
    }

    /// A component's own pair (zero for a client).
    pub(super) fn own_pair(&self, id: ComponentId) -> Latency {
        self.components[id.index()]
            .latency_pair()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Latency;

    const ONE: Latency = Latency {
        p50: 0.005,
        p99: 0.05,
    };

    #[test]
    fn the_assumptions_state_the_figures_the_code_uses() {
        assert!(super::SCALED_TAIL.contains(&format!("{}× its p50", super::TAIL_RATIO)));
        for kind in [hld_model::Kind::Service, hld_model::Kind::External] {
            let pair = super::default_for(kind).unwrap();
            assert!(super::DEFAULT_PAIR.contains(&pair.text()), "{kind}");
        }
    }

    #[test]
    fn the_tail_passes_through_both_percentiles() {
        assert!((ONE.quantile(0.5) - 0.005).abs() < 1e-12);
        assert!((ONE.quantile(0.99) - 0.05).abs() < 1e-12);
        // p99.9: one more factor of ten in the tail, ln 500 ÷ ln 50 of the way.
        let p999 = 0.005 + 0.045 * 500f64.ln() / 50f64.ln();
        assert!((ONE.quantile(0.999) - p999).abs() < 1e-12);
    }

    #[test]
    fn waiting_for_the_slowest_of_k_moves_up_the_tail() {
        assert_eq!(ONE.slowest_of(1.0), ONE);
        // 100 parallel calls: the p99 of the slowest is one call's q(0.99^(1/100)).
        let k = 100.0;
        let fan = ONE.slowest_of(k);
        assert!((fan.p99 - ONE.quantile(0.99f64.powf(1.0 / k))).abs() < 1e-12);
        // ≈ q(0.9999): 0.005 + 0.045 × ln 5000 ÷ ln 50 ≈ 0.1034.
        assert!((fan.p99 - 0.1034).abs() < 1e-3, "{fan:?}");
        assert!(fan.p50 > ONE.p50 && fan.p50 < fan.p99);
    }
}
