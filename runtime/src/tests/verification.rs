//! Verification through the real runtime: a disputed delivery is audited by verifier nodes of
//! the registry; a false result is refunded and its node slashed, a right one settles at once
//! and its verifiers are paid from the verification fees; a silent verifier is reported. VCAI's
//! issuance and USDV's stay what they were.

use super::*;
use crate::{ComputeMarket, Slashing, Verification};
use frame_support::traits::fungibles::Inspect as _;
use pallet_verification::{AuditOfTask, AuditStatus, Jobs};
use vcity_primitives::{answer_commitment, CheckAnswer, Digest, JobId, NodeId, OffenceTier, TaskStatus};

/// What the node delivered (`deliver_task` completes with it) and the truth verifiers find.
const DELIVERED: Digest = [3; 32];
const TRUTH: Digest = [4; 32];

fn usdv(who: &AccountId) -> crate::Balance {
	crate::Assets::balance(USDV_ASSET_ID, who)
}

/// Three verifier nodes with an RTX 4090 each, owned by Ferdie, Charlie's and Dave's stashes,
/// each run by an operator key of its own; online and in the pool.
fn register_verifiers() -> Vec<(NodeId, AccountId)> {
	[Sr25519Keyring::Ferdie, Sr25519Keyring::CharlieStash, Sr25519Keyring::DaveStash]
		.into_iter()
		.enumerate()
		.map(|(i, owner)| {
			let operator = AccountId::from([100 + i as u8; 32]);
			let id = pallet_compute_registry::NextNodeId::<Runtime>::get();
			let gpu = GpuSpec {
				model: BoundedVec::try_from(b"NVIDIA GeForce RTX 4090".to_vec()).unwrap(),
				count: 1,
				vram_per_gpu_gib: 24,
			};
			let stake = ComputeRegistry::required_stake(&gpu).unwrap();
			assert_ok!(ComputeRegistry::register_node(
				RuntimeOrigin::signed(owner.to_account_id()),
				NodeKind::Flexible,
				NodeRoles { compute: false, verifier: true, scheduler: false },
				gpu,
				BoundedVec::try_from(b"eu-west".to_vec()).unwrap(),
				vcity_primitives::USDV,
				operator.clone(),
				stake,
			));
			assert_ok!(ComputeRegistry::heartbeat(
				RuntimeOrigin::signed(operator.clone()),
				id,
				HeartbeatMetrics::default()
			));
			assert_ok!(Verification::join_pool(RuntimeOrigin::signed(owner.to_account_id()), id));
			(id, operator)
		})
		.collect()
}

/// Eve buys a task of Alice's node, which delivers [`DELIVERED`]; three verifiers join; Eve
/// disputes; two blocks later the audit opens. Returns the node, the task, the job, the
/// verifiers.
fn disputed_audit() -> (NodeId, u64, JobId, Vec<(NodeId, AccountId)>) {
	start_clock();
	warm_price_oracle();
	let (node, _) = register_market_nodes();
	let eve = Sr25519Keyring::Eve.to_account_id();
	let task = deliver_task(&eve, node, 1);
	let verifiers = register_verifiers();
	assert_ok!(ComputeMarket::dispute_task(RuntimeOrigin::signed(eve), task));
	next_block();
	next_block();
	let Some(AuditStatus::Open(job)) = AuditOfTask::<Runtime>::get(task) else {
		panic!("a disputed recomputable task is audited")
	};
	assert_eq!(Jobs::<Runtime>::get(job).unwrap().seats.len(), 3);
	(node, task, job, verifiers)
}

/// The answer of whoever computed an output whose digest is `digest` (its keyed digest stands
/// for the output under the job's key).
fn check_answer(digest: Digest) -> CheckAnswer {
	CheckAnswer { digest, keyed: sp_io::hashing::blake2_256(&digest) }
}

/// `verifiers` commit to `answer` and, once reveals are taken, reveal it.
fn answer(job: JobId, verifiers: &[(NodeId, AccountId)], digest: Digest) {
	let answer = check_answer(digest);
	for (node, operator) in verifiers {
		let salt = [*node as u8; 32];
		let commitment = answer_commitment(job, *node, &answer, &salt);
		assert_ok!(Verification::commit_answer(RuntimeOrigin::signed(operator.clone()), job, commitment));
	}
	let open = Jobs::<Runtime>::get(job).unwrap();
	if !open.all_committed() {
		while System::block_number() < open.commit_by {
			next_block();
		}
	}
	for (node, operator) in verifiers {
		let salt = [*node as u8; 32];
		assert_ok!(Verification::reveal_answer(RuntimeOrigin::signed(operator.clone()), job, answer, salt));
	}
}

fn check_invariants() {
	ComputeRegistry::do_try_state().expect("registry invariants hold");
	ComputeMarket::do_try_state().expect("market invariants hold");
	Slashing::do_try_state().expect("slashing invariants hold");
	Verification::do_try_state().expect("verification invariants hold");
	assert_eq!(Balances::total_issuance(), TOTAL_SUPPLY, "verification mints and burns no VCAI");
}

#[test]
fn a_false_result_is_caught_refunded_and_its_node_suspended_pending_a_severe_slash() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let usdv_issuance = crate::Assets::total_issuance(USDV_ASSET_ID);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let eve_before = usdv(&eve);
		let (node, task, job, verifiers) = disputed_audit();
		answer(job, &verifiers, TRUTH);

		assert_eq!(ComputeMarket::task_info(task).unwrap().status, TaskStatus::Refunded);
		assert_eq!(usdv(&eve), eve_before, "the escrow and the dispute deposit are Eve's again");
		let (_, case) = Slashing::pending_case(node).expect("the false result opened a case");
		assert_eq!(case.tier, OffenceTier::Severe);
		assert_eq!(case.victims[0].who, eve);
		let mut reporters: Vec<_> = case.reporters.to_vec();
		reporters.sort();
		let mut owners: Vec<_> = verifiers
			.iter()
			.map(|(v, _)| pallet_compute_registry::Nodes::<Runtime>::get(*v).unwrap().owner)
			.collect();
		owners.sort();
		assert_eq!(reporters, owners, "the verifiers who found it share the reporter's cut");
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(vcity_primitives::NodeStatus::Suspended),
			"suspended at once"
		);
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), usdv_issuance);
		check_invariants();
	});
}

#[test]
fn a_right_result_settles_at_once_and_its_verifiers_are_paid_from_the_fees() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let usdv_issuance = crate::Assets::total_issuance(USDV_ASSET_ID);
		let (node, task, job, verifiers) = disputed_audit();
		let owners: Vec<_> = verifiers
			.iter()
			.map(|(v, _)| pallet_compute_registry::Nodes::<Runtime>::get(*v).unwrap().owner)
			.collect();
		let before: Vec<_> = owners.iter().map(usdv).collect();
		answer(job, &verifiers, DELIVERED);

		assert_eq!(ComputeMarket::task_info(task).unwrap().status, TaskStatus::Settled);
		assert!(Slashing::pending_case(node).is_none());
		let reward = pallet_verification::Params::<Runtime>::get().answer_reward;
		for (owner, before) in owners.iter().zip(before) {
			assert_eq!(usdv(owner), before + reward, "paid out of Eve's forfeited deposit and the fees");
		}
		// The pot: its minimum balance, Eve's deposit less three rewards, and the settlement's 2%.
		let paid = pallet_compute_market::Tasks::<Runtime>::get(task).unwrap().paid;
		let deposit = pallet_verification::Params::<Runtime>::get().dispute_deposit;
		assert_eq!(
			usdv(&Verification::pot()),
			USDV_MIN_BALANCE + deposit - 3 * reward + sp_runtime::Permill::from_percent(2).mul_floor(paid)
		);
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), usdv_issuance);
		check_invariants();
	});
}

#[test]
fn a_verifier_that_never_answers_is_reported_and_two_of_three_still_decide() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let (_, task, job, verifiers) = disputed_audit();
		let (silent, _) = verifiers[2].clone();
		// The third never commits; once the commit phase is over the two others reveal, and
		// nothing is left to wait for.
		answer(job, &verifiers[..2], DELIVERED);
		assert!(Jobs::<Runtime>::get(job).is_none());
		assert_eq!(ComputeMarket::task_info(task).unwrap().status, TaskStatus::Settled);
		let (_, case) = Slashing::pending_case(silent).expect("absence is an offence");
		assert_eq!(case.tier, OffenceTier::Minor);
		check_invariants();
	});
}

#[test]
fn a_delivery_is_audited_at_the_governed_fraction_without_a_dispute() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		let (node, _) = register_market_nodes();
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			pallet_verification::VerificationParams {
				audit_fraction: sp_runtime::Perbill::one(),
				..pallet_verification::Params::<Runtime>::get()
			}
		));
		let task = deliver_task(&Sr25519Keyring::Eve.to_account_id(), node, 1);
		register_verifiers();
		// The dispute window closes before the draw: the settlement waits for it.
		next_block();
		next_block();
		assert!(matches!(AuditOfTask::<Runtime>::get(task), Some(AuditStatus::Open(_))));
		for _ in 0..10 {
			next_block();
		}
		assert_eq!(
			ComputeMarket::task_info(task).unwrap().status,
			TaskStatus::Delivered,
			"the dispute window has closed; the audit holds the payment"
		);
		check_invariants();
	});
}

/// A buyer and a node of one person cannot spare the node its audit by rating the delivery at
/// once: the draw two blocks later still audits the settled task, and a false result is
/// reported whatever the rating said.
#[test]
fn a_rating_does_not_spare_a_delivery_its_audit() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		warm_price_oracle();
		let (node, _) = register_market_nodes();
		assert_ok!(Verification::set_params(
			RuntimeOrigin::root(),
			pallet_verification::VerificationParams {
				audit_fraction: sp_runtime::Perbill::one(),
				..pallet_verification::Params::<Runtime>::get()
			}
		));
		let eve = Sr25519Keyring::Eve.to_account_id();
		let task = deliver_task(&eve, node, 1);
		assert_ok!(ComputeMarket::rate_task(RuntimeOrigin::signed(eve), task, 5));
		assert_eq!(ComputeMarket::task_info(task).unwrap().status, TaskStatus::Settled);
		let verifiers = register_verifiers();
		next_block();
		next_block();
		let Some(AuditStatus::Open(job)) = AuditOfTask::<Runtime>::get(task) else {
			panic!("the settled task is audited all the same")
		};
		answer(job, &verifiers, TRUTH);
		let (_, case) = Slashing::pending_case(node).expect("the false result is reported");
		assert_eq!(case.tier, OffenceTier::Severe);
		check_invariants();
	});
}

/// Alice's 8 × H100 node (run by Bob's key) is drawn for a capacity challenge at a share of one
/// a day (a day is ten blocks on the dev chain; a draw may land on another node's id and be
/// missed), with three verifiers in the pool. Returns the node,
/// its operator, the job and the verifiers.
fn challenged_node() -> (NodeId, AccountId, JobId, Vec<(NodeId, AccountId)>) {
	start_clock();
	let (node, _) = register_market_nodes();
	let verifiers = register_verifiers();
	assert_ok!(Verification::set_challenge_params(
		RuntimeOrigin::root(),
		pallet_verification::ChallengeParams {
			daily_fraction: sp_runtime::Perbill::one(),
			..pallet_verification::Challenges::<Runtime>::get()
		}
	));
	// Everyone beats as its worker would (a beat early in a window is refused, and ignored).
	let beaters: Vec<(NodeId, AccountId)> =
		verifiers.iter().cloned().chain([(node, Sr25519Keyring::Bob.to_account_id())]).collect();
	for _ in 0..100 {
		next_block();
		for (id, operator) in &beaters {
			let _ =
				ComputeRegistry::heartbeat(RuntimeOrigin::signed(operator.clone()), *id, Default::default());
		}
		if pallet_verification::ChallengeOf::<Runtime>::contains_key(node) {
			break;
		}
	}
	let job = pallet_verification::ChallengeOf::<Runtime>::get(node).expect("drawn within ten days");
	(node, Sr25519Keyring::Bob.to_account_id(), job, verifiers)
}

#[test]
fn a_node_that_shows_its_gpus_passes_its_challenge_and_the_verifiers_are_paid() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let usdv_issuance = crate::Assets::total_issuance(USDV_ASSET_ID);
		let (node, operator, job, verifiers) = challenged_node();
		let open = Jobs::<Runtime>::get(job).unwrap();
		let pallet_verification::JobSubject::Capacity { gpus, .. } = open.subject else {
			panic!("a challenge")
		};
		assert_eq!(gpus, 8, "every GPU of the node is idle, every one is challenged");
		let salt = [9; 32];
		assert_ok!(Verification::commit_answer(
			RuntimeOrigin::signed(operator.clone()),
			job,
			answer_commitment(job, node, &check_answer(TRUTH), &salt)
		));
		let owners: Vec<_> = verifiers
			.iter()
			.map(|(v, _)| pallet_compute_registry::Nodes::<Runtime>::get(*v).unwrap().owner)
			.collect();
		let before: Vec<_> = owners.iter().map(usdv).collect();
		// Fees paid in earlier: the pot pays the verifiers of a challenge while it holds them.
		let reward = pallet_verification::Params::<Runtime>::get().answer_reward;
		assert_ok!(<crate::Assets as frame_support::traits::fungibles::Mutate<AccountId>>::transfer(
			USDV_ASSET_ID,
			&Sr25519Keyring::Eve.to_account_id(),
			&Verification::pot(),
			3 * reward,
			frame_support::traits::tokens::Preservation::Preserve
		));
		answer(job, &verifiers, TRUTH);
		assert_ok!(Verification::reveal_answer(
			RuntimeOrigin::signed(operator),
			job,
			check_answer(TRUTH),
			salt
		));
		assert!(Jobs::<Runtime>::get(job).is_none(), "tallied at the node's reveal");
		assert!(Slashing::pending_case(node).is_none());
		for (owner, before) in owners.iter().zip(before) {
			assert_eq!(usdv(owner), before + reward);
		}
		assert_eq!(crate::Assets::total_issuance(USDV_ASSET_ID), usdv_issuance);
		check_invariants();
	});
}

#[test]
fn a_node_that_ignores_its_challenge_is_down_and_one_that_answers_wrong_has_fake_capacity() {
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let (node, _, job, verifiers) = challenged_node();
		answer(job, &verifiers, TRUTH);
		assert!(Jobs::<Runtime>::get(job).is_none());
		let (_, case) = Slashing::pending_case(node).expect("no answer is downtime");
		assert_eq!(case.tier, OffenceTier::Minor);
		check_invariants();
	});
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		let (node, operator, job, verifiers) = challenged_node();
		let salt = [9; 32];
		assert_ok!(Verification::commit_answer(
			RuntimeOrigin::signed(operator.clone()),
			job,
			answer_commitment(job, node, &check_answer(DELIVERED), &salt)
		));
		answer(job, &verifiers, TRUTH);
		assert_ok!(Verification::reveal_answer(
			RuntimeOrigin::signed(operator),
			job,
			check_answer(DELIVERED),
			salt
		));
		let (_, case) = Slashing::pending_case(node).expect("a wrong answer is fake capacity");
		assert_eq!(case.tier, OffenceTier::Severe);
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(vcity_primitives::NodeStatus::Suspended)
		);
		check_invariants();
	});
}

/// Eve keeps all eight of Alice's GPUs busy with two tasks of four when the node is drawn: the
/// node owes the challenge of all eight. The first task's end frees four, which no task may take
/// until their challenge opens in the next block; the other four stay owed.
#[test]
fn a_node_drawn_busy_is_challenged_as_its_tasks_free_its_gpus() {
	use vcity_primitives::{BuiltinWorkload, Workload};
	preset_storage(DEV_FAST_PRESET).execute_with(|| {
		start_clock();
		let (node, scheduler) = register_market_nodes();
		let verifiers = register_verifiers();
		let eve = Sr25519Keyring::Eve.to_account_id();
		let bob = RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
		let submit = |seed: u64| {
			let workload = Workload::Builtin(BuiltinWorkload::MatrixProduct { seed, size: 512, rounds: 2 });
			submit_market_task(&eve, 3_600, 2_000, workload)
		};
		let assign = |id| {
			System::reset_events();
			assert_ok!(ComputeMarket::assign_tasks(
				RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
				BoundedVec::try_from(vec![(id, node)]).unwrap()
			));
			!System::events().iter().any(|r| {
				matches!(
					r.event,
					crate::RuntimeEvent::ComputeMarket(
						pallet_compute_market::Event::AssignmentRejected { .. }
					)
				)
			})
		};
		let tasks = [submit(1), submit(2)];
		for id in tasks {
			assert!(assign(id));
			assert_ok!(ComputeMarket::acknowledge_task(bob.clone(), id));
			assert_ok!(ComputeMarket::start_task(bob.clone(), id));
		}
		assert_ok!(Verification::set_challenge_params(
			RuntimeOrigin::root(),
			pallet_verification::ChallengeParams {
				daily_fraction: sp_runtime::Perbill::one(),
				..pallet_verification::Challenges::<Runtime>::get()
			}
		));
		let beaters: Vec<(NodeId, AccountId)> = verifiers
			.iter()
			.cloned()
			.chain([
				(node, Sr25519Keyring::Bob.to_account_id()),
				(scheduler, Sr25519Keyring::Dave.to_account_id()),
			])
			.collect();
		for _ in 0..100 {
			next_block();
			for (id, operator) in &beaters {
				let _ = ComputeRegistry::heartbeat(
					RuntimeOrigin::signed(operator.clone()),
					*id,
					Default::default(),
				);
			}
			if pallet_verification::ChallengeOwed::<Runtime>::contains_key(node) {
				break;
			}
		}
		let owed = pallet_verification::ChallengeOwed::<Runtime>::get(node).expect("drawn within ten days");
		assert_eq!((owed.gpus, owed.withheld), (8, 0));
		assert!(pallet_verification::ChallengeOf::<Runtime>::get(node).is_none(), "no task is stopped");
		// No random draw from here on: what opens is the owed challenge.
		assert_ok!(Verification::set_challenge_params(
			RuntimeOrigin::root(),
			pallet_verification::ChallengeParams {
				daily_fraction: sp_runtime::Perbill::zero(),
				..pallet_verification::Challenges::<Runtime>::get()
			}
		));

		pallet_timestamp::Now::<Runtime>::mutate(|now| *now += 3_600_000);
		assert_ok!(ComputeMarket::complete_task(bob.clone(), tasks[0], [3; 32], 14_400));
		// The hour went by with everyone beating.
		for (id, operator) in &beaters {
			assert_ok!(ComputeRegistry::heartbeat(
				RuntimeOrigin::signed(operator.clone()),
				*id,
				Default::default()
			));
		}
		let third = submit(3);
		assert!(!assign(third), "the four freed GPUs wait for their challenge");
		next_block();
		let job =
			pallet_verification::OwedChallengeOf::<Runtime>::get(node).expect("the owed challenge opened");
		let pallet_verification::JobSubject::Capacity { gpus, .. } =
			Jobs::<Runtime>::get(job).unwrap().subject
		else {
			panic!("a challenge")
		};
		assert_eq!(gpus, 4);
		assert_eq!(
			pallet_verification::ChallengeOwed::<Runtime>::get(node).map(|o| (o.gpus, o.withheld)),
			Some((4, 0)),
			"the second task's GPUs are still owed"
		);
		assert!(assign(third), "challenged GPUs go back to the market");

		// Alice ends the second task and leaves in the same block: leaving is no way out. The
		// owed GPUs are challenged while the node unbonds, and its stake waits for the verdict.
		let alice = RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id());
		assert_ok!(ComputeMarket::complete_task(bob.clone(), tasks[1], [3; 32], 14_400));
		assert_ok!(ComputeRegistry::deregister(alice, node));
		assert_eq!(pallet_verification::ChallengeOwed::<Runtime>::get(node).map(|o| o.withheld), Some(4));
		let reveal_by = Jobs::<Runtime>::get(job).unwrap().reveal_by;
		while System::block_number() <= reveal_by {
			next_block();
			for (id, operator) in &beaters {
				let _ = ComputeRegistry::heartbeat(
					RuntimeOrigin::signed(operator.clone()),
					*id,
					Default::default(),
				);
			}
		}
		let owed =
			pallet_verification::OwedChallengeOf::<Runtime>::get(node).expect("the owed challenge opened");
		assert_ne!(owed, job);
		assert!(matches!(
			Jobs::<Runtime>::get(owed).unwrap().subject,
			pallet_verification::JobSubject::Capacity { gpus: 4, .. }
		));
		assert_eq!(
			<ComputeRegistry as vcity_primitives::NodeRegistry<_, _>>::status(node),
			Some(vcity_primitives::NodeStatus::Unbonding)
		);
		assert!(<Verification as vcity_primitives::OpenChecks>::checks_open(node), "its stake stays");
		check_invariants();
	});
}
