//! Block time, the chain's lengths of time, and the lengths derived from its day.
//!
//! The length of a day is a genesis parameter of the chain clock: 24 hours on a real network,
//! a minute on the `dev-fast` chain. One binary runs both. Each preset sets its lengths from one
//! [`ChainTimes`]. Bounds that the economics state in a 24-hour day are scaled to the chain's
//! day here ([`DayScaledMs`], [`DayScaledBlocks`]): the 28-day unbonding, the 30-day retention of
//! ended tasks, and the one-minute floors of the heartbeat and price windows. So a fast chain
//! keeps their proportions. On 24-hour days each has the value it always had.

use crate::{BlockNumber, ChainClock};
use frame_support::traits::Get;
use vcity_primitives::{Clock, Moment};

/// Aura slot and target block time. Slot duration is read by the node before any state exists
/// and must never change on a running chain, so it stays a constant of the runtime.
pub const MILLI_SECS_PER_BLOCK: Moment = 6_000;
pub const SLOT_DURATION: Moment = MILLI_SECS_PER_BLOCK;

/// Blocks in a minute, an hour and a day of 24 hours.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;
/// Vesting counts ticks of the chain's timestamp, not blocks: 6 s of real time each, counted from
/// the chain's first block, so missed slots never delay a release. Token schedules count real
/// time whatever the chain's day, so `dev-fast`'s one-minute days do not shorten them.
pub const VESTING_TICK_MS: Moment = 6_000;
/// A month of the token release schedules, in vesting ticks: a twelfth of 365.25 days
/// (30.4375 days, 438,300 ticks), so each bucket unlocks on its calendar date.
pub const VESTING_MONTH: BlockNumber = (DAY_MS / VESTING_TICK_MS) as BlockNumber * 36_525 / 1_200;

/// A day of 24 hours: the length on a real network.
pub const DAY_MS: Moment = 24 * 3_600_000;
/// The shortest day a genesis may set: ten blocks, so each day has blocks for its rounds
/// and hooks.
pub const MIN_DAY_MS: Moment = 10 * MILLI_SECS_PER_BLOCK;

/// The lengths of time a genesis preset sets. Each can be changed later within its bounds,
/// except the day's length.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainTimes {
	/// Length of a day (chain clock); fixed for the chain's life.
	pub day_ms: Moment,
	/// Length of the first economic periods (chain clock; governed).
	pub period_ms: Moment,
	/// Heartbeat window (registry; governed).
	pub heartbeat_window_ms: Moment,
	/// Blocks a node has to acknowledge a task (market; governed).
	pub task_ack_window: BlockNumber,
	/// Blocks a node has to start a task it acknowledged before its owner may cancel it
	/// (market; governed).
	pub task_start_window: BlockNumber,
	/// Blocks an owner has to rate or dispute a delivery (market; governed).
	pub task_dispute_window: BlockNumber,
	/// Blocks a dispute may stay open before the task settles as delivered (market; governed).
	pub task_resolution_window: BlockNumber,
	/// Blocks the buyback's price average spans (buyback; governed).
	pub buyback_twap_window: BlockNumber,
	/// Blocks a slash is pending before it executes (slashing; governed).
	pub slash_deferral: BlockNumber,
	/// Blocks an appeal undecided at the end of the pending window may wait (slashing; governed).
	pub slash_appeal_grace: BlockNumber,
	/// Blocks over which earlier slashes count as repeats (slashing; governed).
	pub slash_repeat_window: BlockNumber,
	/// Blocks verifiers have to commit to an answer, on top of the work's time (verification;
	/// governed).
	pub audit_commit_window: BlockNumber,
	/// Blocks verifiers have to reveal it (verification; governed).
	pub audit_reveal_window: BlockNumber,
	/// Blocks of a referendum's discussion, decision, confirmation and least enactment delay,
	/// on every track (governance; governed). `None`: each track's production periods, in the
	/// chain's days.
	pub referendum_blocks: Option<[BlockNumber; 4]>,
}

/// A real network: 24-hour days, weekly periods, 10-minute heartbeat windows. A node has a
/// minute to acknowledge a task and half an hour to start it (an image pull), an owner an hour to dispute a delivery, a dispute a week to
/// be resolved. The buyback's average spans an hour, so a trade must hold the pool's price for
/// an hour to move it fully. A slash pends a week, an appeal may wait three days more for its
/// decision, and slashes count as repeats for 30 days. Verifiers have five minutes beyond the
/// work to commit to an answer and two more to reveal it.
pub const STANDARD_TIMES: ChainTimes = ChainTimes {
	day_ms: DAY_MS,
	period_ms: 7 * DAY_MS,
	heartbeat_window_ms: 10 * 60_000,
	task_ack_window: MINUTES,
	task_start_window: 30 * MINUTES,
	task_dispute_window: HOURS,
	task_resolution_window: 7 * DAYS,
	buyback_twap_window: HOURS,
	slash_deferral: 7 * DAYS,
	slash_appeal_grace: 3 * DAYS,
	slash_repeat_window: 30 * DAYS,
	audit_commit_window: 5 * MINUTES,
	audit_reveal_window: 2 * MINUTES,
	referendum_blocks: None,
};

/// The `dev-fast` chain: a day is a minute (ten blocks) and a period is a day, so a newcomer and
/// the end-to-end tests see a lock decay, a buyback round and a rewards period in minutes. The
/// windows stay long enough for a round trip of transactions: heartbeats every 30 s, five
/// blocks to acknowledge, ten to start, four to dispute, twenty to resolve, a three-block price
/// average; a slash pends fifteen blocks (a day and a half), long enough to appeal it.
pub const FAST_TIMES: ChainTimes = ChainTimes {
	day_ms: 60_000,
	period_ms: 60_000,
	heartbeat_window_ms: 30_000,
	task_ack_window: 5,
	task_start_window: 10,
	task_dispute_window: 4,
	task_resolution_window: 20,
	buyback_twap_window: 3,
	slash_deferral: 15,
	slash_appeal_grace: 10,
	slash_repeat_window: 300,
	audit_commit_window: 6,
	// Twice the worker's resubmission delay (four blocks), so a reveal lost once is sent again
	// in time.
	audit_reveal_window: 8,
	// A week of discussion would be seventy blocks here: referenda take two blocks of
	// discussion, twenty to decide, two to confirm and one to enact, so a newcomer and the
	// end-to-end tests see one through in a minute.
	referendum_blocks: Some([2, 20, 2, 1]),
};

/// `ms`, a length of a 24-hour day, on the chain's day. Never less than two blocks, so that a
/// window it bounds can hold a transaction and the block after it.
pub fn on_chain_day_ms(ms: Moment) -> Moment {
	let day = <ChainClock as Clock>::day_ms();
	let scaled = u128::from(ms).saturating_mul(u128::from(day)) / u128::from(DAY_MS);
	Moment::try_from(scaled).unwrap_or(Moment::MAX).max(2 * MILLI_SECS_PER_BLOCK)
}

/// `blocks` of a 24-hour day, on the chain's day (at least two blocks).
pub fn on_chain_day_blocks(blocks: BlockNumber) -> BlockNumber {
	let ms = on_chain_day_ms(Moment::from(blocks).saturating_mul(MILLI_SECS_PER_BLOCK));
	BlockNumber::try_from(ms / MILLI_SECS_PER_BLOCK).unwrap_or(BlockNumber::MAX)
}

/// A length of `MS` milliseconds of a 24-hour day, scaled to the chain's day.
pub struct DayScaledMs<const MS: Moment>;
impl<const MS: Moment> Get<Moment> for DayScaledMs<MS> {
	fn get() -> Moment {
		on_chain_day_ms(MS)
	}
}

/// A length of `BLOCKS` blocks of a 24-hour day, scaled to the chain's day.
pub struct DayScaledBlocks<const BLOCKS: BlockNumber>;
impl<const BLOCKS: BlockNumber> Get<BlockNumber> for DayScaledBlocks<BLOCKS> {
	fn get() -> BlockNumber {
		on_chain_day_blocks(BLOCKS)
	}
}
