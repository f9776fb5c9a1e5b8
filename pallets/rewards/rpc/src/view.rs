//! The JSON shapes of the incentive pool's RPC and their conversions from the runtime's types.
//! Amounts are decimal strings in base units (VCAI 18 decimals, USDV 6), and so are points, which
//! pass 2^53 as soon as amounts do; periods, milliseconds and GPU-seconds are numbers.
//!
//! Shares (P_supply, the utilization, the parameters' percentages) are billionths: the exact
//! integers the chain keeps, where a percentage could be a rounding.

use serde::{Deserialize, Serialize};
use vcity_primitives::{
	ClassFactors, FactorStage, PendingPeriod, PendingRewards, PeriodIndex, PeriodRewards, RewardsOverview,
	RewardsParams, SupplyShareAt,
};

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
	/// GPU-class factors of Proof-of-Capacity, by the class the GPU model names.
	pub gpu_class: ClassFactorsJson,
	/// Multi-GPU coefficient of Proof-of-Capacity, by the node's total memory.
	pub multi_gpu: Vec<FactorStageJson>,
}

/// A factor per GPU class, in thousandths: 1500 is 1.5×.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassFactorsJson {
	pub consumer: u32,
	pub workstation: u32,
	pub datacenter: u32,
}

impl From<ClassFactors> for ClassFactorsJson {
	fn from(c: ClassFactors) -> Self {
		Self { consumer: c.consumer, workstation: c.workstation, datacenter: c.datacenter }
	}
}

/// One step of a staged factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorStageJson {
	/// Memory in GiB from which the stage applies.
	pub from_gib: u32,
	/// The factor in thousandths: 1250 is 1.25×.
	pub permille: u32,
}

/// P_supply of one period and the utilization the period had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyShareAtJson {
	pub period: PeriodIndex,
	/// P_supply in force during the period, in billionths.
	pub supply_share_perbill: u32,
	/// U of the period in billionths, which set the next period's P_supply; `None` for the open
	/// period and for a period in which nothing was available.
	pub utilization_perbill: Option<u32>,
}

/// What one closed period released and how it was shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodRewardsJson {
	/// Start and end of the period, Unix milliseconds.
	pub start_ms: u64,
	pub end_ms: u64,
	/// VCAI the schedule released for the period, and the part of it that went to the grants
	/// account.
	pub released: String,
	pub to_grants: String,
	/// VCAI earlier periods could not share, added to this one.
	pub carried_in: String,
	/// P_supply in force during the period, in billionths.
	pub supply_share_perbill: u32,
	/// VCAI shared by Proof-of-Capacity points, by Proof-of-Delivery points and by USDV spend.
	pub capacity_pot: String,
	pub delivery_pot: String,
	pub demand_pot: String,
	/// VCAI no one earned (a side without points), carried to the next period.
	pub carried_out: String,
	/// Σ of the nodes' Proof-of-Capacity and Proof-of-Delivery points.
	pub capacity_points: String,
	pub delivery_points: String,
	/// USDV all users paid for compute in the period.
	pub spend: String,
	/// GPU-seconds available and consumed.
	pub available_gpu_seconds: u64,
	pub consumed_gpu_seconds: u64,
	/// U = min(1, consumed / available) in billionths; `None` when nothing was available.
	pub utilization_perbill: Option<u32>,
	/// VCAI paid out of the period's pots so far, and VCAI of banned nodes' shares moved back
	/// into a later period.
	pub claimed: String,
	pub forfeited: String,
}

/// Unclaimed rewards of a node or rebates of an account, oldest period first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingRewardsJson {
	pub periods: Vec<PendingPeriodJson>,
	/// Σ of the amounts.
	pub total: String,
	/// Whether a claim would pay now: false with nothing to claim, and for a node while it is
	/// suspended or banned.
	pub claimable: bool,
}

/// What one closed period owes a node or an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPeriodJson {
	pub period: PeriodIndex,
	/// A node's Proof-of-Capacity points, or the USDV an account spent.
	pub points: String,
	/// A node's Proof-of-Delivery points; `"0"` for an account.
	pub delivery_points: String,
	/// VCAI the claim would pay.
	pub amount: String,
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

impl From<FactorStage> for FactorStageJson {
	fn from(s: FactorStage) -> Self {
		Self { from_gib: s.from_gib, permille: s.permille }
	}
}

impl From<RewardsParams> for RewardsParamsJson {
	fn from(p: RewardsParams) -> Self {
		Self {
			release_percent_perbill: p.release_percent.deconstruct(),
			capacity_share_perbill: p.capacity_share.deconstruct(),
			gpu_class: p.gpu_class.into(),
			multi_gpu: p.multi_gpu.into_iter().map(Into::into).collect(),
		}
	}
}

impl From<SupplyShareAt> for SupplyShareAtJson {
	fn from(s: SupplyShareAt) -> Self {
		Self {
			period: s.period,
			supply_share_perbill: s.supply_share.deconstruct(),
			utilization_perbill: s.utilization.map(|u| u.deconstruct()),
		}
	}
}

impl From<PeriodRewards> for PeriodRewardsJson {
	fn from(r: PeriodRewards) -> Self {
		Self {
			start_ms: r.start_ms,
			end_ms: r.end_ms,
			released: r.released.to_string(),
			to_grants: r.to_grants.to_string(),
			carried_in: r.carried_in.to_string(),
			supply_share_perbill: r.supply_share.deconstruct(),
			capacity_pot: r.capacity_pot.to_string(),
			delivery_pot: r.delivery_pot.to_string(),
			demand_pot: r.demand_pot.to_string(),
			carried_out: r.carried_out.to_string(),
			capacity_points: r.capacity_points.to_string(),
			delivery_points: r.delivery_points.to_string(),
			spend: r.spend.to_string(),
			available_gpu_seconds: r.available_gpu_seconds,
			consumed_gpu_seconds: r.consumed_gpu_seconds,
			utilization_perbill: r.utilization.map(|u| u.deconstruct()),
			claimed: r.claimed.to_string(),
			forfeited: r.forfeited.to_string(),
		}
	}
}

impl From<PendingPeriod> for PendingPeriodJson {
	fn from(p: PendingPeriod) -> Self {
		Self {
			period: p.period,
			points: p.points.to_string(),
			delivery_points: p.delivery_points.to_string(),
			amount: p.amount.to_string(),
		}
	}
}

impl From<PendingRewards> for PendingRewardsJson {
	fn from(p: PendingRewards) -> Self {
		Self {
			periods: p.periods.into_iter().map(Into::into).collect(),
			total: p.total.to_string(),
			claimable: p.claimable,
		}
	}
}
