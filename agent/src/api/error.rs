//! Error replies: the status of their code and `{ "error": <stable code>, "message": <for humans> }`.

use axum::{
	extract::rejection::BytesRejection,
	http::{StatusCode, Uri},
	response::{IntoResponse, Response},
	Json,
};
use vcity_agent_api::{ErrorCode, ErrorReply};

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

impl ApiError {
	fn code(&self) -> ErrorCode {
		match self {
			Self::BadRequest(_) => ErrorCode::BadRequest,
			Self::Unauthorized => ErrorCode::Unauthorized,
			Self::UnknownTask(_) => ErrorCode::UnknownTask,
			Self::ConflictingTask(_) => ErrorCode::ConflictingTask,
			Self::Unsupported(_) => ErrorCode::Unsupported,
			Self::ShuttingDown => ErrorCode::ShuttingDown,
			Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
			Self::NotFound(_) => ErrorCode::NotFound,
			Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
			Self::Internal(_) => ErrorCode::Internal,
		}
	}
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let code = self.code();
		// Every code's status is a valid one; the fallback is never taken.
		let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
		(status, Json(ErrorReply { error: code, message: self.to_string() })).into_response()
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
