//! Capacity challenges: who is drawn and how often, the workload and deadline, the node's
//! answer among the verifiers', and every verdict with what it reports and pays.

use super::*;
use frame_support::{assert_noop, assert_ok};
use vcity_primitives::{
	answer_commitment, matrix_work, MemoryWalk, Offence, OffenceEvidence, CHARGED_NETWORK_SIZE,
};

/// The node under test, with `gpus` GPUs, and its challenge opened from the CPU table.
fn challenged(gpus: u32) -> (NodeId, JobId, JobOf<Test>) {
	let node = register_gpus(NODE_OWNER, NODE_OPERATOR, roles(false), gpus);
	let spec = ChallengeParams::for_cpu_hosts().consumer;
	let id = Verification::open_challenge(node, gpus, 24, spec, &[5; 32], crate::challenge::Slot::Drawn)
		.expect("the challenge opens");
	(node, id, Jobs::<Test>::get(id).unwrap())
}

fn answer_by(job: &JobOf<Test>) -> u64 {
	match job.subject {
		JobSubject::Capacity { answer_by, .. } => answer_by,
		JobSubject::Delivery { .. } => panic!("a challenge"),
	}
}

fn verdict(id: JobId) -> Option<ChallengeVerdict> {
	events().into_iter().find_map(|e| match e {
		Event::ChallengeConcluded { job, verdict, .. } if job == id => Some(verdict),
		_ => None,
	})
}

fn reports_against(node: NodeId) -> Vec<OffenceReport<AccountId>> {
	reports().into_iter().filter(|r| r.node == node).collect()
}

fn seat_nodes(job: &JobOf<Test>) -> Vec<NodeId> {
	job.seats.iter().map(|s| s.verifier).collect()
}

/// The digest the seeded workload gives (the verifiers' honest answer).
const RIGHT: Digest = [0x11; 32];

fn set_challenges(fraction: Perbill) {
	assert_ok!(Verification::set_challenge_params(
		RuntimeOrigin::root(),
		ChallengeParams { daily_fraction: fraction, ..ChallengeParams::for_cpu_hosts() }
	));
}

#[test]
fn a_challenge_asks_for_every_idle_gpu_before_the_tables_deadline() {
	test(|| {
		verifiers(3);
		let node = register_gpus(NODE_OWNER, NODE_OPERATOR, roles(false), 4);
		set_busy_gpus(node, 1);
		set_challenges(Perbill::one());
		// A whole challenge's credit; only this node can be drawn, and a draw that lands on a
		// verifier's id keeps the credit for the next block.
		ChallengeCredit::<Test>::put(1_000_000_000 - 1);
		for _ in 0..20 {
			run_to(System::block_number() + 1);
			if ChallengeOf::<Test>::contains_key(node) {
				break;
			}
		}
		let id = ChallengeOf::<Test>::get(node).expect("the node is challenged");
		let job = Jobs::<Test>::get(id).unwrap();
		let spec = ChallengeParams::for_cpu_hosts().consumer;
		let BuiltinWorkload::MatrixProduct { size, rounds, .. } = job.workload;
		assert_eq!((size, rounds), (spec.size, spec.rounds_per_gpu * 3), "three GPUs are idle");
		assert!(matches!(job.subject, JobSubject::Capacity { gpus: 3, .. }));
		// 128 KiB of table for each of the three GPUs' 24 GiB: 9 MiB, 147,456 items of 64 bytes
		// (144 a lane), read four times over.
		let memory = MemoryWalk { items: 147_456, reads: 4 * 147_456 };
		assert!(matches!(job.subject, JobSubject::Capacity { memory: Some(m), .. } if m == memory));
		let now = System::block_number();
		// 60 seconds of 6-second blocks; verifiers get the commit window (10 blocks), 4 s a GPU
		// and the walk's second at the reference rate besides (13 s: three blocks).
		assert_eq!(answer_by(&job), now + 10);
		assert_eq!(job.commit_by, now + 10 + 3 + 1);
		assert_eq!(ChallengeCredit::<Test>::get() / 1_000_000_000, 0, "the challenge used its credit");
		assert!(!seat_nodes(&job).contains(&node), "a node never verifies itself");
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::ChallengeOpened { node: n, gpus: 3, .. } if *n == node)));
	});
}

#[test]
fn a_block_adds_its_share_of_the_days_challenges_and_opens_at_most_its_cap() {
	test(|| {
		verifiers(3);
		for i in 0..4 {
			register_gpus(VERIFIER_OWNER + 4 + i, VERIFIER_OPERATOR + 4 + i, roles(false), 1);
		}
		set_challenges(Perbill::one());
		// Four online compute nodes, every one challenged once a day of 14,400 blocks: each
		// block owes 4/14,400 of a challenge.
		run_to(System::block_number() + 1);
		assert_eq!(ChallengeCredit::<Test>::get(), 1_000_000_000 * 4 / 14_400);
		assert!(ChallengeOf::<Test>::iter().next().is_none());
		// A backlog of ten challenges opens two at most (the cap); the rest is not carried
		// beyond one block's cap.
		ChallengeCredit::<Test>::put(10 * 1_000_000_000);
		run_to(System::block_number() + 1);
		let opened = ChallengeOf::<Test>::iter().count() as u64;
		assert!(opened <= 2, "at most the cap a block, {opened} opened");
		assert!(ChallengeCredit::<Test>::get() <= 2 * 1_000_000_000);
	});
}

#[test]
fn only_online_compute_nodes_with_idle_gpus_are_challenged() {
	test(|| {
		let pool = verifiers(3);
		let busy = register_gpus(VERIFIER_OWNER + 4, VERIFIER_OPERATOR + 4, roles(false), 2);
		set_busy_gpus(busy, 2);
		let idle = register_gpus(VERIFIER_OWNER + 5, VERIFIER_OPERATOR + 5, roles(false), 2);
		set_challenges(Perbill::one());
		for _ in 0..40 {
			ChallengeCredit::<Test>::put(2 * 1_000_000_000);
			run_to(System::block_number() + 1);
		}
		let challenged: Vec<NodeId> = events()
			.into_iter()
			.filter_map(|e| if let Event::ChallengeOpened { node, .. } = e { Some(node) } else { None })
			.collect();
		assert!(challenged.contains(&idle), "the idle node is drawn over forty blocks");
		assert!(!challenged.contains(&busy), "a node whose GPUs all work is not");
		assert!(challenged.iter().all(|n| !pool.contains(n)), "verifier-only nodes are not");
		assert!(ChallengeOf::<Test>::iter().count() <= 1, "one open challenge a node");
	});
}

#[test]
fn a_blocks_charge_for_challenges_is_bounded_by_the_cap_whatever_is_owed() {
	test(|| {
		set_challenges(Perbill::one());
		register_gpus(VERIFIER_OWNER + 4, VERIFIER_OPERATOR + 4, roles(false), 1);
		let one = <() as crate::WeightInfo>::challenge(CHARGED_NETWORK_SIZE).ref_time();
		let cap =
			u64::from(<<Test as Config>::MaxChallengesPerBlock as frame_support::traits::Get<u32>>::get());
		let quiet = Verification::run_challenges(System::block_number()).ref_time();
		ChallengeCredit::<Test>::put(50 * 1_000_000_000);
		let owed = Verification::run_challenges(System::block_number()).ref_time();
		assert!(quiet < one, "a block that opens none pays for none");
		assert!(owed <= quiet + cap * one, "fifty owed, the cap charged");
	});
}

#[test]
fn an_honest_node_passes_and_the_verifiers_are_paid() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(2);
		let pot = balance(Verification::pot());
		commit(id, node, RIGHT);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		for v in seat_nodes(&job) {
			reveal(id, v, RIGHT);
		}
		assert!(Jobs::<Test>::get(id).is_some(), "the node's reveal is still awaited");
		reveal(id, node, RIGHT);
		assert_eq!(verdict(id), Some(ChallengeVerdict::Passed));
		assert!(reports().is_empty());
		assert_eq!(balance(Verification::pot()), pot - 3 * (USDV / 20), "three matching answers paid");
		assert!(ChallengeOf::<Test>::get(node).is_none());
		assert_eq!(OpenJobsOf::<Test>::get(node), 0);
	});
}

#[test]
fn nobody_reveals_before_the_challenged_node_has_committed() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		// Were the verifiers' answers public now, the node could copy one.
		let first = seat_nodes(&job)[0];
		assert_noop!(
			Verification::reveal_answer(
				RuntimeOrigin::signed(operator_of(first)),
				id,
				honest(RIGHT),
				salt_of(first)
			),
			Error::<Test>::NotRevealPhase
		);
		commit(id, node, RIGHT);
		reveal(id, first, RIGHT);
	});
}

#[test]
fn a_node_that_never_answers_is_down() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		run_to(job.commit_by);
		for v in seat_nodes(&job) {
			reveal(id, v, RIGHT);
		}
		assert_eq!(verdict(id), Some(ChallengeVerdict::NoAnswer));
		let against = reports_against(node);
		assert_eq!(against.len(), 1);
		assert_eq!(
			(against[0].offence, against[0].evidence),
			(Offence::UnannouncedDowntime, OffenceEvidence::Check(id))
		);
	});
}

/// A commitment after the deadline is refused, not judged: one that waited in the pool is no
/// evidence of a smaller machine, and costs the node what silence costs, downtime.
#[test]
fn a_late_answer_is_refused_and_counts_as_none() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		run_to(answer_by(&job) + 1);
		let late = answer_commitment(id, node, &honest(RIGHT), &salt_of(node));
		assert_noop!(
			Verification::commit_answer(RuntimeOrigin::signed(NODE_OPERATOR), id, late),
			Error::<Test>::DeadlinePassed
		);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		run_to(job.commit_by);
		for v in seat_nodes(&job) {
			reveal(id, v, RIGHT);
		}
		assert_eq!(verdict(id), Some(ChallengeVerdict::NoAnswer));
		assert_eq!(reports_against(node)[0].offence, Offence::UnannouncedDowntime);
	});
}

#[test]
fn a_wrong_answer_is_fake_capacity_and_a_dissenting_verifier_is_reported() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		let seats = seat_nodes(&job);
		commit(id, node, WRONG);
		commit(id, seats[0], RIGHT);
		commit(id, seats[1], RIGHT);
		commit(id, seats[2], WRONG);
		for v in seats.iter().copied().chain([node]) {
			reveal(id, v, if v == seats[0] || v == seats[1] { RIGHT } else { WRONG });
		}
		assert_eq!(verdict(id), Some(ChallengeVerdict::Wrong));
		assert_eq!(reports_against(node)[0].offence, Offence::FakeCapacity);
		assert_eq!(reports_against(seats[2])[0].offence, Offence::VerifierDissent);
	});
}

#[test]
fn a_committed_answer_never_revealed_is_fake_capacity() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		commit(id, node, WRONG);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		for v in seat_nodes(&job) {
			reveal(id, v, RIGHT);
		}
		// Seeing the verifiers' answers, it keeps its own hidden: the reveal phase runs out.
		run_to(job.reveal_by);
		assert_eq!(verdict(id), Some(ChallengeVerdict::Unrevealed));
		assert_eq!(reports_against(node)[0].offence, Offence::FakeCapacity);
	});
}

#[test]
fn without_a_quorum_a_timely_answer_is_not_judged() {
	test(|| {
		verifiers(3);
		let (node, id, job) = challenged(1);
		let seats = seat_nodes(&job);
		commit(id, node, RIGHT);
		commit(id, seats[0], RIGHT);
		run_to(job.commit_by);
		reveal(id, node, RIGHT);
		reveal(id, seats[0], RIGHT);
		assert_eq!(verdict(id), Some(ChallengeVerdict::Inconclusive));
		assert!(reports_against(node).is_empty());
		let absent: Vec<_> = reports().into_iter().filter(|r| r.offence == Offence::VerifierAbsent).collect();
		assert_eq!(absent.len(), 2, "the two silent verifiers");
	});
}

#[test]
fn the_nodes_owner_never_verifies_its_challenge() {
	test(|| {
		verifiers(3);
		// A verifier of the challenged node's owner sits in the pool beside the three others.
		let own = register(NODE_OWNER, 999, roles(true));
		assert_ok!(Verification::join_pool(RuntimeOrigin::signed(NODE_OWNER), own));
		// Four challenges: each verifier holds four open jobs then, the most it is drawn for.
		for seed in 0..4u8 {
			let node = register_gpus(NODE_OWNER, 1_000 + u64::from(seed), roles(false), 1);
			let spec = ChallengeParams::for_cpu_hosts().consumer;
			let id =
				Verification::open_challenge(node, 1, 24, spec, &[seed; 32], crate::challenge::Slot::Drawn)
					.unwrap();
			assert!(!seat_nodes(&Jobs::<Test>::get(id).unwrap()).contains(&own));
		}
	});
}

#[test]
fn two_signed_answers_to_its_own_challenge_are_fake_capacity() {
	test(|| {
		verifiers(3);
		let (node, id, _) = challenged(1);
		let subject = vcity_primitives::StatementSubject::Job(id);
		let sign = |digest: Digest| {
			let statement = vcity_primitives::ResultStatement { subject, digest };
			let genesis = System::block_hash(0);
			let signature = TestSignature(NODE_OPERATOR, statement.signing_payload(genesis.as_ref()));
			(statement, signature)
		};
		assert_ok!(Verification::prove_misconduct(
			RuntimeOrigin::signed(ANYONE),
			node,
			sign(RIGHT),
			Some(sign(WRONG))
		));
		assert_eq!(reports_against(node)[0].offence, Offence::FakeCapacity);
	});
}

#[test]
fn governance_refuses_a_table_no_agent_can_answer() {
	test(|| {
		let mut params = ChallengeParams::for_cpu_hosts();
		params.datacenter.size = vcity_primitives::MAX_MATRIX_SIZE + 1;
		assert_noop!(
			Verification::set_challenge_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidChallengeParams
		);
		params = ChallengeParams::for_cpu_hosts();
		params.consumer.deadline_seconds = 0;
		assert_noop!(
			Verification::set_challenge_params(RuntimeOrigin::root(), params),
			Error::<Test>::InvalidChallengeParams
		);
		// A table beyond the declared memory, reads beyond the bound, or one without the other.
		for (kib, reads) in
			[(MAX_MEMORY_KIB_PER_GIB + 1, 4), (128, MAX_MEMORY_READS_PER_ITEM + 1), (128, 0), (0, 4)]
		{
			params = ChallengeParams::for_cpu_hosts();
			params.workstation.memory_kib_per_gib = kib;
			params.workstation.memory_reads_per_item = reads;
			assert_noop!(
				Verification::set_challenge_params(RuntimeOrigin::root(), params),
				Error::<Test>::InvalidChallengeParams
			);
		}
		params = ChallengeParams::for_cpu_hosts();
		params.consumer.memory_kib_per_gib = 0;
		params.consumer.memory_reads_per_item = 0;
		// No walk at all is a table too.
		assert_ok!(Verification::set_challenge_params(RuntimeOrigin::root(), params));
		assert_noop!(
			Verification::set_challenge_params(RuntimeOrigin::signed(ANYONE), ChallengeParams::default()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_production_table_asks_each_gpu_for_more_than_a_cpu_can_do() {
	let table = ChallengeParams::default();
	for spec in [table.consumer, table.workstation, table.datacenter] {
		let per_second = matrix_work(spec.size, spec.rounds_per_gpu) / u128::from(spec.deadline_seconds);
		assert!(per_second >= PRODUCTION_FLOOR_RATE, "{spec:?} asks {per_second} a second");
	}
	// And the dev table lets a CPU through: a GPU's share is a fraction of a second at the
	// reference rate the chain assumes of the slowest host.
	let dev = ChallengeParams::for_cpu_hosts().consumer;
	let seconds = matrix_work(dev.size, dev.rounds_per_gpu) / vcity_primitives::MATRIX_REFERENCE_RATE;
	assert!(seconds * 8 < u128::from(dev.deadline_seconds));
}

/// The walk fills the row's share of the memory the challenged GPUs declared, in whole lanes,
/// up to the 1 GiB every verifier's agent holds: 90% of the memory on the production table,
/// a sliver of it on the dev table.
#[test]
fn a_challenge_walks_a_table_sized_to_the_declared_memory() {
	use vcity_primitives::{MAX_MEMORY_TABLE_BYTES, MEMORY_ITEM_BYTES, MEMORY_LANES};
	let production = ChallengeParams::default().datacenter;
	let one = production.memory_walk(1, 1).expect("the production table walks memory");
	assert_eq!(one.items % MEMORY_LANES, 0);
	let share = (one.items * MEMORY_ITEM_BYTES) as f64 / (1u64 << 30) as f64;
	assert!((0.899..0.901).contains(&share), "{share} of the declared memory");
	assert_eq!(one.reads, 16 * one.items);
	let largest = MAX_MEMORY_TABLE_BYTES / MEMORY_ITEM_BYTES;
	let capped = MemoryWalk { items: largest, reads: 16 * largest };
	for (gpus, gib) in [(8, 80), (64, 1_024), (u32::MAX, u32::MAX)] {
		assert_eq!(production.memory_walk(gpus, gib), Some(capped), "{gpus} × {gib} GiB walk 1 GiB");
	}
	let dev = ChallengeParams::for_cpu_hosts().consumer;
	assert_eq!(dev.memory_walk(1, 24), Some(MemoryWalk { items: 49_152, reads: 196_608 }), "3 MiB");
	assert_eq!(dev.memory_walk(8, 80).map(|m| m.items), Some(8 * 80 * 49_152 / 24), "grows with the GPUs");
	assert_eq!(dev.memory_walk(1, 0).map(|m| m.items), Some(2 * MEMORY_LANES), "two items a lane at least");
	let none = ChallengeSpec { memory_kib_per_gib: 0, memory_reads_per_item: 0, ..dev };
	assert_eq!(none.memory_walk(8, 80), None);
}

/// The worker reads a challenged node's deadline as the end of its commit phase: a commitment
/// landing in `answer_by` itself is in time, so the bound it is shown is the block after, and
/// never past the verifiers' commit phase.
#[test]
fn the_challenged_nodes_worker_may_commit_up_to_the_deadline_block() {
	use vcity_primitives::VerifierJobs;
	test(|| {
		let seats = verifiers(3);
		let (node, id, job) = challenged(1);
		let shown = <Verification as VerifierJobs<u64>>::jobs_of(node);
		assert_eq!(shown.len(), 1);
		assert_eq!(shown[0].id, id);
		assert_eq!(shown[0].commit_by, (answer_by(&job) + 1).min(job.commit_by));
		assert!(shown[0].mixed, "a challenge's chain is mixed");
		assert!(shown[0].memory.is_some(), "and walks the node's memory");
		let verifier = <Verification as VerifierJobs<u64>>::jobs_of(seat_nodes(&job)[0]);
		assert_eq!((verifier[0].commit_by, verifier[0].mixed), (job.commit_by, true));
		assert_eq!(verifier[0].memory, shown[0].memory, "verifiers walk the same table");
		run_to(answer_by(&job) - 1);
		// Lands in `answer_by`: in time.
		System::set_block_number(answer_by(&job));
		commit(id, node, RIGHT);
		for v in seat_nodes(&job) {
			commit(id, v, RIGHT);
		}
		for v in seat_nodes(&job).into_iter().chain([node]) {
			reveal(id, v, RIGHT);
		}
		assert_eq!(verdict(id), Some(ChallengeVerdict::Passed));
		let _ = seats;
	});
}
