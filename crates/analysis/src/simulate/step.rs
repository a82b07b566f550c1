//! One step of the run: requests forward in topological order (clients first), each
//! component serving what its capacity allows and queueing the rest; then backward, each
//! link's share of failed calls (down, cut, refused, timed out, or failing below); then
//! the retries those failures send later, the breakers, and autoscaling.

use std::collections::VecDeque;

use super::plan::{DRAIN_FACTOR, Plan, Regime, SCALE_TARGET};
use super::queueing::Waiting;
use hld_model::Kind;

/// A breaker opens when half the calls of a step fail (resilience4j's
/// `failureRateThreshold` of 50%) and stays open 60 s (its `waitDurationInOpenState`),
/// then lets a step of calls through to probe (resilience4j.readme.io/docs/circuitbreaker).
pub const BREAKER_OPEN: f64 = 60.0;
const BREAKER_THRESHOLD: f64 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Breaker {
    Closed,
    Open { until: f64 },
}

/// Retries on their way, per attempt number, in a ring of future steps.
struct RetryLine {
    /// `[retry number − 1][slot]`: requests per second arriving at that step.
    ring: Vec<Vec<f64>>,
    /// What arrived this step, per retry number.
    now: Vec<f64>,
}

/// Where the run stands, per component and per link.
pub(super) struct State<'p> {
    plan: &'p Plan,
    pub dt: f64,
    pub arrivals: Vec<f64>,
    later: Vec<f64>,
    pub served: Vec<f64>,
    /// Requests waiting for a server.
    pub backlog: Vec<f64>,
    /// Share of this step's arrivals refused (queue full) or lost (down).
    refused: Vec<f64>,
    /// Seconds a new arrival waits when the component is over capacity (0 when not).
    wait: Vec<f64>,
    waiting: Vec<Option<Waiting>>,
    pub capacity: Vec<Option<f64>>,
    pub replicas: Vec<u64>,
    desired: Vec<VecDeque<u64>>,
    /// Share of a request served here whose synchronous dependencies succeed.
    pub dependencies_ok: Vec<f64>,
    pub retries_in: Vec<f64>,
    pub dropped: Vec<f64>,
    /// Per link: calls made this step (first attempts), and all that were sent.
    fresh: Vec<f64>,
    sent: Vec<f64>,
    /// Per link: share of this step's calls that fail, below included and not.
    pub failing: Vec<f64>,
    pub failing_here: Vec<f64>,
    slow: Vec<bool>,
    blocked: Vec<bool>,
    retries: Vec<Option<RetryLine>>,
    breakers: Vec<Breaker>,
    /// Per consumer link: messages waiting, oldest first, as (arrived at, count).
    messages: Vec<VecDeque<(f64, f64)>>,
    /// The regime of this step: failing, and how cold failed caches still are.
    pub in_failure: bool,
    coldness: f64,
    /// Per client: the multiple of its peak rate it sends now.
    client_factor: Vec<f64>,
    step: usize,
}

impl<'p> State<'p> {
    pub fn new(plan: &'p Plan, dt: f64) -> State<'p> {
        let components = plan.components.len();
        let links = plan.links.len();
        let retries = plan
            .links
            .iter()
            .map(|link| {
                (link.attempts > 1).then(|| {
                    let longest = (1..link.attempts)
                        .map(|a| link.backoff.span(a).1)
                        .fold(0.0, f64::max);
                    let slots = ((link.timeout + longest) / dt).ceil() as usize + 2;
                    RetryLine {
                        ring: vec![vec![0.0; slots]; (link.attempts - 1) as usize],
                        now: vec![0.0; (link.attempts - 1) as usize],
                    }
                })
            })
            .collect();
        let replicas: Vec<u64> = plan
            .components
            .iter()
            .map(|c| c.autoscale.map_or(1, |(min, _)| min))
            .collect();
        State {
            plan,
            dt,
            arrivals: vec![0.0; components],
            later: vec![0.0; components],
            served: vec![0.0; components],
            backlog: vec![0.0; components],
            refused: vec![0.0; components],
            wait: vec![0.0; components],
            waiting: vec![None; components],
            capacity: vec![None; components],
            desired: replicas.iter().map(|&r| VecDeque::from([r])).collect(),
            replicas,
            dependencies_ok: vec![1.0; components],
            retries_in: vec![0.0; components],
            dropped: vec![0.0; components],
            fresh: vec![0.0; links],
            sent: vec![0.0; links],
            failing: vec![0.0; links],
            failing_here: vec![0.0; links],
            slow: vec![false; links],
            blocked: vec![false; links],
            retries,
            breakers: vec![Breaker::Closed; links],
            messages: vec![VecDeque::new(); links],
            in_failure: false,
            coldness: 0.0,
            client_factor: vec![1.0; components],
            step: 0,
        }
    }

    pub fn time(&self) -> f64 {
        self.step as f64 * self.dt
    }

    /// Runs step `step` with each client at `client_factor` × its peak.
    pub fn advance(&mut self, step: usize, client_factor: &[f64]) {
        self.step = step;
        self.client_factor.copy_from_slice(client_factor);
        self.set_regime();
        std::mem::swap(&mut self.arrivals, &mut self.later);
        self.later.iter_mut().for_each(|a| *a = 0.0);
        self.retries_in.iter_mut().for_each(|r| *r = 0.0);
        self.dropped.iter_mut().for_each(|d| *d = 0.0);
        for index in 0..self.plan.order.len() {
            let c = self.plan.order[index];
            self.serve(c);
            self.send(c);
        }
        for index in (0..self.plan.order.len()).rev() {
            self.judge(self.plan.order[index]);
        }
        self.schedule_retries();
        self.update_breakers();
        self.autoscale();
    }

    fn set_regime(&mut self) {
        let t = self.time();
        let failure = self.plan.failure;
        self.in_failure = failure.is_some_and(|w| w.contains(t));
        self.coldness = match (failure, &self.plan.cold) {
            (Some(w), Some(_)) if t >= w.end => {
                let warmup = self.longest_warmup();
                if warmup > 0.0 {
                    (1.0 - (t - w.end) / warmup).max(0.0)
                } else {
                    0.0
                }
            }
            _ => 0.0,
        };
    }

    /// Failed caches warm up together, as fast as the slowest of them.
    fn longest_warmup(&self) -> f64 {
        self.plan
            .components
            .iter()
            .filter(|c| c.kind == Kind::Cache)
            .map(|c| c.warmup)
            .fold(0.0, f64::max)
    }

    fn regime(&self) -> &Regime {
        match &self.plan.failed {
            Some(failed) if self.in_failure => failed,
            _ => &self.plan.base,
        }
    }

    /// Requests sent on `link` per request its sender serves, now.
    pub fn coef(&self, link: usize) -> f64 {
        let now = self.regime().coef[link];
        match &self.plan.cold {
            Some(cold) if self.coldness > 0.0 && !self.in_failure => {
                now + self.coldness * (cold.coef[link] - now)
            }
            _ => now,
        }
    }

    pub fn hard_down(&self, c: usize) -> bool {
        self.in_failure && self.plan.down[c]
    }

    /// Capacity and servers now: the regime's, scaled by autoscaled replicas.
    fn capacity_now(&self, c: usize) -> Option<(f64, u64)> {
        let regime = self.regime();
        let capacity = regime.capacity[c]?;
        let servers = regime.servers[c];
        match self.plan.components[c].autoscale {
            Some((min, _)) => {
                let scale = self.replicas[c] as f64 / min as f64;
                Some((
                    capacity * scale,
                    (servers as f64 * scale).round().max(1.0) as u64,
                ))
            }
            None => Some((capacity, servers)),
        }
    }

    fn serve(&mut self, c: usize) {
        let plan = &self.plan.components[c];
        (self.refused[c], self.wait[c], self.waiting[c]) = (0.0, 0.0, None);
        if plan.kind == Kind::Client {
            self.arrivals[c] = plan.rate * self.client_factor[c];
            self.served[c] = self.arrivals[c];
            self.capacity[c] = None;
            return;
        }
        if self.hard_down(c) {
            self.served[c] = 0.0;
            self.backlog[c] = 0.0;
            self.refused[c] = 1.0;
            self.capacity[c] = None;
            return;
        }
        let Some((capacity, servers)) = self.capacity_now(c) else {
            self.served[c] = self.arrivals[c];
            self.capacity[c] = None;
            return;
        };
        self.capacity[c] = Some(capacity);
        let arriving = self.arrivals[c] * self.dt;
        let served = (self.backlog[c] + arriving).min(capacity * self.dt);
        let mut backlog = self.backlog[c] + arriving - served;
        let bound = 2.0 * capacity * plan.patience.max(self.dt);
        if backlog > bound {
            self.refused[c] = (backlog - bound) / arriving.max(1e-12);
            backlog = bound;
        }
        self.backlog[c] = backlog;
        self.served[c] = served / self.dt;
        if backlog > 1e-9 {
            self.wait[c] = backlog / capacity;
        } else {
            self.waiting[c] =
                Waiting::of(servers, capacity / servers.max(1) as f64, self.arrivals[c]);
        }
    }

    fn send(&mut self, c: usize) {
        for &l in &self.plan.outgoing[c] {
            let link = &self.plan.links[l];
            if link.consumer {
                self.pull(l);
                continue;
            }
            let regime = self.regime();
            let fresh = self.served[c] * self.coef(l) + regime.source[l];
            let step = self.step;
            let retried = self.retries[l].as_mut().map_or(0.0, |line| {
                let slot = step % line.ring[0].len();
                for (number, ring) in line.ring.iter_mut().enumerate() {
                    line.now[number] = std::mem::take(&mut ring[slot]);
                }
                line.now.iter().sum()
            });
            self.fresh[l] = fresh;
            self.blocked[l] =
                matches!(self.breakers[l], Breaker::Open { until } if self.time() < until);
            let sent = if self.blocked[l] {
                0.0
            } else {
                fresh + retried
            };
            self.sent[l] = sent;
            if self.in_failure && self.plan.cut[l] {
                continue;
            }
            let to = link.to;
            if !self.blocked[l] {
                self.retries_in[to] += retried;
            }
            if link.cycle {
                self.later[to] += sent;
            } else {
                self.arrivals[to] += sent;
            }
        }
    }

    /// A consumer group takes from its queue's backlog what it can serve; messages older
    /// than the queue's retention are dropped first.
    fn pull(&mut self, l: usize) {
        let link = &self.plan.links[l];
        let (queue, consumer) = (link.from, link.to);
        let t = self.time();
        let accepted = self.served[queue] * self.coef(l) * self.dt;
        let messages = &mut self.messages[l];
        if accepted > 0.0 {
            messages.push_back((t, accepted));
        }
        if let Some(retention) = self.plan.components[queue].retention {
            while let Some(&(arrived, count)) = messages.front() {
                if t - arrived < retention {
                    break;
                }
                self.dropped[queue] += count / self.dt;
                messages.pop_front();
            }
        }
        let can_take = if self.in_failure && self.plan.down[consumer] {
            0.0
        } else {
            let steady = self.plan.components[consumer].steady;
            let unknown = if steady > 0.0 {
                DRAIN_FACTOR * steady
            } else {
                f64::INFINITY
            };
            self.capacity_now(consumer)
                .map_or(unknown, |(capacity, _)| capacity)
                * self.dt
        };
        let mut taken = 0.0;
        while taken < can_take {
            let Some(front) = self.messages[l].front_mut() else {
                break;
            };
            let take = front.1.min(can_take - taken);
            front.1 -= take;
            taken += take;
            if front.1 <= 1e-9 {
                self.messages[l].pop_front();
            }
        }
        self.sent[l] = taken / self.dt;
        self.fresh[l] = self.sent[l];
        if link.cycle {
            self.later[consumer] += self.sent[l];
        } else {
            self.arrivals[consumer] += self.sent[l];
        }
    }

    /// Messages waiting in a queue for its consumers.
    pub fn messages_waiting(&self, queue: usize) -> f64 {
        self.plan.outgoing[queue]
            .iter()
            .filter(|&&l| self.plan.links[l].consumer)
            .map(|&l| self.messages[l].iter().map(|m| m.1).sum::<f64>())
            .sum()
    }

    /// The share of requests arriving at `c` now that give up after `timeout` seconds.
    pub fn timed_out(&self, c: usize, timeout: f64) -> f64 {
        if self.wait[c] > 0.0 {
            if self.wait[c] > timeout { 1.0 } else { 0.0 }
        } else {
            self.waiting[c].map_or(0.0, |w| w.beyond(timeout))
        }
    }

    /// The share of requests arriving at `c` that fail there (not below): down,
    /// refused, or waiting past `timeout`.
    pub fn fails_here(&self, c: usize, timeout: f64) -> f64 {
        if self.hard_down(c) {
            return 1.0;
        }
        1.0 - (1.0 - self.timed_out(c, timeout)) * (1.0 - self.refused[c])
    }

    /// Each outgoing link's failing share, then the share of `c`'s requests whose
    /// synchronous dependencies all succeed (the targets were judged first).
    fn judge(&mut self, c: usize) {
        let mut ok = 1.0;
        for &l in &self.plan.outgoing[c] {
            let link = &self.plan.links[l];
            let cut = self.in_failure && self.plan.cut[l];
            let (here, below) = if self.blocked[l] || cut {
                (1.0, 1.0)
            } else {
                let here = self.fails_here(link.to, link.timeout);
                (here, 1.0 - (1.0 - here) * self.dependencies_ok[link.to])
            };
            self.failing_here[l] = here;
            self.failing[l] = below;
            self.slow[l] = cut || self.timed_out(link.to, link.timeout) >= 0.5;
            if link.sync && !link.fallback && !link.consumer {
                let final_failure = below.powi(link.attempts as i32);
                ok *= 1.0 - at_least_one(self.coef(l), final_failure);
            }
        }
        self.dependencies_ok[c] = ok;
    }

    /// Failed attempts come back as the link's retry says: after the timeout when the
    /// target was too slow to answer, at once when it refused, plus the backoff. A
    /// retry due within the step is sent a step later only when the target was slow
    /// (its load is kept, a step late).
    fn schedule_retries(&mut self) {
        for l in 0..self.plan.links.len() {
            let Some(line) = &mut self.retries[l] else {
                continue;
            };
            let link = &self.plan.links[l];
            if self.blocked[l] {
                line.now.iter_mut().for_each(|n| *n = 0.0);
                continue;
            }
            let failing = self.failing[l];
            let seen_after = if self.slow[l] { link.timeout } else { 0.0 };
            let slots = line.ring[0].len();
            // Retry number k + 1 follows the failure of attempt k (the first attempt
            // being this step's fresh calls).
            if failing <= 0.0 {
                continue;
            }
            for number in 0..line.ring.len() {
                let attempts = if number == 0 {
                    self.fresh[l]
                } else {
                    line.now[number - 1]
                };
                let volume = attempts * failing;
                if volume <= 0.0 {
                    continue;
                }
                let (low, high) = link.backoff.span(number as u32 + 1);
                // A refusal is seen at once: a retry due within the step meets the same
                // refusal (its failure is in the link's final share already) and is not
                // carried into a later step, where it would land on a recovered target.
                if !self.slow[l] && high < self.dt {
                    continue;
                }
                spread(
                    &mut line.ring[number],
                    self.step,
                    slots,
                    ((seen_after + low) / self.dt).round().max(1.0) as usize,
                    ((seen_after + high) / self.dt).round().max(1.0) as usize,
                    volume,
                );
            }
        }
    }

    fn update_breakers(&mut self) {
        let t = self.time();
        for (l, link) in self.plan.links.iter().enumerate() {
            if !link.breaker {
                continue;
            }
            self.breakers[l] = match self.breakers[l] {
                Breaker::Open { until } if t < until => Breaker::Open { until },
                // Closed, or open and probing this step: the step's calls decide.
                _ if self.sent[l] > 0.0 && self.failing[l] >= BREAKER_THRESHOLD => Breaker::Open {
                    until: t + BREAKER_OPEN,
                },
                _ => Breaker::Closed,
            };
        }
    }

    /// An autoscaled component asks for the replicas that would put it at the target
    /// utilization; it gets them `scale_delay` later.
    fn autoscale(&mut self) {
        let base = &self.plan.base;
        for (c, plan) in self.plan.components.iter().enumerate() {
            let (Some((min, max)), Some(capacity)) = (plan.autoscale, base.capacity[c]) else {
                continue;
            };
            let per_replica = capacity / min as f64;
            let offered = self.arrivals[c] + self.backlog[c] / self.dt.max(1.0);
            let wanted = ((offered / (per_replica * SCALE_TARGET)).ceil() as u64).clamp(min, max);
            let delay = (plan.scale_delay / self.dt).round() as usize;
            let history = &mut self.desired[c];
            history.push_back(wanted);
            while history.len() > delay + 1 {
                history.pop_front();
            }
            if history.len() == delay + 1 {
                self.replicas[c] = history[0];
            }
        }
    }

    /// A link's current breaker state, for the record.
    pub fn blocked(&self, l: usize) -> bool {
        self.blocked[l]
    }

    /// Requests sent on a link this step, retries included.
    pub fn sent(&self, l: usize) -> f64 {
        self.sent[l]
    }

    /// Retries sent on a link this step.
    pub fn retried(&self, l: usize) -> f64 {
        (self.sent[l] - self.fresh[l]).max(0.0)
    }

    /// Component latency now: its own p50/p99 plus its queue's.
    pub fn latency(&self, c: usize) -> Option<(f64, f64)> {
        let (p50, p99) = self.plan.components[c].latency?;
        if self.wait[c] > 0.0 {
            return Some((p50 + self.wait[c], p99 + self.wait[c]));
        }
        Some(match self.waiting[c] {
            Some(w) => (p50 + w.quantile(0.5), p99 + w.quantile(0.99)),
            None => (p50, p99),
        })
    }
}

/// The chance a request that makes `calls` calls (on average; fewer than one: that
/// share makes one) sees at least one of them fail, each failing with `failure`.
pub(super) fn at_least_one(calls: f64, failure: f64) -> f64 {
    if calls <= 1.0 {
        calls * failure
    } else {
        1.0 - (1.0 - failure).powf(calls)
    }
}

/// Adds `volume` requests per second spread evenly over the steps `from..=to` after
/// `step`, in a ring of `slots`.
fn spread(ring: &mut [f64], step: usize, slots: usize, from: usize, to: usize, volume: f64) {
    let (from, to) = (
        from.min(slots - 1),
        to.clamp(from.min(slots - 1), slots - 1),
    );
    let share = volume / (to - from + 1) as f64;
    for offset in from..=to {
        ring[(step + offset) % slots] += share;
    }
}
