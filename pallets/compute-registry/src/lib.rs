//! # Compute registry
//!
//! The register of GPU compute nodes (docs/registry.md): registration with a GPU spec and a
//! stake held from the owner, a DID per node, free but spam-proof heartbeats from the node's
//! operator key, a status machine, and a reputation built from online time and task outcomes.
//!
//! This file only declares; behaviour lives in files named for their job:
//! - `calls.rs`: what each dispatchable does;
//! - `stake.rs`: the stake schedule and the held stake;
//! - `liveness.rs`: heartbeat windows, credited capacity, Online/Offline;
//! - `reputation.rs`: the score, its tiers and its decay toward neutral;
//! - `extension.rs`: the transaction extension that keeps heartbeats out of the pool unless valid;
//! - `interfaces.rs`: the `vcity-primitives` traits other pallets call;
//! - `query.rs`: the views behind the runtime API;
//! - `hooks.rs`: the stake multiplier's re-adjustment at each period's start, and `try_state`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod calls;
pub mod extension;
mod hooks;
mod interfaces;
mod liveness;
pub mod migrations;
pub mod query;
mod reputation;
mod stake;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

pub use extension::CheckHeartbeat;
pub use reputation::NEUTRAL_SCORE;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{FixedU128, Perbill};
	use vcity_primitives::{
		Balance, Clock, GpuSeconds, GpuSpec, HeartbeatMetrics, Moment, NodeId, NodeKind, NodeRoles,
		PeriodIndex, Region, StakeAdjustment, StakeMarket, VcaiPerUsdv, CHARGED_NETWORK_SIZE,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// VCAI, from which stakes are held.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons, of which [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;
		/// The chain's clock (heartbeat windows, periods).
		type Clock: Clock;
		/// What the stake multiplier follows each period: the market's utilization and VCAI's
		/// price.
		type StakeMarket: StakeMarket;
		/// The utilization the network is steered to (the rewards' controller uses the same).
		#[pallet::constant]
		type TargetUtilization: Get<Perbill>;
		/// The tasks a node still owes; its stake stays held until they have ended, so a node
		/// cannot walk away from a task, or from the slash a failed one may bring.
		type OpenWork: vcity_primitives::OpenWork;
		/// Where the capacity a heartbeat proves earns Proof-of-Capacity points.
		type CapacityRewards: vcity_primitives::CapacityRewards;
		/// Where the downtime the online sweep finds is reported (the slashing pallet).
		type Offences: vcity_primitives::OffenceReporter<Self::AccountId>;
		/// Pending slashes: a node's stake stays held while one is pending, whatever it does.
		type Penalties: vcity_primitives::PenaltyStatus;
		/// Capacity challenges open or owed: a node's stake stays held until they are judged.
		type OpenChecks: vcity_primitives::OpenChecks;
		/// Who changes the stake schedule and the heartbeat window (root until the DAO exists).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Blocks between `deregister` and the stake's return. It must outlast the time an
		/// offence takes to be found and its slash to execute (the runtime checks it), so no
		/// node leaves before its punishment.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;
		/// Most GPUs a single node may declare.
		#[pallet::constant]
		type MaxGpusPerNode: Get<u32>;
		/// Most memory one GPU may declare, in GiB.
		#[pallet::constant]
		type MaxVramPerGpuGib: Get<u32>;
		/// Shortest heartbeat window governance may set, in milliseconds.
		#[pallet::constant]
		type MinHeartbeatWindowMs: Get<Moment>;
		/// Longest heartbeat window governance may set, in milliseconds.
		#[pallet::constant]
		type MaxHeartbeatWindowMs: Get<Moment>;
		/// Lowest stake multiplier, whoever sets it (the per-period input or governance).
		#[pallet::constant]
		type MinStakeMultiplier: Get<FixedU128>;
		/// Highest stake multiplier, whoever sets it.
		#[pallet::constant]
		type MaxStakeMultiplier: Get<FixedU128>;
		/// Time in which a reputation's distance from neutral halves.
		#[pallet::constant]
		type ReputationHalfLifeMs: Get<Moment>;
		/// Expected block time; turns the rest of a heartbeat window into a pool longevity.
		#[pallet::constant]
		type BlockTimeMs: Get<Moment>;
		/// Pool priority of a valid heartbeat.
		#[pallet::constant]
		type HeartbeatPriority: Get<TransactionPriority>;
		/// Most heartbeats one block takes. Beyond it the pool keeps them for the next block
		/// (they stay valid for their whole window), so free beats never crowd paid
		/// transactions out of a block.
		#[pallet::constant]
		type MaxHeartbeatsPerBlock: Get<u32>;
		/// Held from the owner for a node's record while the record exists, and returned when the
		/// owner removes the record after the node has exited (`reap_node`): whoever adds to the
		/// chain's state pays for it while it is there.
		#[pallet::constant]
		type RecordDeposit: Get<Balance>;
		/// Whether other pallets still need an exited node's record: its owner is whom they pay
		/// (tasks not ended, rewards not claimed).
		type RecordUse: vcity_primitives::NodeRecordUse;
		/// Entries of [`OnlineComputeNodes`] the hook checks each block, dropping nodes that
		/// stopped beating: the index stays near the online set at a flat cost per block.
		#[pallet::constant]
		type OnlineSweepPerBlock: Get<u32>;
		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Lets benchmarks move the chain clock.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper {
		/// Sets the chain's time (as the timestamp inherent would).
		fn set_time(now_ms: Moment);
		/// Length of an economic period in milliseconds.
		fn period_ms() -> Moment;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Stake of a compute node, held from its owner.
		NodeStake,
		/// The deposit for a node's record, held from its owner until the record is removed.
		NodeRecord,
	}

	/// The id the next registered node gets; ids are never reused.
	#[pallet::storage]
	pub type NextNodeId<T> = StorageValue<_, NodeId, ValueQuery, FirstNodeId>;

	/// Ids start at 1, even without a genesis config: 0 never names a node.
	#[pallet::type_value]
	pub fn FirstNodeId() -> NodeId {
		1
	}

	/// Every node ever registered, exited ones included as service history.
	#[pallet::storage]
	pub type Nodes<T: Config> = StorageMap<_, Twox64Concat, NodeId, NodeOf<T>>;

	/// The node each operator key signs for; an operator runs at most one node.
	#[pallet::storage]
	pub type NodeOfOperator<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, NodeId>;

	/// Last heartbeat of each node that has beaten: kept apart from the node record so status
	/// reads (pool validation, RPC) touch a few dozen bytes. A beat still rewrites the node
	/// record for its service history and reputation; moving those into a small per-node
	/// liveness record is the next step if heartbeats dominate block weight.
	#[pallet::storage]
	pub type Heartbeats<T> = StorageMap<_, Twox64Concat, NodeId, HeartbeatRecord>;

	/// Heartbeats included so far in the block of the given number. Keyed by the block rather
	/// than reset each block, so the cap costs nothing in blocks without heartbeats.
	#[pallet::storage]
	pub type HeartbeatsInBlock<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Length of a heartbeat window in milliseconds; a node beats at most once per window and is
	/// offline once it misses a whole one.
	#[pallet::storage]
	pub type HeartbeatWindowMs<T> = StorageValue<_, Moment, ValueQuery>;

	/// Stake per GPU by memory tier, and the multiplier applied to it.
	#[pallet::storage]
	pub type Schedule<T> = StorageValue<_, StakeSchedule, ValueQuery>;

	/// Period in which the stake multiplier was last re-set.
	#[pallet::storage]
	pub type ScheduleUpdatedIn<T> = StorageValue<_, PeriodIndex, ValueQuery>;

	/// How the multiplier follows the market each period (governance).
	#[pallet::storage]
	pub type StakeAdjustmentParams<T> = StorageValue<_, StakeAdjustment, ValueQuery>;

	/// The multipliers of the last periods, and the one a registered node must meet: the lowest
	/// over the grace, so a raise binds a node only after it has had time to top up.
	#[pallet::storage]
	pub type StakeGrace<T> = StorageValue<_, MultiplierGrace, ValueQuery>;

	/// GPU-seconds of capacity nodes proved available in each period.
	#[pallet::storage]
	pub type AvailableCapacity<T> = StorageMap<_, Twox64Concat, PeriodIndex, GpuSeconds, ValueQuery>;

	/// Compute nodes that beat recently, in hash order: what quotes and schedulers look through,
	/// so their reads grow with the online network and not with every id ever given out. A node
	/// joins with a heartbeat, leaves when it stops being Active, and is dropped by the hook's
	/// sweep once it stops beating; readers still check each entry's status.
	#[pallet::storage]
	pub type OnlineComputeNodes<T> = CountedStorageMap<_, Twox64Concat, NodeId, ()>;

	/// The node after which the next sweep of [`OnlineComputeNodes`] goes on (0: its start).
	#[pallet::storage]
	pub type OnlineSweepCursor<T> = StorageValue<_, NodeId, ValueQuery>;

	/// The chain time the last block's hook saw, to notice a stall.
	#[pallet::storage]
	pub type LastHookMs<T> = StorageValue<_, Moment, ValueQuery>;

	/// When the chain last came back from a stall longer than a heartbeat window: no node could
	/// beat while no blocks were made, so downtime is counted from here at the earliest.
	#[pallet::storage]
	pub type ResumedAtMs<T> = StorageValue<_, Moment, ValueQuery>;

	/// The deposit held for each node's record (nodes registered before deposits have none).
	#[pallet::storage]
	pub type RecordDeposits<T> = StorageMap<_, Twox64Concat, NodeId, Balance, ValueQuery>;

	/// Number of nodes in each stored state.
	#[pallet::storage]
	pub type StateCounts<T> = StorageMap<_, Twox64Concat, StateKind, u32, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Heartbeat window in milliseconds.
		pub heartbeat_window_ms: Moment,
		/// `(minimum memory per GPU in GiB, stake per GPU)` tiers, ascending, the first at 0 GiB.
		pub stake_tiers: alloc::vec::Vec<(u32, Balance)>,
		/// Stake multiplier in percent (100 = 1.0×).
		pub stake_multiplier_percent: u32,
		/// How the multiplier follows the market each period.
		pub stake_adjustment: StakeAdjustment,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	/// A valid register: ten-minute windows, one stake tier of 1,000 VCAI per GPU, multiplier 1.
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				heartbeat_window_ms: 600_000,
				stake_tiers: alloc::vec![(0, 1_000 * vcity_primitives::VCAI)],
				stake_multiplier_percent: 100,
				stake_adjustment: Default::default(),
				_config: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self).expect("genesis registry configuration is valid");
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A node joined with its stake held from `owner`.
		NodeRegistered {
			node: NodeId,
			owner: T::AccountId,
			operator: T::AccountId,
			stake: Balance,
			required_stake: Balance,
		},
		/// More stake was held for a node; `total` is its stake now.
		StakeBonded { node: NodeId, amount: Balance, total: Balance },
		/// The node's price per GPU-hour changed.
		PriceUpdated { node: NodeId, price_per_gpu_hour: Balance },
		/// The node's region changed.
		RegionUpdated { node: NodeId, region: Region },
		/// The node's agent now signs with `operator`.
		OperatorChanged { node: NodeId, operator: T::AccountId },
		/// The node left service; its stake returns at block `unlock_at`.
		UnbondingStarted { node: NodeId, unlock_at: BlockNumberFor<T> },
		/// The node exited and `returned` was released to its owner.
		NodeExited { node: NodeId, returned: Balance },
		/// Governance set the stake schedule.
		StakeScheduleSet { schedule: StakeSchedule },
		/// Governance set the stake multiplier.
		StakeMultiplierSet { old: FixedU128, new: FixedU128 },
		/// A period began and the multiplier took a step toward `aim`, from the last period's
		/// utilization and VCAI's day-average price (VCAI base units per USDV); no aim (a
		/// reference price but no price now) holds it. `enforced` is what registered nodes must
		/// hold now, the lowest multiplier over the grace.
		StakeAdjusted {
			period: PeriodIndex,
			utilization: Option<Perbill>,
			vcai_per_usdv: Option<VcaiPerUsdv>,
			aim: Option<FixedU128>,
			old: FixedU128,
			new: FixedU128,
			enforced: FixedU128,
		},
		/// Governance set how the multiplier follows the market.
		StakeAdjustmentSet { params: StakeAdjustment },
		/// Governance set the heartbeat window.
		HeartbeatWindowSet { window_ms: Moment },
		/// `amount` of the node's stake moved to `beneficiary` as a penalty.
		NodeSlashed { node: NodeId, amount: Balance, beneficiary: T::AccountId },
		/// The node was suspended while an offence is handled.
		NodeSuspended { node: NodeId },
		/// The suspended node may work again.
		NodeResumed { node: NodeId },
		/// The node was banned for good.
		NodeBanned { node: NodeId },
		/// An exited node's record was removed and its deposit returned to `owner`.
		NodeReaped { node: NodeId, owner: T::AccountId, deposit: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No node has this id.
		UnknownNode,
		/// Only the node's owner may do this.
		NotOwner,
		/// The signer is not the node's operator key.
		NotOperator,
		/// The node must offer at least one role.
		NoRoles,
		/// The GPU model name is empty.
		EmptyGpuModel,
		/// The GPU count is zero.
		ZeroGpuCount,
		/// More GPUs than `MaxGpusPerNode`.
		TooManyGpus,
		/// The memory per GPU is zero.
		ZeroVram,
		/// More memory per GPU than `MaxVramPerGpuGib`.
		VramTooLarge,
		/// The region is empty.
		EmptyRegion,
		/// A price of zero would give compute away.
		ZeroPrice,
		/// The operator key already runs a node.
		OperatorInUse,
		/// Owner and operator must be separate keys, so the hot key on the GPU host cannot move the stake.
		OperatorIsOwner,
		/// The stake offered is below what the schedule requires for this GPU spec.
		StakeBelowRequired,
		/// The owner cannot hold this much.
		InsufficientBalance,
		/// A zero amount changes nothing.
		ZeroAmount,
		/// The heartbeat came before the node's next window opened.
		HeartbeatTooEarly,
		/// A load above 100 percent.
		InvalidMetrics,
		/// The node is not in service (unbonding, suspended, exited or banned).
		NodeNotActive,
		/// The node is already unbonding.
		AlreadyUnbonding,
		/// The node is suspended; nothing moves until the offence is handled.
		NodeSuspended,
		/// The node has exited or is banned.
		NodeGone,
		/// The node is not unbonding.
		NotUnbonding,
		/// The unbonding period has not ended yet.
		StillUnbonding,
		/// The node still has tasks that have not ended; the stake returns once they have.
		OpenTasks,
		/// A slash is pending against the node; the stake returns once it has executed or an
		/// appeal has cancelled it.
		SlashPending,
		/// The node has tasks it acknowledged and has not delivered: it delivers them or gives
		/// them up (`report_failure`) before it leaves, since it could not start them once
		/// unbonding.
		CommittedTasks,
		/// The node is not suspended.
		NotSuspended,
		/// Tiers must be 1 to 8, strictly ascending, start at 0 GiB and ask a non-zero stake.
		InvalidStakeSchedule,
		/// The multiplier is outside `MinStakeMultiplier..=MaxStakeMultiplier`.
		MultiplierOutOfBounds,
		/// The step is zero or above 50% a period, or the grace is longer than 8 periods.
		InvalidStakeAdjustment,
		/// The window is outside `MinHeartbeatWindowMs..=MaxHeartbeatWindowMs`.
		WindowOutOfBounds,
		/// An arithmetic overflow; the request was too large.
		Overflow,
		/// No stake schedule is set (the genesis config did not build one), so no stake can be
		/// required and no node registered.
		NoStakeSchedule,
		/// Only the record of a node that has exited can be removed; a banned node's record
		/// stays as the record of its ban.
		NodeNotExited,
		/// Something on chain still needs the node's record: a task not ended, or rewards not
		/// claimed. Claim them first.
		RecordInUse,
		/// A capacity challenge of the node is open, or owed for GPUs its tasks held when it was
		/// drawn; the stake returns once it has been judged.
		ChallengePending,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinStakeMultiplier::get() <= T::MaxStakeMultiplier::get(),
				"the stake multiplier's bounds are inverted"
			);
		}

		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let stall = Self::note_stall();
			Self::maybe_reset_multiplier().saturating_add(stall).saturating_add(Self::sweep_online_nodes())
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a node whose agent signs with `operator`, holding `stake` from the caller.
		#[pallet::call_index(0)]
		// The multi-GPU coefficient the stake follows is read from the rewards pallet.
		#[pallet::weight(T::WeightInfo::register_node(CHARGED_NETWORK_SIZE).saturating_add(T::DbWeight::get().reads(1)))]
		// Each term is its own argument so wallets show and fill them one by one.
		#[allow(clippy::too_many_arguments)]
		pub fn register_node(
			origin: OriginFor<T>,
			kind: NodeKind,
			roles: NodeRoles,
			gpu: GpuSpec,
			region: Region,
			price_per_gpu_hour: Balance,
			operator: T::AccountId,
			stake: Balance,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let terms = Registration { kind, roles, gpu, region, price_per_gpu_hour, operator, stake };
			Self::do_register_node(owner, terms).map(|_| ())
		}

		/// Holds `amount` more of the owner's VCAI as the node's stake.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, node: NodeId, amount: Balance) -> DispatchResult {
			Self::do_bond_extra(ensure_signed(origin)?, node, amount)
		}

		/// Proves the node alive for the current window; free when valid, refused in the pool
		/// otherwise.
		#[pallet::call_index(2)]
		// The measured beat predates three reads it now makes (the stake schedule and the
		// multi-GPU coefficient, for the stake factor, and the clock's period lengths) and the
		// Proof-of-Capacity credit, charged here.
		#[pallet::weight(
			T::WeightInfo::heartbeat(CHARGED_NETWORK_SIZE)
				.saturating_add(T::DbWeight::get().reads(3))
				.saturating_add(<T::CapacityRewards as vcity_primitives::CapacityRewards>::capacity_proven_weight())
		)]
		#[pallet::feeless_if(|origin: &OriginFor<T>, node: &NodeId, metrics: &HeartbeatMetrics| -> bool {
			Pallet::<T>::is_valid_heartbeat(origin, *node, metrics)
		})]
		pub fn heartbeat(origin: OriginFor<T>, node: NodeId, metrics: HeartbeatMetrics) -> DispatchResult {
			Self::do_heartbeat(ensure_signed(origin)?, node, metrics)
		}

		/// Sets the node's price in USDV base units per GPU-hour.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_price())]
		pub fn update_price(
			origin: OriginFor<T>,
			node: NodeId,
			price_per_gpu_hour: Balance,
		) -> DispatchResult {
			Self::do_update_price(ensure_signed(origin)?, node, price_per_gpu_hour)
		}

		/// Sets the node's region.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_region())]
		pub fn update_region(origin: OriginFor<T>, node: NodeId, region: Region) -> DispatchResult {
			Self::do_update_region(ensure_signed(origin)?, node, region)
		}

		/// Moves the node to a new operator key (e.g. after the GPU host's key leaked).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::change_operator())]
		pub fn change_operator(origin: OriginFor<T>, node: NodeId, operator: T::AccountId) -> DispatchResult {
			Self::do_change_operator(ensure_signed(origin)?, node, operator)
		}

		/// Takes the node out of service; its stake returns after `UnbondingPeriod`.
		#[pallet::call_index(6)]
		// One read more than measured: the market's count of committed tasks.
		#[pallet::weight(T::WeightInfo::deregister().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn deregister(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			Self::do_deregister(ensure_signed(origin)?, node)
		}

		/// Releases the stake of a node whose unbonding period has ended; the node exits.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded()
			.saturating_add(<T::Penalties as vcity_primitives::PenaltyStatus>::penalty_status_weight())
			.saturating_add(<T::OpenChecks as vcity_primitives::OpenChecks>::checks_open_weight()))]
		pub fn withdraw_unbonded(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			Self::do_withdraw_unbonded(ensure_signed(origin)?, node)
		}

		/// Sets the stake schedule (governance).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_stake_schedule())]
		pub fn set_stake_schedule(origin: OriginFor<T>, schedule: StakeSchedule) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_stake_schedule(schedule)
		}

		/// Sets the stake multiplier (governance), until the next period's re-set.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_stake_multiplier())]
		pub fn set_stake_multiplier(origin: OriginFor<T>, multiplier: FixedU128) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_stake_multiplier(multiplier)
		}

		/// Sets the heartbeat window (governance).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_heartbeat_window())]
		pub fn set_heartbeat_window(origin: OriginFor<T>, window_ms: Moment) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_heartbeat_window(window_ms)
		}

		/// Sets how the stake multiplier follows the market each period (governance): the
		/// reference price, the demand gain, the largest step and the grace after a raise.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::set_stake_adjustment())]
		pub fn set_stake_adjustment(origin: OriginFor<T>, params: StakeAdjustment) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_stake_adjustment(params)
		}

		/// Removes the record of a node that has exited and returns its deposit to the owner,
		/// once nothing on chain still needs the record (every task ended, every reward
		/// claimed). The node's id is never given out again.
		#[pallet::call_index(12)]
		#[pallet::weight(
			T::WeightInfo::reap_node()
				.saturating_add(<T::RecordUse as vcity_primitives::NodeRecordUse>::in_use_weight())
		)]
		pub fn reap_node(origin: OriginFor<T>, node: NodeId) -> DispatchResult {
			Self::do_reap_node(ensure_signed(origin)?, node)
		}
	}
}
