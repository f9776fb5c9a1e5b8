//! Benchmarks of the DAO's money calls.

use crate::*;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Inspect, fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use vcity_primitives::Balance;

/// Sets up what the benchmarks need of the rest of the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Brings the revenue and the VCAI locked to at least the stages given.
	fn reach_stages(stages: &StageSizes);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `p` partners, each a new account, each put under vesting.
	#[benchmark]
	fn strategic_issuance(p: Linear<1, { T::MaxPartners::get() }>) -> Result<(), BenchmarkError> {
		let origin = T::IssuanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let stages = Stages::<T>::get();
		T::BenchmarkHelper::reach_stages(&stages);
		let grant: Balance = T::Currency::minimum_balance().saturating_mul(1_000);
		let grants: BoundedVec<_, T::MaxPartners> = (0..p)
			.map(|index| (account::<T::AccountId>("partner", index, 0), grant))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.map_err(|_| "too many partners")?;
		let terms = VestingTerms { cliff_days: 30, vesting_days: 365 };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, grants, terms);
		assert_eq!(IssuancesExecuted::<T>::get(), 1);
		assert_eq!(TotalIssued::<T>::get(), grant * Balance::from(p));
		Ok(())
	}

	#[benchmark]
	fn reprice() -> Result<(), BenchmarkError> {
		let origin = T::RepricingOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 100, 1);
		assert_eq!(CurrentDenomination::<T>::get().repricings, 1);
		Ok(())
	}

	/// The heavier of the two assets: USDV, an asset with its own accounts.
	#[benchmark]
	fn spend() -> Result<(), BenchmarkError> {
		let origin = T::SpendOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let treasury = T::TreasuryAccount::get();
		let amount = T::Stablecoin::minimum_balance().saturating_mul(1_000);
		T::Stablecoin::mint_into(&treasury, amount.saturating_mul(2))?;
		let to: T::AccountId = account("recipient", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, TreasuryAsset::Usdv, to.clone(), amount);
		assert_eq!(T::Stablecoin::balance(&to), amount);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
