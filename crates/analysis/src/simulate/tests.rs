//! Each mechanism of docs/simulate.md on a design whose answer is known in closed form.

use super::*;

fn run(text: &str, scenario: Option<&str>, duration: f64) -> Run {
    run_with_step(text, scenario, duration, 1.0)
}

fn run_with_step(text: &str, scenario: Option<&str>, duration: f64, step: f64) -> Run {
    let compilation = crate::compile("test.hld", text.as_bytes().to_vec());
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let model = &compilation.model;
    let facts = Facts::new(model);
    let scenario = scenario.map(|id| model.scenarios.iter().find(|s| s.id == id).unwrap());
    let settings = Settings { duration, step };
    simulate(model, &facts, scenario, settings).unwrap()
}

fn series<'r>(run: &'r Run, id: &str) -> &'r Series {
    run.series.iter().find(|s| s.id == id).unwrap()
}

fn outcome(run: &Run, flow: &str) -> Outcome {
    run.outcomes
        .iter()
        .find(|o| o.flow == flow)
        .unwrap()
        .outcome
}

fn within(actual: f64, expected: f64, share: f64) -> bool {
    (actual - expected).abs() <= share * expected.abs()
}

const ONE_SERVER: &str = "
client users { rate: RATE }
service api { capacity: 100/s, latency: 10ms, latency_p99: 10ms }
users -> api { timeout: 10s }
";

#[test]
fn an_mm1_queue_delays_as_erlang_c_says_at_half_and_nine_tenths_load() {
    for (rate, rho) in [("50/s", 0.5f64), ("90/s", 0.9)] {
        let run = run(&ONE_SERVER.replace("RATE", rate), None, 30.0);
        let api = series(&run, "api");
        // M/M/1: P(wait > t) = ρ e^{−(μ−λ)t}; the p99 wait is ln(ρ/0.01)/(μ−λ), the p50
        // ln(2ρ)/(μ−λ) when ρ > 0.5, else zero.
        let spare = 100.0 * (1.0 - rho);
        let p99 = 0.010 + (rho / 0.01).ln() / spare;
        let p50 = 0.010 + (2.0 * rho).ln().max(0.0) / spare;
        let last = api.p99.len() - 1;
        assert!(
            within(api.p99[last].unwrap(), p99, 0.10),
            "{rho}: {:?} vs {p99}",
            api.p99[last]
        );
        assert!(
            within(api.p50[last].unwrap(), p50, 0.10),
            "{rho}: {:?} vs {p50}",
            api.p50[last]
        );
        assert!(within(api.utilization[last].unwrap(), rho, 1e-9));
        assert_eq!(outcome(&run, "users"), Outcome::Ok);
    }
}

const QUEUE: &str = "
client producer { rate: 80/s }
service api { capacity: 1000/s }
queue jobs { retention: RETENTION }
worker consume { capacity: 100/s }
producer -> api -> jobs -> consume
scenario consumer_down { fail: [consume], at: 60s, for: DOWN }
";

#[test]
fn a_backlog_drains_in_exactly_the_spare_capacity_time() {
    let text = QUEUE.replace("RETENTION", "1h").replace("DOWN", "60s");
    let run = run(&text, Some("consumer_down"), 600.0);
    let jobs = series(&run, "jobs");
    // 60 s of 80/s wait: 4,800 messages; the consumer's spare 20/s drains them in 240 s.
    assert!(
        within(jobs.backlog[119], 4800.0, 0.02),
        "{}",
        jobs.backlog[119]
    );
    let drained = (120..600).find(|&i| jobs.backlog[i] < 1.0).unwrap();
    assert!((358..=362).contains(&drained), "drained at {drained}");
    assert_eq!(jobs.dropped.iter().sum::<f64>(), 0.0);
    // The producer's requests stop at the queue: they never fail.
    assert_eq!(outcome(&run, "producer"), Outcome::Ok);
}

#[test]
fn messages_older_than_the_retention_are_dropped() {
    let text = QUEUE.replace("RETENTION", "2min").replace("DOWN", "300s");
    let run = run(&text, Some("consumer_down"), 900.0);
    let jobs = series(&run, "jobs");
    // Down from 60 s to 360 s: what arrived between 60 s and 240 s outlived 2 minutes.
    let dropped: f64 = jobs.dropped.iter().sum();
    assert!(within(dropped, 180.0 * 80.0, 0.02), "{dropped}");
    assert!(jobs.backlog[359] <= 120.0 * 80.0 + 80.0);
}

const STORM: &str = "
client users { rate: 1000/s }
service api { capacity: 1200/s, latency: 5ms }
users -> api { timeout: 1s, RETRY }
scenario blip { traffic: spike(2x, at: 60s, for: 30s) }
scenario restart { fail: [api], at: 60s, for: 30s }
";

#[test]
fn immediate_retries_turn_a_thirty_second_spike_into_a_metastable_outage() {
    for step in [1.0, 0.5, 0.25] {
        let run = run_with_step(
            &STORM.replace("RETRY", "retry: immediate(attempts: 3)"),
            Some("blip"),
            600.0,
            step,
        );
        // The spike's 2,000/s against 1,200/s: the line outgrows the 1 s timeout, every
        // answer comes too late and every request is retried. After the spike 1,000/s of
        // new requests and 2,000/s of their retries still meet 1,200/s: the load stays at
        // three times the traffic.
        assert_eq!(outcome(&run, "users"), Outcome::Metastable, "step {step}");
        let api = series(&run, "api");
        let late = api.utilization.len() - 10;
        assert!(api.utilization[late].unwrap() > 2.0, "step {step}");
        assert!(api.retries[late] > 1500.0, "step {step}");
    }
}

#[test]
fn a_flow_failing_before_its_scenario_began_is_degraded_not_metastable() {
    // 1,500/s against 1,200/s from the start: the spike at 60 s changes nothing about
    // who is to blame for the end of the run.
    let overloaded = STORM.replace("rate: 1000/s", "rate: 1500/s");
    let run = run(
        &overloaded.replace("RETRY", "retry: immediate(attempts: 1)"),
        Some("blip"),
        300.0,
    );
    assert_eq!(
        outcome(&run, "users"),
        Outcome::Degraded,
        "{:?}",
        run.outcomes
    );
}

#[test]
fn a_restart_that_refuses_at_once_is_no_storm() {
    // Refused calls are retried within milliseconds, while the service is still down:
    // when it is back only new requests arrive.
    for step in [1.0, 0.5] {
        let run = run_with_step(
            &STORM.replace("RETRY", "retry: immediate(attempts: 3)"),
            Some("restart"),
            300.0,
            step,
        );
        let Outcome::Recovered { after } = outcome(&run, "users") else {
            panic!("{:?}", run.outcomes);
        };
        assert!(after <= step, "step {step}: {after}");
    }
}

#[test]
fn backoff_alone_spreads_the_retries_but_does_not_end_the_storm() {
    // Open-loop callers keep arriving: every failed request still makes its attempts.
    let run = run(
        &STORM.replace(
            "RETRY",
            "retry: exponential(attempts: 3, base: 1s, jitter: true)",
        ),
        Some("blip"),
        600.0,
    );
    assert_eq!(outcome(&run, "users"), Outcome::Metastable);
}

#[test]
fn a_circuit_breaker_with_jittered_backoff_recovers() {
    let run = run(
        &STORM.replace(
            "RETRY",
            "retry: exponential(attempts: 3, base: 1s, jitter: true), circuit_breaker: true",
        ),
        Some("blip"),
        600.0,
    );
    // The breaker opens once half the calls time out, a few seconds into the spike,
    // and probes 60 s later: the spike is over and the line has drained.
    let Outcome::Recovered { after } = outcome(&run, "users") else {
        panic!("{:?}", run.outcomes);
    };
    assert!(after > 25.0 && after < 45.0, "{after}");
    assert!(series(&run, "api").utilization[300].unwrap() < 1.0);
}

const CACHE: &str = "
client users { rate: 1000/s }
service api { capacity: 10k/s }
cache hot { hit_ratio: 90%, warmup: 5min, caches: db }
database db { capacity: 300/s }
users -> api { timeout: 5s }
api -> hot { ops: read, timeout: 100ms }
api -> db { ops: read, timeout: 1s }
scenario cache_loss { fail: [hot], at: 60s, for: 30s }
";

#[test]
fn a_cold_cache_overloads_its_store_until_warm() {
    let run = run(CACHE, Some("cache_loss"), 600.0);
    let db = series(&run, "db");
    assert!(within(db.offered[30], 100.0, 0.01), "{}", db.offered[30]);
    assert!(within(db.offered[70], 1000.0, 0.01));
    // Back at 90 s, empty: misses = 1000 × (1 − 0.9 × w), w the warmth over 5 minutes;
    // under 300/s once w > 7/9, 233 s later.
    let calm = (90..600)
        .find(|&i| db.utilization[i].unwrap() <= 1.0)
        .unwrap();
    assert!((320..=326).contains(&calm), "{calm}");
    // Well again when the store's p99 is back within twice its p99 at the start
    // (27.5 ms at ρ = 1/3): 10 ms + ln(100ρ) / (300/s × (1 − ρ)) ≤ 55 ms at ρ ≤ 0.68,
    // 204 reads a second, w = 0.884: 265 s after the cache came back.
    let Outcome::Recovered { after } = outcome(&run, "users") else {
        panic!("{:?}", run.outcomes);
    };
    assert!(within(after, 265.0, 0.03), "{after}");
}

const RAMP: &str = "
client users { rate: 1000/s, traffic: ramp(to: 3x, over: OVER) }
service api { capacity: 500/s, autoscale: 3..20, scale_delay: DELAY }
users -> api { timeout: 5s }
";

#[test]
fn autoscaling_keeps_up_with_a_ramp_slower_than_its_delay() {
    let run = run(
        &RAMP.replace("OVER", "5min").replace("DELAY", "1min"),
        None,
        600.0,
    );
    let api = series(&run, "api");
    assert!(api.peak_utilization().unwrap() <= 1.0);
    // 3,000/s at 70% of 500/s a replica: 9 replicas.
    assert!(within(api.utilization[599].unwrap(), 3000.0 / 4500.0, 1e-9));
}

#[test]
fn autoscaling_catches_a_fast_ramp_after_its_delay() {
    let run = run(
        &RAMP.replace("OVER", "1min").replace("DELAY", "5min"),
        None,
        900.0,
    );
    let api = series(&run, "api");
    // Three replicas hold 1,500/s while 3,000/s arrive, until the replicas asked for
    // at 60 s arrive at 360 s.
    assert!(api.utilization[200].unwrap() > 1.5);
    assert!(api.utilization[420].unwrap() <= 1.0);
    let Outcome::Recovered { after } = outcome(&run, "users") else {
        panic!("{:?}", run.outcomes);
    };
    assert!(after > 290.0 && after < 420.0, "{after}");
}

#[test]
fn the_same_design_runs_the_same() {
    let text = STORM.replace(
        "RETRY",
        "retry: exponential(attempts: 3, base: 1s, jitter: true)",
    );
    let (a, b) = (
        run(&text, Some("blip"), 300.0),
        run(&text, Some("blip"), 300.0),
    );
    for (x, y) in a.series.iter().zip(&b.series) {
        assert_eq!(x.offered, y.offered);
        assert_eq!(x.p99, y.p99);
    }
}

#[test]
fn a_run_too_long_for_its_step_is_refused() {
    let compilation = crate::compile("t.hld", b"client u { rate: 1/s }".to_vec());
    let facts = Facts::new(&compilation.model);
    let settings = Settings {
        duration: 1e9,
        step: 1.0,
    };
    assert!(matches!(
        simulate(&compilation.model, &facts, None, settings),
        Err(Refusal::TooManySteps(_))
    ));
    let zero = Settings {
        duration: 10.0,
        step: 0.0,
    };
    assert_eq!(
        simulate(&compilation.model, &facts, None, zero).err(),
        Some(Refusal::Step)
    );
}
