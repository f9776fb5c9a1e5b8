//! Block time, days and periods. `fast-runtime` shrinks days and periods to minutes so that
//! end-to-end tests see whole periods.

use crate::BlockNumber;
use vcity_primitives::Moment;

/// Aura slot and target block time.
pub const MILLI_SECS_PER_BLOCK: Moment = 6_000;
pub const SLOT_DURATION: Moment = MILLI_SECS_PER_BLOCK;

pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;
/// A month of the token release schedules: 30 days.
pub const MONTHS: BlockNumber = DAYS * 30;

/// Length of a chain-clock day.
#[cfg(not(feature = "fast-runtime"))]
pub const DAY_MS: Moment = 24 * 3_600_000;
#[cfg(feature = "fast-runtime")]
pub const DAY_MS: Moment = 60_000;

/// Length of an economic period at genesis: a week of chain-clock days; under `fast-runtime` one
/// day (ten blocks), so end-to-end tests see periods close. Governance may change it later.
#[cfg(not(feature = "fast-runtime"))]
pub const PERIOD_MS: Moment = 7 * DAY_MS;
#[cfg(feature = "fast-runtime")]
pub const PERIOD_MS: Moment = DAY_MS;

/// Heartbeat window at genesis, and the bounds governance may move it within.
#[cfg(not(feature = "fast-runtime"))]
pub const HEARTBEAT_WINDOW_MS: Moment = 10 * 60_000;
#[cfg(feature = "fast-runtime")]
pub const HEARTBEAT_WINDOW_MS: Moment = 30_000;
#[cfg(not(feature = "fast-runtime"))]
pub const MIN_HEARTBEAT_WINDOW_MS: Moment = 60_000;
#[cfg(feature = "fast-runtime")]
pub const MIN_HEARTBEAT_WINDOW_MS: Moment = 12_000;
pub const MAX_HEARTBEAT_WINDOW_MS: Moment = 24 * 3_600_000;

/// Blocks between deregistering a node and the return of its stake.
#[cfg(not(feature = "fast-runtime"))]
pub const UNBONDING_PERIOD: BlockNumber = 7 * DAYS;
#[cfg(feature = "fast-runtime")]
pub const UNBONDING_PERIOD: BlockNumber = 10;

/// Blocks a node has to acknowledge a task, and an owner to rate or dispute a delivery.
#[cfg(not(feature = "fast-runtime"))]
pub const TASK_ACK_WINDOW: BlockNumber = MINUTES;
#[cfg(feature = "fast-runtime")]
pub const TASK_ACK_WINDOW: BlockNumber = 5;
#[cfg(not(feature = "fast-runtime"))]
pub const TASK_DISPUTE_WINDOW: BlockNumber = HOURS;
#[cfg(feature = "fast-runtime")]
pub const TASK_DISPUTE_WINDOW: BlockNumber = 4;
/// Blocks a dispute may stay open before the task settles as delivered.
#[cfg(not(feature = "fast-runtime"))]
pub const TASK_RESOLUTION_WINDOW: BlockNumber = 7 * DAYS;
#[cfg(feature = "fast-runtime")]
pub const TASK_RESOLUTION_WINDOW: BlockNumber = 20;
/// Blocks an ended task stays readable over RPC before its record is dropped.
#[cfg(not(feature = "fast-runtime"))]
pub const TASK_RETENTION: BlockNumber = 30 * DAYS;
#[cfg(feature = "fast-runtime")]
pub const TASK_RETENTION: BlockNumber = 100;

/// Blocks the buyback's price average spans: an hour, so a trade must hold the pool's price for
/// an hour to move the average fully. Under `fast-runtime` (a day is ten blocks) three blocks.
#[cfg(not(feature = "fast-runtime"))]
pub const BUYBACK_TWAP_WINDOW: BlockNumber = HOURS;
#[cfg(feature = "fast-runtime")]
pub const BUYBACK_TWAP_WINDOW: BlockNumber = 3;
/// Shortest window governance may set for the buyback's average.
#[cfg(not(feature = "fast-runtime"))]
pub const MIN_BUYBACK_TWAP_WINDOW: BlockNumber = MINUTES;
#[cfg(feature = "fast-runtime")]
pub const MIN_BUYBACK_TWAP_WINDOW: BlockNumber = 2;
