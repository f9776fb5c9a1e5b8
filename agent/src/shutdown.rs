//! Turns SIGINT or SIGTERM into the agent's stop signal.

use std::sync::Arc;
use tokio::signal::unix::{signal, SignalKind};
use tracing::{info, warn};

use crate::stop::StopSignal;

pub async fn stop_on_signal(shutdown: Arc<StopSignal>) {
	let name = tokio::select! {
		() = interrupted() => "SIGINT",
		() = terminated() => "SIGTERM",
		() = shutdown.stopped() => return,
	};
	info!(signal = name, "stopping: running tasks stop and run again after a restart");
	shutdown.stop();
}

async fn interrupted() {
	if let Err(error) = tokio::signal::ctrl_c().await {
		warn!("cannot listen for SIGINT: {error}");
		std::future::pending::<()>().await;
	}
}

async fn terminated() {
	match signal(SignalKind::terminate()) {
		Ok(mut terminate) => {
			terminate.recv().await;
		}
		Err(error) => {
			warn!("cannot listen for SIGTERM: {error}");
			std::future::pending::<()>().await;
		}
	}
}
