//! # Buyback treasury
//!
//! Closes the value loop (docs/economics.md#buyback): protocol fees in USDV become VCAI for veVCAI
//! lockers.
//!
//! - **Revenue.** The pallet is the market's [`vcity_primitives::RevenueSink`]: protocol fees
//!   land in the treasury account (derived from [`Config::PalletId`]) and are recorded per day
//!   and since genesis, the DAO's revenue metric.
//! - **Price.** The AMM quotes only the spot price, which one trade can move. In every block's
//!   `on_initialize` the pallet samples the pool's reserves into a cumulative price, so the
//!   time-weighted average over the last `twap_window` blocks costs two reads. A one-block spike
//!   moves that average by 1/`twap_window` of the spike.
//! - **Rounds.** From the first block of every `interval_days`-th day the treasury sells a chunk
//!   of at most `max_chunk` USDV a block, accepting no less than the time-weighted quote less
//!   `max_slippage`; when the pool cannot fill that, the chunk is halved a bounded number of
//!   times. The round goes on block after block until all it holds is sold, so a day's revenue
//!   is spent within the day whatever its size; when the price stops it, it waits a few blocks
//!   (longer each time) for the average to catch up and tries again, until the next round's day.
//!   What the pool could not take is reported as the round's carry and sold by the next round.
//!   A missing pool, an empty treasury, a price outside the bound or a failing swap keep the
//!   funds and emit an event; no round can stop block production.
//! - **Drop.** All VCAI bought goes to the veVCAI distributor ([`Config::LockerRewards`]) as the
//!   day's drop. While the distributor refuses (it is closing days a stall left open), the VCAI
//!   waits in the treasury and the next block retries.
//!
//! Every USDV and VCAI is accounted for: USDV recorded in = USDV swapped + USDV held, and VCAI
//! bought = VCAI dropped + VCAI awaiting its drop (`try_state`).
//!
//! See `docs/buyback.md` for the price oracle, its bounds and the round's rules.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use pool::BuybackPool;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod oracle;
mod pool;
mod query;
mod revenue;
mod round;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

const LOG_TARGET: &str = "runtime::buyback";

/// Halvings of the chunk a round tries before it gives up on a thin pool: the smallest chunk
/// tried is 1/256 of the first.
pub const MAX_CHUNK_HALVINGS: u32 = 8;

/// Days of revenue kept for the per-day figures; older days are overwritten.
pub const REVENUE_DAYS_KEPT: u32 = 366;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_core::U256;
	use vcity_primitives::{Balance, BuybackRecord, Clock, DayIndex, LockerRewards, VcaiPerUsdv};

	/// Version 0: the layout since the buyback's first release.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// USDV, in which revenue arrives and which the rounds sell.
		type Stablecoin: Inspect<Self::AccountId, Balance = Balance> + Mutate<Self::AccountId>;
		/// VCAI, which the rounds buy.
		type Currency: Inspect<Self::AccountId, Balance = Balance> + Mutate<Self::AccountId>;
		/// The VCAI/USDV pool of the on-chain AMM.
		type Pool: BuybackPool<Self::AccountId>;
		/// Where the VCAI bought goes: the veVCAI distributor.
		type LockerRewards: LockerRewards<Self::AccountId, Balance>;
		/// The chain's one clock: rounds fall on day boundaries.
		type Clock: Clock;
		/// Sets the buyback's parameters.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Derives the treasury account. Genesis must give it the existential deposit in VCAI,
		/// which it keeps, so the VCAI bought can be dropped in full.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Shortest averaging window governance may set, in blocks: a window of one block would
		/// be the spot price, which the block before a round can set.
		#[pallet::constant]
		type MinTwapWindow: Get<u32>;
		/// Longest averaging window governance may set, in blocks; the price history keeps one
		/// sample more than this.
		#[pallet::constant]
		type MaxTwapWindow: Get<u32>;
		/// Longest interval between rounds governance may set, in days.
		#[pallet::constant]
		type MaxIntervalDays: Get<DayIndex>;
		type WeightInfo: WeightInfo;
		/// Creates the pool and funds accounts for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The governance-set parameters of the rounds and of the price average.
	#[pallet::storage]
	pub type Params<T> = StorageValue<_, BuybackParams, ValueQuery>;

	/// The cumulative price and how many consecutive blocks sampled it.
	#[pallet::storage]
	pub type Oracle<T> = StorageValue<_, PriceOracle, ValueQuery>;

	/// Cumulative price after each of the last `MaxTwapWindow + 1` blocks, by block number
	/// modulo that length.
	#[pallet::storage]
	pub type PriceHistory<T> = StorageMap<_, Twox64Concat, u32, U256, ValueQuery>;

	/// The treasury's books since genesis.
	#[pallet::storage]
	pub type Ledger<T> = StorageValue<_, TreasuryLedger, ValueQuery>;

	/// Revenue of each of the last [`REVENUE_DAYS_KEPT`] days, by day modulo that length.
	#[pallet::storage]
	pub type RevenueByDay<T> = StorageMap<_, Twox64Concat, u32, DayRevenue, OptionQuery>;

	/// The current or last round: its day, and whether it is over or may try again.
	#[pallet::storage]
	pub type LastRound<T> = StorageValue<_, RoundState, OptionQuery>;

	/// The last round that swapped.
	#[pallet::storage]
	pub type LastBuyback<T> = StorageValue<_, BuybackRecord, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub params: BuybackParams,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(error) = Pallet::<T>::check_params(&self.params) {
				panic!("invalid buyback parameters at genesis: {error:?}");
			}
			Params::<T>::put(self.params);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Protocol revenue reached the treasury.
		RevenueReceived { amount: Balance, day: DayIndex },
		/// USDV found in the treasury beyond what its books explain (a direct transfer) was
		/// taken into the books, to be sold with the revenue.
		OtherIncomeRecorded { amount: Balance },
		/// VCAI found in the treasury beyond its deposit and what awaits its drop (a direct
		/// transfer) was taken into the books, to be dropped with the VCAI bought.
		OtherVcaiRecorded { amount: Balance },
		/// A round sold a chunk of USDV for VCAI.
		BoughtBack {
			day: DayIndex,
			usdv_in: Balance,
			vcai_out: Balance,
			twap: VcaiPerUsdv,
			min_out: Balance,
			/// USDV left to sell: the round's next block sells more of it.
			carried: Balance,
		},
		/// A round's attempt sold nothing. With `will_retry` the round tries again in a later
		/// block of its day, else the USDV waits for the next round.
		RoundSkipped { day: DayIndex, reason: SkipReason, carried: Balance, will_retry: bool },
		/// A round is over: it sold everything, or the next round's day came first. `carried` is
		/// what the pool could not take within the bound: the next round sells it.
		RoundEnded { day: DayIndex, usdv_in: Balance, vcai_out: Balance, chunks: u32, carried: Balance },
		/// VCAI bought went to the veVCAI distributor as the day's drop.
		RewardsDropped { day: DayIndex, amount: Balance },
		/// The distributor refused the drop; the VCAI stays in the treasury and the next block
		/// tries again.
		DropDeferred { amount: Balance, error: DispatchError },
		/// Governance changed the parameters.
		ParamsSet { params: BuybackParams },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The interval is zero days or longer than `MaxIntervalDays`.
		IntervalOutOfRange,
		/// The averaging window is shorter than `MinTwapWindow` or longer than `MaxTwapWindow`.
		WindowOutOfRange,
		/// A slippage bound of half the price or more would protect nothing.
		SlippageTooLarge,
		/// A round could never sell anything with a zero chunk.
		ZeroChunk,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::on_block(n)
		}

		fn integrity_test() {
			assert!(T::MinTwapWindow::get() > 0, "the price average needs a window of one block or more");
			assert!(T::MinTwapWindow::get() <= T::MaxTwapWindow::get(), "the window bounds are inverted");
			assert!(T::MaxIntervalDays::get() > 0, "rounds need an interval of one day or more");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the interval between rounds, the slippage bound, the largest chunk sold per
		/// round and the averaging window of the price. A new window applies at once when the
		/// history already holds enough samples, else when it has filled.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: BuybackParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::check_params(&params)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsSet { params });
			Ok(())
		}
	}
}
