//! What the pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::U256;
pub use vcity_primitives::BuybackParams;
use vcity_primitives::{Balance, DayIndex, VcaiPerUsdv};

/// The running sum of the sampled prices.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PriceOracle {
	/// Σ of every sample since the history last restarted.
	pub cumulative: U256,
	/// Block of the last sample.
	pub last_block: u32,
	/// Consecutive blocks sampled up to `last_block`, capped at the history's length. A block
	/// without a pool restarts the count: an average never spans a gap.
	pub samples: u32,
	/// The last sample: the spot price at the start of `last_block`.
	pub last_price: VcaiPerUsdv,
	/// Length of the history the samples were kept in. A runtime upgrade that changes
	/// `MaxTwapWindow` changes it, and the samples, kept under the old length, start over.
	pub history_len: u32,
}

/// The treasury's books since genesis, in base units.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TreasuryLedger {
	/// USDV recorded as protocol revenue.
	pub revenue: Balance,
	/// USDV that reached the treasury otherwise, recorded by the rounds that found it.
	pub other_income: Balance,
	/// USDV sold.
	pub usdv_swapped: Balance,
	/// VCAI bought.
	pub vcai_bought: Balance,
	/// VCAI that reached the treasury otherwise, recorded by the rounds that found it.
	pub vcai_other_income: Balance,
	/// VCAI handed to the distributor.
	pub vcai_dropped: Balance,
}

impl TreasuryLedger {
	/// USDV the books say the treasury holds.
	pub fn usdv_held(&self) -> Balance {
		self.revenue.saturating_add(self.other_income).saturating_sub(self.usdv_swapped)
	}

	/// VCAI bought or received and not yet dropped.
	pub fn vcai_awaiting_drop(&self) -> Balance {
		self.vcai_bought.saturating_add(self.vcai_other_income).saturating_sub(self.vcai_dropped)
	}
}

/// The current or last round. A round sells a chunk a block from its day's first block until
/// the treasury holds nothing to sell or the next round's day comes.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RoundState {
	/// The day the round is for.
	pub day: DayIndex,
	/// Attempts in a row the price stopped (no average, the bound not met, the swap refused);
	/// a sale resets it.
	pub failures: u8,
	/// First block the round may try in: the next block after a sale, later while the price
	/// stops it ([`retry_gap`]).
	pub next_try: u32,
	/// Whether it is over: it sold everything, or had nothing to sell.
	pub done: bool,
	/// USDV sold and VCAI bought by the round so far, and in how many chunks.
	pub usdv_in: Balance,
	pub vcai_out: Balance,
	pub chunks: u32,
}

impl RoundState {
	pub fn new(day: DayIndex) -> Self {
		Self { day, ..Default::default() }
	}
}

/// Blocks a round waits after its `failures`-th stop in a row: 1, 2, 4, … up to a quarter of the
/// averaging window, the time the average needs to move a quarter of the way to a new price.
/// Trying every block would spend weight and events on a pool that cannot fill; waiting longer
/// would leave the day's revenue unsold.
pub fn retry_gap(failures: u8, twap_window: u32) -> u32 {
	let doubling = 1u32 << failures.saturating_sub(1).min(16);
	doubling.min((twap_window / 4).max(1))
}

/// Revenue recorded on one day.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DayRevenue {
	pub day: DayIndex,
	pub amount: Balance,
}

/// Why a round sold nothing.
#[derive(
	Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Clone, Copy, PartialEq, Eq, Debug,
)]
pub enum SkipReason {
	/// The treasury holds nothing above its minimum balance.
	NothingToSell,
	/// The price history does not yet span the window (a new pool, or one that was empty).
	NoAveragePrice,
	/// The pool would pay less than the bound even for the smallest chunk tried.
	SlippageBound,
	/// The pool refused the swap; nothing moved.
	SwapFailed,
}
