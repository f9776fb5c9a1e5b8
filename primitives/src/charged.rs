//! The sizes of state at which the pallets' calls and hooks are charged.
//!
//! A call that makes a fixed number of storage accesses still costs more in a larger state: each
//! access walks the state trie, which deepens with the log of a map's entries. Measured on the
//! benchmark database, a heartbeat's time rises from 10 to about 20,000 registered nodes (the
//! trie gains about three levels) and is flat from 20,000 to 100,000: a logarithm, not a line.
//! So each call is benchmarked at a small and at a large state, its weight is the line fitted
//! through both, and the runtime reads that line at twice the largest state measured. There it
//! lies above the logarithmic cost of a far larger state (a register of 10 million nodes), so the
//! charge stays an upper bound without pricing a call as if its cost grew linearly
//! (`docs/architecture.md`).

/// Registered nodes, open tasks and rewarded accounts at which the registry's, the market's and
/// the rewards' calls and hooks are charged: twice the 100,000 their benchmarks store.
pub const CHARGED_NETWORK_SIZE: u32 = 200_000;

/// veVCAI lockers at which veVCAI's calls and its day close are charged: twice the 1,000,000
/// its benchmarks store.
pub const CHARGED_LOCKERS: u32 = 2_000_000;

/// veVCAI lockers at which the buyback's daily round is charged: the largest state its benchmark
/// stores, not twice it. The round reads no locker (its drop is O(1)); the lockers in storage
/// stand only for the depth of the trie its accesses walk. Charging it at [`CHARGED_LOCKERS`]
/// would raise the round's weight by 0.7 ms.
pub const CHARGED_ROUND_LOCKERS: u32 = 1_000_000;
