//! Closing a period: the release, the pots, the snapshot claims are paid from, the controller.
//!
//! The hook of the first block of a period closes the one before: O(1), it reads the period's
//! totals and never a node. A stall that skips whole periods closes them as one, the last
//! open period stretched to the start of the current one: no block existed in between, so no
//! points, capacity or spend were recorded there, and the schedule still releases every
//! millisecond once.

use crate::{controller, pallet::*, schedule, WeightInfo, LOG_TARGET};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::traits::{AccountIdConversion, Saturating};
use vcity_primitives::{
	utilization, Balance, Clock, Moment, PeriodIndex, PeriodRewards, UsageMeter, VcaiPrice,
	CHARGED_NETWORK_SIZE,
};

impl<T: Config> Pallet<T> {
	/// The pool account, funded with the whole pool at genesis.
	pub fn pool_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The pot the claims are paid from.
	pub fn pot_account() -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(b"pot")
	}

	/// Milliseconds since the chain's start.
	pub(crate) fn elapsed_ms(at: Moment) -> Moment {
		at.saturating_sub(T::Clock::day_start_ms(0))
	}

	/// VCAI released since genesis (incentives and grants).
	pub fn released_total() -> Balance {
		schedule::released(T::PoolTotal::get(), ReleasedUntilMs::<T>::get(), T::ScheduleMs::get())
	}

	pub(crate) fn on_block() -> Weight {
		let open = OpenPeriod::<T>::get();
		let current = T::Clock::period_index();
		if current <= open {
			return T::WeightInfo::on_initialize_idle();
		}
		Self::close(open, current);
		// The close also reads the price the fee caps are valued at (the buyback's oracle).
		T::WeightInfo::on_initialize_close(CHARGED_NETWORK_SIZE).saturating_add(T::DbWeight::get().reads(3))
	}

	/// Moves the release of [from, to) out of the pool, atomically: all of it, or nothing and an
	/// event (the next period's release then covers this span too).
	fn release(period: PeriodIndex, from_ms: Moment, to_ms: Moment) -> Option<(Balance, Balance)> {
		let released = schedule::released_between(T::PoolTotal::get(), from_ms, to_ms, T::ScheduleMs::get());
		let incentives = Params::<T>::get().release_percent.mul_floor(released);
		let to_grants = released.saturating_sub(incentives);
		let pool = Self::pool_account();
		let moved = with_storage_layer(|| -> DispatchResult {
			if incentives > 0 {
				T::Currency::transfer(&pool, &Self::pot_account(), incentives, Preservation::Expendable)?;
			}
			if to_grants > 0 {
				T::Currency::transfer(&pool, &T::GrantsAccount::get(), to_grants, Preservation::Expendable)?;
			}
			Ok(())
		});
		match moved {
			Ok(()) => Some((released, to_grants)),
			Err(error) => {
				log::warn!(target: LOG_TARGET, "period {period}: release of {released} failed: {error:?}");
				Self::deposit_event(Event::ReleaseFailed { period, error });
				None
			}
		}
	}

	fn close(period: PeriodIndex, current: PeriodIndex) {
		let from_ms = ReleasedUntilMs::<T>::get();
		// The current period's start is known whatever its length; a clock that cannot say (it
		// cannot for the run in force) falls back to now, which only shifts where the release
		// is cut, never how much is released in total.
		let to_ms = T::Clock::period_start_ms(current)
			.map_or_else(|| Self::elapsed_ms(T::Clock::now_ms()), Self::elapsed_ms)
			.max(from_ms);
		let (released, to_grants, released_until) = match Self::release(period, from_ms, to_ms) {
			Some((released, to_grants)) => (released, to_grants, to_ms),
			None => (0, 0, from_ms),
		};
		let incentives = released.saturating_sub(to_grants);
		let carried_in = Carry::<T>::get();
		let pot = incentives.saturating_add(carried_in);
		let params = Params::<T>::get();
		let supply_share = SupplyShare::<T>::get();
		let supply = supply_share.mul_floor(pot);
		let capacity = params.capacity_share.mul_floor(supply);
		let delivery = supply.saturating_sub(capacity);
		let demand = pot.saturating_sub(supply);

		let totals = PeriodTotals::<T>::take(period);
		let spend = T::Usage::total_spend(period);
		// A side no one earned in keeps its VCAI for the next period rather than stranding it.
		let mut carried_out: Balance = 0;
		let mut earned = |amount: Balance, points: u128| {
			if points > 0 {
				amount
			} else {
				carried_out.saturating_accrue(amount);
				0
			}
		};
		let capacity_pot = earned(capacity, totals.capacity);
		let delivery_pot = earned(delivery, totals.delivery);
		let demand_pot = earned(demand, spend);
		Carry::<T>::put(carried_out);

		let available = T::Usage::available_gpu_seconds(period);
		let consumed = T::Usage::consumed_gpu_seconds(period);
		let utilization = utilization(consumed, available);
		let next_supply_share = controller::next_supply_share(
			supply_share,
			utilization,
			T::TargetUtilization::get(),
			T::ControllerGain::get(),
		);
		SupplyShare::<T>::put(next_supply_share);
		let start = T::Clock::day_start_ms(0);
		let opened_ms = OpenSinceMs::<T>::get();
		Periods::<T>::insert(
			period,
			PeriodRewards {
				start_ms: start.saturating_add(opened_ms),
				end_ms: start.saturating_add(to_ms),
				released,
				to_grants,
				carried_in,
				supply_share,
				capacity_pot,
				delivery_pot,
				demand_pot,
				carried_out,
				capacity_points: totals.capacity,
				delivery_points: totals.delivery,
				vcai_per_usdv: T::Price::vcai_per_usdv().unwrap_or(0),
				delivery_per_fee: params.delivery_per_fee,
				rebate_per_fee: params.rebate_per_fee,
				spend,
				available_gpu_seconds: available,
				consumed_gpu_seconds: consumed,
				utilization,
				claimed: 0,
				forfeited: 0,
			},
		);
		OpenPeriod::<T>::put(current);
		OpenSinceMs::<T>::put(to_ms);
		ReleasedUntilMs::<T>::put(released_until);
		Self::deposit_event(Event::PeriodClosed {
			period,
			released,
			to_grants,
			capacity_pot,
			delivery_pot,
			demand_pot,
			carried_out,
			utilization,
			next_supply_share,
		});
	}
}
