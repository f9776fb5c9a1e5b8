//! The time-weighted price: one sample of the pool's spot price per block, kept as a running sum
//! so the average over any window up to `MaxTwapWindow` blocks costs two reads.

use crate::{pallet::*, BuybackPool};
use frame_support::traits::Get;
use sp_core::U256;
use sp_runtime::{PerThing, Perbill};
use vcity_primitives::{Balance, VcaiPerUsdv, USDV};

/// VCAI base units one whole USDV buys at the reserves' ratio; `None` for an empty side.
pub fn spot_price(usdv_reserve: Balance, vcai_reserve: Balance) -> Option<VcaiPerUsdv> {
	if usdv_reserve == 0 || vcai_reserve == 0 {
		return None;
	}
	let price = U256::from(vcai_reserve).saturating_mul(U256::from(USDV)) / U256::from(usdv_reserve);
	Some(saturate(price))
}

/// The least VCAI that selling `usdv_in` must buy: its worth at `price` less `slippage`,
/// rounded down.
pub fn min_out(usdv_in: Balance, price: VcaiPerUsdv, slippage: Perbill) -> Balance {
	let worth = U256::from(usdv_in).saturating_mul(U256::from(price)) / U256::from(USDV);
	let kept = U256::from(slippage.left_from_one().deconstruct());
	saturate(worth.saturating_mul(kept) / U256::from(Perbill::ACCURACY))
}

fn saturate(value: U256) -> Balance {
	Balance::try_from(value).unwrap_or(Balance::MAX)
}

impl<T: Config> Pallet<T> {
	/// Blocks of cumulative prices kept: one more than the longest window.
	pub(crate) fn history_len() -> u32 {
		T::MaxTwapWindow::get().saturating_add(1)
	}

	/// Samples the pool's spot price at the start of `block`, before any of its transactions:
	/// a trade can only move the samples of the blocks after it.
	pub(crate) fn sample_price(block: u32) {
		let len = Self::history_len();
		let mut oracle = Oracle::<T>::get();
		if oracle.history_len != len {
			oracle.history_len = len;
			oracle.samples = 0;
		}
		match T::Pool::reserves().and_then(|(usdv, vcai)| spot_price(usdv, vcai)) {
			Some(price) => {
				if oracle.last_block.checked_add(1) != Some(block) {
					oracle.samples = 0;
				}
				// Only differences of the sum are ever used, and they survive wrapping.
				oracle.cumulative = oracle.cumulative.overflowing_add(U256::from(price)).0;
				PriceHistory::<T>::insert(block % len, oracle.cumulative);
				oracle.samples = oracle.samples.saturating_add(1).min(len);
				oracle.last_price = price;
			}
			None => {
				oracle.samples = 0;
				oracle.last_price = 0;
			}
		}
		oracle.last_block = block;
		Oracle::<T>::put(oracle);
	}

	/// The mean of the last `window` samples, the latest included; `None` until `window`
	/// consecutive blocks have been sampled with a pool holding liquidity.
	pub fn average_price(window: u32) -> Option<VcaiPerUsdv> {
		let len = Self::history_len();
		let oracle = Oracle::<T>::get();
		if window == 0 || window >= len || oracle.history_len != len || oracle.samples <= window {
			return None;
		}
		let before = PriceHistory::<T>::get(oracle.last_block.saturating_sub(window) % len);
		let sum = oracle.cumulative.overflowing_sub(before).0;
		Some(saturate(sum / U256::from(window)))
	}
}

/// The price other pallets value VCAI at: the average over the longest window the oracle keeps
/// (a day of the chain's clock in the runtime). The rewards pallet reads it once a period, at a
/// block anyone can foresee, to value the fee caps: moving a day's average takes holding the
/// pool off its price for a day against every arbitrageur, where the rounds' hour would not.
impl<T: Config> vcity_primitives::VcaiPrice for Pallet<T> {
	fn vcai_per_usdv() -> Option<VcaiPerUsdv> {
		Self::average_price(T::MaxTwapWindow::get())
	}
}
