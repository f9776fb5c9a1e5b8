//! The migration that drops the claimed points version 0 kept.

use super::*;
use crate::migrations::v1::MigrateV0ToV1;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn claimed_points_left_by_version_0_go_and_owed_ones_stay() {
	test(|| {
		StorageVersion::new(0).put::<Rewards>();
		let owed = NodePeriodPoints { capacity: 5, windows: 1, ..Default::default() };
		let claimed = NodePeriodPoints { claimed: true, ..owed };
		NodePoints::<Test>::insert(1, 0, claimed);
		NodePoints::<Test>::insert(1, 1, owed);
		NodePoints::<Test>::insert(2, 0, claimed);

		MigrateV0ToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Rewards::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(NodePoints::<Test>::get(1, 0), None);
		assert_eq!(NodePoints::<Test>::get(2, 0), None);
		assert_eq!(NodePoints::<Test>::get(1, 1), Some(owed));
		// Node 2 is owed nothing now: its record may go.
		use vcity_primitives::NodeRecordUse;
		assert!(!<Rewards as NodeRecordUse>::in_use(2));
		assert!(<Rewards as NodeRecordUse>::in_use(1));
		// A second run finds version 1 and does nothing.
		NodePoints::<Test>::insert(3, 0, claimed);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(NodePoints::<Test>::get(3, 0).is_some());
		NodePoints::<Test>::remove(3, 0);
	});
}
