//! What the agent reports about the host: `/v1/status`, `/v1/metrics`, `/metrics`, `/healthz`.

use axum::{
	extract::State,
	http::header::CONTENT_TYPE,
	response::{IntoResponse, Response},
	Json,
};
use serde::Serialize;
use tracing::error;

use super::{error::ApiError, AppState};
use crate::{
	gpu::{GpuSample, Health, SourceKind},
	metrics,
	tasks::store::TaskCounts,
};

/// Version of the API these routes implement.
const API_VERSION: u32 = 1;
const AGENT: &str = concat!("vcity-agent/", env!("CARGO_PKG_VERSION"));

#[derive(Serialize)]
pub struct StatusReply {
	api: u32,
	agent: &'static str,
	simulated: bool,
	source: SourceKind,
	gpus: Vec<GpuSample>,
	load_percent: u32,
	health: Health,
	tasks: TaskCounts,
}

#[derive(Serialize)]
pub struct GpuMetricsReply {
	simulated: bool,
	gpus: Vec<GpuSample>,
}

pub async fn status(State(state): State<AppState>) -> Json<StatusReply> {
	let snapshot = state.gpus.borrow().clone();
	let tasks = state.store.counts().await;
	Json(StatusReply {
		api: API_VERSION,
		agent: AGENT,
		simulated: snapshot.simulated(),
		source: snapshot.source,
		load_percent: snapshot.load_percent(),
		health: snapshot.health(),
		gpus: snapshot.gpus,
		tasks,
	})
}

pub async fn gpu_metrics(State(state): State<AppState>) -> Json<GpuMetricsReply> {
	let snapshot = state.gpus.borrow().clone();
	Json(GpuMetricsReply { simulated: snapshot.simulated(), gpus: snapshot.gpus })
}

pub async fn prometheus(State(state): State<AppState>) -> Response {
	let snapshot = state.gpus.borrow().clone();
	match state.metrics.render(&snapshot) {
		Ok(text) => ([(CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
		Err(encoding) => {
			error!("cannot encode the metrics: {encoding}");
			ApiError::Internal("cannot encode the metrics".into()).into_response()
		}
	}
}

pub async fn healthz() -> &'static str {
	"ok"
}
