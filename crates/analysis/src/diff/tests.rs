use super::*;
use crate::{Lint, Settings};

fn compiled(text: &str) -> Compilation {
    let mut compilation = crate::compile("d.hld", text.as_bytes().to_vec());
    compilation.lint(Settings::default());
    compilation
}

fn between(old: &str, new: &str) -> Diff {
    diff(&compiled(old), &compiled(new), DEFAULT_THRESHOLD)
}

const BASE: &str = "design \"Shop\" { availability: 99.9% }
client users { rate: 1k/s }
service api { replicas: 3, capacity: 1k/s }
database orders { engine: postgres, replication: leader_follower(followers: 1, failover: automatic) }
users -> api { protocol: https }
api -> orders { ops: read, timeout: 100ms }
api -> orders { ops: write, ratio: 10%, timeout: 200ms }
flow buy { users -> api -> orders }
scenario db_down { fail: [orders] }
";

#[test]
fn a_moved_block_a_reformatted_file_and_equal_values_change_nothing() {
    // Blocks in another order, values written another way (1k/s as 1000/s), one line
    // per attribute: the same design. (Parallel links keep their order: a flow's hop
    // takes the first one written, so swapping them is a change.)
    let moved = "client users { rate: 1000/s }
design \"Shop\" {
  availability: 99.9%
}
database orders {
  engine: postgres
  replication: leader_follower(followers: 1, failover: automatic)
}
service api {
  capacity: 1000/s
  replicas: 3
}
api -> orders { timeout: 100ms, ops: read }
users -> api { protocol: https }
api -> orders { ops: write, ratio: 10%, timeout: 200ms }
scenario db_down { fail: [orders] }
flow buy { users -> api -> orders }
";
    let diff = between(BASE, moved);
    assert!(diff.is_empty(), "{:?} {:?}", diff.changed, diff.estimates);
    assert!(!diff.new_errors());
}

#[test]
fn a_changed_attribute_is_one_change_with_both_values_as_written() {
    let diff = between(BASE, &BASE.replace("replicas: 3,", "replicas: 5,"));
    assert_eq!(
        diff.changed,
        vec![Change {
            kind: ElementKind::Component,
            id: "api".into(),
            attributes: vec![AttributeChange {
                name: "replicas".into(),
                old: Some("3".into()),
                new: Some("5".into()),
            }],
        }]
    );
    assert!(diff.added.is_empty() && diff.removed.is_empty());
}

#[test]
fn parallel_links_are_told_apart_by_ops() {
    let diff = between(
        BASE,
        &BASE.replace("ratio: 10%, timeout: 200ms", "ratio: 10%, timeout: 300ms"),
    );
    assert_eq!(diff.changed.len(), 1);
    assert_eq!(diff.changed[0].id, "api->orders (write)");
    assert_eq!(diff.changed[0].attributes[0].name, "timeout");
}

#[test]
fn added_and_removed_elements_by_kind() {
    let new = BASE
        .replace("scenario db_down { fail: [orders] }\n", "")
        .replace(
            "flow buy",
            "cache hot { engine: redis, caches: orders }\napi -> hot { ops: read }\nflow buy",
        );
    let diff = between(BASE, &new);
    assert_eq!(diff.added.components, vec!["hot"]);
    assert_eq!(diff.added.links, vec!["api->hot"]);
    assert_eq!(diff.removed.scenarios, vec!["db_down"]);
    assert!(diff.removed.components.is_empty());
}

#[test]
fn findings_match_by_rule_and_element_and_new_errors_are_said() {
    // Without failover the database is a single point of failure (an error).
    let worse = BASE.replace(
        ", replication: leader_follower(followers: 1, failover: automatic)",
        "",
    );
    let diff = between(BASE, &worse);
    assert!(
        diff.findings
            .new
            .iter()
            .any(|f| f.code == "single-point-of-failure" && f.element.as_deref() == Some("orders")),
        "{:?}",
        diff.findings.new
    );
    assert!(diff.new_errors());
    // The other way round it is fixed, and nothing is new.
    let back = between(&worse, BASE);
    assert!(
        back.findings
            .fixed
            .iter()
            .any(|f| f.code == "single-point-of-failure")
    );
    assert!(!back.new_errors());
    // The location is the line in the version that has it.
    assert!(back.findings.fixed[0].location.starts_with("d.hld:"));
}

#[test]
fn estimates_that_move_past_the_threshold_worst_regression_first() {
    // Twice the users: the api's utilization and the orders' load double; the flow's
    // rate doubles (neutral), utilization (a regression) comes first.
    let diff = between(BASE, &BASE.replace("rate: 1k/s", "rate: 1.8k/s"));
    let first = &diff.estimates[0];
    assert!(first.regression(), "{:?}", diff.estimates);
    assert_eq!(first.field, Field::Utilization);
    let api = diff
        .estimates
        .iter()
        .find(|m| m.id == "api" && m.field == Field::Utilization)
        .unwrap();
    assert!((api.change().unwrap() - 0.8).abs() < 1e-9, "{api:?}");
    // 5% more moves nothing past 10%.
    let small = between(BASE, &BASE.replace("rate: 1k/s", "rate: 1.05k/s"));
    assert!(
        small.estimates.iter().all(|m| m.field != Field::Peak),
        "{:?}",
        small.estimates
    );
    // A lower threshold lists it.
    let listed = diff_at(BASE, &BASE.replace("rate: 1k/s", "rate: 1.05k/s"), 0.01);
    assert!(
        listed
            .estimates
            .iter()
            .any(|m| m.id == "buy" && m.field == Field::Peak)
    );
}

fn diff_at(old: &str, new: &str, threshold: f64) -> Diff {
    diff(&compiled(old), &compiled(new), threshold)
}

#[test]
fn availability_moves_by_its_downtime() {
    let moved = Moved {
        id: "x".into(),
        flow: false,
        field: Field::Availability,
        old: Some(0.999),
        new: Some(0.9999),
    };
    assert!((moved.change().unwrap() + 0.9).abs() < 1e-9);
    assert!(moved.improvement() && !moved.regression());
}

#[test]
fn a_what_if_outcome_that_changed_is_listed_with_why() {
    // Without its follower the database's failure takes the flow down, not degrades it.
    let worse = BASE.replace(
        ", replication: leader_follower(followers: 1, failover: automatic)",
        "",
    );
    let diff = between(BASE, &worse);
    let before = between(BASE, BASE);
    assert!(before.whatif.is_empty());
    // With the follower, the scenario still downs `orders` whole (`fail: [orders]`):
    // both down, nothing listed; a new scenario that is not ok is listed.
    assert!(diff.whatif.iter().all(|o| o.scenario == "db_down"));
    let added = between(
        BASE,
        &format!("{BASE}scenario api_down {{ fail: [api] }}\n"),
    );
    let change = &added.whatif[0];
    assert_eq!(
        (change.scenario.as_str(), change.flow.as_str()),
        ("api_down", "buy")
    );
    assert_eq!((change.old, change.new), (None, "down"));
    assert!(change.regression());
    assert!(change.why.contains("api"), "{}", change.why);
}

#[test]
fn the_cost_in_all_is_compared_when_both_compile() {
    let diff = between(BASE, &BASE.replace("replicas: 3,", "replicas: 6,"));
    let (old, new) = diff.cost.unwrap();
    assert!(new > old);
    assert!(
        diff.estimates
            .iter()
            .any(|m| m.id == "design" && m.field == Field::Cost)
    );
    let broken = between(BASE, "service {");
    assert!(broken.cost.is_none() && !broken.compared);
    assert!(broken.new_errors());
}
