//! Records the registry keeps.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::FixedU128;
use vcity_primitives::{
	Balance, GpuSpec, Health, Moment, NodeKind, NodeRoles, Region, MAX_STAKE_GRACE_PERIODS,
};

/// A node as stored, generic over the account and block number types.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Node<AccountId, BlockNumber> {
	/// Owner (stash): pays the stake and receives it back.
	pub owner: AccountId,
	/// Hot key the node's agent signs heartbeats and task reports with.
	pub operator: AccountId,
	pub kind: NodeKind,
	pub roles: NodeRoles,
	pub gpu: GpuSpec,
	pub region: Region,
	/// USDV base units per GPU-hour.
	pub price_per_gpu_hour: Balance,
	/// Chain time of the registration or the last price rise: the market gives the node only
	/// tasks queued after it, so a node cannot raise its price onto a task already waiting.
	pub price_raised_ms: Moment,
	/// VCAI held from the owner under [`crate::HoldReason::NodeStake`].
	pub stake: Balance,
	pub state: NodeState<BlockNumber>,
	pub registered_at: BlockNumber,
	pub reputation: Reputation,
	pub history: ServiceHistory,
}

/// Node record of a runtime.
pub type NodeOf<T> =
	Node<<T as frame_system::Config>::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>>;

/// Stored state of a node. Online and Offline are not stored: they follow from heartbeats.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum NodeState<BlockNumber> {
	/// In service (Registered, Online or Offline depending on heartbeats).
	Active,
	/// Stopped by the slashing pallet; `unlock_at` remembers an unbonding it interrupted.
	Suspended { unlock_at: Option<BlockNumber> },
	/// Leaving; the stake may be withdrawn from block `unlock_at`.
	Unbonding { unlock_at: BlockNumber },
	/// Left; stake returned.
	Exited,
	/// Excluded for good.
	Banned,
}

impl<BlockNumber> NodeState<BlockNumber> {
	/// The state's kind, as counted in [`crate::StateCounts`].
	pub fn kind(&self) -> StateKind {
		match self {
			Self::Active => StateKind::Active,
			Self::Suspended { .. } => StateKind::Suspended,
			Self::Unbonding { .. } => StateKind::Unbonding,
			Self::Exited => StateKind::Exited,
			Self::Banned => StateKind::Banned,
		}
	}
}

/// Kind of a [`NodeState`], without its data.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum StateKind {
	Active,
	Suspended,
	Unbonding,
	Exited,
	Banned,
}

impl StateKind {
	/// Every kind, for invariant checks.
	pub const ALL: [StateKind; 5] =
		[Self::Active, Self::Suspended, Self::Unbonding, Self::Exited, Self::Banned];
}

/// A node's reputation score and when it was last brought up to date.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct Reputation {
	/// Basis points, 0..=10_000; 5_000 is neutral.
	pub score: u32,
	/// When `score` was last decayed and updated.
	pub updated_ms: Moment,
}

/// Counters of the node's service, kept for good as its public history.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ServiceHistory {
	pub tasks_completed: u32,
	pub tasks_failed: u32,
	/// Heartbeat windows in which the node proved liveness.
	pub windows_met: u32,
	/// GPU-seconds of proven online time.
	pub online_gpu_seconds: u64,
}

impl ServiceHistory {
	/// Share of the ended tasks the node completed; 1 while none has ended.
	pub fn completion(&self) -> sp_runtime::Perbill {
		let ended = self.tasks_completed.saturating_add(self.tasks_failed);
		if ended == 0 {
			return sp_runtime::Perbill::one();
		}
		sp_runtime::Perbill::from_rational(self.tasks_completed, ended)
	}
}

/// The last heartbeat of a node.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeartbeatRecord {
	/// Chain time of the heartbeat.
	pub at_ms: Moment,
	pub load_percent: u8,
	pub health: Health,
}

/// What Proof of Capacity pays a GPU-second of a spec over a consumer card below the first
/// multi-GPU stage, in thousandths: the stake scales with both, so it follows what a node earns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CapacityFactors {
	/// The multi-GPU coefficient of the node's total memory.
	pub multi_gpu_permille: u32,
	/// The factor of the GPUs' class.
	pub class_permille: u32,
}

/// Stake asked per GPU whose memory is at least `min_vram_per_gpu_gib`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug,
)]
pub struct StakeTier {
	pub min_vram_per_gpu_gib: u32,
	pub stake_per_gpu: Balance,
}

/// Most tiers a stake schedule has.
pub type MaxStakeTiers = ConstU32<8>;

/// The stake schedule: required stake = stake per GPU of the GPU's tier × GPU count × multiplier.
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct StakeSchedule {
	/// Tiers in strictly ascending memory order; the first starts at 0 GiB.
	pub tiers: BoundedVec<StakeTier, MaxStakeTiers>,
	/// Re-set each period from the market (`StakeAdjustment`), or by governance. New nodes
	/// register at it; registered nodes must meet [`MultiplierGrace::enforced`].
	pub multiplier: FixedU128,
}

impl Default for StakeSchedule {
	fn default() -> Self {
		Self { tiers: Default::default(), multiplier: FixedU128::from_u32(1) }
	}
}

/// Periods of multipliers [`MultiplierGrace`] keeps: the longest grace, and the period in force.
pub type MaxGraceEntries = ConstU32<{ MAX_STAKE_GRACE_PERIODS + 1 }>;

/// The multiplier registered nodes are held to, and what it is worked out from.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default,
)]
pub struct MultiplierGrace {
	/// The lowest multiplier in force during each of the last periods, newest (the current
	/// period) last.
	pub lows: BoundedVec<FixedU128, MaxGraceEntries>,
	/// The lowest over the current period and the `grace` before it (the multiplier in force
	/// without a grace): a raise binds registered nodes once `grace` whole periods have passed,
	/// a cut at once.
	pub enforced: FixedU128,
	/// The grace in force, in periods.
	pub grace: u32,
	/// A shorter grace governance set: the period starts left before it applies, and the grace.
	/// It waits for the one in force to run out, so a raise already made keeps its whole grace.
	pub cut: Option<(u32, u32)>,
}

impl MultiplierGrace {
	/// Opens a period with the multiplier it starts at, dropping the oldest beyond the bound, and
	/// brings a cut of the grace one period nearer.
	pub fn note_period_start(&mut self, multiplier: FixedU128) {
		if self.lows.is_full() {
			self.lows.remove(0);
		}
		// Room was made above, so this cannot fail.
		let _ = self.lows.try_push(multiplier);
		self.cut = match self.cut {
			Some((left, grace)) if left <= 1 => {
				self.grace = grace;
				None
			}
			Some((left, grace)) => Some((left - 1, grace)),
			None => None,
		};
	}

	/// A grace governance set: a longer one applies at once, a shorter one once the grace in
	/// force has run out.
	pub fn set_grace(&mut self, grace: u32) {
		if grace >= self.grace {
			self.grace = grace;
			self.cut = None;
		} else {
			// One start more than the grace: a raise made during the current period keeps the
			// current period's low for the whole grace after it.
			self.cut = Some((self.grace.saturating_add(1), grace));
		}
	}

	/// Records a multiplier put in force during the current period.
	pub fn note_in_force(&mut self, multiplier: FixedU128) {
		match self.lows.last_mut() {
			Some(low) => *low = (*low).min(multiplier),
			None => self.note_period_start(multiplier),
		}
	}

	/// Works `enforced` out again for the multiplier in force and the grace in force.
	pub fn refresh(&mut self, current: FixedU128) {
		if self.grace == 0 {
			self.enforced = current;
			return;
		}
		let keep = (self.grace as usize).saturating_add(1);
		self.enforced = self.lows.iter().rev().take(keep).fold(current, |low, m| low.min(*m));
	}
}

/// What an owner asks for when registering a node.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Registration<AccountId> {
	pub kind: NodeKind,
	pub roles: NodeRoles,
	pub gpu: GpuSpec,
	pub region: Region,
	pub price_per_gpu_hour: Balance,
	pub operator: AccountId,
	pub stake: Balance,
}

/// What a valid heartbeat will do, worked out before it is applied.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HeartbeatCheck {
	/// Index of the window the beat fills.
	pub window: u64,
	/// Milliseconds until that window closes.
	pub window_left_ms: Moment,
}
