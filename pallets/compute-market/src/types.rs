//! Records the market keeps.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec, PalletError};
use scale_info::TypeInfo;
use sp_runtime::Permill;
use vcity_primitives::{
	Balance, Billing, Digest, GpuClass, GpuSeconds, Moment, NodeId, ReputationTier, TaskRequirements,
	TaskStatus, Workload,
};

/// A task as stored, generic over the account and block number types.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Task<AccountId, BlockNumber> {
	/// Who submitted and pays.
	pub owner: AccountId,
	/// Chain time of submission: a node that registered or raised its price after it may not
	/// take the task.
	pub queued_ms: Moment,
	pub requirements: TaskRequirements,
	/// Wall-clock seconds the task occupies its GPUs.
	pub seconds: u64,
	/// Last block in which the task may be delivered, else it expires and the escrow is refunded.
	pub deadline: BlockNumber,
	/// The block whose deadline queue holds this task (the deadline, or a little later when
	/// that block's queue was full).
	pub deadline_slot: BlockNumber,
	/// USDV base units per GPU-hour the owner accepts at most.
	pub max_price_per_gpu_hour: Balance,
	pub workload: Workload,
	pub billing: Billing,
	/// USDV held from the owner for this task; zero once the task has ended.
	pub escrow: Balance,
	/// Whether its run counts as consumption: bought from someone else's node (set at start).
	pub counts_as_usage: bool,
	/// GPU-milliseconds its run added to consumption, once it stopped running: what is given
	/// back if it ends unpaid, or beyond what it billed.
	pub counted_gpu_ms: u128,
	/// Nodes that turned the task down: none of them is offered it again, and once
	/// [`MAX_DECLINES`] have, it ends refunded rather than bounce between nodes to its deadline.
	pub declined_by: BoundedVec<NodeId, ConstU32<MAX_DECLINES>>,
	pub state: TaskState<BlockNumber>,
	/// USDV paid out of the escrow (node, scheduler and protocol together).
	pub paid: Balance,
	/// USDV released back to the owner.
	pub refunded: Balance,
	/// The owner's rating, 1 to 5 stars.
	pub rating: Option<u8>,
}

/// Nodes that may decline a task before it ends refunded (`RefundReason::Declined`): enough
/// for a task to find a node whose agent runs it, few enough that a task no agent runs stops
/// costing schedulers and nodes fees within a handful of assignments.
pub const MAX_DECLINES: u32 = 8;

/// Task record of a runtime.
pub type TaskOf<T> =
	Task<<T as frame_system::Config>::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>;

impl<AccountId, BlockNumber> Task<AccountId, BlockNumber> {
	/// GPUs × seconds: what the escrow was sized for.
	pub fn size_gpu_seconds(&self) -> GpuSeconds {
		u64::from(self.requirements.gpus).saturating_mul(self.seconds)
	}
}

/// Which node took a task, who matched them, and the price they agreed on.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub struct Engagement {
	pub node: NodeId,
	/// The scheduler node that assigned the task; `None` when the owner picked the node.
	pub scheduler: Option<NodeId>,
	/// The node's price per GPU-hour when it was assigned; later price changes do not apply.
	pub price_per_gpu_hour: Balance,
}

/// A scheduler node making assignments, with the accounts that control it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Assigner<AccountId> {
	pub node: NodeId,
	pub owner: AccountId,
	pub operator: AccountId,
}

impl<AccountId: PartialEq> Assigner<AccountId> {
	/// Whether the scheduler's owner or operator controls the node of `profile`: a scheduler
	/// may not give it work (`Rejection::OwnNode`).
	pub fn controls<Balance>(&self, profile: &vcity_primitives::NodeProfile<AccountId, Balance>) -> bool {
		[&self.owner, &self.operator].iter().any(|who| **who == profile.owner || **who == profile.operator)
	}
}

/// Where a task stands. Each variant carries what the next step needs.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaskState<BlockNumber> {
	/// Waiting for a scheduler or the owner to pick a node.
	Queued,
	/// Given to a node, which must acknowledge (or decline) before block `ack_by` or the task
	/// returns to the queue.
	Assigned { engagement: Engagement, ack_by: BlockNumber },
	/// The node accepted the task in block `acked_at` and is preparing it. Not started within
	/// the start window, its owner may cancel it.
	Acknowledged { engagement: Engagement, acked_at: BlockNumber },
	/// Running since chain time `started_ms`; `used_gpu_seconds` is what the node has metered.
	Running { engagement: Engagement, started_ms: Moment, used_gpu_seconds: GpuSeconds },
	/// Delivered; the owner may rate or dispute before block `dispute_until`, then it settles.
	Delivered {
		engagement: Engagement,
		billed_gpu_seconds: GpuSeconds,
		result: Digest,
		dispute_until: BlockNumber,
	},
	/// The owner disputed the result. Unless the dispute is resolved before block `resolve_by`,
	/// the task settles as delivered: a dispute can delay payment, never block it for good.
	Disputed {
		engagement: Engagement,
		billed_gpu_seconds: GpuSeconds,
		result: Digest,
		resolve_by: BlockNumber,
	},
	/// Paid out.
	Settled { engagement: Engagement, billed_gpu_seconds: GpuSeconds, result: Digest },
	/// Ended without payment; the whole escrow went back to the owner.
	Refunded { reason: RefundReason, engagement: Option<Engagement> },
}

impl<BlockNumber> TaskState<BlockNumber> {
	/// The status clients see.
	pub fn status(&self) -> TaskStatus {
		match self {
			Self::Queued => TaskStatus::Queued,
			Self::Assigned { .. } => TaskStatus::Assigned,
			Self::Acknowledged { .. } => TaskStatus::Acknowledged,
			Self::Running { .. } => TaskStatus::Running,
			Self::Delivered { .. } => TaskStatus::Delivered,
			Self::Disputed { .. } => TaskStatus::Disputed,
			Self::Settled { .. } => TaskStatus::Settled,
			Self::Refunded { .. } => TaskStatus::Refunded,
		}
	}

	/// The node the task is with, if it has one.
	pub fn engagement(&self) -> Option<Engagement> {
		match self {
			Self::Queued => None,
			Self::Assigned { engagement, .. }
			| Self::Acknowledged { engagement, .. }
			| Self::Running { engagement, .. }
			| Self::Delivered { engagement, .. }
			| Self::Disputed { engagement, .. }
			| Self::Settled { engagement, .. } => Some(*engagement),
			Self::Refunded { engagement, .. } => *engagement,
		}
	}

	/// Whether the task's GPUs are taken on its node (from assignment to delivery).
	pub fn occupies_gpus(&self) -> bool {
		matches!(self, Self::Assigned { .. } | Self::Acknowledged { .. } | Self::Running { .. })
	}

	/// Whether the task has ended (its escrow is settled or refunded).
	pub fn is_final(&self) -> bool {
		matches!(self, Self::Settled { .. } | Self::Refunded { .. })
	}
}

/// Why a task ended without payment.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum RefundReason {
	/// The owner cancelled it before any node took it.
	Cancelled,
	/// Its deadline passed before delivery.
	Expired,
	/// The node gave up on it when the deadline no longer left time for another node.
	NodeFailed,
	/// A dispute about its result was upheld.
	DisputeUpheld,
	/// The node acknowledged it and did not start it within the start window; its owner
	/// cancelled it.
	NotStarted,
	/// `MAX_DECLINES` nodes turned it down: no agent they run takes it.
	Declined,
	/// The node started it and had not delivered it a start window after its seconds; its owner
	/// cancelled it.
	Overdue,
	/// Its node was banned before it was paid for: no result of a banned node is paid.
	NodeBanned,
	/// Verifiers recomputed its result and found the node's false (the verification pallet
	/// reports the offence).
	FalseResult,
}

impl RefundReason {
	/// Whether the node failed a task it had committed to (docs/slashing.md#what-the-market-reports):
	/// it did not start it, ran past its seconds, let its deadline pass, or lost a dispute. A
	/// node that gives a task up (`NodeFailed`) said so in time for the task to go elsewhere, or
	/// as soon as it knew; a task declined, cancelled or taken back by a ban is no failure.
	pub fn is_failed_delivery(self) -> bool {
		matches!(self, Self::NotStarted | Self::Overdue | Self::Expired | Self::DisputeUpheld)
	}
}

/// Why an assignment was refused. Each item of a scheduler's batch is checked on its own and
/// refused items are reported with one of these; a call (the owner's direct pick, or any other
/// that meets the same condition) fails with `Error::Rejected` carrying it, so both name a
/// reason from this one list. Fieldless, so the error stays within a module error's four bytes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PalletError,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Rejection {
	/// No task has this id.
	UnknownTask,
	/// The task is not waiting for a node.
	TaskNotQueued,
	/// No node has this id.
	UnknownNode,
	/// The node does not offer the compute role.
	NotComputeNode,
	/// The node is not online (offline, never beaten, suspended, unbonding or gone).
	NodeNotOnline,
	/// The node's GPU class is below the task's.
	GpuClassTooLow,
	/// The node's GPUs have less memory than the task needs.
	VramTooSmall,
	/// The node's multi-GPU stage is below the task's.
	StageTooLow,
	/// The node has fewer GPUs in all than the task needs.
	TooFewGpus,
	/// The node's GPUs are taken by other tasks.
	GpusBusy,
	/// The node's price is above the task's maximum.
	PriceAboveMax,
	/// The node is not in the region the task asks for.
	WrongRegion,
	/// The node's estimated round trip exceeds the task's latency bound.
	TooFar,
	/// Even started now, the task could not finish before its deadline.
	DeadlineTooClose,
	/// Every block the timeout queue looked at is full; try again later.
	TimeoutQueueFull,
	/// The scheduler may not give a task to a node of its own owner or operator.
	OwnNode,
	/// The node registered or raised its price after the task was queued; it may take only
	/// tasks queued since.
	PriceRaisedSinceQueued,
	/// The node's price is below the floor of its GPU class.
	PriceBelowFloor,
	/// The node turned this task down before: it is not offered it again.
	DeclinedByNode,
	/// The node holds less than the stake required of it (the grace after a raise has passed).
	UnderStaked,
	/// A scheduler may not pick a node whose reputation its failures took below
	/// `MinTrustedReputation`; its owner may still pick it.
	NodeDistrusted,
}

/// A node's share of a task's payment by reputation tier, and the scheduler's fee; the protocol
/// keeps the rest (docs/economics.md#fee-split: 85/88/91% to the node, 1% to the scheduler).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub struct FeeSplit {
	pub node_bronze: Permill,
	pub node_silver: Permill,
	pub node_gold: Permill,
	/// Paid to the assigning scheduler's owner; with no scheduler it stays protocol revenue.
	pub scheduler: Permill,
}

impl FeeSplit {
	/// The default table (docs/economics.md#fee-split).
	pub const DEFAULT: Self = Self {
		node_bronze: Permill::from_percent(85),
		node_silver: Permill::from_percent(88),
		node_gold: Permill::from_percent(91),
		scheduler: Permill::from_percent(1),
	};

	/// The node's share at `tier`.
	pub fn node_share(&self, tier: ReputationTier) -> Permill {
		match tier {
			ReputationTier::Bronze => self.node_bronze,
			ReputationTier::Silver => self.node_silver,
			ReputationTier::Gold => self.node_gold,
		}
	}

	/// A better tier never earns less, and no node share plus the scheduler fee exceeds the
	/// payment, so the protocol part is never negative.
	pub fn is_valid(&self) -> bool {
		let monotone = self.node_bronze <= self.node_silver && self.node_silver <= self.node_gold;
		let fits = self.node_gold.deconstruct().saturating_add(self.scheduler.deconstruct())
			<= Permill::one().deconstruct();
		monotone && fits
	}
}

/// The lowest price per GPU-hour, in USDV base units, at which a node of each GPU class may
/// sell (docs/economics.md#price-floor). Compute bought below cost is how rewards and
/// utilization would be farmed; the floor makes every GPU-second counted cost real USDV.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub struct PriceFloor {
	pub consumer: Balance,
	pub workstation: Balance,
	pub datacenter: Balance,
}

impl PriceFloor {
	/// The floor of `class`.
	pub fn of(&self, class: GpuClass) -> Balance {
		match class {
			GpuClass::Consumer => self.consumer,
			GpuClass::Workstation => self.workstation,
			GpuClass::Datacenter => self.datacenter,
		}
	}

	/// Every floor above zero (a price of zero gives compute away) and a better class never
	/// cheaper.
	pub fn is_valid(&self) -> bool {
		self.consumer > 0 && self.consumer <= self.workstation && self.workstation <= self.datacenter
	}
}

/// Parameters governance may change.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub struct MarketParams<BlockNumber> {
	/// Blocks a node has to acknowledge an assignment.
	pub ack_window: BlockNumber,
	/// Blocks a node has to start a task it acknowledged before the owner may cancel it.
	pub start_window: BlockNumber,
	/// Blocks the owner has to rate or dispute a delivery before it settles.
	pub dispute_window: BlockNumber,
	/// Blocks a dispute may stay open; unresolved by then, the task settles as delivered.
	pub resolution_window: BlockNumber,
	pub fee_split: FeeSplit,
	pub price_floor: PriceFloor,
}

/// How a payment divides, worked out before any funds move.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Payout {
	/// What the delivered compute costs at the agreed price.
	pub payment: Balance,
	pub node: Balance,
	pub scheduler: Balance,
	/// The verification fee, carved out of what would be the protocol's part.
	pub verification: Balance,
	pub protocol: Balance,
}

/// Something that must happen to a task at a block unless the task has moved on.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum Timeout {
	/// The node did not acknowledge: back to the queue.
	Ack,
	/// The deadline passed before delivery: refund.
	Deadline,
	/// The dispute window closed without a dispute: settle.
	Dispute,
	/// A dispute went unresolved through its resolution window: settle as delivered.
	Resolve,
	/// The task ended long enough ago: drop its record (events keep the history).
	Forget,
}

impl Timeout {
	/// Every kind, in the order a block handles them.
	pub const ALL: [Timeout; 5] = [Self::Ack, Self::Deadline, Self::Dispute, Self::Resolve, Self::Forget];
}

/// Where the consumption meter has counted to.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct MeterMark {
	/// Chain time up to which running GPUs have been counted.
	pub since_ms: Moment,
	/// The period that time fell in.
	pub period: vcity_primitives::PeriodIndex,
}

/// Counters behind the market statistics, kept as tasks move so no query scans tasks.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Counters {
	pub queued: u32,
	pub in_progress: u32,
	pub settled: u64,
	pub refunded: u64,
	/// USDV held for open tasks: Σ of their `escrow`.
	pub escrow: Balance,
	/// USDV paid for delivered compute.
	pub volume: Balance,
}

/// Whole blocks needed to run `seconds` at `block_time_ms` per block, rounded up.
pub fn blocks_for(seconds: u64, block_time_ms: u64) -> u64 {
	seconds.saturating_mul(1_000).div_ceil(block_time_ms.max(1))
}
