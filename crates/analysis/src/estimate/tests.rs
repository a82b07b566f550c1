//! The arithmetic of docs/estimates.md, written out.

use super::*;

fn estimates(text: &str) -> (crate::Compilation, Estimates) {
    let compilation = crate::compile("test.hld", text.as_bytes().to_vec());
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    let facts = Facts::new(&compilation.model);
    let estimates = Estimates::new(&compilation.model, &facts);
    (compilation, estimates)
}

fn id(compilation: &crate::Compilation, name: &str) -> usize {
    compilation.model.find(name).unwrap().index()
}

#[test]
fn a_client_peak_is_dau_times_requests_times_peak() {
    // 100M dau × 10/day = 1e9 requests/day; ÷ 86,400 s = 11,574/s average; × 3 = 34,722/s.
    let (c, e) = estimates("client users { dau: 100M, requests: 10/day, peak: 3x }");
    let rate = e.components[id(&c, "users")].inbound.unwrap();
    assert!((rate.average - 11_574.07).abs() < 0.01);
    assert!((rate.peak - 34_722.2).abs() < 0.1);
    assert_eq!(human_rate(rate.peak), "34.7k/s");
    assert_eq!(
        e.components[0].inbound_formula,
        "100M dau × 10/day ÷ 86,400 s × 3x peak"
    );
}

#[test]
fn load_passes_hop_by_hop_with_ratios_and_rates() {
    let (c, e) = estimates(
        "client u { rate: 1000/s }\nservice a\nservice b\ndatabase d\nu -> a -> b\nb -> d { ratio: 20% }\na -> d { rate: 50/s }",
    );
    let inbound = |n: &str| e.components[id(&c, n)].inbound.unwrap().peak;
    assert_eq!((inbound("a"), inbound("b")), (1000.0, 1000.0));
    // 20% of 1,000/s from b, plus 50/s stated on a -> d.
    assert_eq!(inbound("d"), 250.0);
}

#[test]
fn storage_is_average_writes_times_size_times_retention_times_copies() {
    // 1.2k/s average writes × 1 KB × 5 y × 3 copies
    //   = 1,200/s × 1,000 B × 157,680,000 s × 3 = 5.68e14 B = 568 TB.
    let (c, e) = estimates(
        "client u { rate: 2400/s, peak: 2x }\nservice a { replicas: 2 }\ndatabase d { record_size: 1KB, retention: 5y, replication: 3 }\nu -> a\na -> d { ops: write }",
    );
    let storage = e.components[id(&c, "d")].storage.clone().unwrap();
    assert!((storage.value - 1_200.0 * 1_000.0 * 5.0 * 365.0 * 86_400.0 * 3.0).abs() < 1.0);
    assert_eq!(human_size(storage.value), "568 TB");
    assert_eq!(storage.formula, "1.2k/s writes × 1 KB × 5y × 3 copies");
}

#[test]
fn the_two_planes_carry_no_requests() {
    // 1k/s peak into `api`, 20% of it writes: `db` takes 800/s reads + 200/s writes.
    // The replica gets the 200/s writes only; the lease to the coordinator nothing.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api { replicas: 2 }\ndatabase db { replicas: 2 }\ndatabase replica { replicas: 2 }\ncoordinator lock { engine: etcd, replicas: 3 }\nu -> api\napi -> db { ops: read, ratio: 80% }\napi -> db { ops: write, ratio: 20% }\ndb -> replica { ops: replicate }\ndb -> lock { ops: control }",
    );
    let replica = &e.components[id(&c, "replica")];
    assert_eq!(replica.inbound.unwrap().peak, 200.0);
    assert_eq!((replica.reads(), replica.writes()), (0.0, 200.0));
    assert_eq!(replica.inbound_formula, "200/s writes of `db` replicated");
    assert!(e.components[id(&c, "lock")].inbound.is_none());
}

#[test]
fn a_write_s_size_is_its_payload_else_the_record_size() {
    // Average writes: 1,000/s ÷ 2 = 500/s of each link; per copy
    //   (500/s × 2 MB + 500/s × 1 KB) × 1 y = (1e9 + 5e5 B/s) × 31,536,000 s = 31.5 PB,
    // × 2 copies = 63.1 PB in all.
    let (c, e) = estimates(
        "client u { rate: 1k/s, peak: 2x }\nservice a { replicas: 2 }\nservice b { replicas: 2 }\ndatabase d { record_size: 1KB, retention: 365d, replicas: 2 }\nu -> a\nu -> b\na -> d { ops: write, payload: 2MB }\nb -> d { ops: write }",
    );
    let d = &e.components[id(&c, "d")];
    let storage = d.storage.clone().unwrap();
    let per_copy = (500.0 * 2e6 + 500.0 * 1e3) * 365.0 * 86_400.0;
    assert!(
        (storage.value - per_copy * 2.0).abs() < 1e3,
        "{}",
        storage.value
    );
    assert_eq!(d.copies, 2);
    assert_eq!(
        storage.formula,
        "(500/s × 2 MB + 500/s × 1 KB) × 1y × 2 copies"
    );
}

#[test]
fn utilization_is_inbound_over_replicas_times_capacity() {
    let (c, e) =
        estimates("client u { rate: 9k/s }\nservice a { replicas: 3, capacity: 4k/s }\nu -> a");
    let a = &e.components[id(&c, "a")];
    assert_eq!(a.capacity.as_ref().unwrap().value, 12_000.0);
    assert_eq!(a.utilization, Some(0.75));
}

#[test]
fn worst_path_availability_and_latency() {
    // users → lb (2 × 99.9%) → api (1 × 99.9%), and api → db (1 × 99%) on one branch.
    let (c, e) = estimates(
        "client users { rate: 1/s }\nlb lb { replicas: 2, latency: 1ms }\nservice api { latency: 20ms }\ndatabase db { availability: 99%, latency: 5ms }\nusers -> lb -> api -> db",
    );
    let path = &e.paths[0];
    let expected = (1.0 - 0.001f64.powi(2)) * 0.999 * 0.99;
    assert!((path.availability - expected).abs() < 1e-12);
    assert!((path.latency - 0.026).abs() < 1e-12);
    let names: Vec<&str> = path
        .latency_path
        .iter()
        .map(|i| c.model.component(*i).id.as_str())
        .collect();
    assert_eq!(names, vec!["users", "lb", "api", "db"]);
}

#[test]
fn cycles_are_cut_at_the_back_edge_and_named() {
    let (c, e) = estimates(
        "client u { rate: 100/s }\nservice gw\nqueue q\nworker w\nu -> gw -> q -> w\nw -> gw { ratio: 10% }",
    );
    assert_eq!(e.cut.len(), 1);
    assert_eq!(c.model.link(e.cut[0]).element(&c.model), "w->gw");
    assert_eq!(e.components[id(&c, "gw")].inbound.unwrap().peak, 110.0);
}

#[test]
fn three_significant_figures_in_human_units() {
    assert_eq!(human_rate(34_722.2), "34.7k/s");
    assert_eq!(human_size(1.8e12), "1.8 TB");
    assert_eq!(percent(0.9995), "99.95%");
    // Availability keeps 3 significant figures of what is missing: 0.0124%.
    assert_eq!(percent(0.999_876), "99.9876%");
    assert_eq!(human_duration(0.045), "45ms");
    assert_eq!(human_size(500.0), "500 B");
    assert_eq!(percent(1.0 - 1e-15), "100%");
}

// ---- v2: the sender table, row by row ------------------------------------------------

fn peak(c: &crate::Compilation, e: &Estimates, name: &str) -> f64 {
    e.components[id(c, name)].inbound.map_or(0.0, |r| r.peak)
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{actual} != {expected}"
    );
}

#[test]
fn a_caller_sends_all_its_inbound_on_each_link() {
    // 1k/s into `api`, which calls both `a` and `b` on every request: 1k/s each.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\nservice a\nservice b\nu -> api\napi -> a\napi -> b",
    );
    assert_eq!((peak(&c, &e, "a"), peak(&c, &e, "b")), (1000.0, 1000.0));
}

#[test]
fn a_router_splits_equally_what_the_stated_links_leave() {
    // lb: 1k/s, two targets → 500/s each. gateway: 1k/s, `hot` takes 40% = 400/s, the
    // other two share the 600/s left: 300/s each.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nlb lb\nservice a\nservice b\nu -> lb\nlb -> a\nlb -> b\n\
         client v { rate: 1k/s }\ngateway gw\nservice hot\nservice x\nservice y\nv -> gw\n\
         gw -> hot { ratio: 40% }\ngw -> x\ngw -> y",
    );
    assert_eq!((peak(&c, &e, "a"), peak(&c, &e, "b")), (500.0, 500.0));
    assert_eq!(peak(&c, &e, "hot"), 400.0);
    assert_eq!((peak(&c, &e, "x"), peak(&c, &e, "y")), (300.0, 300.0));
    assert_eq!(
        e.components[id(&c, "x")].inbound_formula,
        "(1k/s through `gw` − 400/s stated) ÷ 2"
    );
}

#[test]
fn a_gateway_s_own_store_is_called_on_every_request() {
    // 1k/s through the gateway: its rate-limit counters see every request (1k/s), its
    // two routes share it (500/s each).
    let (c, e) = estimates(
        "client u { rate: 1k/s }\ngateway gw\ncache counters\nservice a\nservice b\nu -> gw\n\
         gw -> counters { ops: write }\ngw -> a\ngw -> b",
    );
    assert_eq!(peak(&c, &e, "counters"), 1000.0);
    assert_eq!((peak(&c, &e, "a"), peak(&c, &e, "b")), (500.0, 500.0));
}

#[test]
fn a_cdn_passes_its_misses_by_its_hit_ratio_else_90_percent() {
    // 10k/s × (1 − 90%) = 1k/s to the origin; with hit_ratio 75%: 10k/s × 25% = 2.5k/s.
    let (c, e) = estimates(
        "client u { rate: 10k/s }\ncdn edge\nblob origin\nu -> edge -> origin\n\
         client v { rate: 10k/s }\ncdn edge2 { hit_ratio: 75% }\nblob origin2\nv -> edge2 -> origin2",
    );
    close(peak(&c, &e, "origin"), 1000.0);
    close(peak(&c, &e, "origin2"), 2500.0);
    let assumed = e
        .assumptions
        .iter()
        .find(|a| a.text.contains("hit_ratio"))
        .unwrap();
    assert!(assumed.text.contains("90%"), "{assumed:?}");
    assert_eq!(assumed.elements, ["edge"]);
}

#[test]
fn a_store_forwards_only_its_writes() {
    // db takes 800/s reads + 200/s writes; its change stream to the indexer carries the
    // 200/s writes, never the reads.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ndatabase db\nsearch index\nu -> api\n\
         api -> db { ops: read, ratio: 80% }\napi -> db { ops: write, ratio: 20% }\ndb -> index",
    );
    let index = &e.components[id(&c, "index")];
    assert_eq!(index.inbound.unwrap().peak, 200.0);
    assert_eq!((index.reads(), index.writes()), (0.0, 200.0));
}

#[test]
fn a_read_through_cache_passes_its_misses_and_a_write_through_cache_its_writes() {
    // read_through, 1k/s reads, 80% hits by default: 1k/s × 20% = 200/s reads to the db.
    // write_through, 1k/s reads at 90% hits + 100/s writes: 100/s reads + 100/s writes.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ncache rt { strategy: read_through }\ndatabase db\n\
         u -> api\napi -> rt { ops: read }\nrt -> db\n\
         client v { rate: 1.1k/s }\nservice api2\ncache wt { strategy: write_through, hit_ratio: 90% }\n\
         database db2\nv -> api2\napi2 -> wt { ops: read, rate: 1k/s }\napi2 -> wt { ops: write, rate: 100/s }\nwt -> db2",
    );
    let db = &e.components[id(&c, "db")];
    close(db.reads(), 200.0);
    assert_eq!(db.writes(), 0.0);
    let db2 = &e.components[id(&c, "db2")];
    close(db2.reads(), 100.0);
    close(db2.writes(), 100.0);
}

#[test]
fn a_look_aside_cache_leaves_the_store_only_its_misses() {
    // `api` reads `hot` (caches: db) at 1k/s and reads db on a miss: 1k/s × 20% = 200/s.
    // A stated ratio on the store link wins.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ncache hot { caches: db }\ndatabase db\nu -> api\n\
         api -> hot { ops: read }\napi -> db { ops: read }\n\
         client v { rate: 1k/s }\nservice api2\ncache hot2 { caches: db2 }\ndatabase db2\nv -> api2\n\
         api2 -> hot2 { ops: read }\napi2 -> db2 { ops: read, ratio: 5% }",
    );
    close(peak(&c, &e, "db"), 200.0);
    close(peak(&c, &e, "db2"), 50.0);
}

#[test]
fn consumer_groups_of_a_log_each_get_everything_and_of_a_broker_share() {
    // Kafka (fanout): 3.5k/s into the topic, each of two groups 3.5k/s.
    // RabbitMQ (compete): 3.5k/s split by two groups, 1.75k/s each.
    // `consumers:` overrides the engine either way.
    let text = |engine: &str, consumers: &str| {
        format!(
            "client u {{ rate: 3.5k/s }}\nservice api\nqueue q {{ engine: {engine}{consumers} }}\n\
             worker a\nworker b\nu -> api -> q\nq -> a\nq -> b"
        )
    };
    for (engine, consumers, each) in [
        ("kafka", "", 3500.0),
        ("rabbitmq", "", 1750.0),
        ("kafka", ", consumers: compete", 1750.0),
        ("sqs", ", consumers: fanout", 3500.0),
    ] {
        let (c, e) = estimates(&text(engine, consumers));
        assert_eq!(
            (peak(&c, &e, "a"), peak(&c, &e, "b")),
            (each, each),
            "{engine}{consumers}"
        );
    }
    // A queue without an engine is a broker.
    let (c, e) =
        estimates("client u { rate: 1k/s }\nqueue q\nworker a\nworker b\nu -> q\nq -> a\nq -> b");
    assert_eq!(peak(&c, &e, "a"), 500.0);
}

#[test]
fn a_coordinator_forwards_nothing() {
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ncoordinator zk { replicas: 3 }\nservice watcher\n\
         u -> api -> zk\nzk -> watcher",
    );
    assert_eq!(peak(&c, &e, "zk"), 1000.0);
    assert!(e.components[id(&c, "watcher")].inbound.is_none());
}

#[test]
fn read_write_links_split_by_writes_else_half() {
    // 1k/s read_write: 50% writes by default → 500/s each; `writes: 10%` → 100/s writes.
    // Into a queue, publishing is all writes.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ndatabase a\ndatabase b\nqueue q\nu -> api\n\
         api -> a\napi -> b { writes: 10% }\napi -> q",
    );
    let a = &e.components[id(&c, "a")];
    assert_eq!((a.reads(), a.writes()), (500.0, 500.0));
    let b = &e.components[id(&c, "b")];
    close(b.writes(), 100.0);
    close(b.reads(), 900.0);
    assert_eq!(e.components[id(&c, "q")].writes(), 1000.0);
    assert!(
        e.assumptions
            .iter()
            .any(|a| a.text.contains("50% writes") && a.elements == ["api->a"]),
        "{:?}",
        e.assumptions
    );
}

#[test]
fn payload_is_ingress_at_the_target_and_response_is_egress_for_reads() {
    // 1k/s reads of 200 B requests with 1 MB answers: 200 KB/s in at the store,
    // 1 GB/s back out. A cdn answers every request: 10k/s × 500 KB = 5 GB/s out.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\nblob b\nu -> api\n\
         api -> b { ops: read, payload: 200B, response: 1MB }\n\
         client v { rate: 10k/s }\ncdn edge\nv -> edge { response: 500KB }",
    );
    let b = &e.components[id(&c, "b")];
    close(b.ingress, 200_000.0);
    close(b.egress, 1e9);
    close(e.components[id(&c, "edge")].egress, 5e9);
}

#[test]
fn concurrent_users_hold_connections_through_balancers_and_streams_send_their_bitrate() {
    // 1M connected users hold a websocket each through `front` (a balancer), which
    // spreads them evenly over two socket tiers: 500k each, against 8 × 50k = 400k.
    // 20% of them watch a 4 Mbps stream from the cdn: 200k × 4e6 / 8 = 100 GB/s out.
    let (c, e) = estimates(
        "client u { concurrent: 1M }\nlb front\ngateway a { replicas: 8, connections: 50k }\n\
         gateway b { replicas: 8, connections: 50k }\ncdn video\n\
         u -> front { protocol: websocket }\nfront -> a\nfront -> b\n\
         u -> video { bitrate: 4Mbps, ratio: 20% }",
    );
    let held = |name| {
        e.components[id(&c, name)]
            .connections
            .as_ref()
            .map(|f| f.value)
    };
    assert_eq!(held("front"), Some(1e6));
    assert_eq!(held("a"), Some(5e5));
    assert_eq!(held("b"), Some(5e5));
    assert_eq!(
        held("video"),
        None,
        "a plain request link holds no connection"
    );
    let a = &e.components[id(&c, "a")];
    close(a.connection_capacity.as_ref().unwrap().value, 4e5);
    close(a.connection_utilization().unwrap(), 1.25);
    close(e.components[id(&c, "video")].egress, 1e11);
}

#[test]
fn needs_sharding_reads_storage_per_copy() {
    // 500/s average writes × 1 KB × 365 d = 15.8 TB per copy, whatever the copies: the
    // total with 3 copies is 47.3 TB, one copy still 15.8 TB.
    let (c, e) = estimates(
        "client u { rate: 1k/s, peak: 2x }\nservice api\ndatabase db { record_size: 1KB, retention: 365d, replicas: 3 }\n\
         u -> api -> db { ops: write }",
    );
    let db = &e.components[id(&c, "db")];
    let per_copy = db.storage.as_ref().unwrap().value / db.copies as f64;
    close(per_copy, 500.0 * 1000.0 * 365.0 * 86_400.0);
    assert_eq!(human_size(per_copy), "15.8 TB");
    assert_eq!(db.copies, 3);
}

// ---- v2: availability by series and parallel ---------------------------------------

fn availability(text: &str) -> (crate::Compilation, Estimates, f64) {
    let (c, e) = estimates(text);
    let a = e.paths[0].availability;
    (c, e, a)
}

#[test]
fn two_alternatives_at_99_9_give_99_9999() {
    // 1 − (1 − 0.999)² = 1 − 0.000001 = 0.999999.
    let (_, _, a) = availability(
        "client u\nlb lb { availability: 100% }\nservice a\nservice b\nu -> lb\nlb -> a\nlb -> b",
    );
    close(a, 0.999_999);
    assert_eq!(percent(a), "99.9999%");
}

#[test]
fn two_in_series_at_99_9_give_99_8001() {
    // 0.999 × 0.999 = 0.998001.
    let (_, _, a) = availability("client u\nservice a\nservice b\nu -> a -> b");
    close(a, 0.998_001);
    assert_eq!(percent(a), "99.8001%");
}

#[test]
fn a_gateway_weights_its_routes_by_share() {
    // a(gw) 100%; 75% of requests to `a` (99%), 25% to `b` (99.9%):
    // 0.75 × 0.99 + 0.25 × 0.999 = 0.99225.
    let (_, _, a) = availability(
        "client u { rate: 1k/s }\ngateway gw { availability: 100% }\nservice a { availability: 99% }\n\
         service b\nu -> gw\ngw -> a { ratio: 75% }\ngw -> b",
    );
    close(a, 0.75 * 0.99 + 0.25 * 0.999);
}

#[test]
fn a_cdn_serves_its_hits_when_the_origin_is_down() {
    // a(cdn) 100%, 90% hits, origin 99%: 0.9 + 0.1 × 0.99 = 0.999.
    let (_, _, a) = availability(
        "client u\ncdn edge { availability: 100% }\nblob origin { availability: 99% }\nu -> edge -> origin",
    );
    close(a, 0.9 + 0.1 * 0.99);
}

#[test]
fn a_caller_weights_a_dependency_by_the_share_that_uses_it() {
    // api (100%) calls `rare` (90%) on 10% of its requests: 1 − 0.1 × (1 − 0.9) = 0.99.
    let (_, _, a) = availability(
        "client u { rate: 1k/s }\nservice api { availability: 100% }\nservice rare { availability: 90% }\n\
         u -> api\napi -> rare { ratio: 10% }",
    );
    close(a, 0.99);
}

#[test]
fn async_and_plane_links_do_not_count() {
    // The queue accepts the request; the consumer, the replica and the coordinator (50%
    // each) do not touch it: only `api` (99.9%) and `q` (100%) do.
    let (_, _, a) = availability(
        "client u\nservice api\nqueue q { availability: 100% }\nworker w { availability: 50% }\n\
         database db { availability: 100% }\ndatabase copy { availability: 50% }\n\
         coordinator zk { availability: 50% }\nu -> api\napi -> q\nq -> w\napi -> db\n\
         db -> copy { ops: replicate }\ndb -> zk { ops: control }",
    );
    close(a, 0.999);
}

#[test]
fn a_sync_replica_counts_for_the_writes_through_its_source() {
    // Half the requests write (read_write, 50%); a sync replica at 90% fails 10% of
    // them: 1 − 0.5 × (1 − 0.9) = 0.95.
    let (_, _, a) = availability(
        "client u { rate: 1k/s }\nservice api { availability: 100% }\ndatabase db { availability: 100% }\n\
         database copy { availability: 90% }\nu -> api -> db\ndb -> copy { ops: replicate, mode: sync }",
    );
    close(a, 0.95);
}

#[test]
fn the_weakest_component_is_the_one_whose_downtime_costs_most() {
    // dns (99.99%) → api (99.9%) → db (99.5%), in series: each one's downtime fails that
    // share of the requests, and db's 0.5% is the most.
    let (c, e, _) = availability(
        "client u\ndns d { availability: 99.99% }\nservice api\n\
         database db { availability: 99.5% }\nu -> d -> api -> db",
    );
    let (weakest, cost) = e.paths[0].weakest.unwrap();
    assert_eq!(c.model.component(weakest).id, "db");
    assert!((cost - 0.005).abs() < 1e-4, "{cost}");
    let route: Vec<&str> = e.paths[0]
        .availability_path
        .iter()
        .map(|i| c.model.component(*i).id.as_str())
        .collect();
    assert_eq!(route, ["u", "d", "api", "db"]);
}

#[test]
fn latency_takes_the_slowest_alternative_and_a_cdn_s_miss_path() {
    // cdn 10ms → lb (1ms, the default for a balancer) → a (20ms) | b (50ms):
    // 10 + 1 + 50 = 61ms at the median through the slower alternative.
    let (c, e) = estimates(
        "client u\ncdn edge { latency: 10ms }\nlb lb\nservice a { latency: 20ms }\nservice b { latency: 50ms }\n\
         u -> edge -> lb\nlb -> a\nlb -> b",
    );
    close(e.paths[0].latency, 0.061);
    let names: Vec<&str> = e.paths[0]
        .latency_path
        .iter()
        .map(|i| c.model.component(*i).id.as_str())
        .collect();
    assert_eq!(names, ["u", "edge", "lb", "b"]);
}

#[test]
fn a_figure_below_its_target_never_reads_as_equal_to_it() {
    assert_eq!(percent(0.999_499_99), "99.95%");
    assert_eq!(percent_against(0.999_499_99, 0.9995), "99.949999%");
    assert_eq!(percent_against(0.9996, 0.9995), "99.96%");
    assert_eq!(percent_against(0.998_001, 0.9995), "99.8001%");
}

#[test]
fn rounding_up_to_the_next_unit_shows_that_unit() {
    assert_eq!(human_rate(999.9999), "1k/s");
    assert_eq!(human_rate(999.4), "999/s");
    assert_eq!(human_size(999_999.0), "1 MB");
}

#[test]
fn alternatives_that_share_a_store_do_not_mask_its_downtime() {
    // Two zones (99.9% each) behind one lb (100%), both writing one db (99.9%): the zones
    // are alternatives, the db is not: (1 − (1 − 0.999)²) × 0.999 = 0.998999001.
    // Combined as independent, it would read 1 − (1 − 0.999 × 0.999)² = 99.9996%.
    let (c, e, a) = availability(
        "client u { rate: 1k/s }\nlb lb { availability: 100% }\nservice a\nservice b\ndatabase db\n\
         u -> lb\nlb -> a\nlb -> b\na -> db\nb -> db",
    );
    close(a, (1.0 - 0.001f64.powi(2)) * 0.999);
    let (weakest, cost) = e.paths[0].weakest.unwrap();
    assert_eq!(c.model.component(weakest).id, "db");
    assert!((cost - 0.001).abs() < 1e-5, "{cost}");
    let formula = e.components[id(&c, "lb")]
        .availability_terms
        .formula(&c.model);
    assert!(formula.contains("× 99.9% for the shared `db`"), "{formula}");
}

#[test]
fn a_shared_chain_counts_once_and_own_parts_stay_alternatives() {
    // lb → a (99%) | b (99%), each → cache of its own (99%), both → api (99.9%) → db
    // (99.5%): own parts 0.99 × 0.99 = 0.9801 each, in parallel 1 − 0.0199² = 0.99960399;
    // the shared api and db 0.999 × 0.995.
    let (_, _, a) = availability(
        "client u { rate: 1k/s }\nlb lb { availability: 100% }\nservice a { availability: 99% }\n\
         service b { availability: 99% }\ncache ca { availability: 99% }\ncache cb { availability: 99% }\n\
         service api\ndatabase db { availability: 99.5% }\nu -> lb\nlb -> a\nlb -> b\na -> ca\nb -> cb\n\
         a -> api\nb -> api\napi -> db",
    );
    close(a, (1.0 - (1.0 - 0.99f64 * 0.99).powi(2)) * 0.999 * 0.995);
}

#[test]
fn the_assumed_defaults_are_the_figures_the_estimate_uses() {
    // The assumption texts are written out (formatting them per component was a cost
    // on large designs); they must say the constants.
    assert_eq!(
        (CDN_HIT_RATIO, CACHE_HIT_RATIO, READ_WRITE_WRITES),
        (0.9, 0.8, 0.5)
    );
}

// ---- v2: flows ---------------------------------------------------------------------

const TWO_CLIENTS: &str = "client users { rate: 10k/s }\nclient uploaders { rate: 1k/s }\n\
     gateway gw { availability: 100% }\nservice reads_api { latency: 20ms, availability: 99.9% }\n\
     service uploads_api { latency: 50ms, availability: 99% }\ndatabase db { latency: 5ms, availability: 99.99% }\n\
     users -> gw\nuploaders -> gw\ngw -> reads_api\ngw -> uploads_api\n\
     reads_api -> db { ops: read }\nuploads_api -> db { ops: write }\n";

fn flow_of<'e>(c: &crate::Compilation, e: &'e Estimates, name: &str) -> &'e FlowEstimate {
    let index = c.model.flows.iter().position(|f| f.id == name).unwrap();
    &e.flows[index]
}

#[test]
fn flows_route_two_clients_through_one_gateway() {
    // Without flows the gateway splits its 11k/s: 5.5k/s to each service. With them,
    // each service gets its own client's requests only.
    let (c, e) = estimates(&format!(
        "{TWO_CLIENTS}flow browse {{ users -> gw -> reads_api -> db }}\nflow upload {{ uploaders -> gw -> uploads_api -> db {{ ops: write }} }}\n"
    ));
    assert_eq!(peak(&c, &e, "reads_api"), 10_000.0);
    assert_eq!(peak(&c, &e, "uploads_api"), 1_000.0);
    let db = &e.components[id(&c, "db")];
    assert_eq!((db.reads(), db.writes()), (10_000.0, 1_000.0));
    let (c2, e2) = estimates(TWO_CLIENTS);
    assert_eq!(peak(&c2, &e2, "reads_api"), 5_500.0);
}

#[test]
fn a_flow_s_latency_is_the_sum_and_its_availability_the_series_along_its_steps() {
    // browse: gw 1ms (the default) + 20ms + 5ms = 26ms at the median;
    // 1 × 0.999 × 0.9999 = 0.9989001 (gw at 100%).
    // upload: 1ms + 50ms + 5ms = 56ms; 0.99 × 0.9999 = 0.989901.
    let (c, e) = estimates(&format!(
        "{TWO_CLIENTS}flow browse {{ users -> gw -> reads_api -> db }}\nflow upload {{ uploaders -> gw -> uploads_api -> db {{ ops: write }} }}\n"
    ));
    let browse = flow_of(&c, &e, "browse");
    close(browse.latency, 0.026);
    close(browse.availability, 0.999 * 0.9999);
    let upload = flow_of(&c, &e, "upload");
    close(upload.latency, 0.056);
    close(upload.availability, 0.99 * 0.9999);
    assert_eq!(
        c.model.component(upload.weakest.unwrap().0).id,
        "uploads_api"
    );
    // Clients with flows are reported per flow, not by a worst path.
    assert!(e.paths.is_empty());
}

#[test]
fn a_step_few_requests_take_adds_to_the_tail_not_the_median() {
    // api 10ms / 20ms; the pager 100ms / 1s on 10% of requests: the median request does
    // not call it (p50 10ms), the p99 does (1.02s). On 0.5% even the p99 is without it.
    let design = |ratio: &str| {
        format!(
            "client u {{ rate: 100/s }}\nservice api {{ latency: 10ms, latency_p99: 20ms }}\nexternal pager {{ latency: 100ms, latency_p99: 1s }}\nu -> api\napi -> pager {{ timeout: 2s }}\nflow f {{ u -> api\n api -> pager {{ ratio: {ratio} }} }}\n"
        )
    };
    let (c, e) = estimates(&design("10%"));
    let f = flow_of(&c, &e, "f");
    close(f.latency, 0.010);
    close(f.latency_p99, 1.020);
    let (c, e) = estimates(&design("0.5%"));
    let f = flow_of(&c, &e, "f");
    close(f.latency_p99, 0.020);
    // Half or more: the median request takes it.
    let (c, e) = estimates(&design("50%"));
    close(flow_of(&c, &e, "f").latency, 0.110);
}

#[test]
fn shares_rates_and_what_the_flows_leave() {
    // 10k/s: `a` 30% = 3k/s, `b` rate 2k/s, `c` takes the 5k/s left.
    let (c, e) = estimates(
        "client u { rate: 10k/s }\nservice x\nservice y\nservice z\nu -> x\nu -> y\nu -> z\n\
         flow a { share: 30%, u -> x }\nflow b { rate: 2k/s, u -> y }\nflow c { u -> z }\n",
    );
    let rates: Vec<f64> = e.flows.iter().map(|f| f.rate.unwrap().peak).collect();
    assert_eq!(rates, [3000.0, 2000.0, 5000.0]);
    assert_eq!(
        (peak(&c, &e, "x"), peak(&c, &e, "y"), peak(&c, &e, "z")),
        (3000.0, 2000.0, 5000.0)
    );
    // What flows leave follows the default propagation: 10k − 6k = 4k/s on every link.
    let (c, e) = estimates(
        "client u { rate: 10k/s }\nservice x\nservice y\nu -> x\nu -> y\nflow a { share: 60%, u -> x }\n",
    );
    assert_eq!((peak(&c, &e, "x"), peak(&c, &e, "y")), (10_000.0, 4_000.0));
}

#[test]
fn a_step_to_one_alternative_stands_for_the_set() {
    // lb → a | b, written as `lb -> a -> db`: 1k/s split 500/s each, both continue to db.
    // Availability counts the pair: 1 − (1 − 0.99)² = 0.9999, then db 0.999.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nlb lb { availability: 100% }\nservice a { availability: 99% }\n\
         service b { availability: 99% }\ndatabase db\nu -> lb\nlb -> a\nlb -> b\na -> db\nb -> db\n\
         flow f { u -> lb -> a -> db }\n",
    );
    assert_eq!((peak(&c, &e, "a"), peak(&c, &e, "b")), (500.0, 500.0));
    assert_eq!(peak(&c, &e, "db"), 1000.0);
    close(
        flow_of(&c, &e, "f").availability,
        (1.0 - 0.01f64.powi(2)) * 0.999,
    );
}

#[test]
fn step_ratios_multiply_and_async_continuations_follow_the_consumers() {
    // api reads the cache on every request and the db on 10% of them: 100/s; the
    // 1k/s published to a Kafka topic reach both consumer groups.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api\ncache hot\ndatabase db\nqueue q { engine: kafka }\nworker w1\nworker w2\n\
         u -> api\napi -> hot { ops: read }\napi -> db { ops: read }\napi -> q\nq -> w1\nq -> w2\n\
         flow f { u -> api -> hot\n api -> db { ratio: 10% }\n api -> q -> w1 }\n",
    );
    close(peak(&c, &e, "db"), 100.0);
    assert_eq!((peak(&c, &e, "w1"), peak(&c, &e, "w2")), (1000.0, 1000.0));
}

#[test]
fn a_rate_written_on_a_flow_s_link_is_not_counted_twice() {
    // A cron worker's flow of 772/s over a link that says `rate: 772/s`: 772/s, once.
    let (c, e) = estimates(
        "worker scheduler { mode: cron }\nqueue frontier\nworker fetchers\nscheduler -> frontier { rate: 772/s }\n\
         frontier -> fetchers\nflow crawl { rate: 772/s, scheduler -> frontier -> fetchers }\n",
    );
    assert_eq!(peak(&c, &e, "frontier"), 772.0);
    assert_eq!(peak(&c, &e, "fetchers"), 772.0);
}

#[test]
fn a_dependency_with_a_fallback_costs_no_availability() {
    // api (100%) calls maps (90%) with a fallback: requests succeed without it.
    let (_, _, a) = availability(
        "client u { rate: 1/s }\nservice api { availability: 100% }\nexternal maps { availability: 90% }\n\
         u -> api -> maps { fallback: true }",
    );
    close(a, 1.0);
}

// ---- v3: the data tier (docs/estimates.md, "Stores") --------------------------------

/// `api` sends `rate` to store `d` with `ops`; `d` is written out in full.
fn one_store(rate: &str, ops: &str, store: &str) -> (crate::Compilation, Estimates) {
    estimates(&format!(
        "client u {{ rate: {rate} }}\nservice api {{ replicas: 2 }}\ndatabase d {{ {store} }}\nu -> api\napi -> d {{ {ops} }}"
    ))
}

fn store_of<'e>(c: &crate::Compilation, e: &'e Estimates) -> &'e ComponentEstimate {
    &e.components[id(c, "d")]
}

#[test]
fn replicas_add_read_capacity_never_write_capacity() {
    // Postgres: 20k/s reads, 5k/s writes per node. 2 shards of a leader and 2 followers,
    // reads from the leader: reads 2 × 1 × 20k = 40k/s; writes 2 × 5k = 10k/s, however
    // many copies apply them.
    let leader = "engine: postgres, shards: 2, partitioning: hash(key: id), replication: leader_follower(followers: 2)";
    let (c, e) = one_store("24k/s", "ops: read_write, writes: 50%", leader);
    let d = store_of(&c, &e);
    assert_eq!(d.read_capacity().unwrap(), 40_000.0);
    assert_eq!(d.write_capacity().unwrap(), 10_000.0);
    // 12k/s reads ÷ 40k/s + 12k/s writes ÷ 10k/s = 0.3 + 1.2: over capacity on writes.
    assert!((d.read_utilization.unwrap() - 0.3).abs() < 1e-12);
    assert!((d.write_utilization.unwrap() - 1.2).abs() < 1e-12);
    assert!((d.utilization.unwrap() - 1.5).abs() < 1e-12);
    // Reading from the followers serves reads from all three copies of each shard.
    let followers = format!("{leader}, read_from: followers");
    let (c, e) = one_store("24k/s", "ops: read_write, writes: 50%", &followers);
    assert_eq!(store_of(&c, &e).read_capacity().unwrap(), 120_000.0);
}

#[test]
fn a_quorum_read_needs_r_copies_of_n() {
    // Cassandra 10k/s per node; leaderless(n: 3, r: 2): 3 copies ÷ 2 per read = 15k/s.
    let (c, e) = one_store(
        "1k/s",
        "ops: read",
        "engine: cassandra, replication: leaderless(n: 3, w: 2, r: 2)",
    );
    assert_eq!(store_of(&c, &e).read_capacity().unwrap(), 15_000.0);
}

#[test]
fn availability_follows_the_replication_protocol() {
    let write = |replication: &str| {
        let (c, e) = one_store(
            "100/s",
            "ops: write",
            &format!("availability: 99.9%, {replication}"),
        );
        let d = store_of(&c, &e);
        (d.write_availability(), d.read_availability())
    };
    // Manual failover: each failure costs 30 min of writes out of an hour's repair.
    let (w, r) = write("replication: leader_follower(followers: 2, failover: manual)");
    assert!((w - (1.0 - 0.001 * 0.5)).abs() < 1e-12);
    assert_eq!(r, w, "reads from the leader fail with it");
    // Automatic in 30 s with a 1 h repair: 1 − 0.001 × 30/3600.
    let (w, _) = write("replication: leader_follower(followers: 2, failover: automatic)");
    assert!((w - (1.0 - 0.001 / 120.0)).abs() < 1e-12);
    // A failover slower than the repair costs the whole outage.
    let (w, _) =
        write("replication: leader_follower(failover: automatic), failover_time: 2h, mttr: 1h");
    assert!((w - 0.999).abs() < 1e-12);
    // Consensus of 3: a majority up, 3a² − 2a³.
    let a: f64 = 0.999;
    let (w, _) = write("replication: consensus(n: 3)");
    assert!((w - (3.0 * a * a - 2.0 * a.powi(3))).abs() < 1e-12);
    // A quorum that needs all 5 copies: a⁵, not 100%; reads of any one: 1 − (1 − a)⁵.
    let (w, r) = write("replication: leaderless(n: 5, w: 5, r: 1)");
    assert!((w - a.powi(5)).abs() < 1e-12);
    assert!((r - (1.0 - 0.001f64.powi(5))).abs() < 1e-15);
    // Two leaders take writes independently.
    let (w, _) = write("replication: multi_leader(leaders: 2)");
    assert!((w - (1.0 - 0.001f64.powi(2))).abs() < 1e-15);
}

#[test]
fn sloppy_quorums_take_writes_on_any_w_nodes_of_the_store() {
    // leaderless(n: 3, w: 3) on 4 shards: strict needs the key's 3; sloppy any 3 of 12.
    let written = |sloppy: &str| {
        let (c, e) = one_store(
            "100/s",
            "ops: write",
            &format!(
                "availability: 99%, shards: 4, partitioning: hash(key: id), replication: leaderless(n: 3, w: 3, r: 1{sloppy})"
            ),
        );
        store_of(&c, &e).write_availability()
    };
    assert!((written("") - 0.99f64.powi(3)).abs() < 1e-12);
    assert!((written(", sloppy: true") - store::at_least(3, 12, 0.99)).abs() < 1e-12);
    assert!(written(", sloppy: true") > 0.999_999);
}

#[test]
fn shards_do_not_multiply_availability() {
    let write = |shards: u32| {
        let (c, e) = one_store(
            "100/s",
            "ops: write",
            &format!(
                "availability: 99.9%, shards: {shards}, partitioning: hash(key: id), replication: consensus(n: 3)"
            ),
        );
        store_of(&c, &e).write_availability()
    };
    assert_eq!(write(1), write(16));
}

#[test]
fn a_link_takes_the_read_or_write_figure_of_its_store() {
    // Manual failover: writes 99.95%, reads from followers 1 − 0.001³.
    let (c, e) = estimates(
        "client u { rate: 100/s }\nservice api { replicas: 2 }\ndatabase d { availability: 99.9%, replication: leader_follower(followers: 2, failover: manual), read_from: followers }\nu -> api\napi -> d { ops: read }",
    );
    let api = &e.components[id(&c, "api")];
    let own = api.availability.value;
    assert!((api.expected_availability - own * (1.0 - 0.001f64.powi(3))).abs() < 1e-12);
    let (c, e) = estimates(
        "client u { rate: 100/s }\nservice api { replicas: 2 }\ndatabase d { availability: 99.9%, replication: leader_follower(followers: 2, failover: manual), read_from: followers }\nu -> api\napi -> d { ops: write }",
    );
    let api = &e.components[id(&c, "api")];
    assert!((api.expected_availability - own * 0.9995).abs() < 1e-12);
}

#[test]
fn an_automatic_async_failover_loses_the_lag_s_writes() {
    // 2k/s writes × 2 s of lag.
    let (c, e) = one_store(
        "2k/s",
        "ops: write",
        "replication: leader_follower(mode: async, failover: automatic), lag: 2s",
    );
    let lost = store_of(&c, &e).lost_writes.clone().unwrap();
    assert_eq!(lost.value, 4_000.0);
    assert_eq!(lost.formula, "2k/s writes × 2s replication lag");
    // Sharded, one failover promotes one shard's follower: its share of the writes.
    let (c, e) = one_store(
        "2k/s",
        "ops: write",
        "replication: leader_follower(mode: async, failover: automatic), lag: 2s, shards: 4, partitioning: hash(key: id)",
    );
    let lost = store_of(&c, &e).lost_writes.clone().unwrap();
    assert_eq!(lost.value, 1_000.0);
    assert_eq!(lost.formula, "2k/s writes ÷ 4 shards × 2s replication lag");
    for safe in [
        "replication: leader_follower(mode: semi_sync, failover: automatic)",
        "replication: leader_follower(mode: async, failover: manual)",
        "replication: consensus(n: 3)",
    ] {
        let (c, e) = one_store("2k/s", "ops: write", safe);
        assert!(store_of(&c, &e).lost_writes.is_none(), "{safe}");
    }
}

#[test]
fn a_restore_takes_one_shard_s_copy_over_the_restore_rate() {
    // 1k/s average × 1 KB × 10 d = 864 GB per copy; 4 shards restore 216 GB each in
    // parallel at 100 MB/s: 2,160 s. At 400 MB/s (3.2 Gbit/s): 540 s.
    let store = |rate: &str| {
        format!(
            "record_size: 1KB, retention: 10d, replication: 3, shards: 4, partitioning: hash(key: id), backup: true{rate}"
        )
    };
    let (c, e) = one_store("2k/s", "ops: write", &store(""));
    assert!((store_of(&c, &e).restore_time.as_ref().unwrap().value - 2_160.0).abs() < 1e-6);
    let (c, e) = one_store("2k/s", "ops: write", &store(", restore_rate: 400MB/s"));
    assert!((store_of(&c, &e).restore_time.as_ref().unwrap().value - 540.0).abs() < 1e-6);
}

#[test]
fn the_hottest_partition_takes_the_hot_share_plus_its_even_share() {
    // Self-run: 4 shards of Postgres (20k/s reads from the leader); 10% of 40k/s reads on
    // one key: 4k + 36k ÷ 4 = 13k/s against 20k/s.
    let (c, e) = one_store(
        "40k/s",
        "ops: read, hot_key: 10%",
        "engine: postgres, shards: 4, partitioning: hash(key: id)",
    );
    let hot = store_of(&c, &e).hot_partition.clone().unwrap();
    assert_eq!(hot.reads, 13_000.0);
    assert_eq!(hot.read_capacity, Some(20_000.0));
    assert!((hot.utilization.unwrap() - 0.65).abs() < 1e-12);
    // Managed: DynamoDB's partitions take 1k writes/s each; the hot half of 3k/s is 1.5k/s.
    let (c, e) = one_store("3k/s", "ops: write", "engine: dynamodb, hot_key: 50%");
    let hot = store_of(&c, &e).hot_partition.clone().unwrap();
    assert_eq!((hot.writes, hot.write_capacity), (1_500.0, Some(1_000.0)));
    assert!((hot.utilization.unwrap() - 1.5).abs() < 1e-12);
    // One shard holds every key: its load is the store's (capacity covers it).
    let (c, e) = one_store("40k/s", "ops: read, hot_key: 10%", "engine: postgres");
    assert!(store_of(&c, &e).hot_partition.is_none());
    // Unstated, keys spread evenly: no hottest partition to report.
    let (c, e) = one_store("3k/s", "ops: write", "engine: dynamodb");
    assert!(store_of(&c, &e).hot_partition.is_none());
}

#[test]
fn a_provisioned_stream_is_limited_by_its_shards() {
    // 50k/s into two Kinesis shards of 1k records/s each: 2k/s, 25 times over.
    let (c, e) = estimates(
        "client u { rate: 50k/s }\nservice api { replicas: 4 }\nqueue s { engine: kinesis, partitions: 2 }\nu -> api -> s",
    );
    let s = &e.components[id(&c, "s")];
    assert_eq!(s.write_capacity().unwrap(), 2_000.0);
    assert!((s.utilization.unwrap() - 25.0).abs() < 1e-12);
    // Records of 5 KB: a shard's 1 MB/s holds 200 of them a second, below its 1,000.
    let (c, e) = estimates(
        "client u { rate: 300/s }\nservice api { replicas: 4 }\nqueue s { engine: kinesis, partitions: 2 }\nu -> api\napi -> s { payload: 5KB }",
    );
    let s = &e.components[id(&c, "s")];
    assert_eq!(s.write_capacity().unwrap(), 400.0);
    assert!((s.utilization.unwrap() - 0.75).abs() < 1e-12);
    // An SQS queue is not provisioned by partitions: 5k/s is no overload (its FIFO
    // message group's 300/s limits one key, see hot keys).
    let (c, e) = estimates(
        "client u { rate: 5k/s }\nservice api { replicas: 4 }\nqueue s { engine: sqs }\nu -> api -> s",
    );
    assert!(e.components[id(&c, "s")].utilization.is_none());
    // Unless the design states its capacity, as for any managed component.
    let (c, e) = estimates(
        "client u { rate: 5k/s }\nservice api { replicas: 4 }\nqueue s { engine: sqs, capacity: 2.5k/s }\nu -> api -> s",
    );
    assert_eq!(e.components[id(&c, "s")].utilization, Some(2.0));
}

#[test]
fn an_unstated_latency_is_a_default_pair_never_zero() {
    let (c, e) = estimates("client u { rate: 10/s }\nservice api\nexternal pay\nu -> api -> pay");
    let pair = |n: &str| {
        let x = &e.components[id(&c, n)];
        (x.latency.unwrap(), x.latency_p99.unwrap())
    };
    assert_eq!(pair("api"), (0.001, 0.005));
    assert_eq!(pair("pay"), (0.1, 1.0));
    let path = &e.paths[0];
    assert!((path.latency - 0.101).abs() < 1e-12);
    assert!((path.latency_p99 - 1.005).abs() < 1e-12);
    assert!(
        e.assumptions
            .iter()
            .any(|a| a.text.contains("without `latency`") && a.elements == ["api", "pay"])
    );
}

#[test]
fn a_fan_out_waits_for_the_slowest_call() {
    // api calls d 10 times per request (ratio 10): the p99 is d's q(0.99^(1/10)).
    let (_, e) = estimates(
        "client u { rate: 10/s }\nservice api { latency: 1ms, latency_p99: 1ms }\ndatabase d { latency: 5ms, latency_p99: 50ms }\nu -> api\napi -> d { ops: read, ratio: 1000% }",
    );
    let one = latency::Latency {
        p50: 0.005,
        p99: 0.05,
    };
    let expected = 0.001 + one.quantile(0.99f64.powf(0.1));
    assert!((e.paths[0].latency_p99 - expected).abs() < 1e-12);
    assert!(e.paths[0].latency_p99 > 0.051 + 0.02);
}

#[test]
fn a_link_between_regions_pays_the_round_trip() {
    let text = |rtt: &str| {
        format!(
            "client u {{ rate: 10/s }}\nregion east {{ service api {{ latency: 1ms, latency_p99: 1ms }} }}\nregion west {{ database d {{ latency: 1ms, latency_p99: 2ms }} }}\nu -> api\napi -> d {{ ops: read{rtt} }}"
        )
    };
    let (_, e) = estimates(&text(""));
    assert!((e.paths[0].latency_p99 - (0.001 + 0.07 + 0.002)).abs() < 1e-12);
    let (_, e) = estimates(&text(", rtt: 150ms"));
    assert!((e.paths[0].latency_p99 - (0.001 + 0.15 + 0.002)).abs() < 1e-12);
}

#[test]
fn a_scatter_read_reaches_every_shard() {
    let (c, e) = one_store(
        "1k/s",
        "ops: read, key: email",
        "shards: 8, partitioning: hash(key: user_id)",
    );
    assert_eq!(store_of(&c, &e).reads(), 8_000.0);
    // By its partition key: one shard.
    let (c, e) = one_store(
        "1k/s",
        "ops: read, key: user_id",
        "shards: 8, partitioning: hash(key: user_id)",
    );
    assert_eq!(store_of(&c, &e).reads(), 1_000.0);
}

#[test]
fn a_flow_step_carries_its_link_s_fan_out() {
    // A tweet is written to 75 timelines: the flow that names the link keeps the 75x.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice fanout { replicas: 2 }\ncache timelines { replicas: 2 }\nu -> fanout\nfanout -> timelines { ops: write, ratio: 7500% }\nflow post { u -> fanout -> timelines }",
    );
    assert_eq!(e.components[id(&c, "timelines")].writes(), 75_000.0);
}

#[test]
fn a_failed_look_aside_cache_sends_its_store_what_it_answered() {
    // 1k/s reads of the cache (80% hits); the store link states the 20% misses.
    let text = "client u { rate: 1k/s }\nservice api { replicas: 2 }\ncache hot { replicas: 2, caches: d, hit_ratio: 80% }\ndatabase d { replicas: 2 }\nu -> api\napi -> hot { ops: read }\napi -> d { ops: read, ratio: 20% }\nscenario lost { fail: [hot] }";
    let (c, e) = estimates(text);
    assert_eq!(e.components[id(&c, "d")].reads(), 200.0);
    let model = &c.model;
    let facts = Facts::new(model);
    let mut outage = Outage::none(model);
    outage.down[id(&c, "hot")] = true;
    let lost = Estimates::with_outage(model, &facts, outage);
    assert_eq!(lost.components[id(&c, "d")].reads(), 1_000.0);
}

#[test]
fn a_look_aside_cache_is_not_in_series() {
    // The cache's own availability does not count (a lost cache sends its reads to `d`);
    // `d`'s does only for the 20% misses, the hits being answered without it:
    // 1 − 0.2 × (1 − 0.99) = 0.998.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nservice api { availability: 100% }\ncache hot { availability: 90%, caches: d }\ndatabase d { availability: 99% }\nu -> api\napi -> hot { ops: read }\napi -> d { ops: read }",
    );
    assert!((e.components[id(&c, "api")].expected_availability - 0.998).abs() < 1e-12);
}

// ---- cost (docs/estimates.md, "Cost") ---------------------------------------------------

#[test]
fn self_run_nodes_cost_their_node_price_for_720_hours() {
    // Postgres lists $0.504/h for its reference node: 2 shards × 3 copies × $0.504 ×
    // 720 h = $2,177.28 a month.
    let (c, e) = one_store(
        "100/s",
        "ops: read",
        "engine: postgres, shards: 2, partitioning: hash(key: id), replication: leader_follower(followers: 2)",
    );
    let cost = store_of(&c, &e).cost.clone().unwrap();
    assert!(
        (cost.value - 2.0 * 3.0 * 0.504 * 720.0).abs() < 1e-9,
        "{cost:?}"
    );
    assert_eq!(cost.formula(), "6 nodes × $363/month");
    // A service without a price: hld's default replica, said under Assumptions.
    let api = e.components[id(&c, "api")].cost.clone().unwrap();
    assert!((api.value - 2.0 * cost::DEFAULT_REPLICA_MONTH).abs() < 1e-9);
    assert!(e.assumptions.iter().any(|a| a.text.contains("m6i.large")));
}

#[test]
fn a_stated_price_is_per_replica_hour_or_per_month_in_all() {
    let (c, e) = estimates(
        "client u { rate: 10/s }\nservice a { replicas: 3, price: $0.25/h }\nservice b { replicas: 3, price: $400/month }\nu -> a -> b",
    );
    let cost = |n: &str| e.components[id(&c, n)].cost.clone().unwrap().value;
    assert!((cost("a") - 3.0 * 0.25 * 720.0).abs() < 1e-9);
    assert!((cost("b") - 400.0).abs() < 1e-9);
    assert!((e.cost - (540.0 + 400.0)).abs() < 1e-9);
}

#[test]
fn a_managed_store_costs_its_requests_and_its_storage() {
    // DynamoDB on demand: $0.125 per million reads, $0.625 per million writes, $0.25 per
    // GB-month. 2k/s peak (1k/s average) read_write at 50%: 500/s reads and 500/s writes
    // on average, 1.296 billion of each a month; 1 KB × 500/s × 30 d = 1.296 TB stored.
    let (c, e) = one_store(
        "2k/s",
        "ops: read_write",
        "engine: dynamodb, record_size: 1KB, retention: 30d",
    );
    let month = 30.0 * 86_400.0;
    let expected = 500.0 * month / 1e6 * 0.125
        + 500.0 * month / 1e6 * 0.625
        + 500.0 * 1_000.0 * month / 1e9 * 0.25;
    let cost = store_of(&c, &e).cost.clone().unwrap();
    assert!(
        (cost.value - expected).abs() < 1e-6,
        "{} vs {expected}",
        cost.value
    );
}

#[test]
fn a_cdn_costs_the_bytes_it_serves() {
    // CloudFront: $0.085 per GB out and $1 per million requests. 1k/s peak (500/s
    // average) of 100 KB answers: 50 MB/s on average, 129.6 TB a month.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\ncdn edge { engine: cloudfront }\nblob files { engine: s3 }\nu -> edge { response: 100KB }\nedge -> files { ops: read }",
    );
    let month = 30.0 * 86_400.0;
    let egress = 500.0 * 100e3 * month / 1e9 * 0.085;
    let requests = 500.0 * month / 1e6 * 1.0;
    let cost = e.components[id(&c, "edge")].cost.clone().unwrap();
    assert!((cost.value - (egress + requests)).abs() < 1e-6, "{cost:?}");
    // The caller and a third party are not the design's bill.
    assert!(e.components[id(&c, "u")].cost.is_none());
}

#[test]
fn a_bucket_behind_its_cdn_bills_no_egress() {
    // S3 to CloudFront (and to the design's own services) is free on AWS: only bytes to
    // the internet are egress. The bucket answers the 10% the cdn misses, 100 KB each.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\ncdn edge { engine: cloudfront, hit_ratio: 90% }\nblob media { engine: s3 }\nservice api\nu -> edge { response: 100KB }\nedge -> media { ops: read, response: 100KB }\nu -> api { ratio: 1% }\napi -> media { ops: read, response: 100KB }",
    );
    let media = &e.components[id(&c, "media")];
    assert!(media.egress > 0.0);
    assert_eq!(media.internet_egress, 0.0);
    // A bucket clients read directly (presigned URLs) pays for every byte.
    let (c, e) = estimates(
        "client u { rate: 1k/s }\nblob media { engine: s3 }\nu -> media { ops: read, response: 100KB }",
    );
    let media = &e.components[id(&c, "media")];
    assert!((media.internet_egress - 1e3 * 100e3).abs() < 1e-6);
    assert!(
        media
            .cost
            .clone()
            .unwrap()
            .formula()
            .contains("out to the internet")
    );
}
