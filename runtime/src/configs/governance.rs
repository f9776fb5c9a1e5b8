//! The DAO (docs/governance.md): `pallet-referenda` runs each referendum (deposits, discussion,
//! decision, confirmation), `pallet-scheduler` enacts it, `pallet-preimage` holds the proposed
//! calls, `pallet-ve-voting` counts the votes in veVCAI weight, `pallet-governance` gives the
//! tracks and their origins, and `pallet-supply` keeps the quotas, the issuance cap, the
//! repricing factor and the treasury's spending.
//!
//! Every governed call takes root (the root track, or sudo on the development chains) or the
//! origin of the one track that suits it: [`ParametersOrigin`] for every governed value,
//! [`AppealsOrigin`] for judgements, and the supply's three origins for its three calls.

use super::{accounts::TreasuryAccount, market::UsdvAssetId, RuntimeBlockWeights};
use crate::{
	AccountId, Balance, Balances, Buyback, ChainClock, DayScaledBlocks, OriginCaller, Preimage, Referenda,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, VeVcai, Vesting,
	DAYS, VESTING_TICK_MS,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{HoldConsideration, ItemOf},
		AsEnsureOriginWithArg, ConstU32, Currency, EitherOf, EqualPrivilegeOnly, Get, LinearStoragePrice,
		OnUnbalanced,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_governance::{
	EnsureAppeal, EnsureCanceller, EnsureParameters, EnsureRepricing, EnsureStrategicIssuance,
	EnsureTreasurySpending,
};
use sp_runtime::Perbill;
use vcity_primitives::{Clock, VCAI};

/// Every governed value: root or the parameters track.
pub type ParametersOrigin = EitherOf<EnsureRoot<AccountId>, EnsureParameters>;
/// Slash appeals and dispute verdicts no audit gave: root or the appeals track.
pub type AppealsOrigin = EitherOf<EnsureRoot<AccountId>, EnsureAppeal>;

parameter_types! {
	/// Enactments may fill most of a block, as a runtime upgrade needs.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// A preimage holds one VCAI plus a thousandth of a VCAI a byte (a 1.5 MB runtime: 1,500
	/// VCAI), released when it is no longer needed.
	pub const PreimageBaseDeposit: Balance = VCAI;
	pub const PreimageByteDeposit: Balance = VCAI / 1_000;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// Reserved from whoever submits a referendum, returned when it is decided: a proposal
	/// costs something to make, so the queue is not spam.
	pub const SubmissionDeposit: Balance = 100 * VCAI;
	/// Two weeks for a referendum to find its decision deposit and a deciding slot.
	pub UndecidingTimeout: crate::BlockNumber = DayScaledBlocks::<{ 14 * DAYS }>::get();
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	/// Only the referenda schedule, through their own interface; a call needs root.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	/// Every referendum sets an alarm a block ahead; a full agenda would drop one.
	type MaxScheduledPerBlock = ConstU32<200>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	/// Any account may propose, on the track its proposal's origin belongs to.
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	/// Cancelling a referendum (deposits back) takes root or the cancellations track, which is
	/// quicker than any track it cancels; killing one (deposits to the treasury) takes root.
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, EnsureCanceller>;
	type KillOrigin = EnsureRoot<AccountId>;
	/// A killed referendum's deposits go to the DAO treasury: nothing is burnt.
	type Slash = DepositsToTreasury;
	type Votes = vcity_primitives::VeWeight;
	type Tally = pallet_ve_voting::VeTally<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	/// Referenda wake every block they need to: periods on a fast chain are a few blocks.
	type AlarmInterval = ConstU32<1>;
	type Tracks = pallet_governance::Tracks<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// Deposits `pallet-referenda` slashes (reserved VCAI) go to the DAO treasury, so the supply
/// stays whole.
pub struct DepositsToTreasury;
impl OnUnbalanced<pallet_balances::NegativeImbalance<Runtime>> for DepositsToTreasury {
	fn on_nonzero_unbalanced(amount: pallet_balances::NegativeImbalance<Runtime>) {
		<Balances as Currency<AccountId>>::resolve_creating(&TreasuryAccount::get(), amount);
	}
}

impl pallet_governance::Config for Runtime {
	/// The tracks' settings decide what every other track needs to pass: the root track.
	type AdminOrigin = EnsureRoot<AccountId>;
	/// The production table counts days of the chain's day.
	type BlocksPerDay = DayScaledBlocks<DAYS>;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
}

impl pallet_ve_voting::Config for Runtime {
	type Polls = Referenda;
	type VeWeights = VeVcai;
	type WeightInfo = pallet_ve_voting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::Voters;
}

/// Vesting ticks (6 s of the timestamp) in a day of the chain's clock.
pub struct VestingTicksPerDay;
impl Get<u32> for VestingTicksPerDay {
	fn get() -> u32 {
		u32::try_from(<ChainClock as Clock>::day_ms() / VESTING_TICK_MS).unwrap_or(u32::MAX)
	}
}

parameter_types! {
	/// At most 5% of the supply at a year's start may be minted in that year (whitepaper 3.7).
	pub const YearlyIssuanceCap: Perbill = Perbill::from_percent(5);
}

impl pallet_supply::Config for Runtime {
	type Currency = Balances;
	/// USDV as the treasury holds it (free, not held).
	type Stablecoin = ItemOf<crate::Assets, UsdvAssetId, AccountId>;
	type Vesting = Vesting;
	type VestingClock = super::vesting::VestingClock;
	type VestingTicksPerDay = VestingTicksPerDay;
	type Revenue = Buyback;
	type VeWeights = VeVcai;
	type Clock = ChainClock;
	type TreasuryAccount = TreasuryAccount;
	type IssuanceOrigin = EitherOf<EnsureRoot<AccountId>, EnsureStrategicIssuance>;
	type RepricingOrigin = EitherOf<EnsureRoot<AccountId>, EnsureRepricing>;
	type SpendOrigin = EitherOf<EnsureRoot<AccountId>, EnsureTreasurySpending>;
	type YearlyCap = YearlyIssuanceCap;
	/// A partner's grant is its own vesting schedule: sixteen partners an issuance.
	type MaxPartners = ConstU32<16>;
	/// Ten years of cliff and vesting together.
	type MaxVestingDays = ConstU32<3_650>;
	type WeightInfo = pallet_supply::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmarks::Stages;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
	use super::*;
	use frame_support::traits::{fungible::Mutate, Hooks};
	use vcity_primitives::{Balance, RevenueSink};

	/// Locks for voters and stages for the supply, through the real veVCAI and buyback pallets.
	pub struct Voters;
	impl pallet_ve_voting::benchmarking::BenchmarkHelper<AccountId> for Voters {
		fn give_weight(who: &AccountId) {
			lock_and_close_day(who, 100 * VCAI);
		}
	}

	pub struct Stages;
	impl pallet_supply::benchmarking::BenchmarkHelper<AccountId> for Stages {
		fn reach_stages(stages: &pallet_supply::StageSizes) {
			<Buyback as RevenueSink<AccountId, Balance>>::note_revenue(stages.revenue);
			let whale: AccountId = frame_benchmarking::account("locker", 0, 0);
			lock_and_close_day(&whale, stages.equity);
		}
	}

	/// Locks `amount` for a year and moves to the next day, closing it in veVCAI.
	fn lock_and_close_day(who: &AccountId, amount: Balance) {
		use pallet_ve_vcai::benchmarking::BenchmarkHelper as _;
		let _ = Balances::mint_into(who, amount.saturating_add(VCAI));
		let today = <ChainClock as Clock>::day_index();
		super::super::registry::BenchmarkClock::set_day(today);
		let unlock = <ChainClock as Clock>::day_start_ms(today.saturating_add(365));
		let _ = VeVcai::create_lock(RuntimeOrigin::signed(who.clone()), amount, unlock);
		super::super::registry::BenchmarkClock::set_day(today.saturating_add(1));
		let block = System::block_number().saturating_add(1);
		System::set_block_number(block);
		VeVcai::on_initialize(block);
	}
}

/// A referendum as `vcity_referendum` reports it: its stage from `pallet-referenda`, its live
/// tally with the track's turnout floor.
pub fn referendum_view(index: u32) -> Option<vcity_primitives::ReferendumView> {
	use pallet_referenda::ReferendumInfo;
	use vcity_primitives::{ReferendumStage, ReferendumView, TallyView, MAJORITY_APPROVAL};
	let info = pallet_referenda::ReferendumInfoFor::<Runtime>::get(index)?;
	let ended = |stage, block| (stage, None, Some(block));
	let (stage, status, ended) = match info {
		ReferendumInfo::Ongoing(status) => {
			let stage = match &status.deciding {
				Some(deciding) if deciding.confirming.is_some() => ReferendumStage::Confirming,
				Some(_) => ReferendumStage::Deciding,
				None if status.in_queue => ReferendumStage::Queued,
				None => ReferendumStage::Preparing,
			};
			(stage, Some(status), None)
		}
		ReferendumInfo::Approved(block, ..) => ended(ReferendumStage::Approved, block),
		ReferendumInfo::Rejected(block, ..) => ended(ReferendumStage::Rejected, block),
		ReferendumInfo::Cancelled(block, ..) => ended(ReferendumStage::Cancelled, block),
		ReferendumInfo::TimedOut(block, ..) => ended(ReferendumStage::TimedOut, block),
		ReferendumInfo::Killed(block) => ended(ReferendumStage::Killed, block),
	};
	let track = status.as_ref().map(|s| s.track);
	let dao_track = track.and_then(pallet_governance::DaoTrack::from_id);
	let tally = status.as_ref().zip(dao_track).map(|(status, dao_track)| {
		let tally = &status.tally;
		let min_turnout = pallet_governance::Pallet::<Runtime>::settings(dao_track).min_turnout;
		let (approval, support) = (tally.approval_ratio(), tally.support_ratio());
		TallyView {
			snapshot_day: tally.snapshot_day,
			electorate: tally.electorate,
			ayes: tally.ayes,
			nays: tally.nays,
			abstains: tally.abstains,
			voters: tally.voters,
			approval_ppb: approval.deconstruct(),
			support_ppb: support.deconstruct(),
			min_turnout_ppb: min_turnout.deconstruct(),
			passing: approval >= MAJORITY_APPROVAL && support >= min_turnout,
		}
	});
	Some(ReferendumView {
		index,
		track,
		track_name: dao_track.map(|t| t.name().into()),
		stage,
		submitted: status.as_ref().map(|s| s.submitted),
		deciding_since: status.as_ref().and_then(|s| s.deciding.as_ref()).map(|d| d.since),
		confirming_until: status.as_ref().and_then(|s| s.deciding.as_ref()).and_then(|d| d.confirming),
		ended,
		tally,
	})
}
