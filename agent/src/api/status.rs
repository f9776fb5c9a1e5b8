//! What the agent reports about the host: `/v1/status`, `/v1/metrics`, `/metrics`, `/healthz`.

use axum::{
	extract::State,
	http::header::CONTENT_TYPE,
	response::{IntoResponse, Response},
	Json,
};
use tracing::error;
use vcity_agent_api::{GpuMetricsReply, StatusReply, API_VERSION};

use super::{error::ApiError, AppState};
use crate::metrics;

const AGENT: &str = concat!("vcity-agent/", env!("CARGO_PKG_VERSION"));

pub async fn status(State(state): State<AppState>) -> Json<StatusReply> {
	let snapshot = state.gpus.borrow().clone();
	let tasks = state.store.counts().await;
	Json(StatusReply {
		api: API_VERSION,
		agent: AGENT.to_owned(),
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
