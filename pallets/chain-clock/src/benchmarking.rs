//! Benchmarks of the clock's one call.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The worst case: a run set earlier is already in force and is promoted as the new one is set.
	#[benchmark]
	fn set_period_length() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let bounds = Pallet::<T>::period_bounds();
		let length = *bounds.end();
		Pallet::<T>::do_set_period_length(*bounds.start()).map_err(|_| "the minimum is refused")?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, length);
		assert_eq!(Periods::<T>::get().next.map(|run| run.length_ms), Some(length));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
