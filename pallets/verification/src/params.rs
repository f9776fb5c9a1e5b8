//! Checking the parameters governance sets.

use crate::{pallet::*, types::*};
use frame_support::ensure;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Refuses parameters out of range: 1 to [`MAX_VERIFIERS_PER_JOB`] verifiers, a quorum of
	/// more than half of them (so at most one answer can reach it), windows of at least a block,
	/// a fee share of at most [`MAX_FEE_SHARE`].
	pub fn ensure_valid_params(params: &VerificationParams<BlockNumberFor<T>>) -> Result<(), Error<T>> {
		let seats = params.verifiers_per_job;
		ensure!((1..=MAX_VERIFIERS_PER_JOB).contains(&seats), Error::<T>::InvalidParams);
		ensure!(params.quorum <= seats && params.quorum * 2 > seats, Error::<T>::InvalidParams);
		ensure!(
			!params.commit_window.is_zero() && !params.reveal_window.is_zero(),
			Error::<T>::InvalidParams
		);
		ensure!(params.fee_share <= MAX_FEE_SHARE, Error::<T>::InvalidParams);
		ensure!(params.max_work_seconds > 0, Error::<T>::InvalidParams);
		Ok(())
	}
}
