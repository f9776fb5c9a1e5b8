//! # Slashing: where an offence becomes a punishment
//!
//! The market, the registry and verification report offences (`vcity_primitives::Offence`)
//! through [`vcity_primitives::OffenceReporter`]; this pallet is the one place that decides what
//! they cost (docs/slashing.md).
//!
//! - **Cases** (`report.rs`). A node's offences since its last case closed form one case, which
//!   takes the gravest of them: a share of the stake by tier (minor 5–10%, moderate 10–30%,
//!   severe all of it), the share of a range rising with the slashes the node has had within
//!   the repeat window. Several offences of one incident (a host down with four tasks) are
//!   punished once, as the worst of them. A severe offence suspends the node at once; a
//!   moderate or severe case stops its rewards while it is pending.
//! - **Appeals** (`appeal.rs`). The node's owner may appeal a case once, with a deposit; the
//!   appeal origin upholds (the case is cancelled, the deposit returned) or rejects it (the
//!   deposit goes to the treasury and the slash executes).
//! - **Execution** (`execute.rs`). At the end of its pending window a case executes, at most
//!   `MaxExecutionsPerBlock` a block: the slashed stake goes first to the users the offences
//!   hit, pro rata to what they had paid and up to it, then the reporter's cut, then the
//!   treasury. Nothing is minted or burnt. A severe case then bans the node, which ends its
//!   tasks and voids its open period's points.
//!
//! The stake itself is the registry's hold: this pallet only asks the registry to move it.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod appeal;
mod execute;
#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
pub mod migrations;
mod params;
pub mod query;
mod report;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, InspectHold, Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use vcity_primitives::{
		Balance, NodeId, NodeRegistry, NodeSlashing, Offence, OffenceEvidence, OffenceRecord, OffenceTier,
		SlashCase, SlashCaseId, SlashOutcome, SlashRecord, CHARGED_NETWORK_SIZE, OFFENCE_LOG_LEN,
		SLASH_HISTORY_LEN,
	};

	/// Version 1: the parameters are set (`migrations::v1`, for a chain that gains the pallet
	/// by an upgrade).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// VCAI: the stake slashed (through the registry) and the appeal deposits held here.
		type Currency: Inspect<Self::AccountId, Balance = Balance>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The runtime's hold reasons, of which [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;
		/// Nodes, their owners and stakes, and the hold the stake is.
		type Registry: NodeRegistry<Self::AccountId, Balance> + NodeSlashing<Self::AccountId, Balance>;
		/// What the rest of the chain undoes when a node is banned.
		type OnBanned: vcity_primitives::OnNodeBanned;
		/// VCAI's time-weighted price in USDV: a user is compensated up to what they had paid,
		/// valued at it.
		type Price: vcity_primitives::VcaiPrice;
		/// Where what is not compensation or the reporter's cut goes, and rejected appeals'
		/// deposits. It must exist (hold the existential deposit).
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// Sets the fractions, windows, deposit and cut within their bounds.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Decides appeals: in the runtime, root or a referendum of the DAO's appeals track.
		type AppealOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Shortest pending window governance may set.
		#[pallet::constant]
		type MinDeferral: Get<BlockNumberFor<Self>>;
		/// Longest pending window governance may set. The registry's unbonding must outlast it
		/// and the appeal grace, so no stake leaves before its slash executes.
		#[pallet::constant]
		type MaxDeferral: Get<BlockNumberFor<Self>>;
		/// Longest wait for an appeal's decision after the pending window.
		#[pallet::constant]
		type MaxAppealGrace: Get<BlockNumberFor<Self>>;
		/// Longest repeat window governance may set.
		#[pallet::constant]
		type MaxRepeatWindow: Get<BlockNumberFor<Self>>;
		/// Most cases one block executes; more wait for the next blocks with room.
		#[pallet::constant]
		type MaxExecutionsPerBlock: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Registers staked nodes for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an appeal, held from the node's owner until it is decided.
		AppealDeposit,
	}

	/// Fractions, windows, the appeal deposit and the reporter's cut (governance).
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, SlashParams<BlockNumberFor<T>>, ValueQuery>;

	/// The id the next case gets.
	#[pallet::storage]
	pub type NextCaseId<T> = StorageValue<_, SlashCaseId, ValueQuery, FirstCaseId>;

	/// Ids start at 1: 0 is the cursor of a first page and never names a case.
	#[pallet::type_value]
	pub fn FirstCaseId() -> SlashCaseId {
		1
	}

	/// Pending cases: opened, not yet executed or cancelled.
	#[pallet::storage]
	pub type Cases<T: Config> =
		CountedStorageMap<_, Twox64Concat, SlashCaseId, SlashCase<T::AccountId, BlockNumberFor<T>>>;

	/// The pending case of each node: a node has at most one, which its new offences join.
	#[pallet::storage]
	pub type CaseOfNode<T> = StorageMap<_, Twox64Concat, NodeId, SlashCaseId>;

	/// Cases in the order they fall due, `(block, case)`, in two queues ([`DueKind`]), each
	/// between the cursors of [`DueBounds`]: a report adds one at the back in O(1), the block
	/// hook takes at most `MaxExecutionsPerBlock` from the fronts once their block has come. An
	/// entry whose case has since closed or moved is skipped.
	#[pallet::storage]
	pub type DueQueue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DueKind, Twox64Concat, u64, (BlockNumberFor<T>, SlashCaseId)>;

	/// The front and the back of each queue of [`DueQueue`]: its entries are `front..back`.
	#[pallet::storage]
	pub type DueBounds<T> = StorageMap<_, Twox64Concat, DueKind, (u64, u64), ValueQuery>;

	/// Each node's last offences, newest last.
	#[pallet::storage]
	pub type OffenceLog<T: Config> = StorageMap<
		_,
		Twox64Concat,
		NodeId,
		BoundedVec<OffenceRecord<BlockNumberFor<T>>, ConstU32<OFFENCE_LOG_LEN>>,
		ValueQuery,
	>;

	/// Each node's last closed cases, newest last: its slash history, and what the repeat count
	/// of its next case reads.
	#[pallet::storage]
	pub type SlashHistory<T: Config> = StorageMap<
		_,
		Twox64Concat,
		NodeId,
		BoundedVec<SlashRecord<BlockNumberFor<T>>, ConstU32<SLASH_HISTORY_LEN>>,
		ValueQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: SlashParams<BlockNumberFor<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::ensure_valid_params(&self.params).expect("genesis slashing parameters are valid");
			Params::<T>::put(self.params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An offence was reported and joined `case`, which now takes `fraction` of the stake.
		OffenceReported {
			node: NodeId,
			offence: Offence,
			evidence: OffenceEvidence,
			case: SlashCaseId,
			tier: OffenceTier,
			fraction: sp_runtime::Perbill,
		},
		/// A case opened against the node; its slash executes at block `execute_at` unless an
		/// appeal cancels it.
		SlashPending { case: SlashCaseId, node: NodeId, execute_at: BlockNumberFor<T> },
		/// An offence could not be acted on (the node is unknown or already banned).
		OffenceDropped { node: NodeId, offence: Offence, reason: DropReason },
		/// The node's owner appealed the case, with `deposit` held.
		Appealed { case: SlashCaseId, appellant: T::AccountId, deposit: Balance },
		/// The appeal was upheld: the case is cancelled and the deposit returned.
		AppealUpheld { case: SlashCaseId, node: NodeId },
		/// The appeal was rejected: the deposit went to the treasury and the slash executes.
		AppealRejected { case: SlashCaseId, node: NodeId },
		/// The appeal was still undecided after the grace: the deposit went back and the slash
		/// executes.
		AppealLapsed { case: SlashCaseId, node: NodeId },
		/// The pending window ended while an appeal waits for its decision; the slash now
		/// executes at block `execute_at` unless it is upheld first.
		SlashDeferredForAppeal { case: SlashCaseId, execute_at: BlockNumberFor<T> },
		/// A user the offences hit received `amount` VCAI of the slash.
		Compensated { case: SlashCaseId, who: T::AccountId, amount: Balance },
		/// The case executed.
		SlashExecuted { case: SlashCaseId, node: NodeId, outcome: SlashOutcome },
		/// Executing the case failed and was undone; anyone may retry with `execute_slash`.
		ExecutionFailed { case: SlashCaseId, error: DispatchError },
		/// Governance set the parameters.
		ParamsSet { params: SlashParams<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No pending case has this id (it never existed, executed or was cancelled).
		UnknownCase,
		/// Only the owner of the case's node may appeal it.
		NotNodeOwner,
		/// The case was already appealed; a case is appealed once.
		AlreadyAppealed,
		/// The case's pending window has ended: appeals come before it does.
		AppealWindowClosed,
		/// No appeal of this case waits for a decision.
		NoPendingAppeal,
		/// The owner cannot hold the appeal deposit.
		InsufficientBalance,
		/// The case is not due yet, or an appeal of it waits for its decision.
		NotDue,
		/// A fraction is outside its tier's bounds, or a range falls.
		InvalidFraction,
		/// A window is outside its bounds.
		InvalidWindow,
		/// The repeat count at which a range tops out must be 1 to 10.
		InvalidRepeats,
		/// The reporter's cut is above 50%.
		InvalidCut,
		/// An appeal deposit of zero would make appeals free to spam.
		ZeroDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MinDeferral::get() <= T::MaxDeferral::get(),
				"the pending window's bounds are inverted"
			);
			assert!(T::MaxExecutionsPerBlock::get() > 0, "at least one case must execute per block");
		}

		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::execute_due(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Appeals a pending case of the caller's node, holding the appeal deposit. Once per case,
		/// before its pending window ends.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::appeal(CHARGED_NETWORK_SIZE))]
		pub fn appeal(origin: OriginFor<T>, case: SlashCaseId) -> DispatchResult {
			Self::do_appeal(ensure_signed(origin)?, case)
		}

		/// Decides a case's appeal: upheld cancels the case and returns the deposit; rejected
		/// sends the deposit to the treasury, and executes the slash at once if its pending
		/// window has already ended.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::decide_appeal_weight())]
		pub fn decide_appeal(origin: OriginFor<T>, case: SlashCaseId, upheld: bool) -> DispatchResult {
			T::AppealOrigin::ensure_origin(origin)?;
			Self::do_decide_appeal(case, upheld)
		}

		/// Executes a case that is due and not waiting for an appeal's decision. The block hook
		/// does this; anyone may, for a case the hook has not reached yet or whose execution failed.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::execution_weight())]
		pub fn execute_slash(origin: OriginFor<T>, case: SlashCaseId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_execute_if_due(case)
		}

		/// Sets the fractions, windows, the appeal deposit and the reporter's cut (governance).
		/// Pending cases keep their fraction and their block; the appeal grace and the
		/// reporter's cut apply as they are when a case uses them.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: SlashParams<BlockNumberFor<T>>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::ensure_valid_params(&params)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}
}
