//! The body of every error reply.

use alloc::string::String;
use serde::{Deserialize, Serialize};

/// The stable, machine-readable kind of an error; when each is answered: docs/agent-api.md,
/// "Errors".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
	BadRequest,
	Unauthorized,
	UnknownTask,
	ConflictingTask,
	Unsupported,
	ShuttingDown,
	PayloadTooLarge,
	NotFound,
	MethodNotAllowed,
	Internal,
}

impl ErrorCode {
	/// The HTTP status answered with this code. The node acts on the status alone (`401`, and
	/// `409` and `422` to a task handed over), so a code keeps its status within a version.
	pub fn status(self) -> u16 {
		match self {
			Self::BadRequest => 400,
			Self::Unauthorized => 401,
			Self::UnknownTask | Self::NotFound => 404,
			Self::MethodNotAllowed => 405,
			Self::ConflictingTask => 409,
			Self::PayloadTooLarge => 413,
			Self::Unsupported => 422,
			Self::Internal => 500,
			Self::ShuttingDown => 503,
		}
	}
}

/// Every error reply: `{ "error": <code>, "message": <for humans> }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReply {
	pub error: ErrorCode,
	pub message: String,
}
