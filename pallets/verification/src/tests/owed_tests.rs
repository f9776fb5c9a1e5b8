//! Busy nodes owe their challenge (docs/verification.md#busy-nodes-owe-their-challenge): the
//! GPUs tasks hold at a draw are challenged as those tasks give them back, before any other
//! task may take them, so a node cannot keep GPUs it lacks "busy" out of every challenge.

use super::*;
use crate::challenge::WHOLE;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{DeliveryAudits, Offence};

/// Draws until `node` is drawn (the only compute node, so within a few blocks), then stops the
/// random draws: what follows is the owed challenge alone.
fn draw(node: NodeId) {
	assert_ok!(Verification::set_challenge_params(
		RuntimeOrigin::root(),
		ChallengeParams { daily_fraction: Perbill::one(), ..ChallengeParams::for_cpu_hosts() }
	));
	let drawn = (0..40).any(|_| {
		ChallengeCredit::<Test>::put(WHOLE);
		run_to(System::block_number() + 1);
		events().iter().any(|e| {
			matches!(e, Event::ChallengeDeferred { node: n, .. } | Event::ChallengeOpened { node: n, .. } if *n == node)
		})
	});
	assert!(drawn, "node {node} was not drawn in 40 blocks");
	assert_ok!(Verification::set_challenge_params(
		RuntimeOrigin::root(),
		ChallengeParams { daily_fraction: Perbill::zero(), ..ChallengeParams::for_cpu_hosts() }
	));
	ChallengeCredit::<Test>::put(0);
}

/// The most challenges a block opens.
fn cap() -> u32 {
	<<Test as Config>::MaxChallengesPerBlock as frame_support::traits::Get<u32>>::get()
}

/// `count` online one-GPU compute nodes, each owing the challenge of its GPU, which a task gave
/// back: all ready to be challenged.
fn owing_nodes(count: u32) -> Vec<NodeId> {
	(0..count)
		.map(|i| {
			let node = register_gpus(
				VERIFIER_OWNER + 4 + u64::from(i),
				VERIFIER_OPERATOR + 4 + u64::from(i),
				roles(false),
				1,
			);
			ChallengeOwed::<Test>::insert(node, OwedChallenge { gpus: 1, withheld: 1, drawn_at: 1 });
			OwedReady::<Test>::insert(node, ());
			node
		})
		.collect()
}

/// Every online node is drawn each day, and the next block has a whole cap of random draws due.
fn draw_at_full_credit() {
	assert_ok!(Verification::set_challenge_params(
		RuntimeOrigin::root(),
		ChallengeParams { daily_fraction: Perbill::one(), ..ChallengeParams::for_cpu_hosts() }
	));
	ChallengeCredit::<Test>::put(u64::from(cap()) * WHOLE);
}

/// The node under test with `gpus` GPUs, `busy` of them held by tasks, drawn for a challenge.
fn drawn_busy(gpus: u32, busy: u32) -> NodeId {
	let node = register_gpus(NODE_OWNER, NODE_OPERATOR, roles(false), gpus);
	set_busy_gpus(node, busy);
	run_to(3);
	draw(node);
	node
}

/// The market gives `gpus` GPUs of `node` back, from a task assigned in block `assigned_at`.
fn free(node: NodeId, busy_left: u32, gpus: u32, assigned_at: u64) {
	set_busy_gpus(node, busy_left);
	<Verification as DeliveryAudits<AccountId>>::gpus_freed(node, gpus, assigned_at, busy_left);
}

/// The node missed its heartbeat window: offline.
fn go_offline(node: NodeId) {
	pallet_compute_registry::Heartbeats::<Test>::mutate(node, |beat| {
		if let Some(beat) = beat {
			beat.at_ms = 0;
		}
	});
}

/// The node left the network.
fn exit(node: NodeId) {
	pallet_compute_registry::Nodes::<Test>::mutate(node, |n| {
		if let Some(n) = n {
			n.state = pallet_compute_registry::NodeState::Exited;
		}
	});
}

fn withheld(node: NodeId) -> u32 {
	<Verification as DeliveryAudits<AccountId>>::gpus_withheld(node)
}

fn opened_for(node: NodeId) -> Vec<u32> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::ChallengeOpened { node: n, gpus, .. } if n == node => Some(gpus),
			_ => None,
		})
		.collect()
}

/// Ends challenge `id` unanswered (downtime), as its reveal phase runs out.
fn lapse(id: JobId) {
	let reveal_by = Jobs::<Test>::get(id).expect("the challenge is open").reveal_by;
	run_to(reveal_by.max(System::block_number()));
	assert!(Jobs::<Test>::get(id).is_none());
}

/// Ends `node`'s open drawn challenge unanswered.
fn let_challenge_lapse(node: NodeId) {
	lapse(ChallengeOf::<Test>::get(node).expect("a challenge is open"));
}

#[test]
fn a_node_drawn_with_every_gpu_busy_owes_them_and_they_wait_for_the_challenge_when_freed() {
	test(|| {
		verifiers(3);
		let node = drawn_busy(2, 2);
		let drawn_at = System::block_number();
		assert_eq!(ChallengeOwed::<Test>::get(node), Some(OwedChallenge { gpus: 2, withheld: 0, drawn_at }));
		assert!(ChallengeOf::<Test>::get(node).is_none(), "no paid task is stopped");
		assert!(events().contains(&Event::ChallengeDeferred { node, gpus: 2 }));

		// The task that held them ends: the market may not hand them to another task.
		free(node, 0, 2, 2);
		assert_eq!(withheld(node), 2);
		assert!(OwedReady::<Test>::contains_key(node));
		// The next block opens the challenge of the GPUs owed, with the share at zero.
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![2]);
		assert!(OwedChallengeOf::<Test>::contains_key(node));
		assert_eq!(ChallengeOwed::<Test>::get(node), None, "nothing more is owed");
		assert_eq!(withheld(node), 0, "the agent runs the check before any task it is given now");
	});
}

/// The attack: a node that declared four GPUs and has one keeps three busy with a long task it
/// bought itself, and runs short tasks on the real one. Its debt is for the three: GPUs freed
/// by tasks taken after the draw do not pay it, and the long task's end does.
#[test]
fn a_node_cannot_pay_the_debt_of_its_busy_gpus_with_the_one_it_rotates() {
	test(|| {
		verifiers(3);
		let node = drawn_busy(4, 3);
		let drawn_at = System::block_number();
		assert_eq!(opened_for(node), vec![1], "the idle GPU is challenged at once");
		assert_eq!(ChallengeOwed::<Test>::get(node).map(|o| o.gpus), Some(3));
		let_challenge_lapse(node);

		// Short tasks on the real GPU, taken after the draw, come and go.
		for _ in 0..3 {
			set_busy_gpus(node, 4);
			run_to(System::block_number() + 1);
			free(node, 3, 1, System::block_number() - 1);
			assert_eq!(withheld(node), 0, "a GPU taken after the draw owes nothing");
			assert!(!OwedReady::<Test>::contains_key(node));
		}
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![1]);
		assert_eq!(ChallengeOwed::<Test>::get(node).map(|o| o.gpus), Some(3), "still owed");

		// The long task ends at last: its three GPUs are challenged (the fourth was, at the draw).
		free(node, 0, 3, drawn_at - 1);
		assert_eq!(withheld(node), 3);
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![1, 3]);
		assert_eq!(ChallengeOwed::<Test>::get(node), None);
	});
}

/// Freed GPUs wait for no drawn challenge (the owed one opens beside it), only for the node's
/// last owed challenge to end, and for the node to be online; a node that left owes nothing
/// more.
#[test]
fn freed_gpus_wait_for_the_last_owed_challenge_and_for_the_node_to_be_online() {
	test(|| {
		verifiers(3);
		let node = drawn_busy(3, 2);
		assert_eq!(opened_for(node), vec![1]);
		let drawn = ChallengeOf::<Test>::get(node).expect("the idle GPU's challenge");
		free(node, 1, 1, 1);
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![1, 1], "beside the drawn challenge");
		assert_eq!(ChallengeOf::<Test>::get(node), Some(drawn));
		let owed = OwedChallengeOf::<Test>::get(node).expect("in the owed slot");
		assert_eq!(withheld(node), 0);

		// The last owed GPU comes back while the owed challenge is open, and the node goes
		// offline: the GPU waits, unrentable, for both to pass.
		free(node, 0, 1, 1);
		go_offline(node);
		lapse(drawn);
		lapse(owed);
		run_to(System::block_number() + 2);
		assert_eq!(opened_for(node), vec![1, 1], "an offline node is not challenged");
		assert_eq!(withheld(node), 1, "its freed GPU stays withheld");
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(NODE_OPERATOR), node, Default::default()));
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![1, 1, 1], "the GPU owed, once it is back");
		assert_eq!(ChallengeOwed::<Test>::get(node), None);

		let other = register_gpus(VERIFIER_OWNER + 4, VERIFIER_OPERATOR + 4, roles(false), 1);
		ChallengeOwed::<Test>::insert(other, OwedChallenge { gpus: 1, withheld: 1, drawn_at: 1 });
		OwedReady::<Test>::insert(other, ());
		exit(other);
		run_to(System::block_number() + 1);
		assert!(ChallengeOwed::<Test>::get(other).is_none(), "a node that left owes nothing");
		assert!(!OwedReady::<Test>::contains_key(other));
	});
}

/// Nodes parked offline with GPUs withheld take no opening from a ready one: a block looks at
/// four times its cap.
#[test]
fn parked_owing_nodes_do_not_crowd_out_a_ready_one() {
	test(|| {
		verifiers(3);
		let cap = cap();
		let parked = owing_nodes(2 * cap);
		parked.iter().for_each(|node| go_offline(*node));
		let ready = register_gpus(NODE_OWNER, NODE_OPERATOR, roles(false), 1);
		ChallengeOwed::<Test>::insert(ready, OwedChallenge { gpus: 1, withheld: 1, drawn_at: 1 });
		OwedReady::<Test>::insert(ready, ());
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(ready), vec![1], "the ready node is challenged in the first block");
		assert!(parked.iter().all(|node| opened_for(*node).is_empty() && withheld(*node) == 1));
	});
}

/// A block looks at the cap's worth of owed challenges at most, and opens no more than the cap
/// in all: owed and random ones share it.
#[test]
fn owed_challenges_share_the_blocks_cap() {
	test(|| {
		verifiers(3);
		let cap = cap();
		owing_nodes(cap + 2);
		draw_at_full_credit();
		run_to(System::block_number() + 1);
		let opened = OwedChallengeOf::<Test>::iter().count() as u32;
		assert_eq!(opened, cap, "the cap, and owed challenges first");
		assert_eq!(OwedReady::<Test>::iter().count() as u32, 2, "the rest wait for the next block");
		assert_eq!(
			ChallengeCredit::<Test>::get(),
			u64::from(cap) * WHOLE,
			"the random draws keep their credit"
		);
	});
}

/// The escape the review found: drawn busy, the node ends its task and deregisters in the same
/// block. Leaving is no way out: the owed challenge opens while it unbonds, and its stake stays
/// until the challenge is judged. The invariant: a stake is never returned while a challenge
/// of its node is open or owed.
#[test]
fn a_node_that_leaves_while_owing_is_still_challenged_and_keeps_its_stake_until_judged() {
	test(|| {
		verifiers(3);
		let node = drawn_busy(2, 2);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(NODE_OWNER), node));
		let unlock_at = System::block_number() + 100;
		// Past its unbonding, with the task still holding the GPUs: the debt keeps the stake.
		run_to(unlock_at);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(NODE_OWNER), node),
			pallet_compute_registry::Error::<Test>::ChallengePending
		);
		// The task ends: the unbonding node is challenged for the GPUs it owes.
		free(node, 0, 2, 2);
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![2], "an unbonding node answers like an online one");
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(NODE_OWNER), node),
			pallet_compute_registry::Error::<Test>::ChallengePending
		);
		lapse(OwedChallengeOf::<Test>::get(node).expect("the owed challenge is open"));
		assert!(
			reports().iter().any(|r| r.node == node && r.offence == Offence::UnannouncedDowntime),
			"its silence is reported before the stake can go"
		);
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(NODE_OWNER), node));
		assert_eq!(
			pallet_compute_registry::Nodes::<Test>::get(node).map(|n| n.state),
			Some(pallet_compute_registry::NodeState::Exited)
		);
	});
}

/// A task assigned in the draw's own block came after it (draws run at the block's start): its
/// end pays nothing. Once no task holds any GPU, though, the whole debt is due, whatever the
/// tasks' blocks: a debt no task's end could pay would hold the stake for ever.
#[test]
fn the_draws_block_owes_nothing_and_an_idle_node_owes_all() {
	test(|| {
		verifiers(3);
		let node = drawn_busy(3, 3);
		let drawn_at = System::block_number();
		free(node, 2, 1, drawn_at);
		assert_eq!(withheld(node), 0, "assigned in the draw's block: after the draw");
		free(node, 1, 1, drawn_at - 1);
		assert_eq!(withheld(node), 1);
		free(node, 0, 1, drawn_at + 5);
		assert_eq!(withheld(node), 3, "no task holds any: the whole debt");
		run_to(System::block_number() + 1);
		assert_eq!(opened_for(node), vec![3]);
		assert_eq!(ChallengeOwed::<Test>::get(node), None);
	});
}

/// An owed challenge that fails to open (here no verifier can be drawn) still counts against
/// the block's cap, as it costs what an opening does: the random draws get what is left.
#[test]
fn owed_openings_that_fail_count_against_the_cap() {
	test(|| {
		let cap = cap();
		let nodes = owing_nodes(cap);
		draw_at_full_credit();
		run_to(System::block_number() + 1);
		let failed = events()
			.iter()
			.filter(|e| matches!(e, Event::ChallengeNotOpened { reason: NotOpened::TooFewVerifiers, .. }))
			.count() as u32;
		assert_eq!(failed, cap, "the owed ones tried, and no random draw beyond the cap");
		assert_eq!(ChallengeCredit::<Test>::get(), u64::from(cap) * WHOLE, "the random draws' credit waits");
		assert!(nodes.iter().all(|node| ChallengeOwed::<Test>::get(node).is_none()), "their GPUs go back");
	});
}
