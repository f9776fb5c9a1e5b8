//! Samples the GPUs in the background, every poll interval and whenever the agent's own tasks
//! take or free GPUs, so HTTP handlers only read the latest snapshot and never wait on NVML.

use std::{sync::Arc, time::Duration};
use tokio::{sync::watch, time::MissedTickBehavior};

use super::{occupancy::Occupancy, GpuSource, Snapshot};
use crate::stop::StopSignal;

pub async fn run(
	source: Arc<GpuSource>,
	occupancy: Arc<Occupancy>,
	snapshots: watch::Sender<Snapshot>,
	every: Duration,
	shutdown: Arc<StopSignal>,
) {
	let mut ticker = tokio::time::interval(every);
	ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
	loop {
		tokio::select! {
			() = shutdown.stopped() => return,
			_ = ticker.tick() => {},
			() = occupancy.changed() => {},
		}
		snapshots.send_replace(source.sample(&occupancy).await);
	}
}
