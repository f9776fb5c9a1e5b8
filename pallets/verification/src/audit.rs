//! Which deliveries are audited, and opening their jobs: the market's side of the pallet
//! ([`DeliveryAudits`]).
//!
//! A recomputable delivery is marked `Drawing` at once (its settlement waits) and drawn
//! [`DRAW_DELAY`] blocks later: audited with probability `audit_fraction`, or surely if its
//! owner disputed it meanwhile. A dispute is drawn the same way, so neither the node nor the
//! disputing owner knows the verifiers when they act.

use crate::{pallet::*, pool::Excluded, types::*, WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{AccountIdConversion, BlakeTwo256, Hash, Saturating},
	Permill,
};
use vcity_primitives::{
	matrix_min_seconds, AuditVerdict, AuditableDelivery, AuditedTasks, Balance, BuiltinWorkload,
	DeliveryAudits, JobId, NodeId, NodeRegistry, TaskId,
};

/// A job about to open: what it checks and who may not verify it.
pub(crate) struct JobDraft<AccountId, BlockNumber> {
	pub node: NodeId,
	pub workload: BuiltinWorkload,
	pub subject: JobSubject<AccountId, BlockNumber>,
	pub budget: Balance,
	/// An audit's buyer: none of its nodes may verify the delivery it paid for.
	pub buyer: Option<AccountId>,
	/// Seconds the verifiers get to recompute, on top of the commit window.
	pub work_seconds: u64,
}

/// A job just opened.
pub(crate) struct Opened<BlockNumber> {
	pub id: JobId,
	pub verifiers: Vec<NodeId>,
	pub commit_by: BlockNumber,
	pub reveal_by: BlockNumber,
}

/// The audit of a task, from its delivery to its verdict.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
)]
pub enum AuditStatus<AccountId> {
	/// Delivered; whether it is audited is drawn at a later block. A dispute made meanwhile
	/// waits here with its deposit.
	Drawing { disputant: Option<(AccountId, Balance)> },
	/// Its job is open.
	Open(JobId),
}

impl<T: Config> Pallet<T> {
	/// The account that receives verification fees and pays verifiers.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Seconds a verifier needs for `workload` at the chain's reference rate.
	pub(crate) fn work_seconds(workload: &BuiltinWorkload) -> u64 {
		match *workload {
			BuiltinWorkload::MatrixProduct { size, rounds, .. } => matrix_min_seconds(size, rounds),
		}
	}

	/// The first block from `at` on whose queue (`queue`) has room, within
	/// [`QUEUE_PROBE_BLOCKS`].
	pub(crate) fn free_slot<V, S: Get<u32>>(
		at: BlockNumberFor<T>,
		queue: impl Fn(BlockNumberFor<T>) -> BoundedVec<V, S>,
	) -> Option<BlockNumberFor<T>> {
		(0..QUEUE_PROBE_BLOCKS)
			.map(|ahead| at.saturating_add(ahead.into()))
			.find(|&block| !queue(block).is_full())
	}

	/// Queues a delivery's draw; `false` if no block within reach has room.
	fn queue_draw(task: TaskId) -> bool {
		let now = frame_system::Pallet::<T>::block_number();
		let Some(block) = Self::free_slot(Self::draw_block(now), Draws::<T>::get) else { return false };
		Draws::<T>::mutate(block, |draws| draws.try_push(task).is_ok())
	}

	/// The draws due now.
	pub(crate) fn run_draws(now: BlockNumberFor<T>) -> Weight {
		let due = Draws::<T>::take(now);
		for &task in &due {
			let _ = with_storage_layer(|| {
				Self::draw(task);
				Ok::<_, DispatchError>(())
			});
		}
		T::WeightInfo::draw_audit(vcity_primitives::CHARGED_NETWORK_SIZE).saturating_mul(due.len() as u64)
	}

	/// Decides whether `task` is audited, and opens its job if so.
	pub(crate) fn draw(task: TaskId) {
		let Some(AuditStatus::Drawing { disputant }) = AuditOfTask::<T>::get(task) else { return };
		let delivery = T::Market::auditable(task);
		let seed = Self::seed(b"vcity/audit", task);
		let sampled = Self::sampled(&seed, Params::<T>::get().audit_fraction);
		match delivery.filter(|_| sampled || disputant.is_some()) {
			Some(delivery) => {
				let budget = if sampled { Self::sampled_budget(delivery.payment) } else { 0 };
				if let Err(reason) = Self::open_job(task, delivery, &seed, disputant.clone(), budget) {
					Self::deposit_event(Event::AuditNotOpened { task, reason });
					Self::close_unaudited(task, disputant);
				}
			}
			None => Self::close_unaudited(task, disputant),
		}
	}

	/// A task that will not be audited goes on as if nothing had happened: a disputant's
	/// deposit goes back, and the market settles it if its window closed meanwhile.
	fn close_unaudited(task: TaskId, disputant: Option<(T::AccountId, Balance)>) {
		AuditOfTask::<T>::remove(task);
		if let Some((who, deposit)) = disputant {
			Self::return_deposit(0, &who, deposit);
		}
		// In a layer of its own: a settlement that fails halfway must leave nothing paid.
		if let Err(error) =
			with_storage_layer(|| T::Market::audit_concluded(task, AuditVerdict::Inconclusive))
		{
			Self::deposit_event(Event::VerdictNotApplied { job: 0, task, error });
		}
	}

	/// What a sampled audit of a delivery paying `payment` may pay its verifiers: the
	/// delivery's verification fee over the audit fraction, so sampled audits cost the fees no
	/// more than they bring in, on average, however small the deliveries an attacker makes.
	pub(crate) fn sampled_budget(payment: Balance) -> Balance {
		let params = Params::<T>::get();
		let fee = params.fee_share.mul_floor(payment);
		let fraction = u128::from(params.audit_fraction.deconstruct());
		if fraction == 0 {
			return 0;
		}
		fee.saturating_mul(1_000_000_000) / fraction
	}

	/// Opens the audit of a delivery with verifiers drawn from `seed`, which may pay them
	/// `budget` out of the fees besides a forfeited deposit.
	pub(crate) fn open_job(
		task: TaskId,
		delivery: AuditableDelivery<T::AccountId>,
		seed: &[u8; 32],
		disputant: Option<(T::AccountId, Balance)>,
		budget: Balance,
	) -> Result<JobId, NotOpened> {
		let work_seconds = Self::work_seconds(&delivery.workload);
		if work_seconds > Params::<T>::get().max_work_seconds {
			return Err(NotOpened::TooMuchWork);
		}
		let draft = JobDraft {
			node: delivery.node,
			workload: delivery.workload,
			subject: JobSubject::Delivery {
				task,
				claimed: delivery.result,
				victim: delivery.victim,
				disputant,
			},
			budget,
			buyer: Some(delivery.owner),
			work_seconds,
		};
		let opened = Self::open(draft, seed)?;
		AuditOfTask::<T>::insert(task, AuditStatus::Open(opened.id));
		Self::deposit_event(Event::AuditOpened {
			job: opened.id,
			task,
			node: delivery.node,
			verifiers: opened.verifiers,
			commit_by: opened.commit_by,
			reveal_by: opened.reveal_by,
		});
		Ok(opened.id)
	}

	/// Draws a job's verifiers from `seed` and opens it: its phases, its end queued, every node
	/// that answers it indexed.
	pub(crate) fn open(
		draft: JobDraft<T::AccountId, BlockNumberFor<T>>,
		seed: &[u8; 32],
	) -> Result<Opened<BlockNumberFor<T>>, NotOpened> {
		let params = Params::<T>::get();
		let excluded = Excluded { node: draft.node, owners: [T::Registry::owner(draft.node), draft.buyer] };
		let verifiers = Self::draw_verifiers(seed, params.verifiers_per_job, &excluded);
		if (verifiers.len() as u32) < params.quorum {
			return Err(NotOpened::TooFewVerifiers);
		}
		let now = frame_system::Pallet::<T>::block_number();
		let commit_by = now
			.saturating_add(params.commit_window)
			.saturating_add(Self::blocks_for(draft.work_seconds))
			.saturating_add(1u32.into());
		let reveal_by = Self::free_slot(commit_by.saturating_add(params.reveal_window), JobEnds::<T>::get)
			.ok_or(NotOpened::QueueFull)?;
		let id = NextJobId::<T>::mutate(|next| {
			let id = *next;
			next.saturating_inc();
			id
		});
		JobEnds::<T>::mutate(reveal_by, |ends| ends.try_push(id)).map_err(|_| NotOpened::QueueFull)?;
		let mut subject = draft.subject;
		let mut answering = verifiers.clone();
		if let JobSubject::Capacity { answer_by, seat, .. } = &mut subject {
			// The node's deadline falls inside the commit phase, before any answer is public.
			*answer_by = (*answer_by).min(commit_by);
			answering.push(seat.verifier);
		}
		let seats: Vec<Seat> =
			verifiers.iter().map(|&verifier| Seat { verifier, commitment: None, answer: None }).collect();
		let job = Job {
			node: draft.node,
			workload: draft.workload,
			key: BlakeTwo256::hash(&(seed, b"vcity/job-key").encode()).0,
			subject,
			budget: draft.budget,
			seats: BoundedVec::truncate_from(seats),
			quorum: params.quorum,
			commit_by,
			reveal_by,
		};
		Jobs::<T>::insert(id, job);
		for &node in &answering {
			JobsOfVerifier::<T>::insert(node, id, ());
			OpenJobsOf::<T>::mutate(node, |open| open.saturating_inc());
		}
		Ok(Opened { id, verifiers, commit_by, reveal_by })
	}

	/// Blocks `seconds` of work take at the expected block time, rounded up.
	pub(crate) fn blocks_for(seconds: u64) -> BlockNumberFor<T> {
		let blocks = seconds.saturating_mul(1_000).div_ceil(T::BlockTimeMs::get().max(1));
		u32::try_from(blocks).unwrap_or(u32::MAX).into()
	}

	/// Holds the dispute deposit from `owner`.
	fn hold_deposit(owner: &T::AccountId) -> Result<Balance, DispatchError> {
		let deposit = Params::<T>::get().dispute_deposit;
		T::Stablecoin::hold(&HoldReason::DisputeDeposit.into(), owner, deposit)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		Ok(deposit)
	}

	/// Gives a disputant's deposit back.
	pub(crate) fn return_deposit(job: JobId, who: &T::AccountId, amount: Balance) {
		let reason = HoldReason::DisputeDeposit.into();
		let held = T::Stablecoin::balance_on_hold(&reason, who).min(amount);
		let _ = T::Stablecoin::release(&reason, who, held, Precision::BestEffort);
		Self::deposit_event(Event::DepositReturned { job, who: who.clone(), amount: held });
	}
}

impl<T: Config> DeliveryAudits<T::AccountId> for Pallet<T> {
	fn delivered(task: TaskId) {
		if AuditOfTask::<T>::contains_key(task) {
			return;
		}
		if Self::queue_draw(task) {
			AuditOfTask::<T>::insert(task, AuditStatus::Drawing { disputant: None });
			return;
		}
		// Every block within reach is full of draws: a flood of deliveries does not slip past
		// the audit, each one is audited now, paid by its own fee alone.
		let Some(delivery) = T::Market::auditable(task) else { return };
		let seed = Self::seed(b"vcity/audit", task);
		let budget = Params::<T>::get().fee_share.mul_floor(delivery.payment);
		if let Err(reason) = Self::open_job(task, delivery, &seed, None, budget) {
			Self::deposit_event(Event::AuditNotOpened { task, reason });
		}
	}

	fn delivered_weight() -> Weight {
		// The draw and the job it may open are paid by the delivery, and so is the job's tally,
		// and the probes for a free draw slot and a free end slot. The benchmark measures the
		// draw at its most reads; the writes of a job that opens (the job, its end slot, the
		// id, and two per seat) are added here.
		let seats = u64::from(MAX_VERIFIERS_PER_JOB);
		T::WeightInfo::draw_audit(vcity_primitives::CHARGED_NETWORK_SIZE)
			.saturating_add(Pallet::<T>::conclude_weight())
			.saturating_add(T::DbWeight::get().reads(2 * u64::from(QUEUE_PROBE_BLOCKS)))
			.saturating_add(T::DbWeight::get().writes(4 + 2 * seats))
	}

	fn disputed(task: TaskId, owner: &T::AccountId) -> Result<bool, DispatchError> {
		if T::Market::auditable(task).is_none() {
			return Ok(false);
		}
		match AuditOfTask::<T>::get(task) {
			Some(AuditStatus::Open(id)) => {
				let deposit = Self::hold_deposit(owner)?;
				Jobs::<T>::mutate(id, |job| {
					if let Some(Job { subject: JobSubject::Delivery { disputant, .. }, .. }) = job {
						*disputant = Some((owner.clone(), deposit));
					}
				});
			}
			Some(AuditStatus::Drawing { .. }) => {
				let deposit = Self::hold_deposit(owner)?;
				AuditOfTask::<T>::insert(
					task,
					AuditStatus::Drawing { disputant: Some((owner.clone(), deposit)) },
				);
			}
			None => {
				let deposit = Self::hold_deposit(owner)?;
				if !Self::queue_draw(task) {
					// No room to draw later: governance decides this one.
					Self::return_deposit(0, owner, deposit);
					Self::deposit_event(Event::AuditNotOpened { task, reason: NotOpened::QueueFull });
					return Ok(false);
				}
				AuditOfTask::<T>::insert(
					task,
					AuditStatus::Drawing { disputant: Some((owner.clone(), deposit)) },
				);
			}
		}
		Ok(true)
	}

	fn disputed_weight() -> Weight {
		// A dispute after a draw that passed the delivery by queues a draw of its own.
		T::WeightInfo::dispute().saturating_add(Self::delivered_weight())
	}

	fn audit_open(task: TaskId) -> bool {
		AuditOfTask::<T>::contains_key(task)
	}

	fn fee_share() -> Permill {
		Params::<T>::get().fee_share
	}

	fn fee_account() -> Option<T::AccountId> {
		Some(Self::pot())
	}

	fn gpus_freed(node: NodeId, gpus: u32, assigned_at: u64, in_use: u32) {
		Self::note_gpus_freed(node, gpus, assigned_at, in_use)
	}

	fn gpus_freed_weight() -> Weight {
		T::DbWeight::get().reads_writes(1, 2)
	}

	fn gpus_withheld(node: NodeId) -> u32 {
		Self::withheld_gpus(node)
	}
}
