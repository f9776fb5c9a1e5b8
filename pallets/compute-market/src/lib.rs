//! # Compute market
//!
//! Users rent GPUs from registered nodes and pay in USDV (docs/market.md,
//! docs/economics.md#fee-split): a task's maximum cost is held from its owner when it is
//! submitted; a scheduler node's batch of assignments (or the owner's own pick) is checked here
//! against every constraint; the node acknowledges, runs, meters and delivers a result digest;
//! after a dispute window the payment splits between the node, the scheduler and the protocol's
//! revenue sink, and the unused escrow goes back.
//!
//! This file only declares; behaviour lives in files named for their job:
//! - `submit.rs`: checking a task's terms, the escrow, cancelling;
//! - `assign.rs`: whether a node can take a task, batches and direct picks;
//! - `delivery.rs`: acknowledge, start, usage, completion, failure, requeue, and the failed
//!   deliveries it reports as offences;
//! - `audits.rs`: what verification reads of a delivered task and what its verdict does;
//! - `ban.rs`: what a ban ends (the tasks in the banned node's hands);
//! - `settle.rs`: the fee split, payouts, refunds, ratings and disputes;
//! - `timeouts.rs`: the per-block queues of every timeout, acknowledgement to record dropping;
//! - `usage.rs`: the `UsageMeter` the rewards pallet reads;
//! - `query.rs`: the views behind the runtime API;
//! - `matching.rs`: the queued tasks and idle nodes a scheduler node's worker matches;
//! - `invariants.rs`: `try_state`, what must hold after every block.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod assign;
mod audits;
mod ban;
mod delivery;
mod invariants;
pub mod matching;
pub mod migrations;
pub mod query;
mod settle;
mod submit;
mod timeouts;
pub mod types;
mod usage;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod tests;

/// Quality an unrated delivery reports to the node's reputation, in percent. Below the Gold
/// threshold on purpose: silence is not praise, so only rated work lifts a node to Gold.
pub const UNRATED_QUALITY_PERCENT: u8 = 75;

/// Default price floors per GPU-hour, `[consumer, workstation, data-centre]`: 0.05, 0.15 and 0.50
/// USDV, well under what such cards rent for (docs/economics.md#price-floor).
pub const DEFAULT_PRICE_FLOOR: [vcity_primitives::Balance; 3] = [50_000, 150_000, 500_000];

/// Most blocks the timeout queue looks ahead for a free slot before refusing a call.
pub const TIMEOUT_PROBE_BLOCKS: u32 = 16;

/// Distinct nodes a scheduler node's charges of one period remember ([`SchedulerCharges`]);
/// beyond them the oldest is forgotten, so its next failure is charged again.
pub const SCHEDULER_CHARGES_KEPT: u32 = 16;

/// What `assign_tasks` is charged for a batch of `items`: the measured call at the charged
/// network size, and the timeouts it queues.
pub fn assign_batch_weight<T: Config>(items: u32) -> frame_support::weights::Weight {
	T::WeightInfo::assign_tasks(items, vcity_primitives::CHARGED_NETWORK_SIZE)
		.saturating_add(timeouts_weight::<T>(items))
}

/// What firing `count` timeouts will cost a later `on_initialize`. Calls that queue timeouts pay
/// for them up front, so the hook's work is never free for whoever caused it. Each may record a
/// failure on the assigning scheduler too (its charges and its reputation, read and written).
pub fn timeouts_weight<T: Config>(count: u32) -> frame_support::weights::Weight {
	let one = T::WeightInfo::on_initialize(1).saturating_sub(T::WeightInfo::on_initialize(0));
	one.saturating_add(settlement_rewards_weight::<T>())
		.saturating_add(failure_weight::<T>())
		.saturating_add(offence_weight::<T>())
		.saturating_add(in_hand_weight::<T>())
		.saturating_add(usage_meter_weight::<T>())
		.saturating_mul(u64::from(count))
}

/// What recording a failure adds to a timeout or a call that may end a task: the scheduler's
/// charges and its reputation, and the block's lapse charges, read and written.
pub fn failure_weight<T: Config>() -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	T::DbWeight::get().reads_writes(3, 3)
}

/// A task that ends unpaid after its node committed to it reports the node's failed delivery
/// (and updates the node's committed count): added to every timeout and to the calls that may
/// end such a task.
pub fn offence_weight<T: Config>() -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	use vcity_primitives::OffenceReporter;
	T::Offences::report_offence_weight().saturating_add(T::DbWeight::get().reads_writes(1, 1))
}

/// What stopping a counted run and giving its consumption back costs (`usage.rs`): added to
/// every timeout and to the calls that end a running task, whose benchmarks may not take that
/// branch.
pub fn usage_meter_weight<T: Config>() -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	T::DbWeight::get().reads_writes(6, 5)
}

/// The write of [`TasksInHand`] when a task enters or leaves a node's hands, and verification's
/// part (the GPUs a challenge withholds, read on assignment; the freed GPUs a challenge waits
/// for), added to the measured weights of the calls (and timeouts) that assign or free a node's
/// GPUs.
pub fn in_hand_weight<T: Config>() -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	use vcity_primitives::DeliveryAudits;
	T::DbWeight::get().reads_writes(1, 1).saturating_add(T::Audits::gpus_freed_weight())
}

/// What a settlement adds to the measured weights: the Proof-of-Delivery points it credits
/// (benchmarked by the rewards pallet), the read of the clock's period lengths, the user's fees
/// of the period (the rebate's cap) and the scheduler's reputation. Every call that queues a
/// timeout, and every call that settles, already pays one [`timeouts_weight`], which includes
/// it; over-charging the timeouts that never settle keeps the rule simple.
pub fn settlement_rewards_weight<T: Config>() -> frame_support::weights::Weight {
	use frame_support::traits::Get;
	use vcity_primitives::DeliveryRewards;
	T::DeliveryRewards::delivered_weight().saturating_add(T::DbWeight::get().reads_writes(3, 2))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Permill;
	use vcity_primitives::{
		Balance, Billing, CapacityMeter, Clock, DeliveryReporter, Digest, GpuSeconds, Moment, NodeId,
		NodeRegistry, PeriodIndex, RevenueSink, TaskId, TaskRequirements, Workload, CHARGED_NETWORK_SIZE,
	};

	/// The in-code storage version.
	/// Version 1: committed tasks are counted per node (`migrations::v1`).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// USDV, from which escrows are held and in which tasks are paid.
		type Stablecoin: Inspect<Self::AccountId, Balance = Balance>
			+ InspectHold<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons, of which [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;
		/// The compute-node registry.
		type Registry: NodeRegistry<Self::AccountId, Balance>;
		/// Where task outcomes and ratings go (the registry's reputation).
		type Reputation: DeliveryReporter;
		/// Where delivered compute earns Proof-of-Delivery points (the rewards pallet).
		type DeliveryRewards: vcity_primitives::DeliveryRewards;
		/// Audits of delivered results (the verification pallet): which are checked, the fee
		/// that pays verifiers, and the disputes they decide.
		type Audits: vcity_primitives::DeliveryAudits<Self::AccountId>;
		/// Where a node's failed deliveries are reported (the slashing pallet).
		type Offences: vcity_primitives::OffenceReporter<Self::AccountId>;
		/// GPU-seconds nodes proved available per period (the registry's heartbeats).
		type Capacity: CapacityMeter;
		/// Receives the protocol's part of each payment.
		type RevenueSink: RevenueSink<Self::AccountId, Balance>;
		/// The chain's clock (periods of the usage meter).
		type Clock: Clock;
		/// Who changes the market's parameters (root until the DAO exists).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who resolves the disputes no audit can decide (results that cannot be recomputed).
		type DisputeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most GPUs a node may declare (the registry's bound): no task may ask for more.
		#[pallet::constant]
		type MaxGpusPerNode: Get<u32>;
		/// Most memory a GPU may declare, in GiB (the registry's bound).
		#[pallet::constant]
		type MaxVramPerGpuGib: Get<u32>;
		/// Expected block time; turns a task's seconds into the blocks it needs before its
		/// deadline.
		#[pallet::constant]
		type BlockTimeMs: Get<Moment>;
		/// Longest task, in seconds.
		#[pallet::constant]
		type MaxTaskSeconds: Get<u64>;
		/// Furthest a deadline may lie ahead, in blocks.
		#[pallet::constant]
		type MaxDeadlineBlocks: Get<BlockNumberFor<Self>>;
		/// Shortest acknowledgement window governance may set, in blocks: room for a node's
		/// acknowledgement to be sent, lost and sent again.
		#[pallet::constant]
		type MinAckWindow: Get<BlockNumberFor<Self>>;
		/// Most assignments in one scheduler batch.
		#[pallet::constant]
		type MaxAssignmentsPerBatch: Get<u32>;
		/// Most timeouts of each kind one block handles; later ones move to the next free block.
		#[pallet::constant]
		type MaxTimeoutsPerBlock: Get<u32>;
		/// Smallest escrow a task may hold: tasks cost state, so a flood of free ones must tie up
		/// real funds.
		#[pallet::constant]
		type MinTaskEscrow: Get<Balance>;
		/// What a settled task must pay for its delivery to move the node's reputation a full
		/// step (docs/economics.md#reputation); a smaller payment moves it in proportion.
		#[pallet::constant]
		type FullReputationPayment: Get<Balance>;
		/// Reputation (basis points) a node needs to assign tasks as a scheduler, and to be
		/// given tasks by one (docs/market.md#scheduler-accountability). A node's failure moves
		/// the reputation of the scheduler that picked it toward zero too, once per node and
		/// period, so a scheduler whose picks keep failing stops scheduling until its record
		/// recovers, and a node that keeps failing is picked by no scheduler.
		#[pallet::constant]
		type MinTrustedReputation: Get<u32>;
		/// Blocks an ended task stays readable before its record is dropped.
		#[pallet::constant]
		type TaskRetention: Get<BlockNumberFor<Self>>;
		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Lets benchmarks create USDV, nodes and heartbeats.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// What the benchmarks need from the runtime.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Gives `who` `amount` of USDV.
		fn fund(who: &AccountId, amount: Balance);
		/// Registers for `owner` an online node with `gpus` GPUs of 80 GiB, the compute role and,
		/// if asked, the scheduler role, run by `operator`; returns its id.
		fn online_node(owner: &AccountId, operator: &AccountId, gpus: u32, scheduler: bool) -> NodeId;
		/// Registers `count` more nodes, so the register has realistic depth.
		fn fill_register(count: u32);
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// USDV held from a task's owner until the task settles or is refunded.
		TaskEscrow,
	}

	/// The id the next task gets; ids are never reused.
	#[pallet::storage]
	pub type NextTaskId<T> = StorageValue<_, TaskId, ValueQuery, FirstTaskId>;

	/// Ids start at 1: 0 never names a task.
	#[pallet::type_value]
	pub fn FirstTaskId() -> TaskId {
		1
	}

	/// Tasks, until [`Config::TaskRetention`] after they end.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskOf<T>>;

	/// Tasks waiting for a node: the index scheduler nodes read.
	#[pallet::storage]
	pub type QueuedTasks<T> = StorageMap<_, Twox64Concat, TaskId, ()>;

	/// Each owner's tasks.
	#[pallet::storage]
	pub type TasksOfOwner<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, TaskId, ()>;

	/// Each node's tasks.
	#[pallet::storage]
	pub type TasksOfNode<T> = StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, TaskId, ()>;

	/// The nodes whose failures each scheduler node has answered for, with the period: a
	/// scheduler is charged once per node and period (docs/market.md#scheduler-accountability),
	/// so one node failing many of its tasks at once cannot bar an honest scheduler. A failure
	/// on each side of a period's close is charged twice. Bounded; a charge drops the entries of
	/// earlier periods, and a full list its oldest, which can only charge a node again. A
	/// scheduler that leaves keeps its list (at most 16 entries) for its record.
	#[pallet::storage]
	pub type SchedulerCharges<T: Config> = StorageMap<
		_,
		Twox64Concat,
		NodeId,
		BoundedVec<(NodeId, PeriodIndex), ConstU32<SCHEDULER_CHARGES_KEPT>>,
		ValueQuery,
	>;

	/// The nodes whose lapsed assignments were charged in the block this names: the
	/// assignments a node lets lapse in one block are one failure, not one a task, so missing
	/// one acknowledgement window (a restart, a congested pool) with a batch in hand costs a
	/// node one step. Bounded by the lapses one block fires.
	#[pallet::storage]
	pub type LapsesCharged<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, BoundedVec<NodeId, T::MaxTimeoutsPerBlock>), ValueQuery>;

	/// Tasks a node holds GPUs for (assigned, acknowledged or running), and the block each was
	/// assigned in: what its agent works on. Its offchain worker reads only these, not the
	/// node's history in [`TasksOfNode`]. The block tells a capacity challenge owed for the
	/// GPUs tasks held at a draw which tasks those were.
	#[pallet::storage]
	pub type TasksInHand<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NodeId, Twox64Concat, TaskId, BlockNumberFor<T>>;

	/// Tasks each node took that have not ended: the registry keeps the node's stake while any
	/// remain.
	#[pallet::storage]
	pub type OpenTasksOfNode<T> = StorageMap<_, Twox64Concat, NodeId, u32, ValueQuery>;

	/// Tasks each node acknowledged and has not delivered or given up (acknowledged or
	/// running): what its downtime leaves undone, so the registry's sweep asks it.
	#[pallet::storage]
	pub type CommittedTasks<T> = StorageMap<_, Twox64Concat, NodeId, u32, ValueQuery>;

	/// GPUs of each node taken by tasks between assignment and delivery.
	#[pallet::storage]
	pub type GpusInUse<T> = StorageMap<_, Twox64Concat, NodeId, u32, ValueQuery>;

	/// Tasks whose timeout of each kind falls due at each block. One queue per kind, so that
	/// filling one (an owner chooses where a deadline falls) never crowds out another (the
	/// acknowledgement and dispute windows the protocol sets).
	#[pallet::storage]
	pub type Timeouts<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Twox64Concat,
		Timeout,
		BoundedVec<TaskId, T::MaxTimeoutsPerBlock>,
		ValueQuery,
	>;

	/// Parameters governance may change.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, MarketParams<BlockNumberFor<T>>, OptionQuery>;

	/// Counters of tasks and USDV.
	#[pallet::storage]
	pub type Stats<T> = StorageValue<_, Counters, ValueQuery>;

	/// GPU-milliseconds run in each period by tasks bought at arm's length: counted while they
	/// run, in the period they run in, and given back when a run ends unpaid or billed for less
	/// (utilization; docs/economics.md#controller).
	#[pallet::storage]
	pub type ConsumedGpuMs<T> = StorageMap<_, Twox64Concat, PeriodIndex, u128, ValueQuery>;

	/// GPUs of the running tasks that count as consumption.
	#[pallet::storage]
	pub type RunningGpus<T> = StorageValue<_, u64, ValueQuery>;

	/// How far the consumption meter has counted: up to `since_ms`, in period `period`.
	#[pallet::storage]
	pub type UsageMark<T> = StorageValue<_, MeterMark, ValueQuery>;

	/// GPU-milliseconds counted for runs that ended unpaid after their period closed, taken off
	/// the next consumption counted: a free run moves utilization, and so P_supply, for a
	/// period at most, and the controller's sum comes back to what was paid.
	#[pallet::storage]
	pub type ConsumptionDebt<T> = StorageValue<_, u128, ValueQuery>;

	/// The protocol's part of what each account paid for tasks settled in each period: the
	/// most its rebate may be worth is a share of it.
	#[pallet::storage]
	pub type FeesPaid<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PeriodIndex, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// USDV each account paid for tasks settled in each period (demand rebates).
	#[pallet::storage]
	pub type Spend<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PeriodIndex, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	/// USDV all accounts paid for tasks settled in each period.
	#[pallet::storage]
	pub type TotalSpend<T> = StorageMap<_, Twox64Concat, PeriodIndex, Balance, ValueQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Blocks a node has to acknowledge an assignment.
		pub ack_window: BlockNumberFor<T>,
		/// Blocks a node has to start a task it acknowledged.
		pub start_window: BlockNumberFor<T>,
		/// Lowest price per GPU-hour in USDV base units: `[consumer, workstation, data-centre]`.
		pub price_floor: [Balance; 3],
		/// Blocks an owner has to rate or dispute a delivery.
		pub dispute_window: BlockNumberFor<T>,
		/// Blocks a dispute may stay open before the task settles as delivered.
		pub resolution_window: BlockNumberFor<T>,
		/// Node share by tier and scheduler fee, in percent: `[bronze, silver, gold, scheduler]`.
		pub fee_split_percent: [u32; 4],
	}

	/// One-minute acknowledgements, half an hour to start, a one-hour dispute window and a week
	/// to resolve a dispute at six-second blocks, the default split
	/// (docs/economics.md#fee-split) and price floors of 0.05, 0.15 and 0.50 USDV per GPU-hour
	/// (docs/economics.md#price-floor).
	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				ack_window: 10u32.into(),
				start_window: 300u32.into(),
				price_floor: DEFAULT_PRICE_FLOOR,
				dispute_window: 600u32.into(),
				resolution_window: 100_800u32.into(),
				fee_split_percent: [85, 88, 91, 1],
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let [node_bronze, node_silver, node_gold, scheduler] =
				self.fee_split_percent.map(Permill::from_percent);
			let [consumer, workstation, datacenter] = self.price_floor;
			let params = MarketParams {
				ack_window: self.ack_window,
				start_window: self.start_window,
				dispute_window: self.dispute_window,
				resolution_window: self.resolution_window,
				fee_split: FeeSplit { node_bronze, node_silver, node_gold, scheduler },
				price_floor: PriceFloor { consumer, workstation, datacenter },
			};
			Pallet::<T>::ensure_valid_params(&params).expect("genesis market parameters are valid");
			Params::<T>::put(params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A task was submitted and `escrow` USDV held from its owner.
		TaskSubmitted { task: TaskId, owner: T::AccountId, escrow: Balance },
		/// The owner cancelled a queued task; the escrow went back. (A task its node acknowledged
		/// and did not start in time ends with `TaskRefunded` and `NotStarted`.)
		TaskCancelled { task: TaskId, refunded: Balance },
		/// A node got the task at `price_per_gpu_hour`; it must acknowledge by `ack_by`.
		TaskAssigned {
			task: TaskId,
			node: NodeId,
			scheduler: Option<NodeId>,
			price_per_gpu_hour: Balance,
			ack_by: BlockNumberFor<T>,
		},
		/// One item of a scheduler's batch was refused.
		AssignmentRejected { task: TaskId, node: NodeId, reason: Rejection },
		/// The node accepted the task.
		TaskAcknowledged { task: TaskId, node: NodeId },
		/// The node did not acknowledge in time, or gave the task up; the task is queued again
		/// and the node's reputation records a failure.
		TaskRequeued { task: TaskId, node: NodeId },
		/// The node started the task.
		TaskStarted { task: TaskId, node: NodeId },
		/// The node metered `used_gpu_seconds` so far.
		UsageReported { task: TaskId, used_gpu_seconds: GpuSeconds },
		/// The node delivered; the owner may rate or dispute until `dispute_until`.
		TaskDelivered {
			task: TaskId,
			node: NodeId,
			result: Digest,
			billed_gpu_seconds: GpuSeconds,
			dispute_until: BlockNumberFor<T>,
		},
		/// The owner rated the task.
		TaskRated { task: TaskId, stars: u8 },
		/// The owner disputed the result. An `audited` one is decided by its audit; another one
		/// by the dispute origin, and unresolved before block `resolve_by` it settles.
		TaskDisputed { task: TaskId, resolve_by: BlockNumberFor<T>, audited: bool },
		/// The node turned the task down before acknowledging it; the task is queued again (or,
		/// the last decline it takes, refunded: `TaskRefunded` follows).
		TaskDeclined { task: TaskId, node: NodeId },
		/// The payment was split and the rest of the escrow refunded.
		TaskSettled {
			task: TaskId,
			node: NodeId,
			node_share: Balance,
			scheduler_fee: Balance,
			verification_fee: Balance,
			protocol_revenue: Balance,
			refunded: Balance,
		},
		/// The task ended without payment and its escrow went back.
		TaskRefunded { task: TaskId, reason: RefundReason, refunded: Balance },
		/// A timeout could not be carried out and the task stays as it was. A delivered task can
		/// then be settled by anyone with `settle`.
		TimeoutFailed { task: TaskId, timeout: Timeout, error: DispatchError },
		/// A banned node's task could not be taken back and stays as it was; its deadline still
		/// ends it.
		TaskTakeBackFailed { task: TaskId, error: DispatchError },
		/// An ended task's record was dropped; its events remain the history.
		TaskForgotten { task: TaskId },
		/// Governance set the market parameters.
		ParamsSet { params: MarketParams<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Only the task's owner may do this.
		NotTaskOwner,
		/// The signer is not the operator key of the node the task is with.
		NotTaskNode,
		/// The signer does not run an online node with the scheduler role.
		NotScheduler,
		/// The task is not in the state this step needs.
		WrongTaskState,
		/// A task needs at least one GPU.
		ZeroGpus,
		/// More GPUs than any node may have.
		TooManyGpus,
		/// More memory per GPU than any node may have.
		VramUnavailable,
		/// A multi-GPU stage no node can reach.
		StageUnavailable,
		/// An empty region code.
		EmptyRegion,
		/// A latency bound around a region the chain does not know.
		UnknownRegion,
		/// A latency bound below the round trip within one region.
		LatencyUnreachable,
		/// A task of zero seconds.
		ZeroDuration,
		/// Longer than `MaxTaskSeconds`.
		TaskTooLong,
		/// A maximum price of zero.
		ZeroPrice,
		/// A maximum price below the price floor of the GPU class the task asks for: no node
		/// may sell that cheap.
		PriceBelowFloor,
		/// The deadline is not after the current block.
		DeadlineInPast,
		/// The deadline lies beyond `MaxDeadlineBlocks`.
		DeadlineTooFar,
		/// The task could not be acknowledged and run before its deadline.
		DeadlineTooSoon,
		/// A built-in workload of zero size or rounds, or an empty image reference.
		InvalidWorkload,
		/// A matrix product larger than the agents compute (`MAX_MATRIX_SIZE`).
		WorkloadTooLarge,
		/// A matrix product whose work does not fit the task's seconds at the reference rate
		/// (docs/market.md#work-estimate): no node could be sure to finish it in the time paid.
		WorkExceedsSeconds,
		/// The owner cannot hold the task's maximum cost in USDV.
		CannotPayEscrow,
		/// The task's maximum cost is below `MinTaskEscrow`.
		EscrowTooSmall,
		/// A cost or amount overflowed.
		Overflow,
		/// Refused for a reason a scheduler's batch item is refused with, from the one list in
		/// [`Rejection`]: an unknown task or node, a task no longer queued, a node not online, a
		/// check of the assignment, or a full timeout queue.
		Rejected(Rejection),
		/// The node acknowledged the task and its start window is still open: the task may be
		/// cancelled only after it.
		StartWindowOpen,
		/// The running task is not overdue yet (its seconds and a start window have not passed
		/// since it started): the owner may cancel it only after.
		NotOverdue,
		/// Metered usage may only grow.
		UsageDecreased,
		/// Metered usage above the task's size.
		UsageAboveSize,
		/// Metered usage above the task's GPUs × the time since it started.
		UsageAboveElapsed,
		/// The task's deadline has passed: it can no longer be delivered.
		DeadlinePassed,
		/// The task's deadline has not passed yet.
		DeadlineNotReached,
		/// The payment computed exceeds the escrow held (a bug, never expected).
		PaymentExceedsEscrow,
		/// A rating outside 1 to 5 stars.
		InvalidRating,
		/// The dispute window has closed.
		DisputeWindowClosed,
		/// The dispute window is still open; only the owner may settle early (by rating).
		DisputeWindowOpen,
		/// An audit of the task's result is under way: its verdict settles or refunds the task.
		AuditOpen,
		/// Governance parameters out of range: an acknowledgement window under `MinAckWindow`, a
		/// zero window or one beyond `MaxDeadlineBlocks`, a
		/// resolution window shorter than the dispute window, a split that is not monotone in the
		/// tiers, node share plus scheduler fee above 100%, or a zero or non-monotone price floor.
		InvalidParams,
		/// The market has no parameters (the genesis config did not set them).
		NoParams,
		/// The scheduler node's reputation is below `MinTrustedReputation`: too many of the
		/// tasks it gave out failed.
		SchedulerDistrusted,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Total VRAM in GiB from which a node reaches multi-GPU stage 1, 2 and 3: fixed, so a
		/// queued task's stage keeps its meaning (docs/registry.md#multi-gpu-stages).
		#[pallet::constant_name(MultiGpuStagesGib)]
		fn multi_gpu_stages_gib() -> [u32; 3] {
			vcity_primitives::MULTI_GPU_STAGES_GIB
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// The first block of a period closes the last one's consumption before the rewards
			// pallet (after this one in the runtime) reads it.
			Self::accrue_usage_on_new_period().saturating_add(Self::run_timeouts(now))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submits a task and holds its maximum cost, ceil(max price × GPUs × seconds / 3600),
		/// from the caller's USDV.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_task(CHARGED_NETWORK_SIZE).saturating_add(timeouts_weight::<T>(1)))]
		pub fn submit_task(
			origin: OriginFor<T>,
			requirements: TaskRequirements,
			seconds: u64,
			deadline: BlockNumberFor<T>,
			max_price_per_gpu_hour: Balance,
			workload: Workload,
			billing: Billing,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let terms =
				submit::Terms { requirements, seconds, deadline, max_price_per_gpu_hour, workload, billing };
			Self::do_submit(owner, terms).map(|_| ())
		}

		/// Cancels a task no node has taken, one its node acknowledged and has not started within
		/// the start window, or one running a start window past its seconds: the whole escrow
		/// goes back, and in the last two cases the node's reputation (and its scheduler's)
		/// records a failure.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_task().saturating_add(timeouts_weight::<T>(1)).saturating_add(offence_weight::<T>()))]
		pub fn cancel_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			Self::do_cancel(ensure_signed(origin)?, task)
		}

		/// A scheduler node's batch of assignments. Each item is checked on its own; refused
		/// items are reported in `AssignmentRejected` events and the rest take effect.
		#[pallet::call_index(2)]
		#[pallet::weight(assign_batch_weight::<T>(assignments.len() as u32))]
		pub fn assign_tasks(
			origin: OriginFor<T>,
			assignments: BoundedVec<(TaskId, NodeId), T::MaxAssignmentsPerBatch>,
		) -> DispatchResult {
			Self::do_assign_batch(ensure_signed(origin)?, assignments)
		}

		/// The owner gives a queued task to a node of their choice; no scheduler fee is due.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::assign_directly().saturating_add(timeouts_weight::<T>(1)))]
		pub fn assign_directly(origin: OriginFor<T>, task: TaskId, node: NodeId) -> DispatchResult {
			Self::do_assign_directly(ensure_signed(origin)?, task, node)
		}

		/// The node's operator accepts an assigned task.
		#[pallet::call_index(4)]
		// The node's count of committed tasks grows (read and written; not in the measurement).
		#[pallet::weight(T::WeightInfo::acknowledge_task(CHARGED_NETWORK_SIZE).saturating_add(T::DbWeight::get().reads_writes(1, 1)))]
		pub fn acknowledge_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			Self::do_acknowledge(ensure_signed(origin)?, task)
		}

		/// The node's operator reports that the task started.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::start_task().saturating_add(usage_meter_weight::<T>()))]
		pub fn start_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			Self::do_start(ensure_signed(origin)?, task)
		}

		/// The node's operator reports the GPU-seconds metered so far (pay-as-you-go billing).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::report_usage())]
		pub fn report_usage(
			origin: OriginFor<T>,
			task: TaskId,
			used_gpu_seconds: GpuSeconds,
		) -> DispatchResult {
			Self::do_report_usage(ensure_signed(origin)?, task, used_gpu_seconds)
		}

		/// The node's operator delivers the result digest and the final metered usage; the
		/// dispute window opens.
		#[pallet::call_index(7)]
		// The node's count of committed tasks shrinks (read and written; not in the measurement).
		#[pallet::weight(T::WeightInfo::complete_task(CHARGED_NETWORK_SIZE)
			.saturating_add(timeouts_weight::<T>(1))
			.saturating_add(in_hand_weight::<T>())
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
			.saturating_add(<T::Audits as vcity_primitives::DeliveryAudits<T::AccountId>>::delivered_weight()))]
		pub fn complete_task(
			origin: OriginFor<T>,
			task: TaskId,
			result: Digest,
			used_gpu_seconds: GpuSeconds,
		) -> DispatchResult {
			Self::do_complete(ensure_signed(origin)?, task, result, used_gpu_seconds)
		}

		/// The node's operator gives up a task it acknowledged: the node's reputation records a
		/// failure and the task goes back to the queue for another node, or, if its deadline no
		/// longer leaves time for one, ends with the escrow refunded.
		#[pallet::call_index(8)]
		// The node's count of committed tasks shrinks (read and written; not in the measurement).
		#[pallet::weight(T::WeightInfo::report_failure()
			.saturating_add(timeouts_weight::<T>(1))
			.saturating_add(in_hand_weight::<T>())
			.saturating_add(T::DbWeight::get().reads_writes(1, 1)))]
		pub fn report_failure(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			Self::do_report_failure(ensure_signed(origin)?, task)
		}

		/// The owner rates a delivered task from 1 to 5 stars, which also accepts the result
		/// and settles it at once.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::rate_task().saturating_add(timeouts_weight::<T>(1)))]
		pub fn rate_task(origin: OriginFor<T>, task: TaskId, stars: u8) -> DispatchResult {
			Self::do_rate(ensure_signed(origin)?, task, stars)
		}

		/// The owner disputes a delivered result within the dispute window. A result verifiers
		/// can recompute is audited, with the verification pallet's deposit held from the owner
		/// (returned if the result was false); any other waits for the dispute origin.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::dispute_task()
			.saturating_add(timeouts_weight::<T>(1))
			.saturating_add(<T::Audits as vcity_primitives::DeliveryAudits<T::AccountId>>::disputed_weight()))]
		pub fn dispute_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			Self::do_dispute(ensure_signed(origin)?, task)
		}

		/// Resolves a dispute no audit decides: upheld refunds the owner and records a failure
		/// for the node; rejected settles the task as delivered.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::resolve_dispute().saturating_add(timeouts_weight::<T>(1)).saturating_add(offence_weight::<T>()))]
		pub fn resolve_dispute(origin: OriginFor<T>, task: TaskId, upheld: bool) -> DispatchResult {
			T::DisputeOrigin::ensure_origin(origin)?;
			Self::do_resolve_dispute(task, upheld)
		}

		/// Settles a delivered task whose dispute window has closed. The timeout queue does this
		/// by itself; this call is for a settlement that failed there.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::settle().saturating_add(timeouts_weight::<T>(1)))]
		pub fn settle(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_after_window(task)
		}

		/// The node's operator turns down a task assigned to it and not yet acknowledged: the
		/// task goes back to the queue, is never offered to this node again, and ends refunded
		/// once `MAX_DECLINES` nodes have turned it down. The node's reputation is untouched and a
		/// successful decline pays no fee, so nobody can hurt a node by sending it work it does
		/// not want.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::decline_task()
			.saturating_add(in_hand_weight::<T>())
			.saturating_add(timeouts_weight::<T>(1)))]
		pub fn decline_task(origin: OriginFor<T>, task: TaskId) -> DispatchResultWithPostInfo {
			Self::do_decline(ensure_signed(origin)?, task)?;
			// Free when it succeeds: only the node a task was assigned to may decline it, once per
			// assignment, and every assignment was paid for by whoever made it; so turning down
			// work one cannot run costs a node nothing, fees included.
			Ok(Pays::No.into())
		}

		/// Ends a task whose deadline has passed before delivery and refunds its escrow. The
		/// timeout queue does this by itself; this call is for a refund that failed there.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::expire_task().saturating_add(timeouts_weight::<T>(1)).saturating_add(offence_weight::<T>()))]
		pub fn expire_task(origin: OriginFor<T>, task: TaskId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_expire(task)
		}

		/// Sets the market parameters (governance).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: MarketParams<BlockNumberFor<T>>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::ensure_valid_params(&params)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}
}
