//! Capacity challenges: nodes drawn at random show the GPUs they declared
//! (docs/verification.md#capacity-challenges).
//!
//! Each day `daily_fraction` of the online compute nodes is challenged, a few each block: a
//! block adds its share of the day's count to a credit and opens the whole challenges in it, at
//! most `MaxChallengesPerBlock`, so the chain's work per block does not grow with the network.
//! A draw that finds no node keeps its credit for the next block.
//! A challenge's node is drawn uniformly among the ids ever given out, keeping the online
//! compute ones, in a bounded number of reads whatever the register's size. Its workload is a
//! seeded matrix product from the row of the challenge table for the node's GPU class, with
//! rounds for each GPU no task holds, and a walk of a table the row sizes to those GPUs'
//! declared memory, up to the 1 GiB every verifier holds; the node commits to its digest before the row's deadline, verifiers
//! recompute it, and all reveal as in an audit. The GPUs tasks hold at the draw are owed: each
//! task that held them withholds them from the market when it ends, until their challenge opens
//! (docs/verification.md#busy-nodes-owe-their-challenge).

use crate::{audit::JobDraft, pallet::*, types::*, JobOf, WeightInfo};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{BlakeTwo256, Hash, Saturating, UniqueSaturatedInto},
	Perbill,
};
use vcity_primitives::{
	gpu_class, memory_min_seconds, AuditedTasks, BuiltinWorkload, CheckAnswer, Clock, JobId, NodeId,
	NodeRegistry, NodeStatus, Offence, OffenceEvidence, OffenceReport, OffenceReporter, MAX_MATRIX_SIZE,
};

/// Ids a challenge reads, at most, to find an online compute node: ids of exited or offline
/// nodes are passed over, and a register where most ids are such costs no more than a healthy
/// one (a challenge is then missed, not paid for with more reads).
pub const CHALLENGE_ATTEMPTS: u32 = 4;

/// Owed challenges a block looks at for each one it may open (see `open_owed`).
pub const OWED_LOOKS_PER_OPENING: u32 = 4;

/// Which of a node's two challenge slots a challenge is in: one from a random draw, one for
/// GPUs it owed. Each holds one open challenge at a time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Slot {
	Drawn,
	Owed,
}

/// One challenge's worth of credit.
pub(crate) const WHOLE: u64 = 1_000_000_000;

impl<T: Config> Pallet<T> {
	/// Refuses a table a node could not answer or verifiers could not check: every row needs a
	/// size within the agents' limit, rounds, a deadline, and time for verifiers; a memory walk
	/// of no more than the declared memory, read a bounded number of times, or none at all.
	pub fn ensure_valid_challenges(params: &ChallengeParams) -> Result<(), Error<T>> {
		for spec in [params.consumer, params.workstation, params.datacenter] {
			ensure!((1..=MAX_MATRIX_SIZE).contains(&spec.size), Error::<T>::InvalidChallengeParams);
			ensure!(spec.rounds_per_gpu > 0, Error::<T>::InvalidChallengeParams);
			ensure!(
				spec.deadline_seconds > 0 && spec.verify_seconds_per_gpu > 0,
				Error::<T>::InvalidChallengeParams
			);
			ensure!(
				spec.memory_kib_per_gib <= MAX_MEMORY_KIB_PER_GIB
					&& spec.memory_reads_per_item <= MAX_MEMORY_READS_PER_ITEM
					&& (spec.memory_kib_per_gib == 0) == (spec.memory_reads_per_item == 0),
				Error::<T>::InvalidChallengeParams
			);
		}
		Ok(())
	}

	/// The challenges due this block, opened.
	pub(crate) fn run_challenges(now: BlockNumberFor<T>) -> Weight {
		let params = Challenges::<T>::get();
		let base = T::DbWeight::get().reads_writes(4, 1);
		let most = T::MaxChallengesPerBlock::get();
		// Owed challenges first, even with the share at zero: their GPUs wait for them,
		// unrentable.
		let (examined, owed_opened) = Self::open_owed(now, &params, most);
		// Besides the benchmarked opening: the probe for a free end slot, the node's two
		// challenge slots, attestation and owed challenge and the policy, and the owed
		// challenge's writes, for each challenge opened or tried; both slots for each id a draw
		// tries; for each owed challenge looked at, its ready mark and record, the
		// node's profile (two reads), its owed challenge slot and its GPUs in use, and the writes
		// of both records; and the entropy and the keys read past the last, twice on a wrap.
		let per_challenge = T::WeightInfo::challenge(vcity_primitives::CHARGED_NETWORK_SIZE).saturating_add(
			T::DbWeight::get()
				.reads_writes(u64::from(QUEUE_PROBE_BLOCKS) + 6 + 2 * u64::from(CHALLENGE_ATTEMPTS), 2),
		);
		let owed_weight = T::DbWeight::get()
			.reads_writes(6, 2)
			.saturating_mul(examined.into())
			.saturating_add(per_challenge.saturating_mul(owed_opened.into()))
			.saturating_add(T::DbWeight::get().reads(3));
		if params.daily_fraction.is_zero() {
			// A credit left from before the share went to zero waits, no larger than a block's cap.
			let credit = ChallengeCredit::<T>::get();
			if credit > u64::from(most) * WHOLE {
				ChallengeCredit::<T>::put(u64::from(most) * WHOLE);
			}
			return owed_weight.saturating_add(T::DbWeight::get().reads_writes(2, 1));
		}
		let (id_bound, online) = T::Registry::compute_sample_space();
		let blocks_per_day = (T::Clock::day_ms() / T::BlockTimeMs::get().max(1)).max(1);
		let share =
			u128::from(params.daily_fraction.deconstruct()) * u128::from(online) / u128::from(blocks_per_day);
		let mut credit = ChallengeCredit::<T>::get().saturating_add(u64::try_from(share).unwrap_or(u64::MAX));
		let due = u32::try_from(credit / WHOLE).unwrap_or(u32::MAX).min(most.saturating_sub(owed_opened));
		let mut drawn = 0u64;
		for index in 0..due {
			let seed = BlakeTwo256::hash(&(Entropy::<T>::get(), b"vcity/challenge", now, index).encode()).0;
			drawn += u64::from(Self::challenge_one(&params, &seed, id_bound));
		}
		// A draw that found no online compute node keeps its credit for the next block, so the
		// day's share holds however many ids are dead; the credit never exceeds one block's cap,
		// so a backlog cannot make later blocks heavier (a share owed challenges crowded out of
		// full blocks beyond that is dropped, not deferred).
		credit = credit.saturating_sub(drawn * WHOLE).min(u64::from(most) * WHOLE);
		ChallengeCredit::<T>::put(credit);
		base.saturating_add(per_challenge.saturating_mul(due.into())).saturating_add(owed_weight)
	}

	/// Opens the challenges of owing nodes whose tasks gave GPUs back, `most` at most, from a
	/// point the block's entropy picks so none is always last; how many it looked at, and how
	/// many it tried to open.
	///
	/// A node that is leaving is challenged like an online one: its stake stays until the
	/// challenge is judged (`OpenChecks`), so deregistering is no way out of it. One that is
	/// offline or suspended, or whose last owed challenge is still open, keeps its GPUs
	/// withheld and waits for a later block, without taking an opening from the others: a block
	/// looks at [`OWED_LOOKS_PER_OPENING`] times the cap, so nodes parked offline crowd out the
	/// ready ones only when they outnumber them that many times over. One that left for good,
	/// or gave up the compute role, owes nothing more.
	fn open_owed(now: BlockNumberFor<T>, params: &ChallengeParams, most: u32) -> (u32, u32) {
		let pivot = BlakeTwo256::hash(&(Entropy::<T>::get(), b"vcity/challenge-owed", now).encode());
		let from = OwedReady::<T>::hashed_key_for(Self::below(&pivot.0, NodeId::MAX));
		let looks = most.saturating_mul(OWED_LOOKS_PER_OPENING) as usize;
		let mut ready: Vec<NodeId> = Vec::new();
		for node in OwedReady::<T>::iter_keys_from(from).chain(OwedReady::<T>::iter_keys()) {
			if ready.len() >= looks || ready.contains(&node) {
				break;
			}
			ready.push(node);
		}
		let mut attempted = 0u32;
		for node in &ready {
			if attempted >= most {
				break;
			}
			let node = *node;
			let Some(mut owed) = ChallengeOwed::<T>::get(node) else {
				OwedReady::<T>::remove(node);
				continue;
			};
			let profile = T::Registry::profile(node);
			let gone = profile.as_ref().is_none_or(|p| {
				matches!(p.status, NodeStatus::Exited | NodeStatus::Banned) || !p.roles.compute
			});
			if gone {
				ChallengeOwed::<T>::remove(node);
				OwedReady::<T>::remove(node);
				continue;
			}
			let Some(profile) =
				profile.filter(|p| matches!(p.status, NodeStatus::Online | NodeStatus::Unbonding))
			else {
				continue;
			};
			if OwedChallengeOf::<T>::contains_key(node) {
				continue;
			}
			OwedReady::<T>::remove(node);
			// The GPUs owed and given back, no more: the node's other idle GPUs were challenged
			// at the draw, or taken since by tasks that ran on them.
			let gpus = owed.withheld.min(T::Market::idle_gpus(node, profile.gpu.count));
			if gpus > 0 {
				attempted += 1;
				let seed =
					BlakeTwo256::hash(&(Entropy::<T>::get(), b"vcity/challenge-owed", now, node).encode()).0;
				let spec = params.spec(gpu_class(&profile.gpu.model));
				// Failing to open is not the node's doing: its GPUs go back to the market unchecked.
				Self::try_open(node, gpus, profile.gpu.vram_per_gpu_gib, spec, &seed, Slot::Owed);
			}
			owed.gpus = owed.gpus.saturating_sub(owed.withheld);
			owed.withheld = 0;
			if owed.gpus == 0 {
				ChallengeOwed::<T>::remove(node);
			} else {
				ChallengeOwed::<T>::insert(node, owed);
			}
		}
		(ready.len() as u32, attempted)
	}

	/// Opens a challenge in `slot`, or says why it could not. A failed attempt keeps what it
	/// wrote: the dead verifiers its draw took out of the pool stay out (rolled back, every
	/// later draw would find them again), and the job id it took is only a gap.
	fn try_open(node: NodeId, gpus: u32, gib_per_gpu: u32, spec: ChallengeSpec, seed: &[u8; 32], slot: Slot) {
		if let Err(reason) = Self::open_challenge(node, gpus, gib_per_gpu, spec, seed, slot) {
			Self::deposit_event(Event::ChallengeNotOpened { node, reason });
		}
	}

	/// The open challenge `job` of `node`, from a draw or owed.
	pub(crate) fn is_challenge_of(node: NodeId, job: JobId) -> bool {
		ChallengeOf::<T>::get(node) == Some(job) || OwedChallengeOf::<T>::get(node) == Some(job)
	}

	/// Takes closed challenge `job` of `node` out of the slot it was in.
	pub(crate) fn close_challenge(node: NodeId, job: JobId) {
		if ChallengeOf::<T>::get(node) == Some(job) {
			ChallengeOf::<T>::remove(node);
		} else if OwedChallengeOf::<T>::get(node) == Some(job) {
			OwedChallengeOf::<T>::remove(node);
		}
	}

	/// The GPUs of `node` that tasks hold at its draw are owed a challenge, which opens as the
	/// tasks give them back: a node cannot keep GPUs it lacks out of every challenge by
	/// keeping them "busy" with tasks it buys itself. An owed challenge replaces the one before.
	fn owe(node: NodeId, busy: u32) {
		OwedReady::<T>::remove(node);
		if busy == 0 {
			ChallengeOwed::<T>::remove(node);
			return;
		}
		let drawn_at = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		ChallengeOwed::<T>::insert(node, OwedChallenge { gpus: busy, withheld: 0, drawn_at });
		Self::deposit_event(Event::ChallengeDeferred { node, gpus: busy });
	}

	/// A task assigned in block `assigned_at` gave `gpus` GPUs back to `node`, whose tasks hold
	/// `in_use` now: if it held them at the node's draw, they wait for the challenge the node
	/// owes. A node cannot pay its debt with GPUs it took since, which were challenged already:
	/// the GPUs it keeps busy are owed until their own tasks end. Once no task holds any, the
	/// whole debt is due, so no GPU count that changed since the draw leaves a debt no task end
	/// can pay (and a stake no withdrawal can take back).
	pub(crate) fn note_gpus_freed(node: NodeId, gpus: u32, assigned_at: u64, in_use: u32) {
		let Some(mut owed) = ChallengeOwed::<T>::get(node) else { return };
		let more = if in_use == 0 {
			owed.gpus.saturating_sub(owed.withheld)
		} else if assigned_at < owed.drawn_at {
			gpus.min(owed.gpus.saturating_sub(owed.withheld))
		} else {
			0
		};
		if more > 0 {
			owed.withheld = owed.withheld.saturating_add(more);
			ChallengeOwed::<T>::insert(node, owed);
			OwedReady::<T>::insert(node, ());
		}
	}

	/// GPUs of `node` withheld for the challenge it owes.
	pub(crate) fn withheld_gpus(node: NodeId) -> u32 {
		ChallengeOwed::<T>::get(node).map_or(0, |owed| owed.withheld)
	}

	/// Draws a node with `seed` and challenges it, if the draw finds one that can be; whether
	/// it found an online compute node (challenged, or spared because all its GPUs work).
	fn challenge_one(params: &ChallengeParams, seed: &[u8; 32], id_bound: NodeId) -> bool {
		if id_bound <= 1 {
			return false;
		}
		let candidate = (0..CHALLENGE_ATTEMPTS).find_map(|attempt| {
			let pick = BlakeTwo256::hash(&(b"vcity/challenge-node", seed, attempt).encode());
			let node = 1 + Self::below(&pick.0, id_bound - 1);
			let profile = T::Registry::profile(node)?;
			let eligible = profile.status == NodeStatus::Online
				&& profile.roles.compute
				&& !ChallengeOf::<T>::contains_key(node)
				&& !OwedChallengeOf::<T>::contains_key(node);
			eligible.then_some((node, profile))
		});
		let Some((node, profile)) = candidate else { return false };
		// Trusted hardware governance vouched for is challenged in its share of draws only.
		let share = Self::challenge_share(node);
		if share < Perbill::one()
			&& !Self::sampled(&BlakeTwo256::hash(&(seed, b"vcity/attested").encode()).0, share)
		{
			return true;
		}
		// No paid task is stopped: the GPUs tasks hold are challenged as they come free.
		let gpus = T::Market::idle_gpus(node, profile.gpu.count);
		Self::owe(node, profile.gpu.count.saturating_sub(gpus));
		if gpus == 0 {
			return true;
		}
		let spec = params.spec(gpu_class(&profile.gpu.model));
		Self::try_open(node, gpus, profile.gpu.vram_per_gpu_gib, spec, seed, Slot::Drawn);
		true
	}

	/// Opens a challenge of `node`'s `gpus` idle GPUs of `gib_per_gpu` GiB each from the table's
	/// row `spec`, in `slot`.
	pub(crate) fn open_challenge(
		node: NodeId,
		gpus: u32,
		gib_per_gpu: u32,
		spec: ChallengeSpec,
		seed: &[u8; 32],
		slot: Slot,
	) -> Result<JobId, NotOpened> {
		let workload = BuiltinWorkload::MatrixProduct {
			seed: u64::from_le_bytes([
				seed[8], seed[9], seed[10], seed[11], seed[12], seed[13], seed[14], seed[15],
			]),
			size: spec.size,
			rounds: spec.rounds_per_gpu.saturating_mul(gpus),
		};
		let memory = spec.memory_walk(gpus, gib_per_gpu);
		let now = frame_system::Pallet::<T>::block_number();
		let answer_by = now.saturating_add(Self::blocks_for(u64::from(spec.deadline_seconds)));
		let params = Params::<T>::get();
		let reward_per_seat = params.answer_reward;
		let draft = JobDraft {
			node,
			workload,
			subject: JobSubject::Capacity {
				gpus,
				memory,
				answer_by,
				seat: Seat { verifier: node, commitment: None, answer: None },
				committed_at: None,
			},
			budget: reward_per_seat.saturating_mul(params.verifiers_per_job.into()),
			buyer: None,
			// Verifiers recompute the chain on one GPU, then the walk, which no GPU count
			// shortens: its time at the reference rate of the slowest host is theirs too.
			work_seconds: u64::from(spec.verify_seconds_per_gpu)
				.saturating_mul(gpus.into())
				.saturating_add(memory.map_or(0, |walk| memory_min_seconds(walk.items, walk.reads))),
		};
		let opened = Self::open(draft, seed)?;
		match slot {
			Slot::Drawn => ChallengeOf::<T>::insert(node, opened.id),
			Slot::Owed => OwedChallengeOf::<T>::insert(node, opened.id),
		}
		let answer_by = match Jobs::<T>::get(opened.id).map(|job| job.subject) {
			Some(JobSubject::Capacity { answer_by, .. }) => answer_by,
			_ => answer_by,
		};
		Self::deposit_event(Event::ChallengeOpened {
			job: opened.id,
			node,
			gpus,
			workload,
			memory,
			verifiers: opened.verifiers,
			answer_by,
			commit_by: opened.commit_by,
			reveal_by: opened.reveal_by,
		});
		Ok(opened.id)
	}

	/// A challenge's verdict: the node's answer against the verifiers' quorum and its deadline.
	/// A node that never committed was down (minor); one that committed late, wrong, or never
	/// revealed what it committed claimed GPUs it could not show (severe), and the verifiers
	/// that matched the quorum are the reporters.
	pub(crate) fn conclude_challenge(id: JobId, job: &JobOf<T>, answer: Option<CheckAnswer>) {
		let JobSubject::Capacity { answer_by, seat, committed_at, .. } = &job.subject else { return };
		// `do_commit` refuses the node's commitment after `answer_by`: a later one is none.
		let verdict = match (committed_at, seat.answer) {
			(None, _) => ChallengeVerdict::NoAnswer,
			(Some(at), _) if at > answer_by => ChallengeVerdict::NoAnswer,
			(Some(_), None) => ChallengeVerdict::Unrevealed,
			(Some(_), Some(given)) => match answer {
				Some(decided) if decided == given => ChallengeVerdict::Passed,
				Some(_) => ChallengeVerdict::Wrong,
				None => ChallengeVerdict::Inconclusive,
			},
		};
		let reporters = Self::judge_verifiers(id, job, answer, job.budget);
		let offence = match verdict {
			ChallengeVerdict::NoAnswer => Some(Offence::UnannouncedDowntime),
			ChallengeVerdict::Wrong | ChallengeVerdict::Unrevealed => Some(Offence::FakeCapacity),
			ChallengeVerdict::Passed | ChallengeVerdict::Inconclusive => None,
		};
		if let Some(offence) = offence {
			let reporters = if offence == Offence::FakeCapacity { reporters } else { Vec::new() };
			T::Offences::report_offence(OffenceReport {
				node: job.node,
				offence,
				evidence: OffenceEvidence::Check(id),
				victim: None,
				reporters,
			});
		}
		Self::deposit_event(Event::ChallengeConcluded {
			job: id,
			node: job.node,
			verdict,
			answer: answer.map(|a| a.digest),
		});
	}
}

/// A node's stake stays until its challenges are judged: one open, or one owed for GPUs its
/// tasks held at a draw (which opens, even while the node unbonds, as the tasks end).
impl<T: Config> vcity_primitives::OpenChecks for Pallet<T> {
	fn checks_open(node: NodeId) -> bool {
		ChallengeOf::<T>::contains_key(node)
			|| OwedChallengeOf::<T>::contains_key(node)
			|| ChallengeOwed::<T>::contains_key(node)
	}

	fn checks_open_weight() -> Weight {
		T::DbWeight::get().reads(3)
	}
}
