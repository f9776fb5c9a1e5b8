//! Benchmarks wired into the runtime, run by `frame-omni-bencher` (`scripts/benchmark-weights.sh`).

use crate::*;
use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList};
use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};
use frame_system_benchmarking::{extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench};

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_compute_registry, ComputeRegistry]
	[pallet_compute_market, ComputeMarket]
	[pallet_ve_vcai, VeVcai]
	[pallet_buyback, Buyback]
	[pallet_chain_clock, ChainClock]
	[pallet_rewards, Rewards]
	[pallet_slashing, Slashing]
	[pallet_verification, Verification]
	[pallet_governance, Governance]
	[pallet_ve_voting, VeVoting]
	[pallet_supply, Supply]
	[pallet_agent_bridge, AgentBridge]
);

impl frame_system_benchmarking::Config for Runtime {}

pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}
