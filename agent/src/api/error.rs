//! Error replies: a status and `{ "error": <stable code>, "message": <for humans> }`.

use axum::{
	extract::rejection::BytesRejection,
	http::{StatusCode, Uri},
	response::{IntoResponse, Response},
	Json,
};
use serde::Serialize;

use super::MAX_BODY_BYTES;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
	#[error("{0}")]
	BadRequest(String),
	#[error("missing or wrong bearer secret")]
	Unauthorized,
	#[error("no task with id {0}")]
	UnknownTask(u64),
	#[error("task {0} is already held with another workload")]
	ConflictingTask(u64),
	#[error("{0}")]
	Unsupported(String),
	#[error("the agent is stopping")]
	ShuttingDown,
	#[error("the request body is larger than {MAX_BODY_BYTES} bytes")]
	PayloadTooLarge,
	#[error("no route for {0}")]
	NotFound(String),
	#[error("this method is not allowed here")]
	MethodNotAllowed,
	#[error("{0}")]
	Internal(String),
}

#[derive(Serialize)]
struct ErrorBody {
	error: &'static str,
	message: String,
}

impl ApiError {
	fn status(&self) -> StatusCode {
		match self {
			Self::BadRequest(_) => StatusCode::BAD_REQUEST,
			Self::Unauthorized => StatusCode::UNAUTHORIZED,
			Self::UnknownTask(_) | Self::NotFound(_) => StatusCode::NOT_FOUND,
			Self::ConflictingTask(_) => StatusCode::CONFLICT,
			Self::Unsupported(_) => StatusCode::UNPROCESSABLE_ENTITY,
			Self::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
			Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
			Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
			Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
		}
	}

	fn code(&self) -> &'static str {
		match self {
			Self::BadRequest(_) => "bad_request",
			Self::Unauthorized => "unauthorized",
			Self::UnknownTask(_) => "unknown_task",
			Self::ConflictingTask(_) => "conflicting_task",
			Self::Unsupported(_) => "unsupported",
			Self::ShuttingDown => "shutting_down",
			Self::PayloadTooLarge => "payload_too_large",
			Self::NotFound(_) => "not_found",
			Self::MethodNotAllowed => "method_not_allowed",
			Self::Internal(_) => "internal",
		}
	}
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let body = ErrorBody { error: self.code(), message: self.to_string() };
		(self.status(), Json(body)).into_response()
	}
}

impl From<BytesRejection> for ApiError {
	fn from(rejection: BytesRejection) -> Self {
		if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
			Self::PayloadTooLarge
		} else {
			Self::BadRequest(rejection.body_text())
		}
	}
}

pub async fn not_found(uri: Uri) -> ApiError {
	ApiError::NotFound(uri.path().to_owned())
}

pub async fn method_not_allowed() -> ApiError {
	ApiError::MethodNotAllowed
}
