//! The verifier pool and the draw.

use super::*;
use frame_support::{assert_noop, assert_ok, traits::tokens::Preservation};

#[test]
fn only_an_online_verifier_its_controller_puts_in_joins_the_pool_once() {
	test(|| {
		let compute = compute_node();
		assert_noop!(
			Verification::join_pool(RuntimeOrigin::signed(NODE_OWNER), compute),
			Error::<Test>::NotVerifier
		);
		let node = register(VERIFIER_OWNER, VERIFIER_OPERATOR, roles(true));
		assert_noop!(
			Verification::join_pool(RuntimeOrigin::signed(ANYONE), node),
			Error::<Test>::NotNodeController
		);
		assert_noop!(Verification::join_pool(RuntimeOrigin::signed(ANYONE), 999), Error::<Test>::UnknownNode);
		// The operator key may put its node in, as the owner may.
		assert_ok!(Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OPERATOR), node));
		assert_noop!(
			Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OWNER), node),
			Error::<Test>::AlreadyInPool
		);
		assert_eq!(PoolSize::<Test>::get(), 1);

		// A registered node that never beat is not online.
		let silent = pallet_compute_registry::NextNodeId::<Test>::get();
		assert_ok!(Registry::register_node(
			RuntimeOrigin::signed(VERIFIER_OWNER + 1),
			NodeKind::Stable,
			roles(true),
			GpuSpec {
				model: BoundedVec::truncate_from(b"RTX 4090".to_vec()),
				count: 1,
				vram_per_gpu_gib: 24
			},
			BoundedVec::truncate_from(b"eu-west".to_vec()),
			1_000_000,
			VERIFIER_OPERATOR + 1,
			STAKE_PER_GPU,
		));
		assert_noop!(
			Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OWNER + 1), silent),
			Error::<Test>::NodeNotOnline
		);
	});
}

#[test]
fn the_pool_is_bounded() {
	test(|| {
		let fund = |who: AccountId| {
			assert_ok!(Balances::transfer(&BUYER, &who, 2 * STAKE_PER_GPU, Preservation::Preserve));
		};
		for i in 0..40u64 {
			fund(1_000 + i);
			let node = register(1_000 + i, 2_000 + i, roles(true));
			assert_ok!(Verification::join_pool(RuntimeOrigin::signed(1_000 + i), node));
		}
		fund(3_000);
		let node = register(3_000, 3_001, roles(true));
		assert_noop!(Verification::join_pool(RuntimeOrigin::signed(3_000), node), Error::<Test>::PoolFull);
	});
}

#[test]
fn leaving_keeps_the_pool_dense() {
	test(|| {
		let nodes = verifiers(4);
		assert_noop!(
			Verification::leave_pool(RuntimeOrigin::signed(ANYONE), nodes[1]),
			Error::<Test>::NotNodeController
		);
		assert_ok!(Verification::leave_pool(RuntimeOrigin::signed(VERIFIER_OWNER + 1), nodes[1]));
		assert_noop!(
			Verification::leave_pool(RuntimeOrigin::signed(VERIFIER_OWNER + 1), nodes[1]),
			Error::<Test>::NotInPool
		);
		assert_eq!(PoolSize::<Test>::get(), 3);
		// The last node moved into the freed slot.
		assert_eq!(PoolSlot::<Test>::get(1), Some(nodes[3]));
		Verification::do_try_state().unwrap();
	});
}

/// The verifiers of every audit opened so far.
fn drawn_verifiers() -> Vec<Vec<NodeId>> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::AuditOpened { verifiers, .. } => Some(verifiers),
			_ => None,
		})
		.collect()
}

/// Delivers `tasks` from `node` four at a time (the mock's draws per block), letting each
/// batch's jobs end unanswered before the next, so no verifier reaches its cap of open jobs;
/// the `beating` nodes (node, operator) beat after each batch.
fn deliver_in_batches(node: NodeId, tasks: core::ops::Range<u64>, beating: &[(NodeId, AccountId)]) {
	let tasks: Vec<u64> = tasks.collect();
	for batch in tasks.chunks(4) {
		for &task in batch {
			deliver(task, node, RESULT, BUYER);
		}
		run_to(System::block_number() + u64::from(DRAW_DELAY) + 20);
		for (beater, operator) in beating {
			let _ = Registry::heartbeat(RuntimeOrigin::signed(*operator), *beater, Default::default());
		}
	}
}

#[test]
fn a_draw_never_picks_the_node_under_test_its_owners_or_the_buyers_nodes() {
	test(|| {
		let node = compute_node();
		let honest = verifiers(3);
		// The node's owner and the buyer run verifiers too.
		let own = register(NODE_OWNER, 50, roles(true));
		assert_ok!(Verification::join_pool(RuntimeOrigin::signed(NODE_OWNER), own));
		let buyers = register(BUYER, 51, roles(true));
		assert_ok!(Verification::join_pool(RuntimeOrigin::signed(BUYER), buyers));
		let mut beating: Vec<_> =
			honest.iter().enumerate().map(|(i, v)| (*v, VERIFIER_OPERATOR + i as u64)).collect();
		beating.extend([(own, 50), (buyers, 51), (node, NODE_OPERATOR)]);
		deliver_in_batches(node, 0..40, &beating);
		let mut seen = std::collections::BTreeSet::new();
		for drawn in drawn_verifiers() {
			assert!(!drawn.contains(&own) && !drawn.contains(&buyers) && !drawn.contains(&node), "{drawn:?}");
			let mut distinct = drawn.clone();
			distinct.sort();
			distinct.dedup();
			assert_eq!(distinct.len(), drawn.len());
			seen.extend(drawn);
		}
		assert_eq!(drawn_verifiers().len(), 40);
		assert_eq!(seen.into_iter().collect::<Vec<_>>(), honest, "each honest verifier is drawn");
	});
}

#[test]
fn a_draw_skips_offline_verifiers_and_drops_exited_ones() {
	test(|| {
		let node = compute_node();
		let pool = verifiers(5);
		// Verifier 3 leaves service: unbonding, it will never verify again. Verifier 4 goes
		// silent: offline, it may come back.
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(VERIFIER_OWNER + 3), pool[3]));
		// Two windows pass; only nodes 0 to 2 and the compute node beat again.
		Timestamp::set_timestamp(ChainClock::now_ms() + 2 * WINDOW_MS);
		for (i, v) in pool.iter().take(3).enumerate() {
			assert_ok!(Registry::heartbeat(
				RuntimeOrigin::signed(VERIFIER_OPERATOR + i as u64),
				*v,
				Default::default()
			));
		}
		assert_ok!(Registry::heartbeat(RuntimeOrigin::signed(NODE_OPERATOR), node, Default::default()));
		let mut beating: Vec<_> =
			pool.iter().take(3).enumerate().map(|(i, v)| (*v, VERIFIER_OPERATOR + i as u64)).collect();
		beating.push((node, NODE_OPERATOR));
		deliver_in_batches(node, 0..20, &beating);
		let draws = drawn_verifiers();
		assert_eq!(draws.len(), 20);
		for drawn in draws {
			assert!(!drawn.contains(&pool[3]) && !drawn.contains(&pool[4]), "{drawn:?}");
		}
		assert!(
			!SlotOfVerifier::<Test>::contains_key(pool[4]),
			"an offline verifier leaves the pool when drawn"
		);
		assert!(DroppedFromPool::<Test>::contains_key(pool[4]), "and its worker may put it back");
		assert!(!DroppedFromPool::<Test>::contains_key(pool[3]), "an unbonding one may not");
		assert_ok!(Registry::heartbeat(
			RuntimeOrigin::signed(VERIFIER_OPERATOR + 4),
			pool[4],
			Default::default()
		));
		assert_ok!(Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OPERATOR + 4), pool[4]));
		assert!(!DroppedFromPool::<Test>::contains_key(pool[4]));
		assert!(
			!SlotOfVerifier::<Test>::contains_key(pool[3]),
			"an unbonding verifier leaves the pool when drawn"
		);
		assert!(events().contains(&Event::VerifierLeft { node: pool[3] }));
	});
}

#[test]
fn a_small_pool_is_read_whole_so_every_job_gets_its_seats() {
	test(|| {
		let node = compute_node();
		let pool = verifiers(3);
		let mut beating: Vec<_> =
			pool.iter().enumerate().map(|(i, v)| (*v, VERIFIER_OPERATOR + i as u64)).collect();
		beating.push((node, NODE_OPERATOR));
		deliver_in_batches(node, 0..60, &beating);
		let draws = drawn_verifiers();
		assert_eq!(draws.len(), 60);
		assert!(draws.iter().all(|d| d.len() == 3), "three of three drawn every time");
		// Still random: the seats come in different orders.
		let orders: std::collections::BTreeSet<_> = draws.into_iter().collect();
		assert!(orders.len() > 1);
	});
}

#[test]
fn one_owner_never_holds_two_seats_of_a_job() {
	test(|| {
		let node = compute_node();
		// Owner 100 runs three verifiers; two more owners one each.
		let fund = |who: AccountId| {
			assert_ok!(Balances::transfer(&BUYER, &who, 2 * STAKE_PER_GPU, Preservation::Preserve));
		};
		for operator in [300, 301] {
			fund(VERIFIER_OWNER);
			let extra = register(VERIFIER_OWNER, operator, roles(true));
			assert_ok!(Verification::join_pool(RuntimeOrigin::signed(VERIFIER_OWNER), extra));
		}
		verifiers(3);
		for task in 0..30u64 {
			deliver(task, node, RESULT, BUYER);
			if task % 4 == 3 {
				run_to(System::block_number() + 1);
			}
		}
		run_to(System::block_number() + 4);
		for drawn in drawn_verifiers() {
			let mut owners: Vec<_> = drawn.iter().map(|v| owner_of(*v)).collect();
			owners.sort();
			owners.dedup();
			assert_eq!(owners.len(), drawn.len(), "{drawn:?}");
		}
	});
}

#[test]
fn a_verifier_holding_its_share_of_open_jobs_is_passed_over() {
	test(|| {
		let node = compute_node();
		let pool = verifiers(4);
		for task in 0..40u64 {
			deliver(task, node, RESULT, BUYER);
			if task % 4 == 3 {
				run_to(System::block_number() + 1);
			}
		}
		run_to(System::block_number() + 4);
		for v in pool {
			assert!(OpenJobsOf::<Test>::get(v) <= MAX_OPEN_JOBS_PER_VERIFIER);
		}
		// Four verifiers can hold 16 seats: five jobs of three at most; the rest had too few.
		let opened = drawn_verifiers().len();
		assert!(opened <= 5, "{opened} jobs opened");
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::AuditNotOpened { reason: NotOpened::TooFewVerifiers, .. })));
	});
}
