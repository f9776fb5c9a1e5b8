//! The incentive pool: its governance parameters and what the runtime API and the RPC show of it.

use crate::{
	task::GpuClass,
	units::{Balance, GpuSeconds, Moment, PeriodIndex},
};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::Perbill;

/// The incentive pool: 2,000,000,000 VCAI (docs/economics.md#incentive-pool).
pub const INCENTIVE_POOL: Balance = 2_000_000_000 * crate::VCAI;
/// The pool is released over T = 522 weeks, in milliseconds of chain time.
pub const INCENTIVE_SCHEDULE_MS: Moment = 522 * 7 * 24 * 3_600_000;

/// One step of a staged factor: from `from_gib` GiB upward the factor is `permille` / 1000.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct FactorStage {
	/// Memory in GiB from which the stage applies.
	pub from_gib: u32,
	/// The factor in thousandths (1000 = 1.0×).
	pub permille: u32,
}

/// Most stages a staged factor may have. The multi-GPU coefficient uses four (its steps are the
/// stages); the bound stays at 8 because it sets the parameters' `MaxEncodedLen`, and with it the
/// proof size their reads are charged at.
pub type MaxFactorStages = ConstU32<8>;
/// A staged factor: stages sorted by `from_gib`, the first from 0 GiB.
pub type FactorStages = BoundedVec<FactorStage, MaxFactorStages>;

/// The factor of the last stage that `gib` reaches, in thousandths; 0 when no stage applies.
pub fn stage_factor(stages: &[FactorStage], gib: u32) -> u32 {
	stages.iter().rev().find(|s| s.from_gib <= gib).map_or(0, |s| s.permille)
}

/// GPU-class factors of Proof-of-Capacity in thousandths (1000 = 1.0×), by the class the GPU
/// model names (`gpu_class`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ClassFactors {
	pub consumer: u32,
	pub workstation: u32,
	pub datacenter: u32,
}

impl ClassFactors {
	/// The factor of `class`, in thousandths.
	pub fn of(&self, class: GpuClass) -> u32 {
		match class {
			GpuClass::Consumer => self.consumer,
			GpuClass::Workstation => self.workstation,
			GpuClass::Datacenter => self.datacenter,
		}
	}
}

/// The incentive pool's parameters, set by governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct RewardsParams {
	/// Share of each period's release paid as incentives; the rest goes to the grants account.
	pub release_percent: Perbill,
	/// Share of the supply side paid for Proof-of-Capacity; the rest pays Proof-of-Delivery.
	pub capacity_share: Perbill,
	/// GPU-class factor of Proof-of-Capacity.
	pub gpu_class: ClassFactors,
	/// Multi-GPU coefficient of Proof-of-Capacity, by the node's total memory: one step from 0 GiB
	/// and one from each multi-GPU stage ([`crate::MULTI_GPU_STAGES_GIB`]). Governance sets the
	/// coefficients; the steps stay at the stages a task may ask for.
	pub multi_gpu: FactorStages,
	/// Most VCAI, as a share of the protocol fee's worth, a node's Proof-of-Delivery share of a
	/// period may pay: delivery rewards follow the fee actually paid, so buying them from oneself
	/// costs more than they return (docs/economics.md#self-dealing).
	pub delivery_per_fee: Perbill,
	/// The same bound on a user's rebate, as a share of the protocol fee their tasks paid.
	pub rebate_per_fee: Perbill,
}

/// The most a fee-capped reward may pay: `per_fee` of the worth in VCAI of `fee_usdv` USDV base
/// units at `vcai_per_usdv` (VCAI base units a whole USDV buys; 0 when the chain has no price,
/// and then nothing). Rounds down.
pub fn fee_cap(fee_usdv: Balance, vcai_per_usdv: crate::VcaiPerUsdv, per_fee: Perbill) -> Balance {
	let worth = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
		fee_usdv,
		vcai_per_usdv,
		crate::USDV,
		sp_runtime::Rounding::Down,
	)
	.unwrap_or(Balance::MAX);
	per_fee.mul_floor(worth)
}

impl Default for RewardsParams {
	/// Everything released goes to incentives; capacity and delivery share the supply side
	/// equally; the multi-GPU coefficient is 1.0× / 1.2× / 1.35× / 1.5× from 0 / 96 / 192 /
	/// 384 GiB; GPU-class factors (docs/economics.md#proof-of-capacity): consumer 1.0×, workstation
	/// cards 1.5×, data-centre accelerators 2.0×.
	fn default() -> Self {
		let stages = |s: &[(u32, u32)]| {
			let stages: Vec<FactorStage> =
				s.iter().map(|&(from_gib, permille)| FactorStage { from_gib, permille }).collect();
			FactorStages::truncate_from(stages)
		};
		let [stage_1, stage_2, stage_3] = crate::MULTI_GPU_STAGES_GIB;
		Self {
			release_percent: Perbill::one(),
			capacity_share: Perbill::from_percent(50),
			gpu_class: ClassFactors { consumer: 1000, workstation: 1500, datacenter: 2000 },
			multi_gpu: stages(&[(0, 1000), (stage_1, 1200), (stage_2, 1350), (stage_3, 1500)]),
			delivery_per_fee: Perbill::from_percent(30),
			rebate_per_fee: Perbill::from_percent(30),
		}
	}
}

/// What one closed period released and how it was shared; the snapshot claims are paid from.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct PeriodRewards {
	/// Start and end of the period in chain time (milliseconds since the Unix epoch).
	pub start_ms: Moment,
	pub end_ms: Moment,
	/// VCAI the schedule released for the period: released(end) − released(start).
	#[serde(with = "crate::json::decimal")]
	pub released: Balance,
	/// The part of it that went to the grants account.
	#[serde(with = "crate::json::decimal")]
	pub to_grants: Balance,
	/// VCAI earlier periods could not share (a side without points), added to this one.
	#[serde(with = "crate::json::decimal")]
	pub carried_in: Balance,
	/// P_supply in force during the period.
	#[serde(rename = "supplySharePerbill")]
	pub supply_share: Perbill,
	/// VCAI shared by Proof-of-Capacity points, by Proof-of-Delivery points and by USDV spend.
	#[serde(with = "crate::json::decimal")]
	pub capacity_pot: Balance,
	#[serde(with = "crate::json::decimal")]
	pub delivery_pot: Balance,
	#[serde(with = "crate::json::decimal")]
	pub demand_pot: Balance,
	/// VCAI no one earned (a side without points), carried to the next period.
	#[serde(with = "crate::json::decimal")]
	pub carried_out: Balance,
	/// Σ of the nodes' Proof-of-Capacity points (capacity × windows met).
	#[serde(with = "crate::json::decimal")]
	pub capacity_points: u128,
	/// Σ of the nodes' Proof-of-Delivery points.
	#[serde(with = "crate::json::decimal")]
	pub delivery_points: u128,
	/// VCAI base units a whole USDV bought on the AMM, time-weighted, when the period closed
	/// (0: no price, so fee-capped rewards pay nothing and carry).
	#[serde(with = "crate::json::decimal")]
	pub vcai_per_usdv: Balance,
	/// The fee caps in force when the period closed (`RewardsParams`).
	#[serde(rename = "deliveryPerFeePerbill")]
	pub delivery_per_fee: Perbill,
	#[serde(rename = "rebatePerFeePerbill")]
	pub rebate_per_fee: Perbill,
	/// USDV all users paid for compute in the period.
	#[serde(with = "crate::json::decimal")]
	pub spend: Balance,
	/// GPU-seconds available and consumed: U = min(1, consumed / available).
	pub available_gpu_seconds: GpuSeconds,
	pub consumed_gpu_seconds: GpuSeconds,
	/// U of the period, `None` when nothing was available.
	#[serde(rename = "utilizationPerbill")]
	pub utilization: Option<Perbill>,
	/// VCAI paid out of the period's pots so far.
	#[serde(with = "crate::json::decimal")]
	pub claimed: Balance,
	/// VCAI of banned nodes' shares, and of shares above their fee cap, moved back into a later
	/// period.
	#[serde(with = "crate::json::decimal")]
	pub forfeited: Balance,
}

/// The pool now, for clients.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct RewardsOverview {
	/// The period points accrue to now, and when it began.
	pub current_period: PeriodIndex,
	pub current_period_start_ms: Moment,
	/// P_supply in force for the current period.
	pub supply_share: Perbill,
	/// VCAI still in the pool account.
	pub pool_left: Balance,
	/// VCAI released by the schedule since genesis (incentives and grants).
	pub released: Balance,
	/// VCAI waiting to be added to the next period's pots.
	pub carry: Balance,
	pub params: RewardsParams,
}

/// P_supply of a period and the utilization that set the next one.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyShareAt {
	pub period: PeriodIndex,
	#[serde(rename = "supplySharePerbill")]
	pub supply_share: Perbill,
	#[serde(rename = "utilizationPerbill")]
	pub utilization: Option<Perbill>,
}

/// Rewards one account or node may claim for one closed period.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPeriod {
	pub period: PeriodIndex,
	/// Points earned in the period: capacity and delivery for a node, USDV spent for a user.
	#[serde(with = "crate::json::decimal")]
	pub points: u128,
	#[serde(with = "crate::json::decimal")]
	pub delivery_points: u128,
	/// VCAI the claim would pay.
	#[serde(with = "crate::json::decimal")]
	pub amount: Balance,
}

/// Unclaimed rewards of a node or a user, oldest period first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingRewards {
	pub periods: Vec<PendingPeriod>,
	/// Σ of the amounts.
	#[serde(with = "crate::json::decimal")]
	pub total: Balance,
	/// Whether the node may claim now (false while it is suspended or banned).
	pub claimable: bool,
}
