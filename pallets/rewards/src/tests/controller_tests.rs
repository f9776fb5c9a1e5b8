//! The supply/demand controller: the documented examples, the clip at 0 and 1, and the controller
//! driven by the market's utilization at each period's close.

use super::*;
use crate::controller::next_supply_share;
use sp_runtime::Perbill;

fn step(current: u32, utilization: Option<u32>) -> Perbill {
	next_supply_share(
		Perbill::from_percent(current),
		utilization.map(Perbill::from_percent),
		Perbill::from_percent(80),
		Perbill::from_percent(10),
	)
}

#[test]
fn sixty_percent_utilization_lowers_p_supply_by_two_points() {
	assert_eq!(step(50, Some(60)), Perbill::from_percent(48));
}

#[test]
fn ninety_five_percent_utilization_raises_p_supply_by_one_and_a_half_points() {
	assert_eq!(step(50, Some(95)), Perbill::from_rational(515u32, 1000u32));
}

#[test]
fn p_supply_is_clipped_at_zero_and_at_one() {
	assert_eq!(step(1, Some(0)), Perbill::zero(), "1% − 8 points clips at 0");
	assert_eq!(step(0, Some(10)), Perbill::zero());
	assert_eq!(step(99, Some(100)), Perbill::one(), "99% + 2 points clips at 100%");
	assert_eq!(step(100, Some(100)), Perbill::one());
}

#[test]
fn p_supply_holds_at_the_target_and_when_nothing_was_available() {
	assert_eq!(step(37, Some(80)), Perbill::from_percent(37));
	assert_eq!(step(37, None), Perbill::from_percent(37));
}

#[test]
fn the_period_close_steers_p_supply_by_the_market_utilization() {
	test(|| {
		// Period 0: 60% used; period 1: 95%; period 2: nothing offered.
		set_usage(0, 1_000_000, 600_000);
		set_usage(1, 1_000_000, 950_000);
		set_usage(2, 0, 0);
		assert_eq!(close_period(), 0);
		assert_eq!(SupplyShare::<Test>::get(), Perbill::from_percent(48));
		let record = Periods::<Test>::get(0).unwrap();
		assert_eq!(record.supply_share, Perbill::from_percent(50), "period 0 was shared at 50%");
		assert_eq!(record.utilization, Some(Perbill::from_percent(60)));
		assert_eq!(close_period(), 1);
		assert_eq!(SupplyShare::<Test>::get(), Perbill::from_rational(495u32, 1000u32));
		assert_eq!(close_period(), 2);
		assert_eq!(SupplyShare::<Test>::get(), Perbill::from_rational(495u32, 1000u32));
		assert_eq!(Periods::<Test>::get(2).unwrap().utilization, None);
	});
}

#[test]
fn the_supply_share_splits_each_pot() {
	test(|| {
		add_node(1, ALICE);
		beat(1, 1_000);
		deliver(1, 500, Perbill::one());
		add_spend(0, BOB, 1_000_000);
		assert_eq!(close_period(), 0);
		let r = Periods::<Test>::get(0).unwrap();
		let incentives = r.released - r.to_grants;
		assert_eq!(r.capacity_pot + r.delivery_pot + r.demand_pot, incentives);
		assert_eq!(r.capacity_pot + r.delivery_pot, Perbill::from_percent(50).mul_floor(incentives));
		assert_eq!(r.capacity_pot, Perbill::from_percent(50).mul_floor(r.capacity_pot + r.delivery_pot));
		assert_eq!(r.carried_out, 0);
	});
}
