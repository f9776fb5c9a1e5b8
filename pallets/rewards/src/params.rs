//! Which parameters governance may set.

use crate::pallet::*;
use frame_support::ensure;
use vcity_primitives::{FactorStage, RewardsParams, MULTI_GPU_STAGES_GIB};

/// The largest factor a stage may have: 10×.
pub const MAX_FACTOR_PERMILLE: u32 = 10_000;

impl<T: Config> Pallet<T> {
	/// The multi-GPU steps stand at 0 GiB and at the multi-GPU stages; every factor stays at or
	/// below [`MAX_FACTOR_PERMILLE`] (so points cannot overflow); the two fee caps add up to
	/// less than 100%. Shares are `Perbill`s, valid by type.
	pub fn check_params(params: &RewardsParams) -> Result<(), Error<T>> {
		let class = params.gpu_class;
		ensure!(
			[class.consumer, class.workstation, class.datacenter].iter().all(|f| *f <= MAX_FACTOR_PERMILLE),
			Error::<T>::InvalidFactors
		);
		ensure!(stages_valid(&params.multi_gpu), Error::<T>::InvalidFactors);
		// Together the caps stay under the fee: a trade with oneself then returns less in
		// rewards than its fee costs (docs/economics.md#self-dealing).
		let caps = params.delivery_per_fee.deconstruct().saturating_add(params.rebate_per_fee.deconstruct());
		ensure!(caps < sp_runtime::Perbill::one().deconstruct(), Error::<T>::InvalidFeeCaps);
		Ok(())
	}
}

/// One step from 0 GiB, so every node has a coefficient, then one from each multi-GPU stage: the
/// stages a task asks for are the ones Proof of Capacity pays for, and a queued task's stage
/// keeps its meaning. Governance moves the coefficients, not the steps.
fn stages_valid(stages: &[FactorStage]) -> bool {
	let steps = core::iter::once(0).chain(MULTI_GPU_STAGES_GIB);
	stages.len() == MULTI_GPU_STAGES_GIB.len() + 1
		&& stages.iter().zip(steps).all(|(stage, from_gib)| stage.from_gib == from_gib)
		&& stages.iter().all(|s| s.permille <= MAX_FACTOR_PERMILLE)
}
