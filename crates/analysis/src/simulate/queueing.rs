//! Waiting for a free server: the M/M/c queue (Erlang C). Requests arrive at rate λ to
//! c servers that each serve μ per second; a request waits with probability C(c, λ/μ),
//! and the wait of one that does is exponential with rate cμ − λ (Kleinrock, *Queueing
//! Systems* vol. 1, §3.5). So the p50 and p99 grow with load and explode near ρ = 1.

/// Servers past which Erlang C is taken from the Halfin–Whitt approximation instead of
/// the exact recursion (O(c) per call). Past 10,000 servers the two differ by under 10%
/// wherever more than 1% of requests wait (below that the p99 wait is zero either way).
const EXACT_UP_TO: u64 = 10_000;

/// The chance that an arriving request waits, for `servers` servers offered `load`
/// Erlangs (λ/μ). 1 at or beyond saturation.
pub fn erlang_c(servers: u64, load: f64) -> f64 {
    let c = servers.max(1) as f64;
    if load <= 0.0 {
        return 0.0;
    }
    if load >= c {
        return 1.0;
    }
    if servers <= EXACT_UP_TO {
        // Erlang B by its recursion B(k) = a·B(k−1) / (k + a·B(k−1)), then C from B.
        let mut b = 1.0;
        for k in 1..=servers.max(1) {
            b = load * b / (k as f64 + load * b);
        }
        return c * b / (c - load * (1.0 - b));
    }
    halfin_whitt(c, load)
}

/// C ≈ 1 / (1 + β·Φ(β)/φ(β)) with β = (1 − ρ)√c (Halfin and Whitt, 1981): the many-server
/// limit, accurate when c is large.
fn halfin_whitt(c: f64, load: f64) -> f64 {
    let beta = (1.0 - load / c) * c.sqrt();
    let density = (-beta * beta / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let cumulative = 0.5 * (1.0 + erf(beta / std::f64::consts::SQRT_2));
    1.0 / (1.0 + beta * cumulative / density)
}

/// The error function (Abramowitz and Stegun 7.1.26, absolute error under 1.5e-7).
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let value = 1.0 - poly * (-x * x).exp();
    if x < 0.0 { -value } else { value }
}

/// The wait before service of an M/M/c queue below saturation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Waiting {
    /// The chance of waiting at all.
    pub chance: f64,
    /// cμ − λ: how fast the wait of one who waits decays, per second.
    pub decay: f64,
}

impl Waiting {
    /// `arrivals` per second at `servers` servers of `per_server` per second each;
    /// `None` at or beyond saturation, where the queue grows instead.
    pub fn of(servers: u64, per_server: f64, arrivals: f64) -> Option<Waiting> {
        let decay = servers.max(1) as f64 * per_server - arrivals;
        if decay <= 0.0 || per_server <= 0.0 {
            return None;
        }
        Some(Waiting {
            chance: erlang_c(servers, arrivals / per_server),
            decay,
        })
    }

    /// The wait the fraction `p` of requests does not exceed (p = 0.5, 0.99).
    pub fn quantile(self, p: f64) -> f64 {
        let beyond = 1.0 - p;
        if self.chance <= beyond {
            0.0
        } else {
            (self.chance / beyond).ln() / self.decay
        }
    }

    /// The mean wait, C / (cμ − λ).
    pub fn mean(self) -> f64 {
        self.chance / self.decay
    }

    /// The share of requests that wait longer than `seconds`.
    pub fn beyond(self, seconds: f64) -> f64 {
        let exponent = self.decay * seconds;
        // Past e^-700 the share is zero to f64 (and exp's underflow path is slow).
        if exponent > 700.0 {
            0.0
        } else {
            self.chance * (-exponent).exp()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, within: f64) -> bool {
        (actual - expected).abs() <= within * expected.abs()
    }

    #[test]
    fn one_server_waits_with_the_chance_of_its_utilization() {
        // M/M/1: C = ρ, mean wait ρ/(μ − λ).
        for rho in [0.5, 0.9] {
            let waiting = Waiting::of(1, 100.0, rho * 100.0).unwrap();
            assert!(close(waiting.chance, rho, 1e-12));
            assert!(close(waiting.mean(), rho / (100.0 - rho * 100.0), 1e-12));
        }
    }

    #[test]
    fn two_servers_match_the_closed_form() {
        // M/M/2: C = 2ρ² / (1 + ρ).
        for rho in [0.5, 0.9] {
            let waiting = Waiting::of(2, 10.0, 2.0 * rho * 10.0).unwrap();
            assert!(close(waiting.chance, 2.0 * rho * rho / (1.0 + rho), 1e-12));
        }
    }

    #[test]
    fn the_p99_wait_of_one_server_is_log_rho_over_a_percent() {
        // P(W > t) = ρ·e^{−(μ−λ)t}, so the p99 is ln(ρ / 0.01) / (μ − λ).
        let waiting = Waiting::of(1, 100.0, 90.0).unwrap();
        assert!(close(
            waiting.quantile(0.99),
            (0.9f64 / 0.01).ln() / 10.0,
            1e-12
        ));
        assert!(close(waiting.beyond(waiting.quantile(0.99)), 0.01, 1e-9));
        // Half the requests do not wait at ρ = 0.5: the p50 wait is zero.
        assert_eq!(Waiting::of(1, 100.0, 50.0).unwrap().quantile(0.5), 0.0);
    }

    #[test]
    fn many_servers_approximate_the_exact_recursion_within_ten_percent_where_waiting_matters() {
        for (servers, rho) in [(20_000u64, 0.99), (20_000, 0.995), (12_000, 0.98)] {
            let load = rho * servers as f64;
            let mut b = 1.0;
            for k in 1..=servers {
                b = load * b / (k as f64 + load * b);
            }
            let c = servers as f64;
            let exact = c * b / (c - load * (1.0 - b));
            assert!(
                close(erlang_c(servers, load), exact, 0.10),
                "{servers} {rho}"
            );
        }
    }

    #[test]
    fn saturation_always_waits() {
        assert_eq!(erlang_c(4, 4.0), 1.0);
        assert!(Waiting::of(4, 1.0, 4.0).is_none());
        assert_eq!(erlang_c(4, 0.0), 0.0);
    }
}
