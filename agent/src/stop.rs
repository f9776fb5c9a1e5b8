//! A one-way stop signal: whoever may stop a piece of work holds it, and the work watches it.
//! Async code awaits [`StopSignal::stopped`]; compute threads poll the flag between rows.

use std::sync::{
	atomic::{AtomicBool, Ordering},
	Arc,
};
use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct StopSignal {
	flag: Arc<AtomicBool>,
	notify: Notify,
}

impl StopSignal {
	pub fn stop(&self) {
		self.flag.store(true, Ordering::Release);
		self.notify.notify_waiters();
	}

	pub fn is_stopped(&self) -> bool {
		self.flag.load(Ordering::Acquire)
	}

	/// The flag itself, for threads that cannot await.
	pub fn flag(&self) -> Arc<AtomicBool> {
		Arc::clone(&self.flag)
	}

	/// Returns once [`StopSignal::stop`] has been called (at once if it already was).
	pub async fn stopped(&self) {
		loop {
			// `notify_waiters` wakes every `Notified` that exists when it is called, polled or not,
			// so creating it before the check means a stop in between is not missed.
			let notified = self.notify.notified();
			if self.is_stopped() {
				return;
			}
			notified.await;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::time::Duration;

	#[tokio::test]
	async fn stopped_returns_after_stop_and_at_once_when_already_stopped() {
		let signal = Arc::new(StopSignal::default());
		let waiter = tokio::spawn({
			let signal = Arc::clone(&signal);
			async move { signal.stopped().await }
		});
		tokio::time::sleep(Duration::from_millis(20)).await;
		assert!(!waiter.is_finished());
		signal.stop();
		tokio::time::timeout(Duration::from_secs(2), waiter).await.expect("woken").expect("joined");
		tokio::time::timeout(Duration::from_secs(1), signal.stopped()).await.expect("already stopped");
	}
}
