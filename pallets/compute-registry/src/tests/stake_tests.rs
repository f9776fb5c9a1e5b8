//! The stake schedule, bonding more, and the weekly multiplier.

use super::*;
use frame_support::assert_noop;
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
		// 3 × H100 = 240 GiB: stage 2, 1.35 × 3 × 10,000.
		assert_eq!(Registry::required_stake(&h100s(3)).ok(), Some(40_500 * VCAI));
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
		assert_eq!(Registry::required_stake(&h100s(1)).ok(), Some(8 * VCAI));
	});
}

#[test]
fn the_multiplier_is_reset_once_per_period_from_supply_and_demand() {
	test(|| {
		// One period after the chain's start: the hook records the new period, with no input
		// the multiplier stays.
		advance_ms(PERIOD_MS);
		run_to_block(2);
		let period = ChainClock::period_index();
		assert_eq!((period, ScheduleUpdatedIn::<Test>::get()), (1, 1));
		assert_eq!(Schedule::<Test>::get().multiplier, FixedU128::from_u32(1));
		market_asks_multiplier(FixedU128::from_rational(6, 5));
		run_to_block(3);
		// Same period: nothing changes until the next one begins.
		assert_eq!(Schedule::<Test>::get().multiplier, FixedU128::from_u32(1));
		advance_ms(PERIOD_MS);
		run_to_block(4);
		assert_eq!(Schedule::<Test>::get().multiplier, FixedU128::from_rational(6, 5));
		assert_eq!(ScheduleUpdatedIn::<Test>::get(), period + 1);
		// The market cannot push the multiplier past its bounds.
		market_asks_multiplier(FixedU128::from_u32(1_000));
		advance_ms(PERIOD_MS);
		run_to_block(5);
		assert_eq!(Schedule::<Test>::get().multiplier, FixedU128::from_u32(10));
	});
}

#[test]
fn underbonded_nodes_stay_registered_when_the_schedule_rises() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		assert_ok!(Registry::set_stake_multiplier(RuntimeOrigin::root(), FixedU128::from_u32(2)));
		assert_eq!(Registry::stake(node), Some((10_000 * VCAI, 20_000 * VCAI)));
		assert_ok!(beat(OPERATOR, node));
	});
}
