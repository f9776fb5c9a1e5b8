//! How pallets talk to each other. Each trait is implemented by one pallet and wired to its
//! users in the runtime, so a pallet can be replaced without touching the others.

use crate::{
	node::{DeliveryOutcome, GpuSpec, NodeId, NodeRoles, NodeStatus, Region, ReputationTier},
	task::{NodeOffer, QueuedTask, TaskId},
	units::{Balance, DayIndex, GpuSeconds, Moment, PeriodIndex},
	ve::VeWeight,
};
use alloc::vec::Vec;
use frame_support::weights::Weight;
use sp_runtime::{DispatchError, DispatchResult, Perbill};

/// One node as another pallet needs it to decide something, read in one go.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NodeProfile<AccountId, Balance> {
	pub owner: AccountId,
	pub operator: AccountId,
	pub roles: NodeRoles,
	pub gpu: GpuSpec,
	pub region: Region,
	/// USDV base units per GPU-hour.
	pub price_per_gpu_hour: Balance,
	/// Chain time of the node's registration or its last price rise: a node takes queued tasks
	/// only at a price it had before they were queued.
	pub price_raised_ms: Moment,
	/// Status as of now (Online/Offline derived from liveness).
	pub status: NodeStatus,
	/// Reputation in basis points, decayed to now.
	pub reputation: u32,
	pub tier: ReputationTier,
	/// Share of the node's ended tasks it completed (1 while none has ended).
	pub completion: Perbill,
	/// Whether it holds the stake required of it (after the grace that follows a raise); a node
	/// below it is assigned no new task.
	pub staked: bool,
}

/// Read access to the compute-node registry.
pub trait NodeRegistry<AccountId, Balance> {
	/// Owner (stash) of a node.
	fn owner(node: NodeId) -> Option<AccountId>;
	/// The account the node's agent signs with.
	fn operator(node: NodeId) -> Option<AccountId>;
	/// The node an operator account runs.
	fn node_of_operator(operator: &AccountId) -> Option<NodeId>;
	/// GPUs the node offers.
	fn gpu_spec(node: NodeId) -> Option<GpuSpec>;
	/// Status as of now (Online/Offline derived from liveness).
	fn status(node: NodeId) -> Option<NodeStatus>;
	/// Stake held, and the stake required of the node: its GPU spec at the enforced multiplier
	/// (the lowest over the grace after a raise).
	fn stake(node: NodeId) -> Option<(Balance, Balance)>;
	/// USDV base units per GPU-hour.
	fn price_per_gpu_hour(node: NodeId) -> Option<Balance>;
	/// Reputation tier, which sets the node's share of task fees.
	fn reputation_tier(node: NodeId) -> Option<ReputationTier>;
	/// Everything above at once, for callers that need several facts of one node.
	fn profile(node: NodeId) -> Option<NodeProfile<AccountId, Balance>>;
	/// A page of the compute nodes that beat recently: up to `limit` ids after node `cursor`
	/// (0: from the start), and the cursor of the next page (none after the last). The order is
	/// the registry's own (not by id); entries may have gone offline since, so callers check
	/// each node's status. Exited nodes are never listed, so a scan grows with the online
	/// network, not with every id ever given out.
	fn online_compute_nodes(cursor: NodeId, limit: u32) -> (alloc::vec::Vec<NodeId>, Option<NodeId>);
	/// What a uniform draw of an online compute node needs, in two reads whatever the network's
	/// size: every id ever given out is below the first number; the second is how many compute
	/// nodes beat recently. A draw picks ids below the bound and keeps the online compute ones.
	fn compute_sample_space() -> (NodeId, u32) {
		(0, 0)
	}
}

/// Whether nodes are alive. Heartbeats implement it today; sampled challenges may replace them
/// without changing any pallet that only asks this question.
pub trait Liveness {
	/// Whether the node proved liveness in the current or the previous window.
	fn is_online(node: NodeId) -> bool;
	/// When the node last proved liveness.
	fn last_seen_ms(node: NodeId) -> Option<Moment>;
}

/// GPU-seconds of capacity the network offered in a period (docs/economics.md#controller: Σ over valid
/// heartbeats of GPU count × min(time since the node's last beat, window)).
pub trait CapacityMeter {
	/// Capacity offered in `period`.
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds;
}

/// Penalties, applied by the slashing pallet.
pub trait NodeSlashing<AccountId, Balance> {
	/// The stake held for the node now, whatever its state (unbonding stake is slashable);
	/// `None` for an unknown node.
	fn held_stake(node: NodeId) -> Option<Balance>;
	/// Moves up to `amount` of the node's stake to `beneficiary` (compensation or treasury);
	/// returns what was moved. Funds move, they are never burnt here. The beneficiary must
	/// exist or receive at least the existential deposit, else the whole slash fails and
	/// nothing moves.
	fn slash(node: NodeId, amount: Balance, beneficiary: &AccountId) -> Result<Balance, DispatchError>;
	/// Stops the node from working and leaving while an offence is handled.
	fn suspend(node: NodeId) -> DispatchResult;
	/// Lets a suspended node work again.
	fn resume(node: NodeId) -> DispatchResult;
	/// Excludes the node for good and releases what is left of its stake to the owner at once.
	/// A caller that means to take stake slashes first (after any appeal), then bans.
	fn ban(node: NodeId) -> DispatchResult;
}

/// Feeds task outcomes into a node's service history and reputation.
pub trait DeliveryReporter {
	/// Records how a task the node took ended.
	fn report_delivery(node: NodeId, outcome: DeliveryOutcome) -> DispatchResult;
}

/// Work a node still owes, as the market sees it.
pub trait OpenWork {
	/// Tasks the node took that have not ended (settled or refunded), disputed ones included.
	fn open_tasks(node: NodeId) -> u32;
	/// Tasks the node acknowledged and has not delivered or given up: work it committed to,
	/// which its downtime leaves undone.
	fn committed_tasks(node: NodeId) -> u32;
}

/// Without a market no node owes any work.
impl OpenWork for () {
	fn open_tasks(_node: NodeId) -> u32 {
		0
	}
	fn committed_tasks(_node: NodeId) -> u32 {
		0
	}
}

/// Checks of its hardware a node still owes: a capacity challenge open or owed. Its stake stays
/// held until they are judged, so leaving is no way out of a challenge.
pub trait OpenChecks {
	/// Whether a challenge of the node is open, or owed for GPUs its tasks held at a draw.
	fn checks_open(node: NodeId) -> bool;
	/// What asking costs.
	fn checks_open_weight() -> Weight;
}

/// Without verification no node owes a check.
impl OpenChecks for () {
	fn checks_open(_node: NodeId) -> bool {
		false
	}
	fn checks_open_weight() -> Weight {
		Weight::zero()
	}
}

/// Whether a pallet still needs an exited node's record: the record names the owner it pays
/// (a task's fee, a reward), so the record may only go when nothing is owed either way.
pub trait NodeRecordUse {
	/// Whether anything still refers to the node's record.
	fn in_use(node: NodeId) -> bool;
	/// What asking costs.
	fn in_use_weight() -> Weight;
}

/// Nothing refers to any record.
impl NodeRecordUse for () {
	fn in_use(_node: NodeId) -> bool {
		false
	}
	fn in_use_weight() -> Weight {
		Weight::zero()
	}
}

/// In use if any of the two uses it.
impl<A: NodeRecordUse, B: NodeRecordUse> NodeRecordUse for (A, B) {
	fn in_use(node: NodeId) -> bool {
		A::in_use(node) || B::in_use(node)
	}
	fn in_use_weight() -> Weight {
		A::in_use_weight().saturating_add(B::in_use_weight())
	}
}

/// What the stake multiplier follows each period (docs/economics.md#stake-adjustment): the
/// market's supply and demand, and VCAI's price.
pub trait StakeMarket {
	/// Utilization of a closed period: GPU-seconds consumed over GPU-seconds available; `None`
	/// when nothing was available.
	fn utilization(period: PeriodIndex) -> Option<Perbill>;
	/// VCAI base units per whole USDV, averaged over a day; `None` without a market price.
	fn vcai_per_usdv() -> Option<crate::VcaiPerUsdv>;
}

/// No market: no input, so the multiplier stays as genesis or governance set it.
impl StakeMarket for () {
	fn utilization(_period: PeriodIndex) -> Option<Perbill> {
		None
	}
	fn vcai_per_usdv() -> Option<crate::VcaiPerUsdv> {
		None
	}
}

/// Where protocol revenue goes: the treasury that buys VCAI back for lockers.
pub trait RevenueSink<AccountId, Balance> {
	/// Account that receives protocol revenue in USDV.
	fn account() -> AccountId;
	/// Records `amount` of revenue that has just been transferred to [`Self::account`].
	fn note_revenue(amount: Balance);
}

/// The DAO's revenue metric: cumulative net protocol fee income (docs/economics.md#dao-and-dynamic-supply).
pub trait ProtocolRevenue {
	/// USDV of protocol revenue recorded since genesis, in base units.
	fn cumulative_revenue() -> Balance;
}

/// Compute supplied and consumed per period, for the rewards controller and demand rebates.
pub trait UsageMeter<AccountId, Balance> {
	/// GPU-seconds nodes proved available in `period` (credited by heartbeats).
	fn available_gpu_seconds(period: PeriodIndex) -> GpuSeconds;
	/// GPU-seconds of delivered tasks settled in `period`.
	fn consumed_gpu_seconds(period: PeriodIndex) -> GpuSeconds;
	/// USDV `who` paid for compute settled in `period`.
	fn spend_of(period: PeriodIndex, who: &AccountId) -> Balance;
	/// USDV all users paid for compute settled in `period`.
	fn total_spend(period: PeriodIndex) -> Balance;
	/// The protocol's part of what `who` paid in `period` (caps the user's rebate).
	fn fees_of(period: PeriodIndex, who: &AccountId) -> Balance;
	/// U = min(1, consumed / available), or `None` when nothing was available: the controller leaves
	/// P_supply where it was then, so there is no utilization to report.
	fn utilization(period: PeriodIndex) -> Option<Perbill> {
		utilization(Self::consumed_gpu_seconds(period), Self::available_gpu_seconds(period))
	}
}

/// min(1, consumed / available), rounded down; `None` when nothing was available.
pub fn utilization(consumed: GpuSeconds, available: GpuSeconds) -> Option<Perbill> {
	(available > 0).then(|| Perbill::from_rational(consumed.min(available), available))
}

/// veVCAI weights for governance: snapshots of past days, never the live value.
pub trait VeWeights<AccountId> {
	/// The latest day whose start-of-day snapshot is stored: it holds every lock made before that
	/// day began, and none made on it or later.
	fn snapshot_day() -> DayIndex;
	/// Weight of `who` in the start-of-day snapshot of `day`; `None` for a day not yet begun
	/// or older than the account's kept history.
	fn weight_at(who: &AccountId, day: DayIndex) -> Option<VeWeight>;
	/// Σ of all weights in the start-of-day snapshot of `day`; `None` for a day not yet begun.
	fn total_weight_at(day: DayIndex) -> Option<VeWeight>;
	/// VCAI in locks that have not expired (the DAO's equity stages count it); an expired lock
	/// counts for nothing, withdrawn or not.
	fn total_locked() -> Balance;
}

/// Where the buyback's VCAI goes: shared among lockers by the weights of the day it lands in.
pub trait LockerRewards<AccountId, Balance> {
	/// Moves `amount` VCAI from `source` into today's drop. Refused (`CatchingUp`) while the
	/// chain is still closing days a stall left open: the caller keeps the VCAI and retries.
	fn drop_rewards(source: &AccountId, amount: Balance) -> DispatchResult;
}

/// Capacity a heartbeat proved, with what Proof-of-Capacity weighs it by, read by the registry
/// while it holds the node's record anyway.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CapacityProof {
	pub node: NodeId,
	/// GPU count × the seconds of liveness the beat proved (at most one window).
	pub gpu_seconds: GpuSeconds,
	/// The class the GPU model names.
	pub gpu_class: crate::task::GpuClass,
	pub total_vram_gib: u32,
	/// Stake the node holds and the stake its GPU spec requires now.
	pub stake: Balance,
	pub required_stake: Balance,
}

/// Where proven capacity earns Proof-of-Capacity points (the rewards pallet).
pub trait CapacityRewards {
	/// Credits one heartbeat window's capacity to the node in the current period.
	fn capacity_proven(proof: CapacityProof);
	/// Weight of [`Self::capacity_proven`], which the heartbeat's weight includes.
	fn capacity_proven_weight() -> Weight;
	/// The multi-GPU coefficient Proof of Capacity pays a node of `total_vram_gib`, in
	/// thousandths: the registry's stake follows it, so declaring more memory never earns more
	/// per VCAI staked.
	fn multi_gpu_permille(total_vram_gib: u32) -> u32;
	/// The GPU-class factor Proof of Capacity pays a `class` GPU, in thousandths: the stake
	/// follows it too, so a better class declared never earns more per VCAI staked.
	fn class_permille(class: crate::task::GpuClass) -> u32;
}

impl CapacityRewards for () {
	fn capacity_proven(_proof: CapacityProof) {}
	fn capacity_proven_weight() -> Weight {
		Weight::zero()
	}
	fn multi_gpu_permille(_total_vram_gib: u32) -> u32 {
		1_000
	}
	fn class_permille(_class: crate::task::GpuClass) -> u32 {
		1_000
	}
}

/// A settled delivery as the rewards pallet credits it: what the user paid and what of it the
/// protocol kept, in USDV base units, and the delivery's quality.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DeliveryCredit {
	/// The task's payment: node, scheduler and protocol parts together.
	pub payment: Balance,
	/// The protocol's part of it, which no one in the trade gets back.
	pub protocol_fee: Balance,
	/// Rating × the node's completion rate.
	pub quality: Perbill,
}

/// Where delivered compute earns Proof-of-Delivery points (the rewards pallet). The market
/// reports settled tasks with what they paid, their rating and the node's completion rate;
/// verification reports the deliveries that failed its audit.
pub trait DeliveryRewards {
	/// Credits a settled delivery to the node in the current period.
	fn delivered(node: NodeId, credit: DeliveryCredit);
	/// Weight of [`Self::delivered`], which settlement's weight includes.
	fn delivered_weight() -> Weight;
	/// Takes back what [`Self::delivered`] credited in `period` for a delivery that failed
	/// verification. Points not yet claimed are voided; their VCAI, if the period is closed,
	/// goes back into the next period. Points already claimed are the slashing's to recover.
	fn void_delivery(node: NodeId, period: PeriodIndex, credit: DeliveryCredit);
	/// Weight of [`Self::void_delivery`].
	fn void_delivery_weight() -> Weight;
}

impl DeliveryRewards for () {
	fn delivered(_node: NodeId, _credit: DeliveryCredit) {}
	fn delivered_weight() -> Weight {
		Weight::zero()
	}
	fn void_delivery(_node: NodeId, _period: PeriodIndex, _credit: DeliveryCredit) {}
	fn void_delivery_weight() -> Weight {
		Weight::zero()
	}
}

/// The market price of VCAI in USDV, time-weighted so one trade cannot set it (the buyback's
/// oracle). Fee-capped rewards are worth what the fee would buy.
pub trait VcaiPrice {
	/// VCAI base units one whole USDV buys, averaged; `None` while there is no price.
	fn vcai_per_usdv() -> Option<crate::VcaiPerUsdv>;
}

impl VcaiPrice for () {
	fn vcai_per_usdv() -> Option<crate::VcaiPerUsdv> {
		None
	}
}

/// What a scheduler node matches: a snapshot of the market at the worker's block. The market
/// implements it; the scheduler node's worker turns it into the scheduler's own terms.
pub trait Matching {
	/// Queued tasks a node could still deliver if it took them in the next block, leaving out
	/// those `skip` names, at most `limit`, scanning the queue from `cursor` (0: its start).
	/// Returns them and where the next scan starts, so tasks nobody can take do not fill every
	/// round: each round looks further on.
	fn assignable_tasks(
		cursor: TaskId,
		limit: u32,
		skip: &dyn Fn(TaskId) -> bool,
	) -> (Vec<QueuedTask>, TaskId);
	/// Online compute nodes with free GPUs that the scheduler node `scheduler` may assign (none
	/// of its own owner's or operator's), at most `limit`, scanning a bounded span of node ids
	/// from `cursor` on (wrapping around). Returns them and where the next scan starts, so
	/// every node gets its turn however many registered.
	fn idle_nodes(cursor: NodeId, limit: u32, scheduler: NodeId) -> (Vec<NodeOffer>, NodeId);
	/// Whether the chain would take `task` on `node` now from the scheduler node `scheduler`;
	/// the scheduler's model is coarser than the chain's rules (it knows nothing of owners or
	/// price histories), and a refused item is a fee paid for nothing.
	fn accepts(task: TaskId, node: NodeId, scheduler: NodeId) -> bool;
	/// Whether the node `scheduler` may assign tasks now (online, with the role, and trusted
	/// still): a batch it may not send is a fee paid for nothing.
	fn may_schedule(scheduler: NodeId) -> bool;
	/// Most assignments one `assign_tasks` call takes.
	fn max_assignments_per_call() -> u32;
}
