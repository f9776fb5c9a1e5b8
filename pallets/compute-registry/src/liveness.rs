//! Heartbeat windows: who may beat when, what a beat credits, and whether a node is online.
//!
//! Time is cut into windows of [`HeartbeatWindowMs`]. A node beats at most once per window and
//! is Online while it beat in the current or the previous window; nothing scans nodes to mark
//! them offline, the status is derived when read.

use crate::{pallet::*, reputation, types::*, weights::WeightInfo};
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::OriginFor;
use sp_runtime::traits::Saturating;
use vcity_primitives::{
	CapacityProof, CapacityRewards, Clock, GpuSeconds, Health, HeartbeatMetrics, Liveness, Moment, NodeId,
	Offence, OffenceEvidence, OffenceReport, OffenceReporter, OpenWork,
};

impl<T: Config> Pallet<T> {
	/// Index of the heartbeat window `at_ms` falls in.
	pub fn window_of(at_ms: Moment) -> u64 {
		at_ms.checked_div(HeartbeatWindowMs::<T>::get()).unwrap_or(0)
	}

	pub(crate) fn ensure_window_in_bounds(window_ms: Moment) -> Result<(), Error<T>> {
		ensure!(
			(T::MinHeartbeatWindowMs::get()..=T::MaxHeartbeatWindowMs::get()).contains(&window_ms),
			Error::<T>::WindowOutOfBounds
		);
		Ok(())
	}

	/// Checks a heartbeat without changing anything: the pool, the fee waiver and the call itself
	/// all ask this one question.
	pub fn check_heartbeat(
		operator: &T::AccountId,
		id: NodeId,
		metrics: &HeartbeatMetrics,
	) -> Result<HeartbeatCheck, Error<T>> {
		ensure!(metrics.load_percent <= 100, Error::<T>::InvalidMetrics);
		ensure!(NodeOfOperator::<T>::get(operator) == Some(id), Error::<T>::NotOperator);
		let node = Nodes::<T>::get(id).ok_or(Error::<T>::UnknownNode)?;
		ensure!(node.state == NodeState::Active, Error::<T>::NodeNotActive);
		let now = T::Clock::now_ms();
		let window = Self::window_of(now);
		if let Some(last) = Heartbeats::<T>::get(id) {
			ensure!(Self::window_of(last.at_ms) < window, Error::<T>::HeartbeatTooEarly);
		}
		let length = HeartbeatWindowMs::<T>::get();
		let window_end = window.saturating_add(1).saturating_mul(length);
		Ok(HeartbeatCheck { window, window_left_ms: window_end.saturating_sub(now) })
	}

	/// Heartbeats the current block already holds.
	pub fn heartbeats_in_this_block() -> u32 {
		let (block, count) = HeartbeatsInBlock::<T>::get();
		if block == frame_system::Pallet::<T>::block_number() {
			count
		} else {
			0
		}
	}

	fn count_heartbeat_in_block() {
		let now = frame_system::Pallet::<T>::block_number();
		HeartbeatsInBlock::<T>::mutate(|(block, count)| {
			if *block != now {
				*block = now;
				*count = 0;
			}
			count.saturating_inc();
		});
	}

	/// Whether a heartbeat would be accepted; such a heartbeat pays no fee.
	pub fn is_valid_heartbeat(origin: &OriginFor<T>, id: NodeId, metrics: &HeartbeatMetrics) -> bool {
		frame_system::ensure_signed(origin.clone())
			.is_ok_and(|who| Self::check_heartbeat(&who, id, metrics).is_ok())
	}

	pub(crate) fn do_heartbeat(
		operator: T::AccountId,
		id: NodeId,
		metrics: HeartbeatMetrics,
	) -> DispatchResult {
		Self::check_heartbeat(&operator, id, &metrics)?;
		let now = T::Clock::now_ms();
		let window_ms = HeartbeatWindowMs::<T>::get();
		let previous = Heartbeats::<T>::get(id);
		let mut compute = false;
		let proof = Nodes::<T>::try_mutate(id, |maybe| -> Result<Option<CapacityProof>, DispatchError> {
			let node = maybe.as_mut().ok_or(Error::<T>::UnknownNode)?;
			compute = node.roles.compute;
			// A failing node is alive but offers nothing: its beat keeps it Online and credits no
			// capacity, window or reputation, so dead hardware neither earns Proof-of-Capacity nor
			// inflates the capacity utilization is measured against.
			if metrics.health == Health::Failing {
				return Ok(None);
			}
			// Liveness is proven at both ends of an interval, so the first beat credits nothing.
			// Only GPUs the market can rent are capacity: a verifier- or scheduler-only node, or
			// one below the stake required of it (the market assigns it nothing), keeps its
			// windows and reputation but earns no Proof-of-Capacity and does not inflate the
			// capacity utilization is measured against (which would raise the stake further).
			let required_stake = Self::required_stake_of_node(&node.gpu).ok();
			let rentable =
				node.roles.compute && required_stake.is_some_and(|required| node.stake >= required);
			let credited: GpuSeconds = match previous {
				Some(last) if rentable => {
					let proven_ms = now.saturating_sub(last.at_ms).min(window_ms);
					(node.gpu.count as u64).saturating_mul(proven_ms / 1000)
				}
				_ => 0,
			};
			node.history.online_gpu_seconds.saturating_accrue(credited);
			node.history.windows_met.saturating_inc();
			reputation::record_online_window::<T>(&mut node.reputation, now);
			AvailableCapacity::<T>::mutate(T::Clock::period_index(), |c| c.saturating_accrue(credited));
			if credited == 0 {
				return Ok(None);
			}
			// Credited only when the requirement is known and met.
			let required_stake = required_stake.unwrap_or_default();
			Ok(Some(CapacityProof {
				node: id,
				gpu_seconds: credited,
				gpu_class: vcity_primitives::gpu_class(&node.gpu.model),
				total_vram_gib: node.gpu.total_vram_gib(),
				stake: node.stake,
				required_stake,
			}))
		})?;
		if let Some(proof) = proof {
			T::CapacityRewards::capacity_proven(proof);
		}
		Heartbeats::<T>::insert(
			id,
			HeartbeatRecord { at_ms: now, load_percent: metrics.load_percent, health: metrics.health },
		);
		Self::count_heartbeat_in_block();
		// Written once per stretch online, not once per beat.
		if compute && !OnlineComputeNodes::<T>::contains_key(id) {
			OnlineComputeNodes::<T>::insert(id, ());
		}
		Ok(())
	}

	/// Up to `limit` ids of the online index after node `cursor` (0: from its start), in the
	/// index's hash order, and the cursor of the next page (none at the end).
	pub fn online_compute_page(cursor: NodeId, limit: u32) -> (alloc::vec::Vec<NodeId>, Option<NodeId>) {
		// An empty page still says where to go on.
		if limit == 0 {
			let first = OnlineComputeNodes::<T>::iter().next().map(|_| cursor);
			return (alloc::vec::Vec::new(), first);
		}
		let mut ids = if cursor == 0 {
			OnlineComputeNodes::<T>::iter()
		} else {
			OnlineComputeNodes::<T>::iter_from(OnlineComputeNodes::<T>::hashed_key_for(cursor))
		}
		.map(|(id, ())| id);
		let page: alloc::vec::Vec<NodeId> = ids.by_ref().take(limit as usize).collect();
		let next = if ids.next().is_some() { page.last().copied() } else { None };
		(page, next)
	}

	/// Checks the next [`Config::OnlineSweepPerBlock`] entries of the online index and drops
	/// those whose node stopped beating, going round the index block after block. Readers check
	/// each entry's status anyway; the sweep keeps them from reading nodes long gone.
	pub(crate) fn sweep_online_nodes() -> Weight {
		match T::OnlineSweepPerBlock::get() {
			0 => Weight::zero(),
			limit => {
				let (checked, reported) = Self::sweep_online(limit);
				// Each entry checked may ask the market for its committed work and read when the
				// chain last resumed.
				T::WeightInfo::sweep_online_nodes(checked)
					.saturating_add(T::DbWeight::get().reads(2 * u64::from(checked)))
					.saturating_add(T::Offences::report_offence_weight().saturating_mul(u64::from(reported)))
			}
		}
	}

	/// Notes a stall: when the chain's time jumped by more than a heartbeat window since the last
	/// block's hook, no node could beat meanwhile, so silence counts from now on
	/// ([`ResumedAtMs`]). Returns its weight.
	pub(crate) fn note_stall() -> Weight {
		let now = T::Clock::now_ms();
		let last = LastHookMs::<T>::get();
		if last > 0 && now.saturating_sub(last) > HeartbeatWindowMs::<T>::get() {
			ResumedAtMs::<T>::put(now);
		}
		LastHookMs::<T>::put(now);
		T::DbWeight::get().reads_writes(3, 2)
	}

	/// Whether the node has been silent for a whole window while the chain made blocks: since
	/// its last beat, or since the chain came back from a stall if that is later.
	fn silent_while_the_chain_ran(id: NodeId) -> bool {
		let since = Heartbeats::<T>::get(id).map_or(0, |h| h.at_ms).max(ResumedAtMs::<T>::get());
		Self::window_of(since).saturating_add(1) < Self::window_of(T::Clock::now_ms())
	}

	/// One sweep of up to `limit` entries; returns how many it checked and how many of those
	/// it reported for downtime.
	///
	/// A node that stopped beating while it held tasks it had acknowledged left its users'
	/// work undone without a word (it could have given the tasks up): that is unannounced
	/// downtime. A node that goes quiet with nothing committed is only offline: it earns no
	/// capacity meanwhile, which is its whole cost.
	pub(crate) fn sweep_online(limit: u32) -> (u32, u32) {
		let (page, next) = Self::online_compute_page(OnlineSweepCursor::<T>::get(), limit);
		let checked = page.len() as u32;
		let mut reported = 0u32;
		for id in page {
			// A chain that stalled kept every node from beating: that is no node's downtime, so
			// a node silent only since the stall stays listed and is looked at again later.
			if !Self::beat_recently(id) && Self::silent_while_the_chain_ran(id) {
				OnlineComputeNodes::<T>::remove(id);
				if T::OpenWork::committed_tasks(id) > 0 {
					let last_seen_ms = Heartbeats::<T>::get(id).map_or(0, |h| h.at_ms);
					T::Offences::report_offence(OffenceReport {
						node: id,
						offence: Offence::UnannouncedDowntime,
						evidence: OffenceEvidence::Downtime { last_seen_ms },
						victim: None,
						reporters: alloc::vec::Vec::new(),
					});
					reported.saturating_inc();
				}
			}
		}
		OnlineSweepCursor::<T>::put(next.unwrap_or(0));
		(checked, reported)
	}

	/// Whether the node beat in the current or the previous window.
	pub(crate) fn beat_recently(id: NodeId) -> bool {
		Heartbeats::<T>::get(id).is_some_and(|last| {
			Self::window_of(last.at_ms).saturating_add(1) >= Self::window_of(T::Clock::now_ms())
		})
	}

	pub(crate) fn do_set_heartbeat_window(window_ms: Moment) -> DispatchResult {
		Self::ensure_window_in_bounds(window_ms)?;
		HeartbeatWindowMs::<T>::put(window_ms);
		Self::deposit_event(Event::HeartbeatWindowSet { window_ms });
		Ok(())
	}
}

impl<T: Config> Liveness for Pallet<T> {
	fn is_online(node: NodeId) -> bool {
		Nodes::<T>::get(node).is_some_and(|n| n.state == NodeState::Active) && Self::beat_recently(node)
	}

	fn last_seen_ms(node: NodeId) -> Option<Moment> {
		Heartbeats::<T>::get(node).map(|h| h.at_ms)
	}
}
