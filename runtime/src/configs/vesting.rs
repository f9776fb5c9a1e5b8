//! Token release schedules (`pallet-vesting`), on the chain clock.

use crate::{Balance, Balances, BlockNumber, Runtime, RuntimeEvent, VESTING_TICK_MS};
use frame_support::{parameter_types, traits::WithdrawReasons};
use sp_runtime::traits::{BlockNumberProvider, ConvertInto};
use vcity_primitives::{Clock, VCAI};

parameter_types! {
	pub const MinVestedTransfer: Balance = VCAI;
	pub UnvestedFundsAllowedWithdrawReasons: WithdrawReasons =
		WithdrawReasons::except(WithdrawReasons::TRANSFER | WithdrawReasons::RESERVE);
}

impl pallet_vesting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BlockNumberToBalance = ConvertInto;
	type MinVestedTransfer = MinVestedTransfer;
	type WeightInfo = pallet_vesting::weights::SubstrateWeight<Runtime>;
	type UnvestedFundsAllowedWithdrawReasons = UnvestedFundsAllowedWithdrawReasons;
	/// Schedules start and run in ticks of the chain clock ([`VestingClock`]), so a vested
	/// transfer names its start in ticks too (docs/economics.md#vesting).
	type BlockNumberProvider = VestingClock;
	const MAX_VESTING_SCHEDULES: u32 = 28;
}

/// Vesting's notion of "now": 6-second ticks of the timestamp since the chain's first block.
///
/// Counting blocks, a release would slip by every missed slot, and 30-day months ended the team's
/// schedule near day 1,800 instead of 1,826. Counting the timestamp, every bucket unlocks on its
/// calendar date. Before the first block's timestamp (genesis) it is tick 0.
pub struct VestingClock;

impl BlockNumberProvider for VestingClock {
	type BlockNumber = BlockNumber;

	fn current_block_number() -> BlockNumber {
		let Some(start_ms) = pallet_chain_clock::Calendar::<Runtime>::get().start_ms else { return 0 };
		let ticks = <crate::ChainClock as Clock>::now_ms().saturating_sub(start_ms) / VESTING_TICK_MS;
		BlockNumber::try_from(ticks).unwrap_or(BlockNumber::MAX)
	}
}
