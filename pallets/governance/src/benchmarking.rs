//! Benchmarks of the pallet's one call.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_track() -> Result<(), BenchmarkError> {
		let origin = T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let settings = DaoTrack::Parameters.production(T::BlocksPerDay::get());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, DaoTrack::Parameters.id(), settings);
		assert_eq!(SettingsOf::<T>::get(DaoTrack::Parameters.id()), Some(settings));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
