//! One runtime, two time scales: the `development` preset's 24-hour days and the `dev-fast`
//! preset's one-minute days, set at genesis and read back through the pallets' own bounds.

use super::preset_storage;
use crate::{
	configs::bridge::WorkerTxLifetime, genesis_config_presets::*, on_chain_day_blocks, Buyback, ChainClock,
	ComputeMarket, Runtime, DAYS, FAST_TIMES, MINUTES, STANDARD_TIMES,
};
use frame_support::{assert_noop, assert_ok, traits::Get};
use frame_system::RawOrigin;
use pallet_compute_market::MarketParams;
use vcity_primitives::{BuybackParams, Clock};

type Unbonding = <Runtime as pallet_compute_registry::Config>::UnbondingPeriod;
type MinHeartbeat = <Runtime as pallet_compute_registry::Config>::MinHeartbeatWindowMs;
type MaxHeartbeat = <Runtime as pallet_compute_registry::Config>::MaxHeartbeatWindowMs;
type Retention = <Runtime as pallet_compute_market::Config>::TaskRetention;
type MinTwap = <Runtime as pallet_buyback::Config>::MinTwapWindow;
type ReputationHalfLife = <Runtime as pallet_compute_registry::Config>::ReputationHalfLifeMs;

#[test]
fn the_development_chain_keeps_the_lengths_of_a_real_network() {
	preset_storage(DEV_PRESET).execute_with(|| {
		assert_eq!(ChainClock::day_ms(), 24 * 3_600_000);
		assert_eq!(pallet_chain_clock::Periods::<Runtime>::get().current.length_ms, STANDARD_TIMES.period_ms);
		assert_eq!(ChainClock::period_bounds(), 24 * 3_600_000..=28 * 24 * 3_600_000);
		assert_eq!(Unbonding::get(), 28 * DAYS);
		assert_eq!(Retention::get(), 30 * DAYS);
		assert_eq!(MinHeartbeat::get(), 60_000);
		assert_eq!(MaxHeartbeat::get(), 24 * 3_600_000);
		assert_eq!(MinTwap::get(), MINUTES);
		assert_eq!(ReputationHalfLife::get(), 30 * 24 * 3_600_000);
		assert_eq!(WorkerTxLifetime::get(), 8);
		let market = ComputeMarket::params().expect("genesis sets the market's parameters");
		assert_eq!(market.ack_window, STANDARD_TIMES.task_ack_window);
		assert_eq!(market.dispute_window, STANDARD_TIMES.task_dispute_window);
		assert_eq!(market.resolution_window, STANDARD_TIMES.task_resolution_window);
		assert_eq!(pallet_buyback::Params::<Runtime>::get().twap_window, STANDARD_TIMES.buyback_twap_window);
		let slashing = pallet_slashing::Params::<Runtime>::get();
		assert_eq!((slashing.deferral, slashing.appeal_grace), (7 * DAYS, 3 * DAYS));
		assert_eq!(slashing.repeat_window, 30 * DAYS);
	});
}

/// No stake leaves before its slash: the unbonding outlasts a week of detection, the longest
/// pending window governance may set and the longest wait for an appeal's decision, on every
/// preset's day.
#[test]
fn unbonding_outlasts_detection_the_longest_pending_window_and_appeal_grace() {
	type Slashing = pallet_slashing::Pallet<Runtime>;
	type MaxDeferral = <Runtime as pallet_slashing::Config>::MaxDeferral;
	type MaxGrace = <Runtime as pallet_slashing::Config>::MaxAppealGrace;
	for preset in [DEV_PRESET, DEV_FAST_PRESET] {
		preset_storage(preset).execute_with(|| {
			let detection = on_chain_day_blocks(crate::configs::slashing::DETECTION_DAYS * DAYS);
			assert!(Unbonding::get() >= detection + MaxDeferral::get() + MaxGrace::get(), "{preset}");
			let params = pallet_slashing::Params::<Runtime>::get();
			assert!(Slashing::ensure_valid_params(&params).is_ok(), "{preset}: genesis parameters in bounds");
		});
	}
}

#[test]
fn dev_fast_scales_every_length_to_its_one_minute_day() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		assert_eq!(ChainClock::day_ms(), 60_000);
		assert_eq!(pallet_chain_clock::Periods::<Runtime>::get().current.length_ms, 60_000);
		// Four weeks of unbonding are 28 minutes, a month of retention half an hour.
		assert_eq!(Unbonding::get(), 280);
		assert_eq!(Retention::get(), 300);
		// Floors of a minute of a 24-hour day would be milliseconds: two blocks instead.
		assert_eq!(MinHeartbeat::get(), 12_000);
		assert_eq!(MaxHeartbeat::get(), 60_000);
		assert_eq!(MinTwap::get(), 2);
		assert_eq!(ReputationHalfLife::get(), 30 * 60_000);
		assert_eq!(on_chain_day_blocks(DAYS), 10);
		// The worker's transactions die before the five-block acknowledgement window closes, and
		// governance cannot shorten the window to their lifetime.
		assert_eq!(WorkerTxLifetime::get(), 4);
		let market = ComputeMarket::params().expect("genesis sets the market's parameters");
		assert_eq!(market.ack_window, FAST_TIMES.task_ack_window);
		assert!(WorkerTxLifetime::get() < market.ack_window);
		assert_noop!(
			ComputeMarket::set_params(RawOrigin::Root.into(), MarketParams { ack_window: 4, ..market }),
			pallet_compute_market::Error::<Runtime>::InvalidParams
		);
		assert_eq!(
			pallet_compute_registry::HeartbeatWindowMs::<Runtime>::get(),
			FAST_TIMES.heartbeat_window_ms
		);
		assert_eq!(pallet_buyback::Params::<Runtime>::get().twap_window, FAST_TIMES.buyback_twap_window);
	});
}

#[test]
fn governance_bounds_follow_the_chain_day() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		// Periods: one to 28 of the chain's days.
		assert_ok!(ChainClock::set_period_length(RawOrigin::Root.into(), 28 * 60_000));
		assert_noop!(
			ChainClock::set_period_length(RawOrigin::Root.into(), 28 * 60_000 + 1),
			pallet_chain_clock::Error::<Runtime>::PeriodLengthOutOfRange
		);
		// A two-block price window is allowed here and refused on the development chain.
		let short = BuybackParams { twap_window: 2, ..pallet_buyback::Params::<Runtime>::get() };
		assert_ok!(Buyback::set_params(RawOrigin::Root.into(), short));
	});
	preset_storage(DEV_PRESET).execute_with(|| {
		let short = BuybackParams { twap_window: 2, ..pallet_buyback::Params::<Runtime>::get() };
		assert!(Buyback::set_params(RawOrigin::Root.into(), short).is_err());
		assert_noop!(
			ChainClock::set_period_length(RawOrigin::Root.into(), 60_000),
			pallet_chain_clock::Error::<Runtime>::PeriodLengthOutOfRange
		);
	});
}

/// A chain built with the slashing pallet has its storage version from genesis, so the
/// migration that sets the parameters of a chain gaining the pallet by an upgrade never runs
/// on it; and the parameters that migration sets are in bounds on every day length.
#[test]
fn slashing_parameters_for_an_upgraded_chain_are_in_bounds() {
	use frame_support::traits::{Get, GetStorageVersion, StorageVersion};
	for preset in [DEV_PRESET, DEV_FAST_PRESET] {
		preset_storage(preset).execute_with(|| {
			assert_eq!(
				pallet_slashing::Pallet::<Runtime>::on_chain_storage_version(),
				StorageVersion::new(1)
			);
			let params = crate::configs::slashing::UpgradeParams::get();
			assert!(pallet_slashing::Pallet::<Runtime>::ensure_valid_params(&params).is_ok(), "{preset}");
		});
	}
}
