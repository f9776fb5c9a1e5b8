//! The stake schedule, bonding more, and the weekly multiplier.

use super::*;
use frame_support::assert_noop;
use sp_runtime::traits::One;
use vcity_primitives::NodeRegistry;

fn schedule(tiers: &[(u32, Balance)], multiplier: FixedU128) -> StakeSchedule {
	StakeSchedule {
		tiers: BoundedVec::try_from(
			tiers
				.iter()
				.map(|&(min_vram_per_gpu_gib, stake_per_gpu)| StakeTier {
					min_vram_per_gpu_gib,
					stake_per_gpu,
				})
				.collect::<Vec<_>>(),
		)
		.unwrap(),
		multiplier,
	}
}

fn consumer_cards(count: u32, vram_per_gpu_gib: u32) -> GpuSpec {
	GpuSpec {
		model: BoundedVec::try_from(b"NVIDIA GeForce RTX 4090".to_vec()).unwrap(),
		count,
		vram_per_gpu_gib,
	}
}

#[test]
fn required_stake_is_tier_times_count_times_multiplier() {
	test(|| {
		// Three consumer cards (below the first multi-GPU stage): the tier their memory falls in.
		assert_eq!(Registry::required_stake(&consumer_cards(3, 24)).ok(), Some(7_500 * VCAI));
		assert_eq!(Registry::required_stake(&consumer_cards(3, 23)).ok(), Some(3_000 * VCAI));
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_rational(3, 2)));
		assert_eq!(Registry::required_stake(&consumer_cards(3, 23)).ok(), Some(4_500 * VCAI));
	});
}

/// Stake follows what Proof of Capacity pays (issue of the multi-GPU stage read from total memory
/// while the tier read memory per GPU alone): 64 small cards reach stage 3 and its 1.5×
/// coefficient, so they stake 1.5× too; a data-centre model name stakes as data-centre cards do
/// whatever memory it declares. Declaring more hardware never needs less stake.
#[test]
fn stake_follows_total_memory_and_class() {
	test(|| {
		// 64 × 6 GiB = 384 GiB: stage 3, 1.5 × 64 × 1,000 VCAI.
		assert_eq!(Registry::required_stake(&consumer_cards(64, 6)).ok(), Some(96_000 * VCAI));
		// 16 × 6 GiB = 96 GiB: stage 1, 1.2×.
		assert_eq!(Registry::required_stake(&consumer_cards(16, 6)).ok(), Some(19_200 * VCAI));
		assert_eq!(Registry::required_stake(&consumer_cards(15, 6)).ok(), Some(15_000 * VCAI));
		// An "H100" declaring 6 GiB stakes at the data-centre floor of 80 GiB, as a real one.
		let fake = GpuSpec { vram_per_gpu_gib: 6, ..h100s(1) };
		assert_eq!(Registry::required_stake(&fake).ok(), Registry::required_stake(&h100s(1)).ok());
		// 3 × H100 = 240 GiB: stage 2, 1.35 × 3 × 5,000 × 2.0 (the data-centre factor).
		assert_eq!(Registry::required_stake(&h100s(3)).ok(), Some(40_500 * VCAI));
		// A better class earns more per GPU-second, so it stakes more at the same memory: a
		// workstation card of 24 GiB 1.5 × 2,500, a consumer card of 24 GiB 2,500; a consumer model
		// declaring 80 GiB stakes less than a data-centre card, as it earns less.
		let workstation = GpuSpec {
			model: BoundedVec::truncate_from(b"NVIDIA RTX A5000".to_vec()),
			..consumer_cards(1, 24)
		};
		assert_eq!(Registry::required_stake(&workstation).ok(), Some(3_750 * VCAI));
		assert_eq!(Registry::required_stake(&consumer_cards(1, 24)).ok(), Some(2_500 * VCAI));
		assert_eq!(Registry::required_stake(&consumer_cards(1, 80)).ok(), Some(5_000 * VCAI));
		assert_eq!(Registry::required_stake(&h100s(1)).ok(), Some(10_000 * VCAI));
		// Stake per unit of capacity paid is the same whatever the class: declaring a better model
		// buys no more points per VCAI staked.
		let factors = vcity_primitives::RewardsParams::default().gpu_class;
		for (spec, class) in [
			(consumer_cards(1, 80), vcity_primitives::GpuClass::Consumer),
			(
				GpuSpec {
					model: BoundedVec::truncate_from(b"NVIDIA RTX A6000".to_vec()),
					..consumer_cards(1, 80)
				},
				vcity_primitives::GpuClass::Workstation,
			),
			(h100s(1), vcity_primitives::GpuClass::Datacenter),
		] {
			let per_factor =
				Registry::required_stake(&spec).unwrap() * 1_000 / Balance::from(factors.of(class));
			assert_eq!(per_factor, 5_000 * VCAI, "{class:?}");
		}
		// More of anything never costs less.
		let mut last = 0;
		for count in 1..=64 {
			for vram in [6, 16, 24, 48, 80] {
				let stake = Registry::required_stake(&consumer_cards(count, vram)).unwrap();
				assert!(
					stake
						>= Registry::required_stake(&consumer_cards(count, vram.saturating_sub(1))).unwrap()
				);
				if vram == 6 {
					assert!(stake > last, "{count} cards stake more than {}", count - 1);
					last = stake;
				}
			}
		}
	});
}

#[test]
fn bond_extra_adds_to_the_hold() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, 500 * VCAI));
		assert_eq!(Registry::stake(node), Some((10_500 * VCAI, 10_000 * VCAI)));
		assert_eq!(Registry::held_stake_of(&OWNER), 10_500 * VCAI);
		assert_noop!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Registry::bond_extra(RuntimeOrigin::signed(STRANGER), node, VCAI),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, OWNER_FUNDS),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn invalid_schedules_and_multipliers_are_refused() {
	test(|| {
		let one = FixedU128::from_u32(1);
		for bad in [
			schedule(&[], one),
			schedule(&[(8, VCAI)], one),
			schedule(&[(0, VCAI), (0, 2 * VCAI)], one),
			schedule(&[(0, VCAI), (48, 2 * VCAI), (24, 3 * VCAI)], one),
			schedule(&[(0, 0)], one),
		] {
			assert_noop!(
				Registry::set_stake_schedule(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidStakeSchedule
			);
		}
		assert_noop!(
			Registry::set_stake_schedule(
				RuntimeOrigin::root(),
				schedule(&[(0, VCAI)], FixedU128::from_u32(11))
			),
			Error::<Test>::MultiplierOutOfBounds
		);
		assert_noop!(
			Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_rational(1, 100)),
			Error::<Test>::MultiplierOutOfBounds
		);
		assert_noop!(
			Registry::set_stake_multiplier(RuntimeOrigin::signed(OWNER), one),
			sp_runtime::DispatchError::BadOrigin
		);
		let good = schedule(&[(0, VCAI), (40, 4 * VCAI)], FixedU128::from_u32(2));
		assert_ok!(Registry::set_stake_schedule(RuntimeOrigin::root(), good.clone()));
		assert_eq!(Schedule::<Test>::get(), good);
		// 4 VCAI × the data-centre factor 2.0 × the multiplier 2.
		assert_eq!(Registry::required_stake(&h100s(1)).ok(), Some(16 * VCAI));
	});
}

fn multiplier() -> FixedU128 {
	Schedule::<Test>::get().multiplier
}

fn enforced() -> FixedU128 {
	StakeGrace::<Test>::get().enforced
}

/// Moves into the next period and runs its first block, whose hook re-adjusts the multiplier.
fn next_period() {
	advance_ms(PERIOD_MS);
	run_to_block(System::block_number() + 1);
}

fn ratio(n: u128, d: u128) -> FixedU128 {
	FixedU128::from_rational(n, d)
}

fn is_staked(node: NodeId) -> bool {
	Registry::profile(node).expect("registered").staked
}

#[test]
fn the_multiplier_is_reset_once_per_period_from_supply_and_demand() {
	test(|| {
		// One period after the chain's start: the hook records the new period; with no market
		// input the multiplier stays.
		next_period();
		let period = ChainClock::period_index();
		assert_eq!((period, ScheduleUpdatedIn::<Test>::get()), (1, 1));
		assert_eq!(multiplier(), FixedU128::one());
		market_runs_at(20);
		vcai_trades_at(Some(REFERENCE_PRICE));
		run_to_block(System::block_number() + 1);
		// Same period: nothing changes until the next one begins.
		assert_eq!(multiplier(), FixedU128::one());
		next_period();
		assert_eq!(multiplier(), ratio(11, 10));
		assert_eq!(ScheduleUpdatedIn::<Test>::get(), period + 1);
		assert_eq!(
			last_event(),
			RuntimeEvent::Registry(Event::StakeAdjusted {
				period: 2,
				utilization: Some(sp_runtime::Perbill::from_percent(20)),
				vcai_per_usdv: Some(REFERENCE_PRICE),
				aim: Some(ratio(16, 10)),
				old: FixedU128::one(),
				new: ratio(11, 10),
				enforced: FixedU128::one(),
			})
		);
	});
}

/// The multiplier's path over simulated periods: idle capacity (20%) raises it 10% a period to
/// its aim of 1.6×; a full network (100%) brings it down 10% a period to 0.8×; at the target it
/// rests. A price a quarter of the reference (4× the VCAI per USDV) asks 4× the VCAI, reached in
/// steps, and the runtime's bounds hold whatever the market says.
#[test]
fn the_multiplier_follows_utilization_and_price_one_step_a_period() {
	test(|| {
		let mut path = Vec::new();
		let run = |percent: u32, price: Option<VcaiPerUsdv>, periods: usize, path: &mut Vec<String>| {
			market_runs_at(percent);
			vcai_trades_at(price);
			for _ in 0..periods {
				next_period();
				path.push(format!("U {percent}%: {:.4}", multiplier().to_float()));
			}
		};
		let at_reference = Some(REFERENCE_PRICE);
		run(20, at_reference, 6, &mut path);
		run(100, at_reference, 8, &mut path);
		run(80, at_reference, 2, &mut path);
		println!("multiplier by period: {}", path.join(", "));
		let expected = [
			"1.1000", "1.2100", "1.3310", "1.4641", "1.6000", "1.6000", // idle: up to 1.6
			"1.4400", "1.2960", "1.1664", "1.0498", "0.9448", "0.8503", "0.8000", "0.8000", // full
			"0.8800", "0.9680", // at the target: back toward 1
		];
		let got: Vec<&str> = path.iter().map(|p| p.rsplit(' ').next().unwrap()).collect();
		assert_eq!(got, expected);

		// VCAI at a quarter of the reference price: the aim is 4× at the target utilization.
		run(80, Some(REFERENCE_PRICE * 4), 20, &mut path);
		assert_eq!(multiplier(), FixedU128::from_u32(4));
		// Whatever the market says, the runtime's bounds hold.
		run(0, Some(REFERENCE_PRICE * 1_000), 40, &mut path);
		assert_eq!(multiplier(), FixedU128::from_u32(10));
		run(100, Some(1), 60, &mut path);
		assert_eq!(multiplier(), ratio(1, 10));
	});
}

/// A raise binds registered nodes only after the grace: they stay assignable for two whole
/// periods, then are not assigned new tasks until they top up; they are never deregistered
/// for it and their heartbeats still count. A new node registers at the raised requirement.
#[test]
fn a_raise_binds_registered_nodes_after_the_grace_and_a_cut_at_once() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_eq!(Registry::stake(node), Some((10_000 * VCAI, 10_000 * VCAI)));
		market_runs_at(0);
		vcai_trades_at(Some(REFERENCE_PRICE));
		next_period();
		assert_eq!(multiplier(), ratio(11, 10));
		// Period 1: 1.1× for new nodes, the node still meets 1×.
		assert_eq!(Registry::required_stake(&h100s(1)).ok(), Some(11_000 * VCAI));
		assert_eq!(Registry::stake(node), Some((10_000 * VCAI, 10_000 * VCAI)));
		assert!(is_staked(node));
		// 70% keeps the aim at 1.1×.
		market_runs_at(70);
		next_period();
		assert_eq!(multiplier(), ratio(11, 10));
		assert!(is_staked(node), "second period of grace");
		next_period();
		// The grace is over: the node is held to 1.1× and is short.
		assert_eq!(enforced(), ratio(11, 10));
		assert_eq!(Registry::stake(node), Some((10_000 * VCAI, 11_000 * VCAI)));
		assert!(!is_staked(node));
		assert_ok!(beat(OPERATOR, node));
		assert_ok!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, 1_000 * VCAI));
		assert!(is_staked(node));

		// Governance cuts the multiplier: the lower requirement holds at once.
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), ratio(1, 2)));
		assert_eq!(enforced(), ratio(1, 2));
		assert_eq!(Registry::stake(node), Some((11_000 * VCAI, 5_000 * VCAI)));
		// And raises it in the same period: registered nodes keep the low for at least the grace.
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_u32(3)));
		assert_eq!(enforced(), ratio(1, 2));
		assert!(is_staked(node));
	});
}

#[test]
fn governance_sets_how_the_multiplier_follows_the_market() {
	test(|| {
		let params = StakeAdjustment {
			reference_vcai_per_usdv: REFERENCE_PRICE,
			demand_gain: sp_runtime::Perbill::from_percent(50),
			max_step: sp_runtime::Perbill::from_percent(5),
			grace_periods: 0,
		};
		assert_noop!(
			Registry::set_stake_adjustment(RuntimeOrigin::signed(OWNER), params),
			sp_runtime::DispatchError::BadOrigin
		);
		for bad in [
			StakeAdjustment { max_step: sp_runtime::Perbill::zero(), ..params },
			StakeAdjustment { max_step: sp_runtime::Perbill::from_percent(60), ..params },
			StakeAdjustment { grace_periods: 9, ..params },
		] {
			assert_noop!(
				Registry::set_stake_adjustment(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidStakeAdjustment
			);
		}
		assert_ok!(Registry::set_stake_adjustment(RuntimeOrigin::root(), params));
		assert_eq!(StakeAdjustmentParams::<Test>::get(), params);
		// A shorter grace waits for the one in force (two periods, and the current one) to run out.
		assert_eq!(StakeGrace::<Test>::get().grace, 2);
		market_runs_at(0);
		vcai_trades_at(Some(REFERENCE_PRICE));
		for _ in 0..3 {
			next_period();
		}
		// No grace now: a raise binds at once; half the gain and a 5% step.
		assert_eq!(StakeGrace::<Test>::get().grace, 0);
		next_period();
		let step = ratio(105, 100);
		assert_eq!(multiplier(), step * step * step * step);
		assert_eq!(enforced(), multiplier());
	});
}

/// Governance cannot take a grace away from nodes already in it: a raise followed by a cut of
/// the grace to zero still leaves the raised nodes their two periods.
#[test]
fn a_cut_of_the_grace_spares_a_raise_already_made() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		market_runs_at(70);
		vcai_trades_at(Some(REFERENCE_PRICE));
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), ratio(11, 10)));
		let no_grace = StakeAdjustment { grace_periods: 0, ..StakeAdjustmentParams::<Test>::get() };
		assert_ok!(Registry::set_stake_adjustment(RuntimeOrigin::root(), no_grace));
		assert!(is_staked(node), "the cut waits");
		next_period();
		next_period();
		assert!(is_staked(node), "what is left of the raise's period and two whole periods");
		next_period();
		// Three period starts later the cut applies, and so does the raise.
		assert_eq!(StakeGrace::<Test>::get().grace, 0);
		assert!(!is_staked(node));
	});
}

/// Without a price while a reference is set (the oracle restarting its day), the multiplier
/// holds rather than losing its price part in one period.
#[test]
fn without_a_price_the_multiplier_holds() {
	test(|| {
		market_runs_at(80);
		vcai_trades_at(Some(REFERENCE_PRICE * 2));
		next_period();
		assert_eq!(multiplier(), ratio(11, 10));
		vcai_trades_at(None);
		next_period();
		assert_eq!(multiplier(), ratio(11, 10));
		assert!(matches!(last_event(), RuntimeEvent::Registry(Event::StakeAdjusted { aim: None, .. })));
	});
}

frame_support::parameter_types! {
	pub TestTierLists: crate::migrations::v1::TierLists =
		(vec![(0, 1_000 * VCAI), (24, 2_500 * VCAI), (80, 10_000 * VCAI)], test_tiers());
}

/// The upgrade to the class factor: a data-centre node staked under the old default tiers stays
/// staked (its requirement unchanged), a schedule governance set itself is left alone, and the
/// migration runs once.
#[test]
fn the_migration_restates_the_old_default_tiers_for_the_class_factor() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	type Migration = crate::migrations::v1::MigrateV0ToV1<Test, TestTierLists>;
	test(|| {
		let old = schedule(&TestTierLists::get().0, FixedU128::from_rational(3, 2));
		Schedule::<Test>::put(&old);
		StorageVersion::new(0).put::<Registry>();
		// Under the old tiers without the class factor an H100 asked 10,000 × 1.5.
		Migration::on_runtime_upgrade();
		assert_eq!(Schedule::<Test>::get(), schedule(&test_tiers(), FixedU128::from_rational(3, 2)));
		assert_eq!(Registry::required_stake(&h100s(1)).ok(), Some(15_000 * VCAI));
		assert_eq!(Registry::on_chain_storage_version(), 1);
		// Once at version 1 it does nothing, whatever the tiers.
		Schedule::<Test>::put(&old);
		Migration::on_runtime_upgrade();
		assert_eq!(Schedule::<Test>::get(), old);

		// Tiers governance chose are not the runtime's to guess.
		let own = schedule(&[(0, 3 * VCAI), (40, 7 * VCAI)], FixedU128::from_u32(1));
		Schedule::<Test>::put(&own);
		StorageVersion::new(0).put::<Registry>();
		Migration::on_runtime_upgrade();
		assert_eq!(Schedule::<Test>::get(), own);
		assert_eq!(Registry::on_chain_storage_version(), 1);
	});
}
