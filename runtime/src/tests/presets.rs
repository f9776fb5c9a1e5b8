//! The genesis presets: the supply and its allocation, vesting, USDV, and who each preset funds
//! and trusts.

use super::*;

#[test]
fn every_preset_issues_exactly_ten_billion_vcai() {
	// Staging funds no dev accounts; the others fund them out of the liquidity bucket.
	for (name, funded) in
		[(DEV_PRESET, true), (DEV_FAST_PRESET, true), (LOCAL_TESTNET_PRESET, true), (STAGING_PRESET, false)]
	{
		preset_storage(name).execute_with(|| {
			assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "{name}");
			assert_eq!(TOTAL_SUPPLY, 10_000_000_000 * VCAI);
			let (dev_balance, paid_out) = if funded {
				(DEV_ACCOUNT_VCAI, dev_accounts().len() as u128 * DEV_ACCOUNT_VCAI)
			} else {
				(0, 0)
			};
			// The existential deposits of the accounts kept alive (ve distributor, buyback
			// treasury, rewards pot, grants), and the AMM pool's VCAI where a preset seeds one,
			// come out of the same bucket.
			let pool = if funded { DEV_POOL_VCAI } else { 0 };
			let kept_alive = kept_alive_accounts().len() as u128 * crate::EXISTENTIAL_DEPOSIT;
			let paid_out = paid_out + kept_alive + pool;
			assert_eq!(Balances::free_balance(Sr25519Keyring::Alice.to_account_id()), dev_balance, "{name}");
			let liquidity = Balances::total_balance(&bucket_account("initial-liquidity"));
			assert_eq!(liquidity, 100_000_000 * VCAI - paid_out, "{name}");
		});
	}
}

#[test]
fn allocation_table_matches_the_documented_buckets() {
	let total: u128 = ALLOCATION.iter().map(|b| b.amount).sum();
	assert_eq!(total, TOTAL_SUPPLY);
	preset_storage(DEV_PRESET).execute_with(|| {
		for bucket in ALLOCATION {
			let held = Balances::total_balance(&bucket_account(bucket.name));
			let expected = if bucket.name == "initial-liquidity" {
				bucket.amount
					- dev_accounts().len() as u128 * DEV_ACCOUNT_VCAI
					- kept_alive_accounts().len() as u128 * crate::EXISTENTIAL_DEPOSIT
					- DEV_POOL_VCAI
			} else {
				bucket.amount
			};
			assert_eq!(held, expected, "{}", bucket.name);
		}
	});
}

#[test]
fn vesting_follows_the_release_terms_on_their_calendar_dates() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let team = bucket_account("core-team");
		let private = bucket_account("private-sale");
		let advisors = bucket_account("strategic-advisors");
		// Day 0 starts with the first block's timestamp; vesting reads the chain clock from then.
		crate::tests::start_clock();
		let at_day = |days: f64| {
			let ms = (days * crate::DAY_MS as f64) as u64;
			pallet_timestamp::Now::<Runtime>::put(START_MS + ms);
		};
		let month = 365.25 / 12.0;
		// Core team: nothing at TGE, nothing during the 18-month cliff.
		assert_eq!(Vesting::vesting_balance(&team), Some(2_000_000_000 * VCAI));
		// Private sale: 21.91% free at TGE.
		assert_eq!(Vesting::vesting_balance(&private), Some(2_350_000_000 * VCAI - 514_885_000 * VCAI));
		// The cliff ends on day 547.875 (18 months of 30.4375 days), not on day 540.
		at_day(18.0 * month - 0.01);
		assert_eq!(Vesting::vesting_balance(&team), Some(2_000_000_000 * VCAI));
		// The advisors' 18 months end on the same date; per-tick amounts round down, so the last
		// base units vest a tick (6 s) later.
		assert!(Vesting::vesting_balance(&advisors).unwrap() > 0);
		at_day(18.0 * month + 0.001);
		assert_eq!(Vesting::vesting_balance(&advisors), Some(0));
		assert_eq!(Vesting::vesting_balance(&private), Some(0));
		at_day(18.0 * month + 21.0 * month);
		let left = Vesting::vesting_balance(&team).unwrap();
		// Half of the 42 months after the cliff: half is still locked (up to per-tick rounding).
		assert!(left.abs_diff(1_000_000_000 * VCAI) < VCAI, "{left}");
		// The team's schedule ends 60 months after genesis: day 1,826.25, five calendar years.
		at_day(1_826.25 - 0.01);
		assert!(Vesting::vesting_balance(&team).unwrap() > 0);
		at_day(1_826.25 + 0.001);
		assert_eq!(Vesting::vesting_balance(&team), Some(0));
	});
}

#[test]
fn missed_slots_do_not_delay_a_release() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let public = bucket_account("public-sale");
		crate::tests::start_clock();
		// Six months later by the clock, however few blocks were made in between.
		System::set_block_number(2);
		pallet_timestamp::Now::<Runtime>::put(START_MS + 6 * crate::VESTING_MONTH as u64 * 6_000 + 6_000);
		assert_eq!(Vesting::vesting_balance(&public), Some(0));
	});
}

#[test]
fn usdv_is_a_sufficient_six_decimal_asset_minted_to_dev_accounts() {
	use frame_support::traits::fungibles::metadata::Inspect as MetadataInspect;
	preset_storage(DEV_PRESET).execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		assert_eq!(crate::Assets::balance(USDV_ASSET_ID, &bob), DEV_ACCOUNT_USDV);
		assert_eq!(crate::Assets::decimals(USDV_ASSET_ID), 6);
		assert_eq!(crate::Assets::symbol(USDV_ASSET_ID), b"USDV".to_vec());
		// Sufficient: an account with USDV and no VCAI exists.
		let fresh = AccountId::from([7u8; 32]);
		assert_ok!(crate::Assets::transfer(
			RuntimeOrigin::signed(bob),
			USDV_ASSET_ID.into(),
			fresh.clone().into(),
			5 * vcity_primitives::USDV
		));
		assert!(System::account_exists(&fresh));
		assert_eq!(Balances::total_balance(&fresh), 0);
	});
}

#[test]
fn staging_has_no_sudo_and_local_has_four_validators() {
	preset_storage(STAGING_PRESET).execute_with(|| assert_eq!(pallet_sudo::Key::<Runtime>::get(), None));
	preset_storage(LOCAL_TESTNET_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(crate::Grandpa::grandpa_authorities().len(), 4);
	});
}

#[test]
fn staging_funds_no_dev_account() {
	preset_storage(STAGING_PRESET).execute_with(|| {
		for account in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
			assert_eq!(Balances::free_balance(account.to_account_id()), 0);
		}
		assert_eq!(Balances::total_issuance(), 10_000_000_000 * VCAI);
	});
}
