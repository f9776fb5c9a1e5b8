//! Quotas as revenue and locks grow and shrink.

use super::*;

#[test]
fn a_quota_needs_both_a_revenue_and_an_equity_stage() {
	test(|| {
		assert_eq!(Supply::available_quotas(), 0);
		// A stage is whole: one base unit short of it is no stage.
		Revenue::set(REVENUE_STAGE - 1);
		Locked::set(EQUITY_STAGE * 10);
		assert_eq!(Supply::stages(), (0, 10));
		assert_eq!(Supply::available_quotas(), 0);
		Revenue::set(REVENUE_STAGE);
		assert_eq!(Supply::stages(), (1, 10));
		assert_eq!(Supply::available_quotas(), 1);
		// Revenue alone does not make quotas either.
		reach(5, 0);
		assert_eq!(Supply::available_quotas(), 0);
		reach(5, 3);
		assert_eq!(Supply::available_quotas(), 3);
	});
}

#[test]
fn quotas_follow_revenue_and_locks_as_they_grow_and_shrink() {
	test(|| {
		reach(2, 1);
		assert_eq!(Supply::available_quotas(), 1);
		assert_ok!(issue(vec![(BOB, 1_000 * VCAI)], year_terms()));
		assert_eq!(Supply::available_quotas(), 0);
		// More locked: the revenue's second stage becomes a quota.
		reach(2, 3);
		assert_eq!(Supply::available_quotas(), 1);
		// Locks expire: the equity stages fall below what was used, and nothing is available
		// (never negative), until locks come back past it.
		reach(2, 0);
		assert_eq!(Supply::available_quotas(), 0);
		assert_eq!(issue(vec![(CHARLIE, 1_000 * VCAI)], year_terms()), Err(Error::<Test>::NoQuota.into()));
		reach(2, 2);
		assert_eq!(Supply::available_quotas(), 1);
		let quotas = Supply::quotas();
		assert_eq!(
			(quotas.revenue_stages, quotas.equity_stages, quotas.used, quotas.available),
			(2, 2, 1, 1)
		);
		assert_eq!(quotas.revenue_stage, REVENUE_STAGE);
		assert_eq!(quotas.equity_stage, EQUITY_STAGE);
	});
}

#[test]
fn the_report_carries_the_years_room() {
	test(|| {
		reach(1, 1);
		let quotas = Supply::quotas();
		assert_eq!(quotas.year, 0);
		assert_eq!(quotas.supply_at_year_start, SUPPLY);
		assert_eq!(quotas.room_this_year, SUPPLY / 20);
		assert_ok!(issue(vec![(BOB, 1_000_000 * VCAI)], year_terms()));
		let quotas = Supply::quotas();
		assert_eq!(quotas.minted_this_year, 1_000_000 * VCAI);
		assert_eq!(quotas.room_this_year, SUPPLY / 20 - 1_000_000 * VCAI);
		assert_eq!(quotas.issued_since_genesis, 1_000_000 * VCAI);
	});
}
