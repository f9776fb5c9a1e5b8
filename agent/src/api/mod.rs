//! The local HTTP API of docs/agent-api.md: its routes, the state the handlers share, and the
//! layers every request passes (body limit, request metrics, and the secret under `/v1/`).

mod auth;
mod error;
mod status;
mod task_routes;
mod track;

#[cfg(test)]
mod tests;

use axum::{
	extract::DefaultBodyLimit,
	middleware,
	routing::{delete, get},
	Router,
};
use std::sync::Arc;
use tokio::sync::{watch, Notify};

use crate::{
	gpu::Snapshot,
	metrics::Metrics,
	secret::Secret,
	stop::StopSignal,
	tasks::{admission::Admission, store::Store},
};

/// Largest request body accepted; a task is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
	pub secret: Arc<Secret>,
	pub store: Arc<Store>,
	pub admission: Arc<Admission>,
	/// The latest GPU sample, kept fresh by the sampler.
	pub gpus: watch::Receiver<Snapshot>,
	pub metrics: Arc<Metrics>,
	/// Tells the runner a task was accepted.
	pub wake_runner: Arc<Notify>,
	pub shutdown: Arc<StopSignal>,
}

pub fn router(state: AppState) -> Router {
	let v1 = Router::new()
		.route("/v1/status", get(status::status))
		.route("/v1/metrics", get(status::gpu_metrics))
		.route("/v1/tasks", get(task_routes::list).post(task_routes::create))
		.route("/v1/tasks/{id}", delete(task_routes::forget))
		.route_layer(middleware::from_fn_with_state(state.clone(), auth::require_secret));
	Router::new()
		.route("/metrics", get(status::prometheus))
		.route("/healthz", get(status::healthz))
		.merge(v1)
		.fallback(error::not_found)
		.method_not_allowed_fallback(error::method_not_allowed)
		.layer(middleware::from_fn_with_state(Arc::clone(&state.metrics), track::count_requests))
		.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
		.with_state(state)
}
