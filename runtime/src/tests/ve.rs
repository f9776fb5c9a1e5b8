//! veVCAI through the real runtime: a locker is paid a day's drop, through the calls and the
//! runtime API.

use super::*;
use crate::{VeVcai, DAY_MS};
use frame_support::traits::Hooks;
use pallet_ve_vcai_runtime_api::runtime_decl_for_ve_vcai_api::VeVcaiApiV1;

fn enter_day(day: u32) {
	pallet_timestamp::Now::<Runtime>::put(START_MS + u64::from(day) * DAY_MS + 1);
	let number = System::block_number() + 1;
	System::set_block_number(number);
	VeVcai::on_initialize(number);
}

#[test]
fn a_locker_is_paid_a_day_drop_through_the_runtime_and_its_api() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		enter_day(0);
		let amount = 1_000 * VCAI;
		let unlock = START_MS + 100 * DAY_MS;
		assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(alice.clone()), amount, unlock));
		let lock = <Runtime as VeVcaiApiV1<_, _, _>>::lock(alice.clone()).expect("a lock");
		assert_eq!((lock.amount, lock.unlock_day, lock.unlock_ms), (amount, 100, unlock));
		assert_eq!(lock.weight, lock.slope * 100);
		enter_day(1);
		assert_ok!(VeVcai::drop_rewards(RuntimeOrigin::signed(bob), 10 * VCAI));
		enter_day(2);
		let pending = <Runtime as VeVcaiApiV1<_, _, _>>::pending_rewards(alice.clone());
		assert!(pending <= 10 * VCAI && pending + 1 >= 10 * VCAI, "{pending}");
		let before = Balances::free_balance(&alice);
		assert_ok!(VeVcai::claim(RuntimeOrigin::signed(alice.clone())));
		assert_eq!(Balances::free_balance(&alice), before + pending);
		let totals = <Runtime as VeVcaiApiV1<_, _, _>>::totals();
		assert_eq!(
			(totals.day, totals.locked, totals.distributed, totals.claimed),
			(2, amount, 10 * VCAI, pending)
		);
		assert_eq!(totals.weight, lock.slope * 98);
		assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::weight_at(alice.clone(), 1), Some(lock.slope * 99));
		assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::total_weight_at(1), Some(lock.slope * 99));
		assert_eq!(<Runtime as VeVcaiApiV1<_, _, _>>::weight(alice), lock.slope * 98);
		VeVcai::do_try_state().expect("ve invariants hold");
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY);
	});
}
