use super::prelude::*;

pub static RULE: Rule = Rule {
    name: "retry-without-jitter",
    category: Category::Resilience,
    level: Level::Info,
    summary: "exponential backoff without jitter",
    what: "A link with `retry: exponential(..., jitter: false)`.",
    why: "Callers that failed together back off by the same intervals and retry together: the \
          retries arrive as synchronized waves at 50 ms, 100 ms, 200 ms. Randomizing each delay \
          (\"full jitter\") spreads them out and, in AWS's measurements, cuts both total work and \
          completion time compared with plain exponential backoff.",
    bad: example!("retry-without-jitter", "bad"),
    good: example!("retry-without-jitter", "good"),
    reading: &[
        "AWS Architecture Blog, 'Exponential Backoff And Jitter': https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/",
    ],
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (id, link) in cx.links() {
        let Some(Value::Call(retry)) = link.attrs.get(attr::RETRY) else {
            continue;
        };
        if retry.name != call::Name::Exponential
            || retry.arg(param::JITTER).and_then(Value::as_bool) != Some(false)
        {
            continue;
        }
        out.report(
            Element::Link(id),
            link.attrs.span(attr::RETRY).unwrap_or(link.span),
            format!("`{}` backs off exponentially but without jitter: callers that failed together retry together", cx.name(link.from)),
            |d| d.with_label("no jitter").with_help("set `jitter: true`"),
        );
    }
}
