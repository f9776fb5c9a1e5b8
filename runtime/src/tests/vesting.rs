//! A vested transfer to its own sender never enters the pool (`CheckVestedTransfer`): it would
//! move nothing and lock what the sender may not hold. The runtime fuzzer found the case as a
//! defensive failure in the balances pallet, for a sender that holds only USDV.

use super::*;
use crate::configs::vesting::{CheckVestedTransfer, VESTED_TRANSFER_TO_SELF};
use sp_runtime::transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError};

fn vested_transfer(target: &AccountId) -> RuntimeCall {
	RuntimeCall::Vesting(pallet_vesting::Call::vested_transfer {
		target: target.clone().into(),
		schedule: pallet_vesting::VestingInfo::new(10 * VCAI, VCAI, 1_000),
	})
}

#[test]
fn a_vested_transfer_to_its_own_sender_is_refused_whatever_wraps_it() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let derived = pallet_utility::derivative_account_id(bob.clone(), 7);
		let batch = |calls: Vec<RuntimeCall>| RuntimeCall::Utility(pallet_utility::Call::batch_all { calls });
		let refused =
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(VESTED_TRANSFER_TO_SELF)));
		let check = |call: RuntimeCall| {
			let info = call.get_dispatch_info();
			CheckVestedTransfer
				.validate_only(
					RuntimeOrigin::signed(bob.clone()),
					&call,
					&info,
					100,
					TransactionSource::External,
					0,
				)
				.map(|_| ())
		};
		assert_eq!(check(vested_transfer(&bob)), refused);
		assert_eq!(check(batch(vec![vested_transfer(&charlie), vested_transfer(&bob)])), refused);
		assert_eq!(
			check(RuntimeCall::Utility(pallet_utility::Call::as_derivative {
				index: 7,
				call: Box::new(vested_transfer(&derived)),
			})),
			refused
		);
		assert_eq!(
			check(RuntimeCall::Utility(pallet_utility::Call::if_else {
				main: Box::new(vested_transfer(&charlie)),
				fallback: Box::new(vested_transfer(&bob)),
			})),
			refused
		);
		// To anyone else it goes through, and it moves what it vests.
		assert_eq!(check(vested_transfer(&charlie)), Ok(()));
		assert_eq!(check(batch(vec![vested_transfer(&charlie)])), Ok(()));
		let before = Balances::free_balance(&charlie);
		assert_ok!(Vesting::vested_transfer(
			RuntimeOrigin::signed(bob.clone()),
			charlie.clone().into(),
			pallet_vesting::VestingInfo::new(10 * VCAI, VCAI, 1_000),
		));
		assert_eq!(Balances::free_balance(&charlie), before + 10 * VCAI);
	});
}
