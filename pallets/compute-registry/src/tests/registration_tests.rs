//! Registration, updates and their bad inputs: each bad input is a named error and changes nothing.

use super::*;
use frame_support::{assert_noop, traits::fungible::InspectHold};
use vcity_primitives::{node_did, NodeRegistry, NodeStatus};

fn try_register(
	gpu: GpuSpec,
	price: Balance,
	operator: AccountId,
	stake: Balance,
) -> sp_runtime::DispatchResult {
	Registry::register_node(
		RuntimeOrigin::signed(OWNER),
		NodeKind::Flexible,
		compute_only(),
		gpu,
		region("ap-south"),
		price,
		operator,
		stake,
	)
}

#[test]
fn registration_holds_stake_and_assigns_sequential_ids_and_dids() {
	test(|| {
		let first = register(OWNER, OPERATOR, 8);
		let second = register(OWNER, 7, 1);
		assert_eq!((first, second), (1, 2));
		// 8 × H100 = 640 GiB: multi-GPU stage 3, so 1.5 × 8 × 10,000.
		let required = 8 * 10_000 * VCAI * 3 / 2;
		assert_eq!(Registry::held_stake_of(&OWNER), required + 10_000 * VCAI);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::NodeStake.into(), &OWNER),
			required + 10_000 * VCAI
		);
		let info = Registry::node_info(first).unwrap();
		assert_eq!(info.did, node_did(1));
		assert_eq!(info.did, b"did:vcity:1".to_vec());
		assert_eq!(info.status, NodeStatus::Registered);
		assert_eq!(info.gpu.total_vram_gib(), 640);
		assert_eq!((info.stake, info.required_stake), (required, required));
		assert_eq!(Registry::node_of_operator(&OPERATOR), Some(first));
		assert_eq!(StateCounts::<Test>::get(StateKind::Active), 2);
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::NodeRegistered {
				node: 2,
				owner: OWNER,
				operator: 7,
				stake: 10_000 * VCAI,
				required_stake: 10_000 * VCAI
			})
		);
	});
}

#[test]
fn an_operator_key_runs_one_node_and_is_not_the_owner() {
	test(|| {
		register(OWNER, OPERATOR, 1);
		let stake = 10_000 * VCAI;
		assert_noop!(try_register(h100s(1), 1, OPERATOR, stake), Error::<Test>::OperatorInUse);
		assert_noop!(try_register(h100s(1), 1, OWNER, stake), Error::<Test>::OperatorIsOwner);
	});
}

#[test]
fn absurd_gpu_specs_are_refused_with_named_errors() {
	test(|| {
		let stake = 1_000_000 * VCAI;
		let mut gpu = h100s(1);
		gpu.count = 0;
		assert_noop!(try_register(gpu, 1, OPERATOR, stake), Error::<Test>::ZeroGpuCount);
		assert_noop!(try_register(h100s(65), 1, OPERATOR, stake), Error::<Test>::TooManyGpus);
		let mut gpu = h100s(1);
		gpu.vram_per_gpu_gib = 0;
		assert_noop!(try_register(gpu, 1, OPERATOR, stake), Error::<Test>::ZeroVram);
		let mut gpu = h100s(1);
		gpu.vram_per_gpu_gib = 1025;
		assert_noop!(try_register(gpu, 1, OPERATOR, stake), Error::<Test>::VramTooLarge);
		let mut gpu = h100s(1);
		gpu.model = Default::default();
		assert_noop!(try_register(gpu, 1, OPERATOR, stake), Error::<Test>::EmptyGpuModel);
	});
}

#[test]
fn zero_price_empty_region_and_no_roles_are_refused() {
	test(|| {
		let stake = 10_000 * VCAI;
		assert_noop!(try_register(h100s(1), 0, OPERATOR, stake), Error::<Test>::ZeroPrice);
		assert_noop!(
			Registry::register_node(
				RuntimeOrigin::signed(OWNER),
				NodeKind::Stable,
				compute_only(),
				h100s(1),
				region(""),
				1,
				OPERATOR,
				stake
			),
			Error::<Test>::EmptyRegion
		);
		assert_noop!(
			Registry::register_node(
				RuntimeOrigin::signed(OWNER),
				NodeKind::Stable,
				NodeRoles::default(),
				h100s(1),
				region("eu"),
				1,
				OPERATOR,
				stake
			),
			Error::<Test>::NoRoles
		);
	});
}

#[test]
fn stake_below_schedule_or_above_funds_is_refused() {
	test(|| {
		let required = 2 * 10_000 * VCAI;
		assert_noop!(try_register(h100s(2), 1, OPERATOR, required - 1), Error::<Test>::StakeBelowRequired);
		// The owner's account must stay alive: holding everything is refused.
		assert_noop!(try_register(h100s(2), 1, OPERATOR, OWNER_FUNDS), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn updates_need_the_owner_and_valid_values() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_noop!(
			Registry::update_price(RuntimeOrigin::signed(STRANGER), node, 5),
			Error::<Test>::NotOwner
		);
		assert_noop!(Registry::update_price(RuntimeOrigin::signed(OWNER), node, 0), Error::<Test>::ZeroPrice);
		assert_noop!(Registry::update_price(RuntimeOrigin::signed(OWNER), 99, 5), Error::<Test>::UnknownNode);
		assert_ok!(Registry::update_price(RuntimeOrigin::signed(OWNER), node, 5));
		assert_ok!(Registry::update_region(RuntimeOrigin::signed(OWNER), node, region("us-east")));
		assert_noop!(
			Registry::update_region(RuntimeOrigin::signed(OWNER), node, region("")),
			Error::<Test>::EmptyRegion
		);
		let info = Registry::node_info(node).unwrap();
		assert_eq!((info.price_per_gpu_hour, info.region), (5, b"us-east".to_vec()));
	});
}

#[test]
fn changing_operator_moves_the_key_index() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		register(OTHER_OWNER, OTHER_OPERATOR, 1);
		assert_noop!(
			Registry::change_operator(RuntimeOrigin::signed(OWNER), node, OTHER_OPERATOR),
			Error::<Test>::OperatorInUse
		);
		assert_ok!(Registry::change_operator(RuntimeOrigin::signed(OWNER), node, 8));
		assert_eq!(Registry::node_of_operator(&8), Some(node));
		assert_eq!(Registry::node_of_operator(&OPERATOR), None);
		assert_eq!(beat(OPERATOR, node), Err(Error::<Test>::NotOperator.into()));
	});
}

#[test]
fn listing_pages_in_id_order_and_filters() {
	test(|| {
		for i in 0..5 {
			register(OWNER, 100 + i, 1);
		}
		register(OTHER_OWNER, 200, 2);
		let page = Registry::list_nodes(&Default::default(), 0, 4);
		assert_eq!(page.nodes.iter().map(|n| n.id).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
		assert_eq!(page.next_cursor, Some(5));
		let rest = Registry::list_nodes(&Default::default(), 5, 4);
		assert_eq!(rest.nodes.iter().map(|n| n.id).collect::<Vec<_>>(), vec![5, 6]);
		assert_eq!(rest.next_cursor, None);
		let filter = vcity_primitives::NodeFilter { owner: Some(OTHER_OWNER), ..Default::default() };
		assert_eq!(Registry::list_nodes(&filter, 0, 10).nodes.len(), 1);
		let filter = vcity_primitives::NodeFilter { min_total_vram_gib: Some(160), ..Default::default() };
		assert_eq!(Registry::list_nodes(&filter, 0, 10).nodes[0].id, 6);
	});
}

#[test]
fn without_a_stake_schedule_nothing_registers_and_ids_still_start_at_one() {
	test(|| {
		crate::Schedule::<Test>::kill();
		crate::NextNodeId::<Test>::kill();
		assert_noop!(try_register(h100s(1), 1, OPERATOR, 1_000_000 * VCAI), Error::<Test>::NoStakeSchedule);
		// Even with no genesis value the first id handed out is 1: 0 never names a node.
		assert_eq!(crate::NextNodeId::<Test>::get(), 1);
	});
}
