//! Claims: what a node and a user are paid, and every refusal, after which nothing has moved.

use super::*;
use frame_support::{assert_noop, BoundedVec};
use frame_system::RawOrigin;

fn periods(list: &[PeriodIndex]) -> BoundedVec<PeriodIndex, ConstU32<52>> {
	BoundedVec::truncate_from(list.to_vec())
}

fn claim(who: AccountId, node: NodeId, list: &[PeriodIndex]) -> sp_runtime::DispatchResult {
	Rewards::claim_node_rewards(RuntimeOrigin::signed(who), node, periods(list))
}

/// Node 1 (Alice's) and node 2 (Bob's) earn in period 0, Charlie spends; period 0 is closed.
fn one_period_of_work() {
	add_node(1, ALICE);
	add_node(2, BOB);
	beat(1, 4_800);
	beat(1, 4_800);
	beat(2, 4_800);
	deliver(1, 3_600, Perbill::from_percent(80));
	add_spend(0, CHARLIE, 5_000_000);
	close_period();
}

#[test]
fn a_node_is_paid_its_share_of_the_capacity_and_delivery_pots() {
	test(|| {
		one_period_of_work();
		let r = Periods::<Test>::get(0).unwrap();
		// Node 1: capacity 2c over 2 windows = 4c·1; node 2: c over 1 window. Σ = 5 units.
		let c = Rewards::capacity_of(&vcity_primitives::CapacityProof {
			node: 1,
			gpu_seconds: 4_800,
			gpu_class: vcity_primitives::GpuClass::Datacenter,
			total_vram_gib: 640,
			stake: 100 * VCAI,
			required_stake: 100 * VCAI,
		});
		assert_eq!(c, 4_800 * 1_000 * 2 * 3 / 2, "data-centre class 2×, 640 GiB multi-GPU 1.5×, stake 1×");
		assert_eq!(r.capacity_points, 4 * c + c);
		assert_eq!(r.delivery_points, 3_600 * 800);
		let before = balance(ALICE);
		assert_ok!(claim(ALICE, 1, &[0]));
		let expected = r.capacity_pot * 4 / 5 + r.delivery_pot;
		assert_eq!(balance(ALICE) - before, expected);
		assert_ok!(claim(BOB, 2, &[0]));
		assert_eq!(balance(BOB) - USER_FUNDS, r.capacity_pot / 5);
		assert!(matches!(last_event(), Event::NodeRewardsClaimed { node: 2, owner: BOB, periods: 1, .. }));
	});
}

#[test]
fn a_user_is_rebated_pro_rata_to_their_spend() {
	test(|| {
		one_period_of_work();
		add_spend(1, CHARLIE, 3_000_000);
		add_spend(1, BOB, 1_000_000);
		close_period();
		let (r0, r1) = (Periods::<Test>::get(0).unwrap(), Periods::<Test>::get(1).unwrap());
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(CHARLIE), periods(&[0, 1])));
		assert_eq!(balance(CHARLIE) - USER_FUNDS, r0.demand_pot + r1.demand_pot * 3 / 4);
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(BOB), periods(&[1])));
		assert_eq!(balance(BOB) - USER_FUNDS, r1.demand_pot / 4);
	});
}

#[test]
fn claims_for_periods_not_ended_twice_or_by_strangers_are_refused_and_move_nothing() {
	test(|| {
		one_period_of_work();
		let pot_before = balance(pot());
		// Period 1 is open; period 9 is in the future.
		assert_noop!(claim(ALICE, 1, &[1]), Error::<Test>::PeriodNotEnded);
		assert_noop!(claim(ALICE, 1, &[0, 9]), Error::<Test>::PeriodNotEnded);
		assert_noop!(claim(BOB, 1, &[0]), Error::<Test>::NotNodeOwner);
		assert_noop!(claim(ALICE, 77, &[0]), Error::<Test>::UnknownNode);
		assert_noop!(claim(ALICE, 1, &[]), Error::<Test>::NoPeriods);
		assert_noop!(
			Rewards::claim_rebates(RuntimeOrigin::signed(CHARLIE), periods(&[1])),
			Error::<Test>::PeriodNotEnded
		);
		assert_noop!(
			Rewards::claim_rebates(RuntimeOrigin::signed(ALICE), periods(&[0])),
			Error::<Test>::NothingToClaim
		);
		assert_eq!(balance(pot()), pot_before);

		assert_ok!(claim(ALICE, 1, &[0]));
		// A claimed period leaves nothing behind to claim again.
		assert!(NodePoints::<Test>::get(1, 0).is_none());
		assert_noop!(claim(ALICE, 1, &[0]), Error::<Test>::NothingToClaim);
		// A list naming a period twice fails as a whole.
		assert_noop!(claim(BOB, 2, &[0, 0]), Error::<Test>::NothingToClaim);
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(CHARLIE), periods(&[0])));
		assert_noop!(
			Rewards::claim_rebates(RuntimeOrigin::signed(CHARLIE), periods(&[0])),
			Error::<Test>::AlreadyClaimed
		);
		// A period the node earned nothing in.
		close_period();
		assert_noop!(claim(BOB, 2, &[1]), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn a_suspended_node_claims_nothing_until_it_is_resumed() {
	test(|| {
		one_period_of_work();
		set_status(1, NodeStatus::Suspended);
		assert_noop!(claim(ALICE, 1, &[0]), Error::<Test>::NodeSuspended);
		assert!(!Rewards::pending_node_rewards(1).claimable);
		set_status(1, NodeStatus::Online);
		assert!(Rewards::pending_node_rewards(1).claimable);
		assert_ok!(claim(ALICE, 1, &[0]));
	});
}

#[test]
fn a_banned_nodes_share_returns_to_the_next_period_and_is_not_lost() {
	test(|| {
		one_period_of_work();
		set_status(1, NodeStatus::Banned);
		assert_noop!(claim(ALICE, 1, &[0]), Error::<Test>::NodeBanned);
		assert_noop!(
			Rewards::forfeit_rewards(RuntimeOrigin::signed(CHARLIE), 2, periods(&[0])),
			Error::<Test>::NotBanned
		);
		let r0 = Periods::<Test>::get(0).unwrap();
		let share = r0.capacity_pot * 4 / 5 + r0.delivery_pot;
		assert_ok!(Rewards::forfeit_rewards(RuntimeOrigin::signed(CHARLIE), 1, periods(&[0])));
		assert_eq!(Carry::<Test>::get(), share);
		assert_noop!(
			Rewards::forfeit_rewards(RuntimeOrigin::signed(CHARLIE), 1, periods(&[0])),
			Error::<Test>::NothingToClaim
		);
		// Period 1: only node 2 works; it gets the forfeited share on top of the release.
		beat(2, 4_800);
		close_period();
		let r1 = Periods::<Test>::get(1).unwrap();
		assert_eq!(r1.carried_in, share);
		let before = balance(BOB);
		assert_ok!(claim(BOB, 2, &[0, 1]));
		assert_eq!(balance(BOB) - before, r0.capacity_pot / 5 + r1.capacity_pot);
	});
}

#[test]
fn bad_parameters_are_refused() {
	test(|| {
		let before = Params::<Test>::get();
		let mut params = RewardsParams::default();
		params.gpu_class.workstation = 10_001;
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let mut params = RewardsParams::default();
		params.multi_gpu[0].from_gib = 1;
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let mut params = RewardsParams::default();
		params.multi_gpu[2].from_gib = params.multi_gpu[1].from_gib;
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let mut params = RewardsParams::default();
		params.multi_gpu[3].permille = 10_001;
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let params = RewardsParams { multi_gpu: Default::default(), ..Default::default() };
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		assert_noop!(
			Rewards::set_params(RuntimeOrigin::signed(ALICE), RewardsParams::default()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_eq!(Params::<Test>::get(), before);
	});
}

#[test]
fn governance_moves_the_multi_gpu_coefficients_but_not_the_stages() {
	test(|| {
		// A queued task's stage must keep its meaning: the steps stay at the stages.
		let mut params = RewardsParams::default();
		params.multi_gpu[1].from_gib = 64;
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let mut params = RewardsParams::default();
		let _ = params.multi_gpu.try_push(vcity_primitives::FactorStage { from_gib: 768, permille: 1_600 });
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), params), Error::<Test>::InvalidFactors);
		let mut params = RewardsParams::default();
		params.multi_gpu[3].permille = 2_000;
		assert_ok!(Rewards::set_params(RawOrigin::Root.into(), params.clone()));
		assert_eq!(Params::<Test>::get(), params);
	});
}

#[test]
fn a_side_no_one_earned_in_carries_to_the_next_period() {
	test(|| {
		// Period 0: no node, no user. Period 1: one node.
		close_period();
		let r0 = Periods::<Test>::get(0).unwrap();
		assert_eq!(r0.carried_out, r0.released);
		assert_eq!(r0.capacity_pot + r0.delivery_pot + r0.demand_pot, 0);
		add_node(1, ALICE);
		beat(1, 600);
		close_period();
		let r1 = Periods::<Test>::get(1).unwrap();
		assert_eq!(r1.carried_in, r0.released);
		assert!(r1.capacity_pot > r1.released / 4);
		// Nothing was delivered or bought: those sides carry on.
		assert_eq!(r1.carried_out, r1.released + r1.carried_in - r1.capacity_pot);
	});
}

#[test]
fn a_delivery_that_fails_verification_loses_its_points_and_their_vcai_returns_to_the_pool() {
	use vcity_primitives::DeliveryRewards;
	test(|| {
		add_node(1, ALICE);
		add_node(2, BOB);
		deliver(1, 1_000, Perbill::one());
		deliver(2, 1_000, Perbill::one());
		// While the period is open the points and the period's total shrink alike.
		Rewards::void_delivery(2, 0, credit(400, Perbill::one()));
		assert_eq!(NodePoints::<Test>::get(2, 0).unwrap().delivery, 600_000);
		assert_eq!(PeriodTotals::<Test>::get(0).delivery, 1_600_000);
		deliver(2, 1_000, Perbill::one());
		close_period();
		let r = Periods::<Test>::get(0).unwrap();
		assert_eq!(r.delivery_points, 2_600_000);
		// After the close the total stays: node 1's share does not grow, node 2's VCAI for the
		// voided points is carried into the next period.
		let before = Rewards::pending_node_rewards(2).total;
		Rewards::void_delivery(2, 0, credit(1_600, Perbill::one()));
		let voided = before - Rewards::pending_node_rewards(2).total;
		assert_eq!(Rewards::pending_node_rewards(2).total, 0);
		// Nothing was beaten or bought in period 0: those sides were carried already.
		assert_eq!(Carry::<Test>::get(), r.carried_out + voided);
		assert_eq!(Periods::<Test>::get(0).unwrap().forfeited, voided);
		assert!(matches!(last_event(), Event::DeliveryVoided { node: 2, period: 0, points: 1_600_000, .. }));
		assert_ok!(claim(ALICE, 1, &[0]));
		assert_eq!(balance(ALICE) - USER_FUNDS, r.delivery_pot * 10 / 26);
		// Claimed points are the slashing's business: they left storage with the claim, and a
		// late verdict finds nothing to void and moves nothing.
		let carry = Carry::<Test>::get();
		Rewards::void_delivery(1, 0, credit(1_000, Perbill::one()));
		assert!(NodePoints::<Test>::get(1, 0).is_none());
		assert_eq!(Carry::<Test>::get(), carry);
		close_period();
		assert_eq!(Periods::<Test>::get(1).unwrap().carried_in, voided + r.carried_out);
	});
}

/// A node whose moderate or severe slash is pending earns nothing meanwhile and claims nothing
/// until it has executed or been cancelled; then it claims what it had earned before.
#[test]
fn a_pending_slash_stops_a_node_s_rewards() {
	test(|| {
		add_node(1, ALICE);
		add_node(2, BOB);
		beat(1, 4_800);
		beat(2, 4_800);
		suspend_rewards(1, true);
		let before = NodePoints::<Test>::get(1, current_period());
		beat(1, 4_800);
		deliver(1, 3_600, Perbill::one());
		assert_eq!(NodePoints::<Test>::get(1, current_period()), before);
		close_period();
		assert_noop!(claim(ALICE, 1, &[0]), Error::<Test>::RewardsSuspended);
		suspend_rewards(1, false);
		assert_ok!(claim(ALICE, 1, &[0]));
	});
}

/// A ban voids the node's points of the open period: the period's totals drop by them, so the
/// other nodes share the whole pots.
#[test]
fn a_ban_voids_the_open_period_s_points() {
	use vcity_primitives::OnNodeBanned;
	test(|| {
		add_node(1, ALICE);
		add_node(2, BOB);
		beat(1, 4_800);
		beat(2, 4_800);
		deliver(1, 3_600, Perbill::one());
		let mine = NodePoints::<Test>::get(1, current_period()).unwrap();
		let totals = PeriodTotals::<Test>::get(current_period());
		Rewards::node_banned(1);
		assert!(NodePoints::<Test>::get(1, current_period()).is_none());
		let after = PeriodTotals::<Test>::get(current_period());
		assert_eq!(after.capacity, totals.capacity - mine.capacity_points());
		assert_eq!(after.delivery, totals.delivery - mine.delivery);
		close_period();
		let record = Periods::<Test>::get(0).unwrap();
		// Node 2 alone shares the capacity pot.
		assert_eq!(Rewards::pending_node_rewards(2).total, record.capacity_pot);
	});
}
