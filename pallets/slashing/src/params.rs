//! The parameters' bounds, and the fraction a case takes.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};
use vcity_primitives::{NodeId, OffenceTier, SlashOutcome};

impl<T: Config> Pallet<T> {
	fn range_in(range: &FractionRange, (low, high): (Perbill, Perbill)) -> bool {
		low <= range.first && range.first <= range.last && range.last <= high
	}

	/// Checks every parameter against its bounds.
	pub fn ensure_valid_params(params: &SlashParams<BlockNumberFor<T>>) -> DispatchResult {
		ensure!(Self::range_in(&params.minor, MINOR_BOUNDS), Error::<T>::InvalidFraction);
		ensure!(Self::range_in(&params.moderate, MODERATE_BOUNDS), Error::<T>::InvalidFraction);
		ensure!((1..=MAX_REPEATS_TO_LAST).contains(&params.repeats_to_last), Error::<T>::InvalidRepeats);
		ensure!(
			(T::MinDeferral::get()..=T::MaxDeferral::get()).contains(&params.deferral),
			Error::<T>::InvalidWindow
		);
		ensure!(params.appeal_grace <= T::MaxAppealGrace::get(), Error::<T>::InvalidWindow);
		ensure!(
			!params.repeat_window.is_zero() && params.repeat_window <= T::MaxRepeatWindow::get(),
			Error::<T>::InvalidWindow
		);
		ensure!(params.reporter_cut <= MAX_REPORTER_CUT, Error::<T>::InvalidCut);
		ensure!(params.appeal_deposit > 0, Error::<T>::ZeroDeposit);
		Ok(())
	}

	/// The share of the stake an offence of `tier` takes after `repeats` earlier slashes.
	pub fn fraction_for(params: &SlashParams<BlockNumberFor<T>>, tier: OffenceTier, repeats: u32) -> Perbill {
		match tier {
			OffenceTier::Minor => params.minor.at(repeats, params.repeats_to_last),
			OffenceTier::Moderate => params.moderate.at(repeats, params.repeats_to_last),
			OffenceTier::Severe => Perbill::one(),
		}
	}

	/// Slashes the node has had executed within the repeat window before `now` (cancelled ones
	/// do not count: an upheld appeal clears the node).
	pub fn repeats_of(node: NodeId, now: BlockNumberFor<T>, window: BlockNumberFor<T>) -> u32 {
		let since = now.saturating_sub(window);
		SlashHistory::<T>::get(node)
			.iter()
			.filter(|r| r.opened_at >= since && matches!(r.outcome, SlashOutcome::Executed { .. }))
			.count() as u32
	}
}
