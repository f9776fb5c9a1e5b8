//! The runtime upgrade as `try-runtime` checks it (`TryRuntime_on_runtime_upgrade`), on a state
//! the tests create: every migration's pre- and post-upgrade check, every pallet's on-chain
//! storage version against its code, the whole state decoding, and every pallet's `try_state`.
//! The end-to-end flows run the same check on their nodes' states through the runtime API.

use super::*;
use crate::Executive;
use frame_support::traits::{GetStorageVersion, PalletInfoAccess, StorageVersion};
use frame_try_runtime::UpgradeCheckSelect;

/// Compiles only for a pallet that declares `#[pallet::storage_version]`: a pallet without one
/// would let a layout change ship without a version to guard its migration. Returns the pallet's
/// name, its code's version and the version on chain.
fn declared_version<P>() -> (&'static str, StorageVersion, StorageVersion)
where
	P: GetStorageVersion<InCodeStorageVersion = StorageVersion> + PalletInfoAccess,
{
	(P::name(), P::in_code_storage_version(), P::on_chain_storage_version())
}

#[test]
fn every_vcity_pallet_declares_its_storage_version_and_starts_at_it() {
	use crate::*;
	preset_storage(DEV_PRESET).execute_with(|| {
		for (name, in_code, on_chain) in [
			declared_version::<ChainClock>(),
			declared_version::<ComputeMarket>(),
			declared_version::<VeVcai>(),
			declared_version::<Buyback>(),
			declared_version::<Rewards>(),
			declared_version::<AgentBridge>(),
			declared_version::<ComputeRegistry>(),
			declared_version::<Slashing>(),
			declared_version::<Verification>(),
			declared_version::<Governance>(),
			declared_version::<VeVoting>(),
			declared_version::<Supply>(),
		] {
			assert_eq!(on_chain, in_code, "{name}: a new chain starts at the code's version");
		}
	});
}

/// A chain with something in every part: two nodes, a task delivered and rated, one still
/// escrowed, a veVCAI lock, a day of prices, blocks of every hook.
fn busy_chain() -> sp_io::TestExternalities {
	let mut ext = preset_storage(DEV_PRESET);
	ext.execute_with(|| {
		start_clock();
		warm_price_oracle();
		let (node, _scheduler) = register_market_nodes();
		let user = Sr25519Keyring::Eve.to_account_id();
		run_task(&user, node);
		submit_market_task(
			&user,
			600,
			500,
			vcity_primitives::Workload::Container {
				image: BoundedVec::try_from(b"example/job:1".to_vec()).unwrap(),
				command_hash: [7; 32],
			},
		);
		let unlock = pallet_timestamp::Now::<Runtime>::get() + 100 * crate::DAY_MS;
		assert_ok!(crate::VeVcai::create_lock(
			RuntimeOrigin::signed(Sr25519Keyring::Ferdie.to_account_id()),
			1_000 * VCAI,
			unlock
		));
		for _ in 0..3 {
			next_block();
		}
	});
	ext
}

#[test]
fn the_upgrade_passes_every_check_on_a_busy_chain_and_changes_nothing_twice() {
	let mut ext = busy_chain();
	ext.execute_with(|| {
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the upgrade's checks pass");
		// The upgrade already ran (it set `LastRuntimeUpgrade`): a second one is a no-op, as it is
		// on a node that restarts with the same runtime.
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All).expect("the checks pass again");
		assert_eq!(
			sp_io::storage::root(sp_runtime::StateVersion::V1),
			root,
			"a second upgrade changes nothing"
		);
	});
}

#[test]
fn the_upgrade_check_refuses_a_version_no_migration_reaches() {
	let mut ext = busy_chain();
	ext.execute_with(|| {
		// As if a release had bumped the buyback's layout without shipping its migration: the
		// on-chain version differs from the code's, and nothing in `Migrations` moves it.
		StorageVersion::new(7).put::<crate::Buyback>();
		let refused = Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost);
		assert_eq!(
			refused,
			Err(sp_runtime::DispatchError::Other(
				"On chain and in-code storage version do not match. Missing runtime upgrade?"
			))
		);
	});
}
