//! Record deposits: what a node's record costs while it exists, and how it goes.

use super::*;
use frame_support::{assert_noop, traits::fungible::Mutate};
use vcity_primitives::{NodeRegistry, NodeSlashing, NodeStatus};

/// Storage entries under the registry's prefix.
fn registry_entries() -> usize {
	let prefix = sp_io::hashing::twox_128(b"Registry");
	let mut key = prefix.to_vec();
	let mut count = 0;
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		count += 1;
		key = next;
	}
	count
}

/// Registers a node, takes it through unbonding and withdraws its stake.
fn exited(owner: AccountId, operator: AccountId) -> NodeId {
	let node = register(owner, operator, 1);
	assert_ok!(Registry::deregister(RuntimeOrigin::signed(owner), node));
	run_to_block(System::block_number() + UNBONDING_BLOCKS);
	assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(owner), node));
	node
}

#[test]
fn a_record_holds_its_deposit_until_the_owner_reaps_it_after_exit() {
	test(|| {
		let issuance = Balances::total_issuance();
		let stake = Registry::required_stake(&h100s(1)).unwrap();
		let node = register(OWNER, OPERATOR, 1);
		assert_eq!(Registry::held_record_deposits_of(&OWNER), RECORD_DEPOSIT);
		assert_eq!(RecordDeposits::<Test>::get(node), RECORD_DEPOSIT);
		assert_eq!(Balances::free_balance(OWNER), OWNER_FUNDS - stake - RECORD_DEPOSIT);

		// In service or unbonding, the record is the node's: it cannot be reaped.
		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node), Error::<Test>::NodeNotExited);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node), Error::<Test>::NodeNotExited);
		run_to_block(1 + UNBONDING_BLOCKS);
		assert_ok!(Registry::withdraw_unbonded(RuntimeOrigin::signed(OWNER), node));
		// The stake came back; the record and its deposit stay as history.
		assert_eq!(Balances::free_balance(OWNER), OWNER_FUNDS - RECORD_DEPOSIT);
		assert_eq!(Registry::status(node), Some(NodeStatus::Exited));

		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(STRANGER), node), Error::<Test>::NotOwner);
		// Something still pays the owner through the record (a task, a reward).
		records_in_use(true);
		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node), Error::<Test>::RecordInUse);
		records_in_use(false);

		assert_ok!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node));
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::NodeReaped { node, owner: OWNER, deposit: RECORD_DEPOSIT })
		);
		assert!(!Nodes::<Test>::contains_key(node));
		assert!(!RecordDeposits::<Test>::contains_key(node));
		assert_eq!(Registry::status(node), None);
		assert_eq!(StateCounts::<Test>::get(StateKind::Exited), 0);
		// Funds are conserved: everything the owner had is free again, none created or burnt.
		assert_eq!(Balances::free_balance(OWNER), OWNER_FUNDS);
		assert_eq!(Registry::held_record_deposits_of(&OWNER), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node), Error::<Test>::UnknownNode);
		// The id is never given out again.
		assert_eq!(register(OWNER, OPERATOR, 1), node + 1);
	});
}

#[test]
fn an_exited_node_keeps_two_entries_until_reaped_and_none_after() {
	test(|| {
		// A first node's life creates the per-state counters every later node shares.
		let first = exited(OWNER, OPERATOR);
		assert_ok!(Registry::reap_node(RuntimeOrigin::signed(OWNER), first));
		let before = registry_entries();

		let node = exited(OWNER, OPERATOR);
		// The record and its deposit; the heartbeat and the operator key went at exit.
		assert_eq!(registry_entries(), before + 2);
		assert_ok!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node));
		assert_eq!(registry_entries(), before);
	});
}

#[test]
fn a_banned_record_stays_as_the_record_of_its_ban() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::ban(node));
		assert_noop!(Registry::reap_node(RuntimeOrigin::signed(OWNER), node), Error::<Test>::NodeNotExited);
		assert_eq!(RecordDeposits::<Test>::get(node), RECORD_DEPOSIT);
	});
}

#[test]
fn registration_needs_the_deposit_on_top_of_the_stake_and_fails_whole() {
	test(|| {
		let poor: AccountId = 77;
		let stake = Registry::required_stake(&h100s(1)).unwrap();
		// Enough for the stake and the account's existence, one base unit short of the deposit.
		let funds = stake + RECORD_DEPOSIT + EXISTENTIAL_DEPOSIT - 1;
		let register = || {
			Registry::register_node(
				RuntimeOrigin::signed(poor),
				NodeKind::Stable,
				compute_only(),
				h100s(1),
				region("eu-west"),
				2_000_000,
				OPERATOR,
				stake,
			)
		};
		Balances::set_balance(&poor, funds);
		assert_noop!(register(), Error::<Test>::InsufficientBalance);
		assert_eq!(Registry::held_record_deposits_of(&poor), 0);
		Balances::set_balance(&poor, funds + 1);
		assert_ok!(register());
		assert_eq!(Registry::held_record_deposits_of(&poor), RECORD_DEPOSIT);
	});
}
