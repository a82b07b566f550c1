//! Every compile error code: the code, where it points (1-based line and column), and
//! what it says. The rendered human output is pinned by snapshots.

use hld::diagnostics::{render_human, to_json};
use hld::{Compilation, compile, compile_file};

struct Found {
    code: &'static str,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
}

fn diagnose_compilation(compilation: &Compilation) -> Vec<Found> {
    compilation
        .diagnostics
        .iter()
        .map(|d| {
            let json = to_json(&compilation.sources, d);
            Found {
                code: d.code,
                line: json.line,
                column: json.column,
                message: d.message.clone(),
                help: d.help.clone(),
            }
        })
        .collect()
}

fn diagnose(text: &str) -> Vec<Found> {
    diagnose_compilation(&compile("design.hld", text.as_bytes().to_vec()))
}

/// The single diagnostic a design produces.
fn only(text: &str) -> Found {
    let mut found = diagnose(text);
    assert_eq!(
        found.len(),
        1,
        "{:#?}",
        found.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    found.remove(0)
}

fn rendered(text: &str) -> String {
    let compilation = compile("design.hld", text.as_bytes().to_vec());
    compilation
        .diagnostics
        .iter()
        .map(|d| render_human(&compilation.sources, d, false))
        .collect()
}

#[test]
fn syntax_error_names_what_was_expected_and_found() {
    let f = only("service api {\n  replicas 2\n}\n");
    assert_eq!((f.code, f.line, f.column), ("syntax", 2, 12));
    assert_eq!(f.message, "expected `->`, `:`, `<->` or a name, found `2`");
    assert!(f.help.unwrap().contains("name: value"));
}

#[test]
fn unclosed_block_says_so() {
    let f = only("group g {\n  service a\n");
    assert_eq!((f.code, f.line, f.column), ("syntax", 3, 1));
    assert!(
        f.message.contains("found the end of the file"),
        "{}",
        f.message
    );
    assert_eq!(
        f.help.unwrap(),
        "a block is not closed: add the missing `}`"
    );
}

#[test]
fn invalid_utf8_is_a_syntax_error_at_the_first_bad_byte() {
    let compilation = compile("bytes.hld", b"service a\nservice \xff\n".to_vec());
    let f = &diagnose_compilation(&compilation)[0];
    assert_eq!((f.code, f.line, f.column), ("syntax", 2, 9));
    assert_eq!(f.message, "this file is not valid UTF-8");
}

#[test]
fn unknown_kind_suggests_the_closest_kind() {
    let f = only("servce api");
    assert_eq!((f.code, f.line, f.column), ("unknown-kind", 1, 1));
    assert_eq!(f.message, "`servce` is not a kind of component");
    assert_eq!(f.help.unwrap(), "did you mean `service`?");
}

#[test]
fn unknown_component_suggests_a_declared_id() {
    let f = only("service api\ndatabase users\napi -> user");
    assert_eq!((f.code, f.line, f.column), ("unknown-component", 3, 8));
    assert_eq!(f.message, "no component is called `user`");
    assert_eq!(f.help.unwrap(), "did you mean `users`?");
}

#[test]
fn links_to_a_misdeclared_component_are_not_reported_twice() {
    let found = diagnose("servce api\nclient u\nu -> api");
    let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["unknown-kind"]);
}

#[test]
fn duplicate_component_points_at_both_declarations() {
    let compilation = compile("d.hld", b"service api\ncache api".to_vec());
    let d = &compilation.diagnostics[0];
    assert_eq!(d.code, "duplicate-component");
    let json = to_json(&compilation.sources, d);
    assert_eq!((json.line, json.column), (2, 7));
    assert_eq!((json.related[0].line, json.related[0].column), (1, 9));
    assert_eq!(d.related[0].message, "first declared here");
    assert_eq!(d.message, "`api` is declared twice");
}

#[test]
fn unknown_attribute_says_where_it_applies() {
    let f = only("service api { ttl: 5min }");
    assert_eq!((f.code, f.line, f.column), ("unknown-attribute", 1, 15));
    assert_eq!(f.message, "a service has no attribute `ttl`");
    assert_eq!(
        f.help.unwrap(),
        "`ttl` applies to cdn or cache, not to a service"
    );
}

#[test]
fn unknown_attribute_suggests_a_close_name() {
    let f = only("service api { replica: 2 }");
    assert_eq!(f.help.unwrap(), "did you mean `replicas`?");
}

#[test]
fn unknown_attribute_with_a_known_meaning_says_how_hld_says_it() {
    for (text, help) in [
        (
            "database db { read_replicas: 2 }",
            "`replication: leader_follower(followers: N)` and `read_from: followers`",
        ),
        (
            "cdn edge { origin: api }",
            "a link from the cdn to its origin",
        ),
        (
            "service api { idempotency_key: true }",
            "`idempotent: true`",
        ),
        ("service api { instances: 3 }", "`replicas: N`"),
        ("worker w { count: 3 }", "`replicas: N`"),
        ("cache c { ttl_seconds: 60 }", "`ttl: 60s`"),
        (
            "database db { partition_key: user_id }",
            "`partitioning: hash(key: field)`",
        ),
        (
            "database db { shard_key: user_id }",
            "`partitioning: hash(key: field)`",
        ),
    ] {
        let f = only(text);
        assert_eq!(f.code, "unknown-attribute", "{text}");
        let got = f.help.unwrap();
        assert!(
            got.starts_with("hld says this another way: ") && got.contains(help),
            "{text}: {got}"
        );
    }
}

#[test]
fn references_name_a_declared_component_of_the_right_kind() {
    let f = only("queue q { dlq: q }");
    assert_eq!(f.code, "invalid-value");
    assert_eq!(
        f.message,
        "the dead-letter queue of `q` must be another queue; `q` is a queue"
    );
    let f = only("service s\ncache c { caches: s }");
    assert_eq!((f.code, f.line, f.column), ("invalid-value", 2, 11));
    assert_eq!(
        f.message,
        "what cache `c` holds a copy of must be a database, blob or search store; `s` is a service"
    );
    let f = only("database users\ncache c { caches: user }");
    assert_eq!(f.code, "unknown-component");
    assert_eq!(f.help.unwrap(), "did you mean `users`?");
    assert!(diagnose("database users\ncache c { caches: users }").is_empty());
}

#[test]
fn invalid_enum_value_lists_the_allowed_values() {
    let f = only("cache c { eviction: lru2 }");
    assert_eq!((f.code, f.line, f.column), ("invalid-value", 1, 21));
    assert_eq!(f.message, "`lru2` is not a valid value of `eviction`");
    assert!(
        f.help
            .unwrap()
            .starts_with("did you mean `lru`? use `lru`, `lfu`")
    );
}

#[test]
fn a_unit_of_the_wrong_dimension_names_the_expected_one() {
    let f = only("a -> b { timeout: 5GB }\nservice a\nservice b");
    assert_eq!((f.code, f.column), ("invalid-value", 19));
    assert_eq!(
        f.message,
        "`timeout` expects a duration, but `5GB` is a size"
    );
}

#[test]
fn b_is_bytes_for_sizes_and_billions_for_counts() {
    let compilation = compile(
        "d.hld",
        b"client u { dau: 2B }\ndatabase d { record_size: 2B }".to_vec(),
    );
    assert!(compilation.diagnostics.is_empty());
    let dau = compilation.model.components[0]
        .attrs
        .count(hld::model::attr::DAU);
    let size = compilation.model.components[1]
        .attrs
        .number(hld::model::attr::RECORD_SIZE);
    assert_eq!((dau, size), (Some(2_000_000_000), Some(2.0)));
}

#[test]
fn m_alone_is_rejected_as_ambiguous() {
    let f = only("cache c { ttl: 5m }");
    assert_eq!(
        f.message,
        "`5m` is ambiguous: `m` could mean minutes or months"
    );
    assert_eq!(f.help.unwrap(), "write `min` for minutes");
}

#[test]
fn counts_are_whole_and_at_least_one() {
    assert_eq!(
        only("service a { replicas: 2.5 }").message,
        "`replicas` is a whole number, not `2.5`"
    );
    assert_eq!(
        only("service a { replicas: 0 }").message,
        "`replicas` must be at least 1, not `0`"
    );
    assert!(
        only("service a { replicas: 5T }")
            .message
            .contains("more than hld accepts")
    );
}

#[test]
fn quorums_cannot_exceed_the_replica_set() {
    let f = only("database d { replication: leaderless(n: 3, w: 4, r: 2) }");
    assert_eq!((f.code, f.column), ("invalid-value", 27));
    assert_eq!(f.message, "`leaderless` asks w = 4 of only n = 3 copies");
}

#[test]
fn calls_check_their_names_and_arguments() {
    assert_eq!(
        only("database d { replication: leader_folower(followers: 2) }")
            .help
            .unwrap(),
        "did you mean `leader_follower`? use a number of copies, `consensus(n:)`, `leader_follower(mode:, followers:, failover:)`, `leaderless(n:, w:, r:, sloppy:)`, `multi_leader(leaders:)` or `none`"
    );
    assert_eq!(
        only("database d { replication: consensus(size: 3) }").message,
        "`consensus` has no parameter `size`"
    );
    assert_eq!(
        only("database d { replication: consensus() }").message,
        "`consensus` needs `n`"
    );
}

#[test]
fn an_engine_of_another_kind_is_invalid() {
    let f = only("cache c { engine: kafka }");
    assert_eq!(f.code, "invalid-value");
    assert_eq!(f.message, "`kafka` is a queue engine, not a cache engine");
    assert_eq!(f.help.unwrap(), "a cache takes `memcached` or `redis`");
}

/// An engine's profile lists the isolation levels it offers; stating another is an
/// error that names them (and says what PostgreSQL calls snapshot isolation).
#[test]
fn an_isolation_level_the_engine_lacks_is_invalid() {
    let f = only(
        "database d { engine: cassandra }\ndatabase m { engine: mongodb, isolation: serializable }",
    );
    assert_eq!(f.code, "invalid-value");
    assert_eq!(f.message, "`mongodb` offers no `serializable` isolation");
    assert_eq!(
        f.help.unwrap(),
        "mongodb offers `read_uncommitted`, `read_committed` or `snapshot`"
    );
    let postgres = only("database d { engine: postgres, isolation: repeatable_read }");
    assert!(postgres.help.unwrap().ends_with("write `snapshot`"));
    // Engines whose levels are not documented take the stated level at its word.
    assert!(diagnose("database d { engine: cassandra, isolation: serializable }").is_empty());
    assert!(diagnose("database d { engine: postgres, isolation: serializable }").is_empty());
}

#[test]
fn unknown_rule_in_allow_suggests_the_rule() {
    let f = only("@allow(single-point-of-failur, \"why\")\nservice a");
    assert_eq!((f.code, f.line, f.column), ("unknown-rule", 1, 8));
    assert_eq!(
        f.message,
        "`single-point-of-failur` is neither a rule nor a category"
    );
    assert_eq!(f.help.unwrap(), "did you mean `single-point-of-failure`?");
}

#[test]
fn allow_needs_a_reason() {
    let f = only("@allow(availability)\nservice a");
    assert_eq!(
        (f.code, f.message.as_str()),
        ("syntax", "`@allow` needs a reason")
    );
}

#[test]
fn import_of_a_missing_file_points_at_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root.hld");
    std::fs::write(&root, "import \"missing.hld\"\nservice a\n").unwrap();
    let found = diagnose_compilation(&compile_file(&root));
    assert_eq!(
        (found[0].code, found[0].line, found[0].column),
        ("import", 1, 8)
    );
    assert!(
        found[0].message.ends_with("missing.hld`: no such file"),
        "{}",
        found[0].message
    );
}

#[test]
fn import_cycles_name_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.hld"), "import \"b.hld\"\nservice a\n").unwrap();
    std::fs::write(dir.path().join("b.hld"), "import \"a.hld\"\nservice b\n").unwrap();
    let compilation = compile_file(dir.path().join("a.hld"));
    let found = diagnose_compilation(&compilation);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "import");
    assert!(
        found[0].message.starts_with("import cycle: "),
        "{}",
        found[0].message
    );
    assert!(found[0].message.ends_with("a.hld"));
    assert_eq!(
        compilation.model.components.len(),
        2,
        "both files are still read"
    );
}

#[test]
fn imported_components_are_linked_and_duplicates_across_files_found() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.hld"), "database db\nservice api\n").unwrap();
    std::fs::write(
        dir.path().join("main.hld"),
        "import \"lib.hld\"\nservice api\napi -> db\n",
    )
    .unwrap();
    let compilation = compile_file(dir.path().join("main.hld"));
    let found = diagnose_compilation(&compilation);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "duplicate-component");
    assert_eq!(compilation.model.links.len(), 1);
}

#[test]
fn an_unreadable_file_is_io() {
    let compilation = compile_file("no/such/design.hld");
    let f = &diagnose_compilation(&compilation)[0];
    assert_eq!((f.code, f.line, f.column), ("io", 1, 1));
    assert_eq!(f.message, "cannot read `no/such/design.hld`: no such file");
}

#[test]
fn columns_count_unicode_scalars() {
    let f = only("service api \"Café ☕\" { replicas: two }");
    assert_eq!(
        (f.code, f.column, f.message.as_str()),
        ("invalid-value", 34, "`replicas` expects a count, not `two`")
    );
}

#[test]
fn parsing_goes_on_after_an_error() {
    let found = diagnose("service a {\n  replicas: \n}\nservcie b\nservice c { ttl: 1h }\n");
    let codes: Vec<&str> = found.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["syntax", "unknown-kind", "unknown-attribute"]);
}

const FLOW_DESIGN: &str = "client users { rate: 1k/s }\nclient admins { rate: 10/s }\ngateway gw\nservice api\nservice audit\ndatabase db\nusers -> gw -> api\nadmins -> gw\napi -> db { ops: read }\napi -> audit\n";

fn flow(body: &str) -> String {
    format!("{FLOW_DESIGN}{body}")
}

#[test]
fn a_flow_step_that_is_not_a_declared_link_suggests_the_links_there_are() {
    let f = only(&flow("flow browse { users -> gw -> db }\n"));
    assert_eq!((f.code, f.line, f.column), ("unknown-link", 11, 24));
    assert_eq!(
        f.message,
        "flow `browse` steps from `gw` to `db`, and the design has no such link"
    );
    assert_eq!(
        f.help.unwrap(),
        "`gw` links to `api`; declare `gw -> db` outside the flow if requests take it"
    );
    // A close name is offered as such.
    let f = only(&flow("flow browse { users -> gw -> api -> audi }\n"));
    assert_eq!(f.code, "unknown-component");
    assert_eq!(f.help.unwrap(), "did you mean `audit`?");
    // Parallel links are chosen by the step's `ops`.
    let f = only(&flow(
        "flow browse { users -> gw -> api\n api -> db { ops: write } }\n",
    ));
    assert_eq!(f.code, "unknown-link");
    assert!(f.help.unwrap().contains("not with `ops: write`"));
}

#[test]
fn a_client_s_flows_take_at_most_all_of_its_requests() {
    let f = only(&flow(
        "flow a { share: 70%, users -> gw -> api }\nflow b { share: 40%, users -> gw -> api }\n",
    ));
    assert_eq!((f.code, f.line, f.column), ("invalid-value", 12, 10));
    assert_eq!(
        f.message,
        "the flows of `users` take 110% of its requests with `b`: more than all of them"
    );
    let f = only(&flow("flow a { share: 120%, users -> gw -> api }\n"));
    assert_eq!(f.code, "invalid-value");
}

#[test]
fn a_flow_starts_at_a_client_and_continues_where_it_has_been() {
    let f = only(&flow("flow a { gw -> api }\n"));
    assert_eq!(f.code, "invalid-value");
    assert_eq!(
        f.message,
        "a flow starts at a client (or a cron or batch worker); `gw` is a gateway"
    );
    let f = only(&flow("flow a { users -> gw\n api -> db }\n"));
    assert_eq!((f.code, f.line, f.column), ("invalid-value", 12, 2));
    assert_eq!(f.message, "flow `a` does not reach `api` before this step");
    let f = only(&flow("flow api { users -> gw }\n"));
    assert_eq!(f.code, "duplicate-component");
}

#[test]
fn rendered_diagnostics() {
    insta::assert_snapshot!("syntax", rendered("service api {\n  replicas 2\n}\n"));
    insta::assert_snapshot!("unknown_kind", rendered("servce api { replicas: 2 }"));
    insta::assert_snapshot!(
        "unknown_component",
        rendered("service api\ndatabase users\napi -> user { ops: read }")
    );
    insta::assert_snapshot!(
        "duplicate_component",
        rendered("service api\n\ncache api { ttl: 1h }")
    );
    insta::assert_snapshot!("unknown_attribute", rendered("service api { ttl: 5min }"));
    insta::assert_snapshot!(
        "invalid_value",
        rendered("client u { requests: 10/fortnight }")
    );
    insta::assert_snapshot!(
        "unknown_rule",
        rendered("@allow(single-point-of-failur, \"why\")\nservice a")
    );
    insta::assert_snapshot!(
        "unknown_link",
        rendered(&flow("flow browse \"Browse\" {\n  users -> gw -> db\n}\n"))
    );
}

#[test]
fn a_scenario_names_declared_components_and_groups_and_two_sides() {
    let design = "region us { service a }\nregion eu { service b }\na -> b\n";
    let f = only(&format!("{design}scenario s {{ fail: [c] }}\n"));
    assert_eq!((f.code, f.line, f.column), ("unknown-component", 4, 21));
    assert_eq!(f.message, "no component or group is called `c`");
    let f = only(&format!("{design}scenario s {{ fail: [uss] }}\n"));
    assert_eq!(f.help.unwrap(), "did you mean `us`?");
    let f = only(&format!("{design}scenario s {{ partition: [us] }}\n"));
    assert_eq!(f.message, "a partition has two sides; scenario `s` names 1");
    let f = only(&format!("{design}scenario s {{ partition: [us, a] }}\n"));
    assert_eq!(f.message, "scenario `s` partitions a side from itself");
    let f = only(&format!("{design}scenario s {{ fial: [a] }}\n"));
    assert_eq!(f.code, "unknown-attribute");
    assert_eq!(f.help.unwrap(), "did you mean `fail`?");
    let f = only(&format!("{design}scenario s {{ }}\n"));
    assert_eq!(f.message, "scenario `s` fails nothing");
}

#[test]
fn an_allow_before_a_scenario_says_where_it_belongs() {
    let f = only("service a\n@allow(scenario-over-capacity, \"why\")\nscenario s { fail: [a] }\n");
    assert_eq!((f.code, f.line), ("syntax", 2));
    assert_eq!(
        f.help.unwrap(),
        "put the `@allow` before the flow (or component) the finding is on"
    );
}

#[test]
fn flows_and_scenarios_work_across_imports() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lib.hld"),
        "client users\nservice api\ndatabase db\nusers -> api -> db\nflow read { users -> api -> db }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.hld"),
        "import \"lib.hld\"\nflow ping { users -> api }\nscenario db_down { fail: [db] }\n",
    )
    .unwrap();
    let compilation = compile_file(dir.path().join("main.hld"));
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let flows: Vec<&str> = compilation
        .model
        .flows
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(flows.len(), 2);
    assert!(flows.contains(&"read") && flows.contains(&"ping"));
    assert_eq!(compilation.model.scenarios.len(), 1);
}
