//! Units every pallet agrees on.

/// Balance of VCAI (18 decimals) and of USDV (6 decimals) in base units.
pub type Balance = u128;
/// Milliseconds since the Unix epoch, as `pallet-timestamp` keeps them.
pub type Moment = u64;
/// Compute is metered in GPU-seconds everywhere, so capacity offered and consumed compare exactly.
pub type GpuSeconds = u64;
/// Index of a day since the chain's first block.
pub type DayIndex = u32;
/// Index of an economic period (stake schedule, rewards) since the chain's first block.
pub type PeriodIndex = u32;

/// Decimals of the native token VCAI.
pub const VCAI_DECIMALS: u8 = 18;
/// One VCAI in base units.
pub const VCAI: Balance = 1_000_000_000_000_000_000;
/// Decimals of the USDV stablecoin.
pub const USDV_DECIMALS: u8 = 6;
/// One USDV in base units.
pub const USDV: Balance = 1_000_000;
/// Asset id of USDV in `pallet-assets`.
pub const USDV_ASSET_ID: u32 = 1000;

/// Cost of `seconds` on `gpus` GPUs at `price_per_gpu_hour`, rounded up so that a node is never
/// paid less than its price: ceil(price × GPUs × seconds / 3600). `None` on overflow.
pub fn compute_cost(price_per_gpu_hour: Balance, gpus: u32, seconds: u64) -> Option<Balance> {
	let gpu_seconds = (gpus as u128).checked_mul(seconds as u128)?;
	let numerator = price_per_gpu_hour.checked_mul(gpu_seconds)?;
	Some(numerator.div_ceil(3600))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn cost_rounds_up_and_is_exact_on_whole_hours() {
		assert_eq!(compute_cost(2 * USDV, 4, 3600), Some(8 * USDV));
		// One GPU-second at 1 base unit per hour still costs one base unit.
		assert_eq!(compute_cost(1, 1, 1), Some(1));
		assert_eq!(compute_cost(3600, 1, 1), Some(1));
		assert_eq!(compute_cost(3601, 1, 1), Some(2));
		assert_eq!(compute_cost(u128::MAX, 2, 1), None);
	}
}
