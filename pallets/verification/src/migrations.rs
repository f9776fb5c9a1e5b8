//! Storage migrations of verification.

use crate::{pallet::*, types::*};
use frame_support::{migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// Version 1 adds the memory walk to capacity challenges
/// (docs/verification.md#the-memory-walk): each row of the challenge table says how much of the
/// declared memory to walk and how often to read it, and each open challenge records its walk.
///
/// Version 0's rows keep their matrix settings and walk no memory: a walk sized for GPUs would
/// fail every node of a chain whose table was set for CPU hosts, so turning it on is
/// governance's call (`set_challenge_params`), row by row. Open challenges walk none either:
/// they were opened, and are being answered, without one. A chain that never stored a table
/// read version 0's default, the production rows: it gets them stored, with the walk off.
///
/// One read and one write for the table, and for each open job (at most the challenges and
/// audits a few days of blocks open, each bounded by the per-block caps).
pub mod v1 {
	use super::*;
	use vcity_primitives::{Balance, BuiltinWorkload, Digest, NodeId, TaskId};

	/// A row of the table at version 0.
	#[derive(Encode, Decode, Clone, Copy)]
	pub struct ChallengeSpecV0 {
		pub size: u32,
		pub rounds_per_gpu: u32,
		pub deadline_seconds: u32,
		pub verify_seconds_per_gpu: u32,
	}

	/// The table at version 0.
	#[derive(Encode, Decode, Clone, Copy)]
	pub struct ChallengeParamsV0 {
		pub daily_fraction: sp_runtime::Perbill,
		pub consumer: ChallengeSpecV0,
		pub workstation: ChallengeSpecV0,
		pub datacenter: ChallengeSpecV0,
	}

	/// What a job checked at version 0: a challenge had no walk.
	#[derive(Encode, Decode, Clone)]
	pub enum JobSubjectV0<AccountId, BlockNumber> {
		Delivery {
			task: TaskId,
			claimed: Digest,
			victim: Option<(AccountId, Balance)>,
			disputant: Option<(AccountId, Balance)>,
		},
		Capacity {
			gpus: u32,
			answer_by: BlockNumber,
			seat: Seat,
			committed_at: Option<BlockNumber>,
		},
	}

	/// A job at version 0.
	#[derive(Encode, Decode, Clone)]
	pub struct JobV0<AccountId, BlockNumber> {
		pub node: NodeId,
		pub workload: BuiltinWorkload,
		pub key: [u8; 32],
		pub subject: JobSubjectV0<AccountId, BlockNumber>,
		pub budget: Balance,
		pub seats: BoundedVec<Seat, ConstU32<MAX_VERIFIERS_PER_JOB>>,
		pub quorum: u32,
		pub commit_by: BlockNumber,
		pub reveal_by: BlockNumber,
	}

	fn row(old: ChallengeSpecV0) -> ChallengeSpec {
		ChallengeSpec {
			size: old.size,
			rounds_per_gpu: old.rounds_per_gpu,
			deadline_seconds: old.deadline_seconds,
			verify_seconds_per_gpu: old.verify_seconds_per_gpu,
			memory_kib_per_gib: 0,
			memory_reads_per_item: 0,
		}
	}

	/// Version 0's table in the new layout, each row walking no memory.
	pub fn translated(old: ChallengeParamsV0) -> ChallengeParams {
		ChallengeParams {
			daily_fraction: old.daily_fraction,
			consumer: row(old.consumer),
			workstation: row(old.workstation),
			datacenter: row(old.datacenter),
		}
	}

	/// `table` with every row's walk off.
	pub fn walk_off(table: ChallengeParams) -> ChallengeParams {
		let off =
			|spec: ChallengeSpec| ChallengeSpec { memory_kib_per_gib: 0, memory_reads_per_item: 0, ..spec };
		ChallengeParams {
			consumer: off(table.consumer),
			workstation: off(table.workstation),
			datacenter: off(table.datacenter),
			..table
		}
	}

	/// The table with its rows' walks off, and every open job with its subject's new layout.
	pub struct AddMemoryWalk<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for AddMemoryWalk<T> {
		fn on_runtime_upgrade() -> Weight {
			// A chain that never stored its table read version 0's default, the production rows
			// without a walk: it keeps them, stored, rather than read the new default, walk on.
			match frame_support::storage::unhashed::get_raw(&Challenges::<T>::hashed_key()) {
				None => Challenges::<T>::put(walk_off(ChallengeParams::default())),
				Some(raw) => match ChallengeParamsV0::decode(&mut &raw[..]) {
					Ok(old) => Challenges::<T>::put(translated(old)),
					// Left undecodable, the table would read as the new default, walk on: say
					// so loudly rather than let a CPU chain's nodes all fail unexplained.
					Err(_) => {
						frame_support::defensive!("the challenge table did not decode at storage version 0");
					}
				},
			}
			let mut jobs = 0u64;
			Jobs::<T>::translate::<JobV0<T::AccountId, BlockNumberFor<T>>, _>(|_id, old| {
				jobs.saturating_inc();
				let subject = match old.subject {
					JobSubjectV0::Delivery { task, claimed, victim, disputant } => {
						JobSubject::Delivery { task, claimed, victim, disputant }
					}
					JobSubjectV0::Capacity { gpus, answer_by, seat, committed_at } => {
						JobSubject::Capacity { gpus, memory: None, answer_by, seat, committed_at }
					}
				};
				Some(Job {
					node: old.node,
					workload: old.workload,
					key: old.key,
					subject,
					budget: old.budget,
					seats: old.seats,
					quorum: old.quorum,
					commit_by: old.commit_by,
					reveal_by: old.reveal_by,
				})
			});
			T::DbWeight::get().reads_writes(jobs.saturating_add(1), jobs.saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let expected = match frame_support::storage::unhashed::get_raw(&Challenges::<T>::hashed_key()) {
				None => walk_off(ChallengeParams::default()),
				Some(raw) => translated(
					ChallengeParamsV0::decode(&mut &raw[..]).map_err(|_| "the version 0 table decodes")?,
				),
			};
			Ok((Jobs::<T>::iter_keys().count() as u64, expected).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (jobs, expected) = <(u64, ChallengeParams)>::decode(&mut &state[..])
				.map_err(|_| "the state before the upgrade")?;
			ensure!(Jobs::<T>::iter().count() as u64 == jobs, "every open job decodes after the upgrade");
			let table =
				Challenges::<T>::try_get().map_err(|_| "the challenge table is stored and decodes")?;
			ensure!(table == expected, "the table keeps its rows, with the walk off");
			Pallet::<T>::do_try_state()
		}
	}

	/// Runs once, on a chain whose verification is at storage version 0, and sets version 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, AddMemoryWalk<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
