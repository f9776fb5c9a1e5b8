//! The JSON shapes of the incentive pool's RPC where they are not the runtime's types as they
//! render themselves: the pool's overview and its parameters, whose genesis JSON
//! (`RewardsParams`' own) names the shares differently. Periods, history and pending rewards go
//! out as `PeriodRewards`, `SupplyShareAt` and `PendingRewards` render themselves.
//!
//! Amounts are decimal strings in base units (VCAI 18 decimals, USDV 6), and so are points, which
//! pass 2^53 as soon as amounts do; periods, milliseconds and GPU-seconds are numbers. Shares
//! (P_supply, the utilization, the parameters' percentages) are billionths: the exact integers
//! the chain keeps, where a percentage could be a rounding.

use serde::{Deserialize, Serialize};
use vcity_primitives::{ClassFactors, FactorStage, PeriodIndex, RewardsOverview, RewardsParams};

/// The pool now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardsOverviewJson {
	/// The open period, which points accrue to now, and its start (Unix milliseconds).
	pub current_period: PeriodIndex,
	pub current_period_start_ms: u64,
	/// P_supply in force for the open period, in billionths; P_demand is the rest.
	pub supply_share_perbill: u32,
	/// VCAI still in the pool account.
	pub pool_left: String,
	/// VCAI the schedule released since genesis, to incentives and to grants.
	pub released: String,
	/// VCAI waiting to be added to the next period's pots.
	pub carry: String,
	/// The parameters in force.
	pub params: RewardsParamsJson,
}

/// The pool's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardsParamsJson {
	/// Share of each period's release paid as incentives, in billionths; the rest goes to the
	/// grants account.
	pub release_percent_perbill: u32,
	/// Share of the supply side paid for Proof-of-Capacity, in billionths; the rest pays
	/// Proof-of-Delivery.
	pub capacity_share_perbill: u32,
	/// GPU-class factors of Proof-of-Capacity in thousandths (1500 is 1.5×), by the class the
	/// GPU model names.
	pub gpu_class: ClassFactors,
	/// Multi-GPU coefficient of Proof-of-Capacity, by the node's total memory: from `fromGib`
	/// GiB the factor is `permille` thousandths.
	pub multi_gpu: Vec<FactorStage>,
	/// Most a node's delivery share of a period may be worth, in billionths of the worth in
	/// VCAI of the protocol fees its deliveries paid.
	pub delivery_per_fee_perbill: u32,
	/// The same bound on a user's rebate.
	pub rebate_per_fee_perbill: u32,
}

impl From<RewardsOverview> for RewardsOverviewJson {
	fn from(o: RewardsOverview) -> Self {
		Self {
			current_period: o.current_period,
			current_period_start_ms: o.current_period_start_ms,
			supply_share_perbill: o.supply_share.deconstruct(),
			pool_left: o.pool_left.to_string(),
			released: o.released.to_string(),
			carry: o.carry.to_string(),
			params: o.params.into(),
		}
	}
}

impl From<RewardsParams> for RewardsParamsJson {
	fn from(p: RewardsParams) -> Self {
		Self {
			release_percent_perbill: p.release_percent.deconstruct(),
			capacity_share_perbill: p.capacity_share.deconstruct(),
			gpu_class: p.gpu_class,
			multi_gpu: p.multi_gpu.into_inner(),
			delivery_per_fee_perbill: p.delivery_per_fee.deconstruct(),
			rebate_per_fee_perbill: p.rebate_per_fee.deconstruct(),
		}
	}
}
