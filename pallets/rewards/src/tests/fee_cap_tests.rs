//! The fee caps: delivery rewards and rebates follow the protocol fee actually paid, so a trade
//! with oneself returns less than it costs (docs/economics.md#self-dealing). Every test ends with
//! the pallet's invariants and an unchanged VCAI issuance (`test`).

use super::*;
use frame_support::{assert_noop, BoundedVec};
use frame_system::RawOrigin;
use vcity_primitives::{fee_cap, DeliveryCredit, DeliveryRewards, RewardsParams, USDV};

fn periods(list: &[PeriodIndex]) -> BoundedVec<PeriodIndex, ConstU32<52>> {
	BoundedVec::truncate_from(list.to_vec())
}

/// 20 VCAI for a USDV.
const PRICE: Balance = 20 * VCAI;

#[test]
fn the_cap_is_a_share_of_the_fee_at_the_period_price() {
	// 1 USDV of fee is worth 20 VCAI; 30% of it is 6 VCAI.
	assert_eq!(fee_cap(USDV, PRICE, Perbill::from_percent(30)), 6 * VCAI);
	assert_eq!(fee_cap(USDV, 0, Perbill::from_percent(30)), 0, "no price, nothing");
	assert_eq!(fee_cap(0, PRICE, Perbill::from_percent(30)), 0, "no fee, nothing");
	assert_eq!(fee_cap(Balance::MAX, Balance::MAX, Perbill::one()), Balance::MAX, "saturates");
}

/// The attack of a farmer who owns both sides: one account rents the farmer's own node through
/// another at the lowest price, for a single period in which nobody else delivers or buys, so
/// the whole delivery and demand pots are theirs to take before the caps. The farmer pays the
/// protocol fee of each task and earns back at most 30% + 30% of its worth.
#[test]
fn a_farmer_alone_in_a_period_earns_back_less_than_the_fees_it_paid() {
	test(|| {
		set_price(Some(PRICE));
		add_node(1, ALICE);
		// Alice's node delivers 10 USDV of tasks that Bob (Alice under another name) paid; the
		// protocol kept 14%: 1.4 USDV.
		let payment = 10 * USDV;
		let fee = 14 * USDV / 10;
		Rewards::delivered(1, DeliveryCredit { payment, protocol_fee: fee, quality: Perbill::one() });
		add_spend_with_fee(0, BOB, payment, fee);
		close_period();
		let record = Periods::<Test>::get(0).unwrap();
		assert_eq!(record.vcai_per_usdv, PRICE);
		assert!(record.delivery_pot > 1_000 * VCAI && record.demand_pot > 1_000 * VCAI, "pots worth taking");

		let (alice, bob) = (balance(ALICE), balance(BOB));
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(ALICE), 1, periods(&[0])));
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(BOB), periods(&[0])));
		let earned = balance(ALICE) - alice + balance(BOB) - bob;
		// The fee is worth 28 VCAI; each cap is 30% of that, 8.4 VCAI.
		let fee_worth = 28 * VCAI;
		assert_eq!(earned, 2 * (fee_worth * 3 / 10));
		assert!(earned < fee_worth, "the farmer's net is negative: earned {earned} < fee {fee_worth}");

		// What the caps held back is not lost: it is in the next period's pots.
		let held_back = record.delivery_pot + record.demand_pot - earned;
		let after = Periods::<Test>::get(0).unwrap();
		assert_eq!(after.forfeited, held_back);
		assert_eq!(Carry::<Test>::get(), record.carried_out + held_back);
		close_period();
		assert_eq!(Periods::<Test>::get(1).unwrap().carried_in, record.carried_out + held_back);
	});
}

#[test]
fn without_a_price_delivery_and_rebates_carry_and_capacity_still_pays() {
	test(|| {
		set_price(None);
		add_node(1, ALICE);
		beat(1, 4_800);
		beat(1, 4_800);
		deliver(1, 3_600, Perbill::one());
		add_spend(0, BOB, 5 * USDV);
		close_period();
		let record = Periods::<Test>::get(0).unwrap();
		assert_eq!(record.vcai_per_usdv, 0);
		assert_eq!(Rewards::pending_node_rewards(1).total, record.capacity_pot);
		assert_eq!(Rewards::pending_rebates(&BOB).total, 0);
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(ALICE), 1, periods(&[0])));
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(BOB), periods(&[0])));
		assert_eq!(Periods::<Test>::get(0).unwrap().forfeited, record.delivery_pot + record.demand_pot);
	});
}

/// Honest nodes paid by real users share the pot as before while their fees cover it: the cap
/// binds only a node whose share is large against the fees it brought.
#[test]
fn the_cap_binds_only_the_node_whose_share_outgrows_its_fees() {
	test(|| {
		set_price(Some(PRICE));
		add_node(1, ALICE);
		add_node(2, BOB);
		// Equal payments; node 1's deliveries paid a large fee, node 2's almost none.
		let big_fee = DeliveryCredit {
			payment: 1_000_000 * USDV,
			protocol_fee: 100_000 * USDV,
			quality: Perbill::one(),
		};
		let tiny_fee = DeliveryCredit { protocol_fee: 1, ..big_fee };
		Rewards::delivered(1, big_fee);
		Rewards::delivered(2, tiny_fee);
		close_period();
		let record = Periods::<Test>::get(0).unwrap();
		let half = record.delivery_pot / 2;
		// 100,000 USDV of fee is worth 2,000,000 VCAI, 30% of it 600,000: more than half the pot.
		assert!(fee_cap(100_000 * USDV, PRICE, Perbill::from_percent(30)) > half);
		assert_eq!(Rewards::pending_node_rewards(1).total, half);
		assert_eq!(Rewards::pending_node_rewards(2).total, fee_cap(1, PRICE, Perbill::from_percent(30)));
	});
}

#[test]
fn governance_cannot_set_caps_that_let_self_dealing_pay() {
	test(|| {
		let at_the_fee = RewardsParams {
			delivery_per_fee: Perbill::from_percent(50),
			rebate_per_fee: Perbill::from_percent(50),
			..Default::default()
		};
		assert_noop!(Rewards::set_params(RawOrigin::Root.into(), at_the_fee), Error::<Test>::InvalidFeeCaps);
		let under = RewardsParams {
			delivery_per_fee: Perbill::from_percent(50),
			rebate_per_fee: Perbill::from_percent(49),
			..Default::default()
		};
		assert_ok!(Rewards::set_params(RawOrigin::Root.into(), under));
	});
}

/// A verdict that voids a capped node's delivery after the close takes back at most what the
/// node had earned before the cap, and the claim that follows never pays or forfeits more than
/// the period's pots (the invariants `test` checks).
#[test]
fn voiding_a_capped_delivery_never_takes_more_than_the_pots_hold() {
	test(|| {
		set_price(Some(PRICE));
		add_node(1, ALICE);
		add_node(2, BOB);
		let paid = DeliveryCredit { payment: 100 * USDV, protocol_fee: USDV, quality: Perbill::one() };
		Rewards::delivered(1, paid);
		Rewards::delivered(2, paid);
		close_period();
		let record = Periods::<Test>::get(0).unwrap();
		// All of node 1's fee is voided with one point of its delivery: its cap falls to nothing.
		Rewards::void_delivery(1, 0, DeliveryCredit { payment: 1, ..paid });
		assert_eq!(Rewards::pending_node_rewards(1).total, 0);
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(ALICE), 1, periods(&[0])));
		assert_ok!(Rewards::claim_node_rewards(RuntimeOrigin::signed(BOB), 2, periods(&[0])));
		let after = Periods::<Test>::get(0).unwrap();
		assert!(after.claimed + after.forfeited <= record.delivery_pot);
	});
}
