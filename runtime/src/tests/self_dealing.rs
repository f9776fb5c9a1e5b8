//! The self-dealing attack of docs/economics.md#self-dealing replayed on the real runtime, beside
//! an honest node of the same hardware and stake: a farmer owns an 8 × H100 node and rents it
//! through an account the chain cannot link to them. Every figure the closing of the period
//! pays is compared: the farmer ends with less than they started, counting both accounts' USDV
//! and the VCAI the pool pays them beyond what the honest node earns for the same capacity.

use super::*;
use crate::{Assets, ChainClock, ComputeMarket, Rewards, STANDARD_TIMES};
use vcity_primitives::{
	fee_cap, Billing, BuiltinWorkload, Clock, GpuClass, NodeId, Placement, TaskRequirements, Workload, USDV,
};

const PERIOD_MS: u64 = STANDARD_TIMES.period_ms;
const HOUR_MS: u64 = 3_600_000;

fn register(owner: Sr25519Keyring, operator: Sr25519Keyring, price: u128) -> NodeId {
	let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
	let gpu = GpuSpec {
		model: BoundedVec::try_from(b"NVIDIA H100 80GB HBM3".to_vec()).unwrap(),
		count: 8,
		vram_per_gpu_gib: 80,
	};
	let stake = ComputeRegistry::required_stake(&gpu).unwrap();
	assert_ok!(ComputeRegistry::register_node(
		RuntimeOrigin::signed(owner.to_account_id()),
		NodeKind::Stable,
		NodeRoles { compute: true, verifier: false, scheduler: false },
		gpu,
		BoundedVec::try_from(b"eu-west".to_vec()).unwrap(),
		price,
		operator.to_account_id(),
		stake,
	));
	id
}

fn beat(operator: Sr25519Keyring, node: NodeId) {
	assert_ok!(ComputeRegistry::heartbeat(
		RuntimeOrigin::signed(operator.to_account_id()),
		node,
		HeartbeatMetrics::default()
	));
}

/// `user` buys 8 GPUs for `seconds` from `node` at up to `price` an hour, picks the node itself,
/// and the node's operator acknowledges, starts, runs `run_ms` of chain time and completes; the
/// user rates it five stars. Returns what the task paid.
fn cycle(
	user: Sr25519Keyring,
	node: NodeId,
	operator: Sr25519Keyring,
	price: u128,
	seconds: u64,
	run_ms: u64,
) -> u128 {
	let id = pallet_compute_market::NextTaskId::<Runtime>::get();
	let requirements = TaskRequirements {
		gpus: 8,
		min_vram_per_gpu_gib: 80,
		min_gpu_class: GpuClass::Consumer,
		min_stage: 0,
		placement: Placement::Anywhere,
	};
	assert_ok!(ComputeMarket::submit_task(
		RuntimeOrigin::signed(user.to_account_id()),
		requirements,
		seconds,
		System::block_number() + 20_000,
		price,
		Workload::Builtin(BuiltinWorkload::MatrixProduct { seed: id, size: 256, rounds: 2 }),
		Billing::PerTask,
	));
	assert_ok!(ComputeMarket::assign_directly(RuntimeOrigin::signed(user.to_account_id()), id, node));
	let signed = RuntimeOrigin::signed(operator.to_account_id());
	assert_ok!(ComputeMarket::acknowledge_task(signed.clone(), id));
	assert_ok!(ComputeMarket::start_task(signed.clone(), id));
	pallet_timestamp::Now::<Runtime>::mutate(|now| *now += run_ms);
	assert_ok!(ComputeMarket::complete_task(signed, id, [9; 32], 0));
	assert_ok!(ComputeMarket::rate_task(RuntimeOrigin::signed(user.to_account_id()), id, 5));
	ComputeMarket::task_info(id).unwrap().paid
}

fn usdv(who: Sr25519Keyring) -> u128 {
	Assets::balance(USDV_ASSET_ID, who.to_account_id())
}

fn vcai(who: Sr25519Keyring) -> u128 {
	Balances::balance(&who.to_account_id())
}

#[test]
fn a_farmer_renting_their_own_node_ends_with_less_than_an_honest_node() {
	use Sr25519Keyring::{Alice, Bob, Eve, EveStash, Ferdie, FerdieStash};
	preset_storage(DEV_PRESET).execute_with(|| {
		pallet_chain_clock::Calendar::<Runtime>::mutate(|c| c.start_ms = Some(START_MS));
		pallet_timestamp::Now::<Runtime>::put(START_MS);
		// The honest node (Alice's, run by Bob) asks 2 USDV an hour; the farmer's (Ferdie's, run
		// by his stash key) the data-centre floor, 0.50 USDV. Same hardware, same stake.
		let floor = pallet_compute_market::DEFAULT_PRICE_FLOOR[2];
		let honest = register(Alice, Bob, 2 * USDV);
		let farmer = register(Ferdie, FerdieStash, floor);
		let online = || {
			beat(Bob, honest);
			beat(FerdieStash, farmer);
		};
		online();
		let farmer_usdv = usdv(Ferdie) + usdv(EveStash);
		let farmer_vcai = vcai(Ferdie) + vcai(EveStash);

		// Path 1, as found: a 24-hour task of 8 GPUs completed at once, ten times. 96 USDV of
		// escrow each, nothing billed, nothing credited.
		for _ in 0..10 {
			assert_eq!(cycle(EveStash, farmer, FerdieStash, floor, 24 * 3_600, 0), 0);
		}
		assert!(pallet_rewards::NodePoints::<Runtime>::get(farmer, 0).is_none());
		assert_eq!(usdv(Ferdie) + usdv(EveStash), farmer_usdv);

		// The same attack paid for real: five hours of the 8 GPUs at the floor, 4 USDV an hour;
		// an honest user (Eve) buys one hour of the honest node at 2 USDV a GPU-hour. Both nodes
		// beat every window they run in, so both prove the same capacity.
		let mut farmer_paid = 0;
		for round in 1..=6u64 {
			pallet_timestamp::Now::<Runtime>::put(START_MS + round * 2 * HOUR_MS);
			online();
			if round <= 5 {
				farmer_paid += cycle(EveStash, farmer, FerdieStash, floor, 3_600, HOUR_MS);
			} else {
				assert_eq!(cycle(Eve, honest, Bob, 2 * USDV, 3_600, HOUR_MS), 16 * USDV);
			}
			online();
		}
		assert_eq!(farmer_paid, 20 * USDV);
		let farmer_fee = pallet_compute_market::FeesPaid::<Runtime>::get(0, EveStash.to_account_id());
		assert_eq!(farmer_fee, 26 * USDV / 10, "15% at Bronze with no scheduler, less the verifiers' 2%");
		let usdv_net = (usdv(Ferdie) + usdv(EveStash)) as i128 - farmer_usdv as i128;
		assert_eq!(
			usdv_net,
			-(3 * USDV as i128),
			"the farmer's two accounts lose exactly the protocol's part and the verification fee"
		);

		warm_price_oracle();
		pallet_timestamp::Now::<Runtime>::put(START_MS + PERIOD_MS);
		next_block();
		assert_eq!(ChainClock::period_index(), 1);
		let record = Rewards::period(0).expect("period 0 closed");
		let price = record.vcai_per_usdv;
		assert!(price.abs_diff(100 * VCAI) < VCAI / 10, "a day's average of the dev pool: {price}");

		let periods = BoundedVec::truncate_from(vec![0]);
		let claim = |owner: Sr25519Keyring, node| {
			let before = vcai(owner);
			assert_ok!(Rewards::claim_node_rewards(
				RuntimeOrigin::signed(owner.to_account_id()),
				node,
				periods.clone()
			));
			vcai(owner) - before
		};
		// Read before the claims, which take the points out of storage.
		let points = |node| pallet_rewards::NodePoints::<Runtime>::get(node, 0).unwrap();
		let (farmer_points, honest_points) = (points(farmer), points(honest));
		let farmer_node_vcai = claim(Ferdie, farmer);
		let honest_node_vcai = claim(Alice, honest);
		assert_ok!(Rewards::claim_rebates(RuntimeOrigin::signed(EveStash.to_account_id()), periods.clone()));
		let farmer_earned = vcai(Ferdie) + vcai(EveStash) - farmer_vcai;

		// Capacity is the same for both nodes (same GPUs, stake and windows): what the farmer
		// earns beyond the honest node's capacity share is bought by the farming, and at most
		// 30% + 30% of the fee's worth.
		assert_eq!(farmer_points.capacity_points(), honest_points.capacity_points());
		let capacity = sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			record.capacity_pot,
			honest_points.capacity_points(),
			record.capacity_points,
			sp_runtime::Rounding::Down,
		)
		.unwrap();
		let bought = farmer_earned - capacity;
		let bound = fee_cap(farmer_fee, price, record.delivery_per_fee)
			+ fee_cap(farmer_fee, price, record.rebate_per_fee);
		assert!(bought <= bound, "{bought} > {bound}");
		let fee_worth = farmer_fee * price / USDV;
		assert!(
			bought < fee_worth,
			"the farming returns less VCAI ({bought}) than its fee is worth ({fee_worth})"
		);
		// In USDV at the period's price: the farmer's net is negative.
		let net_usdv = usdv_net + (bought * USDV / price) as i128;
		assert!(net_usdv < 0, "net {net_usdv}");
		println!(
			"farmer: paid {} USDV for 40 GPU-hours at the floor, fee {} USDV (worth {} VCAI); earned {} VCAI \
			 ({} VCAI capacity, as the honest node, + {} VCAI delivery and rebates, bound {} VCAI); net {} USDV. \
			 honest node: {} VCAI.",
			farmer_paid as f64 / 1e6,
			farmer_fee as f64 / 1e6,
			fee_worth / VCAI,
			farmer_earned / VCAI,
			capacity / VCAI,
			bought as f64 / 1e18,
			bound as f64 / 1e18,
			net_usdv as f64 / 1e6,
			honest_node_vcai as f64 / 1e18,
		);
		assert!(farmer_node_vcai >= capacity && honest_node_vcai >= capacity);
		Rewards::do_try_state().expect("rewards invariants hold");
		ComputeMarket::do_try_state().expect("market invariants hold");
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "no VCAI created");
	});
}
