//! The verifier pool: who may be drawn, and the draw itself.
//!
//! The pool is a dense array (slot → node) so a draw reads one slot per attempt whatever the
//! pool's size; leaving moves the last node into the freed slot. A node drawn while it cannot
//! serve (offline, suspended) is skipped; one that will never serve again (unbonding, exited,
//! banned, or stripped of the role) is taken out when a draw finds it.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::{BlakeTwo256, Hash};
use vcity_primitives::{NodeId, NodeRegistry, NodeStatus};

/// Who a job may not draw: the node under test, its owner's nodes, and the buyer's nodes.
pub(crate) struct Excluded<AccountId> {
	pub node: NodeId,
	pub owners: [Option<AccountId>; 2],
}

impl<T: Config> Pallet<T> {
	/// `who` controls `node` (its owner or its operator key).
	pub(crate) fn ensure_controller(who: &T::AccountId, node: NodeId) -> DispatchResult {
		let profile = T::Registry::profile(node).ok_or(Error::<T>::UnknownNode)?;
		ensure!(&profile.owner == who || &profile.operator == who, Error::<T>::NotNodeController);
		Ok(())
	}

	pub(crate) fn do_join(who: T::AccountId, node: NodeId) -> DispatchResult {
		Self::ensure_controller(&who, node)?;
		let profile = T::Registry::profile(node).ok_or(Error::<T>::UnknownNode)?;
		ensure!(profile.roles.verifier, Error::<T>::NotVerifier);
		ensure!(profile.status == NodeStatus::Online, Error::<T>::NodeNotOnline);
		ensure!(!SlotOfVerifier::<T>::contains_key(node), Error::<T>::AlreadyInPool);
		let size = PoolSize::<T>::get();
		ensure!(size < T::MaxVerifiers::get(), Error::<T>::PoolFull);
		PoolSlot::<T>::insert(size, node);
		SlotOfVerifier::<T>::insert(node, size);
		DroppedFromPool::<T>::remove(node);
		PoolSize::<T>::put(size + 1);
		Self::deposit_event(Event::VerifierJoined { node });
		Ok(())
	}

	pub(crate) fn do_leave(who: T::AccountId, node: NodeId) -> DispatchResult {
		Self::ensure_controller(&who, node)?;
		ensure!(SlotOfVerifier::<T>::contains_key(node), Error::<T>::NotInPool);
		Self::remove_from_pool(node);
		DroppedFromPool::<T>::remove(node);
		Ok(())
	}

	/// Moves the pool's last node into `node`'s slot.
	pub(crate) fn remove_from_pool(node: NodeId) {
		let Some(slot) = SlotOfVerifier::<T>::take(node) else { return };
		let last = PoolSize::<T>::get().saturating_sub(1);
		if slot != last {
			if let Some(moved) = PoolSlot::<T>::get(last) {
				PoolSlot::<T>::insert(slot, moved);
				SlotOfVerifier::<T>::insert(moved, slot);
			}
		}
		PoolSlot::<T>::remove(last);
		PoolSize::<T>::put(last);
		Self::deposit_event(Event::VerifierLeft { node });
	}

	/// Up to `seats` distinct verifiers for a job, drawn from `seed`, reading at most
	/// [`DRAW_ATTEMPTS_PER_SEAT`] slots per seat, so a pool of nodes that cannot serve costs no
	/// more than a healthy one. A pool that small is read whole, in an order shuffled by the
	/// seed, so no eligible verifier is missed by chance; a larger one is sampled slot by slot.
	pub(crate) fn draw_verifiers(
		seed: &[u8; 32],
		seats: u32,
		excluded: &Excluded<T::AccountId>,
	) -> Vec<NodeId> {
		let attempts = seats.saturating_mul(DRAW_ATTEMPTS_PER_SEAT);
		let size = PoolSize::<T>::get();
		let random = |attempt: u32, below: u32| {
			let pick = BlakeTwo256::hash(&(seed, attempt).encode());
			Self::below(&pick.0, u64::from(below)) as u32
		};
		let order: Vec<u32> = if size <= attempts {
			// Fisher–Yates over the whole pool.
			let mut slots: Vec<u32> = (0..size).collect();
			for i in (1..slots.len()).rev() {
				slots.swap(i, random(i as u32, i as u32 + 1) as usize);
			}
			slots
		} else {
			(0..attempts).map(|attempt| random(attempt, size)).collect()
		};
		let mut drawn = Vec::new();
		// One owner, one seat: several nodes of one owner cannot make a quorum together.
		let mut seated_owners: Vec<T::AccountId> = Vec::new();
		for slot in order {
			if drawn.len() as u32 >= seats {
				break;
			}
			let Some(node) = PoolSlot::<T>::get(slot) else { continue };
			if node == excluded.node || drawn.contains(&node) {
				continue;
			}
			let Some(profile) = T::Registry::profile(node) else {
				Self::remove_from_pool(node);
				continue;
			};
			// A node that cannot serve now leaves, so slots of silent nodes cannot crowd out
			// the ones that answer; its worker puts it back when it is online again.
			if profile.status != NodeStatus::Online || !profile.roles.verifier {
				Self::remove_from_pool(node);
				let may_return = matches!(
					profile.status,
					NodeStatus::Offline | NodeStatus::Suspended | NodeStatus::Registered
				);
				if may_return && profile.roles.verifier {
					DroppedFromPool::<T>::insert(node, ());
				}
				continue;
			}
			let conflicted = excluded
				.owners
				.iter()
				.flatten()
				.chain(seated_owners.iter())
				.any(|owner| owner == &profile.owner);
			let busy = OpenJobsOf::<T>::get(node) >= MAX_OPEN_JOBS_PER_VERIFIER;
			if !conflicted && !busy {
				seated_owners.push(profile.owner);
				drawn.push(node);
			}
		}
		drawn
	}
}
