//! The market's side of verification (docs/verification.md#what-the-market-does): which
//! deliveries are announced, settlement waiting for an audit, what each verdict does, and the
//! verification fee carved out of the protocol's part.

use super::*;
use frame_support::assert_noop;
use sp_runtime::Permill;
use vcity_primitives::{AuditVerdict, AuditedTasks, Offence, TaskStatus};

/// A task of USER's run and delivered by node number 0, assigned by the scheduler node.
fn delivered() -> (NodeId, TaskId) {
	let node = online_node(0, NodeTerms::default());
	scheduler_node();
	let id = submit(USER, needs(1), Billing::PerTask);
	assert_eq!(assign(vec![(id, node)]), vec![]);
	deliver(0, id, 600);
	(node, id)
}

fn open_audit(id: TaskId) {
	AUDITS.with(|a| a.borrow_mut().open.insert(id));
}

fn close_audit(id: TaskId, verdict: AuditVerdict) {
	AUDITS.with(|a| a.borrow_mut().open.remove(&id));
	assert_ok!(<Market as AuditedTasks<AccountId>>::audit_concluded(id, verdict));
}

#[test]
fn a_recomputable_delivery_is_announced_for_audit_and_a_container_one_is_not() {
	test(|| {
		let (node, id) = delivered();
		assert_eq!(AUDITS.with(|a| a.borrow().announced.clone()), vec![id]);
		let audit = Market::auditable(id).expect("a delivered matrix task is auditable");
		assert_eq!((audit.node, audit.owner, audit.result), (node, USER, [7; 32]));
		assert!(audit.victim.is_some_and(|(who, claim)| who == USER && claim > 0));

		let container = NextTaskId::<Test>::get();
		assert_ok!(Market::submit_task(
			RuntimeOrigin::signed(USER),
			needs(1),
			3_600,
			System::block_number() + 2_000,
			3 * USDV,
			Workload::Container { image: BoundedVec::truncate_from(b"img".to_vec()), command_hash: [1; 32] },
			Billing::PerTask,
		));
		assert_eq!(assign(vec![(container, node)]), vec![]);
		deliver(0, container, 600);
		assert_eq!(AUDITS.with(|a| a.borrow().announced.len()), 1, "a container's output is not recomputed");
		assert!(Market::auditable(container).is_none());
		assert_eq!(Market::delivered_result(container), Some((node, [7; 32])));
	});
}

#[test]
fn settlement_waits_for_an_open_audit_and_a_pass_settles_at_once() {
	test(|| {
		let (_, id) = delivered();
		open_audit(id);
		let opened = System::block_number();
		run_to_block(closed(opened, DISPUTE_WINDOW) + 5);
		assert_eq!(status(id), TaskStatus::Delivered, "the dispute window's end passes an audited task by");
		assert_noop!(Market::settle(RuntimeOrigin::signed(STRANGER), id), Error::<Test>::AuditOpen);
		close_audit(id, AuditVerdict::Passed);
		assert_eq!(status(id), TaskStatus::Settled);
	});
}

#[test]
fn a_pass_settles_before_the_window_closes() {
	test(|| {
		let (_, id) = delivered();
		open_audit(id);
		close_audit(id, AuditVerdict::Passed);
		assert_eq!(status(id), TaskStatus::Settled);
	});
}

#[test]
fn a_false_result_refunds_the_task_and_is_not_also_a_failed_delivery() {
	test(|| {
		let (node, id) = delivered();
		let before = usdv(USER);
		let escrow = Tasks::<Test>::get(id).unwrap().escrow;
		open_audit(id);
		close_audit(id, AuditVerdict::Failed);
		assert_eq!(status(id), TaskStatus::Refunded);
		assert_eq!(
			Tasks::<Test>::get(id).unwrap().state,
			TaskState::Refunded {
				reason: RefundReason::FalseResult,
				engagement: Tasks::<Test>::get(id).unwrap().state.engagement()
			}
		);
		// The whole escrow is the user's again (held until now, free now).
		assert_eq!(usdv(USER), before);
		assert_eq!(held(USER), 0);
		assert!(escrow > 0);
		// Verification reports the false result; the market adds no failed delivery of its own.
		assert!(offences().iter().all(|r| r.offence != Offence::FailedDelivery));
		assert_eq!(OpenTasksOfNode::<Test>::get(node), 0);
		// The dispute window's timeout later finds nothing to do.
		run_to_block(System::block_number() + DISPUTE_WINDOW + 2);
		assert_eq!(status(id), TaskStatus::Refunded);
	});
}

#[test]
fn no_verdict_settles_a_task_whose_window_closed_and_leaves_one_whose_window_is_open() {
	test(|| {
		let (node, id) = delivered();
		open_audit(id);
		close_audit(id, AuditVerdict::Inconclusive);
		assert_eq!(status(id), TaskStatus::Delivered, "its window is still open");
		run_to_block(closed(System::block_number(), DISPUTE_WINDOW));
		assert_eq!(status(id), TaskStatus::Settled, "and its timeout settles it");

		let late = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(late, node)]), vec![]);
		deliver(0, late, 600);
		open_audit(late);
		run_to_block(closed(System::block_number(), DISPUTE_WINDOW) + 1);
		assert_eq!(status(late), TaskStatus::Delivered);
		close_audit(late, AuditVerdict::Inconclusive);
		assert_eq!(status(late), TaskStatus::Settled);
	});
}

#[test]
fn an_audited_dispute_is_the_audits_and_not_the_dispute_origins() {
	test(|| {
		let (_, id) = delivered();
		AUDITS.with(|a| a.borrow_mut().disputes_audited = true);
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		assert!(market_events().iter().any(|e| matches!(e, Event::TaskDisputed { audited: true, .. })));
		assert_noop!(Market::resolve_dispute(RuntimeOrigin::root(), id, true), Error::<Test>::AuditOpen);
		// Its resolution window passes; the audit still decides.
		run_to_block(closed(System::block_number(), RESOLUTION_WINDOW) + 1);
		assert_eq!(status(id), TaskStatus::Disputed);
		close_audit(id, AuditVerdict::Failed);
		assert_eq!(status(id), TaskStatus::Refunded);
	});
}

#[test]
fn a_dispute_no_audit_takes_stays_with_the_dispute_origin() {
	test(|| {
		let (_, id) = delivered();
		assert_ok!(Market::dispute_task(RuntimeOrigin::signed(USER), id));
		assert!(market_events().iter().any(|e| matches!(e, Event::TaskDisputed { audited: false, .. })));
		assert_ok!(Market::resolve_dispute(RuntimeOrigin::root(), id, false));
		assert_eq!(status(id), TaskStatus::Settled);
	});
}

#[test]
fn the_verification_fee_comes_out_of_the_protocols_part_and_the_parts_add_up() {
	test(|| {
		let fee_account = 77;
		// The account exists in USDV, so it can take any fee.
		assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::transfer(
			USDV_ID,
			&USER,
			&fee_account,
			USDV,
			frame_support::traits::tokens::Preservation::Preserve
		));
		AUDITS.with(|a| {
			let mut audits = a.borrow_mut();
			audits.fee_share = Permill::from_percent(2);
			audits.fee_account = Some(fee_account);
		});
		let before = usdv(USER);
		let (_, id) = delivered();
		let node_owner = owner_of(0);
		let owner_before = usdv(node_owner);
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 5));
		let settled = market_events()
			.into_iter()
			.find_map(|e| match e {
				Event::TaskSettled {
					node_share, scheduler_fee, verification_fee, protocol_revenue, ..
				} => Some((node_share, scheduler_fee, verification_fee, protocol_revenue)),
				_ => None,
			})
			.unwrap();
		let (node_share, scheduler_fee, verification_fee, protocol) = settled;
		let paid = Tasks::<Test>::get(id).unwrap().paid;
		assert_eq!(
			node_share + scheduler_fee + verification_fee + protocol,
			paid,
			"the parts are the payment"
		);
		assert_eq!(verification_fee, Permill::from_percent(2).mul_floor(paid));
		assert_eq!(usdv(fee_account), USDV + verification_fee);
		assert_eq!(usdv(USER), before - paid);
		assert_eq!(usdv(node_owner) - owner_before, node_share);
	});
}

#[test]
fn a_fee_account_that_cannot_take_the_fee_leaves_it_to_the_protocol() {
	test(|| {
		// An account holding no USDV cannot take less than the minimum balance.
		AUDITS.with(|a| {
			let mut audits = a.borrow_mut();
			audits.fee_share = Permill::from_parts(1);
			audits.fee_account = Some(78);
		});
		let (_, id) = delivered();
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 5));
		let fee = market_events().into_iter().find_map(|e| match e {
			Event::TaskSettled { verification_fee, .. } => Some(verification_fee),
			_ => None,
		});
		assert_eq!(fee, Some(0));
		assert_eq!(usdv(78), 0);
	});
}

/// Verification learns which GPUs come free, and from a task assigned when; GPUs it withholds
/// for a challenge the node owes are offered to no task, though no task holds them.
#[test]
fn freed_gpus_are_announced_with_their_tasks_block_and_withheld_ones_are_not_offered() {
	test(|| {
		let node = online_node(0, NodeTerms { gpus: 4, ..Default::default() });
		scheduler_node();
		let first = submit(USER, needs(2), Billing::PerTask);
		let assigned_at = System::block_number();
		assert_eq!(assign(vec![(first, node)]), vec![]);
		run_to_block(System::block_number() + 1);
		deliver(0, first, 600);
		assert_eq!(AUDITS.with(|a| a.borrow().freed.clone()), vec![(node, 2, assigned_at, 0)]);
		assert_eq!(Market::idle_gpus(node, 4), 4);

		AUDITS.with(|a| a.borrow_mut().withheld.insert(node, 3));
		assert_eq!(Market::free_gpus(node, 4), 1, "three of the four idle GPUs wait for a challenge");
		assert_eq!(
			<Market as AuditedTasks<AccountId>>::idle_gpus(node, 4),
			4,
			"the challenge asks for them all"
		);
		let two = submit(USER, needs(2), Billing::PerTask);
		assert_eq!(assign(vec![(two, node)]), vec![(two, node, Rejection::GpusBusy)]);
		let one = submit(USER, needs(1), Billing::PerTask);
		assert_eq!(assign(vec![(one, node)]), vec![]);
		assert_eq!(TasksInHand::<Test>::get(node, one), Some(System::block_number()));
	});
}

/// A chain upgraded from version 1 gives the tasks in its nodes' hands block 0: assigned
/// before any draw, so a challenge owed for their GPUs counts them.
#[test]
fn the_migration_gives_tasks_in_hand_the_first_block() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	test(|| {
		let node = online_node(0, NodeTerms { gpus: 2, ..Default::default() });
		scheduler_node();
		let id = submit(USER, needs(1), Billing::PerTask);
		run_to_block(System::block_number() + 3);
		assert_eq!(assign(vec![(id, node)]), vec![]);
		// Version 1 stored nothing beside the key.
		frame_support::storage::unhashed::put_raw(&TasksInHand::<Test>::hashed_key_for(node, id), &[]);
		StorageVersion::new(1).put::<Market>();
		crate::migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(TasksInHand::<Test>::get(node, id), Some(0));
		assert_eq!(Market::on_chain_storage_version(), StorageVersion::new(2));
		assert_ok!(Market::do_try_state());
	});
}
