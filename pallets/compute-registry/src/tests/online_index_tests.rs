//! The index of online compute nodes: who is in it, how it is paged, how it is kept small.

use super::*;
use vcity_primitives::NodeRegistry;

/// Every page of the index, `limit` at a time, following the cursors.
fn walk(limit: u32) -> Vec<NodeId> {
	let mut all = Vec::new();
	let mut cursor = 0;
	loop {
		let (page, next) = Registry::online_compute_nodes(cursor, limit);
		assert!(page.len() as u32 <= limit);
		all.extend(page);
		match next {
			Some(next) => cursor = next,
			None => return all,
		}
	}
}

/// `count` nodes of `OWNER`, each run by its own operator key, that have beaten once.
fn online_nodes(count: u64) -> Vec<NodeId> {
	(0..count)
		.map(|i| {
			let operator = 100 + i;
			let node = register(OWNER, operator, 1);
			assert_ok!(beat(operator, node));
			node
		})
		.collect()
}

#[test]
fn a_heartbeat_enters_a_compute_node_and_leaving_service_takes_it_out() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		// Registered is not online.
		assert!(!OnlineComputeNodes::<Test>::contains_key(node));
		assert_ok!(beat(OPERATOR, node));
		assert!(OnlineComputeNodes::<Test>::contains_key(node));
		assert_eq!(OnlineComputeNodes::<Test>::count(), 1);
		// A second beat does not count it twice.
		advance_ms(WINDOW_MS);
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(OnlineComputeNodes::<Test>::count(), 1);
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		assert!(!OnlineComputeNodes::<Test>::contains_key(node));
		assert_eq!(OnlineComputeNodes::<Test>::count(), 0);
	});
}

#[test]
fn a_node_without_the_compute_role_is_not_listed() {
	test(|| {
		let stake = Registry::required_stake(&h100s(1)).unwrap();
		let node = NextNodeId::<Test>::get();
		assert_ok!(Registry::register_node(
			RuntimeOrigin::signed(OWNER),
			NodeKind::Stable,
			NodeRoles { compute: false, verifier: true, scheduler: true },
			h100s(1),
			region("eu-west"),
			2_000_000,
			OPERATOR,
			stake,
		));
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(walk(10), Vec::<NodeId>::new());
	});
}

#[test]
fn pages_list_every_online_node_once_whatever_the_page_size() {
	test(|| {
		let mut nodes = online_nodes(7);
		nodes.sort_unstable();
		for limit in [1, 2, 3, 7, 8, 100] {
			let mut listed = walk(limit);
			listed.sort_unstable();
			assert_eq!(listed, nodes, "page size {limit}");
		}
		// A cursor whose node left the index meanwhile still goes on from its place.
		let (first_page, Some(cursor)) = Registry::online_compute_nodes(0, 3) else { panic!("more pages") };
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), cursor));
		let mut rest = walk_from(cursor, 3);
		rest.extend(first_page.iter().filter(|id| **id != cursor));
		rest.sort_unstable();
		let mut expected: Vec<NodeId> = nodes.into_iter().filter(|id| *id != cursor).collect();
		expected.sort_unstable();
		assert_eq!(rest, expected);
	});
}

fn walk_from(mut cursor: NodeId, limit: u32) -> Vec<NodeId> {
	let mut all = Vec::new();
	loop {
		let (page, next) = Registry::online_compute_nodes(cursor, limit);
		all.extend(page);
		match next {
			Some(next) => cursor = next,
			None => return all,
		}
	}
}

#[test]
fn the_sweep_drops_silent_nodes_a_few_per_block_and_keeps_beating_ones() {
	test(|| {
		let nodes = online_nodes(5);
		// Nodes 0 and 1 go on beating; the other three fall silent.
		advance_ms(3 * WINDOW_MS);
		for (i, node) in nodes.iter().enumerate().take(2) {
			assert_ok!(beat(100 + i as u64, *node));
		}
		// Two entries a block (the mock's `OnlineSweepPerBlock`): three blocks visit all five.
		run_to_block(System::block_number() + 3);
		let mut left = walk(10);
		left.sort_unstable();
		assert_eq!(left, nodes[..2].to_vec());
		assert_eq!(OnlineComputeNodes::<Test>::count(), 2);
		// A silent node that beats again is listed again.
		assert_ok!(beat(104, nodes[4]));
		assert!(OnlineComputeNodes::<Test>::contains_key(nodes[4]));
	});
}
