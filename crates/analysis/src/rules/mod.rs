//! The rule catalog of docs/rules.md: one file per rule, registered in [`ALL`].
//! To add a rule: write `rules/<name>.rs` with its `RULE` (the doc is the
//! documentation), its `examples/rules/<name>.{bad,good}.hld`, and list it here.

/// What every rule file uses (not every rule uses all of it).
#[allow(unused_imports)]
mod prelude {
    pub use crate::facts::{self, Redundancy};
    pub use crate::rule::{Category, Context, Element, Findings, Level, Rule};
    pub use hld_model::values::consistency::Value as Consistency;
    pub use hld_model::values::isolation::Value as Isolation;
    pub use hld_model::values::ops::Value as Ops;
    pub use hld_model::{
        Component, ComponentId, Kind, Link, LinkId, Model, Param, Value, attr, call, param, values,
    };
    pub use petgraph::Direction;
    pub use petgraph::visit::EdgeRef;

    /// The rule's bad and good example files, for `bad:` and `good:`.
    macro_rules! example {
        ($name:literal, $which:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/rules/",
                $name,
                ".",
                $which,
                ".hld"
            ))
        };
    }
    pub(crate) use example;
}

mod advice;
pub mod availability_below_target;
pub mod blob_in_database;
pub mod btree_write_heavy;
pub mod cache_as_source_of_truth;
pub mod cache_without_eviction;
pub mod consistency_mismatch;
pub mod consistent_hash_without_vnodes;
pub mod consumer_lag;
pub mod consumers_exceed_partitions;
pub mod cross_shard_transaction;
pub mod deep_sync_chain;
pub mod dual_write;
pub mod even_quorum;
pub mod exactly_once_side_effects;
pub mod failover_loses_writes;
pub mod grpc_behind_l4;
pub mod hot_key;
pub mod hot_partition_key;
pub mod isolation_mismatch;
pub mod last_write_wins_conflict;
pub mod latency_over_budget;
pub mod long_lived_connections_round_robin;
pub mod lost_update;
pub mod low_headroom;
pub mod manual_failover;
pub mod message_expires_before_recovery;
pub mod missing_cache;
pub mod missing_dlq;
pub mod missing_timeout;
pub mod modulo_sharding;
pub mod needs_sharding;
pub mod no_backup;
pub mod no_circuit_breaker;
pub mod no_deploy_strategy;
pub mod no_observability;
pub mod no_rate_limit;
pub mod non_idempotent_consumer;
pub mod ordering_across_partitions;
pub mod orphan_component;
pub mod over_budget;
pub mod over_capacity;
pub mod plaintext_public_traffic;
pub mod public_datastore;
pub mod push_without_persistent_connection;
pub mod query_index_mismatch;
pub mod quorum_overlap;
pub mod range_query_on_hash_partitioning;
pub mod read_your_writes_risk;
pub mod restore_exceeds_rto;
pub mod retry_amplification;
pub mod retry_exceeds_timeout;
pub mod retry_non_idempotent;
pub mod retry_without_backoff;
pub mod retry_without_jitter;
pub mod scatter_query;
pub mod scenario_breaks_critical_flow;
pub mod scenario_metastable;
pub mod scenario_over_capacity;
pub mod short_polling;
pub mod single_failure_breaks_critical_flow;
pub mod single_instance;
pub mod single_point_of_failure;
pub mod single_zone;
pub mod split_brain_risk;
pub mod stale_cdn_content;
pub mod static_content_without_cdn;
pub mod sync_cycle;
pub mod third_party_without_timeout;
pub mod thundering_herd;
pub mod timeout_exceeds_caller;
pub mod two_phase_commit;
pub mod unauthenticated_entry;
pub mod unauthenticated_webhook;
pub mod unbounded_partition;
pub mod unknown_engine;
pub mod unreachable_component;
pub mod unused_allow;
pub mod upload_through_service;
pub mod write_back_data_loss;

use super::rule::Rule;

/// Every rule, in the order of docs/rules.md.
pub static ALL: &[&Rule] = &[
    &single_point_of_failure::RULE,
    &single_instance::RULE,
    &single_zone::RULE,
    &sync_cycle::RULE,
    &even_quorum::RULE,
    &split_brain_risk::RULE,
    &manual_failover::RULE,
    &scenario_breaks_critical_flow::RULE,
    &scenario_metastable::RULE,
    &single_failure_breaks_critical_flow::RULE,
    &restore_exceeds_rto::RULE,
    &consistency_mismatch::RULE,
    &read_your_writes_risk::RULE,
    &quorum_overlap::RULE,
    &isolation_mismatch::RULE,
    &two_phase_commit::RULE,
    &cross_shard_transaction::RULE,
    &dual_write::RULE,
    &failover_loses_writes::RULE,
    &lost_update::RULE,
    &last_write_wins_conflict::RULE,
    &missing_cache::RULE,
    &thundering_herd::RULE,
    &cache_without_eviction::RULE,
    &write_back_data_loss::RULE,
    &cache_as_source_of_truth::RULE,
    &static_content_without_cdn::RULE,
    &stale_cdn_content::RULE,
    &modulo_sharding::RULE,
    &consistent_hash_without_vnodes::RULE,
    &hot_partition_key::RULE,
    &range_query_on_hash_partitioning::RULE,
    &query_index_mismatch::RULE,
    &blob_in_database::RULE,
    &no_backup::RULE,
    &needs_sharding::RULE,
    &btree_write_heavy::RULE,
    &hot_key::RULE,
    &scatter_query::RULE,
    &unbounded_partition::RULE,
    &consumers_exceed_partitions::RULE,
    &non_idempotent_consumer::RULE,
    &missing_dlq::RULE,
    &ordering_across_partitions::RULE,
    &exactly_once_side_effects::RULE,
    &message_expires_before_recovery::RULE,
    &push_without_persistent_connection::RULE,
    &short_polling::RULE,
    &long_lived_connections_round_robin::RULE,
    &grpc_behind_l4::RULE,
    &upload_through_service::RULE,
    &deep_sync_chain::RULE,
    &retry_without_backoff::RULE,
    &retry_without_jitter::RULE,
    &retry_amplification::RULE,
    &retry_non_idempotent::RULE,
    &missing_timeout::RULE,
    &timeout_exceeds_caller::RULE,
    &retry_exceeds_timeout::RULE,
    &third_party_without_timeout::RULE,
    &no_circuit_breaker::RULE,
    &no_rate_limit::RULE,
    &over_capacity::RULE,
    &low_headroom::RULE,
    &availability_below_target::RULE,
    &latency_over_budget::RULE,
    &consumer_lag::RULE,
    &scenario_over_capacity::RULE,
    &over_budget::RULE,
    &public_datastore::RULE,
    &unauthenticated_entry::RULE,
    &unauthenticated_webhook::RULE,
    &plaintext_public_traffic::RULE,
    &orphan_component::RULE,
    &unreachable_component::RULE,
    &no_observability::RULE,
    &no_deploy_strategy::RULE,
    &unused_allow::RULE,
    &unknown_engine::RULE,
];

pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}
