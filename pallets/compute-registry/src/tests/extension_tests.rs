//! `CheckHeartbeat` in the pool and the fee waiver of valid heartbeats.

use super::*;
use crate::extension::{reject, HEARTBEAT_TAG};
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn heartbeat_call(node: NodeId) -> RuntimeCall {
	RuntimeCall::Registry(Call::heartbeat { node, metrics: HeartbeatMetrics::default() })
}

fn validate(
	who: AccountId,
	call: &RuntimeCall,
) -> Result<sp_runtime::transaction_validity::ValidTransaction, TransactionValidityError> {
	CheckHeartbeat::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(who),
			call,
			&call.get_dispatch_info(),
			call.encoded_size(),
			TransactionSource::External,
			0,
		)
		.map(|(validity, _, _)| validity)
}

#[test]
fn a_valid_heartbeat_provides_its_node_and_window() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		let validity = validate(OPERATOR, &heartbeat_call(node)).unwrap();
		let window = Registry::window_of(ChainClock::now_ms());
		let tag = ("CheckHeartbeat", (HEARTBEAT_TAG, node, window)).encode();
		assert_eq!(validity.provides, vec![tag]);
		assert_eq!(validity.priority, 1_000);
		assert!(validity.longevity >= 1 && validity.longevity <= WINDOW_MS / 6_000 + 1);
	});
}

#[test]
fn strangers_early_beats_and_inactive_nodes_are_refused_in_the_pool() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_eq!(
			validate(STRANGER, &heartbeat_call(node)),
			Err(InvalidTransaction::Custom(reject::NOT_OPERATOR).into())
		);
		assert_ok!(beat(OPERATOR, node));
		assert_eq!(
			validate(OPERATOR, &heartbeat_call(node)),
			Err(InvalidTransaction::Custom(reject::TOO_EARLY).into())
		);
		advance_ms(WINDOW_MS);
		assert!(validate(OPERATOR, &heartbeat_call(node)).is_ok());
		assert_ok!(Registry::deregister(RuntimeOrigin::signed(OWNER), node));
		assert_eq!(
			validate(OPERATOR, &heartbeat_call(node)),
			Err(InvalidTransaction::Custom(reject::NOT_ACTIVE).into())
		);
	});
}

#[test]
fn other_calls_pass_through_untouched() {
	test(|| {
		let call = RuntimeCall::Registry(Call::update_price { node: 1, price_per_gpu_hour: 1 });
		let validity = validate(STRANGER, &call).unwrap();
		assert!(validity.provides.is_empty());
		assert_eq!(CheckHeartbeat::<Test>::new().weight(&call), frame_support::weights::Weight::zero());
	});
}

#[test]
fn only_valid_heartbeats_are_feeless() {
	use frame_support::dispatch::CheckIfFeeless;
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert!(heartbeat_call(node).is_feeless(&RuntimeOrigin::signed(OPERATOR)));
		assert!(!heartbeat_call(node).is_feeless(&RuntimeOrigin::signed(STRANGER)));
		assert_ok!(beat(OPERATOR, node));
		assert!(!heartbeat_call(node).is_feeless(&RuntimeOrigin::signed(OPERATOR)));
	});
}

#[test]
fn a_block_takes_at_most_its_quota_of_heartbeats() {
	test(|| {
		// The mock's quota is 3 beats per block.
		let nodes: Vec<(AccountId, NodeId)> =
			(0..4).map(|i| (100 + i, register(OWNER, 100 + i, 1))).collect();
		for &(operator, node) in &nodes[..3] {
			assert!(validate(operator, &heartbeat_call(node)).is_ok());
			assert_ok!(beat(operator, node));
		}
		let (operator, node) = nodes[3];
		assert_eq!(
			validate(operator, &heartbeat_call(node)),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		// The next block has room again; the beat stayed valid for its window.
		run_to_block(System::block_number() + 1);
		assert!(validate(operator, &heartbeat_call(node)).is_ok());
	});
}
