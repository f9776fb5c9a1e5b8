//! Execution: where the slashed stake goes, bounded work per block, anyone may finish a case.

use super::*;
use crate::execute::divide;
use frame_support::assert_noop;
use vcity_primitives::{SlashOutcome, USDV};

/// The outcome of the node's last closed case.
fn last_outcome(node: NodeId) -> SlashOutcome {
	Slashing::slash_history(node).last().expect("a closed case").outcome
}

#[test]
fn the_slash_compensates_the_users_hit_pro_rata_then_the_reporters_then_the_treasury() {
	test(|| {
		let node = register(OWNER, OPERATOR, 10);
		// Moderate, 10% of 100,000 VCAI: 10,000 VCAI. The users paid 30 and 10 USDV, worth
		// 3,000 and 1,000 VCAI: each gets all of it.
		Slashing::report_offence(OffenceReport {
			node,
			offence: Offence::FailedDelivery,
			evidence: OffenceEvidence::Task(1),
			victim: Some((USER, 30 * USDV)),
			reporters: vec![VERIFIER],
		});
		report(node, Offence::FailedDelivery, 2, Some((OTHER_USER, 10 * USDV)));
		let (treasury, verifier) = (free(TREASURY), free(VERIFIER));
		run_to(1 + DEFERRAL);
		assert_eq!(free(USER), 3_000 * VCAI);
		assert_eq!(free(OTHER_USER), 1_000 * VCAI);
		// The reporter's cut, 10% of the 6,000 left; the treasury the rest.
		assert_eq!(free(VERIFIER) - verifier, 600 * VCAI);
		assert_eq!(free(TREASURY) - treasury, 5_400 * VCAI);
		assert_eq!(
			last_outcome(node),
			SlashOutcome::Executed {
				slashed: 10_000 * VCAI,
				compensated: 4_000 * VCAI,
				to_reporters: 600 * VCAI,
				to_treasury: 5_400 * VCAI,
				banned: false
			}
		);
		assert_eq!(stake(node), 90_000 * VCAI);
	});
}

#[test]
fn a_slash_smaller_than_the_users_payments_is_shared_pro_rata_to_them() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		// Minor, 5% of 10,000 VCAI = 500 VCAI against payments worth 3,000 and 1,000.
		Slashing::report_offence(OffenceReport {
			node,
			offence: Offence::UnannouncedDowntime,
			evidence: OffenceEvidence::Task(1),
			victim: Some((USER, 30 * USDV)),
			reporters: vec![VERIFIER],
		});
		report(node, Offence::UnannouncedDowntime, 2, Some((OTHER_USER, 10 * USDV)));
		let treasury = free(TREASURY);
		run_to(1 + DEFERRAL);
		assert_eq!(free(USER), 375 * VCAI);
		assert_eq!(free(OTHER_USER), 125 * VCAI);
		// Nothing left for the reporter or the treasury.
		assert_eq!(free(VERIFIER), VCAI);
		assert_eq!(free(TREASURY), treasury);
	});
}

#[test]
fn without_a_price_the_users_payments_cannot_be_valued_and_the_treasury_takes_the_slash() {
	test(|| {
		set_price(None);
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, Some((USER, 10 * USDV)));
		let treasury = free(TREASURY);
		run_to(1 + DEFERRAL);
		assert_eq!(free(USER), 0);
		assert_eq!(free(TREASURY) - treasury, 1_000 * VCAI);
	});
}

#[test]
fn a_severe_case_takes_the_whole_stake_bans_the_node_and_tells_the_chain() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FakeCapacity, 1, None);
		// Stake bonded after a severe offence goes with the rest.
		assert_ok!(Registry::bond_extra(RuntimeOrigin::signed(OWNER), node, VCAI));
		run_to(1 + DEFERRAL);
		assert_eq!(stake(node), 0);
		assert_eq!(
			pallet_compute_registry::Nodes::<Test>::get(node).unwrap().state,
			pallet_compute_registry::NodeState::Banned
		);
		assert_eq!(bans_announced(), vec![node]);
		assert!(
			matches!(last_outcome(node), SlashOutcome::Executed { slashed, banned: true, .. } if slashed == STAKE_PER_GPU + VCAI)
		);
	});
}

#[test]
fn execution_is_bounded_per_block_and_the_rest_wait_for_the_next_blocks() {
	test(|| {
		for owner in 100..105u64 {
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
				&OWNER,
				&owner,
				2 * STAKE_PER_GPU,
				frame_support::traits::tokens::Preservation::Preserve
			));
		}
		let nodes: Vec<NodeId> = (0..5u64).map(|i| register(100 + i, 200 + i, 1)).collect();
		for (i, node) in nodes.iter().enumerate() {
			report(*node, Offence::FailedDelivery, i as u64, None);
		}
		// All five fall due in one block; two a block execute (the mock's bound), in the
		// order they were reported.
		assert!(nodes.iter().all(|n| Slashing::pending_case(*n).unwrap().1.execute_at == 1 + DEFERRAL));
		run_to(DEFERRAL);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 5);
		run_to(1 + DEFERRAL);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 3);
		assert!(Slashing::pending_case(nodes[0]).is_none() && Slashing::pending_case(nodes[2]).is_some());
		run_to(2 + DEFERRAL);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 1);
		run_to(3 + DEFERRAL);
		assert_eq!(pallet_slashing::Cases::<Test>::count(), 0);
		assert_eq!(pallet_slashing::DueBounds::<Test>::get(DueKind::Window), (5, 5));
	});
}

#[test]
fn anyone_may_execute_a_due_case_and_none_before_it_is_due() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, case) = Slashing::pending_case(node).unwrap();
		assert_noop!(Slashing::execute_slash(RuntimeOrigin::signed(USER), id), Error::<Test>::NotDue);
		// Its block passed without its hook (e.g. many cases due before it): the call finishes it.
		System::set_block_number(case.execute_at + 1);
		assert_ok!(Slashing::execute_slash(RuntimeOrigin::signed(USER), id));
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
		assert_noop!(Slashing::execute_slash(RuntimeOrigin::signed(USER), id), Error::<Test>::UnknownCase);
		// Its queue entry, when it comes up, finds the case closed and changes nothing.
		run_to(case.execute_at + 2);
		assert_eq!(stake(node), STAKE_PER_GPU * 9 / 10);
	});
}

#[test]
fn an_appeal_waiting_for_its_decision_cannot_be_executed_by_the_call() {
	test(|| {
		let node = register(OWNER, OPERATOR, 1);
		report(node, Offence::FailedDelivery, 1, None);
		let (id, case) = Slashing::pending_case(node).unwrap();
		assert_ok!(Slashing::appeal(RuntimeOrigin::signed(OWNER), id));
		System::set_block_number(case.execute_at);
		assert_noop!(Slashing::execute_slash(RuntimeOrigin::signed(USER), id), Error::<Test>::NotDue);
	});
}

#[test]
fn governance_sets_parameters_within_bounds_only() {
	test(|| {
		let good = SlashParams { reporter_cut: Perbill::from_percent(20), ..test_params() };
		assert_ok!(Slashing::set_params(RuntimeOrigin::root(), good));
		assert_eq!(pallet_slashing::Params::<Test>::get(), good);
		let bad = [
			SlashParams {
				minor: FractionRange { first: Perbill::from_percent(5), last: Perbill::from_percent(11) },
				..good
			},
			SlashParams {
				moderate: FractionRange { first: Perbill::from_percent(20), last: Perbill::from_percent(10) },
				..good
			},
			SlashParams {
				moderate: FractionRange { first: Perbill::from_percent(4), last: Perbill::from_percent(10) },
				..good
			},
			SlashParams { repeats_to_last: 0, ..good },
			SlashParams { repeats_to_last: 11, ..good },
			SlashParams { deferral: 9, ..good },
			SlashParams { deferral: 200_001, ..good },
			SlashParams { appeal_grace: 100_001, ..good },
			SlashParams { repeat_window: 0, ..good },
			SlashParams { reporter_cut: Perbill::from_percent(51), ..good },
			SlashParams { appeal_deposit: 0, ..good },
		];
		for params in bad {
			assert!(Slashing::set_params(RuntimeOrigin::root(), params).is_err(), "{params:?} was accepted");
		}
		assert_eq!(pallet_slashing::Params::<Test>::get(), good);
		assert_noop!(
			Slashing::set_params(RuntimeOrigin::signed(OWNER), good),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

/// A generator the division was not written against: random slashes, payments, prices and
/// reporters. The parts always add up to the slash, no user gets more than their payment's
/// worth, and users are paid before anyone else.
#[test]
fn the_division_adds_up_to_the_slash_and_never_pays_a_user_beyond_their_payment() {
	let mut seed = 0x5eed_u64;
	let mut next = move |bound: u128| {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		u128::from(seed) % bound.max(1)
	};
	for _ in 0..5_000 {
		let slashed = next(1_000_000 * VCAI);
		let victims: Vec<(u64, Balance)> = (0..next(17) as u64).map(|i| (i, next(10_000 * USDV))).collect();
		let price = if next(10) == 0 { None } else { Some(next(1_000 * VCAI)) };
		let reporters: Vec<u64> = (0..next(9) as u64).map(|i| 100 + i).collect();
		let cut = Perbill::from_parts(next(500_000_001) as u32);
		let division = divide(slashed, &victims, price, &reporters, cut);
		let to_victims: Balance = division.victims.iter().map(|(_, a)| a).sum();
		let to_reporters: Balance = division.reporters.iter().map(|(_, a)| a).sum();
		assert_eq!(to_victims + to_reporters + division.treasury, slashed);
		let worth_all: Balance = victims.iter().map(|(_, paid)| price.map_or(0, |p| paid * p / USDV)).sum();
		for ((_, paid), (_, got)) in victims.iter().zip(&division.victims) {
			assert!(*got <= price.map_or(0, |p| paid * p / USDV));
		}
		// Users are short only by rounding when the slash covers less than their worth.
		if slashed >= worth_all {
			assert_eq!(to_victims, worth_all);
		} else {
			assert!(slashed - to_victims <= victims.len() as Balance);
		}
	}
}

/// A chain that gains the pallet by an upgrade gets the runtime's parameters, once.
#[test]
fn the_upgrade_sets_the_runtime_s_parameters_once() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	frame_support::parameter_types! {
		pub Upgraded: SlashParams<u64> = SlashParams { deferral: 77, ..test_params() };
	}
	test(|| {
		pallet_slashing::Params::<Test>::kill();
		StorageVersion::new(0).put::<Slashing>();
		crate::migrations::v1::MigrateV0ToV1::<Test, Upgraded>::on_runtime_upgrade();
		assert_eq!(pallet_slashing::Params::<Test>::get().deferral, 77);
		assert_eq!(Slashing::on_chain_storage_version(), StorageVersion::new(1));
		pallet_slashing::Params::<Test>::put(test_params());
		crate::migrations::v1::MigrateV0ToV1::<Test, Upgraded>::on_runtime_upgrade();
		assert_eq!(pallet_slashing::Params::<Test>::get(), test_params());
	});
}
