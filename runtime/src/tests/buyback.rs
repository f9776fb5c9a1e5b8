//! The value loop through the real runtime: a task's protocol fee reaches the buyback treasury,
//! the day's round sells it on the AMM pool the dev preset seeds, the VCAI reaches a locker; and
//! a user who holds only USDV pays transaction fees in USDV.

use super::*;
use crate::{
	configs::amm::{UsdvKind, Vcai},
	Buyback, VeVcai, DAY_MS, STANDARD_TIMES,
};
use pallet_buyback_runtime_api::runtime_decl_for_buyback_api::BuybackApiV1;
use vcity_primitives::USDV;

/// The dev preset's price window: an hour of blocks.
const BUYBACK_TWAP_WINDOW: u32 = STANDARD_TIMES.buyback_twap_window;

/// Blocks until the one whose hooks see `day`, which runs that day's round. The clock first
/// jumps to a little more than a price window before the day, as if the chain had been
/// producing blocks all along, so a test walks through hundreds of blocks rather than 14,400.
fn run_to_day(day: u32) {
	let window = u64::from(BUYBACK_TWAP_WINDOW) + 10;
	let near = START_MS + u64::from(day) * DAY_MS - window * crate::MILLI_SECS_PER_BLOCK;
	if pallet_timestamp::Now::<Runtime>::get() < near {
		pallet_timestamp::Now::<Runtime>::put(near);
	}
	loop {
		let hook_day = <crate::ChainClock as vcity_primitives::Clock>::day_index();
		next_block();
		if hook_day >= day {
			break;
		}
	}
}

#[test]
fn a_task_fee_is_bought_back_and_claimed_by_a_locker() {
	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		let treasury = Buyback::treasury_account();
		let usdv = |who: &AccountId| crate::Assets::balance(USDV_ASSET_ID, who);
		let locker = Sr25519Keyring::Ferdie.to_account_id();
		assert_ok!(VeVcai::create_lock(
			RuntimeOrigin::signed(locker.clone()),
			1_000 * VCAI,
			START_MS + 400 * DAY_MS
		));

		let (node, _) = register_market_nodes();
		run_task(&Sr25519Keyring::Eve.to_account_id(), node);
		// The protocol's 14% of 8 USDV less the verifiers' 2%.
		let fee = 960_000;
		assert_eq!(usdv(&treasury), fee);
		assert_eq!(<Runtime as BuybackApiV1<_>>::revenue_on(0), Some(fee));

		// A day of blocks: the average spans BUYBACK_TWAP_WINDOW of them before day 1 begins.
		assert!(u64::from(BUYBACK_TWAP_WINDOW) < DAY_MS / crate::MILLI_SECS_PER_BLOCK);
		let pool_vcai_before = Balances::free_balance(pool_account());
		run_to_day(1);
		let last = <Runtime as BuybackApiV1<_>>::last_buyback().expect("day 1's round swapped");
		let sold = fee - USDV_MIN_BALANCE;
		assert_eq!((last.day, last.usdv_in), (1, sold));
		assert!(last.vcai_out >= last.min_out);
		// 0.95 USDV at a cent per VCAI, less the 0.3% pool fee: about 94.7 VCAI.
		assert!(last.vcai_out > 94 * VCAI && last.vcai_out < 95 * VCAI, "{}", last.vcai_out);
		assert_eq!(Balances::free_balance(pool_account()), pool_vcai_before - last.vcai_out);
		assert_eq!(usdv(&treasury), USDV_MIN_BALANCE, "the minimum balance stays for the next fees");

		let view = <Runtime as BuybackApiV1<_>>::treasury();
		assert_eq!((view.revenue, view.usdv_swapped), (fee, sold));
		assert_eq!((view.vcai_bought, view.vcai_dropped), (last.vcai_out, last.vcai_out));
		assert_eq!(view.next_round_day, 2);
		assert!(view.twap.is_some() && view.spot.is_some());

		run_to_day(2);
		let pending = VeVcai::pending_rewards(&locker);
		assert!(last.vcai_out - pending <= 1, "the only locker gets the whole drop");
		let before = Balances::free_balance(&locker);
		assert_ok!(VeVcai::claim(RuntimeOrigin::signed(locker.clone())));
		assert_eq!(Balances::free_balance(&locker), before + pending);

		Buyback::do_try_state().expect("buyback invariants hold");
		VeVcai::do_try_state().expect("ve invariants hold");
		crate::ComputeMarket::do_try_state().expect("market invariants hold");
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "buying back moves VCAI, it mints none");
	});
}

fn pool_account() -> AccountId {
	use pallet_asset_conversion::PoolLocator as _;
	crate::configs::amm::PoolLocator::pool_address(&Vcai::get(), &UsdvKind::get()).expect("a VCAI pair")
}

#[test]
fn the_dev_preset_seeds_the_pool_and_the_staging_preset_does_not() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let reserves = crate::AssetConversion::get_reserves(UsdvKind::get(), Vcai::get()).expect("a pool");
		assert_eq!(reserves, (DEV_POOL_USDV, DEV_POOL_VCAI));
		assert_eq!(<Runtime as BuybackApiV1<_>>::params().twap_window, BUYBACK_TWAP_WINDOW);
		// A dev account can trade on it at once.
		let bob = Sr25519Keyring::Bob.to_account_id();
		let before = Balances::free_balance(&bob);
		assert_ok!(crate::AssetConversion::swap_exact_tokens_for_tokens(
			RuntimeOrigin::signed(bob.clone()),
			vec![Box::new(UsdvKind::get()), Box::new(Vcai::get())],
			100 * USDV,
			1,
			bob.clone(),
			true,
		));
		assert!(Balances::free_balance(&bob) > before + 9_900 * VCAI);
	});
	preset_storage(STAGING_PRESET).execute_with(|| {
		assert!(crate::AssetConversion::get_reserves(UsdvKind::get(), Vcai::get()).is_err());
	});
}

#[test]
fn an_account_holding_only_usdv_pays_its_fees_in_usdv() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let holder = AccountId::from([9u8; 32]);
		let dao = crate::configs::TreasuryAccount::get();
		assert_ok!(crate::Assets::transfer(
			RuntimeOrigin::signed(bob.clone()),
			USDV_ASSET_ID.into(),
			holder.clone().into(),
			100 * USDV
		));
		assert_eq!(Balances::total_balance(&holder), 0);
		let call = RuntimeCall::Assets(pallet_assets::Call::transfer_keep_alive {
			id: USDV_ASSET_ID.into(),
			target: bob.clone().into(),
			amount: 10 * USDV,
		});
		let info = call.get_dispatch_info();

		// Paying in VCAI, which it has none of, is refused before dispatch: nothing moves.
		assert!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(holder.clone()), call.clone(), &info, 120, 0)
			.is_err());
		assert_eq!(crate::Assets::balance(USDV_ASSET_ID, &holder), 100 * USDV);

		let (dao_before, issuance) = (Balances::free_balance(&dao), Balances::total_issuance());
		assert_ok!(extensions_paying_in(Some(UsdvKind::get()))
			.dispatch_transaction(RuntimeOrigin::signed(holder.clone()), call, &info, 120, 0)
			.expect("a USDV fee is accepted"));
		let fee_in_usdv = 90 * USDV - crate::Assets::balance(USDV_ASSET_ID, &holder);
		assert!(fee_in_usdv > 0 && fee_in_usdv < USDV, "{fee_in_usdv}");
		assert_eq!(Balances::total_balance(&holder), 0, "still no VCAI");
		// The USDV was swapped to VCAI on the pool, and the VCAI fee went to the DAO treasury.
		assert!(Balances::free_balance(&dao) > dao_before);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}
