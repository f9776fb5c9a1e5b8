//! Paying for a delivered task: the fee split, payouts from the held escrow, the refund of the
//! rest; ratings and disputes, which decide when and whether that happens.
//!
//! Funds never leave the owner's account except to a recipient: each share moves straight from
//! the hold to the node's owner, the scheduler's owner or the revenue sink, and whatever is not
//! paid is released. A share a recipient's account cannot take (below the stablecoin's minimum
//! balance on an account that holds none) falls to the protocol, and the protocol's part, if the
//! sink cannot take it, to the owner, so settlement never fails on dust and nothing is lost.

use crate::{pallet::*, types::*};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use sp_runtime::traits::Saturating;
use sp_runtime::{Perbill, Permill};
use vcity_primitives::{
	compute_cost, Balance, Clock, DeliveryAudits, DeliveryCredit, DeliveryOutcome, DeliveryReporter,
	DeliveryRewards, GpuSeconds, NodeRegistry, NodeStatus, ReputationTier, RevenueSink, TaskId, Workload,
};

impl<T: Config> Pallet<T> {
	/// How a payment for `billed_gpu_seconds` divides. Node and scheduler shares round down, the
	/// verification fee (`verification_share` of the payment) comes out of what is left, and the
	/// protocol takes the rest, so the parts always add up to the payment exactly.
	pub fn payout(
		engagement: &Engagement,
		billed_gpu_seconds: GpuSeconds,
		tier: ReputationTier,
		split: &FeeSplit,
		verification_share: Permill,
	) -> Result<Payout, Error<T>> {
		let payment =
			compute_cost(engagement.price_per_gpu_hour, 1, billed_gpu_seconds).ok_or(Error::<T>::Overflow)?;
		let node = split.node_share(tier).mul_floor(payment);
		let scheduler = if engagement.scheduler.is_some() { split.scheduler.mul_floor(payment) } else { 0 };
		let rest = payment.checked_sub(node.saturating_add(scheduler)).ok_or(Error::<T>::Overflow)?;
		let verification = verification_share.mul_floor(payment).min(rest);
		let protocol = rest - verification;
		Ok(Payout { payment, node, scheduler, verification, protocol })
	}

	fn can_receive(who: &T::AccountId, amount: Balance) -> bool {
		T::Stablecoin::can_deposit(who, amount, Provenance::Extant) == DepositConsequence::Success
	}

	/// Moves `amount` of the owner's escrow to `to`.
	fn pay_from_escrow(owner: &T::AccountId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount > 0 {
			T::Stablecoin::transfer_on_hold(
				&HoldReason::TaskEscrow.into(),
				owner,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
		}
		Ok(())
	}

	/// Pays a delivered task out of its escrow and refunds the rest; a banned node's result is
	/// not paid, its escrow goes back whole.
	pub(crate) fn settle_delivered(id: TaskId, mut task: TaskOf<T>) -> DispatchResult {
		if let Some(engagement) = task.state.engagement() {
			if T::Registry::status(engagement.node) == Some(NodeStatus::Banned) {
				if let TaskState::Delivered { dispute_until, .. } = task.state {
					Self::remove_timeout(dispute_until, Timeout::Dispute, id);
				}
				let refunded = Self::end_unpaid(id, &mut task, RefundReason::NodeBanned)?;
				Self::deposit_event(Event::TaskRefunded {
					task: id,
					reason: RefundReason::NodeBanned,
					refunded,
				});
				return Ok(());
			}
		}
		let (engagement, billed_gpu_seconds, result) = match task.state {
			TaskState::Delivered { engagement, billed_gpu_seconds, result, dispute_until } => {
				Self::remove_timeout(dispute_until, Timeout::Dispute, id);
				(engagement, billed_gpu_seconds, result)
			}
			TaskState::Disputed { engagement, billed_gpu_seconds, result, resolve_by } => {
				Self::remove_timeout(resolve_by, Timeout::Resolve, id);
				(engagement, billed_gpu_seconds, result)
			}
			_ => return Err(Error::<T>::WrongTaskState.into()),
		};
		Self::close_on_node(engagement.node);
		let params = Self::params()?;
		let node =
			T::Registry::profile(engagement.node).ok_or(Error::<T>::Rejected(Rejection::UnknownNode))?;
		let fee_account = T::Audits::fee_account();
		// Only a result verifiers can recompute pays for verifying it.
		let recomputable = matches!(task.workload, Workload::Builtin(_));
		let share =
			if fee_account.is_some() && recomputable { T::Audits::fee_share() } else { Permill::zero() };
		let mut payout = Self::payout(&engagement, billed_gpu_seconds, node.tier, &params.fee_split, share)?;
		ensure!(payout.payment <= task.escrow, Error::<T>::PaymentExceedsEscrow);

		let scheduler_owner = engagement.scheduler.and_then(T::Registry::owner);
		if !Self::can_receive(&node.owner, payout.node) {
			payout.protocol.saturating_accrue(core::mem::take(&mut payout.node));
		}
		match &scheduler_owner {
			Some(owner) if Self::can_receive(owner, payout.scheduler) => {}
			_ => payout.protocol.saturating_accrue(core::mem::take(&mut payout.scheduler)),
		}
		match &fee_account {
			Some(account) if Self::can_receive(account, payout.verification) => {}
			_ => payout.protocol.saturating_accrue(core::mem::take(&mut payout.verification)),
		}
		let sink = T::RevenueSink::account();
		let protocol_paid = if Self::can_receive(&sink, payout.protocol) { payout.protocol } else { 0 };

		Self::pay_from_escrow(&task.owner, &node.owner, payout.node)?;
		if let Some(owner) = &scheduler_owner {
			Self::pay_from_escrow(&task.owner, owner, payout.scheduler)?;
		}
		if let Some(account) = &fee_account {
			Self::pay_from_escrow(&task.owner, account, payout.verification)?;
		}
		Self::pay_from_escrow(&task.owner, &sink, protocol_paid)?;
		if protocol_paid > 0 {
			T::RevenueSink::note_revenue(protocol_paid);
		}
		let paid = payout
			.node
			.saturating_add(payout.scheduler)
			.saturating_add(payout.verification)
			.saturating_add(protocol_paid);
		task.escrow.saturating_reduce(paid);
		task.paid = paid;
		Stats::<T>::mutate(|s| {
			s.escrow.saturating_reduce(paid);
			s.volume.saturating_accrue(paid);
			s.in_progress.saturating_dec();
			s.settled.saturating_inc();
		});
		let refunded = Self::release_escrow(&mut task)?;
		// Work that paid less than a task's minimum escrow, or that the node's owner or operator
		// bought from their own node, says nothing about the node: counting it would let anyone
		// farm a Gold tier, points, rebates or utilization for the fee alone. Between accounts
		// the chain cannot link, what it earns is capped by the protocol fee paid
		// (docs/economics.md#self-dealing).
		let arms_length = task.owner != node.owner && task.owner != node.operator;
		// Consumption counted while the task ran and not billed is given back.
		if task.counts_as_usage {
			let billed_ms = u128::from(billed_gpu_seconds).saturating_mul(1_000);
			Self::give_back_usage(core::mem::take(&mut task.counted_gpu_ms).saturating_sub(billed_ms));
		}
		if arms_length {
			Self::meter_spend(&task.owner, paid, protocol_paid);
		}
		if paid >= T::MinTaskEscrow::get() && arms_length {
			let quality_percent =
				task.rating.map_or(crate::UNRATED_QUALITY_PERCENT, |stars| stars.saturating_mul(20));
			// A delivery moves reputation by what it paid, up to a full step at
			// `FullReputationPayment`: Gold is bought with as much business as it takes to earn.
			let weight = Perbill::from_rational(
				paid.min(T::FullReputationPayment::get()),
				T::FullReputationPayment::get(),
			);
			let outcome = DeliveryOutcome::Completed { quality_percent, weight };
			T::Reputation::report_delivery(engagement.node, outcome)?;
			if let Some(scheduler) = engagement.scheduler {
				T::Reputation::report_delivery(scheduler, outcome)?;
			}
			// A node the registry has suspended earns no Proof-of-Delivery for the task it
			// finishes meanwhile; it is still paid for it, as the user's payment is its due.
			if node.status != NodeStatus::Suspended {
				let quality = Perbill::from_percent(quality_percent.into()) * node.completion;
				let credit = DeliveryCredit { payment: paid, protocol_fee: protocol_paid, quality };
				T::DeliveryRewards::delivered(engagement.node, credit);
			}
		}
		task.state = TaskState::Settled { engagement, billed_gpu_seconds, result };
		let forget_at = Self::forget_slot();
		Tasks::<T>::insert(id, task);
		if let Some(at) = forget_at {
			Self::push_timeout(at, id, Timeout::Forget)?;
		}
		Self::deposit_event(Event::TaskSettled {
			task: id,
			node: engagement.node,
			node_share: payout.node,
			scheduler_fee: payout.scheduler,
			verification_fee: payout.verification,
			protocol_revenue: protocol_paid,
			refunded,
		});
		Ok(())
	}

	/// Records compute a user bought from someone else's node in the current period's usage
	/// meter: the USDV paid (rebates) and the protocol's part of it (the rebate's cap). Its
	/// GPU-seconds were counted while it ran (`usage.rs`).
	fn meter_spend(owner: &T::AccountId, paid: Balance, protocol_fee: Balance) {
		let period = T::Clock::period_index();
		Spend::<T>::mutate(period, owner, |s| s.saturating_accrue(paid));
		TotalSpend::<T>::mutate(period, |s| s.saturating_accrue(paid));
		FeesPaid::<T>::mutate(period, owner, |f| f.saturating_accrue(protocol_fee));
	}

	pub(crate) fn do_rate(who: T::AccountId, id: TaskId, stars: u8) -> DispatchResult {
		ensure!((1..=5).contains(&stars), Error::<T>::InvalidRating);
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(task.owner == who, Error::<T>::NotTaskOwner);
		ensure!(matches!(task.state, TaskState::Delivered { .. }), Error::<T>::WrongTaskState);
		task.rating = Some(stars);
		Self::deposit_event(Event::TaskRated { task: id, stars });
		Self::settle_delivered(id, task)
	}

	pub(crate) fn do_dispute(who: T::AccountId, id: TaskId) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(task.owner == who, Error::<T>::NotTaskOwner);
		let TaskState::Delivered { engagement, billed_gpu_seconds, result, dispute_until } = task.state
		else {
			return Err(Error::<T>::WrongTaskState.into());
		};
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < dispute_until, Error::<T>::DisputeWindowClosed);
		let params = Self::params()?;
		// A recomputable result is decided by its audit (the owner's deposit is held for it);
		// any other waits for the dispute origin until the resolution window ends.
		let audited = T::Audits::disputed(id, &who)?;
		let resolve_by =
			Self::free_timeout_slot(Self::window_end(now, params.resolution_window), Timeout::Resolve)?;
		Self::remove_timeout(dispute_until, Timeout::Dispute, id);
		Self::push_timeout(resolve_by, id, Timeout::Resolve)?;
		task.state = TaskState::Disputed { engagement, billed_gpu_seconds, result, resolve_by };
		Tasks::<T>::insert(id, task);
		Self::deposit_event(Event::TaskDisputed { task: id, resolve_by, audited });
		Ok(())
	}

	pub(crate) fn do_resolve_dispute(id: TaskId, upheld: bool) -> DispatchResult {
		let mut task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		ensure!(matches!(task.state, TaskState::Disputed { .. }), Error::<T>::WrongTaskState);
		ensure!(!T::Audits::audit_open(id), Error::<T>::AuditOpen);
		if !upheld {
			return Self::settle_delivered(id, task);
		}
		let refunded = Self::end_unpaid(id, &mut task, RefundReason::DisputeUpheld)?;
		Self::deposit_event(Event::TaskRefunded { task: id, reason: RefundReason::DisputeUpheld, refunded });
		Ok(())
	}

	pub(crate) fn do_settle_after_window(id: TaskId) -> DispatchResult {
		let task = Tasks::<T>::get(id).ok_or(Error::<T>::Rejected(Rejection::UnknownTask))?;
		let closes = match task.state {
			TaskState::Delivered { dispute_until, .. } => dispute_until,
			TaskState::Disputed { resolve_by, .. } => resolve_by,
			_ => return Err(Error::<T>::WrongTaskState.into()),
		};
		ensure!(frame_system::Pallet::<T>::block_number() >= closes, Error::<T>::DisputeWindowOpen);
		ensure!(!T::Audits::audit_open(id), Error::<T>::AuditOpen);
		Self::settle_delivered(id, task)
	}
}
