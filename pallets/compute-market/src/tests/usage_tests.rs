//! Path 7, replayed: utilization counts GPU-seconds actually run at arm's length, in the period
//! they ran, and only as far as they were paid for (docs/economics.md#controller).

use super::*;
use vcity_primitives::{Clock, UsageMeter};

const HOUR_MS: Moment = 3_600_000;

/// A 2-GPU task of three hours the user gives to `node`.
fn three_hours_on(node: NodeId, billing: Billing) -> TaskId {
	let id = NextTaskId::<Test>::get();
	assert_ok!(Market::submit_task(
		RuntimeOrigin::signed(USER),
		needs(2),
		3 * 3_600,
		System::block_number() + 100_000,
		3 * USDV,
		matrix(),
		billing
	));
	assert_ok!(Market::assign_directly(RuntimeOrigin::signed(USER), id, node));
	id
}

/// A 2-GPU task of three hours, given to node 0 (id 1) and acknowledged.
fn acknowledged_task(billing: Billing) -> TaskId {
	let id = three_hours_on(1, billing);
	assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
	id
}

fn consumed(period: vcity_primitives::PeriodIndex) -> u64 {
	<Market as UsageMeter<AccountId, Balance>>::consumed_gpu_seconds(period)
}

/// Moves time to `ms` before the end of the current period; the nodes beat, as their agents would.
fn to_before_period_end(ms: Moment) {
	let next = ChainClock::period_start_ms(ChainClock::period_index() + 1).unwrap();
	advance_ms(next - ms - pallet_timestamp::Now::<Test>::get());
	keep_nodes_online();
}

/// The first block of the next period, its hooks run: the market closes the period's count.
fn next_block_after(ms: Moment) {
	advance_ms(ms);
	let next = System::block_number() + 1;
	System::set_block_number(next);
	Market::on_initialize(next);
}

#[test]
fn a_run_across_a_period_boundary_counts_in_both_periods() {
	test(|| {
		online_node(0, NodeTerms::default());
		let id = acknowledged_task(Billing::PerTask);
		to_before_period_end(HOUR_MS);
		let period = ChainClock::period_index();
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		// Counted while it runs: the first block of the next period closes this one's hour.
		next_block_after(2 * HOUR_MS);
		assert_eq!(ChainClock::period_index(), period + 1);
		assert_eq!((consumed(period), consumed(period + 1)), (2 * 3_600, 2 * 3_600));
		keep_nodes_online();
		assert_ok!(Market::complete_task(RuntimeOrigin::signed(operator_of(0)), id, [7; 32], 0));
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 5));
		// Billed two hours of two GPUs: all of it stays counted, each hour where it ran.
		assert_eq!(Market::task_info(id).unwrap().paid, 8 * USDV);
		assert_eq!((consumed(period), consumed(period + 1)), (2 * 3_600, 2 * 3_600));
	});
}

#[test]
fn a_run_that_ends_unpaid_is_given_back() {
	test(|| {
		online_node(0, NodeTerms::default());
		let id = acknowledged_task(Billing::PerTask);
		let period = ChainClock::period_index();
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		advance_ms(HOUR_MS);
		keep_nodes_online();
		// The node gives up: nobody paid for the hour, so it is no consumption.
		assert_ok!(Market::report_failure(RuntimeOrigin::signed(operator_of(0)), id));
		assert_eq!(consumed(period), 0);
		assert_eq!((RunningGpus::<Test>::get(), ConsumptionDebt::<Test>::get()), (0, 0));
	});
}

/// A free run that spanned a period close moved that period's utilization; what it counted there
/// is taken off the next consumption counted, so P_supply's sum comes back to what was paid.
#[test]
fn a_free_run_across_a_close_is_taken_off_later_consumption() {
	test(|| {
		online_node(0, NodeTerms::default());
		online_node(1, NodeTerms::default());
		let id = acknowledged_task(Billing::PerTask);
		to_before_period_end(HOUR_MS);
		let period = ChainClock::period_index();
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		next_block_after(HOUR_MS + HOUR_MS / 2);
		assert_eq!((consumed(period), consumed(period + 1)), (7_200, 3_600));
		keep_nodes_online();
		assert_ok!(Market::report_failure(RuntimeOrigin::signed(operator_of(0)), id));
		// 2 GPUs × 1.5 h = 10,800 GPU-seconds given back: 3,600 from the open period, 7,200 owed.
		assert_eq!(consumed(period + 1), 0);
		assert_eq!(ConsumptionDebt::<Test>::get(), 7_200_000);
		// The next paid hour of another task repays the debt before it counts.
		let next = three_hours_on(2, Billing::PerTask);
		deliver(1, next, 4 * 3_600 / 2);
		assert_eq!((consumed(period + 1), ConsumptionDebt::<Test>::get()), (7_200, 0));
	});
}

#[test]
fn metered_usage_below_the_time_run_gives_back_the_difference() {
	test(|| {
		online_node(0, NodeTerms::default());
		let id = acknowledged_task(Billing::Metered);
		let period = ChainClock::period_index();
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		advance_ms(HOUR_MS);
		keep_nodes_online();
		// Two GPUs held an hour, 1,000 GPU-seconds used and billed.
		assert_ok!(Market::complete_task(RuntimeOrigin::signed(operator_of(0)), id, [7; 32], 1_000));
		assert_eq!(consumed(period), 7_200, "counted as held until it is settled");
		assert_ok!(Market::rate_task(RuntimeOrigin::signed(USER), id, 5));
		assert_eq!(consumed(period), 1_000);
	});
}

#[test]
fn a_run_bought_from_ones_own_node_never_counts() {
	test(|| {
		let node = online_node(0, NodeTerms::default());
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(USER), USDV_ID, owner_of(0), 100 * USDV));
		let id = submit(owner_of(0), needs(2), Billing::PerTask);
		assert_ok!(Market::assign_directly(RuntimeOrigin::signed(owner_of(0)), id, node));
		let period = ChainClock::period_index();
		assert_ok!(Market::acknowledge_task(RuntimeOrigin::signed(operator_of(0)), id));
		assert_ok!(Market::start_task(RuntimeOrigin::signed(operator_of(0)), id));
		assert_eq!(RunningGpus::<Test>::get(), 0);
		advance_ms(HOUR_MS);
		assert_ok!(Market::complete_task(RuntimeOrigin::signed(operator_of(0)), id, [7; 32], 0));
		assert_eq!(consumed(period), 0);
	});
}
