//! # Rewards: the ecosystem incentive pool
//!
//! How the 2,000,000,000 VCAI of the incentive pool reach GPU providers and users over ten years,
//! steered toward 80% utilization (docs/economics.md#incentive-pool and
//! docs/rewards.md).
//!
//! - **Release** (`schedule.rs`). released(t) = ⌊POOL · min(t, T) / T⌋, t the time since the
//!   chain's start. Closing a period [a, b) moves released(b) − released(a) out of the pool
//!   account by transfer: `release_percent` of it to the rewards pot, the rest to the grants
//!   account. Whatever the periods' lengths, the releases add up to the pool exactly.
//! - **Controller** (`controller.rs`). At each period's start, in parts per billion:
//!   P_supply = clip(P_supply + k · (U − U_target), 0, 1), U the utilization of the period that
//!   ended (the market's [`vcity_primitives::UsageMeter`]); P_demand = 1 − P_supply.
//! - **Points** (`points.rs`). Heartbeats credit Proof-of-Capacity (online GPU-seconds × GPU
//!   class × multi-GPU coefficient × stake factor, times the windows met), settled tasks credit
//!   Proof-of-Delivery (delivered GPU-seconds × quality), both to the node and the period's
//!   totals in O(1). Users' rebates follow their USDV spend, which the market meters.
//! - **Closing** (`period.rs`). The first block of a period snapshots the last one: what was
//!   released, the pots of capacity, delivery and demand, their point totals. A side no one
//!   earned in carries to the next period.
//! - **Claims** (`claims.rs`). A node's owner or a user claims any closed periods, a bounded
//!   number per call, each in O(1): share = pot × points / total points. A suspended node claims
//!   after it is resumed; a banned node's unclaimed shares go back into the next period.
//!
//! Nothing iterates over nodes, users or periods on chain. Funds only move by transfer: the pool
//! only shrinks by the schedule, and the pot always holds what its open claims need (`try_state`).
//! See `docs/rewards.md` for the formulas and worked examples.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod claims;
pub mod controller;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod migrations;
mod params;
mod period;
mod points;
mod query;
pub mod schedule;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

const LOG_TARGET: &str = "runtime::rewards";

/// Periods the runtime API looks back over for a user's unclaimed rebates.
pub const PENDING_LOOKBACK_PERIODS: u32 = 520;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Perbill;
	use vcity_primitives::{
		Balance, Clock, Moment, NodeId, NodeRegistry, PeriodIndex, PeriodRewards, RewardsParams, UsageMeter,
		CHARGED_NETWORK_SIZE,
	};

	/// Version 1: a claimed period's points leave storage with the claim.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// VCAI, which the pool holds and the rewards pay.
		type Currency: Inspect<Self::AccountId, Balance = Balance> + Mutate<Self::AccountId>;
		/// The chain's one clock: periods and the time since the chain's start.
		type Clock: Clock;
		/// Owners and statuses of nodes.
		type Registry: NodeRegistry<Self::AccountId, Balance>;
		/// Pending slashes: a node whose moderate or severe slash is pending earns nothing and
		/// claims nothing until it has executed or been cancelled.
		type Penalties: vcity_primitives::PenaltyStatus;
		/// Capacity offered, compute consumed and USDV spent per period (the market).
		type Usage: UsageMeter<Self::AccountId, Balance>;
		/// VCAI's time-weighted price in USDV (the buyback's oracle), read when a period closes:
		/// the fee caps on delivery rewards and rebates are worth what the fees would buy.
		type Price: vcity_primitives::VcaiPrice;
		/// Sets the release percentage, the capacity share, the class factors and the multi-GPU
		/// coefficients (whose steps are fixed at the multi-GPU stages).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Derives the pool account (funded at genesis) and the pot the claims are paid from,
		/// which genesis must give the existential deposit.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// The named account that receives what is released but not paid as incentives. Genesis
		/// must give it the existential deposit.
		#[pallet::constant]
		type GrantsAccount: Get<Self::AccountId>;
		/// The pool released over the schedule (2,000,000,000 VCAI).
		#[pallet::constant]
		type PoolTotal: Get<Balance>;
		/// Length T of the schedule in milliseconds (522 weeks).
		#[pallet::constant]
		type ScheduleMs: Get<Moment>;
		/// U_target of the controller (80%).
		#[pallet::constant]
		type TargetUtilization: Get<Perbill>;
		/// Gain k of the controller (0.1).
		#[pallet::constant]
		type ControllerGain: Get<Perbill>;
		/// Most periods one claim may name.
		#[pallet::constant]
		type MaxPeriodsPerClaim: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Sets up nodes, spend and time for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The governance-set parameters.
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, RewardsParams, ValueQuery>;

	/// P_supply in force for the open period.
	#[pallet::storage]
	pub type SupplyShare<T> = StorageValue<_, Perbill, ValueQuery, InitialSupplyShare>;

	/// P_supply starts at 50%, also on a chain that gains the pallet by an upgrade.
	#[pallet::type_value]
	pub fn InitialSupplyShare() -> Perbill {
		Perbill::from_percent(50)
	}

	/// Start of the open period, in milliseconds after the chain's start. It runs ahead of
	/// [`ReleasedUntilMs`] only while a release the pool could not pay waits for the next close.
	#[pallet::storage]
	pub type OpenSinceMs<T> = StorageValue<_, Moment, ValueQuery>;

	/// The period points accrue to until it is closed.
	#[pallet::storage]
	pub type OpenPeriod<T> = StorageValue<_, PeriodIndex, ValueQuery>;

	/// Time after the chain's start up to which the schedule has released: the open period's
	/// start.
	#[pallet::storage]
	pub type ReleasedUntilMs<T> = StorageValue<_, Moment, ValueQuery>;

	/// VCAI in the pot that no claim can take, to be added to the next period's pots.
	#[pallet::storage]
	pub type Carry<T> = StorageValue<_, Balance, ValueQuery>;

	/// Closed periods: what each released and how it was shared.
	#[pallet::storage]
	pub type Periods<T> = StorageMap<_, Twox64Concat, PeriodIndex, PeriodRewards, OptionQuery>;

	/// Point totals of periods not yet closed.
	#[pallet::storage]
	pub type PeriodTotals<T> = StorageMap<_, Twox64Concat, PeriodIndex, PointTotals, ValueQuery>;

	/// Each node's points per period, and whether they were claimed.
	#[pallet::storage]
	pub type NodePoints<T> =
		StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, PeriodIndex, NodePeriodPoints, OptionQuery>;

	/// Periods for which a user has claimed the rebate.
	#[pallet::storage]
	pub type RebatesClaimed<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, PeriodIndex, (), OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: RewardsParams,
		/// P_supply of period 0 (docs/economics.md#controller: 50%).
		pub supply_share: Perbill,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(error) = Pallet::<T>::check_params(&self.params) {
				panic!("invalid rewards parameters at genesis: {error:?}");
			}
			Params::<T>::put(self.params.clone());
			SupplyShare::<T>::put(self.supply_share);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A period ended: the schedule released its part and its pots are open for claims.
		PeriodClosed {
			period: PeriodIndex,
			released: Balance,
			to_grants: Balance,
			capacity_pot: Balance,
			delivery_pot: Balance,
			demand_pot: Balance,
			/// VCAI of sides no one earned in, added to the next period.
			carried_out: Balance,
			utilization: Option<Perbill>,
			/// P_supply of the period that begins.
			next_supply_share: Perbill,
		},
		/// The pool could not pay a period's release; the next period releases it with its own.
		ReleaseFailed { period: PeriodIndex, error: DispatchError },
		/// A node's owner claimed the node's rewards of `periods` periods.
		NodeRewardsClaimed { node: NodeId, owner: T::AccountId, periods: u32, amount: Balance },
		/// A user claimed rebates of `periods` periods.
		RebatesClaimed { who: T::AccountId, periods: u32, amount: Balance },
		/// A banned node's unclaimed rewards went back into the next period's pots.
		RewardsForfeited { node: NodeId, periods: u32, amount: Balance },
		/// A banned node's points of the open period were voided; the other nodes share its pots.
		OpenPointsVoided { node: NodeId, period: PeriodIndex, capacity: u128, delivery: u128 },
		/// A delivery failed verification: its Proof-of-Delivery points were taken back, and the
		/// VCAI they were worth in a closed period went back into the next period's pots.
		DeliveryVoided { node: NodeId, period: PeriodIndex, points: u128, amount: Balance },
		/// Governance changed the parameters.
		ParamsSet { params: RewardsParams },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The claim names no period.
		NoPeriods,
		/// The period has not ended: its pots are not known yet.
		PeriodNotEnded,
		/// Nothing was earned in the period (no points, no spend), or it was claimed already.
		NothingToClaim,
		/// The period's rewards were claimed (or forfeited) already.
		AlreadyClaimed,
		/// No node has that id.
		UnknownNode,
		/// Only the node's owner claims its rewards.
		NotNodeOwner,
		/// The node is suspended: its rewards wait until it is resumed.
		NodeSuspended,
		/// The node is banned: its rewards go back to the pool, by `forfeit_rewards`.
		NodeBanned,
		/// A moderate or severe slash is pending against the node: its rewards wait until the
		/// slash has executed or an appeal has cancelled it.
		RewardsSuspended,
		/// Only a banned node's rewards can be forfeited.
		NotBanned,
		/// Factors must stay within 0..=10×, and the multi-GPU steps stand exactly at 0, 96, 192 and
		/// 384 GiB (`MULTI_GPU_STAGES_GIB`).
		InvalidFactors,
		/// The delivery and rebate fee caps add up to 100% or more: trading with oneself would
		/// no longer cost more than it earns.
		InvalidFeeCaps,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::on_block()
		}

		fn integrity_test() {
			assert!(T::ScheduleMs::get() > 0, "the schedule needs a length");
			assert!(T::MaxPeriodsPerClaim::get() > 0, "a claim must be able to name a period");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pays the node's rewards of the named closed periods to its owner (the caller).
		#[pallet::call_index(0)]
		// Each period may also move what its fee cap holds back into the carry (one write).
		#[pallet::weight(T::WeightInfo::claim_node_rewards(periods.len() as u32, CHARGED_NETWORK_SIZE)
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
			.saturating_add(<T::Penalties as vcity_primitives::PenaltyStatus>::penalty_status_weight()))]
		pub fn claim_node_rewards(
			origin: OriginFor<T>,
			node: NodeId,
			periods: BoundedVec<PeriodIndex, T::MaxPeriodsPerClaim>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_node_rewards(who, node, &periods)
		}

		/// Pays the caller's rebates of the named closed periods, pro-rata to the USDV they spent.
		#[pallet::call_index(1)]
		// Each period also reads the user's fees (the cap) and may move what it holds back into
		// the carry.
		#[pallet::weight(T::WeightInfo::claim_rebates(periods.len() as u32, CHARGED_NETWORK_SIZE)
			.saturating_add(T::DbWeight::get().reads_writes(2, 1).saturating_mul(periods.len() as u64)))]
		pub fn claim_rebates(
			origin: OriginFor<T>,
			periods: BoundedVec<PeriodIndex, T::MaxPeriodsPerClaim>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_rebates(who, &periods)
		}

		/// Moves a banned node's unclaimed rewards of the named periods into the next period's
		/// pots, so they are not lost. Anyone may call it.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::forfeit_rewards(periods.len() as u32))]
		pub fn forfeit_rewards(
			origin: OriginFor<T>,
			node: NodeId,
			periods: BoundedVec<PeriodIndex, T::MaxPeriodsPerClaim>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_forfeit(node, &periods)
		}

		/// Sets the release percentage, the capacity share of the supply side, the class factors
		/// and the multi-GPU coefficients of Proof-of-Capacity (not where the stages lie). Points
		/// already earned keep their value.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: RewardsParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			Params::<T>::put(params.clone());
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}
}
