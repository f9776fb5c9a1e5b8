//! Which parameters governance may set.

use crate::pallet::*;
use frame_support::ensure;
use vcity_primitives::{FactorStage, RewardsParams};

/// The largest factor a stage may have: 10×.
pub const MAX_FACTOR_PERMILLE: u32 = 10_000;

impl<T: Config> Pallet<T> {
	/// Stages start at 0 GiB (so every node has a factor) and ascend strictly; every factor stays
	/// at or below [`MAX_FACTOR_PERMILLE`] (so points cannot overflow). Shares are `Perbill`s,
	/// valid by type.
	pub fn check_params(params: &RewardsParams) -> Result<(), Error<T>> {
		let class = params.gpu_class;
		ensure!(
			[class.consumer, class.workstation, class.datacenter].iter().all(|f| *f <= MAX_FACTOR_PERMILLE),
			Error::<T>::InvalidFactors
		);
		ensure!(stages_valid(&params.multi_gpu), Error::<T>::InvalidFactors);
		Ok(())
	}
}

fn stages_valid(stages: &[FactorStage]) -> bool {
	stages.first().is_some_and(|s| s.from_gib == 0)
		&& stages.windows(2).all(|w| w[0].from_gib < w[1].from_gib)
		&& stages.iter().all(|s| s.permille <= MAX_FACTOR_PERMILLE)
}
