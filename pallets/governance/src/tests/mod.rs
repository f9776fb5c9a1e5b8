//! A runtime with the system and this pallet: origins, tracks and their settings.

use crate as pallet_governance;
use frame_support::{derive_impl, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

mod origin_tests;
mod track_tests;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Governance = pallet_governance;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = u64;
	type Lookup = sp_runtime::traits::IdentityLookup<u64>;
}

/// Ten blocks an hour, so the production table's periods are easy to read.
pub const BLOCKS_PER_DAY: u32 = 240;

impl pallet_governance::Config for Test {
	type AdminOrigin = EnsureRoot<u64>;
	type BlocksPerDay = ConstU32<BLOCKS_PER_DAY>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with(Vec::new())
}

pub fn ext_with(tracks: Vec<(crate::TrackId, crate::TrackSettings<u64>)>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_governance::GenesisConfig::<Test> { tracks }.assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
