//! What must hold after every block, beyond each pallet's own `try_state` (which the fuzzer also
//! runs): the VCAI supply is the genesis supply plus the strategic issuance executed, and every
//! unit of it sits in an account; USDV's supply moves only when its issuer signs; and every hold
//! of the runtime's own reasons, on every account, is the sum its records give, so a hold no record
//! names (which a pallet's owner-by-owner check cannot see) is found too.

use codec::Encode;
use frame_support::traits::{fungible::InspectHold, fungibles};
use frame_try_runtime::TryStateSelect;
use std::collections::BTreeMap;
use vcity_primitives::{Balance, USDV_ASSET_ID};
use vcity_runtime::{
	genesis_config_presets::TOTAL_SUPPLY, AccountId, AllPalletsWithSystem, Balances, Runtime,
	RuntimeHoldReason, System,
};

/// The stablecoin as the market and verification see it (USDV, with holds).
type Usdv = <Runtime as pallet_compute_market::Config>::Stablecoin;

/// A broken invariant, named.
#[derive(Debug)]
pub struct Broken(pub String);

/// Every pallet's `try_state` and the global invariants, at the end of a block.
pub fn check_block(number: u32) -> Result<(), Broken> {
	use frame_support::traits::TryState;
	AllPalletsWithSystem::try_state(number, TryStateSelect::All)
		.map_err(|e| Broken(format!("try_state: {e:?}")))?;
	vcai_supply()?;
	holds_match_records()
}

/// VCAI: exactly the genesis supply plus what strategic issuance minted, and every unit of it in
/// some account (free or reserved, holds included).
fn vcai_supply() -> Result<(), Broken> {
	let issuance = Balances::total_issuance();
	let minted = pallet_supply::TotalIssued::<Runtime>::get();
	if issuance != TOTAL_SUPPLY + minted {
		return Err(Broken(format!(
			"VCAI issuance {issuance} is not the genesis supply {TOTAL_SUPPLY} plus the strategic issuance {minted}"
		)));
	}
	let in_accounts: Balance = frame_system::Account::<Runtime>::iter_values()
		.map(|info| info.data.free.saturating_add(info.data.reserved))
		.fold(0, Balance::saturating_add);
	if in_accounts != issuance {
		return Err(Broken(format!("accounts hold {in_accounts} VCAI, the issuance is {issuance}")));
	}
	Ok(())
}

/// USDV in existence.
pub fn usdv_issuance() -> Balance {
	<pallet_assets::Pallet<Runtime> as fungibles::Inspect<AccountId>>::total_issuance(USDV_ASSET_ID)
}

/// USDV's issuer: the only account whose call may change its supply.
pub fn usdv_issuer() -> Option<AccountId> {
	pallet_assets::Asset::<Runtime>::get(USDV_ASSET_ID).map(|details| details.issuer)
}

/// A hold reason and an account, as a map key (the runtime's reason enum is not ordered).
type HoldKey = (Vec<u8>, AccountId);

/// The holds each record accounts for, by reason and account.
fn recorded_holds() -> Result<BTreeMap<HoldKey, Balance>, Broken> {
	use pallet_compute_registry::{HoldReason as Registry, Nodes, RecordDeposits};
	let mut held = BTreeMap::new();
	let mut orphans = Vec::new();
	let mut note = |reason: RuntimeHoldReason, who: &AccountId, amount: Balance| {
		if amount > 0 {
			let entry: &mut Balance = held.entry((reason.encode(), who.clone())).or_default();
			*entry = entry.saturating_add(amount);
		}
	};
	for node in Nodes::<Runtime>::iter_values() {
		note(Registry::NodeStake.into(), &node.owner, node.stake);
	}
	for (id, deposit) in RecordDeposits::<Runtime>::iter() {
		match Nodes::<Runtime>::get(id) {
			Some(node) => note(Registry::NodeRecord.into(), &node.owner, deposit),
			None => orphans.push(id),
		}
	}
	for (who, lock) in pallet_ve_vcai::Locks::<Runtime>::iter() {
		note(pallet_ve_vcai::HoldReason::Lock.into(), &who, lock.amount);
	}
	for case in pallet_slashing::Cases::<Runtime>::iter_values() {
		if let vcity_primitives::AppealState::Pending { appellant, deposit, .. } = &case.appeal {
			note(pallet_slashing::HoldReason::AppealDeposit.into(), appellant, *deposit);
		}
	}
	for task in pallet_compute_market::Tasks::<Runtime>::iter_values() {
		note(pallet_compute_market::HoldReason::TaskEscrow.into(), &task.owner, task.escrow);
	}
	for job in pallet_verification::Jobs::<Runtime>::iter_values() {
		if let pallet_verification::JobSubject::Delivery { disputant: Some((who, amount)), .. } = &job.subject
		{
			note(pallet_verification::HoldReason::DisputeDeposit.into(), who, *amount);
		}
	}
	for (_, status) in pallet_verification::AuditOfTask::<Runtime>::iter() {
		if let pallet_verification::AuditStatus::Drawing { disputant: Some((who, amount)) } = status {
			note(pallet_verification::HoldReason::DisputeDeposit.into(), &who, amount);
		}
	}
	if !orphans.is_empty() {
		return Err(Broken(format!("record deposits of nodes that no longer exist: {orphans:?}")));
	}
	Ok(held)
}

/// Every account's holds of the runtime's own reasons, VCAI and USDV, are what the records say.
fn holds_match_records() -> Result<(), Broken> {
	let recorded = recorded_holds()?;
	let vcai_reasons: [RuntimeHoldReason; 4] = [
		pallet_compute_registry::HoldReason::NodeStake.into(),
		pallet_compute_registry::HoldReason::NodeRecord.into(),
		pallet_ve_vcai::HoldReason::Lock.into(),
		pallet_slashing::HoldReason::AppealDeposit.into(),
	];
	let usdv_reasons: [RuntimeHoldReason; 2] = [
		pallet_compute_market::HoldReason::TaskEscrow.into(),
		pallet_verification::HoldReason::DisputeDeposit.into(),
	];
	// Every account, and any a record names that does not exist: its hold is then zero.
	let mut accounts: std::collections::BTreeSet<AccountId> =
		frame_system::Account::<Runtime>::iter_keys().collect();
	accounts.extend(recorded.keys().map(|(_, who)| who.clone()));
	for who in accounts {
		let actual = vcai_reasons
			.iter()
			.map(|reason| (*reason, Balances::balance_on_hold(reason, &who)))
			.chain(usdv_reasons.iter().map(|reason| (*reason, Usdv::balance_on_hold(reason, &who))));
		for (reason, held) in actual {
			let expected = recorded.get(&(reason.encode(), who.clone())).copied().unwrap_or(0);
			if held != expected {
				return Err(Broken(format!("{who} holds {held} for {reason:?}, its records say {expected}")));
			}
		}
	}
	Ok(())
}

/// The chain's block number, for messages.
pub fn block_number() -> u32 {
	System::block_number()
}
