//! Benchmarks: the block hook when it only samples the price, when it retries a drop, and when
//! it runs a round at its worst (other income found, every halving of the chunk tried, a swap and
//! a drop), with 10 to 1,000,000 veVCAI lockers in storage to show the round does not read them.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin,
};
use sp_runtime::Perbill;
use vcity_primitives::{Balance, BuybackParams, USDV, VCAI};

/// Lockers in storage at the top of the range: a million on the runtime, a thousand when the
/// benchmarks run as unit tests (natively, where filling a million entries takes minutes).
#[cfg(not(test))]
const MAX_LOCKERS: u32 = 1_000_000;
#[cfg(test)]
const MAX_LOCKERS: u32 = 1_000;
/// USDV in the benchmark pool; VCAI at 0.01 USDV.
const POOL_USDV: Balance = 1_000_000 * USDV;
const POOL_VCAI: Balance = 100_000_000 * VCAI;
/// Averaging window of the benchmarks: the average costs the same two reads for any window.
const WINDOW: u32 = 2;

/// Makes the oracle's longest average `vcai_per_usdv`, for other pallets' benchmarks that value
/// USDV in VCAI (the slashing's compensation).
pub fn set_average_price<T: Config>(vcai_per_usdv: Balance) {
	use frame_support::traits::Get;
	let window = T::MaxTwapWindow::get();
	let len = Pallet::<T>::history_len();
	let last_block = window;
	Oracle::<T>::put(crate::types::PriceOracle {
		cumulative: sp_core::U256::from(vcai_per_usdv).saturating_mul(sp_core::U256::from(window)),
		last_block,
		samples: len,
		last_price: vcai_per_usdv,
		history_len: len,
	});
	PriceHistory::<T>::insert((last_block - window) % len, sp_core::U256::zero());
}

/// What the benchmarks need of the runtime beyond this pallet.
pub trait BenchmarkHelper<AccountId> {
	/// Creates the VCAI/USDV pool with the given liquidity.
	fn create_pool(usdv: Balance, vcai: Balance);
	/// Fills the veVCAI storage with `n` lockers.
	fn fill_lockers(n: u32);
}

fn with_pool<T: Config>() {
	T::BenchmarkHelper::create_pool(POOL_USDV, POOL_VCAI);
	let treasury = Pallet::<T>::treasury_account();
	let _ = T::Currency::set_balance(&treasury, T::Currency::minimum_balance());
	// A full history of samples ending with the block before the one measured.
	for block in 1..=WINDOW + 1 {
		Pallet::<T>::sample_price(block);
	}
	frame_system::Pallet::<T>::set_block_number((WINDOW + 2).into());
}

fn use_params<T: Config>(max_chunk: Balance, max_slippage: Perbill) {
	Params::<T>::put(BuybackParams { interval_days: 1, max_slippage, max_chunk, twap_window: WINDOW });
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A block without a round: one sample of the price.
	#[benchmark]
	fn on_initialize_idle() {
		with_pool::<T>();
		use_params::<T>(POOL_USDV, Perbill::from_percent(3));
		LastRound::<T>::put(RoundState { done: true, ..RoundState::new(0) });
		let block = WINDOW + 2;
		#[block]
		{
			assert_eq!(Pallet::<T>::do_on_block(block), round::BlockWork::Sampled);
		}
		assert_eq!(Oracle::<T>::get().last_block, block);
	}

	/// A block that retries the drop of VCAI bought earlier.
	#[benchmark]
	fn on_initialize_drop() {
		with_pool::<T>();
		use_params::<T>(POOL_USDV, Perbill::from_percent(3));
		LastRound::<T>::put(RoundState { done: true, ..RoundState::new(0) });
		let treasury = Pallet::<T>::treasury_account();
		let _ = T::Currency::set_balance(&treasury, T::Currency::minimum_balance() + 1_000 * VCAI);
		Ledger::<T>::mutate(|l| l.vcai_bought = 1_000 * VCAI);
		let block = WINDOW + 2;
		#[block]
		{
			assert_eq!(Pallet::<T>::do_on_block(block), round::BlockWork::Dropped);
		}
		assert_eq!(Ledger::<T>::get().vcai_awaiting_drop(), 0);
	}

	/// A round at its worst: USDV and VCAI found outside the books, a chunk as large as the pool's USDV
	/// side so that only the last halving fits a 1% bound, then the swap and the drop.
	#[benchmark]
	fn on_initialize_round(n: Linear<10, MAX_LOCKERS>) {
		T::BenchmarkHelper::fill_lockers(n);
		with_pool::<T>();
		let (reserve, _) = T::Pool::reserves().expect("the helper created the pool");
		use_params::<T>(reserve, Perbill::from_percent(1));
		let treasury = Pallet::<T>::treasury_account();
		let _ = T::Stablecoin::mint_into(&treasury, 2 * reserve);
		let _ = T::Currency::set_balance(&treasury, T::Currency::minimum_balance() + VCAI);
		let block = WINDOW + 2;
		#[block]
		{
			assert_eq!(Pallet::<T>::do_on_block(block), round::BlockWork::Round);
		}
		let last = LastBuyback::<T>::get().expect("the round swapped");
		assert_eq!(last.usdv_in, reserve >> MAX_CHUNK_HALVINGS);
		assert_eq!(Ledger::<T>::get().vcai_awaiting_drop(), 0);
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = BuybackParams {
			interval_days: 2,
			max_slippage: Perbill::from_percent(2),
			max_chunk: 5_000 * USDV,
			twap_window: 10,
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
