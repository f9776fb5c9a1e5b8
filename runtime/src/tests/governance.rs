//! The DAO through the real runtime: referenda on veVCAI votes, each track's origin, the
//! turnout floor, strategic issuance within quota and cap, and the supply only it grows.

use super::*;
use crate::{
	configs::governance::{AppealsOrigin, ParametersOrigin},
	OriginCaller, Preimage, Referenda, RuntimeEvent, Supply, VeVcai, VeVoting,
};
use codec::Encode;
use frame_support::traits::{schedule::DispatchTime, Bounded, EnsureOrigin, StorePreimage};
use pallet_governance::{DaoOrigin, DaoTrack};
use pallet_referenda::{ReferendumInfo, ReferendumInfoFor, TracksInfo};
use pallet_ve_voting::VoteChoice;
use sp_runtime::traits::Hash as _;

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}
fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}

/// The dev-fast chain, started: a day is ten blocks, a referendum's stages a few blocks each.
fn fast_chain(body: impl FnOnce()) {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		body();
		assert_eq!(
			Balances::total_issuance(),
			TOTAL_SUPPLY + pallet_supply::TotalIssued::<Runtime>::get(),
			"only a strategic issuance changes the supply"
		);
		assert_ok!(pallet_ve_voting::Pallet::<Runtime>::do_try_state());
		assert_ok!(pallet_supply::Pallet::<Runtime>::do_try_state());
	});
}

/// Locks `amount` for 300 days.
fn lock(who: &AccountId, amount: vcity_primitives::Balance) {
	let unlock = <crate::ChainClock as vcity_primitives::Clock>::day_start_ms(
		<crate::ChainClock as vcity_primitives::Clock>::day_index() + 300,
	);
	assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(who.clone()), amount, unlock));
}

/// Runs blocks into the next day, so veVCAI's snapshot holds the locks made today.
fn next_day() {
	let day = <crate::ChainClock as vcity_primitives::Clock>::day_index();
	while pallet_ve_vcai::Global::<Runtime>::get().day <= day {
		next_block();
	}
}

fn run_blocks(n: u32) {
	for _ in 0..n {
		next_block();
	}
}

/// `who` notes the call's preimage, submits it on the track of `origin`, and places the
/// decision deposit. Returns the referendum's index.
fn propose(who: &AccountId, origin: OriginCaller, call: RuntimeCall) -> u32 {
	let encoded = call.encode();
	let hash = <Runtime as frame_system::Config>::Hashing::hash(&encoded);
	if !pallet_preimage::RequestStatusFor::<Runtime>::contains_key(hash) {
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(who.clone()), encoded.clone()));
	}
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	let proposal = Bounded::Lookup { hash, len: encoded.len() as u32 };
	assert_ok!(Referenda::submit(
		RuntimeOrigin::signed(who.clone()),
		Box::new(origin),
		proposal,
		DispatchTime::After(0)
	));
	assert_ok!(Referenda::place_decision_deposit(RuntimeOrigin::signed(who.clone()), index));
	index
}

fn vote(who: &AccountId, index: u32, choice: VoteChoice) {
	assert_ok!(VeVoting::vote(RuntimeOrigin::signed(who.clone()), index, choice));
}

fn approved(index: u32) -> bool {
	matches!(ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Approved(..)))
}

fn rejected(index: u32) -> bool {
	matches!(ReferendumInfoFor::<Runtime>::get(index), Some(ReferendumInfo::Rejected(..)))
}

/// Whether the scheduler dispatched an enactment that failed.
fn an_enactment_failed() -> bool {
	System::events().iter().any(|record| {
		matches!(
			&record.event,
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result: Err(_), .. })
		)
	})
}

fn set_period(days: u64) -> RuntimeCall {
	RuntimeCall::ChainClock(pallet_chain_clock::Call::set_period_length { length_ms: days * 60_000 })
}

#[test]
fn a_parameter_passes_on_more_aye_weight_and_is_enacted() {
	fast_chain(|| {
		// Alice locks four times what Bob does: twice his weight.
		lock(&alice(), 40_000 * VCAI);
		lock(&bob(), 10_000 * VCAI);
		next_day();
		let issuance = Balances::total_issuance();
		let index = propose(&charlie(), OriginCaller::Governance(DaoOrigin::Parameters), set_period(2));
		vote(&alice(), index, VoteChoice::Aye);
		vote(&bob(), index, VoteChoice::Nay);
		let tally = pallet_referenda::Pallet::<Runtime>::ensure_ongoing(index).unwrap().tally;
		assert_eq!(tally.ayes, 2 * tally.nays);
		assert_eq!(tally.electorate, tally.ayes + tally.nays);
		run_blocks(12);
		assert!(approved(index));
		assert!(!an_enactment_failed());
		// Enacted: the period length changes from the next period on.
		assert_eq!(
			pallet_chain_clock::Periods::<Runtime>::get().next.map(|run| run.length_ms),
			Some(120_000)
		);
		// Deposits are back with their owners once the decision is in; nothing was minted.
		assert_ok!(Referenda::refund_decision_deposit(RuntimeOrigin::signed(charlie()), index));
		assert_ok!(Referenda::refund_submission_deposit(RuntimeOrigin::signed(charlie()), index));
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn more_nay_weight_rejects_and_nothing_is_enacted() {
	fast_chain(|| {
		lock(&alice(), 40_000 * VCAI);
		lock(&bob(), 10_000 * VCAI);
		next_day();
		let index = propose(&bob(), OriginCaller::Governance(DaoOrigin::Parameters), set_period(3));
		vote(&bob(), index, VoteChoice::Aye);
		vote(&alice(), index, VoteChoice::Nay);
		// Bob's lock after the snapshot buys nothing.
		assert_ok!(VeVcai::increase_amount(RuntimeOrigin::signed(bob()), 900_000 * VCAI));
		vote(&bob(), index, VoteChoice::Aye);
		run_blocks(30);
		assert!(rejected(index));
		assert_eq!(pallet_chain_clock::Periods::<Runtime>::get().next, None);
	});
}

#[test]
fn a_handful_of_voters_cannot_pass_anything_on_an_empty_vote() {
	fast_chain(|| {
		// Charlie holds 1% of the weight and votes alone: all aye, but under the 15% turnout.
		lock(&alice(), 99_000 * VCAI);
		lock(&charlie(), 10 * VCAI);
		next_day();
		let index = propose(&charlie(), OriginCaller::Governance(DaoOrigin::Parameters), set_period(2));
		vote(&charlie(), index, VoteChoice::Aye);
		let tally = pallet_referenda::Pallet::<Runtime>::ensure_ongoing(index).unwrap().tally;
		assert_eq!(tally.approval_ratio(), sp_runtime::Perbill::one());
		assert!(tally.support_ratio() < sp_runtime::Perbill::from_percent(15));
		run_blocks(30);
		assert!(rejected(index));
		assert_eq!(pallet_chain_clock::Periods::<Runtime>::get().next, None);
	});
}

#[test]
fn the_root_track_changes_what_other_tracks_need() {
	fast_chain(|| {
		lock(&alice(), 40_000 * VCAI);
		next_day();
		let stricter = pallet_governance::TrackSettings {
			min_turnout: sp_runtime::Perbill::from_percent(60),
			..pallet_governance::Pallet::<Runtime>::settings(DaoTrack::Parameters)
		};
		let call = RuntimeCall::Governance(pallet_governance::Call::set_track {
			track: DaoTrack::Parameters.id(),
			settings: stricter,
		});
		// A parameters referendum cannot reach root-only calls: its dispatch is refused.
		let wrong = propose(&alice(), OriginCaller::Governance(DaoOrigin::Parameters), call.clone());
		vote(&alice(), wrong, VoteChoice::Aye);
		run_blocks(12);
		assert!(approved(wrong));
		assert!(an_enactment_failed());
		System::reset_events();
		// The root track can.
		let index = propose(&alice(), OriginCaller::system(frame_system::RawOrigin::Root), call);
		vote(&alice(), index, VoteChoice::Aye);
		run_blocks(12);
		assert!(approved(index));
		assert!(!an_enactment_failed());
		let info = pallet_governance::Tracks::<Runtime>::info(DaoTrack::Parameters.id()).unwrap();
		assert!(!info
			.min_support
			.passing(sp_runtime::Perbill::zero(), sp_runtime::Perbill::from_percent(59)));
	});
}

#[test]
fn a_strategic_issuance_within_quota_mints_with_vesting_and_one_over_the_cap_is_refused() {
	use frame_support::traits::VestingSchedule;
	use vcity_primitives::{RevenueSink, USDV};
	fast_chain(|| {
		// dev-fast's stages: a thousand VCAI locked and a hundredth of a USDV of revenue.
		lock(&alice(), 40_000 * VCAI);
		next_day();
		assert_eq!(Supply::available_quotas(), 0, "no revenue yet");
		<crate::Buyback as RevenueSink<AccountId, _>>::note_revenue(USDV);
		assert_eq!(Supply::available_quotas(), 40);
		let partner = Sr25519Keyring::Ferdie.to_account_id();
		let grant = 1_000_000 * VCAI;
		let before = Balances::free_balance(&partner);
		let issue = |amount| {
			RuntimeCall::Supply(pallet_supply::Call::strategic_issuance {
				grants: vec![(partner.clone(), amount)].try_into().unwrap(),
				terms: pallet_supply::VestingTerms { cliff_days: 1, vesting_days: 10 },
			})
		};
		let index = propose(&alice(), OriginCaller::Governance(DaoOrigin::StrategicIssuance), issue(grant));
		vote(&alice(), index, VoteChoice::Aye);
		run_blocks(12);
		assert!(approved(index) && !an_enactment_failed());
		assert_eq!(Balances::free_balance(&partner), before + grant);
		assert_eq!(<Vesting as VestingSchedule<_>>::vesting_balance(&partner), Some(grant));
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY + grant);
		assert_eq!(Supply::quotas().used, 1);
		// 5% of the supply at the year's start, less the million just minted, is the room left.
		let room = TOTAL_SUPPLY / 20 - grant;
		assert_eq!(Supply::quotas().room_this_year, room);
		let over = propose(&alice(), OriginCaller::Governance(DaoOrigin::StrategicIssuance), issue(room + 1));
		vote(&alice(), over, VoteChoice::Aye);
		run_blocks(12);
		assert!(approved(over) && an_enactment_failed());
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY + grant);
		assert_eq!(Supply::quotas().used, 1);
	});
}

#[test]
fn every_governed_call_takes_root_or_its_own_track_and_nothing_else() {
	fast_chain(|| {
		let dao = |origin: DaoOrigin| RuntimeOrigin::from(origin);
		let all = [
			DaoOrigin::Parameters,
			DaoOrigin::StrategicIssuance,
			DaoOrigin::Repricing,
			DaoOrigin::TreasurySpending,
			DaoOrigin::Appeal,
		];
		fn accepts<E: EnsureOrigin<RuntimeOrigin>>(origin: RuntimeOrigin) -> bool {
			E::try_origin(origin).is_ok()
		}
		type Checks = [(&'static str, fn(RuntimeOrigin) -> bool, DaoOrigin); 15];
		let checks: Checks = [
			(
				"chain clock",
				accepts::<<Runtime as pallet_chain_clock::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"registry",
				accepts::<<Runtime as pallet_compute_registry::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"market",
				accepts::<<Runtime as pallet_compute_market::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"market disputes",
				accepts::<<Runtime as pallet_compute_market::Config>::DisputeOrigin>,
				DaoOrigin::Appeal,
			),
			(
				"rewards",
				accepts::<<Runtime as pallet_rewards::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"buyback",
				accepts::<<Runtime as pallet_buyback::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"slashing",
				accepts::<<Runtime as pallet_slashing::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			("appeals", accepts::<<Runtime as pallet_slashing::Config>::AppealOrigin>, DaoOrigin::Appeal),
			(
				"verification",
				accepts::<<Runtime as pallet_verification::Config>::GovernanceOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"amm",
				accepts::<<Runtime as pallet_asset_conversion::Config>::AdminOrigin>,
				DaoOrigin::Parameters,
			),
			(
				"issuance",
				accepts::<<Runtime as pallet_supply::Config>::IssuanceOrigin>,
				DaoOrigin::StrategicIssuance,
			),
			(
				"repricing",
				accepts::<<Runtime as pallet_supply::Config>::RepricingOrigin>,
				DaoOrigin::Repricing,
			),
			(
				"spending",
				accepts::<<Runtime as pallet_supply::Config>::SpendOrigin>,
				DaoOrigin::TreasurySpending,
			),
			("parameters alias", accepts::<ParametersOrigin>, DaoOrigin::Parameters),
			(
				"cancelling",
				accepts::<<Runtime as pallet_referenda::Config>::CancelOrigin>,
				DaoOrigin::Canceller,
			),
		];
		for (name, check, own) in checks {
			assert!(check(RuntimeOrigin::root()), "{name}: root");
			assert!(!check(RuntimeOrigin::signed(alice())), "{name}: signed");
			for origin in all {
				assert_eq!(check(dao(origin)), origin == own, "{name}: {origin:?}");
			}
		}
		assert!(accepts::<AppealsOrigin>(dao(DaoOrigin::Appeal)));
		// Root-only calls (runtime upgrades, asset and track administration, cancelling
		// referenda) are the root track's.
		let root = OriginCaller::system(frame_system::RawOrigin::Root);
		assert_eq!(pallet_governance::Tracks::<Runtime>::track_for(&root), Ok(DaoTrack::Root.id()));
		for origin in all {
			let caller = OriginCaller::Governance(origin);
			assert_eq!(pallet_governance::Tracks::<Runtime>::track_for(&caller), Ok(origin.track().id()));
		}
	});
}

#[test]
fn the_staging_chain_has_no_sudo_and_production_tracks() {
	preset_storage(STAGING_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		let root = pallet_governance::Pallet::<Runtime>::settings(DaoTrack::Root);
		assert_eq!(root.prepare_period, 7 * crate::DAYS);
		assert_eq!(root.decision_deposit, 1_000_000 * VCAI);
		assert_eq!(pallet_supply::Stages::<Runtime>::get(), pallet_supply::StageSizes::default());
		let _ = Preimage::bound(set_period(2));
	});
}

#[test]
fn the_runtime_api_reports_quotas_and_a_referendum_with_its_live_tally() {
	use pallet_governance_runtime_api::runtime_decl_for_governance_api::GovernanceApiV1;
	use vcity_primitives::{ReferendumStage, RevenueSink, USDV};
	fast_chain(|| {
		lock(&alice(), 40_000 * VCAI);
		lock(&bob(), 10_000 * VCAI);
		next_day();
		<crate::Buyback as RevenueSink<AccountId, _>>::note_revenue(USDV / 50);
		let quotas = <Runtime as GovernanceApiV1<crate::Block>>::supply_quotas();
		assert_eq!((quotas.revenue_stages, quotas.equity_stages, quotas.available), (2, 50, 2));
		assert_eq!(quotas.room_this_year, TOTAL_SUPPLY / 20);
		assert_eq!(<Runtime as GovernanceApiV1<crate::Block>>::referendum(0), None);
		let index = propose(&charlie(), OriginCaller::Governance(DaoOrigin::Parameters), set_period(2));
		let view = <Runtime as GovernanceApiV1<crate::Block>>::referendum(index).unwrap();
		assert_eq!((view.track, view.track_name.as_deref()), (Some(1), Some("parameters")));
		assert_eq!(view.stage, ReferendumStage::Preparing);
		vote(&alice(), index, VoteChoice::Aye);
		vote(&bob(), index, VoteChoice::Nay);
		run_blocks(3);
		let view = <Runtime as GovernanceApiV1<crate::Block>>::referendum(index).unwrap();
		assert_eq!(view.stage, ReferendumStage::Confirming);
		let tally = view.tally.unwrap();
		assert_eq!(tally.ayes, 2 * tally.nays);
		assert_eq!(
			(tally.approval_ppb, tally.support_ppb, tally.min_turnout_ppb),
			(666_666_666, 1_000_000_000, 150_000_000)
		);
		assert!(tally.passing);
		run_blocks(10);
		let view = <Runtime as GovernanceApiV1<crate::Block>>::referendum(index).unwrap();
		assert_eq!((view.stage, view.tally, view.track), (ReferendumStage::Approved, None, None));
		assert!(view.ended.is_some());
	});
}

/// Stands in for the wasm executor, which reads a runtime's version from its code: any code is
/// this runtime's next version.
struct NextVersion;
impl sp_core::traits::ReadRuntimeVersion for NextVersion {
	fn read_runtime_version(
		&self,
		_code: &[u8],
		_ext: &mut dyn sp_externalities::Externalities,
	) -> Result<Vec<u8>, String> {
		let mut version = crate::VERSION;
		version.spec_version += 1;
		Ok(version.encode())
	}
}

#[test]
fn a_runtime_upgrade_passes_the_root_track_on_a_chain_without_sudo() {
	let mut ext = preset_storage(DEV_FAST_PRESET);
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(NextVersion));
	ext.execute_with(|| {
		start_clock();
		// The chain gives up sudo, as the end-to-end flow's does; staging never had it.
		assert_ok!(crate::Sudo::remove_key(RuntimeOrigin::signed(alice())));
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		lock(&alice(), 40_000 * VCAI);
		lock(&bob(), 10_000 * VCAI);
		next_day();
		let code = b"the next runtime".to_vec();
		let upgrade = RuntimeCall::System(frame_system::Call::set_code { code: code.clone() });
		let index = propose(&charlie(), OriginCaller::system(frame_system::RawOrigin::Root), upgrade);
		vote(&alice(), index, VoteChoice::Aye);
		vote(&bob(), index, VoteChoice::Aye);
		run_blocks(12);
		assert!(approved(index) && !an_enactment_failed());
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::System(frame_system::Event::CodeUpdated { .. })
		)));
		let stored = sp_io::storage::get(sp_core::storage::well_known_keys::CODE)
			.or_else(|| sp_io::storage::get(sp_core::storage::well_known_keys::PENDING_CODE));
		assert_eq!(stored.as_deref(), Some(&code[..]));
	});
}

#[test]
fn no_account_can_burn_vcai() {
	use sp_runtime::traits::Dispatchable;
	fast_chain(|| {
		let burn = RuntimeCall::Balances(pallet_balances::Call::burn { value: VCAI, keep_alive: true });
		let result = burn.dispatch(RuntimeOrigin::signed(alice()));
		assert_eq!(result.map_err(|e| e.error), Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		// Nor inside a batch.
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![RuntimeCall::Balances(pallet_balances::Call::burn { value: VCAI, keep_alive: true })],
		});
		assert!(batch.dispatch(RuntimeOrigin::signed(alice())).is_err());
		assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY);
	});
}

/// An account that paid for its own USDV account (`touch`) could get the deposit back by burning
/// its USDV (`refund` with `allow_burn`): the filter refuses it, so only the issuer moves USDV's
/// supply. Refunding without the burn still works once the balance is gone.
#[test]
fn no_account_can_burn_usdv_to_refund_its_deposit() {
	use frame_support::traits::fungibles::Inspect;
	use sp_runtime::traits::Dispatchable;
	use vcity_primitives::USDV;
	fast_chain(|| {
		let fresh = AccountId::from([7; 32]);
		assert_ok!(Balances::transfer_keep_alive(RuntimeOrigin::signed(alice()), fresh.clone().into(), VCAI));
		assert_ok!(crate::Assets::touch(RuntimeOrigin::signed(fresh.clone()), USDV_ASSET_ID.into()));
		assert_ok!(crate::Assets::transfer(
			RuntimeOrigin::signed(alice()),
			USDV_ASSET_ID.into(),
			fresh.clone().into(),
			5 * USDV
		));
		let supply = crate::Assets::total_issuance(USDV_ASSET_ID);
		let refund = |allow_burn| {
			RuntimeCall::Assets(pallet_assets::Call::refund { id: USDV_ASSET_ID.into(), allow_burn })
				.dispatch(RuntimeOrigin::signed(fresh.clone()))
				.map_err(|e| e.error)
		};
		assert_eq!(refund(true), Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		assert_eq!(crate::Assets::balance(USDV_ASSET_ID, &fresh), 5 * USDV);
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), supply);
		// With the USDV moved out, the deposit comes back without burning anything.
		assert_ok!(crate::Assets::transfer(
			RuntimeOrigin::signed(fresh.clone()),
			USDV_ASSET_ID.into(),
			alice().into(),
			5 * USDV
		));
		assert_ok!(refund(false));
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), supply);
	});
}

#[test]
fn a_quota_comes_with_real_locks_and_revenue_and_goes_when_the_lock_expires() {
	use vcity_primitives::{RevenueSink, USDV};
	fast_chain(|| {
		// dev-fast: an equity stage is 1,000 VCAI locked, a revenue stage 0.01 USDV.
		let unlock = <crate::ChainClock as vcity_primitives::Clock>::day_start_ms(
			<crate::ChainClock as vcity_primitives::Clock>::day_index() + 3,
		);
		assert_ok!(VeVcai::create_lock(RuntimeOrigin::signed(alice()), 2_000 * VCAI, unlock));
		assert_eq!(Supply::quotas().equity_stages, 2);
		assert_eq!(Supply::available_quotas(), 0, "no revenue yet");
		<crate::Buyback as RevenueSink<AccountId, _>>::note_revenue(USDV / 100);
		assert_eq!(Supply::available_quotas(), 1);
		// Three days on the lock has expired: locked VCAI no longer counts, withdrawn or not.
		for _ in 0..3 {
			next_day();
		}
		assert_eq!(Supply::quotas().equity_stages, 0);
		assert_eq!(Supply::available_quotas(), 0);
	});
}

/// A container's result no verifier can recompute, so its dispute goes to the appeals track: a
/// referendum upholds it, the task is refunded in full and its node reported for a failed
/// delivery (issue of an unresolved dispute that settled for the node whatever it delivered).
#[test]
fn a_container_dispute_is_upheld_by_a_referendum_of_the_appeals_track() {
	use crate::{ComputeMarket, Slashing};
	use vcity_primitives::{Offence, OffenceEvidence, TaskStatus, Workload};
	fast_chain(|| {
		lock(&alice(), 40_000 * VCAI);
		next_day();
		let (node, _scheduler) = register_market_nodes();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let eve_usdv = crate::Assets::balance(vcity_primitives::USDV_ASSET_ID, &eve);
		let image = BoundedVec::truncate_from(b"ghcr.io/acme/job@sha256:6b3f".to_vec());
		let id = submit_market_task(&eve, 3_600, 2_000, Workload::Container { image, command_hash: [7; 32] });
		assert_ok!(ComputeMarket::assign_directly(RuntimeOrigin::signed(eve.clone()), id, node));
		let operator = RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
		assert_ok!(ComputeMarket::acknowledge_task(operator.clone(), id));
		assert_ok!(ComputeMarket::start_task(operator.clone(), id));
		pallet_timestamp::Now::<Runtime>::mutate(|now| *now += 3_600_000);
		assert_ok!(ComputeMarket::complete_task(operator, id, [3; 32], 14_400));
		assert_ok!(ComputeMarket::dispute_task(RuntimeOrigin::signed(eve.clone()), id));
		assert!(!pallet_verification::AuditOfTask::<Runtime>::contains_key(id), "no audit for a container");

		let resolve = RuntimeCall::ComputeMarket(pallet_compute_market::Call::resolve_dispute {
			task: id,
			upheld: true,
		});
		let index = propose(&charlie(), OriginCaller::Governance(DaoOrigin::Appeal), resolve);
		vote(&alice(), index, VoteChoice::Aye);
		run_blocks(8);
		assert!(approved(index));
		assert!(!an_enactment_failed());
		assert_eq!(ComputeMarket::task_info(id).unwrap().status, TaskStatus::Refunded);
		assert_eq!(
			crate::Assets::balance(vcity_primitives::USDV_ASSET_ID, &eve),
			eve_usdv,
			"the whole escrow back"
		);
		let (_, case) = Slashing::pending_case(node).expect("the upheld dispute opened a case");
		assert_eq!(case.offences.to_vec(), vec![(Offence::FailedDelivery, OffenceEvidence::Task(id))]);
	});
}
