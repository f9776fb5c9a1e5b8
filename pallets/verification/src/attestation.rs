//! TEE attestations: the seam for trusted hardware (docs/verification.md#tee-attestations).
//!
//! A node may attach a report from a trusted execution environment: NVIDIA confidential
//! computing, where the GPU itself signs its model and firmware, or a TDX or SEV-SNP quote of
//! the host. Checking such a report means walking its vendor's certificate chain and
//! revocation lists, which no code on this chain does yet; governance judges it instead, from
//! the report the attaching call carries, and may accept it for a bounded time. An accepted
//! attestation weighs in one place today: such a node is challenged in a governed share of its
//! draws (all of them by default), so trusted hardware can be spared recomputation once the
//! DAO trusts the checks behind it. A verifier of reports on chain, or in verifier nodes, plugs
//! in at [`Pallet::do_judge`].

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{BlakeTwo256, Hash, Saturating},
	Perbill,
};
use vcity_primitives::{NodeId, NodeRegistry, NodeStatus};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_attach(who: T::AccountId, node: NodeId, tee: TeeKind, report: &[u8]) -> DispatchResult {
		Self::ensure_controller(&who, node)?;
		let status = T::Registry::status(node).ok_or(Error::<T>::UnknownNode)?;
		ensure!(!matches!(status, NodeStatus::Banned | NodeStatus::Exited), Error::<T>::NodeRetired);
		let report_hash = BlakeTwo256::hash(report).0;
		let attached_at = frame_system::Pallet::<T>::block_number();
		Attestations::<T>::insert(
			node,
			Attestation { tee, report_hash, attached_at, standing: AttestationStanding::Pending },
		);
		Self::deposit_event(Event::AttestationAttached { node, tee, report_hash });
		Ok(())
	}

	pub(crate) fn do_judge(
		node: NodeId,
		report_hash: [u8; 32],
		accepted: bool,
		valid_for: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut attestation = Attestations::<T>::get(node).ok_or(Error::<T>::NoAttestation)?;
		ensure!(attestation.report_hash == report_hash, Error::<T>::AttestationReplaced);
		let standing = if accepted {
			ensure!(valid_for <= TeePolicy::<T>::get().max_validity, Error::<T>::ValidityTooLong);
			let now = frame_system::Pallet::<T>::block_number();
			AttestationStanding::Accepted { until: now.saturating_add(valid_for) }
		} else {
			AttestationStanding::Rejected
		};
		attestation.standing = standing;
		Attestations::<T>::insert(node, attestation);
		Self::deposit_event(Event::AttestationJudged { node, report_hash, standing });
		Ok(())
	}

	/// The share of its draws in which `node` is challenged: all of them, unless it holds an
	/// attestation governance accepted that has not run out.
	pub(crate) fn challenge_share(node: NodeId) -> Perbill {
		let now = frame_system::Pallet::<T>::block_number();
		match Attestations::<T>::get(node).map(|attestation| attestation.standing) {
			Some(AttestationStanding::Accepted { until }) if now < until => {
				TeePolicy::<T>::get().attested_challenge_share
			}
			_ => Perbill::one(),
		}
	}
}
