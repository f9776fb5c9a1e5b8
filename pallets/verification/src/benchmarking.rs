//! Benchmarks. The draw runs against 10 and against 100,000 registered nodes (`n`), to show
//! that a block's verification work does not grow with the network; the tally at 1 to 7 seats
//! (`s`), every verifier paid; a capacity challenge against 10 and 100,000 nodes too. Each call at its worst: the draw spends all its attempts (the
//! pool is mostly the buyer's nodes, which it may not draw), a proof checks two signatures.

use crate::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::MutateHold, ConstU32, EnsureOrigin},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use vcity_primitives::{
	answer_commitment, AuditedTasks, Balance, CheckAnswer, DeliveryAudits, JobId, NodeId, NodeRegistry,
	ResultStatement, StatementSubject, TaskId, USDV,
};

const SEED: u32 = 0;
/// Registered nodes at the top of the range: 100,000 on the runtime, where the weights are
/// measured; a thousand when the benchmarks run as unit tests.
#[cfg(not(test))]
const MAX_NODES: u32 = 100_000;
#[cfg(test)]
const MAX_NODES: u32 = 1_000;
/// Verifiers in the pool that the draws may not pick (the buyer's), beside the seven it may: a
/// pool larger than a draw reads whole, so the draw samples it and spends all its attempts.
const CROWD: u32 = 30;

/// What the benchmarks need from the runtime.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// An online node of `owner`'s (funded as needed), run by `operator`, with the verifier
	/// role (or else the compute role).
	fn online_node(owner: &AccountId, operator: &AccountId, verifier: bool) -> NodeId;
	/// Gives `who` `amount` of USDV.
	fn fund(who: &AccountId, amount: Balance);
	/// A recomputable task of `owner`'s, delivered by `node`; returns its id.
	fn deliver(node: NodeId, owner: &AccountId) -> TaskId;
	/// Fills the register with `count` more nodes.
	fn fill_register(count: u32);
	/// A fresh operator key whose signatures [`Self::sign`] makes.
	fn operator_key() -> AccountId;
	/// `signer`'s signature of `payload` (`signer` from [`Self::operator_key`]).
	fn sign(signer: &AccountId, payload: &[u8]) -> Signature;
}

/// `count` verifiers in the pool, owned by `owner` (or each by its own account if `None`).
fn pool<T: Config>(count: u32, owner: Option<&T::AccountId>, tag: &'static str) -> Vec<NodeId> {
	(0..count)
		.map(|i| {
			let own: T::AccountId = account(tag, i, SEED);
			let owner = owner.cloned().unwrap_or(own);
			let operator: T::AccountId = account("operator", i, SEED + 1 + tag.len() as u32);
			let node = T::BenchmarkHelper::online_node(&owner, &operator, true);
			Pallet::<T>::do_join(owner, node).expect("an online verifier joins");
			node
		})
		.collect()
}

/// A task delivered by a compute node to `buyer`, and its node.
fn delivery<T: Config>(buyer: &T::AccountId) -> (NodeId, TaskId) {
	let owner: T::AccountId = account("node-owner", 0, SEED);
	let operator = T::BenchmarkHelper::operator_key();
	let node = T::BenchmarkHelper::online_node(&owner, &operator, false);
	T::BenchmarkHelper::fund(buyer, 1_000 * USDV);
	let task = T::BenchmarkHelper::deliver(node, buyer);
	(node, task)
}

/// An answer agreeing with the digest an audit's node claimed.
fn claimed<T: Config>(id: JobId) -> CheckAnswer {
	match Jobs::<T>::get(id).expect("an open job").subject {
		JobSubject::Delivery { claimed, .. } => CheckAnswer { digest: claimed, keyed: [1; 32] },
		JobSubject::Capacity { .. } => panic!("an audit"),
	}
}

/// An open job of `seats` verifiers over a delivered task; every seat committed to `answer`.
fn open_job<T: Config>(seats: u32) -> (JobId, Vec<NodeId>) {
	let buyer: T::AccountId = account("buyer", 0, SEED);
	let verifiers = pool::<T>(seats, None, "verifier");
	let (_, task) = delivery::<T>(&buyer);
	let delivery = T::Market::auditable(task).expect("a delivered recomputable task");
	AuditOfTask::<T>::remove(task);
	let mut params = Params::<T>::get();
	params.verifiers_per_job = seats;
	params.quorum = seats / 2 + 1;
	Params::<T>::put(params);
	let mut id = 0;
	for attempt in 0u64..64 {
		let seed = Pallet::<T>::seed(b"bench", attempt);
		AuditOfTask::<T>::remove(task);
		if let Ok(job) = Pallet::<T>::open_job(task, delivery.clone(), &seed, None, 0) {
			if Jobs::<T>::get(job).is_some_and(|j| j.seats.len() as u32 == seats) {
				id = job;
				break;
			}
			Jobs::<T>::remove(job);
		}
	}
	assert!(id != 0, "a full job opens");
	let answer = claimed::<T>(id);
	let job = Jobs::<T>::get(id).unwrap();
	for (seat, verifier) in job.seats.iter().map(|s| s.verifier).enumerate() {
		let commitment = answer_commitment(id, verifier, &answer, &[seat as u8; 32]);
		let operator = T::Registry::operator(verifier).unwrap();
		Pallet::<T>::do_commit(operator, id, commitment).unwrap();
	}
	(id, verifiers)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn join_pool() {
		let owner: T::AccountId = account("owner", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		let node = T::BenchmarkHelper::online_node(&owner, &operator, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node);

		assert!(SlotOfVerifier::<T>::contains_key(node));
	}

	#[benchmark]
	fn leave_pool() {
		let nodes = pool::<T>(3, None, "verifier");
		let owner = T::Registry::owner(nodes[0]).unwrap();

		// The first leaves: the last moves into its slot.
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), nodes[0]);

		assert_eq!(PoolSize::<T>::get(), 2);
	}

	#[benchmark]
	fn commit_answer() {
		let buyer: T::AccountId = account("buyer", 0, SEED);
		let verifiers = pool::<T>(MAX_VERIFIERS_PER_JOB, None, "verifier");
		let (_, task) = delivery::<T>(&buyer);
		let delivery = T::Market::auditable(task).unwrap();
		let mut params = Params::<T>::get();
		params.verifiers_per_job = MAX_VERIFIERS_PER_JOB;
		params.quorum = MAX_VERIFIERS_PER_JOB / 2 + 1;
		Params::<T>::put(params);
		let id = Pallet::<T>::open_job(task, delivery, &[7; 32], None, 0).expect("opens");
		let verifier = Jobs::<T>::get(id).unwrap().seats.last().unwrap().verifier;
		let operator = T::Registry::operator(verifier).unwrap();
		let _ = verifiers;

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, [1; 32]);

		assert!(Jobs::<T>::get(id).unwrap().seats.last().unwrap().commitment.is_some());
	}

	#[benchmark]
	fn reveal_answer() {
		let (id, _) = open_job::<T>(MAX_VERIFIERS_PER_JOB);
		let job = Jobs::<T>::get(id).unwrap();
		// The first seat reveals; six still may, so the job stays open (the tally is `conclude`).
		let verifier = job.seats[0].verifier;
		let operator = T::Registry::operator(verifier).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, claimed::<T>(id), [0; 32]);

		assert!(Jobs::<T>::get(id).unwrap().seats[0].answer.is_some());
	}

	#[benchmark]
	fn conclude(s: Linear<1, MAX_VERIFIERS_PER_JOB>) {
		let (id, _) = open_job::<T>(s);
		let mut job = Jobs::<T>::get(id).unwrap();
		let answer = claimed::<T>(id);
		for seat in job.seats.iter_mut() {
			seat.answer = Some(answer);
		}
		// A disputant whose deposit pays for the audit of a right result.
		let disputant: T::AccountId = account("disputant", 0, SEED);
		T::BenchmarkHelper::fund(&disputant, 10 * USDV);
		let deposit = Params::<T>::get().dispute_deposit;
		T::Stablecoin::hold(&HoldReason::DisputeDeposit.into(), &disputant, deposit).unwrap();
		if let JobSubject::Delivery { disputant: held, .. } = &mut job.subject {
			*held = Some((disputant.clone(), deposit));
		}
		Jobs::<T>::insert(id, job.clone());
		T::BenchmarkHelper::fund(&Pallet::<T>::pot(), 100 * USDV);

		#[block]
		{
			Pallet::<T>::conclude(id, job).unwrap();
		}

		assert!(Jobs::<T>::get(id).is_none());
	}

	#[benchmark]
	fn draw_audit(n: Linear<10, MAX_NODES>) {
		T::BenchmarkHelper::fill_register(n);
		let buyer: T::AccountId = account("buyer", 0, SEED);
		let fee_payer: T::AccountId = account("buyer-funds", 0, SEED);
		T::BenchmarkHelper::fund(&fee_payer, USDV);
		pool::<T>(MAX_VERIFIERS_PER_JOB, None, "verifier");
		pool::<T>(CROWD, Some(&buyer), "crowd");
		let (_, task) = delivery::<T>(&buyer);
		// Disputed meanwhile: audited whatever the fraction.
		AuditOfTask::<T>::insert(task, AuditStatus::Drawing { disputant: None });
		let mut params = Params::<T>::get();
		params.audit_fraction = sp_runtime::Perbill::one();
		params.verifiers_per_job = MAX_VERIFIERS_PER_JOB;
		params.quorum = MAX_VERIFIERS_PER_JOB / 2 + 1;
		Params::<T>::put(params);

		#[block]
		{
			Pallet::<T>::draw(task);
		}

		assert!(!matches!(AuditOfTask::<T>::get(task), Some(AuditStatus::Drawing { .. })));
	}

	/// One challenge of a block: its attempts read nodes of a register of `n` (the last one
	/// finds the node), and it opens with seven verifiers drawn from a pool they share with
	/// nodes of the challenged node's owner.
	#[benchmark]
	fn challenge(n: Linear<10, MAX_NODES>) {
		T::BenchmarkHelper::fill_register(n);
		let owner: T::AccountId = account("node-owner", 0, SEED);
		pool::<T>(MAX_VERIFIERS_PER_JOB, None, "verifier");
		pool::<T>(CROWD, Some(&owner), "crowd");
		let operator = T::BenchmarkHelper::operator_key();
		let node = T::BenchmarkHelper::online_node(&owner, &operator, false);
		let mut params = Params::<T>::get();
		params.verifiers_per_job = MAX_VERIFIERS_PER_JOB;
		params.quorum = MAX_VERIFIERS_PER_JOB / 2 + 1;
		Params::<T>::put(params);
		let (bound, _) = T::Registry::compute_sample_space();
		let table = Challenges::<T>::get();

		#[block]
		{
			for attempt in 1..crate::challenge::CHALLENGE_ATTEMPTS {
				let _ = T::Registry::profile(u64::from(attempt) * bound / 4);
			}
			let profile = T::Registry::profile(node).expect("the node");
			let gpus = T::Market::idle_gpus(node, profile.gpu.count);
			let spec = table.spec(vcity_primitives::gpu_class(&profile.gpu.model));
			Pallet::<T>::open_challenge(
				node,
				gpus.max(1),
				profile.gpu.vram_per_gpu_gib,
				spec,
				&[3; 32],
				crate::challenge::Slot::Drawn,
			)
			.expect("the challenge opens");
		}

		assert!(ChallengeOf::<T>::contains_key(node));
	}

	/// A report of `b` bytes, hashed.
	#[benchmark]
	fn attach_attestation(b: Linear<0, MAX_REPORT_BYTES>) {
		let owner: T::AccountId = account("node-owner", 0, SEED);
		let operator = T::BenchmarkHelper::operator_key();
		let node = T::BenchmarkHelper::online_node(&owner, &operator, false);
		let report: BoundedVec<u8, ConstU32<MAX_REPORT_BYTES>> =
			BoundedVec::truncate_from(alloc::vec![7u8; b as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), node, TeeKind::NvidiaCc, report);

		assert!(Attestations::<T>::contains_key(node));
	}

	#[benchmark]
	fn judge_attestation() -> Result<(), BenchmarkError> {
		let owner: T::AccountId = account("node-owner", 0, SEED);
		let operator = T::BenchmarkHelper::operator_key();
		let node = T::BenchmarkHelper::online_node(&owner, &operator, false);
		Pallet::<T>::do_attach(owner, node, TeeKind::NvidiaCc, &[7; 64]).expect("attaches");
		let report_hash = Attestations::<T>::get(node).unwrap().report_hash;
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node, report_hash, true, 100u32.into());

		assert!(matches!(
			Attestations::<T>::get(node).unwrap().standing,
			AttestationStanding::Accepted { .. }
		));
		Ok(())
	}

	#[benchmark]
	fn dispute() {
		let buyer: T::AccountId = account("buyer", 0, SEED);
		let (_, task) = delivery::<T>(&buyer);
		AuditOfTask::<T>::remove(task);

		#[block]
		{
			assert_eq!(Pallet::<T>::disputed(task, &buyer), Ok(true));
		}

		assert!(AuditOfTask::<T>::contains_key(task));
	}

	#[benchmark]
	fn prove_misconduct() {
		let buyer: T::AccountId = account("buyer", 0, SEED);
		let (node, task) = delivery::<T>(&buyer);
		let operator = T::Registry::operator(node).unwrap();
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::from(0u32));
		let subject = StatementSubject::Task(task);
		let first = ResultStatement { subject, digest: [1; 32] };
		let second = ResultStatement { subject, digest: [2; 32] };
		let sign =
			|s: &ResultStatement| T::BenchmarkHelper::sign(&operator, &s.signing_payload(genesis.as_ref()));
		let (first_signature, second_signature) = (sign(&first), sign(&second));
		let reporter: T::AccountId = account("reporter", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), node, (first, first_signature), Some((second, second_signature)));

		assert!(Proven::<T>::contains_key(node, subject));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin = T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = VerificationParams::<BlockNumberFor<T>>::default();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Params::<T>::get(), params);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
