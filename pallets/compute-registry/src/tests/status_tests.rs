//! The status machine: unbonding, exit, suspension and ban.

use super::*;
use frame_support::assert_noop;
use vcity_primitives::{NodeRegistry, NodeSlashing, NodeStatus};

#[test]
fn deregistering_unbonds_and_the_stake_returns_only_after_the_period() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let before = Balances::free_balance(OWNER);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Unbonding));
		assert_noop!(
			Registry::deregister(RuntimeOrigin::signed(OWNER), node),
			Error::<Test>::AlreadyUnbonding
		);
		assert_noop!(beat(OPERATOR, node), Error::<Test>::NodeNotActive);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node),
			Error::<Test>::StillUnbonding
		);
		run_to_block(1 + UNBONDING_BLOCKS);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(STRANGER), node),
			Error::<Test>::NotOwner
		);
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node));
		// Funds are conserved: exactly the stake came back and nothing stays on hold.
		assert_eq!(Balances::free_balance(OWNER), before + 10_000 * VCAI);
		assert_eq!(Registry::held_stake_of(&OWNER), 0);
		assert_eq!(Registry::status(node), Some(NodeStatus::Exited));
		assert_eq!(Registry::node_of_operator(&OPERATOR), None);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node),
			Error::<Test>::NotUnbonding
		);
		assert_noop!(Registry::deregister(RuntimeOrigin::signed(OWNER), node), Error::<Test>::NodeGone);
		// The id is not reused; the freed operator key may run a new node.
		assert_eq!(register(OWNER, OPERATOR, 1), node + 1);
	});
}

#[test]
fn a_suspended_node_cannot_beat_or_leave_until_resumed() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::suspend(node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Suspended));
		assert_noop!(beat(OPERATOR, node), Error::<Test>::NodeNotActive);
		assert_noop!(Registry::deregister(RuntimeOrigin::signed(OWNER), node), Error::<Test>::NodeSuspended);
		assert_noop!(Registry::suspend(node), Error::<Test>::NodeSuspended);
		assert_ok!(Registry::resume(node));
		assert_noop!(Registry::resume(node), Error::<Test>::NotSuspended);
		assert_ok!(beat(OPERATOR, node));
	});
}

#[test]
fn suspension_interrupts_unbonding_and_resuming_restores_it() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		assert_ok!(Registry::suspend(node));
		run_to_block(1 + UNBONDING_BLOCKS);
		assert_noop!(
			Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node),
			Error::<Test>::NodeSuspended
		);
		assert_ok!(Registry::resume(node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Unbonding));
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node));
	});
}

#[test]
fn slashing_moves_stake_to_the_beneficiary_and_never_more_than_held() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let total_before = Balances::total_issuance();
		let pot_before = Balances::free_balance(POT);
		assert_eq!(Registry::slash(node, 1_000 * VCAI, &POT), Ok(1_000 * VCAI));
		assert_eq!(Registry::stake(node).map(|s| s.0), Some(9_000 * VCAI));
		assert_eq!(Registry::slash(node, 1_000_000 * VCAI, &POT), Ok(9_000 * VCAI));
		assert_eq!(Registry::slash(node, 1, &POT), Ok(0));
		// Funds move, none are created or burnt.
		assert_eq!(Balances::free_balance(POT), pot_before + 10_000 * VCAI);
		assert_eq!(Balances::total_issuance(), total_before);
	});
}

#[test]
fn banning_is_final_and_frees_the_operator_key() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::slash(node, 10_000 * VCAI, &POT).map(|_| ()));
		assert_ok!(Registry::ban(node));
		assert_eq!(Registry::status(node), Some(NodeStatus::Banned));
		assert_noop!(Registry::ban(node), Error::<Test>::NodeGone);
		assert_noop!(Registry::resume(node), Error::<Test>::NotSuspended);
		assert_noop!(beat(OPERATOR, node), Error::<Test>::NotOperator);
		assert_noop!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, VCAI), Error::<Test>::NodeGone);
		assert_eq!(StateCounts::<Test>::get(StateKind::Banned), 1);
	});
}
