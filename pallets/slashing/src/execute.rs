//! Execution: at the end of its pending window a case takes its share of the stake and hands it
//! on (the users hit, the reporters, the treasury); a severe one bans the node. At most
//! `MaxExecutionsPerBlock` cases a block, each in its own storage layer.

use crate::{pallet::*, types::DueKind, weights::WeightInfo};
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, MutateHold},
		tokens::{DepositConsequence, Precision, Provenance},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Rounding,
};
use vcity_primitives::{
	AppealState, Balance, NodeSlashing, OffenceTier, OnNodeBanned, SlashCaseId, SlashOutcome, SlashRecord,
	VcaiPrice, CHARGED_NETWORK_SIZE, USDV,
};

use crate::report::CaseOf;

/// How a slash divides: each victim's part, each reporter's part, the treasury's.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Division<AccountId> {
	pub victims: alloc::vec::Vec<(AccountId, Balance)>,
	pub reporters: alloc::vec::Vec<(AccountId, Balance)>,
	pub treasury: Balance,
}

/// Divides `slashed` VCAI: to each victim its share of the pot pro rata to what it paid, never
/// more than that payment's worth at `vcai_per_usdv` (no price: no compensation, as it cannot be
/// valued); then `cut` of the rest shared equally by the reporters; then the rest to the
/// treasury. Every part rounds down and the treasury takes the remainder, so the parts add up
/// to `slashed` exactly.
pub fn divide<AccountId: Clone>(
	slashed: Balance,
	victims: &[(AccountId, Balance)],
	vcai_per_usdv: Option<Balance>,
	reporters: &[AccountId],
	cut: sp_runtime::Perbill,
) -> Division<AccountId> {
	let worth = |payment: Balance| {
		vcai_per_usdv
			.and_then(|price| multiply_by_rational_with_rounding(payment, price, USDV, Rounding::Down))
			.unwrap_or(0)
	};
	let caps: alloc::vec::Vec<Balance> = victims.iter().map(|(_, paid)| worth(*paid)).collect();
	let total_cap = caps.iter().fold(0u128, |sum, cap| sum.saturating_add(*cap));
	let pot = slashed.min(total_cap);
	let mut division = Division { victims: Default::default(), reporters: Default::default(), treasury: 0 };
	let mut left = slashed;
	for ((who, _), cap) in victims.iter().zip(caps) {
		let share = multiply_by_rational_with_rounding(pot, cap, total_cap.max(1), Rounding::Down)
			.unwrap_or(0)
			.min(cap);
		left.saturating_reduce(share);
		division.victims.push((who.clone(), share));
	}
	if !reporters.is_empty() {
		let each = cut.mul_floor(left) / reporters.len() as Balance;
		for reporter in reporters {
			division.reporters.push((reporter.clone(), each));
		}
		left.saturating_reduce(each.saturating_mul(reporters.len() as Balance));
	}
	division.treasury = left;
	division
}

impl<T: Config> Pallet<T> {
	/// Executes the cases whose block has come, from the front of the queue, at most
	/// `MaxExecutionsPerBlock` entries a block (closed cases' entries included, so the work is
	/// bounded whatever they are); an appealed one still undecided waits once more, for the
	/// appeal grace, at the back.
	pub(crate) fn execute_due(now: BlockNumberFor<T>) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_empty(CHARGED_NETWORK_SIZE);
		let mut budget = T::MaxExecutionsPerBlock::get();
		for queue in [DueKind::Window, DueKind::Grace] {
			let (start, back) = DueBounds::<T>::get(queue);
			let mut front = start;
			while budget > 0 && front < back {
				// Peeking at an entry not yet due is a read (and the bounds' read and write).
				weight.saturating_accrue(T::DbWeight::get().reads_writes(2, 1));
				let Some((at, id)) = DueQueue::<T>::get(queue, front) else {
					front.saturating_inc();
					continue;
				};
				if at > now {
					break;
				}
				DueQueue::<T>::remove(queue, front);
				front.saturating_inc();
				budget.saturating_dec();
				weight.saturating_accrue(Self::execution_weight());
				Self::execute_entry(now, at, id);
			}
			if front != start {
				DueBounds::<T>::insert(queue, (front, back));
			}
		}
		weight
	}

	/// An entry of the queues has come up: the case executes, or waits its grace if its appeal
	/// is undecided. A case cancelled, executed by a call or moved since left the entry behind.
	fn execute_entry(now: BlockNumberFor<T>, at: BlockNumberFor<T>, id: SlashCaseId) {
		let Some(mut case) = Cases::<T>::get(id).filter(|c| c.execute_at == at) else { return };
		if matches!(case.appeal, AppealState::Pending { .. }) && !case.grace_given {
			case.grace_given = true;
			let grace_end = now.saturating_add(Params::<T>::get().appeal_grace);
			case.execute_at = Self::schedule(DueKind::Grace, id, grace_end);
			Self::deposit_event(Event::SlashDeferredForAppeal { case: id, execute_at: case.execute_at });
			Cases::<T>::insert(id, case);
			return;
		}
		if let Err(error) = with_storage_layer(|| Self::execute(id, case)) {
			Self::deposit_event(Event::ExecutionFailed { case: id, error });
		}
	}

	/// What executing one case may cost at most: the measured execution (whose ban, in the
	/// benchmark, takes back nothing) and the most a ban may take back.
	pub fn execution_weight() -> Weight {
		T::WeightInfo::execute_slash(CHARGED_NETWORK_SIZE).saturating_add(T::OnBanned::node_banned_weight())
	}

	pub(crate) fn do_execute_if_due(id: SlashCaseId) -> DispatchResult {
		let case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= case.execute_at, Error::<T>::NotDue);
		let waits = matches!(case.appeal, AppealState::Pending { .. }) && !case.grace_given;
		ensure!(!waits, Error::<T>::NotDue);
		Self::execute(id, case)
	}

	fn can_receive(who: &T::AccountId, amount: Balance) -> bool {
		T::Currency::can_deposit(who, amount, Provenance::Extant) == DepositConsequence::Success
	}

	/// Takes the case's slash and closes it. The stake moves only by the registry's transfers
	/// out of its hold: nothing is minted or burnt.
	pub(crate) fn execute(id: SlashCaseId, mut case: CaseOf<T>) -> DispatchResult {
		// An appeal nobody decided is not a rejection: its deposit goes back.
		if let AppealState::Pending { appellant, deposit, .. } = &case.appeal {
			T::Currency::release(
				&HoldReason::AppealDeposit.into(),
				appellant,
				*deposit,
				Precision::BestEffort,
			)?;
			Self::deposit_event(Event::AppealLapsed { case: id, node: case.node });
			case.appeal = AppealState::None;
		}
		let held = T::Registry::held_stake(case.node).unwrap_or(0);
		let slashed = match case.tier {
			OffenceTier::Severe => held,
			// Stake bonded after the case opened is not at risk.
			_ => case.fraction.mul_floor(case.stake_at_open.min(held)),
		};
		let victims: alloc::vec::Vec<_> = case.victims.iter().map(|v| (v.who.clone(), v.payment)).collect();
		let division = divide(
			slashed,
			&victims,
			T::Price::vcai_per_usdv(),
			&case.reporters,
			Params::<T>::get().reporter_cut,
		);
		let treasury = T::Treasury::get();
		let mut to_treasury = division.treasury;
		let mut compensated: Balance = 0;
		for (who, amount) in &division.victims {
			let moved = Self::pay_share(case.node, who, *amount, &mut to_treasury)?;
			if moved > 0 {
				compensated.saturating_accrue(moved);
				Self::deposit_event(Event::Compensated { case: id, who: who.clone(), amount: moved });
			}
		}
		let mut to_reporters: Balance = 0;
		for (who, amount) in &division.reporters {
			to_reporters.saturating_accrue(Self::pay_share(case.node, who, *amount, &mut to_treasury)?);
		}
		if !to_treasury.is_zero() {
			to_treasury = T::Registry::slash(case.node, to_treasury, &treasury)?;
		}
		let banned = case.tier == OffenceTier::Severe && T::Registry::ban(case.node).is_ok();
		if banned {
			T::OnBanned::node_banned(case.node);
		}
		let outcome = SlashOutcome::Executed {
			slashed: compensated.saturating_add(to_reporters).saturating_add(to_treasury),
			compensated,
			to_reporters,
			to_treasury,
			banned,
		};
		Self::close(id, &case, outcome);
		Ok(())
	}

	/// Moves `amount` of the node's stake to `who`; returns what moved. An account that cannot
	/// take it (below the existential deposit of an account that holds none) would make the whole
	/// slash fail, so its share is added to what the treasury takes instead.
	fn pay_share(
		node: vcity_primitives::NodeId,
		who: &T::AccountId,
		amount: Balance,
		to_treasury: &mut Balance,
	) -> Result<Balance, DispatchError> {
		if amount.is_zero() || !Self::can_receive(who, amount) {
			to_treasury.saturating_accrue(amount);
			return Ok(0);
		}
		T::Registry::slash(node, amount, who)
	}

	/// Removes a pending case and writes it into the node's history.
	pub(crate) fn close(id: SlashCaseId, case: &CaseOf<T>, outcome: SlashOutcome) {
		Cases::<T>::remove(id);
		CaseOfNode::<T>::remove(case.node);
		let record = SlashRecord {
			case: id,
			tier: case.tier,
			fraction: case.fraction,
			offences: case.offence_count,
			opened_at: case.opened_at,
			closed_at: frame_system::Pallet::<T>::block_number(),
			outcome,
		};
		SlashHistory::<T>::mutate(case.node, |history| {
			if history.is_full() {
				history.remove(0);
			}
			let _ = history.try_push(record);
		});
		if matches!(outcome, SlashOutcome::Executed { .. }) {
			Self::deposit_event(Event::SlashExecuted { case: id, node: case.node, outcome });
		}
	}
}
