//! Where the randomness of draws comes from (docs/verification.md#randomness).
//!
//! Aura gives no VRF output. The pallet keeps a running hash of every block's parent hash and
//! every salt a verifier reveals. A draw for a delivery happens [`DRAW_DELAY`] blocks after the
//! delivery, so the node that delivered could not know the hash it reads. Who can bias a draw:
//! the author of the block before it, by choosing among the blocks it could build, and a
//! verifier whose reveal is the last mixed in, by withholding it (and being reported absent).
//! Neither can do so without being a validator or a staked verifier.

use crate::{pallet::*, types::DRAW_DELAY};
use codec::Encode;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// Mixes the parent block's hash into the entropy (every block).
	pub(crate) fn mix_block_hash() -> Weight {
		let parent = frame_system::Pallet::<T>::parent_hash();
		Entropy::<T>::mutate(|entropy| *entropy = BlakeTwo256::hash(&(*entropy, parent).encode()).0);
		T::DbWeight::get().reads_writes(2, 1)
	}

	/// Mixes a revealed salt into the entropy.
	pub(crate) fn mix_salt(salt: &[u8; 32]) {
		Entropy::<T>::mutate(|entropy| *entropy = BlakeTwo256::hash(&(*entropy, salt).encode()).0);
	}

	/// A seed for one purpose (`domain`) about one thing (`id`), from the entropy now.
	pub(crate) fn seed(domain: &[u8], id: u64) -> [u8; 32] {
		BlakeTwo256::hash(&(Entropy::<T>::get(), domain, id).encode()).0
	}

	/// A number below `below` (at least 1) from a hash's first 64 bits: modulo so small a
	/// bound, the bias toward low values is below 10⁻⁹.
	pub(crate) fn below(hash: &[u8; 32], below: u64) -> u64 {
		let mut bytes = [0u8; 8];
		bytes.copy_from_slice(&hash[..8]);
		u64::from_le_bytes(bytes) % below.max(1)
	}

	/// Whether a draw with `seed` falls within `fraction`.
	pub(crate) fn sampled(seed: &[u8; 32], fraction: Perbill) -> bool {
		Self::below(seed, 1_000_000_000) < u64::from(fraction.deconstruct())
	}

	/// The block whose hook draws a delivery made now.
	pub(crate) fn draw_block(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		now + DRAW_DELAY.into()
	}
}
