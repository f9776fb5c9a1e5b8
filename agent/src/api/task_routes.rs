//! `/v1/tasks`: list, hand over (`POST`, idempotent), forget (`DELETE`).

use axum::{
	body::Bytes,
	extract::{
		rejection::{BytesRejection, PathRejection},
		Path, State,
	},
	http::StatusCode,
	Json,
};
use tracing::{error, info};
use vcity_agent_api::TaskList;

use super::{error::ApiError, AppState};
use crate::tasks::{
	store::{AdmitError, Admitted},
	TaskSpec, TaskView,
};

pub async fn list(State(state): State<AppState>) -> Json<TaskList> {
	Json(TaskList { tasks: state.store.list().await })
}

/// `201` for a new task, `200` for one already held with the same workload; either way the task
/// is on disk before the answer.
pub async fn create(
	State(state): State<AppState>,
	body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<TaskView>), ApiError> {
	let body = body?;
	let spec: TaskSpec = serde_json::from_slice(&body)
		.map_err(|error| ApiError::BadRequest(format!("the body is not a task: {error}")))?;
	match state.store.admit(spec, &state.admission).await {
		Ok(Admitted::New(task)) => {
			info!(task = task.id, gpus = task.gpus, seconds = task.seconds, "task accepted");
			state.metrics.tasks_accepted.inc();
			state.wake_runner.notify_one();
			Ok((StatusCode::CREATED, Json(task)))
		}
		Ok(Admitted::Existing(task)) => Ok((StatusCode::OK, Json(task))),
		Err(AdmitError::Conflict(id)) => Err(ApiError::ConflictingTask(id)),
		Err(AdmitError::Unsupported(reason)) => Err(ApiError::Unsupported(reason.to_string())),
		Err(AdmitError::Store(failure)) => {
			error!("cannot keep a task: {failure}");
			Err(ApiError::Internal(format!("the agent cannot store the task: {failure}")))
		}
	}
}

pub async fn forget(
	State(state): State<AppState>,
	id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
	let Path(id) = id.map_err(|_| ApiError::BadRequest("a task id is an unsigned integer".into()))?;
	match state.store.forget(id).await {
		Ok(true) => {
			info!(task = id, "task forgotten");
			Ok(StatusCode::NO_CONTENT)
		}
		Ok(false) => Err(ApiError::UnknownTask(id)),
		Err(failure) => {
			error!("cannot forget a task: {failure}");
			Err(ApiError::Internal(format!("the agent cannot store the change: {failure}")))
		}
	}
}
