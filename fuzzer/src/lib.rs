//! # Vcity runtime fuzzer
//!
//! An input is a byte string that drives a chain from the `dev-fast` genesis (days of a minute,
//! so days, periods and rounds turn within a few blocks): block after block, how many slots pass,
//! then calls with random and boundary arguments (`calls.rs`), each signed mostly by the account
//! it is meant for (a node's owner or operator, a task's owner, a drawn verifier) and otherwise by
//! any, applied through every transaction extension, the feeless heartbeat path among them. After
//! every block, every pallet's `try_state` and the global invariants (`invariants.rs`) must hold,
//! and nothing may panic.
//!
//! Inputs are read through `arbitrary::Unstructured`, so the same bytes always replay the same
//! chain (the corpus in `fuzzer/corpus/` is such inputs), and a coverage-guided fuzzer can drive
//! [`Fuzzer::run`] as it is.

pub mod calls;
pub mod chain;
pub mod invariants;

use arbitrary::Unstructured;
use chain::{Applied, Chain, Signer};
use frame_support::traits::GetCallMetadata;
use sp_runtime::Storage;
use std::collections::BTreeSet;
use vcity_runtime::{configs::amm::UsdvKind, AccountId, RuntimeCall};

/// The chain's first block time: a round number of days after the epoch, so day and period
/// boundaries fall where the preset's calendar puts them.
const START_MS: u64 = 1_700_006_400_000;
/// Blocks one input may build: enough for tasks to run, periods to close and cases to execute.
const MAX_BLOCKS: u32 = 400;
/// Calls one block may carry.
const MAX_CALLS_PER_BLOCK: u32 = 24;

/// The accounts that sign: five funded dev accounts and three that block 1 funds from Bob. Never
/// Alice, the dev chain's sudo key: a root call may mint, and the invariants hold for everyone
/// else.
const SIGNER_URIS: [&str; 8] =
	["//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie", "//Fuzz1", "//Fuzz2", "//Fuzz3"];

/// What one input did.
#[derive(Default, Debug)]
pub struct Report {
	pub blocks: u32,
	/// Calls applied: included (successful or failed) or refused before dispatch.
	pub calls: u64,
	pub succeeded: u64,
	pub failed: u64,
	pub refused: u64,
	/// Each distinct `pallet::call -> outcome` seen: the fuzzer's measure of coverage.
	pub outcomes: BTreeSet<String>,
}

/// Why an input failed the chain.
#[derive(Debug)]
pub enum Failure {
	/// The runtime panicked: in a call (`during` names it) or in a block's hooks.
	Panic { block: u32, during: String, message: String },
	/// An invariant broke at the end of a block, or a USDV supply change nobody authorized.
	Broken { block: u32, what: String },
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Failure::Panic { block, during, message } => {
				write!(f, "panic in block {block} during {during}: {message}")
			}
			Failure::Broken { block, what } => write!(f, "invariant broken at block {block}: {what}"),
		}
	}
}

thread_local! {
	/// Where the last panic on this thread happened, as the panic hook saw it.
	static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the panic hook with one that prints nothing and keeps the panic's file and line for
/// [`Failure::Panic`] (the unwound payload has the message, not the place).
pub fn record_panic_locations() {
	std::panic::set_hook(Box::new(|info| {
		let at = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
		PANIC_AT.with(|cell| *cell.borrow_mut() = at);
	}));
}

/// Where the chain is, for a panic's report.
#[derive(Default)]
struct Position {
	block: std::cell::Cell<u32>,
	during: std::cell::Cell<String>,
}

pub struct Fuzzer {
	genesis: Storage,
	signers: Vec<Signer>,
	accounts: Vec<AccountId>,
}

impl Default for Fuzzer {
	fn default() -> Self {
		Self::new()
	}
}

impl Fuzzer {
	pub fn new() -> Self {
		let signers: Vec<Signer> = SIGNER_URIS.iter().map(|uri| Signer::from_uri(uri)).collect();
		let accounts = signers.iter().map(|s| s.account.clone()).collect();
		Fuzzer {
			genesis: chain::genesis(vcity_runtime::genesis_config_presets::DEV_FAST_PRESET),
			signers,
			accounts,
		}
	}

	/// Runs one input on a fresh chain. A panic anywhere is caught and returned as a failure.
	pub fn run(&self, data: &[u8]) -> Result<Report, Failure> {
		let mut ext = sp_io::TestExternalities::new(self.genesis.clone());
		let at = Position::default();
		let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			ext.execute_with(|| self.drive(&mut Unstructured::new(data), &at))
		}));
		match result {
			Ok(outcome) => outcome,
			Err(panic) => {
				let mut message = panic
					.downcast_ref::<String>()
					.cloned()
					.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
					.unwrap_or_else(|| "a panic without a message".into());
				if let Some(at) = PANIC_AT.with(|cell| cell.borrow_mut().take()) {
					message = format!("{message} (at {at})");
				}
				Err(Failure::Panic { block: at.block.get(), during: at.during.take(), message })
			}
		}
	}

	fn drive(&self, u: &mut Unstructured, at: &Position) -> Result<Report, Failure> {
		let mut report = Report::default();
		let mut chain = Chain::new(START_MS);
		let world = calls::World { accounts: &self.accounts };
		let issuer = invariants::usdv_issuer();
		// USDV's supply as its issuer's calls left it: nothing else may move it.
		let mut usdv_supply = invariants::usdv_issuance();
		let broken = |block: u32, what: String| Failure::Broken { block, what };
		self.fund_empty_signers(&mut chain);
		while !u.is_empty() && chain.number() <= MAX_BLOCKS {
			at.block.set(chain.number());
			at.during.set("the block's initialization".into());
			let slots = slots_to_next_block(u);
			chain.open_block(slots);
			if invariants::usdv_issuance() != usdv_supply {
				return Err(broken(
					chain.number(),
					"a block's initialization changed the USDV supply".into(),
				));
			}
			let calls = u.int_in_range(0..=MAX_CALLS_PER_BLOCK).unwrap_or(0);
			for _ in 0..calls {
				let Ok((account, call)) = calls::signed_call(u, &world) else { break };
				let signer = self.signers.iter().find(|s| s.account == account).unwrap_or(&self.signers[0]);
				let fee_asset = u.ratio(1, 8).unwrap_or(false).then(UsdvKind::get);
				let tip =
					if u.ratio(1, 16).unwrap_or(false) { u.arbitrary::<u128>().unwrap_or(0) } else { 0 };
				let label = call_label(&call);
				at.during.set(format!("{label} signed by {}: {call:?}", signer.account));
				let usdv = invariants::usdv_issuance();
				let applied = chain.apply_signed(signer, call, fee_asset, tip);
				if invariants::usdv_issuance() != usdv {
					if issuer.as_ref() != Some(&signer.account) {
						return Err(broken(
							chain.number(),
							format!("{label} signed by {} changed the USDV supply", signer.account),
						));
					}
					usdv_supply = invariants::usdv_issuance();
				}
				report.calls += 1;
				let outcome = match applied {
					Applied::Included(Ok(())) => {
						report.succeeded += 1;
						"ok".to_string()
					}
					Applied::Included(Err(error)) => {
						report.failed += 1;
						format!("{error:?}")
					}
					Applied::Refused(refused) => {
						report.refused += 1;
						format!("refused {refused:?}")
					}
				};
				report.outcomes.insert(format!("{label} -> {outcome}"));
			}
			let number = chain.number();
			at.during.set("the block's finalization".into());
			chain.close_block();
			if invariants::usdv_issuance() != usdv_supply {
				return Err(broken(number, "a block's finalization changed the USDV supply".into()));
			}
			invariants::check_block(number).map_err(|e| broken(number, e.0))?;
			report.blocks += 1;
		}
		Ok(report)
	}
}

impl Fuzzer {
	/// Block 1, the same for every input: Bob sends each empty signer VCAI and USDV, so an
	/// operator key among them can pay for its node's steps (only heartbeats are free) and a
	/// user among them can pay a task's escrow. Before any input byte is read, so the corpus
	/// replays the same chain.
	fn fund_empty_signers(&self, chain: &mut Chain) {
		let bob = &self.signers[0];
		chain.open_block(1);
		for signer in &self.signers[SIGNER_URIS.len() - 3..] {
			let to = sp_runtime::MultiAddress::Id(signer.account.clone());
			let vcai = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: to.clone(),
				value: FUNDING_VCAI,
			});
			let usdv = RuntimeCall::Assets(pallet_assets::Call::transfer_keep_alive {
				id: vcity_primitives::USDV_ASSET_ID.into(),
				target: to,
				amount: FUNDING_USDV,
			});
			for call in [vcai, usdv] {
				let applied = chain.apply_signed(bob, call, None, 0);
				assert!(
					matches!(applied, Applied::Included(Ok(()))),
					"the funding of {} failed",
					signer.account
				);
			}
		}
		chain.close_block();
	}
}

/// What block 1 gives each empty signer: a node's stake and a few tasks' escrow.
const FUNDING_VCAI: u128 = 100_000 * vcity_primitives::VCAI;
const FUNDING_USDV: u128 = 10_000 * vcity_primitives::USDV;

/// Slots between blocks: mostly the next slot, sometimes a jump of minutes to a week, so days,
/// periods, deadlines and windows pass within an input.
fn slots_to_next_block(u: &mut Unstructured) -> u64 {
	match u.int_in_range(0u8..=31).unwrap_or(0) {
		0 => 10,
		1 => 100,
		2 => 600,
		3 => 14_400,
		4 => 100_800,
		_ => 1,
	}
}

/// `Pallet::call`, as the metadata names it.
pub fn call_label(call: &RuntimeCall) -> String {
	let meta = call.get_call_metadata();
	format!("{}::{}", meta.pallet_name, meta.function_name)
}
