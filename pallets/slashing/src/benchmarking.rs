//! Benchmarks. Each runs against 10 and against 100,000 pending cases of other nodes (`n`), to
//! show its cost does not grow with them; the reports and executions at their worst: a full
//! case (victims, reporters, offence log and history), a severe offence that suspends and bans.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Hooks},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::One, Perbill};
use vcity_primitives::{
	AppealState, Balance, NodeId, Offence, OffenceEvidence, OffenceRecord, OffenceReport, SlashCase,
	SlashCaseId, SlashOutcome, SlashRecord, MAX_CASE_REPORTERS, MAX_CASE_VICTIMS, OFFENCE_LOG_LEN,
	SLASH_HISTORY_LEN, USDV, VCAI,
};

const SEED: u32 = 0;
/// Pending cases at the top of the range: 100,000 on the runtime, where the weights are
/// measured; a thousand when the benchmarks run as unit tests.
#[cfg(not(test))]
const MAX_CASES: u32 = 100_000;
#[cfg(test)]
const MAX_CASES: u32 = 1_000;
/// Ids of the nodes whose cases only fill storage, far from those the helper registers.
const CROWD: NodeId = 1 << 40;

/// What the benchmarks need from the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Registers a staked node owned by `owner` (funding it as needed); returns the node.
	fn register_node(owner: &AccountId) -> NodeId;
	/// Makes [`crate::Config::Price`] return `vcai_per_usdv`.
	fn set_price(vcai_per_usdv: Balance);
}

/// `n` pending cases of other nodes.
fn populate<T: Config>(n: u32) {
	let template = crowd_case::<T>(CROWD);
	for i in 0..n {
		let node = CROWD + NodeId::from(i);
		let id = NextCaseId::<T>::mutate(|next| {
			let id = *next;
			*next += 1;
			id
		});
		Cases::<T>::insert(id, SlashCase { node, ..template.clone() });
		CaseOfNode::<T>::insert(node, id);
	}
}

fn crowd_case<T: Config>(node: NodeId) -> SlashCase<T::AccountId, BlockNumberFor<T>> {
	SlashCase {
		node,
		tier: vcity_primitives::OffenceTier::Moderate,
		fraction: Perbill::from_percent(10),
		stake_at_open: 1_000 * VCAI,
		opened_at: One::one(),
		execute_at: BlockNumberFor::<T>::from(1_000_000u32),
		grace_given: false,
		offences: Default::default(),
		offence_count: 1,
		victims: Default::default(),
		reporters: Default::default(),
		appeal: AppealState::None,
		suspended: false,
	}
}

/// A node whose log and history are full: the report's ring buffers shift, its repeat count
/// reads them all.
fn worn_node<T: Config>(owner: &T::AccountId) -> NodeId {
	let node = T::BenchmarkHelper::register_node(owner);
	let now = frame_system::Pallet::<T>::block_number();
	let record = OffenceRecord {
		offence: Offence::FailedDelivery,
		evidence: OffenceEvidence::Task(1),
		at: now,
		case: 0,
	};
	OffenceLog::<T>::insert(node, BoundedVec::truncate_from(alloc::vec![record; OFFENCE_LOG_LEN as usize]));
	let closed = SlashRecord {
		case: 0,
		tier: vcity_primitives::OffenceTier::Minor,
		fraction: Perbill::from_percent(5),
		offences: 1,
		opened_at: now,
		closed_at: now,
		outcome: SlashOutcome::Cancelled,
	};
	SlashHistory::<T>::insert(
		node,
		BoundedVec::truncate_from(alloc::vec![closed; SLASH_HISTORY_LEN as usize]),
	);
	node
}

/// The worst report: severe (it suspends the node), with a victim and all reporters.
fn severe_report<T: Config>(node: NodeId, task: u64) -> OffenceReport<T::AccountId> {
	OffenceReport {
		node,
		offence: Offence::FakeCapacity,
		evidence: OffenceEvidence::Task(task),
		victim: Some((account("victim", task as u32, SEED), 10 * USDV)),
		reporters: (0..MAX_CASE_REPORTERS).map(|i| account("reporter", i, SEED)).collect(),
	}
}

/// A node with a severe case whose victims and reporters are all distinct new accounts (each
/// compensation creates one), its window still open.
fn full_case<T: Config>(owner: &T::AccountId) -> (NodeId, SlashCaseId) {
	let node = worn_node::<T>(owner);
	for task in 0..u64::from(MAX_CASE_VICTIMS) {
		Pallet::<T>::do_report(severe_report::<T>(node, task));
	}
	T::BenchmarkHelper::set_price(100 * VCAI);
	let (id, case) = Pallet::<T>::pending_case(node).expect("the reports opened a case");
	assert_eq!(case.victims.len() as u32, MAX_CASE_VICTIMS);
	(node, id)
}

/// The chain at the end of the case's window.
fn come_due<T: Config>(id: SlashCaseId) {
	let execute_at = Cases::<T>::get(id).expect("the case is pending").execute_at;
	frame_system::Pallet::<T>::set_block_number(execute_at);
}

fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, 1_000_000 * VCAI);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_offence(n: Linear<10, MAX_CASES>) {
		populate::<T>(n);
		let owner: T::AccountId = account("owner", 0, SEED);
		let node = worn_node::<T>(&owner);
		let report = severe_report::<T>(node, 1);

		#[block]
		{
			Pallet::<T>::do_report(report);
		}

		assert!(Pallet::<T>::pending_case(node).is_some_and(|(_, c)| c.suspended));
	}

	#[benchmark]
	fn appeal(n: Linear<10, MAX_CASES>) {
		populate::<T>(n);
		let owner: T::AccountId = account("owner", 0, SEED);
		let node = worn_node::<T>(&owner);
		Pallet::<T>::do_report(severe_report::<T>(node, 1));
		let (id, _) = Pallet::<T>::pending_case(node).expect("reported");
		fund::<T>(&owner);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(matches!(Cases::<T>::get(id).map(|c| c.appeal), Some(AppealState::Pending { .. })));
	}

	#[benchmark]
	fn decide_appeal_upheld(n: Linear<10, MAX_CASES>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let owner: T::AccountId = account("owner", 0, SEED);
		let node = worn_node::<T>(&owner);
		Pallet::<T>::do_report(severe_report::<T>(node, 1));
		let (id, _) = Pallet::<T>::pending_case(node).expect("reported");
		fund::<T>(&owner);
		Pallet::<T>::do_appeal(owner, id)?;
		let origin = T::AppealOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		decide_appeal(origin as T::RuntimeOrigin, id, true);

		assert!(Cases::<T>::get(id).is_none());
		Ok(())
	}

	/// Rejected after the window ended: the slash executes in the same call.
	#[benchmark]
	fn decide_appeal_rejected(n: Linear<10, MAX_CASES>) -> Result<(), BenchmarkError> {
		populate::<T>(n);
		let owner: T::AccountId = account("owner", 0, SEED);
		fund::<T>(&owner);
		let (_node, id) = full_case::<T>(&owner);
		Pallet::<T>::do_appeal(owner, id)?;
		come_due::<T>(id);
		Cases::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.grace_given = true;
			}
		});
		let origin = T::AppealOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		decide_appeal(origin as T::RuntimeOrigin, id, false);

		assert!(Cases::<T>::get(id).is_none());
		Ok(())
	}

	/// A severe case with every victim compensated and every reporter paid; the node is banned.
	#[benchmark]
	fn execute_slash(n: Linear<10, MAX_CASES>) {
		populate::<T>(n);
		let owner: T::AccountId = account("owner", 0, SEED);
		let (node, id) = full_case::<T>(&owner);
		come_due::<T>(id);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(Cases::<T>::get(id).is_none());
		let last = SlashHistory::<T>::get(node).last().map(|r| r.outcome);
		assert!(
			matches!(last, Some(SlashOutcome::Executed { banned: true, compensated, .. }) if compensated > 0)
		);
	}

	/// The hook in a block with nothing due.
	#[benchmark]
	fn on_initialize_empty(n: Linear<10, MAX_CASES>) {
		populate::<T>(n);
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = SlashParams { reporter_cut: Perbill::from_percent(20), ..Params::<T>::get() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get().reporter_cut, Perbill::from_percent(20));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
