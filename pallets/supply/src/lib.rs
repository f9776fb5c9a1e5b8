//! # Supply: the DAO's money
//!
//! The supply rules of the whitepaper (3.7) and the reserve fund, each behind its own DAO track
//! (docs/governance.md "Dynamic supply"):
//!
//! - **Quotas.** A revenue stage for every [`StageSizes::revenue`] (2,000,000 USDV) of cumulative
//!   net protocol fee income (the buyback's books), an equity stage for every
//!   [`StageSizes::equity`] (500,000,000 VCAI) in unexpired locks. Available quotas =
//!   min(revenue stages, equity stages) − strategic issuances executed.
//! - **Strategic issuance** ([`Pallet::strategic_issuance`]): mints VCAI to named partners, each
//!   grant vesting after a cliff, and consumes one quota. It is refused if this year's mints
//!   would exceed [`Config::YearlyCap`] (5%) of the supply at the year's start, a year being
//!   365 of the chain clock's days from genesis. It is the only way VCAI is minted.
//! - **Repricing** ([`Pallet::reprice`]): a value-neutral redenomination. No balance changes and
//!   no quota is used; the factor wallets apply ([`vcity_primitives::Denomination`]) is stored
//!   and reported.
//! - **Spending** ([`Pallet::spend`]): VCAI or USDV out of the DAO treasury, which holds the
//!   reserve and governance fund.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(any(feature = "try-runtime", feature = "std"))]
mod invariants;
mod issuance;
mod quotas;
mod repricing;
mod spending;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod tests;

/// The vesting schedules' clock reading.
pub type VestingMomentOf<T> =
	<<T as Config>::VestingClock as sp_runtime::traits::BlockNumberProvider>::BlockNumber;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, Currency as OldCurrency, VestingSchedule},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{traits::BlockNumberProvider, Perbill};
	use vcity_primitives::{Balance, Clock, DayIndex, Denomination, ProtocolRevenue, VeWeights};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// VCAI: minted by strategic issuance, paid out of the treasury.
		type Currency: fungible::Mutate<Self::AccountId, Balance = Balance>;
		/// USDV, paid out of the treasury.
		type Stablecoin: fungible::Mutate<Self::AccountId, Balance = Balance>;
		/// Puts a partner's grant under its vesting schedule (`pallet-vesting`).
		type Vesting: VestingSchedule<
			Self::AccountId,
			Moment = VestingMomentOf<Self>,
			Currency: OldCurrency<Self::AccountId, Balance = Balance>,
		>;
		/// The vesting schedules' "now".
		type VestingClock: BlockNumberProvider;
		/// The vesting clock's ticks in one of the chain clock's days.
		type VestingTicksPerDay: Get<u32>;
		/// Cumulative net protocol fee income: the revenue stages.
		type Revenue: ProtocolRevenue;
		/// VCAI in unexpired locks: the equity stages.
		type VeWeights: VeWeights<Self::AccountId>;
		/// The chain's one clock: years are 365 of its days from genesis.
		type Clock: Clock;
		/// The DAO treasury, which holds the reserve and governance fund.
		type TreasuryAccount: Get<Self::AccountId>;
		/// Executes a strategic issuance: its own track.
		type IssuanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Reprices VCAI: its own track.
		type RepricingOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Spends from the treasury: its own track.
		type SpendOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Share of the supply at a year's start that the year's strategic issuances may mint.
		#[pallet::constant]
		type YearlyCap: Get<Perbill>;
		/// Partners one strategic issuance may name.
		#[pallet::constant]
		type MaxPartners: Get<u32>;
		/// Longest cliff plus vesting, in days.
		#[pallet::constant]
		type MaxVestingDays: Get<u32>;
		type WeightInfo: WeightInfo;
		/// Gives the benchmarks a quota to use.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Days in one of the cap's years.
	pub const DAYS_PER_YEAR: DayIndex = 365;

	/// The stage sizes, set at genesis.
	#[pallet::storage]
	pub type Stages<T> = StorageValue<_, StageSizes, ValueQuery>;

	/// Strategic issuances executed: the quotas used.
	#[pallet::storage]
	pub type IssuancesExecuted<T> = StorageValue<_, u32, ValueQuery>;

	/// Each strategic issuance, by its index.
	#[pallet::storage]
	pub type Issuances<T> = StorageMap<_, Twox64Concat, u32, IssuanceRecord, OptionQuery>;

	/// VCAI minted by strategic issuances since genesis.
	#[pallet::storage]
	pub type TotalIssued<T> = StorageValue<_, Balance, ValueQuery>;

	/// The year of the last strategic issuance, and what it minted against the cap.
	#[pallet::storage]
	pub type Book<T> = StorageValue<_, YearBook, OptionQuery>;

	/// How wallets show VCAI after the repricings.
	#[pallet::storage]
	pub type CurrentDenomination<T> = StorageValue<_, Denomination, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub stages: StageSizes,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.stages.revenue > 0 && self.stages.equity > 0,
				"a stage of zero would give unlimited quotas"
			);
			Stages::<T>::put(self.stages);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A strategic issuance minted `minted` VCAI to `partners` partners, using one quota.
		StrategicIssuance {
			index: u32,
			partners: u32,
			minted: Balance,
			terms: VestingTerms,
			quotas_left: u32,
		},
		/// One partner's grant, vesting from `vesting_from` (the vesting clock's reading).
		Granted { index: u32, partner: T::AccountId, amount: Balance, vesting_from: VestingMomentOf<T> },
		/// VCAI was redenominated: a wallet now shows `numerator / denominator` times what it did.
		Repriced { numerator: u64, denominator: u64, denomination: Denomination },
		/// The treasury paid `amount` of `asset` to `to`.
		Spent { asset: TreasuryAsset, to: T::AccountId, amount: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A strategic issuance names at least one partner.
		NoGrants,
		/// Each partner appears once in an issuance.
		DuplicatePartner,
		/// A grant must reach the existential deposit.
		GrantBelowMinimum,
		/// A grant vests over at least one day.
		VestingTooShort,
		/// Cliff and vesting together exceed `MaxVestingDays`.
		VestingTooLong,
		/// No quota is available: min(revenue stages, equity stages) is all used.
		NoQuota,
		/// This year's strategic issuances would exceed the cap on the supply at its start.
		YearlyCapExceeded,
		/// A partner cannot take another vesting schedule.
		VestingUnavailable,
		/// A repricing's numerator and denominator are each from 1 to 1,000,000.
		RatioOutOfRange,
		/// A repricing of 1:1 changes nothing.
		NeutralRatio,
		/// The factor would leave 10^-9 to 10^9.
		FactorOutOfRange,
		/// Spending nothing.
		ZeroAmount,
		/// The treasury holds less than that beyond its existential deposit.
		InsufficientTreasury,
		/// A sum overflowed.
		ArithmeticOverflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Mints each grant to its partner under the vesting terms, using one quota, within the
		/// year's cap.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::strategic_issuance(grants.len() as u32))]
		pub fn strategic_issuance(
			origin: OriginFor<T>,
			grants: BoundedVec<(T::AccountId, Balance), T::MaxPartners>,
			terms: VestingTerms,
		) -> DispatchResult {
			T::IssuanceOrigin::ensure_origin(origin)?;
			Self::do_strategic_issuance(grants, terms)
		}

		/// Redenominates VCAI: a wallet shows `numerator / denominator` times the VCAI it did.
		/// No balance changes.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::reprice())]
		pub fn reprice(origin: OriginFor<T>, numerator: u64, denominator: u64) -> DispatchResult {
			T::RepricingOrigin::ensure_origin(origin)?;
			Self::do_reprice(numerator, denominator)
		}

		/// Pays `amount` of `asset` from the DAO treasury to `to`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::spend())]
		pub fn spend(
			origin: OriginFor<T>,
			asset: TreasuryAsset,
			to: T::AccountId,
			#[pallet::compact] amount: Balance,
		) -> DispatchResult {
			T::SpendOrigin::ensure_origin(origin)?;
			Self::do_spend(asset, to, amount)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
