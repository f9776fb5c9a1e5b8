//! Storage migrations: a chain's state at an older layout reads back whole after the upgrade.

use super::*;
use crate::migrations::v1::{ChallengeParamsV0, ChallengeSpecV0, JobSubjectV0, JobV0, MigrateV0ToV1};
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};

/// Version 0's table keeps its matrix rows and walks no memory; an open challenge and an open
/// audit decode after the upgrade with every field as it was.
#[test]
fn version_one_adds_the_walk_and_keeps_the_table_and_open_jobs() {
	test(|| {
		StorageVersion::new(0).put::<Verification>();
		let row =
			ChallengeSpecV0 { size: 64, rounds_per_gpu: 4, deadline_seconds: 60, verify_seconds_per_gpu: 4 };
		let table = ChallengeParamsV0 {
			daily_fraction: Perbill::from_percent(7),
			consumer: row,
			workstation: ChallengeSpecV0 { rounds_per_gpu: 5, ..row },
			datacenter: ChallengeSpecV0 { rounds_per_gpu: 6, ..row },
		};
		unhashed::put(&Challenges::<Test>::hashed_key(), &table);
		let seat = Seat { verifier: 9, commitment: Some([1; 32]), answer: None };
		let job = |subject| JobV0::<AccountId, u64> {
			node: 4,
			workload: BuiltinWorkload::MatrixProduct { seed: 3, size: 64, rounds: 8 },
			key: [2; 32],
			subject,
			budget: 77,
			seats: BoundedVec::truncate_from(vec![seat]),
			quorum: 2,
			commit_by: 10,
			reveal_by: 20,
		};
		let challenge = job(JobSubjectV0::Capacity { gpus: 2, answer_by: 8, seat, committed_at: Some(5) });
		let audit =
			job(JobSubjectV0::Delivery { task: 12, claimed: [4; 32], victim: Some((1, 5)), disputant: None });
		unhashed::put(&Jobs::<Test>::hashed_key_for(1), &challenge);
		unhashed::put(&Jobs::<Test>::hashed_key_for(2), &audit);

		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Verification::on_chain_storage_version(), StorageVersion::new(1));
		let now = Challenges::<Test>::get();
		assert_eq!(now.daily_fraction, Perbill::from_percent(7));
		assert_eq!(
			[now.consumer.rounds_per_gpu, now.workstation.rounds_per_gpu, now.datacenter.rounds_per_gpu],
			[4, 5, 6]
		);
		assert!([now.consumer, now.workstation, now.datacenter]
			.iter()
			.all(|r| r.memory_kib_per_gib == 0 && r.memory_reads_per_item == 0 && r.size == 64));
		assert_ok!(Verification::ensure_valid_challenges(&now));
		let challenge = Jobs::<Test>::get(1).expect("the challenge decodes");
		assert_eq!(
			challenge.subject,
			JobSubject::Capacity { gpus: 2, memory: None, answer_by: 8, seat, committed_at: Some(5) }
		);
		assert_eq!((challenge.node, challenge.budget, challenge.quorum, challenge.reveal_by), (4, 77, 2, 20));
		let audit = Jobs::<Test>::get(2).expect("the audit decodes");
		assert_eq!(
			audit.subject,
			JobSubject::Delivery { task: 12, claimed: [4; 32], victim: Some((1, 5)), disputant: None }
		);

		// Runs once: a second upgrade leaves the state alone.
		let before = Challenges::<Test>::get();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Challenges::<Test>::get(), before);
		// The jobs were written bare, without the indexes an opening keeps beside them.
		Jobs::<Test>::remove(1);
		Jobs::<Test>::remove(2);
	});
}

/// A chain that never stored a table read version 0's default (production rows, no walk): it
/// keeps reading them after the upgrade, not the new default with the walk on.
#[test]
fn a_chain_without_a_stored_table_keeps_the_old_default() {
	test(|| {
		StorageVersion::new(0).put::<Verification>();
		Challenges::<Test>::kill();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let table = Challenges::<Test>::try_get().expect("stored");
		let production = ChallengeParams::default();
		assert_eq!(
			(table.daily_fraction, table.datacenter.rounds_per_gpu),
			(production.daily_fraction, 6_000)
		);
		assert!([table.consumer, table.workstation, table.datacenter].iter().all(|r| r.memory_kib_per_gib
			== 0 && r
			.memory_reads_per_item
			== 0 && r.size
			== 4_096));
	});
}
