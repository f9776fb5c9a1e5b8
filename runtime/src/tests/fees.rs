//! What transactions pay, through the runtime's own transaction extensions: a valid heartbeat
//! pays nothing, fees go to the treasury, and the heartbeat quota leaves room for paid ones.

use super::*;

#[test]
fn a_valid_heartbeat_is_free_and_an_invalid_one_never_enters_a_block() {
	preset_storage(DEV_PRESET).execute_with(|| {
		// Set the time directly: Aura would insist the slot of a set timestamp matches its own.
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		let owner = Sr25519Keyring::Alice.to_account_id();
		let operator = Sr25519Keyring::Bob.to_account_id();
		let gpu = GpuSpec {
			model: BoundedVec::try_from(b"RTX 4090".to_vec()).unwrap(),
			count: 2,
			vram_per_gpu_gib: 24,
		};
		let stake = ComputeRegistry::required_stake(&gpu).unwrap();
		assert_eq!(stake, 10_000 * VCAI);
		assert_ok!(ComputeRegistry::register_node(
			RuntimeOrigin::signed(owner),
			NodeKind::Flexible,
			NodeRoles { compute: true, verifier: false, scheduler: false },
			gpu,
			BoundedVec::try_from(b"eu-west".to_vec()).unwrap(),
			500_000,
			operator.clone(),
			stake,
		));
		let call = RuntimeCall::ComputeRegistry(pallet_compute_registry::Call::heartbeat {
			node: 1,
			metrics: HeartbeatMetrics::default(),
		});
		let info = call.get_dispatch_info();
		let len = 100;

		let before = Balances::free_balance(&operator);
		let result = extensions().dispatch_transaction(
			RuntimeOrigin::signed(operator.clone()),
			call.clone(),
			&info,
			len,
			0,
		);
		assert_ok!(result.expect("valid heartbeat is accepted"));
		assert_eq!(Balances::free_balance(&operator), before, "a valid heartbeat pays no fee");

		// The same beat again in this window is refused before dispatch: no fee, no block space.
		assert!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(operator.clone()), call.clone(), &info, len, 0)
			.is_err());
		let stranger = Sr25519Keyring::Charlie.to_account_id();
		let stranger_before = Balances::free_balance(&stranger);
		assert!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(stranger.clone()), call, &info, len, 0)
			.is_err());
		assert_eq!(Balances::free_balance(&stranger), stranger_before);

		// Other calls still pay.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: stranger.clone().into(),
			value: VCAI,
		});
		let info = transfer.get_dispatch_info();
		assert_ok!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(operator.clone()), transfer, &info, len, 0)
			.expect("transfer is valid"));
		assert!(Balances::free_balance(&operator) < before - VCAI);
	});
}

#[test]
fn fees_go_to_the_treasury_and_issuance_stays_ten_billion() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let payer = Sr25519Keyring::Alice.to_account_id();
		let payee = Sr25519Keyring::Ferdie.to_account_id();
		let treasury = bucket_account("reserve-governance");
		let (payer_before, treasury_before) =
			(Balances::free_balance(&payer), Balances::free_balance(&treasury));
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: payee.into(),
			value: VCAI,
		});
		let info = transfer.get_dispatch_info();
		assert_ok!(extensions()
			.dispatch_transaction(RuntimeOrigin::signed(payer.clone()), transfer, &info, 100, 0)
			.expect("transfer is valid"));
		let fee = payer_before - VCAI - Balances::free_balance(&payer);
		assert!(fee > 0);
		// Invariant: the fee moved, nothing was burnt or minted.
		assert_eq!(Balances::free_balance(&treasury), treasury_before + fee);
		assert_eq!(Balances::total_issuance(), 10_000_000_000 * VCAI);
	});
}

#[test]
fn the_heartbeat_quota_leaves_most_of_a_block_to_paid_transactions() {
	use frame_support::dispatch::DispatchClass;
	use sp_runtime::traits::TransactionExtension;
	let call = RuntimeCall::ComputeRegistry(pallet_compute_registry::Call::heartbeat {
		node: 1,
		metrics: HeartbeatMetrics::default(),
	});
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	// What `CheckWeight` charges a beat: the call, every extension of the runtime's list (the
	// fee's too: `SkipCheckIfFeeless` charges its weight even when it skips it) and the base.
	let extensions: crate::TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::from(0),
		frame_system::CheckWeight::new(),
		pallet_compute_registry::CheckHeartbeat::new(),
		crate::configs::vesting::CheckVestedTransfer,
		pallet_asset_conversion_tx_payment::ChargeAssetTxPayment::from(0, None).into(),
		frame_system::WeightReclaim::new(),
	);
	let one_beat = call
		.get_dispatch_info()
		.call_weight
		.saturating_add(extensions.weight(&call))
		.saturating_add(normal.base_extrinsic);
	let quota = <Runtime as pallet_compute_registry::Config>::MaxHeartbeatsPerBlock::get();
	let beats = one_beat.saturating_mul(quota.into()).ref_time();
	let budget = normal.max_total.expect("normal class is bounded").ref_time();
	println!(
		"a beat is charged {} µs; {quota} beats take {:.1}% of the normal class",
		one_beat.ref_time() / 1_000_000,
		beats as f64 * 100.0 / budget as f64
	);
	// The full quota of beats takes at most half of what normal transactions may use.
	assert!(beats * 2 <= budget, "{quota} beats of {one_beat:?} exceed half of {budget}");
}

#[test]
fn a_reaped_account_leaves_its_dust_to_the_treasury() {
	preset_storage(DEV_PRESET).execute_with(|| {
		let ed = crate::EXISTENTIAL_DEPOSIT;
		let (alice, bob) = (Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id());
		let short_lived: AccountId = sp_core::crypto::AccountId32::new([7; 32]);
		let treasury = crate::configs::TreasuryAccount::get();
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(alice),
			short_lived.clone().into(),
			2 * ed
		));
		let treasury_before = Balances::free_balance(&treasury);
		// Sending all but half an existential deposit leaves dust: the account is reaped.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(short_lived.clone()),
			bob.into(),
			2 * ed - ed / 2
		));
		assert!(!frame_system::Account::<Runtime>::contains_key(&short_lived), "the account is reaped");
		// Invariant: the dust moved to the treasury; the supply is exactly 10 billion VCAI.
		assert_eq!(Balances::free_balance(&treasury), treasury_before + ed / 2);
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY);
		assert_eq!(Balances::total_issuance(), 10_000_000_000 * VCAI);
	});
}
