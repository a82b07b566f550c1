use super::prelude::*;
use crate::estimate::human_duration;

pub static RULE: Rule = Rule {
    name: "retry-exceeds-timeout",
    category: Category::Resilience,
    level: Level::Warning,
    summary: "retries that cannot finish inside the caller's own timeout",
    what: "B→C has a `timeout` and a `retry`, and its attempts × timeout plus the backoff \
           delays between them exceed the timeout of a link into B: B keeps retrying after \
           its caller has given up. (A single attempt longer than the caller's timeout is \
           `timeout-exceeds-caller`.) Unstated delays count as zero, so the figure is the \
           least the retries can take.",
    why: "A caller that gives up after 1 s while its callee retries three times with a 500 ms \
          timeout gets nothing from the second and third attempts: they run for nobody, hold \
          the callee's threads and add load to the dependency when it is already failing. \
          Worse, the caller's own retry starts a second round of them. Give the retries a \
          budget: attempts × timeout + backoff below the caller's timeout (minus the work \
          around the call), or retry at one layer only, or propagate a deadline.",
    bad: example!("retry-exceeds-timeout", "bad"),
    good: example!("retry-exceeds-timeout", "good"),
    reading: &[
        "AWS Builders' Library, 'Timeouts, retries, and backoff with jitter': https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/",
        "Google SRE Book, ch. 22 'Addressing Cascading Failures' (retry budgets, deadlines): https://sre.google/sre-book/addressing-cascading-failures/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let attempts = facts::attempts(link);
        let Some(timeout) = link.attrs.number(attr::TIMEOUT).filter(|_| attempts > 1) else {
            continue;
        };
        // The tightest caller of the retrying component: the first to give up.
        let Some((caller, caller_timeout)) = cx
            .incoming(link.from)
            .filter_map(|(_, inbound)| Some((inbound, inbound.attrs.number(attr::TIMEOUT)?)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        let backoff = backoff_delays(link.attrs.get(attr::RETRY), attempts);
        let total = attempts as f64 * timeout + backoff;
        // One attempt past the caller's timeout is timeout-exceeds-caller's finding.
        if timeout >= caller_timeout || total <= caller_timeout {
            continue;
        }
        let backoff_text = if backoff > 0.0 {
            format!(" + {} of backoff", human_duration(backoff))
        } else {
            String::new()
        };
        out.report(
            Element::Link(id),
            link.attrs.span(attr::RETRY).unwrap_or(link.span),
            format!(
                "`{}` may spend {attempts} attempts × {}{backoff_text} = {} on `{}`, but its caller `{}` gives up after {}",
                cx.name(link.from),
                human_duration(timeout),
                human_duration(total),
                cx.name(link.to),
                cx.name(caller.from),
                human_duration(caller_timeout)
            ),
            |d| {
                d.with_label("retries outlive the caller")
                    .with_related(caller.attrs.span(attr::TIMEOUT).unwrap_or(caller.span), "the caller's timeout")
                    .with_help(format!(
                        "fit the retries in {}: fewer attempts or a shorter timeout, retry at one layer only, or propagate a deadline",
                        human_duration(caller_timeout)
                    ))
            },
        );
    }
}

/// The waits between `attempts` tries: none for `immediate`, `delay` each for `fixed`,
/// `base` doubling for `exponential` (base × (2^(attempts−1) − 1)); an unstated delay
/// counts as none.
fn backoff_delays(retry: Option<&Value>, attempts: u64) -> f64 {
    let Some(Value::Call(call)) = retry else {
        return 0.0;
    };
    let waits = attempts.saturating_sub(1) as f64;
    match call.name.as_str() {
        "fixed" => {
            call.arg(param::DELAY)
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
                * waits
        }
        "exponential" => {
            let base = call.arg(param::BASE).and_then(Value::as_f64).unwrap_or(0.0);
            base * (2f64.powf(waits) - 1.0)
        }
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::findings_of;

    fn findings(design: &str) -> Vec<String> {
        findings_of(RULE.name, design)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    fn design(retry: &str) -> String {
        format!(
            "client u\nservice a {{ replicas: 2 }}\nservice b {{ replicas: 2 }}\nu -> a {{ timeout: 1s }}\na -> b {{ timeout: 300ms, retry: {retry} }}\n"
        )
    }

    #[test]
    fn attempts_times_timeout_against_the_caller() {
        // 3 × 300ms = 900ms fits in 1s; 4 × 300ms = 1.2s does not.
        assert!(findings(&design("immediate(attempts: 3)")).is_empty());
        assert_eq!(
            findings(&design("immediate(attempts: 4)")),
            [
                "`a` may spend 4 attempts × 300ms = 1.2s on `b`, but its caller `u` gives up after 1s"
            ]
        );
    }

    #[test]
    fn backoff_delays_count() {
        // 3 × 300ms + 2 × 100ms = 1.1s > 1s.
        assert_eq!(
            findings(&design("fixed(attempts: 3, delay: 100ms)")),
            [
                "`a` may spend 3 attempts × 300ms + 200ms of backoff = 1.1s on `b`, but its caller `u` gives up after 1s"
            ]
        );
        // 3 × 300ms + 25ms × (1 + 2) = 975ms ≤ 1s; with base 50ms: 900 + 150 = 1.05s.
        assert!(findings(&design("exponential(attempts: 3, base: 25ms)")).is_empty());
        assert_eq!(
            findings(&design("exponential(attempts: 3, base: 50ms)")).len(),
            1
        );
    }

    #[test]
    fn one_attempt_longer_than_the_caller_is_another_rule() {
        let text = design("immediate(attempts: 2)").replace("300ms", "1s");
        assert!(findings(&text).is_empty());
    }
}
